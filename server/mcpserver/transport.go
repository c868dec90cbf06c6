package mcpserver

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/pfsense-mcp/pfsense-mcp/server/config"
)

// ServeStdio serves MCP on in/out until in closes or ctx ends.
func ServeStdio(ctx context.Context, s *Server, in io.Reader, out io.Writer) error {
	return s.serveStdio(ctx, in, out)
}

// HTTPHandler returns the MCP streamable-HTTP handler at /mcp, behind a bearer-token check when
// token is set.
func HTTPHandler(s *Server, token string, log *slog.Logger) http.Handler {
	mcpHandler := server.NewStreamableHTTPServer(s.MCP(), server.WithEndpointPath("/mcp"))
	mux := http.NewServeMux()
	mux.Handle("/mcp", mcpHandler)
	if token == "" {
		return mux
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			log.Warn("refused an HTTP request without the bearer token", "remote", r.RemoteAddr, "path", r.URL.Path)
			w.Header().Set("WWW-Authenticate", `Bearer realm="pfsense-mcp"`)
			http.Error(w, "missing or wrong bearer token (Authorization: Bearer <PFSENSE_HTTP_TOKEN>)", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// ServeHTTP listens on addr and serves MCP over streamable HTTP until ctx ends. It refuses a
// non-loopback address without a token (config also checks; this is the last line).
func ServeHTTP(ctx context.Context, s *Server, addr, token string, log *slog.Logger, ready func(net.Addr)) error {
	if token == "" && !config.IsLoopback(addr) {
		return fmt.Errorf("refusing to serve MCP on %s (not loopback) without PFSENSE_HTTP_TOKEN", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: HTTPHandler(s, token, log), ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// URL is the MCP endpoint for a listen address, for messages.
func URL(addr net.Addr) string {
	return "http://" + strings.Replace(addr.String(), "0.0.0.0", "127.0.0.1", 1) + "/mcp"
}
