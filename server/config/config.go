// Package config reads the server's configuration from environment variables and matching
// command-line flags (a flag wins over its variable). Every problem is reported as one line that
// names the variable and says what would be valid; secrets never appear in errors.
package config

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ToolMode says how tools are offered to the client.
type ToolMode string

const (
	ModeFull      ToolMode = "full"      // every enabled tool is listed.
	ModeDiscovery ToolMode = "discovery" // a handful of tools: search, describe and call the rest.
)

// SchemaDialect says how tool input schemas are written for the client.
type SchemaDialect string

const (
	DialectStandard SchemaDialect = "standard"
	DialectStrict   SchemaDialect = "strict"
)

// Transport is how MCP clients connect.
type Transport string

const (
	TransportStdio Transport = "stdio"
	TransportHTTP  Transport = "http" // MCP streamable HTTP.
)

// ConfirmMode says who confirms a change.
type ConfirmMode string

const (
	// ConfirmHuman: a client that declares elicitation asks its user (showing the preview), and
	// otherwise confirm must carry the preview's token. The default.
	ConfirmHuman ConfirmMode = "human"
	// ConfirmToken: confirm must carry the preview's token; elicitation is never used (clients
	// that declare it but have nobody to ask, such as a model running unattended in a CI job).
	ConfirmToken ConfirmMode = "token"
	// ConfirmPlain: confirm=true is enough, as before previews carried tokens: for unattended
	// automation only.
	ConfirmPlain ConfirmMode = "plain"
)

// HTTP transport bounds (defaults; see the settings).
const (
	DefaultHTTPMaxBody     = 4 << 20
	DefaultHTTPSessionIdle = 30 * time.Minute
)

// Config is everything the server needs to run.
type Config struct {
	Demo bool // no firewall: serve an in-process simulator.
	// DemoFallback: Demo was not asked for; nothing about a firewall was configured, so the
	// server serves the simulator and says so (in its log and its instructions to the model).
	DemoFallback bool

	URL            *url.URL // https://host[:port] of the firewall.
	APIKey         string   // X-API-Key (secret).
	Username       string   // BasicAuth user for BasicAuth-only endpoints (or all, with AuthMode basic).
	Password       string   // BasicAuth password (secret).
	AuthMode       string   // "key", "basic" or "jwt": how ordinary calls authenticate.
	TLSVerify      bool     // verify the firewall's certificate (default true).
	CAFile         string   // extra CA bundle (PEM) for a private CA.
	TLSFingerprint []byte   // SHA-256 of the firewall's leaf certificate, pinned instead of a CA.
	Timeout        time.Duration

	AllowWrites    bool // mutation tools are exposed (each still needs a confirmation).
	AllowDangerous bool // dangerous effects (reboot, halt, command prompt, code, lockouts, ...) are allowed.
	Confirm        ConfirmMode
	// LockoutGuard refuses changes that would cut this server's own path to the firewall.
	LockoutGuard  bool
	ExposeSecrets bool     // return secrets instead of redacting them.
	Modules       []string // only tools of these modules; empty = all.
	Mode          ToolMode
	// ToolsPageSize pages tools/list (the client follows nextCursor); 0 lists every tool at once.
	ToolsPageSize int
	// SchemaDialect is how input schemas are listed: standard JSON Schema, or strict (no type
	// lists, no null in enums) for clients that accept no more.
	SchemaDialect SchemaDialect

	AuditLog string // JSON-lines audit log of mutations ("" disables; "-" is stderr).
	// AuditWarning explains why the audit log is off although nobody turned it off.
	AuditWarning string
	LogLevel     string // debug, info, warn, error.

	Transport Transport
	HTTPAddr  string // listen address for TransportHTTP.
	HTTPToken string // bearer token required on every HTTP request (secret).
	// HTTPOrigins are the browser origins allowed to call the HTTP transport besides loopback
	// ones (http(s)://localhost, 127.0.0.1, [::1] on any port); "*" allows every origin.
	HTTPOrigins     []string
	HTTPMaxBody     int64         // largest request body, in bytes.
	HTTPSessionIdle time.Duration // a session unused this long is closed.
}

// setting is one configuration item: a flag and the environment variable behind it.
type setting struct {
	flag, env, usage string
	isBool           bool
}

var settings = []setting{
	{flag: "demo", env: "PFSENSE_DEMO", usage: "no firewall: serve an in-process pfSense simulator", isBool: true},
	{flag: "url", env: "PFSENSE_URL", usage: "firewall URL, https://host[:port]"},
	{flag: "api-key", env: "PFSENSE_API_KEY", usage: "REST API key (prefer PFSENSE_API_KEY_FILE)"},
	{flag: "api-key-file", env: "PFSENSE_API_KEY_FILE", usage: "file holding the REST API key"},
	{flag: "username", env: "PFSENSE_USERNAME", usage: "BasicAuth user, for BasicAuth-only endpoints or auth mode basic/jwt"},
	{flag: "password", env: "PFSENSE_PASSWORD", usage: "BasicAuth password (prefer PFSENSE_PASSWORD_FILE)"},
	{flag: "password-file", env: "PFSENSE_PASSWORD_FILE", usage: "file holding the BasicAuth password"},
	{flag: "auth", env: "PFSENSE_AUTH", usage: "how calls authenticate: key, basic or jwt (default: key when an API key is set, else basic)"},
	{flag: "tls-verify", env: "PFSENSE_TLS_VERIFY", usage: "verify the firewall's TLS certificate (default true)", isBool: true},
	{flag: "ca-file", env: "PFSENSE_CA_FILE", usage: "PEM file of the CA that signed the firewall's certificate"},
	{flag: "tls-fingerprint", env: "PFSENSE_TLS_FINGERPRINT", usage: "pin the firewall's certificate by its SHA-256 fingerprint (hex, colons allowed)"},
	{flag: "timeout", env: "PFSENSE_TIMEOUT", usage: "timeout of one request to the firewall (default 30s)"},
	{flag: "allow-writes", env: "PFSENSE_ALLOW_WRITES", usage: "expose tools that change the firewall (each change still needs a confirmation)", isBool: true},
	{flag: "allow-dangerous", env: "PFSENSE_ALLOW_DANGEROUS", usage: "also allow dangerous effects: reboot, halt, command prompt, code execution, new logins, lockouts, bulk deletes, ...", isBool: true},
	{flag: "confirm", env: "PFSENSE_CONFIRM", usage: "who confirms a change: human (the client asks its user, else the preview's token is needed), token (always the token) or plain (confirm=true; unattended automation only)"},
	{flag: "lockout-guard", env: "PFSENSE_LOCKOUT_GUARD", usage: "refuse changes that would cut this server off the firewall (default true)", isBool: true},
	{flag: "expose-secrets", env: "PFSENSE_EXPOSE_SECRETS", usage: "return keys, passwords and hashes instead of redacting them", isBool: true},
	{flag: "modules", env: "PFSENSE_MODULES", usage: "comma-separated modules to expose, e.g. firewall,interface,vpn_wireguard (default all)"},
	{flag: "tool-mode", env: "PFSENSE_TOOL_MODE", usage: "full (every enabled tool) or discovery (search, describe and call tools)"},
	{flag: "tools-page-size", env: "PFSENSE_TOOLS_PAGE_SIZE", usage: "tools per tools/list page, for clients that want pages (default 0: all at once)"},
	{flag: "schema-dialect", env: "PFSENSE_SCHEMA_DIALECT", usage: "standard, or strict for clients that refuse type lists and null in enums (Gemini, OpenAI strict mode)"},
	{flag: "audit-log", env: "PFSENSE_AUDIT_LOG", usage: "JSON-lines audit log of mutations (default ~/.local/state/pfsense-mcp/audit.jsonl; 'off' disables)"},
	{flag: "log-level", env: "PFSENSE_LOG_LEVEL", usage: "debug, info, warn or error (default info; logs go to stderr)"},
	{flag: "transport", env: "PFSENSE_TRANSPORT", usage: "stdio or http (MCP streamable HTTP)"},
	{flag: "http-addr", env: "PFSENSE_HTTP_ADDR", usage: "listen address for --transport http (default 127.0.0.1:8080)"},
	{flag: "http-token", env: "PFSENSE_HTTP_TOKEN", usage: "bearer token every HTTP request must carry (required off loopback)"},
	{flag: "http-allowed-origins", env: "PFSENSE_HTTP_ALLOWED_ORIGINS", usage: "comma-separated browser origins allowed besides loopback ones, e.g. https://app.example (default none)"},
	{flag: "http-max-body", env: "PFSENSE_HTTP_MAX_BODY", usage: "largest HTTP request body in bytes (default 4194304)"},
	{flag: "http-session-idle", env: "PFSENSE_HTTP_SESSION_IDLE", usage: "close HTTP sessions unused this long (default 30m)"},
}

// Settings returns the flag and variable names with their usage, for documentation.
func Settings() [][3]string {
	out := make([][3]string, len(settings))
	for i, s := range settings {
		out[i] = [3]string{s.flag, s.env, s.usage}
	}
	return out
}

// ErrHelp is returned when -h or --help was given; usage has been printed.
var ErrHelp = flag.ErrHelp

// Load reads the configuration from args (without the program name) and getenv.
// usage receives the help text for -h.
func Load(args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	return load(args, getenv, usage, true)
}

// LoadOffline reads the configuration like Load but leaves the firewall's settings (URL,
// credentials, TLS) unread and unchecked, as if --demo were given: for commands that never
// contact the firewall, such as `pfsense-mcp tools`.
func LoadOffline(args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	return load(args, getenv, usage, false)
}

func load(args []string, getenv func(string) string, usage io.Writer, firewall bool) (*Config, error) {
	fs := flag.NewFlagSet("pfsense-mcp", flag.ContinueOnError)
	fs.SetOutput(usage)
	values := map[string]*string{}
	for _, s := range settings {
		v := new(string)
		values[s.flag] = v
		if s.isBool {
			fs.Func(s.flag, s.usage+" [$"+s.env+"]", boolFlag(v))
			// Let `--demo` work without a value, like a normal bool flag.
			continue
		}
		fs.StringVar(v, s.flag, "", s.usage+" [$"+s.env+"]")
	}
	fs.Usage = func() {
		fmt.Fprintf(usage, "Usage: pfsense-mcp [flags]\n\nAn MCP server for the pfSense REST API v2. Every flag has an environment variable (in brackets);\na flag wins over its variable.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(normalizeBoolFlags(args)); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: configuration is given by flags or PFSENSE_* variables", fs.Arg(0))
	}
	get := func(name string) (string, string) { // value, source name for errors
		s := find(name)
		set := false
		fs.Visit(func(f *flag.Flag) {
			if f.Name == name {
				set = true
			}
		})
		if set {
			return strings.TrimSpace(*values[name]), "--" + name
		}
		return strings.TrimSpace(getenv(s.env)), s.env
	}
	return build(get, getenv, firewall)
}

func find(name string) setting {
	for _, s := range settings {
		if s.flag == name {
			return s
		}
	}
	panic("config: unknown setting " + name)
}

// boolFlag stores the flag's text; an empty value (from `--demo`) means true.
func boolFlag(v *string) func(string) error {
	return func(s string) error {
		if s == "" {
			s = "true"
		}
		*v = s
		return nil
	}
}

// normalizeBoolFlags turns `--demo` (no value) into `--demo=true`: flag.Func cannot be valueless.
func normalizeBoolFlags(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(a, "-") && !strings.Contains(name, "=") {
			for _, s := range settings {
				if s.isBool && s.flag == name {
					a = a + "=true"
				}
			}
		}
		out = append(out, a)
	}
	return out
}

func build(get func(string) (string, string), getenv func(string) string, firewall bool) (*Config, error) {
	c := &Config{TLSVerify: true, Timeout: 30 * time.Second, Mode: ModeFull, Transport: TransportStdio, HTTPAddr: "127.0.0.1:8080", LogLevel: "info",
		Confirm: ConfirmHuman, LockoutGuard: true, HTTPMaxBody: DefaultHTTPMaxBody, HTTPSessionIdle: DefaultHTTPSessionIdle}
	var err error
	parseBool := func(name string, dst *bool) {
		if err != nil {
			return
		}
		v, src := get(name)
		if v == "" {
			return
		}
		b, perr := strconv.ParseBool(v)
		if perr != nil {
			err = fmt.Errorf("%s=%q is not a boolean: use true or false", src, v)
			return
		}
		*dst = b
	}
	parseBool("demo", &c.Demo)
	parseBool("tls-verify", &c.TLSVerify)
	parseBool("allow-writes", &c.AllowWrites)
	parseBool("allow-dangerous", &c.AllowDangerous)
	parseBool("expose-secrets", &c.ExposeSecrets)
	parseBool("lockout-guard", &c.LockoutGuard)
	if err != nil {
		return nil, err
	}
	if v, src := get("confirm"); v != "" {
		switch ConfirmMode(strings.ToLower(v)) {
		case ConfirmHuman, ConfirmToken, ConfirmPlain:
			c.Confirm = ConfirmMode(strings.ToLower(v))
		default:
			return nil, fmt.Errorf("%s=%q is not a confirmation mode: use human, token or plain", src, v)
		}
	}

	if v, src := get("timeout"); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil || d <= 0 || d > 10*time.Minute {
			return nil, fmt.Errorf("%s=%q is not a valid timeout: use a duration between 1s and 10m, e.g. 30s", src, v)
		}
		c.Timeout = d
	}
	if v, src := get("log-level"); v != "" {
		switch strings.ToLower(v) {
		case "debug", "info", "warn", "error":
			c.LogLevel = strings.ToLower(v)
		default:
			return nil, fmt.Errorf("%s=%q is not a log level: use debug, info, warn or error", src, v)
		}
	}
	if v, src := get("tool-mode"); v != "" {
		switch ToolMode(strings.ToLower(v)) {
		case ModeFull, ModeDiscovery:
			c.Mode = ToolMode(strings.ToLower(v))
		default:
			return nil, fmt.Errorf("%s=%q is not a tool mode: use full or discovery", src, v)
		}
	}
	if v, src := get("tools-page-size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			return nil, fmt.Errorf("%s=%q is not a page size: use a whole number of tools, 0 (all at once, the default) to 100000", src, v)
		}
		c.ToolsPageSize = n
	}
	c.SchemaDialect = DialectStandard
	if v, src := get("schema-dialect"); v != "" {
		switch SchemaDialect(strings.ToLower(v)) {
		case DialectStandard, DialectStrict:
			c.SchemaDialect = SchemaDialect(strings.ToLower(v))
		default:
			return nil, fmt.Errorf("%s=%q is not a schema dialect: use standard or strict", src, v)
		}
	}
	if v, _ := get("modules"); v != "" {
		seen := map[string]bool{}
		for _, m := range strings.Split(v, ",") {
			m = strings.ToLower(strings.TrimSpace(m))
			if m != "" && !seen[m] {
				seen[m] = true
				c.Modules = append(c.Modules, m)
			}
		}
		sort.Strings(c.Modules)
	}
	if err := c.loadTransport(get); err != nil {
		return nil, err
	}
	c.loadAudit(get, getenv)
	if c.Demo || !firewall {
		return c, nil
	}
	if err := c.loadFirewall(get); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) loadTransport(get func(string) (string, string)) error {
	if v, src := get("transport"); v != "" {
		switch Transport(strings.ToLower(v)) {
		case TransportStdio, TransportHTTP:
			c.Transport = Transport(strings.ToLower(v))
		default:
			return fmt.Errorf("%s=%q is not a transport: use stdio or http", src, v)
		}
	}
	if v, src := get("http-addr"); v != "" {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("%s=%q is not a listen address: use host:port, e.g. 127.0.0.1:8080", src, v)
		}
		c.HTTPAddr = v
	}
	c.HTTPToken, _ = get("http-token")
	if c.Transport == TransportHTTP && c.HTTPToken == "" && !IsLoopback(c.HTTPAddr) {
		return fmt.Errorf("PFSENSE_HTTP_TOKEN is not set: the HTTP transport refuses to listen on %s (not loopback) without a bearer token", c.HTTPAddr)
	}
	if c.HTTPToken != "" && len(c.HTTPToken) < 16 {
		return errors.New("PFSENSE_HTTP_TOKEN is too short: use at least 16 random characters (e.g. openssl rand -hex 24)")
	}
	if v, src := get("http-allowed-origins"); v != "" {
		for _, o := range strings.Split(v, ",") {
			o = strings.TrimSpace(o)
			if o == "" {
				continue
			}
			if o != "*" {
				u, err := url.Parse(o)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
					return fmt.Errorf("%s: %q is not an origin: use scheme://host[:port], e.g. https://app.example, or *", src, redactURL(o))
				}
				o = u.Scheme + "://" + strings.ToLower(u.Host)
			}
			c.HTTPOrigins = append(c.HTTPOrigins, o)
		}
	}
	if v, src := get("http-max-body"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 4096 || n > 1<<30 {
			return fmt.Errorf("%s=%q is not a body limit: use a number of bytes between 4096 and 1073741824", src, v)
		}
		c.HTTPMaxBody = n
	}
	if v, src := get("http-session-idle"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 10*time.Second || d > 24*time.Hour {
			return fmt.Errorf("%s=%q is not an idle time: use a duration between 10s and 24h, e.g. 30m", src, v)
		}
		c.HTTPSessionIdle = d
	}
	return nil
}

// IsLoopback reports whether a listen address only accepts local connections.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *Config) loadAudit(get func(string) (string, string), getenv func(string) string) {
	v, _ := get("audit-log")
	switch {
	case strings.EqualFold(v, "off"):
		c.AuditLog = ""
	case v != "":
		c.AuditLog = v
	case getenv("XDG_STATE_HOME") != "":
		c.AuditLog = filepath.Join(getenv("XDG_STATE_HOME"), "pfsense-mcp", "audit.jsonl")
	case getenv("HOME") != "":
		c.AuditLog = filepath.Join(getenv("HOME"), ".local", "state", "pfsense-mcp", "audit.jsonl")
	default:
		c.AuditWarning = "the audit log is off: there is no HOME for its default place; set PFSENSE_AUDIT_LOG to a file"
	}
}

// ErrNoFirewall is returned when no firewall is configured at all: no URL and no credentials.
// The server then serves the built-in simulator, saying so; commands that check a real
// configuration (doctor) report it.
var ErrNoFirewall = errors.New("no firewall is configured")

// noFirewall is ErrNoFirewall with the message a user reads.
type noFirewall string

func (e noFirewall) Error() string        { return string(e) }
func (e noFirewall) Is(target error) bool { return target == ErrNoFirewall }

func (c *Config) loadFirewall(get func(string) (string, string)) error {
	raw, src := get("url")
	if raw == "" {
		const msg = "PFSENSE_URL is not set: give the firewall as https://host[:port], or run with --demo to try the server against a built-in simulator"
		for _, name := range []string{"api-key", "api-key-file", "username", "password", "password-file", "ca-file", "tls-fingerprint"} {
			if v, _ := get(name); v != "" {
				return errors.New(msg) // half a configuration is a mistake, not a demo.
			}
		}
		return noFirewall(msg)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%s=%q is not a firewall URL: use https://host[:port]", src, redactURL(raw))
	}
	if u.Scheme != "https" {
		return fmt.Errorf("%s=%q uses %s: the API key would cross the network in clear text; use https://host[:port]", src, redactURL(raw), u.Scheme)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
		return fmt.Errorf("%s=%q has a path, query or credentials: use only https://host[:port] (credentials go in PFSENSE_API_KEY or PFSENSE_USERNAME/PFSENSE_PASSWORD)", src, redactURL(raw))
	}
	u.Path = ""
	c.URL = u

	c.APIKey, _ = get("api-key")
	if file, fsrc := get("api-key-file"); file != "" {
		if c.APIKey != "" {
			return errors.New("both PFSENSE_API_KEY and PFSENSE_API_KEY_FILE are set: keep one")
		}
		if c.APIKey, err = readSecretFile(file, fsrc); err != nil {
			return err
		}
	}
	c.Username, _ = get("username")
	c.Password, _ = get("password")
	if file, fsrc := get("password-file"); file != "" {
		if c.Password != "" {
			return errors.New("both PFSENSE_PASSWORD and PFSENSE_PASSWORD_FILE are set: keep one")
		}
		if c.Password, err = readSecretFile(file, fsrc); err != nil {
			return err
		}
	}
	if (c.Username == "") != (c.Password == "") {
		return errors.New("PFSENSE_USERNAME and PFSENSE_PASSWORD go together: set both or neither")
	}

	mode, msrc := get("auth")
	switch strings.ToLower(mode) {
	case "":
		switch {
		case c.APIKey != "":
			c.AuthMode = "key"
		case c.Username != "":
			c.AuthMode = "basic"
		default:
			return errors.New("PFSENSE_API_KEY is not set: give an API key (System > REST API > Keys, or POST /api/v2/auth/key), or PFSENSE_USERNAME and PFSENSE_PASSWORD")
		}
	case "key":
		if c.APIKey == "" {
			return fmt.Errorf("%s=key but PFSENSE_API_KEY is not set", msrc)
		}
		c.AuthMode = "key"
	case "basic", "jwt":
		if c.Username == "" {
			return fmt.Errorf("%s=%s needs PFSENSE_USERNAME and PFSENSE_PASSWORD", msrc, strings.ToLower(mode))
		}
		c.AuthMode = strings.ToLower(mode)
	default:
		return fmt.Errorf("%s=%q is not an auth mode: use key, basic or jwt", msrc, mode)
	}
	if c.APIKey != "" && len(c.APIKey) < 16 {
		return errors.New("PFSENSE_API_KEY is too short to be a REST API key (they are 32 or more hex characters): check the value")
	}

	if v, fsrc := get("tls-fingerprint"); v != "" {
		fp, err := ParseFingerprint(v)
		if err != nil {
			return fmt.Errorf("%s: %v", fsrc, err)
		}
		c.TLSFingerprint = fp
	}
	if v, csrc := get("ca-file"); v != "" {
		if _, err := os.Stat(v); err != nil {
			return fmt.Errorf("%s=%q cannot be read: %v", csrc, v, errors.Unwrap(err))
		}
		c.CAFile = v
	}
	return nil
}

// ParseFingerprint parses a SHA-256 certificate fingerprint in hex, with or without colons.
func ParseFingerprint(s string) ([]byte, error) {
	clean := strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(s))
	b, err := hex.DecodeString(clean)
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("%q is not a SHA-256 fingerprint: give 64 hex digits, colons allowed (openssl x509 -noout -fingerprint -sha256)", s)
	}
	return b, nil
}

func readSecretFile(path, src string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s=%q cannot be read: %v", src, path, errors.Unwrap(err))
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", fmt.Errorf("%s=%q is empty", src, path)
	}
	return v, nil
}

// redactURL drops credentials, query and fragment from a URL before it is shown in an error.
// It works on the text, so that a URL that does not parse, has no host or no scheme
// ("ftp://u:p@h", "https://u:p@", "u:p@h") cannot slip its credentials through.
func redactURL(raw string) string {
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 {
		start = i + 2
	}
	end := len(raw)
	if i := strings.IndexAny(raw[start:], "/?#"); i >= 0 {
		end = start + i
	}
	s := raw
	if at := strings.LastIndex(raw[start:end], "@"); at >= 0 {
		s = raw[:start] + "REDACTED" + raw[start+at:]
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i] + "?..."
	}
	return s
}
