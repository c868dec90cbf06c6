package simulator

import (
	"encoding/base64"
	"regexp"

	"golang.org/x/crypto/curve25519"
)

// WireGuard keys as the WireGuard package checks them (pfSense-pkg-WireGuard wg.inc:
// wg_is_valid_key, wg_is_key_clamped, wg_clamp_key, wg_gen_publickey).

// wgKeyRe is wg_is_valid_key's pattern: 32 bytes in base64.
var wgKeyRe = regexp.MustCompile(`^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw480]=$`)

func wgValidKey(k string) bool { return wgKeyRe.MatchString(k) }

// wgClamp is wg_clamp_key: a private key with the X25519 clamping applied.
func wgClamp(k string) string {
	raw, err := base64.StdEncoding.DecodeString(k)
	if err != nil || len(raw) != 32 {
		return k
	}
	raw[0] &= 248
	raw[31] = (raw[31] & 127) | 64
	return base64.StdEncoding.EncodeToString(raw)
}

// wireguardPublic derives a WireGuard public key (X25519 of the base point) from a base64
// private key, as `wg pubkey` does; "" when the key is not one.
func wireguardPublic(private string) string {
	raw, err := base64.StdEncoding.DecodeString(private)
	if err != nil || len(raw) != 32 {
		return ""
	}
	pub, err := curve25519.X25519(raw, curve25519.Basepoint)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(pub)
}
