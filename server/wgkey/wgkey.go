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
	"sync"
	"time"

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
	`"confirm":{"type":["string","boolean"],"description":"Leave out to get a preview (nothing changes; a key pair is made and held here for it). To make the change, call again with the same arguments and the confirm_token the preview returned."}}}`

// Tool returns the tool for d.
func Tool(d *toolcall.Dispatcher) *toolcall.Extra {
	return &toolcall.Extra{
		Name:  Name,
		Title: "Create a WireGuard tunnel with a generated key",
		Description: "Generates a WireGuard key pair on this server and puts the private key straight into a new tunnel (tunnel: the fields of " +
			CreateTool + ") or an existing one (id), without the private key ever being shown; the answer gives the public key for the peers. " +
			"Without confirm it previews (with the public key the tunnel will have, and a confirm_token). Changes are pending until you call pfsense_apply_vpn_wireguard.",
		InputSchema: schema,
		// Re-keying an existing tunnel replaces its key: peers lose the tunnel until they get the new public key.
		Annotations: toolspec.Annotations{Destructive: true},
		Run: func(ctx context.Context, args map[string]any) (any, error) {
			return held.Run(ctx, d, args, rand.Reader)
		},
	}
}

// held keeps the key pairs of previews until they are confirmed.
var held = NewKeeper()

// Keeper holds the key pair generated for each preview, by the preview's confirm_token, so
// that confirming it sends exactly the arguments previewed (the token is bound to them) and
// the tunnel gets the public key the preview showed. A pair lasts as long as its token and is
// used once; only the process's memory ever holds the private half.
type Keeper struct {
	mu    sync.Mutex
	pairs map[string]heldPair
	now   func() time.Time
}

type heldPair struct {
	kp      KeyPair
	expires time.Time
}

// maxHeld bounds the key pairs held for previews; the one closest to expiry goes first.
const maxHeld = 64

// NewKeeper returns an empty Keeper.
func NewKeeper() *Keeper { return &Keeper{pairs: map[string]heldPair{}, now: time.Now} }

func (k *Keeper) hold(token string, kp KeyPair) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	for tok, p := range k.pairs {
		if now.After(p.expires) {
			delete(k.pairs, tok)
		}
	}
	for len(k.pairs) >= maxHeld {
		first := ""
		for tok, p := range k.pairs {
			if first == "" || p.expires.Before(k.pairs[first].expires) {
				first = tok
			}
		}
		delete(k.pairs, first)
	}
	k.pairs[token] = heldPair{kp: kp, expires: now.Add(toolcall.TokenTTL)}
}

func (k *Keeper) take(token string) (KeyPair, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	p, ok := k.pairs[token]
	delete(k.pairs, token)
	if !ok || k.now().After(p.expires) {
		return KeyPair{}, false
	}
	return p.kp, true
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

// Run creates or re-keys a tunnel: without confirm it previews with a new key pair, which it
// holds for the preview's confirm_token; with that token it sends the same key; with confirm
// true (where the operator allows it, or the user approves through the client) a fresh one.
func (k *Keeper) Run(ctx context.Context, d *toolcall.Dispatcher, args map[string]any, random interface{ Read([]byte) (int, error) }) (any, error) {
	tunnel, hasTunnel := args["tunnel"].(map[string]any)
	id, hasID := args["id"]
	switch {
	case hasTunnel == hasID:
		return nil, fmt.Errorf("give either `tunnel` (the fields of a new tunnel) or `id` (an existing tunnel), not %s", map[bool]string{true: "both", false: "neither"}[hasTunnel])
	case hasTunnel && tunnel[keyField] != nil:
		return nil, fmt.Errorf("argument `tunnel.%s`: leave it out, the key is generated here (that is what this tool is for)", keyField)
	}
	confirm := args[toolspec.ConfirmProperty]
	token, byToken := confirm.(string)
	var kp KeyPair
	if byToken {
		var ok bool
		if kp, ok = k.take(token); !ok {
			return nil, fmt.Errorf("the confirm_token is unknown, already used or expired for %s (tokens last %.0f minutes and work once): call %s without confirm to preview again (with a new key pair)", Name, toolcall.TokenTTL.Minutes(), Name)
		}
	} else {
		var err error
		if kp, err = NewKeyPair(random); err != nil {
			return nil, err
		}
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
	previewing := confirm == nil || confirm == false
	if !previewing {
		inner[toolspec.ConfirmProperty] = confirm
	}
	r := d.Call(ctx, target, inner)
	// Whatever the answer is (an echo of the request, a preview, an error), the private key
	// leaves this function only as the redaction marker.
	text := strings.ReplaceAll(r.Text, kp.Private, redact.Marker)
	text = strings.ReplaceAll(text, strings.ReplaceAll(kp.Private, "/", `\/`), redact.Marker)
	if r.IsError {
		// The advice names the tool the model called, not the one it runs.
		return toolcall.Result{Text: strings.ReplaceAll(text, target, Name), IsError: true}, nil
	}
	var answer map[string]any
	if err := json.Unmarshal([]byte(text), &answer); err != nil {
		return nil, fmt.Errorf("%s answered something that is not JSON: %w", target, err)
	}
	out := map[string]any{"ran": target}
	for k, v := range answer {
		out[k] = v
	}
	out["publickey"] = kp.Public
	if then, _ := out["then"].(string); strings.Contains(then, "preview again with apply: true") {
		// This tool's arguments have no apply of their own: a new tunnel's goes with its fields
		// (tunnel.apply); a new key for an existing tunnel is applied with the apply tool.
		if hasTunnel {
			out["then"] = strings.Replace(then, "preview again with apply: true", "preview again with apply: true inside tunnel", 1)
		} else {
			out["then"] = strings.SplitN(then, " (", 2)[0] + "."
		}
	}
	if previewing {
		if tok, _ := answer["confirm_token"].(string); tok != "" {
			k.hold(tok, kp)
			out["note"] = fmt.Sprintf("Nothing was changed. A key pair was generated for this preview and is held on this server (the private key is never shown); "+
				"publickey is the public key the tunnel will have. To make the change, call %s again with the same arguments and confirm set to %q (valid for %.0f minutes, once). Show the user what it would do first.",
				Name, tok, toolcall.TokenTTL.Minutes())
		} else if note, _ := answer["note"].(string); note != "" {
			out["note"] = strings.ReplaceAll(note, target, Name)
		}
		return out, nil
	}
	out["note"] = "The private key was generated on this server and sent only to pfSense; it is not shown anywhere. Give the public key to the peers."
	if data, _ := answer["data"].(map[string]any); data != nil {
		if pk, _ := data["publickey"].(string); pk != "" && pk != kp.Public {
			out["warning"] = "pfSense reports a different public key (" + pk + ") than the one derived here: use pfSense's."
		}
	}
	return out, nil
}
