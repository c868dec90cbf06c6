// Package target provides the firewalls the bank tester's workers run tasks against: by
// default a pfSense simulator per worker (in process, over HTTPS on 127.0.0.1), or a golden VM
// per worker. Each worker owns its target; a task that powers it off (halt) or leaves it
// unreachable makes the worker start a new one.
package target

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/selfsigned"
)

// Firewall is what the MCP server needs to reach a firewall.
type Firewall struct {
	URL             string // https://host:port
	APIKey          string
	CertFingerprint string // hex SHA-256 of the certificate, for pinning
	// Username and Password are for the BasicAuth-only endpoints (POST /auth/key, /auth/jwt).
	Username, Password string
}

// Running is a started target.
type Running interface {
	Firewall() Firewall
	// Healthy says whether the firewall still answers (a halt powers it off).
	Healthy(ctx context.Context) bool
	Close() error
}

// Resetter is a target that can go back to the state it started in, so that every task
// finds the same firewall whatever ran before it on the worker.
type Resetter interface {
	Reset(ctx context.Context) error
}

// Provider starts targets, one per worker.
type Provider interface {
	Name() string
	Start(ctx context.Context, worker int) (Running, error)
}

// ---- simulator ----

// Simulator starts an in-process pfSense simulator per worker.
type Simulator struct {
	Logger *slog.Logger
}

// Name implements Provider.
func (Simulator) Name() string { return "sim" }

type simTarget struct {
	sim    *simulator.Simulator
	seed   []byte // the state at start, for Reset
	fw     Firewall
	srv    *http.Server
	ln     net.Listener
	client *http.Client

	mu     sync.Mutex
	closed bool
}

// Start implements Provider: a simulator with KeyAuth enabled and a fresh API key, served over
// HTTPS with a new self-signed certificate. A halt powers it off, as it would a VM.
func (p Simulator) Start(ctx context.Context, worker int) (Running, error) {
	keyBytes := make([]byte, 24)
	if _, err := rand.Read(keyBytes); err != nil {
		return nil, err
	}
	key := hex.EncodeToString(keyBytes)
	t := &simTarget{}
	logger := p.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	sim, err := simulator.New(simulator.Options{
		APIKey: key,
		Logger: logger,
		// A halt powers the firewall off: stop serving once the answer is out.
		OnHalt: func() { t.shutdown() },
	})
	if err != nil {
		return nil, fmt.Errorf("worker %d: start simulator: %w", worker, err)
	}
	var seed bytes.Buffer
	if err := sim.Save(&seed); err != nil {
		return nil, fmt.Errorf("worker %d: simulator state: %w", worker, err)
	}
	t.sim, t.seed = sim, seed.Bytes()
	cert, err := selfsigned.New()
	if err != nil {
		return nil, fmt.Errorf("worker %d: simulator certificate: %w", worker, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("worker %d: listen: %w", worker, err)
	}
	t.ln = ln
	t.srv = &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert.TLS}, MinVersion: tls.VersionTLS12},
		ErrorLog:  slog.NewLogLogger(logger.Handler(), slog.LevelDebug)}
	go func() {
		if err := t.srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("simulator stopped", "worker", worker, "error", err)
		}
	}()
	t.fw = Firewall{URL: "https://" + ln.Addr().String(), APIKey: key, CertFingerprint: cert.FingerprintSHA256,
		Username: "admin", Password: "pfsense"}
	t.client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: cert.Pool}}}
	return t, nil
}

func (t *simTarget) Firewall() Firewall { return t.fw }

func (t *simTarget) Healthy(ctx context.Context) bool {
	t.mu.Lock()
	closed := t.closed
	t.mu.Unlock()
	if closed {
		return false
	}
	return Probe(ctx, t.client, t.fw)
}

// Reset restores the state the simulator started with.
func (t *simTarget) Reset(context.Context) error {
	return t.sim.Load(bytes.NewReader(t.seed))
}

// shutdown stops serving after the requests in flight (the halt itself) are answered.
func (t *simTarget) shutdown() {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.closed = true
	t.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = t.srv.Shutdown(ctx)
}

func (t *simTarget) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	t.closed = true
	return t.srv.Close()
}

// Probe asks the firewall for its version with the API key.
func Probe(ctx context.Context, client *http.Client, fw Firewall) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fw.URL+"/api/v2/system/version", nil)
	if err != nil {
		return false
	}
	req.Header.Set("X-API-Key", fw.APIKey)
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
