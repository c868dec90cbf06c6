// Command httpcache serves a Bazel remote cache over HTTP from a directory:
//
//	httpcache --dir /tmp/cache --addr 127.0.0.1:0 --addr-file /tmp/cache.addr
//	bazel build --remote_cache=http://$(cat /tmp/cache.addr) ...
//
// GET /status reports hits, misses and uploads as JSON.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/remotecache"
)

func main() {
	dir := flag.String("dir", "", "where blobs are kept (required)")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the address actually listened on here")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "httpcache: --dir is required")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpcache:", err)
		os.Exit(1)
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "httpcache:", err)
			os.Exit(1)
		}
	}
	fmt.Fprintf(os.Stderr, "httpcache: serving %s on http://%s\n", *dir, ln.Addr())
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
		<-sigs
		ln.Close()
	}()
	if err := http.Serve(ln, &remotecache.Cache{Dir: *dir}); err != nil && !errors.Is(err, net.ErrClosed) {
		fmt.Fprintln(os.Stderr, "httpcache:", err)
		os.Exit(1)
	}
}
