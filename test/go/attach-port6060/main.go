// attach-port6060 serves its own handler on 127.0.0.1:6060 (ADDR overrides), the port most
// examples use for pprof: the launcher's endpoints must not take it.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:6060"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot listen:", err)
		os.Exit(3)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "own server") })
	fmt.Println("listening on", ln.Addr())
	http.Serve(ln, mux)
}
