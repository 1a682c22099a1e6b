module example.com/golens-demo

go 1.21
