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
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/doctor"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/probe"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// shutdownLimit bounds how long the server takes to end after SIGINT or SIGTERM: the
// transports close their sessions and streams at once, and what is still running after this
// (a call waiting on the firewall) is cut. Every audit entry is on disk when it is written.
const shutdownLimit = 800 * time.Millisecond

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		time.Sleep(shutdownLimit)
		os.Exit(0)
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, config.ErrHelp):
	case errors.Is(err, doctor.ErrProblems):
		os.Exit(1) // the report said what is wrong.
	default:
		fmt.Fprintln(os.Stderr, "pfsense-mcp:", err)
		os.Exit(2)
	}
}

// run is main with its dependencies injected, for tests.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if handled, err := runCommand(ctx, args, getenv, stdout, stderr); handled {
		return err
	}
	cfg, err := config.Load(args, getenv, stderr)
	if errors.Is(err, config.ErrNoFirewall) && !explicitlyOff(getenv("PFSENSE_DEMO")) {
		// Nothing names a firewall: serve the simulator, as --demo would, and say so loudly.
		if cfg, err = config.Load(append([]string{"--demo"}, args...), getenv, stderr); err == nil {
			cfg.DemoFallback = true
		}
	}
	if errors.Is(err, config.ErrHelp) {
		printCommands(stderr)
	}
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel, stderr, ownSecrets(cfg))
	if cfg.DemoFallback {
		log.Warn("no firewall is configured (PFSENSE_URL is not set): serving the built-in pfSense simulator, not a real firewall; " +
			"set PFSENSE_URL and PFSENSE_API_KEY to manage one (pfsense-mcp doctor checks the settings)")
	}
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
	// What the firewall has (version, its own spec, packages) is probed in the background: the
	// first tools/list does not wait, and the list is refreshed when the facts change it.
	var srv *mcpserver.Server
	var d *toolcall.Dispatcher
	prober := probe.New(probe.Options{Firewall: client, Inventory: inv, ToolsVersion: tooldefs.SpecVersion, Logger: log,
		OnChange: func() { srv.Refresh() }, OnWarning: func(w string) { d.SetNote(w) }})
	d = toolcall.New(toolcall.Options{Inventory: inv, Firewall: client, Audit: auditLog, ExposeSecrets: cfg.ExposeSecrets, Logger: log, Facts: prober,
		Confirm: cfg.Confirm, Guard: lockoutGuard(cfg, client), Secrets: ownSecrets(cfg)})
	srv = mcpserver.New(d, mcpserver.Options{Mode: cfg.Mode, AllowWrites: cfg.AllowWrites, SpecVersion: tooldefs.SpecVersion, PageSize: cfg.ToolsPageSize,
		Dialect: cfg.SchemaDialect, Demo: cfg.Demo})
	logStart(log, cfg, inv, demo)
	prober.Start(ctx)

	switch cfg.Transport {
	case config.TransportHTTP:
		return mcpserver.ServeHTTP(ctx, srv, mcpserver.HTTPOptions{Addr: cfg.HTTPAddr, Token: cfg.HTTPToken, Origins: cfg.HTTPOrigins,
			MaxBody: cfg.HTTPMaxBody, SessionIdle: cfg.HTTPSessionIdle, Logger: log, Ready: func(a net.Addr) {
				log.Info("serving MCP over streamable HTTP", "url", mcpserver.URL(a), "bearer_token_required", cfg.HTTPToken != "")
			}})
	default:
		err := mcpserver.ServeStdio(ctx, srv, stdin, stdout)
		if errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
}

func newClient(cfg *config.Config, inv *inventory.Inventory, log *slog.Logger) (*pfclient.Client, error) {
	tr, err := pfclient.NewTransport(pfclient.TLSOptions{Verify: cfg.TLSVerify, CAFile: cfg.CAFile, Fingerprint: cfg.TLSFingerprint, Host: cfg.URL.Hostname()})
	if err != nil {
		return nil, fmt.Errorf("PFSENSE_CA_FILE: %w", err)
	}
	if !cfg.TLSVerify && cfg.TLSFingerprint == nil {
		log.Warn("TLS verification is off: anyone on the path could impersonate the firewall; pin its certificate with PFSENSE_TLS_FINGERPRINT instead")
	}
	return pfclient.New(pfclient.Options{
		BaseURL: cfg.URL, Mode: cfg.AuthMode, APIKey: cfg.APIKey, Username: cfg.Username, Password: cfg.Password,
		Timeout: cfg.Timeout, Transport: tr, Refuse: inv.Refusals(), Retries: 2, Logger: log,
	})
}

// explicitlyOff reports whether a boolean setting's text turns it off (PFSENSE_DEMO=false).
func explicitlyOff(v string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	return err == nil && !b
}

// demoForDoctor lets `pfsense-mcp doctor --demo` check the built-in simulator.
func demoForDoctor(cfg *config.Config) (func(), error) {
	demo, err := startDemo(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	return demo.Close, nil
}

func logStart(log *slog.Logger, cfg *config.Config, inv *inventory.Inventory, demo *demoFirewall) {
	target := "demo simulator"
	if demo == nil {
		target = cfg.URL.String()
	}
	access := "read-only"
	if cfg.AllowWrites {
		access = "writes enabled (each change needs a confirmation: " + string(cfg.Confirm) + ")"
	}
	log.Info("pfsense-mcp starting", "firewall", target, "tools", len(inv.Exposed()), "of", len(tooldefs.Tools),
		"mode", string(cfg.Mode), "access", access, "spec", tooldefs.SpecVersion, "transport", string(cfg.Transport))
	if demo != nil && cfg.Transport == config.TransportStdio {
		log.Info("this is an MCP server speaking JSON-RPC on stdin/stdout: connect an MCP client to it (see README.md); " +
			"in demo mode, --allow-writes is safe to try: changes go to the simulator")
	}
}

// newLogger logs to w at level, through the redactor: no line carries the server's own
// credentials or anything that looks like a secret.
func newLogger(level string, w io.Writer, secrets []string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	r := redact.New(nil)
	r.KnowLong(secrets...)
	return slog.New(redact.Handler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}), r))
}

// ownSecrets are the server's credentials, scrubbed from every answer, error and log line.
func ownSecrets(cfg *config.Config) []string {
	var out []string
	for _, s := range []string{cfg.APIKey, cfg.Password, cfg.HTTPToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// lockoutGuard protects this server's own path to the firewall, unless the operator turned it off.
func lockoutGuard(cfg *config.Config, client *pfclient.Client) *toolcall.Guard {
	if !cfg.LockoutGuard {
		return nil
	}
	port, _ := strconv.Atoi(cfg.URL.Port())
	return toolcall.NewGuard(toolcall.Self{Host: cfg.URL.Hostname(), Port: port, Scheme: cfg.URL.Scheme, AuthMode: cfg.AuthMode,
		Username: cfg.Username, APIKey: cfg.APIKey, Addrs: client.Addrs})
}
