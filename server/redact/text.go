package redact

import (
	"encoding/base64"
	"regexp"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/internal/secretname"
)

// Free text can carry secrets that no field name marks: a shell command's output (`cat
// /conf/config.xml`, a WireGuard or strongSwan configuration), a log line, a JSON document held
// in a string. scrubFormats hides the values that the formats pfSense writes mark as secret:
//
//   - XML elements named like a secret, as config.xml holds them: <pre-shared-key>,
//     <privatekey>, <presharedkey>, <bcrypt-hash>, <prv> (a base64 PEM key), <tls> (a base64
//     OpenVPN static key), <ipsecpsk>, <ldap_bindpw>, ... (CDATA included);
//   - "name = value" and "name: value" lines with such a name: wg(8)'s PrivateKey and
//     PresharedKey, swanctl.conf's `secret = 0s<base64>` (pfSense's ipsec.inc writes the
//     pre-shared key base64-encoded), OpenVPN's and daemons' key files;
//   - name=value words (URL query strings, shell variables) and "name": "value" pairs of JSON
//     text with such a name;
//   - URL user info (scheme://user:password@host);
//   - ipsec.secrets' `: PSK "..."` (also EAP and XAUTH);
//   - PEM private key and OpenVPN static key blocks, plain or base64-encoded (a certificate
//     block beside them stays), and crypt(3) hashes ($2y$, $6$, $5$, $1$) anywhere.
//
// Names are judged by package secretname, as field names are.
func scrubFormats(s string) string {
	if len(s) < minToken {
		return s
	}
	if strings.Contains(s, "-----BEGIN") {
		s = pemBlock.ReplaceAllStringFunc(s, func(m string) string {
			if strings.Contains(m, "PRIVATE KEY") || strings.Contains(m, "OpenVPN Static key") {
				return Marker
			}
			return m
		})
	}
	if strings.Contains(s, "LS0tLS1CRUdJTi") { // base64 of "-----BEGIN "
		s = b64PEM.ReplaceAllStringFunc(s, func(m string) string {
			if b64HoldsKey(m) {
				return Marker
			}
			return m
		})
	}
	if strings.Contains(s, "$") {
		s = cryptHash.ReplaceAllString(s, Marker)
	}
	if strings.Contains(s, "</") {
		s = xmlElement.ReplaceAllStringFunc(s, func(m string) string {
			g := xmlElement.FindStringSubmatch(m)
			if g[1] != g[3] || !secretname.Is(g[1]) || g[2] == "" || g[2] == "<![CDATA[]]>" {
				return m
			}
			return "<" + g[1] + ">" + Marker + "</" + g[3] + ">"
		})
	}
	if strings.ContainsAny(s, "=:") {
		s = replaceNamed(configLine, s, 2, 4)
		s = replaceNamed(wordAssign, s, 2, 3)
	}
	if strings.Contains(s, `"`) {
		s = replaceNamed(jsonPair, s, 1, 2)
		s = psk.ReplaceAllString(s, "${1}"+Marker)
	}
	if strings.Contains(s, "://") {
		s = urlUserinfo.ReplaceAllString(s, "${1}"+Marker+"${3}")
	}
	return s
}

var (
	// A PEM block, or its start up to the end of the text when cut short (head -n 5 key.pem).
	pemBlock = regexp.MustCompile(`-----BEGIN ([A-Za-z0-9 ]+)-----(?s:.*?)(?:-----END [A-Za-z0-9 ]+-----|\z)`)
	// A base64 text starting with "-----BEGIN ", line breaks allowed (config.xml's <prv>, <tls>).
	b64PEM    = regexp.MustCompile(`LS0tLS1CRUdJTi(?:[A-Za-z0-9+/]|\r?\n[A-Za-z0-9+/])*={0,2}`)
	cryptHash = regexp.MustCompile(`\$(?:2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}|[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}|1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22})`)
	// <name>value</name>; Go's regexp has no back references, so the names are compared after.
	xmlElement = regexp.MustCompile(`<([A-Za-z_][\w.-]*)>(<!\[CDATA\[(?s:.*?)\]\]>|[^<]*)</([A-Za-z_][\w.-]*)>`)
	// A line "name = value" or "name: value" (indented or not); the value runs to the line's end.
	configLine = regexp.MustCompile(`(?m)^(\s*)([A-Za-z_][\w.-]*)(\s*[=:][ \t]*)([^\s].*?)\s*$`)
	// name=value inside a line: a query string, a shell assignment, a daemon's argument.
	wordAssign = regexp.MustCompile(`(^|[\s?&;,(])([A-Za-z_][\w.-]*)=([^\s&;,"')]+)`)
	jsonPair   = regexp.MustCompile(`"([A-Za-z_][\w.-]*)"\s*:\s*"((?:[^"\\]|\\.)+)"`)
	psk        = regexp.MustCompile(`(:\s*(?:PSK|EAP|XAUTH)\s+)("[^"\n]*"|0[sx]\S+)`)
	// scheme://user:password@host: the password goes, the user stays.
	urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)([^@\s/]+)(@)`)
)

// replaceNamed replaces submatch value of every match of re whose submatch name is a secret's
// name with Marker, keeping the rest of the match.
func replaceNamed(re *regexp.Regexp, s string, name, value int) string {
	idx := re.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		n := s[m[2*name]:m[2*name+1]]
		vs, ve := m[2*value], m[2*value+1]
		if !secretname.Is(n) || harmless(n, s[vs:ve]) {
			continue
		}
		b.WriteString(s[last:vs])
		b.WriteString(Marker)
		last = ve
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// harmless reports whether a value under a secret's name reveals nothing: a flag (as walk
// keeps booleans), a file's path (PFSENSE_API_KEY_FILE=/etc/...), or one already hidden.
func harmless(name, value string) bool {
	switch strings.ToLower(strings.Trim(value, `'"`)) {
	case "true", "false", "yes", "no", "on", "off", "null", "none", strings.ToLower(Marker):
		return true
	}
	n := strings.ToLower(name)
	return strings.HasSuffix(n, "_file") || strings.HasSuffix(n, "file") && strings.HasPrefix(value, "/")
}

// b64HoldsKey reports whether a base64 text decodes to a private key or an OpenVPN static key.
func b64HoldsKey(m string) bool {
	clean := strings.NewReplacer("\r", "", "\n", "").Replace(m)
	if n := len(clean) % 4; n != 0 {
		clean = clean[:len(clean)-n] // a cut text: what decodes is enough to tell
	}
	raw, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		raw, _ = base64.StdEncoding.DecodeString(strings.TrimRight(clean, "="))
	}
	t := string(raw)
	return strings.Contains(t, "PRIVATE KEY") || strings.Contains(t, "OpenVPN Static key")
}
