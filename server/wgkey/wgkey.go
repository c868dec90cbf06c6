// Package wgkey provides pfsense_generate_wireguard_tunnel_key: a WireGuard tunnel needs a
// private key and the REST API makes none, so this server generates one (X25519, as `wg
// genkey` does), sends it straight into a new tunnel or an existing one through the ordinary
// create or update tool (same validation, confirm gate, audit and redaction), and shows only
// the public key. The private key never appears in an answer, preview, error or log, whatever
// PFSENSE_EXPOSE_SECRETS says.
package wgkey

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// Name is the tool's name.
const Name = "pfsense_generate_wireguard_tunnel_key"

// The tools it runs: creating a tunnel and updating one (the REST API's own).
const (
	CreateTool = "pfsense_create_vpn_wireguard_tunnel"
	UpdateTool = "pfsense_update_vpn_wireguard_tunnel"
)

const keyField = "privatekey"

const schema = `{"type":"object","additionalProperties":false,"properties":{` +
	`"tunnel":{"type":"object","description":"A new tunnel: the arguments of ` + CreateTool + ` (listenport, descr, addresses, ...) without privatekey."},` +
	`"id":{"type":"integer","minimum":0,"description":"Or an existing tunnel's id, to give it a new key pair (its peers then need the new public key)."},` +
	`"confirm":{"type":"boolean","description":"true: make the change; without it, only a preview."}}}`

// Tool returns the tool for d.
func Tool(d *toolcall.Dispatcher) *toolcall.Extra {
	return &toolcall.Extra{
		Name:  Name,
		Title: "Create a WireGuard tunnel with a generated key",
		Description: "Generates a WireGuard key pair on this server and puts the private key straight into a new tunnel (tunnel: the fields of " +
			CreateTool + ") or an existing one (id), without the private key ever being shown; the answer gives the public key for the peers. " +
			"Without confirm: true it previews. Changes are pending until you call pfsense_apply_vpn_wireguard.",
		InputSchema: schema,
		// Re-keying an existing tunnel replaces its key: peers lose the tunnel until they get the new public key.
		Annotations: toolspec.Annotations{Destructive: true},
		Run: func(ctx context.Context, args map[string]any) (any, error) {
			return Run(ctx, d, args, rand.Reader)
		},
	}
}

// KeyPair is a WireGuard key pair in its base64 text form.
type KeyPair struct {
	Private, Public string
}

// NewKeyPair returns a key pair from 32 random bytes, clamped as WireGuard clamps private keys
// (the low 3 bits of the first byte cleared, the top bit of the last cleared and the next set:
// wg(8) genkey, and pfSense's wg_clamp_key() in the WireGuard package), with the X25519 public key.
func NewKeyPair(random interface{ Read([]byte) (int, error) }) (KeyPair, error) {
	k := make([]byte, 32)
	if _, err := random.Read(k); err != nil {
		return KeyPair{}, fmt.Errorf("generate a WireGuard key: %w", err)
	}
	k[0] &= 248
	k[31] = (k[31] & 127) | 64
	priv, err := ecdh.X25519().NewPrivateKey(k)
	if err != nil {
		return KeyPair{}, fmt.Errorf("generate a WireGuard key: %w", err)
	}
	return KeyPair{Private: base64.StdEncoding.EncodeToString(k), Public: base64.StdEncoding.EncodeToString(priv.PublicKey().Bytes())}, nil
}

// Run creates or re-keys a tunnel.
func Run(ctx context.Context, d *toolcall.Dispatcher, args map[string]any, random interface{ Read([]byte) (int, error) }) (any, error) {
	tunnel, hasTunnel := args["tunnel"].(map[string]any)
	id, hasID := args["id"]
	switch {
	case hasTunnel == hasID:
		return nil, fmt.Errorf("give either `tunnel` (the fields of a new tunnel) or `id` (an existing tunnel), not %s", map[bool]string{true: "both", false: "neither"}[hasTunnel])
	case hasTunnel && tunnel[keyField] != nil:
		return nil, fmt.Errorf("argument `tunnel.%s`: leave it out, the key is generated here (that is what this tool is for)", keyField)
	}
	kp, err := NewKeyPair(random)
	if err != nil {
		return nil, err
	}
	inner, target := map[string]any{}, CreateTool
	if hasTunnel {
		for k, v := range tunnel {
			inner[k] = v
		}
	} else {
		inner["id"], target = id, UpdateTool
	}
	inner[keyField] = kp.Private
	confirmed := args[toolspec.ConfirmProperty] == true
	if confirmed {
		inner[toolspec.ConfirmProperty] = true
	}
	r := d.Call(ctx, target, inner)
	// Whatever the answer is (an echo of the request, a preview, an error), the private key
	// leaves this function only as the redaction marker.
	text := strings.ReplaceAll(r.Text, kp.Private, redact.Marker)
	text = strings.ReplaceAll(text, strings.ReplaceAll(kp.Private, "/", `\/`), redact.Marker)
	if r.IsError {
		return toolcall.Result{Text: text, IsError: true}, nil
	}
	var answer map[string]any
	if err := json.Unmarshal([]byte(text), &answer); err != nil {
		return nil, fmt.Errorf("%s answered something that is not JSON: %w", target, err)
	}
	out := map[string]any{"ran": target}
	for k, v := range answer {
		out[k] = v
	}
	if !confirmed {
		out["note"] = "A key pair is generated when you confirm (the one in this preview is thrown away); the answer then gives its public key (publickey)."
		return out, nil
	}
	out["publickey"] = kp.Public
	out["note"] = "The private key was generated on this server and sent only to pfSense; it is not shown anywhere. Give the public key to the peers."
	if data, _ := answer["data"].(map[string]any); data != nil {
		if pk, _ := data["publickey"].(string); pk != "" && pk != kp.Public {
			out["warning"] = "pfSense reports a different public key (" + pk + ") than the one derived here: use pfSense's."
		}
	}
	return out, nil
}
