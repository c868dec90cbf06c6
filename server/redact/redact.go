// Package redact removes secrets from everything the server shows: tool answers, previews,
// errors and the audit log. A value is secret when its field name says so (password, psk,
// privatekey, token, ... as used by the pfSense REST API), when it looks like key material
// (PEM private keys, OpenVPN static keys, crypt/bcrypt hashes), or when it is a secret the caller
// sent in this very call (so an echo of it in an error message is caught too).
package redact

import (
	"regexp"
	"sort"
	"strings"
)

// Marker replaces every secret value.
const Marker = "[REDACTED]"

// exactNames are field names that hold secrets in the pfSense REST API, matched whole.
var exactNames = map[string]bool{
	"key": true, "hash": true, "token": true, "secret": true, "pass": true, "passwd": true,
	"password": true, "passphrase": true, "prv": true, "privatekey": true, "presharedkey": true,
	"pre_shared_key": true, "ipsecpsk": true, "tls": true, "accountkey": true, "keypaste": true,
	"proxypass": true, "proxy_passwd": true, "auth_pass": true, "ldap_bindpw": true,
	"radius_secret": true, "naspassword": true, "serverauthkey": true, "shared_key": true,
	"private_key": true, "api_key": true, "apikey": true, "x-api-key": true, "authorization": true,
	"jwt": true, "bcrypt-hash": true, "sha512-hash": true, "md5-hash": true, "source_hash_key": true,
	"haproxy_cookie_dynamic_cookie_key": true, "community": true,
	// Downloaded files (PKCS#12 archives, OpenVPN client configurations) embed private keys.
	"content_base64": true,
}

// secretTokens mark a field as secret when they appear as one of its _-separated words
// (ali_secret, cf_token, stats_password, motp_pin, aws_secret_access_key, ...).
var secretTokens = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "pass": true, "secret": true, "token": true,
	"psk": true, "pin": true, "apikey": true, "apitoken": true, "privatekey": true, "key": true,
	"passwordhash": true, "clientsecret": true, "authsecret": true, "authdata": true, "apisecret": true,
	"subdomainpassword": true, "letoken": true, "bindpw": true,
}

// notSecret are names that contain a secret-looking word but hold no secret.
var notSecret = map[string]bool{ // a set: every value is true
	"keylen": true, "keylength": true, "keytype": true, "hash_algo": true,
	"hash_algorithm": true, "hash_algorithm_option": true, "nsupdate_keyalgo": true, "nsupdate_keyname": true,
	"publickey": true, "reusekey": true, "usepass": true, "useproxypass": true, "usetoken": true,
	"passtos": true, "authorizedkeys": true, "tlsauth_keydir": true, "tls_type": true, "use_tls": true,
	"tls_hostname": true, "forward_tls_upstream": true, "hide_secrets": true, "motp_enable": true,
	"keyid": true, "token_type": true, "sshdkeyonly": true, "tlsport": true,
	"encryption_algorithm_keylen": true, "encr_keysize": true, "password_encryption": true,
	"passwd_protect_console": true, "inbytespass": true, "outbytespass": true, "inpktspass": true,
	"outpktspass": true, "nologdefaultpass": true, "auth_methods": true, "key_type": true,
}

// IsSecretField reports whether a field with this name holds a secret.
func IsSecretField(name string) bool {
	n := strings.ToLower(name)
	if notSecret[n] {
		return false
	}
	if exactNames[n] {
		return true
	}
	for _, tok := range strings.FieldsFunc(n, func(r rune) bool { return r == '_' || r == '-' }) {
		if secretTokens[tok] {
			return true
		}
	}
	return false
}

// keyMaterial matches values that are secrets whatever their field is called.
var keyMaterial = []*regexp.Regexp{
	regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`),
	regexp.MustCompile(`-----BEGIN OpenVPN Static key`),
	regexp.MustCompile(`^\$(2[abxy]?|5|6|y|argon2(id|i|d))\$[^\s]{20,}$`), // crypt(3) hashes
}

// LooksLikeKeyMaterial reports whether a string value is a secret by its form.
func LooksLikeKeyMaterial(s string) bool {
	if len(s) < 20 {
		return false
	}
	for _, re := range keyMaterial {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// Redactor redacts values decoded from JSON (map[string]any, []any, strings, numbers, ...).
// Its zero value redacts by field name and form; Known adds values to scrub from any text.
type Redactor struct {
	known []string // sorted longest first, so a longer secret is replaced before its prefix.
}

// minKnown is the shortest caller secret scrubbed from free text: shorter values would
// mangle ordinary words.
const minKnown = 6

// Know adds secret values (for example the secrets the caller sent) to scrub from all text.
func (r *Redactor) Know(values ...string) {
	for _, v := range values {
		if len(v) >= minKnown {
			r.known = append(r.known, v)
		}
	}
	sort.Slice(r.known, func(i, j int) bool { return len(r.known[i]) > len(r.known[j]) })
}

// Value returns v with secrets replaced by Marker. v is not modified. It reports whether
// anything was redacted.
func (r *Redactor) Value(v any) (any, bool) {
	return r.walk(v, false)
}

func (r *Redactor) walk(v any, secretField bool) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		any := false
		for k, val := range x {
			red, did := r.walk(val, IsSecretField(k))
			out[k] = red
			any = any || did
		}
		return out, any
	case []any:
		out := make([]any, len(x))
		any := false
		for i, val := range x {
			red, did := r.walk(val, secretField)
			out[i] = red
			any = any || did
		}
		return out, any
	case string:
		if secretField && x != "" {
			return Marker, true
		}
		if LooksLikeKeyMaterial(x) {
			return Marker, true
		}
		s := r.Text(x)
		return s, s != x
	default:
		if secretField && v != nil {
			if b, ok := v.(bool); ok {
				return b, false // flags such as "usepass: true" reveal nothing
			}
			return Marker, true
		}
		return v, false
	}
}

// Text scrubs known secret values from free text (messages, errors).
func (r *Redactor) Text(s string) string {
	for _, k := range r.known {
		if strings.Contains(s, k) {
			s = strings.ReplaceAll(s, k, Marker)
		}
	}
	return s
}

// SecretsIn returns the secret string values found in v (by field name or form), for Know.
func SecretsIn(v any) []string {
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				walk(val, IsSecretField(k))
			}
		case []any:
			for _, val := range x {
				walk(val, secret)
			}
		case string:
			if (secret || LooksLikeKeyMaterial(x)) && x != "" {
				out = append(out, x)
			}
		}
	}
	walk(v, false)
	return out
}
