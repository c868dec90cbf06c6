package secaudit

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/server/fwrules"
)

// refSHA1 is the advice the SHA-1 check follows.
const refSHA1 = "NIST SP 800-131A Rev. 2 (SHA-1 disallowed for digital signatures, deprecated for HMAC in new protocols); NIST SP 800-77 Rev. 1 (IPsec: SHA-2 integrity)"

// sha1Integrity finds SHA-1 used for integrity: IPsec phase 1 hash and PRF
// (Models/IPsecPhase1Encryption.inc hash_algorithm, prf_algorithm), phase 2 HMAC
// (Models/IPsecPhase2.inc hash_algorithm_option hmac_sha1), OpenVPN server and client digests
// (Models/OpenVPNServer.inc, OpenVPNClient.inc digest SHA1).
func sha1Integrity(cfg config, _ time.Time) []Finding {
	var objs []any
	add := func(kind string, id, descr any, where []string) {
		if len(where) > 0 {
			objs = append(objs, map[string]any{"kind": kind, "id": id, "descr": descr, "uses": slices.Compact(where)})
		}
	}
	for _, p1 := range cfg.list("ipsec") {
		if boolean(p1, "disabled") {
			continue
		}
		var where []string
		encs, _ := p1["encryption"].([]any)
		for _, e := range encs {
			enc, _ := e.(map[string]any)
			if str(enc, "hash_algorithm") == "sha1" {
				where = append(where, "hash sha1")
			}
			if str(enc, "prf_algorithm") == "sha1" {
				where = append(where, "PRF sha1")
			}
		}
		add("IPsec phase 1", p1["id"], p1["descr"], where)
	}
	for _, p2 := range cfg.list("ipsec2") {
		if boolean(p2, "disabled") {
			continue
		}
		if slices.Contains(strs(p2, "hash_algorithm_option"), "hmac_sha1") {
			add("IPsec phase 2", p2["id"], p2["descr"], []string{"hmac_sha1"})
		}
	}
	for _, src := range []struct{ name, kind string }{{"openvpn", "OpenVPN server"}, {"ovpnclients", "OpenVPN client"}} {
		for _, s := range cfg.list(src.name) {
			if boolean(s, "disable") || boolean(s, "disabled") {
				continue
			}
			if strings.EqualFold(str(s, "digest"), "SHA1") {
				add(src.kind, s["id"], s["description"], []string{"digest SHA1"})
			}
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return []Finding{{
		ID: "sha1_integrity", Severity: Medium, Area: "VPN",
		Title:          fmt.Sprintf("%d VPN configuration(s) protect integrity with SHA-1", len(objs)),
		Detail:         "SHA-1 is deprecated: collisions are practical, and both ends of a tunnel support SHA-256 or better.",
		Objects:        objs,
		Recommendation: "Use SHA-256 or stronger: hash and PRF sha256 in the phase 1 encryption entries, hmac_sha256 in phase 2, digest SHA256 in OpenVPN; change both ends, then apply.",
		Tools: []string{"pfsense_update_vpn_ipsec_phase1_encryption", "pfsense_update_vpn_ipsec_phase2", "pfsense_update_vpn_openvpn_server",
			"pfsense_update_vpn_openvpn_client", "pfsense_apply_vpn_ipsec"},
		Reference: refSHA1,
	}}
}

// forwardRulesWiderThanForwards finds pass rules that let more through than the port forward
// they belong to. pfSense creates a forward's rule from the forward itself (source, target as
// destination, local port: Models/PortForward.inc pre_apply_create()) and links the two by
// associated_rule_id; a rule edited afterwards can open more than the forward does.
func forwardRulesWiderThanForwards(cfg config, _ time.Time) []Finding {
	rules := fwrules.List(cfg["rules"])
	var objs []any
	for _, x := range cfg.list("portforwards") {
		pf := fwrules.Rule(x)
		link := pf.Str("associated_rule_id")
		if !pf.Active() || link == "" || link == "pass" {
			continue
		}
		for _, r := range rules {
			if r.Str("associated_rule_id") != link || !r.Active() || r.Str("type") != "pass" {
				continue
			}
			var wider []string
			if fwrules.Any(r.Str("source")) && !fwrules.Any(pf.Str("source")) {
				wider = append(wider, fmt.Sprintf("source any, the forward only %s", pf.Str("source")))
			}
			dst, target := r.Str("destination"), pf.Str("target")
			if fwrules.Any(dst) && !fwrules.Any(target) {
				wider = append(wider, fmt.Sprintf("destination any, the forward only %s", target))
			} else if hosts, ok := aliasMembers(cfg, dst, 0); ok && slices.ContainsFunc(hosts, func(h string) bool { return h != target }) {
				wider = append(wider, fmt.Sprintf("destination %s (%s), the forward only %s", dst, strings.Join(hosts, ", "), target))
			}
			port, local := r.Str("destination_port"), pf.Str("local_port")
			if fwrules.Wider(port, local) {
				wider = append(wider, fmt.Sprintf("ports %s, the forward only %s", orAny(port), local))
			} else if ports, ok := aliasMembers(cfg, port, 0); ok && slices.ContainsFunc(ports, func(p string) bool { return !fwrules.CoversPorts(local, p) }) {
				wider = append(wider, fmt.Sprintf("ports %s (%s), the forward only %s", port, strings.Join(ports, ", "), local))
			}
			if p := r.Str("protocol"); fwrules.CoversProtocol(p, pf.Str("protocol")) && !fwrules.CoversProtocol(pf.Str("protocol"), p) {
				wider = append(wider, fmt.Sprintf("protocol %s, the forward only %s", orAny(p), pf.Str("protocol")))
			}
			if len(wider) > 0 {
				objs = append(objs, map[string]any{"port_forward": ruleRef(pf), "rule": ruleRef(r), "wider": wider})
			}
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return []Finding{{
		ID: "port_forward_rule_wider", Severity: Medium, Area: "NAT",
		Title:          fmt.Sprintf("%d pass rule(s) let more through than the port forward they serve", len(objs)),
		Detail:         "The rule of a port forward decides what reaches the forwarded host: a wider rule opens more than the forward suggests.",
		Objects:        objs,
		Recommendation: "Narrow each rule to the forward's source, target and local port (or recreate the forward with associated_rule_id new), then apply the firewall.",
		Tools:          []string{"pfsense_update_firewall_rule", "pfsense_apply_firewall"},
		Reference:      refExposure,
	}}
}

// aliasMembers resolves a firewall alias to its entries, nested aliases expanded (pfSense
// resolves alias names inside aliases the same way: filter_expand_alias in filter.inc); ok is
// false when name is no alias.
func aliasMembers(cfg config, name string, depth int) ([]string, bool) {
	if name == "" || depth > 4 {
		return nil, false
	}
	for _, a := range cfg.list("aliases") {
		if a["name"] != name {
			continue
		}
		var out []string
		entries, _ := a["address"].([]any)
		for _, e := range entries {
			s := fmt.Sprint(e)
			if nested, ok := aliasMembers(cfg, s, depth+1); ok {
				out = append(out, nested...)
			} else {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, false
}

func orAny(v string) string {
	if v == "" {
		return "any"
	}
	return v
}
