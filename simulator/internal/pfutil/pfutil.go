// Package pfutil reproduces the pfSense library checks the REST API's validators call
// (pfsense/pfsense master: src/etc/inc/util.inc, pfsense-utils.inc, globals.inc): addresses,
// subnets, hostnames, domains, FQDNs, MAC addresses, ports and pf's reserved names. Each
// function names the one it follows; where the simulator cannot know what the firewall would
// (service names from /etc/services), the comment says what it does instead.
package pfutil

import (
	_ "embed"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// IsIPv4 is util.inc is_ipaddrv4(): a non-empty string that ip2long() accepts (a dotted quad).
func IsIPv4(s string) bool {
	if s == "" {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// IsIPv6 is util.inc is_ipaddrv6(): no prefix length, at most one `::`, a zone only on a
// link-local address, then Net_IPv6::checkIPv6.
func IsIPv6(s string) bool {
	if s == "" || strings.Contains(s, "/") || strings.Count(s, "::") > 1 {
		return false
	}
	if base, _, ok := strings.Cut(s, "%"); ok {
		a, err := netip.ParseAddr(base)
		if err != nil || !a.Is6() || !a.IsLinkLocalUnicast() {
			return false
		}
		s = base
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6()
}

// IsIP is util.inc is_ipaddr(): 4, 6 or 0.
func IsIP(s string) int {
	switch {
	case IsIPv4(s):
		return 4
	case IsIPv6(s):
		return 6
	}
	return 0
}

// IsLinkLocalV6 is ip_in_subnet($value, 'fe80::/10') for an IPv6 address.
func IsLinkLocalV6(s string) bool {
	base, _, _ := strings.Cut(s, "%")
	a, err := netip.ParseAddr(base)
	return err == nil && a.Is6() && netip.MustParsePrefix("fe80::/10").Contains(a)
}

var subnetRe = regexp.MustCompile(`(?i)^(?:([0-9.]{7,15})|([0-9a-f:]{2,39}|[0-9a-f:]{2,30}[0-9.]{7,15}))/(\d{1,3})$`)

// IsSubnet is util.inc is_subnet(): 4 for an IPv4 CIDR, 6 for IPv6, 0 otherwise.
func IsSubnet(s string) int {
	m := subnetRe.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	bits, _ := strconv.Atoi(m[3])
	if IsIPv4(m[1]) && bits <= 32 {
		return 4
	}
	if IsIPv6(m[2]) && bits <= 128 {
		return 6
	}
	return 0
}

var (
	domainRe = regexp.MustCompile(`(?i)^(?:(?:[a-z_0-9]|[a-z_0-9][a-z_0-9\-]*[a-z_0-9])\.)*(?:[a-z_0-9]|[a-z_0-9][a-z_0-9\-]*[a-z_0-9\.])$`)
	// is_fqdn()'s pattern uses lookarounds Go's regexp lacks: (?!-)label(?<!-) is a label that
	// neither starts nor ends with a hyphen, which isFQDNLabel checks instead.
	fqdnLabelRe = regexp.MustCompile(`(?i)^[-_a-z0-9]+$`)
	fqdnLastRe  = regexp.MustCompile(`(?i)^[a-z0-9\-]+$`)
	tldRe       = regexp.MustCompile(`(?i)^(?:xn--)?[a-z]+$`)
)

// IsDomain is util.inc is_domain() (no wildcard, trailing dot allowed).
func IsDomain(s string) bool { return domainRe.MatchString(s) }

// IsHostname is util.inc is_hostname(): a domain that is not a single label with a trailing dot.
func IsHostname(s string) bool {
	if !IsDomain(s) {
		return false
	}
	return !(strings.Count(s, ".") == 1 && strings.HasSuffix(s, "."))
}

// IsFQDN is pfsense-utils.inc is_fqdn(): labels of [-_a-z0-9] not starting or ending with a
// hyphen, a last label before the TLD of [a-z0-9-], then a TLD of letters (optionally xn--),
// an optional trailing dot.
func IsFQDN(s string) bool {
	s = strings.TrimSuffix(s, ".")
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	if !tldRe.MatchString(parts[len(parts)-1]) {
		return false
	}
	for i, p := range parts[:len(parts)-1] {
		re := fqdnLabelRe
		if i == len(parts)-2 {
			re = fqdnLastRe
		}
		if !re.MatchString(p) || strings.HasPrefix(p, "-") || strings.HasSuffix(p, "-") {
			return false
		}
	}
	return true
}

// IsMAC is util.inc is_macaddr() (not partial): six colon-separated hex parts of value 0-255.
func IsMAC(s string) bool {
	parts := strings.Split(s, ":")
	if len(parts) != 6 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, c := range p {
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
		v, err := strconv.ParseUint(p, 16, 64)
		if err != nil || v > 255 {
			return false
		}
	}
	return true
}

// services are names getservbyname() finds in FreeBSD's /etc/services for tcp or udp. The
// firewall knows hundreds; the simulator knows these well-known ones (an approximation: other
// names are not ports here).
var services = map[string]bool{
	"ftp-data": true, "ftp": true, "ssh": true, "telnet": true, "smtp": true, "domain": true, "tftp": true,
	"http": true, "www": true, "kerberos": true, "pop3": true, "sunrpc": true, "ntp": true, "netbios-ns": true,
	"netbios-dgm": true, "netbios-ssn": true, "imap": true, "snmp": true, "snmptrap": true, "bgp": true,
	"ldap": true, "https": true, "microsoft-ds": true, "isakmp": true, "syslog": true, "submission": true,
	"ldaps": true, "imaps": true, "pop3s": true, "openvpn": true, "radius": true, "radius-acct": true,
	"ms-sql-s": true, "mysql": true, "rdp": true, "ms-wbt-server": true, "sip": true, "postgresql": true,
	"ipsec-nat-t": true, "nfsd": true, "bootps": true, "bootpc": true, "whois": true, "finger": true,
	"auth": true, "nntp": true, "irc": true, "rsync": true, "smtps": true, "l2tp": true, "pptp": true,
}

// IsPort is util.inc is_port(): digits 1-65535, or a service name (see services).
func IsPort(s string) bool {
	if isDigits(s) {
		n, err := strconv.Atoi(s)
		return err == nil && n >= 1 && n <= 65535
	}
	return services[s]
}

// IsPortRange is util.inc is_portrange(): two ports separated by `:`.
func IsPortRange(s string) bool {
	parts := strings.Split(s, ":")
	return len(parts) == 2 && IsPort(parts[0]) && IsPort(parts[1])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ReservedKeywords are globals.inc $pf_reserved_keywords.
var ReservedKeywords = []string{
	"all", "allow-opts", "altq", "anchor", "antispoof", "any", "bandwidth", "binat", "binat-anchor", "bitmask",
	"block", "block-policy", "buckets", "cbq", "code", "codelq", "crop", "debug", "divert-reply", "divert-to",
	"dnpipe", "dnqueue", "drop", "drop-ovl", "dup-to", "ether", "fail-policy", "fairq", "fastroute", "file",
	"fingerprints", "flags", "floating", "flush", "for", "fragment", "from", "global", "group", "hfsc", "hogs",
	"hostid", "icmp-type", "icmp6-type", "if-bound", "in", "include", "inet", "inet6", "interval", "keep",
	"keepcounters", "l3", "label", "limit", "linkshare", "load", "log", "loginterface", "map-e-portset", "match",
	"max", "max-mss", "max-src-conn", "max-src-conn-rate", "max-src-nodes", "max-src-states", "min-ttl", "modulate",
	"nat", "nat-anchor", "no", "no-df", "no-route", "no-sync", "on", "optimization", "os", "out", "overload",
	"pass", "port", "prio", "priority", "priq", "probability", "proto", "qlimit", "queue", "quick", "random",
	"random-id", "rdr", "rdr-anchor", "realtime", "reassemble", "reply-to", "require-order", "return", "return-icmp",
	"return-icmp6", "return-rst", "ridentifier", "round-robin", "route", "route-to", "rtable", "rule",
	"ruleset-optimization", "scrub", "set", "set-tos", "skip", "sloppy", "source-hash", "source-track", "state",
	"state-defaults", "state-policy", "static-port", "sticky-address", "syncookies", "synproxy", "table", "tag",
	"tagged", "target", "tbrsize", "timeout", "to", "tos", "ttl", "upperlimit", "urpf-failed", "user",
	"allowopts", "binatanchor", "blockpolicy", "divertreply", "divertto", "duptoicmptype", "icmp6type", "ifboundmaxmss",
	"maxsrcconn", "maxsrcconnrate", "maxsrcnodes", "maxsrcstates", "minttl", "natanchornodf", "noroute", "nosync",
	"randomidrdranchor", "replyto", "requireorderreturnicmp", "returnicmp6", "returnrstroundrobinrouteto",
	"ruleset_optimization", "settos", "sourcehash", "sourcetrackstatedefaults", "statepolicy", "staticport",
	"stickyaddress", "urpffailed", "dropovl", "failpolicy", "mapeportset",
	"arrow", "codel", "error", "filename", "fragcrop", "fragdrop", "IPsec", "L2TP", "maximummin", "OpenVPN",
	"pppoe", "pptp",
}

// ReservedTables are the keys of globals.inc $reserved_table_names.
var ReservedTables = []string{"bogons", "bogonsv6", "sshguard", "snort2c", "virusprot", "vpn_networks", "negate_networks", "tonatsubnets"}

// Reserved is pfsense-utils.inc get_pf_reserved() with no name: the keywords, the reserved
// table names, and for each interface (and interface group) its name and NAME__NETWORK in
// upper case.
func Reserved(interfaces []string) []string {
	out := append(append([]string(nil), ReservedKeywords...), ReservedTables...)
	for _, ifname := range interfaces {
		out = append(out, strings.ToUpper(ifname), strings.ToUpper(ifname+"__NETWORK"))
	}
	return out
}

// protocols are names getprotobyname() knows (FreeBSD /etc/protocols, the common ones).
var protocols = map[string]bool{
	"ip": true, "icmp": true, "igmp": true, "ggp": true, "ipencap": true, "st2": true, "tcp": true, "cbt": true,
	"egp": true, "igp": true, "pup": true, "udp": true, "hmp": true, "xns-idp": true, "rdp": true, "ipv6": true,
	"ipv6-route": true, "ipv6-frag": true, "idrp": true, "rsvp": true, "gre": true, "esp": true, "ah": true,
	"ipv6-icmp": true, "ipv6-nonxt": true, "ipv6-opts": true, "eigrp": true, "ospf": true, "ipip": true,
	"pim": true, "ipcomp": true, "vrrp": true, "carp": true, "l2tp": true, "sctp": true, "pfsync": true,
	"divert": true,
}

var aliasChars = regexp.MustCompile(`(?i)(^_*$|^\d*$|[^a-z0-9_])`)

// IsValidAliasName is util.inc is_validaliasname(): under 32 characters of [a-zA-Z0-9_], not
// only digits or underscores, not `port` or `pass`, no IP protocol or well-known service name.
func IsValidAliasName(name string) bool {
	if len(name) >= 32 || aliasChars.MatchString(name) {
		return false
	}
	if name == "port" || name == "pass" {
		return false
	}
	return !protocols[strings.ToLower(name)] && !services[name]
}

//go:embed privileges.txt
var privilegeFile string

// Privileges are pfSense's privilege names (privileges.txt).
var Privileges = func() map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(privilegeFile, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out[l] = true
		}
	}
	return out
}()
