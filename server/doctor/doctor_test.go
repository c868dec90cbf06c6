package doctor_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/internal/packaged"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/doctor"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/selfsigned"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

const (
	key            = "d0c7d0c7d0c7d0c7d0c7d0c7d0c7d0c7d0c7d0c7d0c7d0c7"
	readerPassword = "r3ader-Secret-Pw"
)

// pin formats the simulator's certificate fingerprint as doctor prints it.
func pin(fw *simtest.Firewall) string {
	var parts []string
	for i := 0; i < len(fw.CertFingerprintSHA256); i += 2 {
		parts = append(parts, strings.ToUpper(fw.CertFingerprintSHA256[i:i+2]))
	}
	return strings.Join(parts, ":")
}

// doctorRun runs doctor with env as the only environment and returns its report.
func doctorRun(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	if _, ok := env["PFSENSE_AUDIT_LOG"]; !ok {
		env["PFSENSE_AUDIT_LOG"] = "off"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := doctor.Run(ctx, doctor.Env{Args: args, Getenv: func(k string) string { return env[k] }, Stdout: &out, Stderr: &errOut})
	return out.String(), err
}

// admin calls the simulator with BasicAuth as admin, to break something on purpose.
func admin(t *testing.T, fw *simtest.Firewall, method, path string, body any) json.RawMessage {
	t.Helper()
	u, _ := url.Parse(fw.URL)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fw.CertPool}}
	c, err := pfclient.New(pfclient.Options{BaseURL: u, Mode: "basic", Username: "admin", Password: "pfsense", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{}
	if method == http.MethodDelete {
		for k, v := range body.(map[string]string) {
			q.Set(k, v)
		}
		body = nil
	}
	resp, err := c.Do(context.Background(), pfclient.Request{Method: method, Path: path, Body: body, Query: q})
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.Data
}

func settings(fw *simtest.Firewall, extra ...string) map[string]string {
	env := map[string]string{"PFSENSE_URL": fw.URL, "PFSENSE_API_KEY": key, "PFSENSE_TLS_FINGERPRINT": fw.CertFingerprintSHA256}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			delete(env, extra[i])
			continue
		}
		env[extra[i]] = extra[i+1]
	}
	return env
}

// lines returns the report's step lines ("[tag] Step: ...") keyed by step.
func lines(report string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(report, "\n") {
		if strings.HasPrefix(l, "[") {
			rest := strings.TrimSpace(l[strings.Index(l, "]")+1:])
			out[rest[:strings.Index(rest, ":")]] = l
		}
	}
	return out
}

func expectLine(t *testing.T, report, step, prefix string) {
	t.Helper()
	got, ok := lines(report)[step]
	if !ok || !strings.HasPrefix(got, prefix) {
		t.Errorf("%s line = %q\nwant prefix %q\nreport:\n%s", step, got, prefix, report)
	}
}

// noSecret fails when the report holds a credential or a secret of the firewall.
func noSecret(t *testing.T, report string, fw *simtest.Firewall, more ...string) {
	t.Helper()
	for _, s := range append(append(fw.Sim.PlantedSecrets(), key, readerPassword), more...) {
		if s != "" && strings.Contains(report, s) {
			t.Errorf("the report shows a secret (%.8s...):\n%s", s, report)
		}
	}
}

func TestHealthyConfiguration(t *testing.T) {
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	report, err := doctorRun(t, settings(fw))
	if err != nil {
		t.Fatalf("doctor: %v\n%s", err, report)
	}
	for step, prefix := range map[string]string{
		"Configuration":    "[ok]   Configuration: auth API key (X-API-Key); read-only; tool mode full",
		"URL":              "[ok]   URL: " + strings.TrimPrefix(fw.URL, "https://") + " answered in ",
		"TLS":              "[ok]   TLS: the certificate matches PFSENSE_TLS_FINGERPRINT (" + pin(fw) + ")",
		"Credentials":      "[ok]   Credentials: the firewall accepted them (API key)",
		"KeyAuth":          "[ok]   KeyAuth: enabled: the key was accepted",
		"REST API version": "[ok]   REST API version: " + tooldefs.SpecVersion + ", the version of the tools' spec",
		"Read and write":   "[ok]   Read and write: user admin holds page-all: it may read and change everything (the server stays read-only: PFSENSE_ALLOW_WRITES is off)",
		"Interface names":  "[ok]   Interface names: interfaces are named by their id",
		"Exposed":          fmt.Sprintf("[info] Exposed: %d tools in tools/list (full mode, all modules), ", exposed(t, inventory.Options{}, config.ModeFull)),
	} {
		expectLine(t, report, step, prefix)
	}
	if !strings.HasSuffix(report, "\nAll checks passed.\n") {
		t.Errorf("report does not end with success:\n%s", report)
	}
	noSecret(t, report, fw)
}

// exposed is the number of tools tools/list carries for opts, as the server lists them.
func exposed(t *testing.T, opts inventory.Options, mode config.ToolMode) int {
	inv, err := inventory.New(tooldefs.Tools, opts)
	if err != nil {
		t.Fatal(err)
	}
	return len(mcpserver.Tools(toolcall.New(toolcall.Options{Inventory: inv}), mcpserver.Options{Mode: mode, AllowWrites: opts.AllowWrites}))
}

func TestUnreachableURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now.
	report, err := doctorRun(t, map[string]string{"PFSENSE_URL": "https://" + addr, "PFSENSE_API_KEY": key})
	if !errors.Is(err, doctor.ErrProblems) {
		t.Fatalf("err = %v\n%s", err, report)
	}
	expectLine(t, report, "URL", "[FAIL] URL: cannot reach "+addr+": ")
	if !strings.Contains(report, "fix: check the address and port in PFSENSE_URL") {
		t.Errorf("no fix for the URL:\n%s", report)
	}
	for _, step := range []string{"Credentials", "KeyAuth", "REST API version", "Packages", "Read and write"} {
		expectLine(t, report, step, "[skip] "+step+": not checked")
	}
	if !strings.Contains(report, "1 problem found: fix the lines marked FAIL") {
		t.Errorf("no summary:\n%s", report)
	}
	if strings.Contains(report, key) {
		t.Errorf("the key is in the report")
	}
}

func TestUntrustedCertificateShowsItsFingerprint(t *testing.T) {
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	report, err := doctorRun(t, settings(fw, "PFSENSE_TLS_FINGERPRINT", ""))
	if !errors.Is(err, doctor.ErrProblems) {
		t.Fatalf("err = %v\n%s", err, report)
	}
	expectLine(t, report, "TLS", "[FAIL] TLS: the certificate is not signed by a trusted CA (self-signed?); pin it or give PFSENSE_CA_FILE; the firewall presented a certificate with SHA-256 fingerprint "+pin(fw))
	if !strings.Contains(report, "if it matches, set PFSENSE_TLS_FINGERPRINT="+pin(fw)) {
		t.Errorf("no pin to set:\n%s", report)
	}
	noSecret(t, report, fw)

	report, err = doctorRun(t, settings(fw, "PFSENSE_TLS_FINGERPRINT", "", "PFSENSE_TLS_VERIFY", "false"))
	if err != nil {
		t.Fatalf("verification off is a warning, not a failure: %v\n%s", err, report)
	}
	expectLine(t, report, "TLS", "[warn] TLS: certificate checks are off (PFSENSE_TLS_VERIFY=false): anyone on the path could pose as the firewall; it presented SHA-256 "+pin(fw))
}

func TestWrongKey(t *testing.T) {
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	wrong := strings.Repeat("ab", 24)
	report, err := doctorRun(t, settings(fw, "PFSENSE_API_KEY", wrong))
	if !errors.Is(err, doctor.ErrProblems) {
		t.Fatalf("err = %v\n%s", err, report)
	}
	expectLine(t, report, "Credentials", "[FAIL] Credentials: the firewall refused them (pfSense answered HTTP 401 AUTH_AUTHENTICATION_FAILED")
	expectLine(t, report, "KeyAuth", "[skip] KeyAuth: not checked: a refused key may be a wrong key or KeyAuth turned off")
	noSecret(t, report, fw, wrong)

	// With BasicAuth at hand, doctor tells a wrong key from KeyAuth being off.
	report, _ = doctorRun(t, settings(fw, "PFSENSE_API_KEY", wrong, "PFSENSE_USERNAME", "admin", "PFSENSE_PASSWORD", "pfsense"))
	expectLine(t, report, "KeyAuth", "[ok]   KeyAuth: enabled (BasicAuth, KeyAuth): so the key itself is not one the firewall knows")
	noSecret(t, report, fw, wrong)
}

func TestKeyAuthDisabled(t *testing.T) {
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	admin(t, fw, http.MethodPatch, "/api/v2/system/restapi/settings", map[string]any{"auth_methods": []string{"BasicAuth"}})
	report, err := doctorRun(t, settings(fw, "PFSENSE_USERNAME", "admin", "PFSENSE_PASSWORD", "pfsense"))
	if !errors.Is(err, doctor.ErrProblems) {
		t.Fatalf("err = %v\n%s", err, report)
	}
	expectLine(t, report, "Credentials", "[FAIL] Credentials: the firewall refused them")
	expectLine(t, report, "KeyAuth", "[FAIL] KeyAuth: not enabled: the REST API accepts only BasicAuth, so every key is refused")
	if !strings.Contains(report, "2 problems found") {
		t.Errorf("summary:\n%s", report)
	}
	noSecret(t, report, fw)
}

func TestRESTAPIMissingOrDisabled(t *testing.T) {
	// A web server that is not a firewall with the REST API: nginx's plain 404 everywhere.
	cert, err := selfsigned.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html><body><h1>404 Not Found</h1></body></html>")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	srv.StartTLS()
	defer srv.Close()
	report, err := doctorRun(t, map[string]string{"PFSENSE_URL": srv.URL, "PFSENSE_API_KEY": key, "PFSENSE_TLS_FINGERPRINT": cert.FingerprintSHA256})
	if !errors.Is(err, doctor.ErrProblems) {
		t.Fatalf("err = %v\n%s", err, report)
	}
	expectLine(t, report, "Credentials", "[FAIL] Credentials: not checked: the firewall has no REST API at /api/v2")
	if !strings.Contains(report, "fix: install the REST API package (pfSense-pkg-RESTAPI") {
		t.Errorf("no fix:\n%s", report)
	}

	fw := simtest.Start(t, simulator.Options{APIKey: key})
	admin(t, fw, http.MethodPatch, "/api/v2/system/restapi/settings", map[string]any{"enabled": false})
	report, err = doctorRun(t, settings(fw))
	if !errors.Is(err, doctor.ErrProblems) {
		t.Fatalf("err = %v\n%s", err, report)
	}
	expectLine(t, report, "Credentials", "[FAIL] Credentials: not checked: the REST API is installed but disabled")
}

// TestVersionMismatch: the firewall runs another REST API version (the build's spec under
// another version number, so the same tools): doctor says so, reads the firewall's spec, and
// says what the server does about it. A warning, not a failure.
func TestVersionMismatch(t *testing.T) {
	b, err := specfile.Read()
	if err != nil {
		t.Fatal(err)
	}
	other := tooldefs.SpecVersion + "-next"
	spec := bytes.Replace(b, []byte(`"version":"`+tooldefs.SpecVersion+`"`), []byte(`"version":"`+other+`"`), 1)
	if bytes.Equal(spec, b) {
		spec = bytes.Replace(b, []byte(`"version": "`+tooldefs.SpecVersion+`"`), []byte(`"version": "`+other+`"`), 1)
	}
	fw := simtest.Start(t, simulator.Options{APIKey: key, Spec: spec})
	report, err := doctorRun(t, settings(fw))
	if err != nil {
		t.Fatalf("doctor: %v\n%s", err, report)
	}
	expectLine(t, report, "REST API version", "[warn] REST API version: the firewall runs "+other+" but the tools come from the "+tooldefs.SpecVersion+
		" spec. The server reads the firewall's own spec at start: 0 tools these settings would expose are hidden because the firewall lacks them, and 0 tools with inputs it does not know refuse those inputs")
	if !strings.Contains(report, "fix: to match the firewall exactly, regenerate the tools from its own spec: tools/fetch-spec "+fw.URL+", then rebuild") {
		t.Errorf("no fix:\n%s", report)
	}
}

// TestMissingPackage: the package most tools need is removed; doctor counts the tools that need
// it among those the settings expose.
func TestMissingPackage(t *testing.T) {
	pkg, names := packaged.MostNeeded(tooldefs.Tools, true) // read-only: only reads are exposed.
	n := len(names)
	if pkg == "" {
		t.Skip("no read tool of this spec needs a package")
	}
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	admin(t, fw, http.MethodDelete, "/api/v2/system/packages", map[string]string{"name": pkg})
	report, err := doctorRun(t, settings(fw))
	if err != nil {
		t.Fatalf("a missing package is not a failure: %v\n%s", err, report)
	}
	line := lines(report)["Packages"]
	want := fmt.Sprintf("%d tools these settings would expose need packages that are not installed, so the server does not list them: %s (%d tools)", n, pkg, n)
	if !strings.HasPrefix(line, "[info] Packages: installed: ") || !strings.HasSuffix(line, want) || strings.Contains(line, pkg+",") {
		t.Errorf("Packages line = %s\nwant ...%s", line, want)
	}
	expectLine(t, report, "Exposed", fmt.Sprintf("[info] Exposed: %d tools in tools/list", exposed(t, inventory.Options{}, config.ModeFull)-n))
}

// TestLimitedUser: a key whose user may only read a few endpoints. With writes enabled that is a
// failure: the server would list change tools that all answer 403.
// A firewall that names interfaces by description (Fields/InterfaceField.inc, the REST API's
// represent_interfaces_as setting) gets a warning that says what to set.
func TestInterfacesNamedByDescription(t *testing.T) {
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	admin(t, fw, http.MethodPatch, "/api/v2/system/restapi/settings", map[string]any{"represent_interfaces_as": "descr"})
	report, err := doctorRun(t, settings(fw))
	if err != nil {
		t.Fatalf("a warning is no failure: %v\n%s", err, report)
	}
	expectLine(t, report, "Interface names", "[warn] Interface names: the REST API names interfaces by their descr (represent_interfaces_as)")
	if !strings.Contains(report, "set Represent Interfaces As to ID in System > REST API > Settings") {
		t.Errorf("the report does not say what to set:\n%s", report)
	}
}

func TestLimitedUser(t *testing.T) {
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	readable := []string{"/api/v2/firewall/aliases", "/api/v2/auth/keys", "/api/v2/users", "/api/v2/user/groups", "/api/v2/system/restapi/version", "/api/v2/system/packages"}
	privs := []string{"api-v2-auth-key-post"}
	for _, p := range readable {
		privs = append(privs, strings.ReplaceAll(strings.TrimPrefix(p, "/"), "/", "-")+"-get")
	}
	created := admin(t, fw, http.MethodPost, "/api/v2/user", map[string]any{"name": "reader", "password": readerPassword, "priv": privs})
	u, _ := url.Parse(fw.URL)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fw.CertPool}}
	c, err := pfclient.New(pfclient.Options{BaseURL: u, Mode: "basic", Username: "reader", Password: readerPassword, Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), pfclient.Request{Method: http.MethodPost, Path: "/api/v2/auth/key", Body: map[string]any{"descr": "doctor"}, BasicAuthOnly: true})
	if err != nil {
		t.Fatalf("create the reader's key: %v", err)
	}
	var k struct{ Key string }
	if err := json.Unmarshal(resp.Data, &k); err != nil || k.Key == "" {
		t.Fatalf("no key in %s", resp.Data)
	}
	// Now the key exists, the user loses its one change privilege.
	var user struct{ ID int }
	if err := json.Unmarshal(created, &user); err != nil {
		t.Fatal(err)
	}
	admin(t, fw, http.MethodPatch, "/api/v2/user", map[string]any{"id": user.ID, "priv": privs[1:]})

	reads, readsOK, writes := 0, 0, 0
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range inv.Exposed() {
		switch {
		case tl.Mutation:
			writes++
		default:
			reads++
			for _, p := range readable {
				if tl.Method == http.MethodGet && tl.Path == p {
					readsOK++
				}
			}
		}
	}
	report, err := doctorRun(t, settings(fw, "PFSENSE_API_KEY", k.Key, "PFSENSE_ALLOW_WRITES", "true"))
	if !errors.Is(err, doctor.ErrProblems) {
		t.Fatalf("err = %v\n%s", err, report)
	}
	expectLine(t, report, "Read and write", fmt.Sprintf("[FAIL] Read and write: user reader may call %d of the %d read tools and 0 of the %d change tools these settings expose; the others answer 403", readsOK, reads, writes))
	noSecret(t, report, fw, k.Key)

	report, err = doctorRun(t, settings(fw, "PFSENSE_API_KEY", k.Key))
	if err != nil {
		t.Fatalf("read-only with some reads is a warning: %v\n%s", err, report)
	}
	expectLine(t, report, "Read and write", "[warn] Read and write: user reader may call ")
	noSecret(t, report, fw, k.Key)
}

func TestBadConfiguration(t *testing.T) {
	report, err := doctorRun(t, map[string]string{"PFSENSE_URL": "http://192.0.2.1", "PFSENSE_API_KEY": key})
	if !errors.Is(err, doctor.ErrProblems) {
		t.Fatalf("err = %v", err)
	}
	expectLine(t, report, "Configuration", `[FAIL] Configuration: PFSENSE_URL="http://192.0.2.1" uses http: the API key would cross the network in clear text; use https://host[:port]`)
	if strings.Contains(report, key) {
		t.Errorf("the key is in the report")
	}
}
