package simulator_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
)

// client talks to a simulator over HTTPS like an API client does.
type client struct {
	t    *testing.T
	fw   *simtest.Firewall
	http *http.Client
	// auth is how requests authenticate: "basic" (admin:pfsense), "none", or a header
	// line "Name: value".
	auth string
}

type envelope struct {
	Code       int             `json:"code"`
	Status     string          `json:"status"`
	ResponseID string          `json:"response_id"`
	Message    string          `json:"message"`
	Data       json.RawMessage `json:"data"`
}

type reply struct {
	code   int
	header http.Header
	raw    []byte
	env    envelope
}

func newClient(t *testing.T, opts simulator.Options) *client {
	fw := simtest.Start(t, opts)
	return &client{t: t, fw: fw, auth: "basic", http: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fw.CertPool}},
	}}
}

// do sends a request; body is JSON text, or form fields when ctype is form-urlencoded.
func (c *client) do(method, path, body string, headers ...string) reply {
	c.t.Helper()
	req, err := http.NewRequest(method, c.fw.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case c.auth == "basic":
		req.SetBasicAuth("admin", "pfsense")
	case strings.Contains(c.auth, ": "):
		k, v, _ := strings.Cut(c.auth, ": ")
		req.Header.Set(k, v)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{code: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.env); err != nil {
			c.t.Fatalf("%s %s: answer is not JSON: %v: %s", method, path, err, raw)
		}
	}
	return r
}

// expect sends a request and checks status code, response_id and message.
func (c *client) expect(method, path, body string, code int, id, msg string) reply {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.code != code || r.env.ResponseID != id || r.env.Message != msg {
		c.t.Fatalf("%s %s\n got %d %s %q\nwant %d %s %q\nbody: %s", method, path, r.code, r.env.ResponseID, r.env.Message, code, id, msg, r.raw)
	}
	if r.env.Code != code {
		c.t.Fatalf("%s %s: envelope code %d, HTTP %d", method, path, r.env.Code, code)
	}
	if err := checkResponse(c.t, method, routePath(path), code, r.raw); err != nil {
		c.t.Fatal(err)
	}
	return r
}

func (c *client) ok(method, path, body string) reply {
	c.t.Helper()
	return c.expect(method, path, body, 200, "SUCCESS", "")
}

func routePath(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

// field decodes one field of the answer's data object.
func (r reply) field(t *testing.T, name string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.env.Data, &m); err != nil {
		t.Fatalf("data is not an object: %s", r.env.Data)
	}
	return m[name]
}

// column returns one field of every object in the answer's data list.
func (r reply) column(t *testing.T, name string) []any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(r.env.Data, &list); err != nil {
		t.Fatalf("data is not a list: %s", r.env.Data)
	}
	out := make([]any, len(list))
	for i, o := range list {
		out[i] = o[name]
	}
	return out
}

func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Fatalf("%s: got %s, want %s", what, g, w)
	}
}

const testKey = "0123456789abcdef0123456789abcdef0123456789abcdef"

func TestHalt(t *testing.T) {
	halted := make(chan struct{}, 1)
	c := newClient(t, simulator.Options{OnHalt: func() { halted <- struct{}{} }})
	c.ok("POST", "/api/v2/diagnostics/halt_system", `{"dry_run":true}`)
	select {
	case <-halted:
		t.Fatal("dry_run halted the firewall")
	case <-time.After(50 * time.Millisecond):
	}
	c.ok("POST", "/api/v2/diagnostics/halt_system", `{}`)
	select {
	case <-halted:
	case <-time.After(2 * time.Second):
		t.Fatal("OnHalt was not called")
	}
}

// TestSaveLoad checks that a run's state survives Save and Load, ids and all.
func TestSaveLoad(t *testing.T) {
	c := newClient(t, simulator.Options{})
	c.ok("POST", "/api/v2/firewall/alias", `{"name":"bt_saved","type":"network","address":["10.7.0.0/16"]}`)
	c.ok("DELETE", "/api/v2/firewall/alias?id=1", "")
	var buf bytes.Buffer
	if err := c.fw.Sim.Save(&buf); err != nil {
		t.Fatal(err)
	}
	restored, err := simulator.New(simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := restored.Load(&buf); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(restored.PlantedSecrets(), c.fw.Sim.PlantedSecrets()) {
		t.Fatal("planted secrets changed across Save/Load")
	}
	_, body := call(restored.Handler(), "GET", "/api/v2/firewall/aliases", nil, nil)
	var env struct {
		Data []map[string]any `json:"data"`
	}
	json.Unmarshal(body, &env)
	var names []any
	for _, o := range env.Data {
		names = append(names, o["name"])
	}
	same(t, "restored aliases", names, []string{"web_servers", "web_ports", "bt_saved"})
	_, body = call(restored.Handler(), "GET", "/api/v2/firewall/alias", url.Values{"id": {"2"}}, nil)
	if !bytes.Contains(body, []byte(`"address":["10.7.0.0\/16"]`)) {
		t.Fatalf("restored alias: %s", body)
	}
	// Everything a restored firewall lists still matches the spec.
	_, cat := loadSpec(t)
	for _, op := range cat.Ops {
		if op.Method != "GET" || !(op.Plural || len(op.Params) == 0) {
			continue
		}
		code, body := call(restored.Handler(), "GET", op.Path, nil, nil)
		if code != 200 {
			t.Errorf("GET %s after Load: %d %s", op.Path, code, body)
			continue
		}
		if err := checkResponse(t, "GET", op.Path, code, body); err != nil {
			t.Errorf("after Load: %v", err)
		}
	}
}

// TestStateFileWithAPIKey restores a state saved without Options.APIKey and checks that the
// key still works: KeyAuth is enabled and the key created in the restored state.
func TestStateFileWithAPIKey(t *testing.T) {
	plain, err := simulator.New(simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/state.json"
	var buf bytes.Buffer
	if err := plain.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, simulator.Options{StateFile: path, APIKey: testKey})
	c.auth = "X-API-Key: " + testKey
	same(t, "auth_methods", c.ok("GET", "/api/v2/system/restapi/settings", "").field(t, "auth_methods"), []string{"BasicAuth", "KeyAuth"})
	planted := strings.Join(c.fw.Sim.PlantedSecrets(), "\n")
	sum := sha256.Sum256([]byte(testKey))
	if !strings.Contains(planted, testKey) || !strings.Contains(planted, hex.EncodeToString(sum[:])) {
		t.Fatal("PlantedSecrets lacks the API key or its hash")
	}
}

// Generated keys are of the type, size and curve asked for, signed with the digest asked for,
// by the CA named (Models/CertificateAuthorityGenerate.inc, Models/CertificateGenerate.inc:
// keytype, keylen, ecname, digest_alg).
func TestGeneratedKeysAreTheKindAskedFor(t *testing.T) {
	c := newClient(t, simulator.Options{})
	parse := func(r reply) *x509.Certificate {
		t.Helper()
		crt, _ := r.field(t, "crt").(string)
		b, _ := pem.Decode([]byte(crt))
		if b == nil {
			t.Fatalf("no certificate in %s", r.env.Data)
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return cert
	}
	caReply := c.ok("POST", "/api/v2/system/certificate_authority/generate",
		`{"descr":"bt_ca","keytype":"RSA","keylen":2048,"digest_alg":"sha384","lifetime":3650,"dn_commonname":"bt-ca"}`)
	ca := parse(caReply)
	if k, ok := ca.PublicKey.(*rsa.PublicKey); !ok || k.N.BitLen() != 2048 || ca.SignatureAlgorithm != x509.SHA384WithRSA || !ca.IsCA {
		t.Errorf("CA: key %T, signature %v, CA %v", ca.PublicKey, ca.SignatureAlgorithm, ca.IsCA)
	}
	refid, _ := caReply.field(t, "refid").(string)
	cert := parse(c.ok("POST", "/api/v2/system/certificate/generate",
		`{"descr":"bt_srv","caref":"`+refid+`","keytype":"ECDSA","ecname":"secp384r1","digest_alg":"sha256","lifetime":365,"type":"server","dn_commonname":"bt.home.arpa"}`))
	if k, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve.Params().Name != "P-384" || cert.SignatureAlgorithm != x509.SHA256WithRSA {
		t.Errorf("certificate: key %T, signature %v", cert.PublicKey, cert.SignatureAlgorithm)
	}
	if err := cert.CheckSignatureFrom(ca); err != nil {
		t.Errorf("the certificate is not signed by the CA named: %v", err)
	}
}

// A VLAN gets its vlanif and is offered for assignment (Models/InterfaceVLAN.inc
// validate_vlanif, Models/AvailableInterface.inc get_all_avail_interfaces); a host that answers
// a ping is in the ARP table afterwards, named by its interface's description.
func TestVLANsAndPingsLeaveWhatARealFirewallShows(t *testing.T) {
	c := newClient(t, simulator.Options{})
	vlan := c.ok("POST", "/api/v2/interface/vlan", `{"if":"em1","tag":30,"descr":"guest"}`)
	same(t, "vlanif", vlan.field(t, "vlanif"), "em1.30")
	if got := c.ok("GET", "/api/v2/interface/available_interfaces", "").column(t, "if"); !strings.Contains(fmt.Sprint(got), "em1.30") {
		t.Errorf("available interfaces = %v", got)
	}
	c.ok("POST", "/api/v2/services/dhcp_server/static_mapping", `{"parent_id":"lan","mac":"00:11:22:33:44:55","ipaddr":"192.168.1.50","hostname":"printer"}`)
	c.ok("POST", "/api/v2/diagnostics/ping", `{"host":"192.168.1.50","count":1}`)
	arp := c.ok("GET", "/api/v2/diagnostics/arp_table?ip_address=192.168.1.50", "")
	same(t, "ARP entry", []any{arp.column(t, "mac_address"), arp.column(t, "interface")}, []any{[]any{"00:11:22:33:44:55"}, []any{"LAN"}})
}

// An interface assigned and applied shows in the interface status.
func TestAnAppliedInterfaceShowsInTheStatus(t *testing.T) {
	c := newClient(t, simulator.Options{})
	c.ok("POST", "/api/v2/interface/vlan", `{"if":"em1","tag":30}`)
	c.ok("POST", "/api/v2/interface", `{"if":"em1.30","descr":"GUEST","enable":true,"typev4":"static","ipaddr":"10.30.0.1","subnet":24}`)
	c.ok("POST", "/api/v2/interface/apply", `{}`)
	st := c.ok("GET", "/api/v2/status/interfaces?descr=GUEST", "")
	same(t, "status", []any{st.column(t, "hwif"), st.column(t, "ipaddr"), st.column(t, "status")}, []any{[]any{"em1.30"}, []any{"10.30.0.1"}, []any{"up"}})
}
