// Command pfsense-mcp is an MCP server for the pfSense REST API v2: one tool per API
// operation, generated from the API's OpenAPI spec, read-only unless writes are enabled.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/overview"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, config.ErrHelp):
	default:
		fmt.Fprintln(os.Stderr, "pfsense-mcp:", err)
		os.Exit(2)
	}
}

// run is main with its dependencies injected, for tests.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := config.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel, stderr)
	if cfg.AuditWarning != "" {
		log.Warn(cfg.AuditWarning)
	}

	var demo *demoFirewall
	if cfg.Demo {
		if demo, err = startDemo(cfg, log); err != nil {
			return fmt.Errorf("start the demo simulator: %w", err)
		}
		defer demo.Close()
	}

	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: cfg.AllowWrites, AllowDangerous: cfg.AllowDangerous, Modules: cfg.Modules})
	if err != nil {
		return err
	}
	client, err := newClient(cfg, inv, log)
	if err != nil {
		return err
	}
	var auditLog *audit.Log
	if cfg.AuditLog != "" {
		if auditLog, err = audit.Open(cfg.AuditLog); err != nil {
			return fmt.Errorf("PFSENSE_AUDIT_LOG: %w", err)
		}
		defer auditLog.Close()
	}
	d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: client, Audit: auditLog, ExposeSecrets: cfg.ExposeSecrets, Logger: log})
	srv := mcpserver.New(d, mcpserver.Options{Mode: cfg.Mode, AllowWrites: cfg.AllowWrites, SpecVersion: tooldefs.SpecVersion, Dialect: cfg.SchemaDialect})

	go checkVersion(ctx, d, log)
	logStart(log, cfg, inv, demo)

	switch cfg.Transport {
	case config.TransportHTTP:
		return mcpserver.ServeHTTP(ctx, srv, cfg.HTTPAddr, cfg.HTTPToken, log, func(a net.Addr) {
			log.Info("serving MCP over streamable HTTP", "url", mcpserver.URL(a), "bearer_token_required", cfg.HTTPToken != "")
		})
	default:
		err := mcpserver.ServeStdio(ctx, srv, stdin, stdout)
		if errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
}

func newClient(cfg *config.Config, inv *inventory.Inventory, log *slog.Logger) (*pfclient.Client, error) {
	tr, err := pfclient.NewTransport(pfclient.TLSOptions{Verify: cfg.TLSVerify, CAFile: cfg.CAFile, Fingerprint: cfg.TLSFingerprint})
	if err != nil {
		return nil, fmt.Errorf("PFSENSE_CA_FILE: %w", err)
	}
	if !cfg.TLSVerify && cfg.TLSFingerprint == nil {
		log.Warn("TLS verification is off: anyone on the path could impersonate the firewall; pin its certificate with PFSENSE_TLS_FINGERPRINT instead")
	}
	return pfclient.New(pfclient.Options{
		BaseURL: cfg.URL, Mode: cfg.AuthMode, APIKey: cfg.APIKey, Username: cfg.Username, Password: cfg.Password,
		Timeout: cfg.Timeout, Transport: tr, Blocked: inv.Blocked(), Retries: 2, Logger: log,
	})
}

// checkVersion warns once when the firewall's REST API differs from the spec's version.
func checkVersion(ctx context.Context, d *toolcall.Dispatcher, log *slog.Logger) {
	if msg := overview.VersionWarning(ctx, d, tooldefs.SpecVersion); msg != "" {
		log.Warn(msg)
		d.SetNote(msg)
	}
}

func logStart(log *slog.Logger, cfg *config.Config, inv *inventory.Inventory, demo *demoFirewall) {
	target := "demo simulator"
	if demo == nil {
		target = cfg.URL.String()
	}
	access := "read-only"
	if cfg.AllowWrites {
		access = "writes enabled (each change needs confirm=true)"
	}
	log.Info("pfsense-mcp starting", "firewall", target, "tools", len(inv.Exposed()), "of", len(tooldefs.Tools),
		"mode", string(cfg.Mode), "access", access, "spec", tooldefs.SpecVersion, "transport", string(cfg.Transport))
	if demo != nil && cfg.Transport == config.TransportStdio {
		log.Info("this is an MCP server speaking JSON-RPC on stdin/stdout: connect an MCP client to it (see README.md); " +
			"in demo mode, --allow-writes is safe to try: changes go to the simulator")
	}
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
