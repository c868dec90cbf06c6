// Package naming derives tool names and titles from operations.
//
// A name is pfsense_{verb}_{resource}. The resource is the operationId without its method
// prefix and its Endpoint suffix, split into lower-case words: getFirewallAliasesEndpoint ->
// firewall_aliases. Acronyms and brand names stay whole words (VLANs -> vlans, IPsec -> ipsec,
// WireGuard -> wireguard, OpenVPN -> openvpn, HAProxy -> haproxy, GraphQL -> graphql,
// FreeRADIUS -> freeradius, RESTAPI -> restapi, WebGUI -> webgui, PKCS12 -> pkcs12).
// The verb comes from the kind:
//
//	list          pfsense_list_firewall_aliases            GET on a plural endpoint
//	get           pfsense_get_firewall_alias               GET of one object, a status or settings
//	create        pfsense_create_firewall_alias            POST of a new object
//	update        pfsense_update_firewall_alias            PATCH of one object or of settings
//	replace       pfsense_replace_firewall_aliases         PUT on a plural endpoint
//	delete        pfsense_delete_firewall_alias(es)        DELETE of one object (or many by query)
//	apply         pfsense_apply_firewall                   POST .../apply
//	apply_status  pfsense_get_firewall_apply_status        GET .../apply
//
// Actions keep a verb that says what they do: the last word of the resource when it is a verb
// (generate, renew, export, sign, register, issue, send, sync: pfsense_renew_system_certificate),
// else a fixed name from actionNames (pfsense_reboot_system, pfsense_run_command_prompt).
// Names are checked by Validate: unique, at most 64 characters of [a-z0-9_].
package naming

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Prefix starts every tool name.
const Prefix = "pfsense_"

// MaxLen is the longest tool name MCP clients accept.
const MaxLen = 64

// wholeWords are written as one word in names although their spelling mixes cases; they are
// rewritten to a single capitalized word before the camel-case split.
var wholeWords = []struct{ from, to string }{
	{"FreeRADIUS", "Freeradius"},
	{"GraphQL", "Graphql"},
	{"HAProxy", "Haproxy"},
	{"IPsec", "Ipsec"},
	{"OpenVPN", "Openvpn"},
	{"RESTAPI", "Restapi"},
	{"WebGUI", "Webgui"},
	{"WireGuard", "Wireguard"},
}

// Words splits a camel-case identifier into lower-case words. Runs of capitals are acronyms
// (ARPTable -> arp, table), a plural "s" stays on its acronym (VLANs -> vlans, CSOs -> csos),
// digits stay on the word before them (Phase1s -> phase1s, PKCS12 -> pkcs12).
func Words(camel string) []string {
	for _, w := range wholeWords {
		camel = strings.ReplaceAll(camel, w.from, w.to)
	}
	r := []rune(camel)
	n := len(r)
	// pluralS reports whether r[k] is a plural "s" closing the word before it.
	pluralS := func(k int) bool { return k < n && r[k] == 's' && (k+1 == n || !unicode.IsLower(r[k+1])) }
	var words []string
	for i := 0; i < n; {
		start := i
		switch c := r[i]; {
		case unicode.IsUpper(c):
			j := i
			for j < n && unicode.IsUpper(r[j]) {
				j++
			}
			switch {
			case j-i == 1: // a capitalized word.
				for i = j; i < n && unicode.IsLower(r[i]); i++ {
				}
			case j < n && unicode.IsLower(r[j]) && pluralS(j): // VLANs.
				i = j + 1
			case j < n && unicode.IsLower(r[j]): // ARPTable: the last capital starts the next word.
				i = j - 1
			default: // an acronym at the end or before digits.
				i = j
			}
		case unicode.IsLower(c):
			for i < n && unicode.IsLower(r[i]) {
				i++
			}
		case unicode.IsDigit(c):
		default: // a separator.
			i++
			continue
		}
		for i < n && unicode.IsDigit(r[i]) {
			i++
		}
		if i > start && unicode.IsDigit(r[i-1]) && pluralS(i) { // Phase1s.
			i++
		}
		words = append(words, strings.ToLower(string(r[start:i])))
	}
	return words
}

var methodPrefixes = map[string]string{"GET": "get", "POST": "post", "PATCH": "patch", "PUT": "put", "DELETE": "delete"}

// Resource returns the words of an operationId without its method prefix and Endpoint suffix.
func Resource(operationID, method string) ([]string, error) {
	prefix, ok := methodPrefixes[method]
	if !ok {
		return nil, fmt.Errorf("operation %s: unsupported method %s", operationID, method)
	}
	rest, ok := strings.CutPrefix(operationID, prefix)
	if !ok || rest == "" || !unicode.IsUpper([]rune(rest)[0]) {
		return nil, fmt.Errorf("operationId %s does not start with %q and a capitalized resource", operationID, prefix)
	}
	words := Words(strings.TrimSuffix(rest, "Endpoint"))
	if len(words) == 0 {
		return nil, fmt.Errorf("operationId %s has no resource words", operationID)
	}
	return words, nil
}

// actionVerbs are resource words that name what an action does; such a last word becomes the verb.
var actionVerbs = map[string]bool{
	"export": true, "generate": true, "issue": true, "register": true,
	"renew": true, "send": true, "sign": true, "sync": true,
}

// actionNames names the actions whose resource does not end in a verb, by resource.
var actionNames = map[string]string{
	"auth_jwt":                           "create_auth_jwt",
	"diagnostics_command_prompt":         "run_command_prompt",
	"diagnostics_halt_system":            "halt_system",
	"diagnostics_ping":                   "ping_host",
	"diagnostics_reboot":                 "reboot_system",
	"graphql":                            "run_graphql_query",
	"status_service":                     "control_status_service",
	"system_certificate_signing_request": "generate_system_certificate_signing_request",
}

// fallbackActionVerb names actions that neither rule covers (a newer spec may add some); the
// snapshot test shows such names for review.
const fallbackActionVerb = "run"

// Name returns the tool name of an operation of the given kind.
func Name(operationID, method string, kind toolspec.Kind) (string, error) {
	words, err := Resource(operationID, method)
	if err != nil {
		return "", err
	}
	resource := strings.Join(words, "_")
	var name string
	switch kind {
	case toolspec.KindList:
		name = "list_" + resource
	case toolspec.KindGet, toolspec.KindStatus:
		name = "get_" + resource
	case toolspec.KindSettings:
		if method == "GET" {
			name = "get_" + resource
		} else {
			name = "update_" + resource
		}
	case toolspec.KindCreate:
		name = "create_" + resource
	case toolspec.KindUpdate:
		name = "update_" + resource
	case toolspec.KindReplace:
		name = "replace_" + resource
	case toolspec.KindDelete:
		name = "delete_" + resource
	case toolspec.KindApply, toolspec.KindApplyStatus:
		subsystem := strings.TrimSuffix(resource, "_apply")
		if subsystem == resource || subsystem == "" {
			return "", fmt.Errorf("operationId %s: an apply endpoint's resource must end in Apply", operationID)
		}
		if kind == toolspec.KindApply {
			name = "apply_" + subsystem
		} else {
			name = "get_" + subsystem + "_apply_status"
		}
	case toolspec.KindAction:
		name = actionName(words)
	default:
		return "", fmt.Errorf("operation %s: unknown kind %q", operationID, kind)
	}
	return Prefix + name, nil
}

func actionName(words []string) string {
	resource := strings.Join(words, "_")
	if n, ok := actionNames[resource]; ok {
		return n
	}
	if last := words[len(words)-1]; actionVerbs[last] && len(words) > 1 {
		return last + "_" + strings.Join(words[:len(words)-1], "_")
	}
	return fallbackActionVerb + "_" + resource
}

var validName = regexp.MustCompile(`^[a-z0-9_]+$`)

// Validate checks a set of names (tool name -> operationId): each at most MaxLen characters of
// [a-z0-9_], none shared by two operations. The error lists every problem.
func Validate(names []struct{ Name, OperationID string }) error {
	var problems []string
	seen := map[string]string{}
	for _, n := range names {
		if !validName.MatchString(n.Name) {
			problems = append(problems, fmt.Sprintf("%s (%s): only [a-z0-9_] is allowed", n.Name, n.OperationID))
		}
		if len(n.Name) > MaxLen {
			problems = append(problems, fmt.Sprintf("%s (%s): %d characters, at most %d are allowed", n.Name, n.OperationID, len(n.Name), MaxLen))
		}
		if prev, dup := seen[n.Name]; dup {
			problems = append(problems, fmt.Sprintf("%s: both %s and %s map to this name", n.Name, prev, n.OperationID))
		}
		seen[n.Name] = n.OperationID
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("invalid tool names:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// display spells name words for titles.
var display = map[string]string{
	"acl": "ACL", "acls": "ACLs", "acme": "ACME", "api": "API", "arp": "ARP", "bind": "BIND",
	"ca": "CA", "carp": "CARP", "crl": "CRL", "crls": "CRLs", "cso": "CSO", "csos": "CSOs",
	"dhcp": "DHCP", "dns": "DNS", "freeradius": "FreeRADIUS", "graphql": "GraphQL", "gre": "GRE",
	"gres": "GREs", "haproxy": "HAProxy", "ip": "IP", "ips": "IPs", "ipsec": "IPsec", "jwt": "JWT",
	"lagg": "LAGG", "laggs": "LAGGs", "lan": "LAN", "nat": "NAT", "ntp": "NTP", "openvpn": "OpenVPN",
	"pkcs12": "PKCS#12", "restapi": "REST API", "sa": "SA", "sas": "SAs", "ssh": "SSH",
	"vlan": "VLAN", "vlans": "VLANs", "vpn": "VPN", "webgui": "web GUI", "wireguard": "WireGuard",
}

// Title returns a short human title for a tool: its name's words as a phrase ("List firewall
// aliases", "Apply pending firewall changes"), without the services prefix that only groups
// paths.
func Title(name string, kind toolspec.Kind) string {
	words := strings.Split(strings.TrimPrefix(name, Prefix), "_")
	verb, rest := words[0], words[1:]
	if len(rest) > 1 && rest[0] == "services" {
		rest = rest[1:]
	}
	switch kind {
	case toolspec.KindApply:
		rest = append(append([]string{"pending"}, rest...), "changes")
	case toolspec.KindApplyStatus:
		if n := len(rest); n > 2 && rest[n-2] == "apply" && rest[n-1] == "status" {
			rest = append(append([]string{"pending"}, rest[:n-2]...), "changes")
		}
	}
	for i, w := range rest {
		if d, ok := display[w]; ok {
			rest[i] = d
		}
	}
	title := strings.ToUpper(verb[:1]) + verb[1:]
	if len(rest) > 0 {
		title += " " + strings.Join(rest, " ")
	}
	return title
}
