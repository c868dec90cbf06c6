// Command pfsense-sim serves a simulated pfSense REST API v2 (see package simulator):
//
//	tools/bazel run //simulator:pfsense-sim -- --listen 127.0.0.1:8443
//
// It prints one line to stderr with the URL, the certificate's SHA-256 fingerprint and how
// to authenticate, then serves until SIGINT or SIGTERM (saving --state first).
package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/selfsigned"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "pfsense-sim:", err)
		os.Exit(1)
	}
}

type config struct {
	listen, spec, nativeSchema, state, keyFile, logLevel string
	plain                                                bool
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("pfsense-sim", flag.ContinueOnError)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8443", "address to listen on")
	fs.BoolVar(&c.plain, "plain-http", false, "serve plain HTTP instead of HTTPS")
	fs.StringVar(&c.spec, "spec", "", "OpenAPI spec (JSON) to simulate instead of the embedded one")
	fs.StringVar(&c.nativeSchema, "native", "", "native schema (GET /api/v2/schema/native) of the same REST API version; with --spec and without it, the spec alone")
	fs.StringVar(&c.state, "state", "", "JSON state file: restored at start when it exists, saved on SIGINT/SIGTERM, halt and reboot")
	fs.StringVar(&c.keyFile, "api-key-file", "", "create an API key (KeyAuth enabled) and write it to this file (mode 0600); an existing key in the file is reused")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return c, nil
}

var keyRe = regexp.MustCompile(`^[0-9a-f]{32,128}$`)

// apiKey reads the key in path, or makes one and writes it there (0600).
func apiKey(path string) (key string, created bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		k := strings.TrimSpace(string(b))
		if !keyRe.MatchString(k) {
			return "", false, fmt.Errorf("api key file %s does not hold an API key (32 to 128 lowercase hex characters)", path)
		}
		return k, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", false, fmt.Errorf("read api key file: %w", err)
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", false, err
	}
	k := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(k+"\n"), 0o600); err != nil {
		return "", false, fmt.Errorf("write api key file: %w", err)
	}
	return k, true, nil
}

// run serves until ctx ends (a signal) or the firewall halts, then saves --state.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	opts := simulator.Options{StateFile: c.state, Logger: log}
	if c.spec != "" {
		b, err := os.ReadFile(c.spec)
		if err != nil {
			return fmt.Errorf("read --spec: %w", err)
		}
		opts.Spec = b
		// Another spec without its native schema is simulated from the spec alone.
		opts.Native = []byte("{}")
	}
	if c.nativeSchema != "" {
		b, err := os.ReadFile(c.nativeSchema)
		if err != nil {
			return fmt.Errorf("read --native: %w", err)
		}
		opts.Native = b
	}
	keyNote := ""
	if c.keyFile != "" {
		k, created, err := apiKey(c.keyFile)
		if err != nil {
			return err
		}
		opts.APIKey = k
		keyNote = "; X-API-Key from " + c.keyFile
		if created {
			keyNote = "; new X-API-Key written to " + c.keyFile
		}
	}
	stop := make(chan string, 1)
	opts.OnHalt = func() { stop <- "halt" }
	var sim *simulator.Simulator
	// A reboot keeps serving (the firewall comes back); its state is saved as on halt.
	opts.OnReboot = func() {
		if err := sim.SaveFile(); err != nil {
			log.Error("save state on reboot", "err", err)
		}
	}
	sim, err = simulator.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	scheme, certNote := "http", "plain HTTP, no certificate"
	if !c.plain {
		host, _, _ := net.SplitHostPort(c.listen)
		cert, err := selfsigned.New(host)
		if err != nil {
			return err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert.TLS}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, srv.TLSConfig)
		scheme, certNote = "https", "certificate SHA-256 "+cert.FingerprintSHA256
	}
	fmt.Fprintf(stderr, "pfsense-sim: serving %s://%s (%s); BasicAuth admin:pfsense%s\n",
		scheme, ln.Addr(), certNote, keyNote)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		log.Info("shutting down", "reason", "signal")
	case why := <-stop:
		log.Info("shutting down", "reason", why)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("shutdown", "err", err)
	}
	if err := sim.SaveFile(); err != nil {
		return err
	}
	return nil
}
