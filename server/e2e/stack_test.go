// Package e2e_test runs the server's whole call path (inventory, validation, gates, the real
// HTTPS client, redaction, audit) against the pfSense simulator over real HTTPS.
package e2e_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/selfsigned"
)

const apiKey = "e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0"

// recorder counts the requests that reach the simulator, by method.
type recorder struct {
	mu       sync.Mutex
	requests []string // "METHOD path?query"
	// before, when set, runs ahead of each request with the simulator's handler (a test
	// changing the firewall behind the server's back).
	before func(req *http.Request, h http.Handler)
}

func (r *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.requests = append(r.requests, req.Method+" "+req.URL.RequestURI())
		before := r.before
		r.mu.Unlock()
		if before != nil {
			before(req, h)
		}
		h.ServeHTTP(w, req)
	})
}

func (r *recorder) mutating() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, q := range r.requests {
		if q[:4] != "GET " {
			out = append(out, q)
		}
	}
	return out
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.requests = nil
	r.mu.Unlock()
}

// stack is the server's call path wired to a simulator.
type stack struct {
	sim   *simulator.Simulator
	rec   *recorder
	d     *toolcall.Dispatcher
	audit *bytes.Buffer
}

func newStack(t *testing.T, opts inventory.Options, mode config.ToolMode) *stack {
	t.Helper()
	inv, err := inventory.New(tooldefs.Tools, opts)
	if err != nil {
		t.Fatal(err)
	}
	sim, rec, client := serveSimulator(t, simulator.Options{APIKey: apiKey}, inv)
	var log bytes.Buffer
	d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: client, Audit: audit.New(&log)})
	mcpserver.Tools(d, mcpserver.Options{Mode: mode, AllowWrites: opts.AllowWrites, SpecVersion: tooldefs.SpecVersion}) // registers the server's own tools
	return &stack{sim: sim, rec: rec, d: d, audit: &log}
}

// serveSimulator runs a simulator over HTTPS behind a recorder and returns a client of it pinned
// to its certificate, refusing what inv blocks.
func serveSimulator(t *testing.T, opts simulator.Options, inv *inventory.Inventory) (*simulator.Simulator, *recorder, *pfclient.Client) {
	t.Helper()
	sim, err := simulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := selfsigned.New()
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	srv := httptest.NewUnstartedServer(rec.wrap(sim.Handler()))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	pin, err := config.ParseFingerprint(cert.FingerprintSHA256)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := pfclient.NewTransport(pfclient.TLSOptions{Verify: true, Fingerprint: pin})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	client, err := pfclient.New(pfclient.Options{BaseURL: u, Mode: "key", APIKey: apiKey, Username: "admin", Password: "pfsense",
		Transport: tr, Refuse: inv.Refusals(), Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return sim, rec, client
}

// call runs a tool and decodes a successful answer.
func (s *stack) call(t *testing.T, name string, args map[string]any) (toolcall.Result, map[string]any) {
	t.Helper()
	r := s.d.Call(context.Background(), name, args)
	var out map[string]any
	if !r.IsError {
		if err := json.Unmarshal([]byte(r.Text), &out); err != nil {
			t.Fatalf("%s: answer is not JSON: %s", name, r.Text)
		}
	}
	return r, out
}

// confirmed makes a change as a client must: preview, then confirm with the preview's token.
func (s *stack) confirmed(t *testing.T, name string, args map[string]any) (toolcall.Result, map[string]any) {
	t.Helper()
	r, out := s.call(t, name, args)
	if r.IsError {
		return r, out
	}
	tok, ok := out["confirm_token"].(string)
	if !ok {
		t.Fatalf("%s: the preview has no confirm_token: %s", name, r.Text)
	}
	with := map[string]any{"confirm": tok}
	for k, v := range args {
		with[k] = v
	}
	return s.call(t, name, with)
}
