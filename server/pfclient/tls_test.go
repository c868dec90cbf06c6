package pfclient

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA is a CA that issues server certificates for the names and addresses it is asked for.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string // the CA certificate as a PEM file, for PFSENSE_CA_FILE
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key, file: file}
}

// serve starts an HTTPS server on 127.0.0.1 with a certificate from the CA for these names.
func (ca *testCA) serve(t *testing.T, dnsNames []string, ips []net.IP) *httptest.Server {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "firewall"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: dnsNames, IPAddresses: ips, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeEnvelope(w, 200, "SUCCESS", "", map[string]any{"version": "2.8.1"})
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// get calls the server through PFSENSE_URL-style base URL host:port with a CA-verifying transport.
func get(t *testing.T, ca *testCA, base string) error {
	t.Helper()
	u, _ := url.Parse(base)
	tr, err := NewTransport(TLSOptions{Verify: true, CAFile: ca.file, Host: u.Hostname()})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := New(Options{BaseURL: u, Mode: "key", APIKey: testKey, Transport: tr})
	_, err = c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/system/version"})
	return err
}

// The certificate must be valid for the host PFSENSE_URL names, an IP address as much as a name:
// a certificate from the same CA for another host is refused.
func TestTLSVerifiesTheHostForIPAndNameURLs(t *testing.T) {
	ca := newTestCA(t)
	loop := net.ParseIP("127.0.0.1")
	other := ca.serve(t, []string{"other.example"}, []net.IP{net.ParseIP("192.0.2.7")})
	right := ca.serve(t, []string{"localhost"}, []net.IP{loop})
	_, otherPort, _ := net.SplitHostPort(other.Listener.Addr().String())
	_, rightPort, _ := net.SplitHostPort(right.Listener.Addr().String())

	for _, base := range []string{"https://127.0.0.1:" + otherPort, "https://localhost:" + otherPort} {
		err := get(t, ca, base)
		if err == nil || !strings.Contains(err.Error(), "the certificate is not valid for") || !strings.Contains(err.Error(), "other.example, 192.0.2.7") {
			t.Errorf("%s with a certificate for another host: err = %v", base, err)
		}
	}
	for _, base := range []string{"https://127.0.0.1:" + rightPort, "https://localhost:" + rightPort} {
		if err := get(t, ca, base); err != nil {
			t.Errorf("%s with its own certificate: %v", base, err)
		}
	}
	// A pin is checked instead of the host: a self-signed certificate without the right names passes.
	sum := sha256.Sum256(other.Certificate().Raw)
	tr, _ := NewTransport(TLSOptions{Fingerprint: sum[:], Host: "127.0.0.1"})
	u, _ := url.Parse("https://127.0.0.1:" + otherPort)
	c, _ := New(Options{BaseURL: u, Mode: "key", APIKey: testKey, Transport: tr})
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/api/v2/system/version"}); err != nil {
		t.Errorf("pinned: %v", err)
	}
	if _, err := NewTransport(TLSOptions{Verify: true}); err == nil {
		t.Error("a verifying transport without the host was accepted")
	}
}
