package wgkey

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// RFC 7748 section 6.1: Alice's private key and the X25519 public key it gives.
const (
	alicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
	alicePublic  = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
)

func TestNewKeyPairClampsAndDerivesThePublicKey(t *testing.T) {
	raw, _ := hex.DecodeString(alicePrivate)
	kp, err := NewKeyPair(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	priv, _ := base64.StdEncoding.DecodeString(kp.Private)
	if len(priv) != 32 || priv[0] != 0x70 || priv[31] != 0x6a {
		t.Errorf("private key %x: want Alice's key clamped (first byte 70, last 6a)", priv)
	}
	pub, _ := base64.StdEncoding.DecodeString(kp.Public)
	if hex.EncodeToString(pub) != alicePublic {
		t.Errorf("public key %x, want %s", pub, alicePublic)
	}
	if len(kp.Private) != 44 || !strings.HasSuffix(kp.Private, "=") {
		t.Errorf("private key text %q: want 44 base64 characters as wg genkey prints", kp.Private)
	}
}

// tunnelFirewall accepts tunnel creates and updates and echoes the body back, private key
// included, as pfSense returns it.
type tunnelFirewall struct{ bodies []map[string]any }

func (f *tunnelFirewall) Do(_ context.Context, r pfclient.Request) (*pfclient.Response, error) {
	body, _ := r.Body.(map[string]any)
	if r.Method != "GET" {
		f.bodies = append(f.bodies, body)
	}
	data := map[string]any{"id": 0, "name": "tun_wg0", "publickey": "", "privatekey": "current-key-ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
	for k, v := range body {
		data[k] = v
	}
	b, _ := json.Marshal(data)
	return &pfclient.Response{HTTPStatus: 200, Data: b}, nil
}
func (*tunnelFirewall) HasBasicAuth() bool { return false }

func keyDispatcher(t *testing.T, fw toolcall.Firewall, expose bool, log *audit.Log) *toolcall.Dispatcher {
	return keyDispatcherIn(t, fw, expose, log, toolcall.ConfirmToken)
}

func keyDispatcherIn(t *testing.T, fw toolcall.Firewall, expose bool, log *audit.Log, mode toolcall.ConfirmMode) *toolcall.Dispatcher {
	t.Helper()
	props := `"listenport":{"type":"string"},"descr":{"type":"string"},"privatekey":{"type":"string"},"confirm":{"type":["string","boolean"]}`
	tools := []toolspec.Tool{
		{Name: CreateTool, Kind: toolspec.KindCreate, Module: "vpn_wireguard", Model: "WireGuardTunnel", Mutation: true, ApplyTool: "pfsense_apply_vpn_wireguard",
			Method: "POST", Path: "/api/v2/vpn/wireguard/tunnel",
			Params:      []toolspec.Param{{Name: "listenport", In: toolspec.InBody}, {Name: "descr", In: toolspec.InBody}, {Name: "privatekey", In: toolspec.InBody}},
			InputSchema: `{"type":"object","additionalProperties":false,"required":["privatekey"],"properties":{` + props + `}}`},
		{Name: UpdateTool, Kind: toolspec.KindUpdate, Module: "vpn_wireguard", Model: "WireGuardTunnel", Mutation: true, ReadTool: "pfsense_get_vpn_wireguard_tunnel",
			Method: "PATCH", Path: "/api/v2/vpn/wireguard/tunnel",
			Params:      []toolspec.Param{{Name: "id", In: toolspec.InBody}, {Name: "privatekey", In: toolspec.InBody}},
			InputSchema: `{"type":"object","additionalProperties":false,"required":["id"],"properties":{"id":{"type":"integer"},` + props + `}}`},
		{Name: "pfsense_get_vpn_wireguard_tunnel", Kind: toolspec.KindGet, Module: "vpn_wireguard", Model: "WireGuardTunnel",
			Method: "GET", Path: "/api/v2/vpn/wireguard/tunnel", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}},
			InputSchema: `{"type":"object","properties":{"id":{"type":"integer"}}}`},
	}
	inv, err := inventory.New(tools, inventory.Options{AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: fw, ExposeSecrets: expose, Audit: log, Confirm: mode})
	d.Register(Tool(d))
	return d
}

// answerOf decodes a tool answer.
func answerOf(t *testing.T, r toolcall.Result) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(r.Text), &out); err != nil {
		t.Fatalf("answer is not JSON: %s", r.Text)
	}
	return out
}

func TestThePrivateKeyGoesIntoTheTunnelAndNowhereElse(t *testing.T) {
	for _, expose := range []bool{false, true} {
		fw := &tunnelFirewall{}
		var auditBuf bytes.Buffer
		d := keyDispatcher(t, fw, expose, audit.New(&auditBuf))
		ctx := context.Background()
		tunnel := map[string]any{"listenport": "51820", "descr": "road warriors"}

		// A preview changes nothing, shows the public key the tunnel will get and a token.
		r := d.Call(ctx, Name, map[string]any{"tunnel": tunnel})
		preview := answerOf(t, r)
		token, _ := preview["confirm_token"].(string)
		if r.IsError || preview["preview"] != true || token == "" || len(fw.bodies) != 0 || !strings.Contains(preview["note"].(string), Name) {
			t.Fatalf("expose=%v preview: %s (sent %d)", expose, r.Text, len(fw.bodies))
		}
		// confirm=true is not enough in token mode, and the advice names this tool.
		r = d.Call(ctx, Name, map[string]any{"tunnel": tunnel, "confirm": true})
		if !r.IsError || !strings.Contains(r.Text, "call "+Name+" without confirm") || len(fw.bodies) != 0 {
			t.Fatalf("expose=%v confirm=true: %s (sent %d)", expose, r.Text, len(fw.bodies))
		}
		// Confirmed with the token: the create carries the previewed key; the answer only its public half.
		r = d.Call(ctx, Name, map[string]any{"tunnel": tunnel, "confirm": token})
		if r.IsError || len(fw.bodies) != 1 {
			t.Fatalf("expose=%v create: %s", expose, r.Text)
		}
		key, _ := fw.bodies[0]["privatekey"].(string)
		raw, err := base64.StdEncoding.DecodeString(key)
		if err != nil || len(raw) != 32 || raw[0]&7 != 0 || raw[31]&0xc0 != 0x40 {
			t.Fatalf("expose=%v: sent private key %q is not a clamped WireGuard key", expose, key)
		}
		out := answerOf(t, r)
		pub, _ := base64.StdEncoding.DecodeString(out["publickey"].(string))
		if len(pub) != 32 || out["ran"] != CreateTool || out["publickey"] != preview["publickey"] {
			t.Errorf("expose=%v: answer %s; the preview's public key was %v", expose, r.Text, preview["publickey"])
		}
		if strings.Contains(r.Text, key) || strings.Contains(auditBuf.String(), key) {
			t.Errorf("expose=%v: the private key leaked: answer %s; audit %s", expose, r.Text, auditBuf.String())
		}
		// The token works once.
		r = d.Call(ctx, Name, map[string]any{"tunnel": tunnel, "confirm": token})
		if !r.IsError || !strings.Contains(r.Text, "unknown, already used or expired") || len(fw.bodies) != 1 {
			t.Errorf("expose=%v: second use of the token: %s", expose, r.Text)
		}
		// Re-keying an existing tunnel goes through the update tool, with a new key.
		r = d.Call(ctx, Name, map[string]any{"id": 0.0})
		token, _ = answerOf(t, r)["confirm_token"].(string)
		r = d.Call(ctx, Name, map[string]any{"id": 0.0, "confirm": token})
		if r.IsError || len(fw.bodies) != 2 || fw.bodies[1]["id"] != 0.0 || fw.bodies[1]["privatekey"] == key || strings.Contains(r.Text, fw.bodies[1]["privatekey"].(string)) {
			t.Errorf("expose=%v: re-key: %s", expose, r.Text)
		}
	}
}

// Arguments other than the previewed ones are refused with the token, and nothing is sent.
func TestTheTokenConfirmsOnlyThePreviewedTunnel(t *testing.T) {
	fw := &tunnelFirewall{}
	d := keyDispatcher(t, fw, false, nil)
	ctx := context.Background()
	r := d.Call(ctx, Name, map[string]any{"tunnel": map[string]any{"listenport": "51820"}})
	token, _ := answerOf(t, r)["confirm_token"].(string)
	r = d.Call(ctx, Name, map[string]any{"tunnel": map[string]any{"listenport": "51821"}, "confirm": token})
	if !r.IsError || !strings.Contains(r.Text, "the arguments differ") || len(fw.bodies) != 0 {
		t.Errorf("other arguments with the token: %s (sent %d)", r.Text, len(fw.bodies))
	}
}

// Where the operator allows plain confirmation, confirm=true makes the tunnel with a fresh key.
func TestPlainConfirmationMakesAFreshKey(t *testing.T) {
	fw := &tunnelFirewall{}
	d := keyDispatcherIn(t, fw, false, nil, toolcall.ConfirmPlain)
	r := d.Call(context.Background(), Name, map[string]any{"tunnel": map[string]any{"listenport": "51820"}, "confirm": true})
	if r.IsError || len(fw.bodies) != 1 || fw.bodies[0]["privatekey"] == "" || answerOf(t, r)["publickey"] == "" {
		t.Errorf("plain confirm: %s (sent %d)", r.Text, len(fw.bodies))
	}
}

func TestBadArgumentsAreRefusedBeforeAnyKeyIsMade(t *testing.T) {
	fw := &tunnelFirewall{}
	d := keyDispatcher(t, fw, false, nil)
	for _, tc := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"confirm": true}, "give either `tunnel` (the fields of a new tunnel) or `id` (an existing tunnel), not neither"},
		{map[string]any{"id": 0.0, "tunnel": map[string]any{}, "confirm": true}, "not both"},
		{map[string]any{"tunnel": map[string]any{"privatekey": "x"}, "confirm": true}, "argument `tunnel.privatekey`: leave it out"},
		{map[string]any{"tunnel": map[string]any{"listenport": 51820.0}, "confirm": true}, "argument `listenport`: must be a string"},
	} {
		r := d.Call(context.Background(), Name, tc.args)
		if !r.IsError || !strings.Contains(r.Text, tc.want) {
			t.Errorf("%v: %s; want an error containing %q", tc.args, r.Text, tc.want)
		}
	}
	if len(fw.bodies) != 0 {
		t.Errorf("bad arguments sent %d changes", len(fw.bodies))
	}
}
