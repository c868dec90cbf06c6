// Package secretname says whether a field name looks like it holds a secret, by the words the
// pfSense REST API uses for them (password, psk, privatekey, token, ...). It is the fallback for
// what the REST API package states itself: the generator marks secret fields from the native
// schema (sensitive and write-only fields) and uses these names only for a spec without one; the
// server's redactor applies them everywhere as a safety net, because a few fields that carry
// credentials are flagged neither way (the key answered by POST /auth/key, the JWT of
// POST /auth/jwt, User.ipsecpsk).
package secretname

import "strings"

// exact are field names that hold secrets in the pfSense REST API, matched whole.
var exact = map[string]bool{
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

// tokens mark a field as secret when they appear as one of its _-separated words
// (ali_secret, cf_token, stats_password, motp_pin, aws_secret_access_key, ...).
var tokens = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "pass": true, "secret": true, "token": true,
	"psk": true, "pin": true, "apikey": true, "apitoken": true, "privatekey": true, "key": true,
	"passwordhash": true, "clientsecret": true, "authsecret": true, "authdata": true, "apisecret": true,
	"subdomainpassword": true, "letoken": true, "bindpw": true, "creds": true, "apipw": true,
	"pw": true, "secretkey": true,
}

// substrings mark a field as secret wherever they appear in its name (webrootftppassword).
var substrings = []string{"password", "passwd", "secret", "privatekey", "apikey", "apitoken"}

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
	// The server's own preview answer: a one-time token the model passes back, no credential.
	"confirm_token": true,
}

// Is reports whether a field with this name looks like it holds a secret.
func Is(name string) bool {
	n := strings.ToLower(name)
	if notSecret[n] {
		return false
	}
	if exact[n] {
		return true
	}
	for _, tok := range strings.FieldsFunc(n, func(r rune) bool { return r == '_' || r == '-' }) {
		if tokens[tok] {
			return true
		}
	}
	for _, sub := range substrings {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}
