package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// writeFirewall answers the version and alias creates, and counts the creates.
type writeFirewall struct{ creates atomic.Int32 }

func (f *writeFirewall) Do(ctx context.Context, r pfclient.Request) (*pfclient.Response, error) {
	if r.Method == "POST" && r.Path == "/api/v2/firewall/alias" {
		f.creates.Add(1)
		return &pfclient.Response{HTTPStatus: 200, Data: json.RawMessage(`{"id":0,"name":"bt_x"}`)}, nil
	}
	return versionFirewall{}.Do(ctx, r)
}
func (f *writeFirewall) HasBasicAuth() bool { return false }

type harness struct {
	s     *Server
	fw    *writeFirewall
	audit *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func newHarness(t *testing.T, writes bool) *harness {
	t.Helper()
	inv, err := inventory.New(fixture(), inventory.Options{AllowWrites: writes})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{fw: &writeFirewall{}, audit: &syncBuffer{}}
	d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: h.fw, Audit: audit.New(h.audit)})
	h.s = New(d, Options{Mode: config.ModeFull, AllowWrites: writes, SpecVersion: "v2.7.1"})
	return h
}

// stdioPipe serves h over stdio pipes and returns a writer for lines and a reader of answers.
func stdioPipe(t *testing.T, h *harness) (send func(string), next func() map[string]any) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); inW.Close() })
	go func() { _ = ServeStdio(ctx, h.s, inR, outW) }()
	answers := make(chan map[string]any, 16)
	go func() {
		dec := json.NewDecoder(outR)
		for {
			var m map[string]any
			if dec.Decode(&m) != nil {
				return
			}
			answers <- m
		}
	}()
	send = func(line string) {
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	next = func() map[string]any {
		t.Helper()
		select {
		case m := <-answers:
			return m
		case <-time.After(10 * time.Second):
			t.Fatal("no answer")
			return nil
		}
	}
	return send, next
}

func errorMessage(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func resultText(m map[string]any) (string, bool) {
	r, _ := m["result"].(map[string]any)
	c, _ := r["content"].([]any)
	if len(c) == 0 {
		return "", false
	}
	text, _ := c[0].(map[string]any)["text"].(string)
	return text, r["isError"] == true
}

// Before initialize, stdio serves nothing but initialize and ping; the stateless revision is
// refused; unknown tools are explained by the dispatcher and audited.
func TestStdioRefusesCallsBeforeInitialize(t *testing.T) {
	h := newHarness(t, true)
	send, next := stdioPipe(t, h)
	send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"pfsense_create_firewall_alias","arguments":{"confirm":true}}}`)
	if m := next(); m["id"] != 1.0 || errorMessage(m) != notInitializedMsg {
		t.Fatalf("call before initialize: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":2,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`)
	if m := next(); m["id"] != 2.0 || errorMessage(m) != statelessMsg {
		t.Fatalf("server/discover: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	if m := next(); m["id"] != 3.0 || m["error"] != nil {
		t.Fatalf("ping: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":4,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"9"}}}`)
	if m := next(); m["id"] != 4.0 || m["result"] == nil {
		t.Fatalf("initialize: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"pfsense_make_coffee","arguments":{}}}`)
	if text, isErr := resultText(next()); !isErr || !strings.HasPrefix(text, "there is no tool named pfsense_make_coffee") {
		t.Fatalf("unknown tool: %s", text)
	}
	// A call without a name (or with one that is not a string) is a malformed request: it gets
	// an error answer, not silence.
	for i, params := range []string{`{}`, `{"name":7}`, `{"arguments":{}}`} {
		send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":%s}`, 10+i, params))
		if m := next(); m["id"] != float64(10+i) || errorMessage(m) != noToolNameMsg {
			t.Errorf("tools/call with params %s: %v", params, m)
		}
	}
	send(`{"jsonrpc":"2.0","id":13,"method":"tools/call"}`)
	if m := next(); m["id"] != 13.0 || errorMessage(m) != noToolNameMsg {
		t.Errorf("tools/call without params: %v", m)
	}
	if h.fw.creates.Load() != 0 || !strings.Contains(h.audit.String(), `"client":"t 9","session":"stdio","transport":"stdio","tool":"pfsense_make_coffee","method":"","path":"","outcome":"refused"`) {
		t.Errorf("creates %d, audit %s", h.fw.creates.Load(), h.audit.String())
	}
}

type httpServer struct {
	url    string
	cancel func()
	done   chan error
	logs   *syncBuffer
}

func serveHTTPFor(t *testing.T, h *harness, o HTTPOptions) *httpServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	hs := &httpServer{cancel: cancel, done: make(chan error, 1), logs: &syncBuffer{}}
	o.Addr = "127.0.0.1:0"
	o.Logger = slog.New(slog.NewTextHandler(hs.logs, nil))
	addrc := make(chan net.Addr, 1)
	o.Ready = func(a net.Addr) { addrc <- a }
	go func() { hs.done <- ServeHTTP(ctx, h.s, o) }()
	select {
	case a := <-addrc:
		hs.url = URL(a)
	case err := <-hs.done:
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-hs.done })
	return hs
}

// post sends one JSON-RPC message and returns the status, the session header and the body.
func (hs *httpServer) post(t *testing.T, headers map[string]string, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", hs.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Mcp-Session-Id"), string(b)
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"http-test","version":"1"}}}`

func TestHTTPOriginsSessionsAndBodies(t *testing.T) {
	h := newHarness(t, true)
	hs := serveHTTPFor(t, h, HTTPOptions{Origins: []string{"https://app.example"}, MaxBody: 64 << 10, SessionIdle: 2 * time.Second})
	call := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"pfsense_create_firewall_alias","arguments":{"confirm":true}}}`

	// Origins: a browser page elsewhere is refused; loopback and allowed ones are served.
	for origin, want := range map[string]int{"https://evil.example": 403, "http://localhost:3000": 200, "http://127.0.0.1": 200, "https://app.example": 200, "null": 403} {
		if status, _, body := hs.post(t, map[string]string{"Origin": origin}, initBody); status != want {
			t.Errorf("Origin %s: status %d (%s), want %d", origin, status, body, want)
		}
	}
	// A body over the limit is refused before it is parsed.
	big := `{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"` + strings.Repeat("x", 70<<10) + `"}}`
	if status, _, _ := hs.post(t, nil, big); status != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: status %d", status)
	}
	// Sessions come from initialize only: no session, a made-up one, and the stateless
	// revision are refused, and a confirmed write without initialize never runs.
	if status, _, body := hs.post(t, nil, call); status != 400 || !strings.Contains(body, notInitializedMsg) {
		t.Errorf("call without a session: %d %s", status, body)
	}
	if status, _, _ := hs.post(t, map[string]string{"Mcp-Session-Id": "mcp-session-3b2f1c4e-7f00-4b7e-9a59-1d2c3e4f5a6b"}, call); status != 404 {
		t.Errorf("made-up session: %d", status)
	}
	if status, _, body := hs.post(t, map[string]string{"Mcp-Protocol-Version": "2026-07-28"}, `{"jsonrpc":"2.0","id":3,"method":"server/discover"}`); status != 400 || !strings.Contains(body, "stateless revision") {
		t.Errorf("stateless revision: %d %s", status, body)
	}
	status, sid, _ := hs.post(t, map[string]string{"Authorization": "Bearer first-token-first-token"}, initBody)
	if status != 200 || !strings.HasPrefix(sid, sessionPrefix) || len(sid) < 30 {
		t.Fatalf("initialize: %d session %q", status, sid)
	}
	withSession := map[string]string{"Mcp-Session-Id": sid, "Authorization": "Bearer first-token-first-token", "Mcp-Protocol-Version": "2025-06-18"}
	if status, _, body := hs.post(t, withSession, `{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"pfsense_make_coffee"}}`); status != 200 || !strings.Contains(body, "there is no tool named pfsense_make_coffee") {
		t.Errorf("unknown tool over HTTP: %d %s", status, body)
	}
	if status, _, body := hs.post(t, withSession, `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{}}`); status != 200 || !strings.Contains(body, noToolNameMsg) || !strings.Contains(body, `"id":6`) {
		t.Errorf("tools/call without a name over HTTP: %d %s", status, body)
	}
	// Bound to the token it was created with.
	other := map[string]string{"Mcp-Session-Id": sid, "Authorization": "Bearer second-token-second", "Mcp-Protocol-Version": "2025-06-18"}
	if status, _, _ := hs.post(t, other, `{"jsonrpc":"2.0","id":5,"method":"ping"}`); status != 404 {
		t.Errorf("a session used with another token: %d", status)
	}
	// Ended by DELETE: afterwards the id is unknown.
	req, _ := http.NewRequest("DELETE", hs.url, nil)
	for k, v := range withSession {
		req.Header.Set(k, v)
	}
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", err, resp)
	}
	if status, _, _ := hs.post(t, withSession, `{"jsonrpc":"2.0","id":6,"method":"ping"}`); status != 404 {
		t.Errorf("a deleted session: %d", status)
	}
	// Expired after idle time.
	_, sid, _ = hs.post(t, nil, initBody)
	time.Sleep(2500 * time.Millisecond)
	if status, _, _ := hs.post(t, map[string]string{"Mcp-Session-Id": sid, "Mcp-Protocol-Version": "2025-06-18"}, `{"jsonrpc":"2.0","id":7,"method":"ping"}`); status != 404 {
		t.Errorf("an idle session: %d", status)
	}
	if h.fw.creates.Load() != 0 {
		t.Errorf("a write ran: %d", h.fw.creates.Load())
	}
	// Refusals are logged, but not each of a flood.
	for i := 0; i < 50; i++ {
		hs.post(t, map[string]string{"Origin": "https://evil.example"}, initBody)
	}
	if n := strings.Count(hs.logs.String(), "reason=\"the Origin"); n < 1 || n > 3 {
		t.Errorf("%d origin refusals logged for 55 refused requests:\n%s", n, hs.logs.String())
	}
	if !strings.Contains(h.audit.String(), `"client":"http-test 1","session":"`+sessionPrefix) {
		t.Errorf("audit = %s", h.audit.String())
	}
}

// A user that approves or declines through elicitation, on both transports.
type user struct {
	approve bool
	asked   atomic.Int32
	last    atomic.Value
}

func (u *user) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	u.asked.Add(1)
	u.last.Store(req.Params.Message)
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{approveField: u.approve}}}, nil
}

func TestElicitationOnBothTransports(t *testing.T) {
	for _, tr := range []string{"stdio", "http"} {
		h := newHarness(t, true)
		u := &user{}
		var c *client.Client
		switch tr {
		case "stdio":
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() { _ = ServeStdio(ctx, h.s, inR, outW) }()
			c = client.NewClient(transport.NewIO(outR, inW, io.NopCloser(strings.NewReader(""))), client.WithElicitationHandler(u))
		case "http":
			hs := serveHTTPFor(t, h, HTTPOptions{})
			var err error
			if c, err = client.NewStreamableHttpClient(hs.url, transport.WithContinuousListening()); err != nil {
				t.Fatal(err)
			}
			c = client.NewClient(c.GetTransport(), client.WithElicitationHandler(u))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		init := mcp.InitializeRequest{}
		init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
		init.Params.ClientInfo = mcp.Implementation{Name: "elicit-test", Version: "1"}
		if _, err := c.Initialize(ctx, init); err != nil {
			t.Fatalf("%s: initialize: %v", tr, err)
		}
		callAlias := func() (string, bool) {
			res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "pfsense_create_firewall_alias", Arguments: map[string]any{"confirm": true}}})
			if err != nil {
				t.Fatalf("%s: call: %v", tr, err)
			}
			return res.Content[0].(mcp.TextContent).Text, res.IsError
		}
		if text, isErr := callAlias(); !isErr || text != "Refused (nothing was sent): the user did not approve this change." || h.fw.creates.Load() != 0 {
			t.Errorf("%s: declined: %s", tr, text)
		}
		u.approve = true
		if text, isErr := callAlias(); isErr || h.fw.creates.Load() != 1 {
			t.Errorf("%s: approved: %s", tr, text)
		}
		msg, _ := u.last.Load().(string)
		if u.asked.Load() != 2 || !strings.Contains(msg, "The assistant (elicit-test 1) asks to change the firewall: Create a firewall alias (POST /api/v2/firewall/alias).") {
			t.Errorf("%s: asked %d times, last:\n%s", tr, u.asked.Load(), msg)
		}
		if !strings.Contains(h.audit.String(), `"confirmed":"elicitation"`) {
			t.Errorf("%s: audit = %s", tr, h.audit.String())
		}
		c.Close()
	}
}

// SIGTERM's path: cancelling ServeHTTP ends it within a second even with an open event stream.
func TestHTTPShutdownWithOpenStreams(t *testing.T) {
	h := newHarness(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- ServeHTTP(ctx, h.s, HTTPOptions{Addr: "127.0.0.1:0", Ready: func(a net.Addr) { addrc <- a }})
	}()
	url := URL(<-addrc)
	hs := &httpServer{url: url}
	_, sid, _ := hs.post(t, nil, initBody)
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Mcp-Session-Id", sid)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET stream: %v %v", err, resp)
	}
	defer resp.Body.Close()
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil || time.Since(start) > time.Second {
			t.Errorf("shutdown took %v: %v", time.Since(start), err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeHTTP did not return after its context ended")
	}
}

// The instructions say which kinds of tools are hidden and which setting exposes them.
func TestInstructionsSayWhatIsHidden(t *testing.T) {
	inv, _ := inventory.New(tooldefs.Tools, inventory.Options{})
	ro := instructions(Options{Mode: config.ModeFull}, inv)
	h := inv.HiddenCounts()
	if !strings.Contains(ro, fmt.Sprintf("the %d tools that change the firewall are hidden, because the operator has not set PFSENSE_ALLOW_WRITES=true", h.Writes)) || h.Writes < 400 {
		t.Errorf("read-only instructions: %s", ro)
	}
	inv, _ = inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true})
	rw := instructions(Options{Mode: config.ModeFull, AllowWrites: true}, inv)
	if h := inv.HiddenCounts(); h.Dangerous == 0 || !strings.Contains(rw, fmt.Sprintf("Dangerous operations (%d tools", h.Dangerous)) ||
		!strings.Contains(rw, "because the operator has not set PFSENSE_ALLOW_DANGEROUS=true") || !strings.Contains(rw, "confirm_token") ||
		!strings.Contains(rw, "pfsense_reboot_system") {
		t.Errorf("writes instructions: %s", rw)
	}
}

// slowFirewall answers after a delay.
type slowFirewall struct{ delay time.Duration }

func (f slowFirewall) Do(ctx context.Context, r pfclient.Request) (*pfclient.Response, error) {
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return versionFirewall{}.Do(ctx, r)
}
func (slowFirewall) HasBasicAuth() bool { return false }

// A call may take longer than a client may take to send its body.
func TestHTTPCallsOutlastTheBodyDeadline(t *testing.T) {
	inv, _ := inventory.New(fixture(), inventory.Options{})
	d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: slowFirewall{delay: 1500 * time.Millisecond}})
	h := &harness{s: New(d, Options{Mode: config.ModeFull, SpecVersion: "v2.7.1"}), fw: &writeFirewall{}, audit: &syncBuffer{}}
	hs := serveHTTPFor(t, h, HTTPOptions{BodyTimeout: 500 * time.Millisecond})
	_, sid, _ := hs.post(t, nil, initBody)
	status, _, body := hs.post(t, map[string]string{"Mcp-Session-Id": sid, "Mcp-Protocol-Version": "2025-06-18"},
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"pfsense_get_system_version","arguments":{}}}`)
	if status != 200 || !strings.Contains(body, "2.8.1-RELEASE") {
		t.Errorf("slow call: %d %s", status, body)
	}
}
