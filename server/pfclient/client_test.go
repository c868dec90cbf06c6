package pfclient

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

const testKey = "0123456789abcdef0123456789abcdef"

func writeEnvelope(w http.ResponseWriter, code int, id, msg string, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "status": http.StatusText(code), "response_id": id, "message": msg, "data": data})
}

// newTLSServer starts an HTTPS test server and a client pinned to its certificate.
func newTLSServer(t *testing.T, h http.HandlerFunc, mutate func(*Options)) (*httptest.Server, *Client) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	fp := pinOf(srv)
	tr, err := NewTransport(TLSOptions{Fingerprint: fp})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	o := Options{BaseURL: u, Mode: "key", APIKey: testKey, Transport: tr, Retries: 2, Backoff: time.Millisecond}
	if mutate != nil {
		mutate(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func pinOf(srv *httptest.Server) []byte {
	sum := sha256.Sum256(srv.Certificate().Raw)
	return sum[:]
}

func TestDoUnwrapsEnvelope(t *testing.T) {
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != testKey || r.URL.Path != "/api/v2/firewall/aliases" || r.URL.Query().Get("name__startswith") != "bt_" {
			writeEnvelope(w, 400, "UNEXPECTED", fmt.Sprintf("%s key=%v", r.URL, r.Header.Get("X-API-Key") != ""), []any{})
			return
		}
		writeEnvelope(w, 200, "SUCCESS", "", []map[string]any{{"id": 0, "name": "bt_a"}})
	}, nil)
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/firewall/aliases", Query: url.Values{"name__startswith": {"bt_"}}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ResponseID != "SUCCESS" || string(resp.Data) != `[{"id":0,"name":"bt_a"}]` || resp.Attempts != 1 {
		t.Errorf("resp = %+v data %s", resp, resp.Data)
	}
}

func TestDoReturnsAPIError(t *testing.T) {
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeEnvelope(w, 404, "MODEL_OBJECT_NOT_FOUND", "Object with ID `5` does not exist.", []any{})
	}, nil)
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/firewall/alias", Query: url.Values{"id": {"5"}}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	want := "pfSense answered HTTP 404 MODEL_OBJECT_NOT_FOUND: Object with ID `5` does not exist. [GET /api/v2/firewall/alias]"
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
}

func TestPlainNotFoundIsExplained(t *testing.T) {
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(404)
		w.Write([]byte("<html><body>404 Not Found</body></html>"))
	}, nil)
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/nothing"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 404 || apiErr.ResponseID != "" || !strings.Contains(err.Error(), "REST API package may be missing") {
		t.Fatalf("err = %v", err)
	}
}

func TestRetriesOnlyIdempotentReads(t *testing.T) {
	for _, tc := range []struct {
		method       string
		status       int
		wantAttempts int32
	}{
		{"GET", 500, 3},  // 1 + 2 retries
		{"GET", 502, 3},  // gateway trouble
		{"GET", 501, 1},  // not implemented: no point
		{"GET", 400, 1},  // the request is wrong: no point
		{"POST", 500, 1}, // never retry a mutation
		{"DELETE", 503, 1},
	} {
		t.Run(fmt.Sprintf("%s %d", tc.method, tc.status), func(t *testing.T) {
			var n atomic.Int32
			_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				writeEnvelope(w, tc.status, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "boom", []any{})
			}, nil)
			_, err := c.Do(context.Background(), Request{Method: tc.method, Path: "/api/v2/system/version"})
			if err == nil {
				t.Fatal("want an error")
			}
			if got := n.Load(); got != tc.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tc.wantAttempts)
			}
		})
	}
}

func TestRetryRecoversAfterTransientFailure(t *testing.T) {
	var n atomic.Int32
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeEnvelope(w, 500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "", []any{})
			return
		}
		writeEnvelope(w, 200, "SUCCESS", "", map[string]any{"version": "2.8.1"})
	}, nil)
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/system/version"})
	if err != nil || resp.Attempts != 2 {
		t.Fatalf("resp %+v err %v", resp, err)
	}
}

func TestRefusedEffectsNeverLeave(t *testing.T) {
	var hits atomic.Int32
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeEnvelope(w, 200, "SUCCESS", "", map[string]any{})
	}, func(o *Options) {
		o.Refuse = map[string][]toolspec.Risk{
			"POST /api/v2/diagnostics/reboot": {{Class: toolspec.RiskOutage, Reason: "Reboots the firewall."}},
			"POST /api/v2/services/cron/job": {{Class: toolspec.RiskCodeExecution, Reason: "Runs the command.",
				When: []toolspec.Condition{{Field: "command", Op: toolspec.CondSet}}}},
			"PUT /api/v2/firewall/rules": {{Class: toolspec.RiskBulkDestruction, Reason: "Deletes all.",
				When: []toolspec.Condition{{Field: "objects", Op: toolspec.CondEmpty}}}},
		}
	})
	for _, tc := range []struct {
		req  Request
		want string // "" = sent
	}{
		{Request{Method: "POST", Path: "/api/v2/diagnostics/reboot", Body: map[string]any{}},
			"refused POST /api/v2/diagnostics/reboot, a dangerous operation (outage): Reboots the firewall. Set PFSENSE_ALLOW_DANGEROUS=true to allow dangerous effects"},
		{Request{Method: "POST", Path: "/api/v2/services/cron/job", Body: map[string]any{"command": "/bin/sh -c id", "who": "root"}},
			"refused POST /api/v2/services/cron/job, these arguments have a dangerous effect (code execution): Runs the command. Set PFSENSE_ALLOW_DANGEROUS=true to allow dangerous effects"},
		{Request{Method: "PUT", Path: "/api/v2/firewall/rules", Body: []any{}},
			"refused PUT /api/v2/firewall/rules, these arguments have a dangerous effect (bulk destruction): Deletes all. Set PFSENSE_ALLOW_DANGEROUS=true to allow dangerous effects"},
		{Request{Method: "PUT", Path: "/api/v2/firewall/rules", Body: []any{map[string]any{"type": "pass"}}}, ""},
		{Request{Method: "POST", Path: "/api/v2/services/cron/job", Body: map[string]any{"who": "root"}}, ""},
	} {
		before := hits.Load()
		_, err := c.Do(context.Background(), tc.req)
		var blocked *BlockedError
		switch {
		case tc.want == "" && (err != nil || hits.Load() != before+1):
			t.Errorf("%s %s %v: err %v, sent %v", tc.req.Method, tc.req.Path, tc.req.Body, err, hits.Load() > before)
		case tc.want != "" && (!errors.As(err, &blocked) || err.Error() != tc.want || hits.Load() != before):
			t.Errorf("%s %s: err %v (sent %v)\nwant %s", tc.req.Method, tc.req.Path, err, hits.Load() > before, tc.want)
		}
	}
}

// A connection error names the path only: the query may carry a filter value.
func TestConnectionErrorsLeaveTheQueryOut(t *testing.T) {
	u, _ := url.Parse("https://127.0.0.1:1")
	c, _ := New(Options{BaseURL: u, Mode: "key", APIKey: testKey, Timeout: time.Second})
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/users", Query: url.Values{"name": {"query-secret-value"}}})
	var ce *ConnectionError
	if !errors.As(err, &ce) || strings.Contains(err.Error(), "query-secret-value") || !strings.Contains(err.Error(), "/api/v2/users") {
		t.Errorf("err = %v", err)
	}
}

func TestBasicAuthOnlyEndpoints(t *testing.T) {
	var gotUser string
	srv, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		u, _, _ := r.BasicAuth()
		gotUser = u
		if r.Header.Get("X-API-Key") != "" {
			t.Error("the API key was sent to a BasicAuth-only endpoint")
		}
		writeEnvelope(w, 200, "SUCCESS", "", map[string]any{"key": "x"})
	}, nil)
	_, err := c.Do(context.Background(), Request{Method: "POST", Path: "/api/v2/auth/key", Body: map[string]any{}, BasicAuthOnly: true})
	var credErr *CredentialsError
	if !errors.As(err, &credErr) || !strings.Contains(err.Error(), "PFSENSE_USERNAME and PFSENSE_PASSWORD") {
		t.Fatalf("without credentials: err = %v", err)
	}
	u, _ := url.Parse(srv.URL)
	c2, _ := New(Options{BaseURL: u, Mode: "key", APIKey: testKey, Username: "admin", Password: "pfsense", Transport: c.opts.Transport})
	if _, err := c2.Do(context.Background(), Request{Method: "POST", Path: "/api/v2/auth/key", Body: map[string]any{}, BasicAuthOnly: true}); err != nil || gotUser != "admin" {
		t.Fatalf("with credentials: err %v user %q", err, gotUser)
	}
}

func TestPinMismatchShowsFingerprintToPin(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	tr, _ := NewTransport(TLSOptions{Fingerprint: make([]byte, 32)})
	u, _ := url.Parse(srv.URL)
	c, _ := New(Options{BaseURL: u, Mode: "key", APIKey: testKey, Transport: tr})
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/system/version"})
	want := Fingerprint(srv.Certificate().Raw)
	if err == nil || !strings.Contains(err.Error(), "does not match PFSENSE_TLS_FINGERPRINT") || !strings.Contains(err.Error(), "PFSENSE_TLS_FINGERPRINT="+want) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), testKey) {
		t.Error("the error leaks the API key")
	}
}

func TestUnknownAuthorityAdvisesPinning(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	tr, _ := NewTransport(TLSOptions{Verify: true, Host: u.Hostname()})
	c, _ := New(Options{BaseURL: u, Mode: "key", APIKey: testKey, Transport: tr, Retries: 3})
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/system/version"})
	if err == nil || !strings.Contains(err.Error(), "not signed by a trusted CA") || !strings.Contains(err.Error(), Fingerprint(srv.Certificate().Raw)) {
		t.Fatalf("err = %v", err)
	}
	var ce *ConnectionError
	if !errors.As(err, &ce) || !ce.TLS {
		t.Errorf("want a TLS ConnectionError, got %#v", err)
	}
}

func TestJWTObtainedReusedAndRefreshed(t *testing.T) {
	exp := time.Now().Add(time.Hour).Unix()
	tok := func(n int32) string {
		payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"exp":%d,"n":%d}`, exp, n)))
		return "h." + payload + ".s"
	}
	var issued atomic.Int32
	var valid atomic.Value
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v2/auth/jwt" {
			if u, p, ok := r.BasicAuth(); !ok || u != "admin" || p != "pfsense" {
				writeEnvelope(w, 401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.", []any{})
				return
			}
			t := tok(issued.Add(1))
			valid.Store(t)
			writeEnvelope(w, 200, "SUCCESS", "", map[string]any{"token": t})
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+valid.Load().(string) {
			writeEnvelope(w, 401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.", []any{})
			return
		}
		writeEnvelope(w, 200, "SUCCESS", "", map[string]any{})
	}, func(o *Options) { o.Mode, o.APIKey, o.Username, o.Password = "jwt", "", "admin", "pfsense" })
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := c.Do(ctx, Request{Method: "GET", Path: "/api/v2/system/version"}); err != nil {
			t.Fatal(err)
		}
	}
	if issued.Load() != 1 {
		t.Errorf("issued %d tokens for 3 calls, want 1", issued.Load())
	}
	valid.Store("revoked") // the firewall forgets the token: the next call fails, the one after gets a new token
	if _, err := c.Do(ctx, Request{Method: "GET", Path: "/api/v2/system/version"}); err == nil {
		t.Fatal("want 401 with a revoked token")
	}
	if _, err := c.Do(ctx, Request{Method: "GET", Path: "/api/v2/system/version"}); err != nil || issued.Load() != 2 {
		t.Fatalf("after revocation: err %v issued %d", err, issued.Load())
	}
}

func TestRedirectsAreRefused(t *testing.T) {
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example/", http.StatusFound)
	}, nil)
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/system/version"})
	if err == nil || !strings.Contains(err.Error(), "redirected") {
		t.Fatalf("err = %v", err)
	}
}

func TestAnswersWithoutEnvelope(t *testing.T) {
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/graphql":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"data":{"system":{"hostname":"fw"}},"errors":[]}`))
		case "/api/v2/system/certificate/pkcs12/export":
			w.Header().Set("Content-Type", "application/x-pkcs12")
			w.Header().Set("Content-Disposition", `attachment; filename="web.p12"`)
			w.Write([]byte{0x30, 0x82, 0x01})
		default:
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>login page</html>"))
		}
	}, nil)
	ctx := context.Background()
	resp, err := c.Do(ctx, Request{Method: "POST", Path: "/api/v2/graphql", Body: map[string]any{"query": "{system{hostname}}"}})
	if err != nil || string(resp.Data) != `{"data":{"system":{"hostname":"fw"}},"errors":[]}` {
		t.Errorf("graphql: %v %s", err, resp.Data)
	}
	resp, err = c.Do(ctx, Request{Method: "POST", Path: "/api/v2/system/certificate/pkcs12/export", Body: map[string]any{}})
	if err != nil || string(resp.Data) != `{"file":{"content_base64":"MIIB","content_type":"application/x-pkcs12","filename":"web.p12","size_bytes":3}}` {
		t.Errorf("pkcs12: %v %s", err, resp.Data)
	}
	// An HTML page is never taken for an answer, nor is a non-envelope answer to a GET.
	if _, err := c.Do(ctx, Request{Method: "POST", Path: "/api/v2/other", Body: map[string]any{}}); err == nil {
		t.Error("an HTML page was accepted as an answer")
	}
}

// The firewall's clock comes with every answer: its web server's Date header.
func TestResponseCarriesTheFirewallsDate(t *testing.T) {
	_, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", "Wed, 02 Dec 2026 07:30:00 GMT")
		writeEnvelope(w, 200, "SUCCESS", "", map[string]any{})
	}, nil)
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/system/version"})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 2, 7, 30, 0, 0, time.UTC); !resp.Date.Equal(want) {
		t.Errorf("Date = %v, want %v", resp.Date, want)
	}
}
