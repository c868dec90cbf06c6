package pfclient

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// TLSOptions says how the firewall's certificate is checked.
type TLSOptions struct {
	Verify      bool   // verify against the system roots (plus CAFile); false disables all checks.
	CAFile      string // PEM bundle of extra trusted CAs.
	Fingerprint []byte // SHA-256 of the leaf certificate: when set, it is the only check.
	// Host is the firewall's host as PFSENSE_URL names it (a DNS name or an IP address), which
	// the certificate must be valid for. Go leaves the TLS server name empty for an IP address,
	// so it cannot come from the handshake: without Host, any certificate of a trusted CA would
	// pass for an IP URL.
	Host string
}

// TLSError explains a certificate problem and how to fix it.
type TLSError struct {
	Reason      string
	Fingerprint string // of the certificate the firewall presented, to pin it.
}

func (e *TLSError) Error() string {
	msg := "TLS: " + e.Reason
	if e.Fingerprint != "" {
		msg += fmt.Sprintf("; the firewall presented a certificate with SHA-256 fingerprint %s: if that is your firewall's, set PFSENSE_TLS_FINGERPRINT=%s", e.Fingerprint, e.Fingerprint)
	}
	return msg
}

// Fingerprint formats a certificate's SHA-256 fingerprint as colon-separated upper-case hex.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// NewTransport returns an HTTP transport that checks the firewall's certificate as o says.
func NewTransport(o TLSOptions) (*http.Transport, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	switch {
	case o.Fingerprint != nil:
		want := append([]byte(nil), o.Fingerprint...)
		// The pin replaces chain verification: self-signed firewall certificates are the norm.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &TLSError{Reason: "the firewall presented no certificate"}
			}
			leaf := cs.PeerCertificates[0]
			got := sha256.Sum256(leaf.Raw)
			if string(got[:]) != string(want) {
				return &TLSError{Reason: "the certificate does not match PFSENSE_TLS_FINGERPRINT", Fingerprint: Fingerprint(leaf.Raw)}
			}
			return nil
		}
	case !o.Verify:
		cfg.InsecureSkipVerify = true
	default:
		var extra []byte
		if o.CAFile != "" {
			pem, err := os.ReadFile(o.CAFile)
			if err != nil {
				return nil, fmt.Errorf("read CA file: %w", err)
			}
			if !x509.NewCertPool().AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("CA file %s holds no PEM certificate", o.CAFile)
			}
			extra = pem
		}
		// Loading the system roots costs ~15 ms: do it on the first handshake, not at start-up.
		roots := sync.OnceValue(func() *x509.CertPool {
			pool, err := x509.SystemCertPool()
			if err != nil {
				pool = x509.NewCertPool()
			}
			if extra != nil {
				pool.AppendCertsFromPEM(extra)
			}
			return pool
		})
		// Verify by hand to turn x509 failures into advice (with the fingerprint to pin).
		if o.Host == "" {
			return nil, errors.New("TLS verification needs the firewall's host name or address")
		}
		host := strings.Trim(o.Host, "[]") // an IPv6 literal as URL.Hostname gives it, or bracketed
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &TLSError{Reason: "the firewall presented no certificate"}
			}
			leaf := cs.PeerCertificates[0]
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			// x509 checks an IP address in DNSName against the certificate's IP SANs.
			_, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots(), Intermediates: inter})
			if err == nil {
				return nil
			}
			var unknown x509.UnknownAuthorityError
			var host x509.HostnameError
			switch {
			case errors.As(err, &unknown):
				return &TLSError{Reason: "the certificate is not signed by a trusted CA (self-signed?); pin it or give PFSENSE_CA_FILE", Fingerprint: Fingerprint(leaf.Raw)}
			case errors.As(err, &host):
				return &TLSError{Reason: fmt.Sprintf("the certificate is not valid for %q (it names %s)", host, certNames(leaf)), Fingerprint: Fingerprint(leaf.Raw)}
			default:
				return &TLSError{Reason: err.Error(), Fingerprint: Fingerprint(leaf.Raw)}
			}
		}
	}
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     cfg,
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}, nil
}

// certNames lists the names and addresses a certificate is valid for, for messages.
func certNames(c *x509.Certificate) string {
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return "no names"
	}
	return strings.Join(names, ", ")
}
