package secaudit

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

type routes map[string]any

func (r routes) Do(_ context.Context, req pfclient.Request) (*pfclient.Response, error) {
	v, ok := r[req.Path]
	if !ok {
		return nil, &pfclient.APIError{Method: req.Method, Path: req.Path, HTTPStatus: 424, ResponseID: "MODEL_MISSING_REQUIRED_PACKAGE"}
	}
	b, _ := json.Marshal(v)
	return &pfclient.Response{HTTPStatus: 200, Data: b}, nil
}
func (routes) HasBasicAuth() bool { return false }

func dispatcher(t *testing.T, fw routes) *toolcall.Dispatcher {
	t.Helper()
	var tools []toolspec.Tool
	for name, path := range sources {
		tools = append(tools, toolspec.Tool{Name: "pfsense_get_" + name, Method: "GET", Path: path, Kind: toolspec.KindSettings, Module: "x", InputSchema: `{"type":"object"}`})
	}
	inv, err := inventory.New(tools, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return toolcall.New(toolcall.Options{Inventory: inv, Firewall: fw})
}

func certPEM(t *testing.T, notAfter time.Time) string {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fw"}, NotBefore: notAfter.Add(-365 * 24 * time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func ids(findings []Finding) string {
	var out []string
	for _, f := range findings {
		out = append(out, f.Severity+":"+f.ID)
	}
	return strings.Join(out, " ")
}

// weakFirewall has one of each weakness the audit knows.
func weakFirewall(t *testing.T, now time.Time) routes {
	return routes{
		"/api/v2/system/webgui/settings": map[string]any{"protocol": "http", "port": ""},
		"/api/v2/services/ssh":           map[string]any{"enable": true, "port": "22", "sshdkeyonly": nil},
		"/api/v2/system/restapi/settings": map[string]any{"enabled": true, "auth_methods": []any{"BasicAuth", "KeyAuth"},
			"allowed_interfaces": []any{}, "login_protection": false},
		"/api/v2/firewall/rules": []any{
			map[string]any{"id": 0, "type": "pass", "interface": []any{"wan"}, "source": "any", "destination": "(self)", "destination_port": "80", "descr": "gui from anywhere"},
			map[string]any{"id": 1, "type": "pass", "interface": []any{"wan"}, "source": "any", "destination": "any", "destination_port": nil},
			map[string]any{"id": 2, "type": "pass", "interface": []any{"wan"}, "source": "any", "destination": "any", "destination_port": nil, "disabled": true},
			map[string]any{"id": 3, "type": "pass", "interface": []any{"wan"}, "source": "203.0.113.0/24", "destination": "(self)", "destination_port": "22"},
			map[string]any{"id": 4, "type": "pass", "interface": []any{"lan"}, "source": "any", "destination": "any"},
		},
		"/api/v2/firewall/nat/port_forwards": []any{
			map[string]any{"id": 0, "interface": "wan", "source": "any", "local_port": "3389", "target": "192.168.1.20"},
			map[string]any{"id": 1, "interface": "wan", "source": "any", "local_port": "443", "target": "192.168.1.21"},
		},
		"/api/v2/interfaces":                     []any{map[string]any{"id": "wan", "enable": true, "blockpriv": false, "blockbogons": true}},
		"/api/v2/services/dns_resolver/settings": map[string]any{"enable": true, "dnssec": false},
		"/api/v2/system/certificates": []any{
			map[string]any{"id": 0, "descr": "old", "crt": certPEM(t, now.Add(-time.Hour))},
			map[string]any{"id": 1, "descr": "soon", "crt": certPEM(t, now.Add(10*24*time.Hour))},
			map[string]any{"id": 2, "descr": "fine", "crt": certPEM(t, now.Add(300*24*time.Hour))},
		},
		"/api/v2/vpn/ipsec/phase1s": []any{map[string]any{"id": 0, "descr": "branch", "iketype": "ikev1", "mode": "aggressive", "authentication_method": "pre_shared_key",
			"encryption": []any{map[string]any{"hash_algorithm": "sha1", "dhgroup": 2}}}},
		"/api/v2/vpn/openvpn/servers": []any{map[string]any{"id": 0, "description": "road warriors", "mode": "server_tls_user", "use_tls": false,
			"data_ciphers": []any{"AES-256-GCM", "BF-CBC"}, "digest": "SHA1"}},
		"/api/v2/users":       []any{map[string]any{"id": 0, "name": "admin", "uid": 0, "priv": []any{}}, map[string]any{"id": 1, "name": "ann", "uid": 2000, "priv": []any{"page-all"}}},
		"/api/v2/user/groups": []any{map[string]any{"name": "admins", "member": []any{"0"}, "priv": []any{"page-all"}}},
	}
}

func TestAuditFindsEachWeakness(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	out := Audit(context.Background(), dispatcher(t, weakFirewall(t, now)), now)
	findings := out["findings"].([]Finding)
	want := "high:webgui_http high:management_on_wan high:wan_any_any high:risky_port_forward high:restapi_on_wan high:certificate_expired " +
		"medium:ssh_password_login medium:restapi_basic_auth medium:wan_private_bogons medium:certificate_expiring " +
		"medium:ipsec_weak_crypto medium:openvpn_weak_crypto medium:sha1_integrity low:restapi_login_protection_off low:dnssec_off low:administrators"
	if got := ids(findings); got != want {
		t.Errorf("findings:\n got %s\nwant %s", got, want)
	}
	byID := map[string]Finding{}
	for _, f := range findings {
		byID[f.ID] = f
	}
	if objs := byID["management_on_wan"].Objects; len(objs) != 1 || fmt.Sprint(objs[0].(map[string]any)["id"]) != "0" {
		t.Errorf("management_on_wan objects = %v, want only rule 0 (rule 3 is limited to a source network)", objs)
	}
	if objs := byID["wan_any_any"].Objects; len(objs) != 1 || fmt.Sprint(objs[0].(map[string]any)["id"]) != "1" {
		t.Errorf("wan_any_any objects = %v, want only rule 1 (rule 2 is disabled, rule 4 is on LAN)", objs)
	}
	if f := byID["risky_port_forward"]; f.Title != "1 port forward(s) expose RDP to the whole internet" {
		t.Errorf("risky_port_forward = %q", f.Title)
	}
	if w := byID["ipsec_weak_crypto"].Objects[0].(map[string]any)["weaknesses"]; strings.Join(w.([]string), ",") != "IKEv1,aggressive mode with a pre-shared key,DH group 2" {
		t.Errorf("ipsec weaknesses = %v", w)
	}
	if w := byID["openvpn_weak_crypto"].Objects[0].(map[string]any)["weaknesses"]; strings.Join(w.([]string), ",") != "cipher BF-CBC,no TLS auth/crypt key" {
		t.Errorf("openvpn weaknesses = %v", w)
	}
	if f := byID["administrators"]; f.Title != "2 enabled account(s) have full administrator privileges (page-all)" {
		t.Errorf("administrators = %q", f.Title)
	}
	// The API on every interface is open now: rules 0 and 1 let WAN reach the web port (80 here).
	if f := byID["restapi_on_wan"]; len(f.Objects) != 2 || !strings.Contains(f.Detail, "open to the internet now") {
		t.Errorf("restapi_on_wan = %+v", f)
	}
	if s := out["summary"].(map[string]int); s[High] != 6 || s[Medium] != 7 || s[Low] != 3 || s[Info] != 0 {
		t.Errorf("summary = %v", s)
	}
}

func TestAuditOfAHardenedFirewallIsClean(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	good := routes{
		"/api/v2/system/webgui/settings":         map[string]any{"protocol": "https", "port": "443"},
		"/api/v2/services/ssh":                   map[string]any{"enable": true, "sshdkeyonly": "enabled"},
		"/api/v2/system/restapi/settings":        map[string]any{"enabled": true, "auth_methods": []any{"KeyAuth"}, "allowed_interfaces": []any{"lan"}, "login_protection": true},
		"/api/v2/firewall/rules":                 []any{map[string]any{"id": 0, "type": "pass", "interface": []any{"wan"}, "source": "any", "destination": "web_servers", "destination_port": "443"}},
		"/api/v2/firewall/aliases":               []any{map[string]any{"id": 0, "name": "web_servers", "type": "host", "address": []any{"10.0.4.10"}}},
		"/api/v2/firewall/nat/port_forwards":     []any{map[string]any{"id": 0, "interface": "wan", "source": "any", "local_port": "443"}},
		"/api/v2/interfaces":                     []any{map[string]any{"id": "wan", "enable": true, "blockpriv": true, "blockbogons": true}},
		"/api/v2/services/dns_resolver/settings": map[string]any{"enable": true, "dnssec": true},
		"/api/v2/system/certificates":            []any{map[string]any{"id": 0, "crt": certPEM(t, now.Add(200*24*time.Hour))}},
		"/api/v2/system/certificate_authorities": []any{map[string]any{"id": 0, "crt": certPEM(t, now.Add(2000*24*time.Hour))}},
		"/api/v2/vpn/ipsec/phase1s":              []any{map[string]any{"id": 0, "iketype": "ikev2", "encryption": []any{map[string]any{"hash_algorithm": "sha256", "prf_algorithm": "sha256", "dhgroup": 14}}}},
		"/api/v2/vpn/ipsec/phase2s":              []any{map[string]any{"id": 0, "hash_algorithm_option": []any{"hmac_sha256"}}},
		"/api/v2/vpn/openvpn/servers":            []any{map[string]any{"id": 0, "mode": "server_tls", "use_tls": true, "data_ciphers": []any{"AES-256-GCM"}, "digest": "SHA256"}},
		"/api/v2/vpn/openvpn/clients":            []any{map[string]any{"id": 0, "digest": "SHA256"}},
		"/api/v2/users":                          []any{map[string]any{"id": 0, "name": "admin", "priv": []any{"page-all"}}},
		"/api/v2/user/groups":                    []any{},
	}
	out := Audit(context.Background(), dispatcher(t, good), now)
	if got := ids(out["findings"].([]Finding)); got != "info:administrators" {
		t.Errorf("findings = %s, want only the administrators note", got)
	}
	if _, ok := out["not_checked"]; ok {
		t.Errorf("not_checked = %v", out["not_checked"])
	}
}

// A REST API that shows interfaces by description (represent_interfaces_as = descr) or device
// gets the same findings: WAN is WAN however it is written.
func TestAuditReadsInterfacesByDescriptionOrDevice(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	want := ids(Audit(context.Background(), dispatcher(t, weakFirewall(t, now)), now)["findings"].([]Finding))
	for _, wan := range []string{"WAN", "em0"} {
		fw := weakFirewall(t, now)
		fw["/api/v2/status/interfaces"] = []any{
			map[string]any{"name": "wan", "descr": "WAN", "hwif": "em0"},
			map[string]any{"name": "lan", "descr": "LAN", "hwif": "em1"},
		}
		for _, r := range fw["/api/v2/firewall/rules"].([]any) {
			m := r.(map[string]any)
			if m["interface"].([]any)[0] == "wan" {
				m["interface"] = []any{wan}
			}
		}
		for _, r := range fw["/api/v2/firewall/nat/port_forwards"].([]any) {
			r.(map[string]any)["interface"] = wan
		}
		fw["/api/v2/system/restapi/settings"].(map[string]any)["allowed_interfaces"] = []any{wan, "LAN"}
		got := ids(Audit(context.Background(), dispatcher(t, fw), now)["findings"].([]Finding))
		if got != want {
			t.Errorf("interfaces as %s:\n got %s\nwant %s", wan, got, want)
		}
	}
}

func TestUnreadableAreasAreReported(t *testing.T) {
	out := Audit(context.Background(), dispatcher(t, routes{}), time.Now())
	nc := out["not_checked"].(map[string]string)
	if len(nc) != len(sources)-1 || !strings.Contains(nc["openvpn"], "MODEL_MISSING_REQUIRED_PACKAGE") { // ifstatus has no check
		t.Errorf("not_checked = %v", nc)
	}
	if len(out["findings"].([]Finding)) != 0 {
		t.Errorf("findings without data: %v", out["findings"])
	}
}

func TestSHA1IntegrityWiderForwardRulesAndCertificatesNearExpiry(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	ca := certPEM(t, now.Add(20*24*time.Hour))
	fw := routes{
		"/api/v2/vpn/ipsec/phase1s": []any{
			map[string]any{"id": 0, "descr": "branch", "iketype": "ikev2", "encryption": []any{map[string]any{"hash_algorithm": "sha256", "prf_algorithm": "sha1", "dhgroup": 14}}},
			map[string]any{"id": 1, "descr": "off", "disabled": true, "iketype": "ikev2", "encryption": []any{map[string]any{"hash_algorithm": "sha1", "dhgroup": 14}}},
		},
		"/api/v2/vpn/ipsec/phase2s":   []any{map[string]any{"id": 0, "descr": "lan-lan", "hash_algorithm_option": []any{"hmac_sha256", "hmac_sha1"}}},
		"/api/v2/vpn/openvpn/servers": []any{map[string]any{"id": 0, "description": "off", "disable": true, "digest": "SHA1"}},
		"/api/v2/vpn/openvpn/clients": []any{map[string]any{"id": 0, "description": "to hq", "digest": "sha1"}},
		"/api/v2/firewall/nat/port_forwards": []any{
			map[string]any{"id": 0, "interface": "wan", "protocol": "tcp", "source": "198.51.100.0/24", "target": "192.168.1.50", "local_port": "80", "associated_rule_id": "nat_1"},
			map[string]any{"id": 1, "interface": "wan", "protocol": "tcp", "source": "any", "target": "192.168.1.51", "local_port": "443", "associated_rule_id": "nat_2"},
			map[string]any{"id": 2, "interface": "wan", "protocol": "tcp", "source": "any", "target": "10.0.4.10", "local_port": "443", "associated_rule_id": "nat_3"},
		},
		"/api/v2/firewall/aliases": []any{
			map[string]any{"id": 0, "name": "web_servers", "type": "host", "address": []any{"10.0.4.10", "more_web"}},
			map[string]any{"id": 1, "name": "more_web", "type": "host", "address": []any{"10.0.4.11"}},
			map[string]any{"id": 2, "name": "web_ports", "type": "port", "address": []any{"80", "443"}},
		},
		"/api/v2/firewall/rules": []any{
			map[string]any{"id": 0, "type": "pass", "interface": []any{"wan"}, "protocol": "tcp", "source": "any", "destination": "192.168.1.50", "destination_port": "1:1024", "associated_rule_id": "nat_1"},
			map[string]any{"id": 1, "type": "pass", "interface": []any{"wan"}, "protocol": "tcp", "source": "any", "destination": "192.168.1.51", "destination_port": "443", "associated_rule_id": "nat_2"},
			// Aliases are resolved: two hosts and two ports where the forward has one of each.
			map[string]any{"id": 2, "type": "pass", "interface": []any{"wan"}, "protocol": "tcp", "source": "any", "destination": "web_servers", "destination_port": "web_ports", "associated_rule_id": "nat_3"},
		},
		// The config's own form: base64 of the PEM.
		"/api/v2/system/certificate_authorities": []any{map[string]any{"id": 0, "descr": "internal CA", "crt": base64.StdEncoding.EncodeToString([]byte(ca))}},
	}
	out := Audit(context.Background(), dispatcher(t, fw), now)
	byID := map[string]Finding{}
	for _, f := range out["findings"].([]Finding) {
		byID[f.ID] = f
	}
	sha1, _ := json.Marshal(byID["sha1_integrity"].Objects)
	if want := `[{"descr":"branch","id":0,"kind":"IPsec phase 1","uses":["PRF sha1"]},{"descr":"lan-lan","id":0,"kind":"IPsec phase 2","uses":["hmac_sha1"]},` +
		`{"descr":"to hq","id":0,"kind":"OpenVPN client","uses":["digest SHA1"]}]`; string(sha1) != want {
		t.Errorf("sha1_integrity objects\n got %s\nwant %s", sha1, want)
	}
	wider, _ := json.Marshal(byID["port_forward_rule_wider"].Objects)
	if want := `"wider":["source any, the forward only 198.51.100.0/24","ports 1:1024, the forward only 80"]`; !strings.Contains(string(wider), want) || strings.Contains(string(wider), "192.168.1.51") {
		t.Errorf("port_forward_rule_wider objects = %s, want only forwards 0 and 2, 0 with %s", wider, want)
	}
	if want := `"wider":["destination web_servers (10.0.4.10, 10.0.4.11), the forward only 10.0.4.10","ports web_ports (80, 443), the forward only 443"]`; !strings.Contains(string(wider), want) {
		t.Errorf("port_forward_rule_wider objects = %s, want forward 2 with %s", wider, want)
	}
	soon := byID["certificate_expiring"]
	if len(soon.Objects) != 1 || soon.Objects[0].(map[string]any)["kind"] != "certificate authority" || soon.Objects[0].(map[string]any)["days_left"] != 20 {
		t.Errorf("certificate_expiring = %+v", soon)
	}
}

// A read-only server lists no tool that changes anything: findings name none, and say that the
// fix needs writes.
func TestFindingsNameOnlyListedTools(t *testing.T) {
	fw := routes{"/api/v2/system/webgui/settings": map[string]any{"protocol": "http"}}
	var tools []toolspec.Tool
	for name, path := range sources {
		tools = append(tools, toolspec.Tool{Name: "pfsense_get_" + name, Method: "GET", Path: path, Kind: toolspec.KindSettings, Module: "x", InputSchema: `{"type":"object"}`})
	}
	tools = append(tools, toolspec.Tool{Name: "pfsense_update_system_webgui_settings", Method: "PATCH", Path: "/api/v2/system/webgui/settings", Kind: toolspec.KindSettings,
		Mutation: true, Module: "system", InputSchema: `{"type":"object"}`})
	for _, writes := range []bool{false, true} {
		inv, err := inventory.New(tools, inventory.Options{AllowWrites: writes})
		if err != nil {
			t.Fatal(err)
		}
		out := Audit(context.Background(), toolcall.New(toolcall.Options{Inventory: inv, Firewall: fw}), time.Now())
		b, _ := json.Marshal(out["findings"])
		if named := strings.Contains(string(b), "pfsense_update_system_webgui_settings"); named != writes {
			t.Errorf("writes=%v: the fix tool is named: %v (%s)", writes, named, b)
		}
		if says := strings.Contains(string(b), `"unavailable_tools":"The fix needs a tool this server does not list: it changes the firewall and the server is read-only (set PFSENSE_ALLOW_WRITES=true to enable changes)`); says == writes {
			t.Errorf("writes=%v: the finding says the fix needs writes: %v (%s)", writes, says, b)
		}
	}
}
