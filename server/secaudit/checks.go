package secaudit

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// check inspects the configuration and returns its findings.
type check func(cfg config, now time.Time) []Finding

var checks = []check{
	webGUIOverHTTP,
	managementOnWAN,
	anyToAnyOnWAN,
	riskyPortForwards,
	forwardRulesWiderThanForwards,
	sshPasswordLogin,
	restAPIAuth,
	wanBlocksPrivateNetworks,
	dnssecOff,
	certificates,
	ipsecCrypto,
	openvpnCrypto,
	sha1Integrity,
	administrators,
}

// References cited by findings: public documents whose advice the check follows.
const (
	refTLS       = "NIST SP 800-52 Rev. 2 (TLS); CIS Controls v8, 3.10 (encrypt sensitive data in transit)"
	refExposure  = "CIS Controls v8, 4.4 and 12.3 (firewalls on servers; securely manage network infrastructure)"
	refAuth      = "NIST SP 800-63B (authenticators); CIS Controls v8, 6.3-6.5 (MFA for admin and remote access)"
	refIPsec     = "NIST SP 800-77 Rev. 1 (IPsec VPNs): DH group 14 or stronger, SHA-2, IKEv2"
	refCrypto    = "NIST SP 800-131A Rev. 2 (cryptographic algorithms and key lengths)"
	refBogons    = "RFC 1918 and RFC 6890 (special-purpose addresses); CIS Controls v8, 13.4"
	refDNSSEC    = "RFC 4033 (DNSSEC); CIS Controls v8, 9.2 (DNS filtering services)"
	refAccounts  = "CIS Controls v8, 5.4 (restrict administrator privileges to dedicated accounts)"
	mgmtPorts    = "22 (SSH), 80/443 (web GUI)"
	selfDest     = "(self)"
	wanInterface = "wan"
)

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func boolean(m map[string]any, k string) bool {
	b, _ := m[k].(bool)
	return b
}

func strs(m map[string]any, k string) []string {
	raw, _ := m[k].([]any)
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		if s, ok := r.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// ruleRef identifies a rule or port forward in a finding.
func ruleRef(r map[string]any) map[string]any {
	ref := map[string]any{"id": r["id"]}
	for _, k := range []string{"descr", "interface", "source", "destination", "destination_port", "local_port", "target"} {
		if v, ok := r[k]; ok && v != nil && v != "" {
			ref[k] = v
		}
	}
	return ref
}

func onWAN(r map[string]any) bool {
	if str(r, "interface") == wanInterface {
		return true
	}
	return slices.Contains(strs(r, "interface"), wanInterface)
}

func activePass(r map[string]any) bool {
	return str(r, "type") == "pass" && !boolean(r, "disabled")
}

// portCovers reports whether a rule's destination port (a number, a range "a:b", an alias name
// or empty = any) can match port p.
func portCovers(spec string, p int) bool {
	if spec == "" || spec == "any" {
		return true
	}
	lo, hi, isRange := strings.Cut(spec, ":")
	a, err1 := strconv.Atoi(lo)
	if !isRange {
		return err1 == nil && a == p
	}
	b, err2 := strconv.Atoi(hi)
	return err1 == nil && err2 == nil && a <= p && p <= b
}

func webGUIOverHTTP(cfg config, _ time.Time) []Finding {
	gui := cfg.object("webgui")
	if gui == nil || str(gui, "protocol") != "http" {
		return nil
	}
	return []Finding{{
		ID: "webgui_http", Severity: High, Area: "management", Title: "The web GUI is served over plain HTTP",
		Detail:         "Administrator passwords and session cookies cross the network in clear text.",
		Recommendation: "Set System > Advanced > Admin Access > Protocol to HTTPS (protocol: https).",
		Tools:          []string{"pfsense_update_system_webgui_settings"},
		Reference:      refTLS,
	}}
}

// guiPort is the web GUI's port (the REST API's too): the setting, else 443 (80 for http).
func guiPort(cfg config) int {
	port := 443
	if gui := cfg.object("webgui"); gui != nil {
		if p, err := strconv.Atoi(str(gui, "port")); err == nil {
			port = p
		} else if str(gui, "protocol") == "http" {
			port = 80
		}
	}
	return port
}

// wanRulesTo lists the active WAN pass rules that let traffic reach the firewall itself on
// port, any-to-any rules included.
func wanRulesTo(cfg config, port int) []any {
	var objs []any
	for _, r := range cfg.list("rules") {
		dest := str(r, "destination")
		toFirewall := dest == selfDest || dest == "any" || dest == "wan:ip" || dest == wanInterface
		if activePass(r) && onWAN(r) && toFirewall && portCovers(str(r, "destination_port"), port) {
			objs = append(objs, ruleRef(r))
		}
	}
	return objs
}

func managementOnWAN(cfg config, _ time.Time) []Finding {
	guiPort := guiPort(cfg)
	sshPort := 22
	if ssh := cfg.object("ssh"); ssh != nil {
		if p, err := strconv.Atoi(str(ssh, "port")); err == nil {
			sshPort = p
		}
	}
	var objs []any
	for _, r := range cfg.list("rules") {
		dest := str(r, "destination")
		toFirewall := dest == selfDest || dest == "any" || dest == "wan:ip" || dest == wanInterface
		if !activePass(r) || !onWAN(r) || !toFirewall || str(r, "source") != "any" || isAnyToAny(r) {
			continue // any-to-any rules are reported by wan_any_any
		}
		port := str(r, "destination_port")
		if portCovers(port, guiPort) || portCovers(port, sshPort) {
			objs = append(objs, ruleRef(r))
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return []Finding{{
		ID: "management_on_wan", Severity: High, Area: "firewall rules",
		Title:          fmt.Sprintf("%d WAN rule(s) let anyone reach the firewall's management ports", len(objs)),
		Detail:         fmt.Sprintf("Pass rules on WAN from any source to the firewall itself cover the web GUI (port %d) or SSH (port %d). Management ports: %s.", guiPort, sshPort, mgmtPorts),
		Objects:        objs,
		Recommendation: "Restrict the source to trusted addresses (an alias of admin networks) or manage the firewall over a VPN; then apply the firewall.",
		Tools:          []string{"pfsense_update_firewall_rule", "pfsense_apply_firewall"},
		Reference:      refExposure,
	}}
}

func isAnyToAny(r map[string]any) bool {
	return str(r, "source") == "any" && str(r, "destination") == "any" && str(r, "destination_port") == ""
}

func anyToAnyOnWAN(cfg config, _ time.Time) []Finding {
	var objs []any
	for _, r := range cfg.list("rules") {
		if activePass(r) && onWAN(r) && isAnyToAny(r) {
			objs = append(objs, ruleRef(r))
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return []Finding{{
		ID: "wan_any_any", Severity: High, Area: "firewall rules",
		Title:          fmt.Sprintf("%d WAN rule(s) pass any traffic from anywhere to anywhere", len(objs)),
		Detail:         "This also opens the firewall's own management ports to the internet.",
		Objects:        objs,
		Recommendation: "Replace them with rules that name the destination hosts and ports that must be reachable; the WAN default is to block.",
		Reference:      refExposure,
	}}
}

// riskyPorts are services that should not be forwarded from the whole internet.
var riskyPorts = map[int]string{22: "SSH", 23: "Telnet", 445: "SMB", 3389: "RDP", 5900: "VNC", 3306: "MySQL", 5432: "PostgreSQL", 6379: "Redis", 9200: "Elasticsearch"}

func riskyPortForwards(cfg config, _ time.Time) []Finding {
	var objs []any
	var services []string
	for _, r := range cfg.list("portforwards") {
		if boolean(r, "disabled") || !onWAN(r) || str(r, "source") != "any" {
			continue
		}
		p, err := strconv.Atoi(str(r, "local_port"))
		if name, risky := riskyPorts[p]; err == nil && risky {
			objs = append(objs, ruleRef(r))
			services = append(services, name)
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return []Finding{{
		ID: "risky_port_forward", Severity: High, Area: "NAT",
		Title:          fmt.Sprintf("%d port forward(s) expose %s to the whole internet", len(objs), strings.Join(slices.Compact(slices.Sorted(slices.Values(services))), ", ")),
		Objects:        objs,
		Recommendation: "Limit the source to known addresses or put these services behind a VPN (WireGuard, OpenVPN, IPsec).",
		Reference:      refExposure,
	}}
}

func sshPasswordLogin(cfg config, _ time.Time) []Finding {
	ssh := cfg.object("ssh")
	if ssh == nil || !boolean(ssh, "enable") || str(ssh, "sshdkeyonly") != "" {
		return nil
	}
	return []Finding{{
		ID: "ssh_password_login", Severity: Medium, Area: "management", Title: "SSH accepts passwords",
		Detail:         "With SSH enabled and no key requirement, a password alone opens a root shell on the firewall.",
		Recommendation: "Require public keys (sshdkeyonly: enabled), or key and password (both).",
		Tools:          []string{"pfsense_update_services_ssh"},
		Reference:      refAuth,
	}}
}

func restAPIAuth(cfg config, _ time.Time) []Finding {
	api := cfg.object("restapi")
	if api == nil || !boolean(api, "enabled") {
		return nil
	}
	var out []Finding
	if slices.Contains(strs(api, "auth_methods"), "BasicAuth") {
		out = append(out, Finding{
			ID: "restapi_basic_auth", Severity: Medium, Area: "REST API", Title: "The REST API accepts passwords (BasicAuth)",
			Detail:         "Any account's password works on the API, which has no second factor.",
			Recommendation: "Use API keys (KeyAuth) or JWT, and remove BasicAuth from the REST API settings' auth_methods once keys are in place (keep BasicAuth only while you still need POST /auth/key).",
			Reference:      refAuth,
		})
	}
	if allowed := strs(api, "allowed_interfaces"); len(allowed) == 0 || slices.Contains(allowed, wanInterface) {
		where := "every interface, WAN included"
		if len(allowed) > 0 {
			where = "WAN (" + strings.Join(allowed, ", ") + ")"
		}
		// The API is served by the web GUI's server, on its port: whether WAN reaches it today
		// decides whether this is an open door or the only one left to close.
		port := guiPort(cfg)
		f := Finding{
			ID: "restapi_on_wan", Severity: Medium, Area: "REST API", Title: "The REST API accepts calls on " + where,
			Recommendation: "List only internal interfaces in the REST API settings' allowed_interfaces.",
			Reference:      refExposure,
		}
		if reach := wanRulesTo(cfg, port); len(reach) > 0 {
			f.Severity = High
			f.Detail = fmt.Sprintf("WAN pass rules reach the firewall's web port %d, where the API is served: it is open to the internet now.", port)
			f.Objects = reach
		} else {
			f.Detail = fmt.Sprintf("No WAN pass rule reaches the firewall's web port %d now, so the internet cannot call it today; one such rule (or a port forward to it) would open it, with nothing else in the way.", port)
		}
		out = append(out, f)
	}
	if !boolean(api, "login_protection") {
		out = append(out, Finding{
			ID: "restapi_login_protection_off", Severity: Low, Area: "REST API", Title: "REST API login protection is off",
			Detail:         "Repeated failed authentications are not blocked.",
			Recommendation: "Enable login_protection in the REST API settings.",
			Reference:      refAuth,
		})
	}
	return out
}

func wanBlocksPrivateNetworks(cfg config, _ time.Time) []Finding {
	for _, iface := range cfg.list("interfaces") {
		if str(iface, "id") != wanInterface || !boolean(iface, "enable") {
			continue
		}
		var missing []string
		var fields []string
		if !boolean(iface, "blockpriv") {
			missing, fields = append(missing, "private networks (RFC 1918)"), append(fields, "blockpriv")
		}
		if !boolean(iface, "blockbogons") {
			missing, fields = append(missing, "bogon networks"), append(fields, "blockbogons")
		}
		if len(missing) == 0 {
			return nil
		}
		rec := "Enable " + strings.Join(fields, " and ") + " on the WAN interface, then apply the interfaces."
		if str(iface, "descr") == strings.ToUpper(wanInterface) {
			// Validators/FilterNameValidator.inc checks the stored description on every update,
			// and get_pf_reserved() reserves WAN (the lint's reservedDescription says the same).
			rec += " Its description is WAN, a name pfSense reserves: the REST API refuses any update of it unless the same call gives `descr` another name (ask the user which)."
		}
		return []Finding{{
			ID: "wan_private_bogons", Severity: Medium, Area: "interfaces",
			Title:          "WAN does not block " + strings.Join(missing, " or "),
			Objects:        []any{map[string]any{"id": wanInterface, "blockpriv": iface["blockpriv"], "blockbogons": iface["blockbogons"]}},
			Detail:         "Traffic with spoofed source addresses (" + strings.Join(missing, ", ") + ") is accepted on WAN. A WAN that is itself behind another router's NAT needs blockpriv off; bogons can stay blocked.",
			Recommendation: rec,
			Tools:          []string{"pfsense_update_network_interface", "pfsense_apply_interface"},
			Reference:      refBogons,
		}}
	}
	return nil
}

func dnssecOff(cfg config, _ time.Time) []Finding {
	dns := cfg.object("dns")
	if dns == nil || !boolean(dns, "enable") || boolean(dns, "dnssec") {
		return nil
	}
	return []Finding{{
		ID: "dnssec_off", Severity: Low, Area: "DNS", Title: "The DNS resolver does not validate DNSSEC",
		Recommendation: "Enable dnssec in the DNS resolver settings.",
		Tools:          []string{"pfsense_update_services_dns_resolver_settings"},
		Reference:      refDNSSEC,
	}}
}

// expirySoon is how far ahead a certificate's expiry is reported.
const expirySoon = 30 * 24 * time.Hour

// parseCert reads the certificate itself: the REST API returns `crt` as PEM (a Base64Field
// decodes the config's base64, Models/Certificate.inc); base64 of the PEM, as the config stores
// it, is read too.
func parseCert(crt string) (*x509.Certificate, bool) {
	data := []byte(crt)
	if !strings.Contains(crt, "-----BEGIN") {
		if dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(crt)); err == nil {
			data = dec
		}
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, false
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	return cert, err == nil
}

func certificates(cfg config, now time.Time) []Finding {
	var expired, soon, weak []any
	var all []map[string]any
	for _, src := range []struct{ name, kind string }{{"certificates", "certificate"}, {"cas", "certificate authority"}} {
		for _, c := range cfg.list(src.name) {
			c["_kind"] = src.kind
			all = append(all, c)
		}
	}
	for _, c := range all {
		cert, ok := parseCert(str(c, "crt"))
		if !ok {
			continue
		}
		ref := map[string]any{"kind": c["_kind"], "id": c["id"], "descr": c["descr"], "not_after": cert.NotAfter.UTC().Format(time.RFC3339),
			"days_left": int(cert.NotAfter.Sub(now).Hours() / 24)}
		switch {
		case now.After(cert.NotAfter):
			expired = append(expired, ref)
		case cert.NotAfter.Sub(now) < expirySoon:
			soon = append(soon, ref)
		}
		if pub, ok := cert.PublicKey.(*rsa.PublicKey); ok && pub.N.BitLen() < 2048 {
			weak = append(weak, map[string]any{"kind": c["_kind"], "id": c["id"], "descr": c["descr"], "rsa_bits": pub.N.BitLen()})
		} else if cert.SignatureAlgorithm == x509.SHA1WithRSA || cert.SignatureAlgorithm == x509.MD5WithRSA {
			weak = append(weak, map[string]any{"kind": c["_kind"], "id": c["id"], "descr": c["descr"], "signature": cert.SignatureAlgorithm.String()})
		}
	}
	var out []Finding
	if len(expired) > 0 {
		out = append(out, Finding{ID: "certificate_expired", Severity: High, Area: "certificates",
			Title: fmt.Sprintf("%d certificate(s) have expired", len(expired)), Objects: expired,
			Recommendation: "Renew them or replace them, and update what uses them.", Tools: []string{"pfsense_renew_system_certificate", "pfsense_renew_system_certificate_authority"}, Reference: refTLS})
	}
	if len(soon) > 0 {
		out = append(out, Finding{ID: "certificate_expiring", Severity: Medium, Area: "certificates",
			Title: fmt.Sprintf("%d certificate(s) expire within 30 days", len(soon)), Objects: soon,
			Recommendation: "Renew them before they expire, or automate it with ACME.", Tools: []string{"pfsense_renew_system_certificate", "pfsense_renew_system_certificate_authority"}, Reference: refTLS})
	}
	if len(weak) > 0 {
		out = append(out, Finding{ID: "certificate_weak", Severity: Medium, Area: "certificates",
			Title: fmt.Sprintf("%d certificate(s) use weak keys or signatures", len(weak)), Objects: weak,
			Recommendation: "Reissue them with RSA 2048+ or ECDSA P-256+ and a SHA-256 (or stronger) signature.", Reference: refCrypto})
	}
	return out
}

func ipsecCrypto(cfg config, _ time.Time) []Finding {
	var objs []any
	for _, p1 := range cfg.list("ipsec") {
		if boolean(p1, "disabled") {
			continue
		}
		var why []string
		if str(p1, "iketype") == "ikev1" {
			why = append(why, "IKEv1")
			if str(p1, "mode") == "aggressive" && str(p1, "authentication_method") == "pre_shared_key" {
				why = append(why, "aggressive mode with a pre-shared key")
			}
		}
		encs, _ := p1["encryption"].([]any)
		for _, e := range encs {
			enc, _ := e.(map[string]any)
			if g, ok := enc["dhgroup"]; ok {
				if n, err := strconv.Atoi(fmt.Sprint(g)); err == nil && n < 14 {
					why = append(why, fmt.Sprintf("DH group %d", n))
				}
			}
		}
		if len(why) > 0 {
			objs = append(objs, map[string]any{"id": p1["id"], "descr": p1["descr"], "weaknesses": slices.Compact(why)})
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return []Finding{{
		ID: "ipsec_weak_crypto", Severity: Medium, Area: "VPN: IPsec",
		Title: fmt.Sprintf("%d IPsec tunnel(s) use weak IKE settings", len(objs)), Objects: objs,
		Recommendation: "Use IKEv2 and DH group 14 or higher (the phase 1 and its encryption entries), then apply IPsec.",
		Tools:          []string{"pfsense_update_vpn_ipsec_phase1", "pfsense_update_vpn_ipsec_phase1_encryption", "pfsense_apply_vpn_ipsec"},
		Reference:      refIPsec,
	}}
}

// weakCiphers are OpenVPN data ciphers and digests that should no longer be offered.
var weakCiphers = []string{"BF-CBC", "DES-CBC", "DES-EDE3-CBC", "RC2-CBC", "CAST5-CBC", "DESX-CBC"}

func openvpnCrypto(cfg config, _ time.Time) []Finding {
	var objs []any
	for _, s := range cfg.list("openvpn") {
		if boolean(s, "disable") || boolean(s, "disabled") { // OpenVPNServer's field is `disable`
			continue
		}
		var why []string
		for _, c := range append(strs(s, "data_ciphers"), str(s, "data_ciphers_fallback")) {
			if slices.Contains(weakCiphers, strings.ToUpper(c)) {
				why = append(why, "cipher "+c)
			}
		}
		if d := strings.ToUpper(str(s, "digest")); d == "MD5" || d == "NONE" { // SHA1: sha1_integrity
			why = append(why, "digest "+d)
		}
		if strings.HasPrefix(str(s, "mode"), "server_tls") && !boolean(s, "use_tls") {
			why = append(why, "no TLS auth/crypt key")
		}
		if len(why) > 0 {
			objs = append(objs, map[string]any{"id": s["id"], "description": s["description"], "weaknesses": slices.Compact(why)})
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return []Finding{{
		ID: "openvpn_weak_crypto", Severity: Medium, Area: "VPN: OpenVPN",
		Title: fmt.Sprintf("%d OpenVPN server(s) use weak settings", len(objs)), Objects: objs,
		Recommendation: "Offer only AES-GCM or CHACHA20-POLY1305 data ciphers, a SHA-256+ digest, and a TLS crypt key.",
		Tools:          []string{"pfsense_update_vpn_openvpn_server"},
		Reference:      refCrypto,
	}}
}

func administrators(cfg config, _ time.Time) []Finding {
	// Full privileges come from the user's own list or from a group (admins, by default), whose
	// members the API gives by name (the config stores uids: accept both).
	viaGroup := map[string]bool{}
	for _, g := range cfg.list("groups") {
		if slices.Contains(strs(g, "priv"), "page-all") {
			for _, m := range strs(g, "member") {
				viaGroup[m] = true
			}
		}
	}
	var admins []any
	for _, u := range cfg.list("users") {
		if !boolean(u, "disabled") && (slices.Contains(strs(u, "priv"), "page-all") || viaGroup[str(u, "name")] || viaGroup[fmt.Sprint(u["uid"])]) {
			admins = append(admins, map[string]any{"id": u["id"], "name": u["name"]})
		}
	}
	if len(admins) == 0 {
		return nil
	}
	f := Finding{
		ID: "administrators", Severity: Info, Area: "accounts",
		Title: fmt.Sprintf("%d enabled account(s) have full administrator privileges (page-all)", len(admins)), Objects: admins,
		Recommendation: "Give each administrator a personal account and grant others only the privileges they need.",
		Reference:      refAccounts,
	}
	for _, a := range admins {
		if a.(map[string]any)["name"] == "admin" && len(admins) > 1 {
			f.Severity = Low
			f.Detail = "The built-in admin account is enabled beside personal administrator accounts; consider disabling it."
		}
	}
	return []Finding{f}
}
