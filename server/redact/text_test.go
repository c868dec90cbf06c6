package redact

import (
	"encoding/base64"
	"strings"
	"testing"
)

// Free text in the formats pfSense writes: what is secret goes, the rest stays as it was.
func TestTextHidesSecretsInTheFormatsPfSenseWrites(t *testing.T) {
	pemKey := "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBm1\n-----END EC PRIVATE KEY-----\n"
	pemCert := "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIBATAK\n-----END CERTIFICATE-----\n"
	staticKey := "-----BEGIN OpenVPN Static key V1-----\n6c0b5fd3ab\n-----END OpenVPN Static key V1-----\n"
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	const bcrypt = "$2y$10$GZ1u0bJ8ZyD3w8oH4oP5XuRkqR1y2wK3x4v5u6t7s8r9q0p1o2n3m"
	cases := []struct{ name, in, want string }{
		// config.xml (src/etc/inc/auth.inc, certs.inc, ipsec.inc, openvpn.inc; the WireGuard
		// package's wg.inc): elements named as secrets, plain, base64 or in CDATA.
		{"bcrypt element", "<user>\n\t<name>admin</name>\n\t<bcrypt-hash>" + bcrypt + "</bcrypt-hash>\n</user>",
			"<user>\n\t<name>admin</name>\n\t<bcrypt-hash>[REDACTED]</bcrypt-hash>\n</user>"},
		{"psk element", "<phase1><ikeid>1</ikeid><pre-shared-key>correct horse</pre-shared-key></phase1>",
			"<phase1><ikeid>1</ikeid><pre-shared-key>[REDACTED]</pre-shared-key></phase1>"},
		{"cdata", "<ipsecpsk><![CDATA[a<b&c]]></ipsecpsk>", "<ipsecpsk>[REDACTED]</ipsecpsk>"},
		{"base64 key in prv, certificate kept", "<cert><crt>" + b64(pemCert) + "</crt><prv>" + b64(pemKey) + "</prv></cert>",
			"<cert><crt>" + b64(pemCert) + "</crt><prv>[REDACTED]</prv></cert>"},
		{"base64 key outside an element", "key: " + b64(pemKey)[:40] + "\n", "key: [REDACTED]\n"},
		{"base64 certificate alone stays", "crt " + b64(pemCert), "crt " + b64(pemCert)},
		{"wireguard element", "<item><privatekey>yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=</privatekey><publickey>HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=</publickey></item>",
			"<item><privatekey>[REDACTED]</privatekey><publickey>HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=</publickey></item>"},
		{"empty element stays", "<pre-shared-key></pre-shared-key>", "<pre-shared-key></pre-shared-key>"},
		// wg(8) files (wg.inc wg_make_tunnel_conf_file) and swanctl.conf (ipsec.inc:
		// secret = 0s<base64>).
		{"wg conf", "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nListenPort = 51820\n[Peer]\nPublicKey = HIgo9xNz=\nPresharedKey = FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=\n",
			"[Interface]\nPrivateKey = [REDACTED]\nListenPort = 51820\n[Peer]\nPublicKey = HIgo9xNz=\nPresharedKey = [REDACTED]\n"},
		{"swanctl", "secrets {\n\tike-0 {\n\t\tsecret = 0sU0VOVC1wcmU=\n\t\tid-0 = %any\n\t}\n}", "secrets {\n\tike-0 {\n\t\tsecret = [REDACTED]\n\t\tid-0 = %any\n\t}\n}"},
		{"ipsec.secrets", `%any 198.51.100.20 : PSK "s3cr3t value"`, `%any 198.51.100.20 : PSK [REDACTED]`},
		{"yaml-like line", "  password: hunter22\n  user: bob", "  password: [REDACTED]\n  user: bob"},
		// Words and pairs inside a line.
		{"query string", "GET /api?user=bob&password=hunter22&x=1", "GET /api?user=bob&password=[REDACTED]&x=1"},
		{"shell variable", "env API_KEY=abcdef123 run", "env API_KEY=[REDACTED] run"},
		{"json text", `{"username":"bob","password":"hun\"ter","descr":"x"}`, `{"username":"bob","password":"[REDACTED]","descr":"x"}`},
		{"url userinfo", "fetch https://bob:hunter22@example.com/x failed", "fetch https://bob:[REDACTED]@example.com/x failed"},
		// Key material and hashes anywhere: blocks go, the certificate beside them stays.
		{"pem blocks", "cert:\n" + pemCert + pemKey + "done", "cert:\n" + pemCert + "[REDACTED]\ndone"},
		{"pem cut short", "head: -----BEGIN RSA PRIVATE KEY-----\nMIIEow", "head: [REDACTED]"},
		{"static key", "tls " + staticKey, "tls [REDACTED]\n"},
		{"crypt hashes", "admin:" + bcrypt + ":0:0 and root:$6$saltsalt$" + strings.Repeat("a", 86) + ":1",
			"admin:[REDACTED]:0:0 and root:[REDACTED]:1"},
		// What must stay: flags, paths, names that only look like secrets, ordinary text.
		{"flag", "set PFSENSE_EXPOSE_SECRETS=true to see them", "set PFSENSE_EXPOSE_SECRETS=true to see them"},
		{"key file path", "PFSENSE_API_KEY_FILE=/etc/pfsense-mcp/key", "PFSENSE_API_KEY_FILE=/etc/pfsense-mcp/key"},
		{"not secret names", "keylen: 256\nhash_algo=sha256\nusepass: yes\npublickey = HIgo9xNz=", "keylen: 256\nhash_algo=sha256\nusepass: yes\npublickey = HIgo9xNz="},
		{"log line", "Dec  3 20:48:54 pfSense sshd[1234]: Accepted publickey for admin from 192.168.1.10 port 52311 ssh2",
			"Dec  3 20:48:54 pfSense sshd[1234]: Accepted publickey for admin from 192.168.1.10 port 52311 ssh2"},
		{"url without password", "https://bob@example.com:8443/x", "https://bob@example.com:8443/x"},
		{"prices", "costs $10.00, $2y", "costs $10.00, $2y"},
	}
	var r Redactor
	for _, tc := range cases {
		if got := r.Text(tc.in); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// A tool answer that holds a key among other output keeps the rest; a value that is only a key
// goes whole.
func TestValueKeepsOutputAroundAKey(t *testing.T) {
	pemKey := "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
	v, rep := New(nil).Value(map[string]any{"output": "$ cat key.pem\n" + pemKey + "\nexit 0", "prv2": pemKey})
	m := v.(map[string]any)
	if m["output"] != "$ cat key.pem\n[REDACTED]\nexit 0" || m["prv2"] != Marker {
		t.Errorf("got %q", m)
	}
	if f := rep.Fields(); len(f) != 2 {
		t.Errorf("report names %v, want output and prv2", f)
	}
}

func BenchmarkTextOrdinaryAnswer(b *testing.B) {
	// The strings of an ordinary list answer: names, addresses, descriptions.
	values := []string{"192.168.1.0/24", "LAN net to any", "pass", "inet", "lan", "1700000000", "admin@192.168.1.10 (Local Database)", "web_servers"}
	var r Redactor
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, v := range values {
			_ = r.Text(v)
		}
	}
}
