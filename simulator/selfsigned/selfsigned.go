// Package selfsigned makes the simulator's HTTPS certificate: a fresh self-signed ECDSA
// P-256 certificate for 127.0.0.1, ::1 and localhost (plus any extra names), as a firewall
// with its default webConfigurator certificate would present.
package selfsigned

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"time"
)

// Cert is a generated certificate with what clients need to trust it.
type Cert struct {
	TLS tls.Certificate
	// FingerprintSHA256 is the SHA-256 of the certificate (DER), lowercase hex.
	FingerprintSHA256 string
	// Pool trusts exactly this certificate.
	Pool *x509.CertPool
}

// New generates a certificate valid for a year for localhost and the given hosts.
func New(hosts ...string) (*Cert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, fmt.Errorf("serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "pfSense-sim", Organization: []string{"pfSense webConfigurator Self-Signed Certificate"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse certificate: %w", err)
	}
	sum := sha256.Sum256(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &Cert{
		TLS:               tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
		FingerprintSHA256: hex.EncodeToString(sum[:]),
		Pool:              pool,
	}, nil
}
