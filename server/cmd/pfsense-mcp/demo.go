package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/selfsigned"
)

// demoFirewall is the in-process simulator that --demo serves over loopback HTTPS, so demo
// calls take exactly the path real ones do: TLS (pinned), API key, envelope, errors.
type demoFirewall struct {
	srv *http.Server
}

// startDemo starts the simulator and points cfg at it.
func startDemo(cfg *config.Config, log *slog.Logger) (*demoFirewall, error) {
	key := make([]byte, 24)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	apiKey := hex.EncodeToString(key)
	sim, err := simulator.New(simulator.Options{APIKey: apiKey})
	if err != nil {
		return nil, err
	}
	cert, err := selfsigned.New()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert.TLS}, MinVersion: tls.VersionTLS12}}
	go func() {
		if err := srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("the demo simulator stopped", "error", err)
		}
	}()
	pin, err := config.ParseFingerprint(cert.FingerprintSHA256)
	if err != nil {
		return nil, err
	}
	cfg.URL = &url.URL{Scheme: "https", Host: ln.Addr().String()}
	cfg.APIKey, cfg.AuthMode = apiKey, "key"
	cfg.Username, cfg.Password = "admin", "pfsense" // the simulator's factory BasicAuth, for /auth/key and /auth/jwt
	cfg.TLSVerify, cfg.TLSFingerprint = true, pin
	return &demoFirewall{srv: srv}, nil
}

// Close stops the simulator.
func (d *demoFirewall) Close() {
	// Short: the server must end within a second of SIGTERM.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_ = d.srv.Shutdown(ctx)
}
