// attach-pprof-default already serves net/http/pprof on DefaultServeMux, at a port of its
// choosing, and prints "listening on HOST:PORT": a program run through Go Lens's launcher keeps
// its own server working, beside the launcher's.
package main

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func main() {
	http.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "hello from the program") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("listening on", ln.Addr())
	http.Serve(ln, nil)
}
