// Package simtest starts a pfSense REST API simulator over real HTTPS for tests:
//
//	fw := simtest.Start(t, simulator.Options{APIKey: "0123..."})
//	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fw.CertPool}}}
//	resp, err := client.Get(fw.URL + "/api/v2/system/version")
//
// The server listens on 127.0.0.1 with a fresh self-signed certificate and stops when the
// test ends.
package simtest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/selfsigned"
)

// Firewall is a running simulator.
type Firewall struct {
	URL    string // https://127.0.0.1:PORT
	APIKey string // Options.APIKey ("" when KeyAuth is not enabled)
	// CertFingerprintSHA256 is the server certificate's SHA-256 (DER), lowercase hex, for
	// clients that pin it.
	CertFingerprintSHA256 string
	CertPool              *x509.CertPool // trusts the server certificate
	Sim                   *simulator.Simulator
	// Close stops the server early; it also runs at test cleanup.
	Close func()
}

// Start runs a simulator built from opts over HTTPS on 127.0.0.1.
func Start(t testing.TB, opts simulator.Options) *Firewall {
	t.Helper()
	sim, err := simulator.New(opts)
	if err != nil {
		t.Fatalf("simtest: new simulator: %v", err)
	}
	cert, err := selfsigned.New()
	if err != nil {
		t.Fatalf("simtest: certificate: %v", err)
	}
	srv := httptest.NewUnstartedServer(sim.Handler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLS}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	var once sync.Once
	stop := func() { once.Do(srv.Close) }
	t.Cleanup(stop)
	return &Firewall{
		URL:                   srv.URL,
		APIKey:                opts.APIKey,
		CertFingerprintSHA256: cert.FingerprintSHA256,
		CertPool:              cert.Pool,
		Sim:                   sim,
		Close:                 stop,
	}
}
