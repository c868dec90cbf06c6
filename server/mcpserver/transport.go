package mcpserver

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// ServeStdio serves MCP on in/out until in closes or ctx ends.
func ServeStdio(ctx context.Context, s *Server, in io.Reader, out io.Writer) error {
	return s.serveStdio(ctx, in, out)
}

// HTTPOptions bound and protect the HTTP transport.
type HTTPOptions struct {
	Addr  string
	Token string // bearer token every request must carry; "" only on loopback.
	// Origins are the browser origins allowed besides loopback ones ("*": any).
	Origins     []string
	MaxBody     int64         // largest request body; 0: config.DefaultHTTPMaxBody.
	SessionIdle time.Duration // 0: config.DefaultHTTPSessionIdle.
	Logger      *slog.Logger
	Ready       func(net.Addr) // called once listening.
	// HeaderTimeout and BodyTimeout bound how long a client may take to send its request's
	// headers and body; 0: the defaults (10 s, 30 s).
	HeaderTimeout, BodyTimeout time.Duration
}

// Timeouts and bounds of the HTTP server: a slow or idle client (authenticated or not) holds a
// connection for a bounded time, and only so many connections are served at once.
const (
	headerTimeout  = 10 * time.Second
	bodyTimeout    = 30 * time.Second
	idleTimeout    = 2 * time.Minute
	maxHeaderBytes = 64 << 10
	maxConns       = 256
	shutdownWait   = 500 * time.Millisecond
)

// httpTransport is the MCP streamable-HTTP endpoint at /mcp in front of mcp-go's: it checks
// the Origin and the bearer token, bounds the body, refuses the stateless protocol revision,
// keeps sessions (sessionStore) and answers calls of unlisted tools through the dispatcher.
type httpTransport struct {
	s        *Server
	mcp      *server.StreamableHTTPServer
	sessions *sessionStore
	o        HTTPOptions
	want     []byte // "Bearer <token>"
	refusals *throttle
}

// HTTPHandler returns the MCP streamable-HTTP handler at /mcp with its protections, and a
// function that ends every session (for shutdown).
func HTTPHandler(s *Server, o HTTPOptions) (http.Handler, func(context.Context)) {
	t := newHTTPTransport(s, o)
	mux := http.NewServeMux()
	mux.Handle("/mcp", t)
	return mux, t.mcp.CloseSessions
}

func newHTTPTransport(s *Server, o HTTPOptions) *httpTransport {
	if o.MaxBody <= 0 {
		o.MaxBody = config.DefaultHTTPMaxBody
	}
	if o.SessionIdle <= 0 {
		o.SessionIdle = config.DefaultHTTPSessionIdle
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = headerTimeout
	}
	if o.BodyTimeout <= 0 {
		o.BodyTimeout = bodyTimeout
	}
	t := &httpTransport{s: s, o: o, sessions: newSessionStore(o.SessionIdle), refusals: newThrottle(o.Logger, 10*time.Second)}
	if o.Token != "" {
		t.want = []byte("Bearer " + o.Token)
	}
	t.mcp = server.NewStreamableHTTPServer(s.MCP(),
		server.WithEndpointPath("/mcp"),
		server.WithSessionIdManagerResolver(t.sessions),
		server.WithSessionIdleTTL(o.SessionIdle),
		server.WithStreamableHTTPLogger(o.Logger),
		server.WithStreamableHTTPProtocolVersions(legacyVersions()...),
	)
	t.sessions.onRemove = func(id string) {
		// A DELETE through mcp-go drops its own state of the session (its store already
		// forgot the id, so mcp-go's Terminate is a no-op).
		req, _ := http.NewRequest(http.MethodDelete, "/mcp", nil)
		req.Header.Set(server.HeaderKeySessionID, id)
		t.mcp.ServeHTTP(discard{}, req)
	}
	return t
}

// legacyVersions are the protocol revisions with initialize, newest first.
func legacyVersions() []string {
	var out []string
	for _, v := range mcp.ValidProtocolVersions {
		if !mcp.IsModernProtocol(v) {
			out = append(out, v)
		}
	}
	return out
}

func (t *httpTransport) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// Until the request is known to be a stream, it has a deadline: a client sending its body
	// slowly cannot hold the connection.
	_ = rc.SetReadDeadline(time.Now().Add(t.o.BodyTimeout))
	if !t.originAllowed(r.Header.Get("Origin")) {
		t.refuse(w, r, http.StatusForbidden, "origin", "the Origin "+r.Header.Get("Origin")+" is not allowed (PFSENSE_HTTP_ALLOWED_ORIGINS)")
		return
	}
	if t.want != nil && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), t.want) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pfsense-mcp"`)
		t.refuse(w, r, http.StatusUnauthorized, "token", "missing or wrong bearer token (Authorization: Bearer <PFSENSE_HTTP_TOKEN>)")
		return
	}
	if mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
		t.refuseRPC(w, r, nil, http.StatusBadRequest, codeInvalidRequest, "stateless", statelessMsg)
		return
	}
	switch r.Method {
	case http.MethodPost:
		t.post(w, r)
	case http.MethodGet, http.MethodDelete:
		id := r.Header.Get(server.HeaderKeySessionID)
		if id == "" {
			t.refuse(w, r, http.StatusBadRequest, "session", "an Mcp-Session-Id header is required: initialize first")
			return
		}
		if err := t.sessions.check(id, tokenOf(r)); err != nil {
			t.refuse(w, r, http.StatusNotFound, "session", "no such session ("+err.Error()+"): initialize again")
			return
		}
		if r.Method == http.MethodGet {
			_ = rc.SetReadDeadline(time.Time{}) // a server-sent event stream: open while the session lives
		}
		t.mcp.ServeHTTP(w, r)
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		t.refuse(w, r, http.StatusMethodNotAllowed, "method", "use POST, GET or DELETE")
	}
}

func (t *httpTransport) post(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.o.MaxBody))
	if err == nil {
		// The body is in: the deadline is off again, so that a call may take long (a slow
		// firewall, a user reading an approval request). Not after a failed read: net/http then
		// drains the rest of the body, which must stay bounded by the deadline.
		_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			t.refuse(w, r, http.StatusRequestEntityTooLarge, "body", fmt.Sprintf("the request body is larger than %d bytes (PFSENSE_HTTP_MAX_BODY)", t.o.MaxBody))
			return
		}
		t.refuse(w, r, http.StatusBadRequest, "body", "the request body could not be read: "+err.Error())
		return
	}
	var msg struct {
		ID     json.RawMessage            `json:"id"`
		Method string                     `json:"method"`
		Params map[string]json.RawMessage `json:"params"`
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '[' {
		t.refuseRPC(w, r, nil, http.StatusBadRequest, codeInvalidRequest, "batch", "JSON-RPC batches are not accepted: send one message per request")
		return
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		t.refuseRPC(w, r, nil, http.StatusBadRequest, -32700, "parse", "the body is not a JSON-RPC message")
		return
	}
	if stateless(msg.Method, msg.Params) {
		t.refuseRPC(w, r, msg.ID, http.StatusBadRequest, codeMethodNotFound, "stateless", statelessMsg)
		return
	}
	id := r.Header.Get(server.HeaderKeySessionID)
	switch {
	case msg.Method == string(mcp.MethodInitialize):
		if !t.sessions.room() {
			t.refuseRPC(w, r, msg.ID, http.StatusServiceUnavailable, codeInvalidRequest, "sessions",
				fmt.Sprintf("too many open sessions (%d): close idle clients, or wait for their sessions to expire", MaxSessions))
			return
		}
		var p struct {
			ClientInfo mcp.Implementation `json:"clientInfo"`
		}
		_ = json.Unmarshal(msg.Params["clientInfo"], &p.ClientInfo)
		r = r.WithContext(context.WithValue(r.Context(), clientKey{}, strings.TrimSpace(p.ClientInfo.Name+" "+p.ClientInfo.Version)))
	case id == "":
		t.refuseRPC(w, r, msg.ID, http.StatusBadRequest, codeInvalidRequest, "session", notInitializedMsg+" (no Mcp-Session-Id header)")
		return
	default:
		if err := t.sessions.check(id, tokenOf(r)); err != nil {
			t.refuseRPC(w, r, msg.ID, http.StatusNotFound, codeInvalidRequest, "session", "no such session ("+err.Error()+"): initialize again")
			return
		}
		if msg.Method == string(mcp.MethodToolsCall) && len(msg.ID) > 0 && !t.s.isListed(msg.Params["name"]) {
			t.unlisted(w, r, id, msg.ID, msg.Params)
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	<-t.s.registered
	t.mcp.ServeHTTP(w, r)
}

// unlisted answers a call of an unlisted tool as stdio does: through the dispatcher.
func (t *httpTransport) unlisted(w http.ResponseWriter, r *http.Request, session string, id json.RawMessage, params map[string]json.RawMessage) {
	c := toolcall.Caller{Session: session, Transport: transportHTTP, Client: t.sessions.client(session)}
	resp := t.s.callUnlisted(toolcall.WithCaller(r.Context(), c), id, params)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(resp)
}

// originAllowed: requests without an Origin come from programs, not browsers; a browser's must
// be a loopback origin or one the operator allowed. The MCP transport specification requires
// the check, against DNS rebinding and pages that post to a local server.
func (t *httpTransport) originAllowed(origin string) bool {
	if origin == "" {
		return true
	}
	o := strings.ToLower(strings.TrimSuffix(origin, "/"))
	if slices.Contains(t.o.Origins, "*") || slices.Contains(t.o.Origins, o) {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// refuse answers an HTTP error and logs it, throttled: a flood of bad requests must not flood
// the log. The connection is closed, so that the rest of a refused body is not read.
func (t *httpTransport) refuse(w http.ResponseWriter, r *http.Request, status int, kind, msg string) {
	t.refusals.warn(kind, "refused an HTTP request", "status", status, "remote", r.RemoteAddr, "method", r.Method, "path", r.URL.Path, "reason", msg)
	w.Header().Set("Connection", "close")
	http.Error(w, msg, status)
}

func (t *httpTransport) refuseRPC(w http.ResponseWriter, r *http.Request, id json.RawMessage, status, code int, kind, msg string) {
	t.refusals.warn(kind, "refused an HTTP request", "status", status, "remote", r.RemoteAddr, "method", r.Method, "reason", msg)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Connection", "close")
	w.WriteHeader(status)
	_, _ = w.Write(rpcError(id, code, msg))
}

// ServeHTTP listens on o.Addr and serves MCP over streamable HTTP until ctx ends. It refuses a
// non-loopback address without a token (config also checks; this is the last line). When ctx
// ends it closes every session and stream and returns within about a second.
func ServeHTTP(ctx context.Context, s *Server, o HTTPOptions) error {
	if o.Token == "" && !config.IsLoopback(o.Addr) {
		return fmt.Errorf("refusing to serve MCP on %s (not loopback) without PFSENSE_HTTP_TOKEN", o.Addr)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = headerTimeout
	}
	h, closeSessions := HTTPHandler(s, o)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: o.HeaderTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes,
		ErrorLog: slog.NewLogLogger(logHandler(o.Logger), slog.LevelDebug)}
	if o.Ready != nil {
		o.Ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(limitListener(ln, maxConns)) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), shutdownWait)
		defer cancel()
		closeSessions(shut) // ends the event streams, which Shutdown would wait for
		if err := srv.Shutdown(shut); err != nil {
			_ = srv.Close() // what is still open after the wait is cut
		}
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

func logHandler(l *slog.Logger) slog.Handler {
	if l == nil {
		return slog.DiscardHandler
	}
	return l.Handler()
}

// URL is the MCP endpoint for a listen address, for messages.
func URL(addr net.Addr) string {
	return "http://" + strings.Replace(addr.String(), "0.0.0.0", "127.0.0.1", 1) + "/mcp"
}

// limitListener accepts at most n connections at once; more wait in the kernel's backlog.
func limitListener(l net.Listener, n int) net.Listener {
	return &limited{Listener: l, sem: make(chan struct{}, n)}
}

type limited struct {
	net.Listener
	sem chan struct{}
}

func (l *limited) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// discard is a ResponseWriter that drops everything (internal requests to mcp-go).
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// throttle logs a warning per kind at most once per interval, with how many were suppressed.
type throttle struct {
	log      *slog.Logger
	interval time.Duration
	mu       sync.Mutex
	last     map[string]time.Time
	skipped  map[string]int
}

func newThrottle(log *slog.Logger, interval time.Duration) *throttle {
	return &throttle{log: log, interval: interval, last: map[string]time.Time{}, skipped: map[string]int{}}
}

func (t *throttle) warn(kind, msg string, args ...any) {
	t.mu.Lock()
	now := time.Now()
	if now.Sub(t.last[kind]) < t.interval {
		t.skipped[kind]++
		t.mu.Unlock()
		return
	}
	skipped := t.skipped[kind]
	t.last[kind], t.skipped[kind] = now, 0
	t.mu.Unlock()
	if skipped > 0 {
		args = append(args, "suppressed_since_last", skipped)
	}
	t.log.Warn(msg, args...)
}
