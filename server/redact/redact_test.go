package redact

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestIsSecretFieldOnRealPfSenseNames(t *testing.T) {
	secret := []string{
		"password", "key", "hash", "token", "prv", "privatekey", "presharedkey", "pre_shared_key",
		"ipsecpsk", "tls", "accountkey", "keypaste", "proxypass", "proxy_passwd", "auth_pass",
		"ldap_bindpw", "radius_secret", "naspassword", "secret", "motp_secret", "motp_pin",
		"stats_password", "ha_sync_password", "cf_token", "ali_secret", "aws_secret_access_key",
		"openprovider_passwordhash", "azuredns_clientsecret", "serverauthkey", "pass", "passphrase",
		"haproxy_cookie_dynamic_cookie_key", "kas_authdata", "dnshome_subdomainpassword", "ULTRA_PWD",
		"X-API-Key", "Authorization",
	}
	public := []string{
		"publickey", "name", "descr", "keylen", "keytype", "hash_algo", "hash_algorithm", "authorizedkeys",
		"usepass", "useproxypass", "usetoken", "passtos", "tls_type", "use_tls", "tlsauth_keydir",
		"hide_secrets", "auth_methods", "crt", "cert", "certref", "reusekey", "nsupdate_keyname",
		"inbytespass", "passwd_protect_console", "password_encryption", "motp_enable", "sshdkeyonly",
		"encryption_algorithm_keylen", "id", "address",
	}
	for _, n := range secret {
		if !IsSecretField(n) {
			t.Errorf("IsSecretField(%q) = false, want true", n)
		}
	}
	for _, n := range public {
		if IsSecretField(n) {
			t.Errorf("IsSecretField(%q) = true, want false", n)
		}
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValueRedactsByNameAndForm(t *testing.T) {
	in := decode(t, `{
		"id": 0, "name": "wg0", "privatekey": "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
		"publickey": "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
		"peers": [{"presharedkey": "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=", "port": 51820}],
		"cert": {"prv": "-----BEGIN PRIVATE KEY-----\nMIIE...", "crt": "-----BEGIN CERTIFICATE-----\nMIID..."},
		"note": "-----BEGIN OpenVPN Static key V1-----\n6acef03f...",
		"hashed": "$2y$10$5pzqK8o0Vb7Q1x0C8n8mSe0ZcM3wN8yJm6o5hZ2q1cQ1Yb3nS8q9e",
		"usepass": true, "password": 12345, "empty_secret": ""
	}`)
	out, did := new(Redactor).Value(in)
	if !did {
		t.Fatal("nothing was redacted")
	}
	want := decode(t, `{
		"id": 0, "name": "wg0", "privatekey": "[REDACTED]",
		"publickey": "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
		"peers": [{"presharedkey": "[REDACTED]", "port": 51820}],
		"cert": {"prv": "[REDACTED]", "crt": "-----BEGIN CERTIFICATE-----\nMIID..."},
		"note": "[REDACTED]",
		"hashed": "[REDACTED]",
		"usepass": true, "password": "[REDACTED]", "empty_secret": ""
	}`)
	if !reflect.DeepEqual(out, want) {
		got, _ := json.MarshalIndent(out, "", " ")
		t.Errorf("redacted =\n%s", got)
	}
	if in.(map[string]any)["privatekey"] == Marker {
		t.Error("Value modified its input")
	}
}

func TestKnownSecretsAreScrubbedFromText(t *testing.T) {
	var r Redactor
	r.Know("hunter2-long-secret", "abc") // "abc" is too short to scrub safely
	got := r.Text("Field `password` value hunter2-long-secret is too weak; abc stays")
	if got != "Field `password` value [REDACTED] is too weak; abc stays" {
		t.Errorf("Text = %q", got)
	}
	out, did := r.Value(map[string]any{"message": "echo hunter2-long-secret"})
	if !did || out.(map[string]any)["message"] != "echo [REDACTED]" {
		t.Errorf("Value = %v, %v", out, did)
	}
}

func TestSecretsIn(t *testing.T) {
	got := SecretsIn(decode(t, `{"name": "u", "password": "p4ssw0rd!", "nested": [{"psk": "s3cr3t-psk"}], "k": "-----BEGIN RSA PRIVATE KEY-----abc"}`))
	want := map[string]bool{"p4ssw0rd!": true, "s3cr3t-psk": true, "-----BEGIN RSA PRIVATE KEY-----abc": true}
	if len(got) != len(want) {
		t.Fatalf("SecretsIn = %q", got)
	}
	for _, s := range got {
		if !want[s] {
			t.Errorf("unexpected secret %q", s)
		}
	}
}
