package apisetup_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/apisetup"
)

// recorder answers like the REST API and records what it got.
type recorder struct {
	mu       sync.Mutex
	requests []string // "METHOD PATH AUTH BODY"
	methods  []string
	ready    bool
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	auth := "none"
	if u, p, ok := req.BasicAuth(); ok {
		auth = "basic:" + u + ":" + p
	} else if k := req.Header.Get("X-API-Key"); k != "" {
		auth = "key:" + k
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, req.Method+" "+req.URL.Path+" "+auth+" "+strings.TrimSpace(string(body)))
	ok := func(data any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"code": 200, "status": "ok", "response_id": "SUCCESS", "data": data})
	}
	switch req.Method + " " + req.URL.Path {
	case "GET /api/v2/system/version":
		if !r.ready {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("<html>starting</html>"))
			return
		}
		ok(map[string]any{"version": "2.8.1-RELEASE"})
	case "GET /api/v2/system/restapi/settings":
		ok(map[string]any{"auth_methods": r.methods})
	case "PATCH /api/v2/system/restapi/settings":
		var b struct {
			AuthMethods []string `json:"auth_methods"`
		}
		json.Unmarshal(body, &b)
		r.methods = b.AuthMethods
		ok(map[string]any{"auth_methods": r.methods})
	case "POST /api/v2/auth/key":
		if !strings.HasPrefix(auth, "basic:") {
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]any{"code": 401, "status": "unauthorized", "response_id": "AUTH_AUTHENTICATION_FAILED", "message": "Authentication failed."})
			return
		}
		ok(map[string]any{"key": "0123456789abcdef0123456789abcdef0123456789abcdef"})
	default:
		ok(map[string]any{})
	}
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestSetupEnablesKeyAuthAndCreatesTheKeyWithBasicAuth(t *testing.T) {
	tests := []struct {
		name    string
		methods []string
		want    []string
	}{
		{"KeyAuth missing: patched, nothing else changed", []string{"BasicAuth"}, []string{
			"GET /api/v2/system/restapi/settings key:old ",
			`PATCH /api/v2/system/restapi/settings key:old {"auth_methods":["BasicAuth","KeyAuth"]}`,
			`POST /api/v2/auth/key basic:admin:pfsense {"descr":"golden","hash_algo":"sha256","length_bytes":24}`,
			`PATCH /api/v2/services/dhcp_server key:old {"enable":true,"id":"lan","range_from":"192.168.1.100","range_to":"192.168.1.200"}`,
			"POST /api/v2/services/dhcp_server/apply key:old {}",
		}},
		{"KeyAuth present: no PATCH", []string{"BasicAuth", "KeyAuth"}, []string{
			"GET /api/v2/system/restapi/settings key:old ",
			`POST /api/v2/auth/key basic:admin:pfsense {"descr":"golden","hash_algo":"sha256","length_bytes":24}`,
			`PATCH /api/v2/services/dhcp_server key:old {"enable":true,"id":"lan","range_from":"192.168.1.100","range_to":"192.168.1.200"}`,
			"POST /api/v2/services/dhcp_server/apply key:old {}",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{methods: tc.methods, ready: true}
			srv := httptest.NewTLSServer(rec)
			defer srv.Close()
			c := apisetup.New(srv.URL, quiet())
			c.APIKey = "old" // the key auth in use; key creation must still use BasicAuth.
			key, err := c.Setup(context.Background(), apisetup.Plan{KeyDescr: "golden", LANDHCP: true})
			if err != nil {
				t.Fatal(err)
			}
			if key != "0123456789abcdef0123456789abcdef0123456789abcdef" {
				t.Errorf("key = %q", key)
			}
			if got := rec.got(); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestWaitReadyTimesOutSayingWhatItGot(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewTLSServer(rec)
	defer srv.Close()
	c := apisetup.New(srv.URL, quiet())
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := c.WaitReady(ctx, 50*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "was not ready after") || !strings.Contains(err.Error(), `HTTP 503, not a REST API answer: "<html>starting</html>"`) {
		t.Errorf("WaitReady = %v", err)
	}
}

func TestCertificateChangeIsRefused(t *testing.T) {
	rec := &recorder{ready: true}
	srv := httptest.NewTLSServer(rec) // httptest's built-in certificate
	defer srv.Close()
	c := apisetup.New(srv.URL, quiet())
	if err := c.WaitReady(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(c.CertFingerprint()) {
		t.Fatalf("CertFingerprint = %q", c.CertFingerprint())
	}
	// Another firewall (or a man in the middle) at the same URL, with its own certificate.
	other := httptest.NewUnstartedServer(rec)
	other.TLS = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	other.StartTLS()
	defer other.Close()
	c.BaseURL = other.URL
	err := c.Do(context.Background(), http.MethodGet, "/api/v2/system/version", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "the firewall's certificate changed") {
		t.Errorf("a different certificate was accepted: %v", err)
	}
	var ae *apisetup.APIError
	if errors.As(err, &ae) {
		t.Errorf("a TLS refusal is not an API error: %v", ae)
	}
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
