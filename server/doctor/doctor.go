// Package doctor is `pfsense-mcp doctor`: it checks a configuration step by step, before an MCP
// client starts the server, and says in plain words what to fix. The steps: the configuration
// itself, the URL, TLS (with the certificate's fingerprint and how to pin it), the credentials,
// KeyAuth, the firewall's REST API version against the tools' spec, the installed packages and
// the tools that need missing ones, whether the credentials may read and write, and what the
// chosen settings expose (tools and bytes of definitions). It reads only (GET requests, through
// server/pfclient and server/probe), never prints a secret, and ends with ErrProblems when a
// step failed.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/probe"
)

// Command is the subcommand's name: `pfsense-mcp doctor [flags]`.
const Command = "doctor"

// ErrProblems is returned when at least one step failed (the report says which and how to fix
// it): the command exits with status 1.
var ErrProblems = errors.New("doctor found problems")

// Env is what Run needs from the process.
type Env struct {
	Args           []string // after "doctor": the server's own flags.
	Getenv         func(string) string
	Stdout, Stderr io.Writer
	// StartDemo starts the built-in simulator and points cfg at it, for `doctor --demo`; nil
	// refuses --demo.
	StartDemo func(cfg *config.Config) (stop func(), err error)
	// Tools and ToolsVersion are the tool table; nil means tooldefs (the generated one).
	Tools        []toolspec.Tool
	ToolsVersion string
}

// requestTimeout bounds each request: a doctor answers in seconds, not after the server's 30 s.
const requestTimeout = 10 * time.Second

// Run checks the configuration given by env and prints the report to env.Stdout.
func Run(ctx context.Context, env Env) error {
	if env.Tools == nil {
		env.Tools, env.ToolsVersion = tooldefs.Tools, tooldefs.SpecVersion
	}
	r := &report{w: env.Stdout}
	cfg, err := config.Load(env.Args, env.Getenv, env.Stderr)
	if errors.Is(err, config.ErrHelp) {
		return err
	}
	if err != nil {
		r.fail("Configuration", err.Error(), "fix the setting named above (see the configuration table in README.md)")
		return r.finish()
	}
	if cfg.Demo {
		if env.StartDemo == nil {
			r.fail("Configuration", "--demo is not available here", "give PFSENSE_URL and credentials instead")
			return r.finish()
		}
		stop, err := env.StartDemo(cfg)
		if err != nil {
			r.fail("Configuration", "the demo simulator did not start: "+err.Error(), "")
			return r.finish()
		}
		defer stop()
	}
	inv, err := inventory.New(env.Tools, inventory.Options{AllowWrites: cfg.AllowWrites, AllowDangerous: cfg.AllowDangerous, Modules: cfg.Modules})
	if err != nil {
		r.fail("Configuration", err.Error(), "")
		return r.finish()
	}
	client, tr, err := newClient(cfg, inv)
	if err != nil {
		r.fail("Configuration", err.Error(), "")
		return r.finish()
	}
	defer tr.CloseIdleConnections() // before the demo stops: it waits for open connections.
	c := &checkup{ctx: ctx, cfg: cfg, inv: inv, fw: client, r: r, toolsVersion: env.ToolsVersion}
	fmt.Fprintf(r.w, "pfsense-mcp doctor: checking %s with tools from the REST API %s spec (%d tools)\n\n", cfg.URL.Redacted(), env.ToolsVersion, len(env.Tools))
	r.ok("Configuration", c.settings())
	c.run()
	return r.finish()
}

func newClient(cfg *config.Config, inv *inventory.Inventory) (*pfclient.Client, *http.Transport, error) {
	tr, err := pfclient.NewTransport(pfclient.TLSOptions{Verify: cfg.TLSVerify, CAFile: cfg.CAFile, Fingerprint: cfg.TLSFingerprint, Host: cfg.URL.Hostname()})
	if err != nil {
		return nil, nil, fmt.Errorf("PFSENSE_CA_FILE: %w", err)
	}
	timeout := cfg.Timeout
	if timeout > requestTimeout {
		timeout = requestTimeout
	}
	c, err := pfclient.New(pfclient.Options{
		BaseURL: cfg.URL, Mode: cfg.AuthMode, APIKey: cfg.APIKey, Username: cfg.Username, Password: cfg.Password,
		Timeout: timeout, Transport: tr, Refuse: inv.Refusals(), Logger: slog.New(slog.DiscardHandler),
	})
	return c, tr, err
}

// report prints one line per step, with what to fix under a failed or doubtful one.
type report struct {
	w        io.Writer
	failures int
	warnings int
}

func (r *report) line(tag, step, msg, fix string) {
	fmt.Fprintf(r.w, "%-6s %s: %s\n", tag, step, msg)
	if fix != "" {
		fmt.Fprintf(r.w, "       fix: %s\n", fix)
	}
}

func (r *report) ok(step, msg string)   { r.line("[ok]", step, msg, "") }
func (r *report) info(step, msg string) { r.line("[info]", step, msg, "") }
func (r *report) skip(step, why string) { r.line("[skip]", step, "not checked: "+why, "") }
func (r *report) warn(step, msg, fix string) {
	r.warnings++
	r.line("[warn]", step, msg, fix)
}
func (r *report) fail(step, msg, fix string) {
	r.failures++
	r.line("[FAIL]", step, msg, fix)
}

func (r *report) finish() error {
	fmt.Fprintln(r.w)
	switch {
	case r.failures > 0:
		fmt.Fprintf(r.w, "%s found: fix the lines marked FAIL, then run `pfsense-mcp doctor` again.\n", plural(r.failures, "problem"))
		return ErrProblems
	case r.warnings > 0:
		fmt.Fprintf(r.w, "No problem that stops the server; %s above worth a look.\n", plural(r.warnings, "warning"))
	default:
		fmt.Fprintln(r.w, "All checks passed.")
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// checkup runs the steps; each later step relies on what the earlier ones learned.
type checkup struct {
	ctx          context.Context
	cfg          *config.Config
	inv          *inventory.Inventory
	fw           *pfclient.Client
	r            *report
	toolsVersion string

	credentialsOK bool
	facts         probe.Facts
}

// settings describes the configuration without a secret: where each credential comes from, never
// its value.
func (c *checkup) settings() string {
	cfg := c.cfg
	var auth string
	switch cfg.AuthMode {
	case "key":
		auth = "API key (X-API-Key)"
	case "basic":
		auth = "BasicAuth as " + cfg.Username
	case "jwt":
		auth = "JWT obtained with BasicAuth as " + cfg.Username
	}
	access := "read-only"
	switch {
	case cfg.AllowWrites && cfg.AllowDangerous:
		access = "writes and dangerous operations enabled"
	case cfg.AllowWrites:
		access = "writes enabled"
	}
	return fmt.Sprintf("auth %s; %s; tool mode %s", auth, access, cfg.Mode)
}

func (c *checkup) run() {
	if !c.reachable() {
		for _, s := range []string{"Credentials", "KeyAuth", "REST API version", "Packages", "Read and write", "Interface names"} {
			c.r.skip(s, "the firewall could not be reached safely (above)")
		}
		c.exposure()
		return
	}
	c.credentials()
	c.version()
	c.packages()
	c.readWrite()
	c.interfaceNames()
	c.exposure()
}

// reachable checks the URL and TLS with a GET of / without credentials (the web GUI's login page
// on a real firewall): it proves the address, the port and the certificate without an
// authentication attempt the firewall would log.
func (c *checkup) reachable() bool {
	start := time.Now()
	a, err := c.fw.Public(c.ctx, "/")
	host := c.cfg.URL.Host
	if err != nil {
		var tlsErr *pfclient.TLSError
		if errors.As(err, &tlsErr) {
			c.r.ok("URL", fmt.Sprintf("%s answered (a TLS handshake took place)", host))
			if tlsErr.Fingerprint == "" {
				c.r.fail("TLS", tlsErr.Reason, "check PFSENSE_URL: the host does not present a usable certificate")
				return false
			}
			c.r.fail("TLS", tlsErr.Reason+"; the firewall presented a certificate with SHA-256 fingerprint "+tlsErr.Fingerprint,
				"check that fingerprint against the firewall's own (System > Certificates, or `openssl s_client -connect "+host+
					" </dev/null | openssl x509 -noout -fingerprint -sha256` from a trusted network); if it matches, set PFSENSE_TLS_FINGERPRINT="+
					tlsErr.Fingerprint+", or give the CA that signed it with PFSENSE_CA_FILE")
			return false
		}
		var ce *pfclient.ConnectionError
		if errors.As(err, &ce) && ce.Timeout {
			c.r.fail("URL", fmt.Sprintf("no answer from %s within %s", host, requestTimeout),
				"check the address and port in PFSENSE_URL, that the firewall is up, and that its rules let this machine reach the web GUI port")
			return false
		}
		c.r.fail("URL", fmt.Sprintf("cannot reach %s: %v", host, rootCause(err)),
			"check the address and port in PFSENSE_URL (https://host[:port]) and that the firewall's web GUI listens there")
		return false
	}
	c.r.ok("URL", fmt.Sprintf("%s answered in %d ms", host, time.Since(start).Milliseconds()))
	pin := "PFSENSE_TLS_FINGERPRINT=" + a.Fingerprint
	switch {
	case c.cfg.TLSFingerprint != nil:
		c.r.ok("TLS", "the certificate matches PFSENSE_TLS_FINGERPRINT ("+a.Fingerprint+")")
	case !c.cfg.TLSVerify:
		c.r.warn("TLS", "certificate checks are off (PFSENSE_TLS_VERIFY=false): anyone on the path could pose as the firewall; it presented SHA-256 "+a.Fingerprint,
			"check that fingerprint against the firewall's (System > Certificates), then set "+pin+" and drop PFSENSE_TLS_VERIFY=false")
	case c.cfg.CAFile != "":
		c.r.ok("TLS", "the certificate is signed by the CA in PFSENSE_CA_FILE (SHA-256 "+a.Fingerprint+"; to pin it instead: "+pin+")")
	default:
		c.r.ok("TLS", "the certificate is signed by a CA this system trusts (SHA-256 "+a.Fingerprint+"; to pin it instead: "+pin+")")
	}
	return true
}

// rootCause is the innermost error, without the request details the step already says.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// credentials reads the REST API version with the configured credentials, then says whether
// KeyAuth is enabled.
func (c *checkup) credentials() {
	err := c.learn().VersionErr
	var apiErr *pfclient.APIError
	switch {
	case err == nil:
		c.credentialsOK = true
		c.r.ok("Credentials", "the firewall accepted them ("+c.settingsAuth()+")")
	case errors.As(err, &apiErr) && apiErr.HTTPStatus == http.StatusUnauthorized:
		c.r.fail("Credentials", "the firewall refused them ("+apiErr.Error()+")", c.credentialsFix())
	case errors.As(err, &apiErr) && apiErr.HTTPStatus == http.StatusForbidden:
		c.credentialsOK = true
		c.r.warn("Credentials", "accepted, but they may not read the REST API version ("+apiErr.Error()+")",
			"give the user the privilege api-v2-system-restapi-version-get (or page-all)")
	case errors.As(err, &apiErr) && apiErr.ResponseID == "" && apiErr.HTTPStatus == http.StatusNotFound:
		c.r.fail("Credentials", "not checked: the firewall has no REST API at /api/v2 ("+apiErr.Message+")",
			"install the REST API package (pfSense-pkg-RESTAPI, see https://pfrest.org) or check the port in PFSENSE_URL")
	case errors.As(err, &apiErr) && apiErr.ResponseID == "ENDPOINT_REST_API_IS_NOT_ENABLED":
		c.r.fail("Credentials", "not checked: the REST API is installed but disabled", "enable it in System > REST API > Settings")
	default:
		c.r.fail("Credentials", "reading the REST API version failed: "+err.Error(), "")
	}
	c.keyAuth(err)
}

func (c *checkup) settingsAuth() string {
	if c.cfg.AuthMode == "key" {
		return "API key"
	}
	return c.cfg.AuthMode + " as " + c.cfg.Username
}

func (c *checkup) credentialsFix() string {
	if c.cfg.AuthMode == "key" {
		return "check PFSENSE_API_KEY (or the file in PFSENSE_API_KEY_FILE) against System > REST API > Keys; the KeyAuth line says whether keys are accepted at all"
	}
	method := map[string]string{"basic": "BasicAuth", "jwt": "JWTAuth"}[c.cfg.AuthMode]
	return "check PFSENSE_USERNAME and PFSENSE_PASSWORD (a user of the firewall), and that " + method +
		" is among the Authentication Methods in System > REST API > Settings"
}

// keyAuth says whether the REST API accepts API keys. With working key credentials it does; with
// a refused key, the settings are read with BasicAuth, when that is configured, to tell a wrong
// key from KeyAuth being off.
func (c *checkup) keyAuth(versionErr error) {
	const step = "KeyAuth"
	key := c.cfg.AuthMode == "key"
	switch {
	case key && versionErr == nil:
		c.r.ok(step, "enabled: the key was accepted")
		return
	case key && !c.fw.HasBasicAuth():
		if isStatus(versionErr, http.StatusUnauthorized) {
			c.r.skip(step, "a refused key may be a wrong key or KeyAuth turned off; with PFSENSE_USERNAME and PFSENSE_PASSWORD set, doctor can tell which (or look at Authentication Methods in System > REST API > Settings)")
		} else {
			c.r.skip(step, "the credentials did not work")
		}
		return
	case !key && versionErr != nil:
		c.r.skip(step, "the credentials did not work")
		return
	}
	// Key refused with BasicAuth at hand, or BasicAuth/JWT in use: read the settings.
	resp, err := c.fw.Do(c.ctx, pfclient.Request{Method: http.MethodGet, Path: "/api/v2/system/restapi/settings", BasicAuthOnly: key})
	if err != nil {
		if key && isStatus(err, http.StatusUnauthorized) {
			c.r.fail(step, "not known: PFSENSE_USERNAME and PFSENSE_PASSWORD were refused too", "check PFSENSE_USERNAME and PFSENSE_PASSWORD")
			return
		}
		c.r.warn(step, "could not read the REST API settings: "+err.Error(), "")
		return
	}
	methods := authMethods(resp)
	enabled := contains(methods, "KeyAuth")
	switch {
	case key && !enabled:
		c.r.fail(step, "not enabled: the REST API accepts only "+strings.Join(methods, ", ")+", so every key is refused",
			"add KeyAuth to Authentication Methods in System > REST API > Settings (or PATCH /api/v2/system/restapi/settings)")
	case key:
		c.r.ok(step, "enabled ("+strings.Join(methods, ", ")+"): so the key itself is not one the firewall knows")
	case enabled:
		c.r.info(step, "enabled, not used: the server authenticates with "+c.cfg.AuthMode+" (methods: "+strings.Join(methods, ", ")+")")
	default:
		c.r.info(step, "not enabled, not needed: the server authenticates with "+c.cfg.AuthMode+" (methods: "+strings.Join(methods, ", ")+")")
	}
}

func isStatus(err error, status int) bool {
	var apiErr *pfclient.APIError
	return errors.As(err, &apiErr) && apiErr.HTTPStatus == status
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
