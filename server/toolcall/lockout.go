package toolcall

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/fwrules"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/risk"
)

// Self is how this server reaches the firewall: what the lockout guard protects.
type Self struct {
	Host     string // the host of PFSENSE_URL: an IP address or a name.
	Port     int    // the port of PFSENSE_URL (443 by default).
	Scheme   string // https.
	AuthMode string // key, basic or jwt.
	Username string // the BasicAuth user (basic and jwt modes).
	APIKey   string // the API key (key mode); only its hashes are kept.
	// Addrs returns the addresses of the last connection: this server's as the firewall sees it,
	// and the firewall's (pfclient.Client.Addrs).
	Addrs func() (net.IP, *net.TCPAddr)
}

// Guard refuses changes that would cut this server's own path to the firewall: firewall rules
// that block, and port forwards that redirect, the address and port it talks to; the interface
// that address lives on, or the virtual IP it is; the REST API's enabled, read-only, authentication methods, allowed
// interfaces and access list; the web GUI's port and protocol; its own API key and user. What
// the guard cannot tell (an alias, a hidden key hash) counts as a match: a refusal says how to
// override it (PFSENSE_LOCKOUT_GUARD=false).
type Guard struct {
	self      Self
	keyHashes map[string]bool // sha256, sha384 and sha512 of the API key, hex.
	keyBytes  int             // the key's length in bytes (hex characters / 2).
	hashList  []string        // the same hashes, in a fixed order (sha256 first, the default).
}

// NewGuard returns a guard for s.
func NewGuard(s Self) *Guard {
	g := &Guard{self: s, keyHashes: map[string]bool{}}
	if s.Port == 0 {
		s.Port = 443
		g.self.Port = 443
	}
	if s.APIKey != "" {
		a, b, c := sha256.Sum256([]byte(s.APIKey)), sha512.Sum384([]byte(s.APIKey)), sha512.Sum512([]byte(s.APIKey))
		g.keyHashes[hex.EncodeToString(a[:])] = true
		g.keyHashes[hex.EncodeToString(b[:])] = true
		g.keyHashes[hex.EncodeToString(c[:])] = true
		g.keyBytes = len(s.APIKey) / 2
		g.hashList = []string{hex.EncodeToString(a[:]), hex.EncodeToString(b[:]), hex.EncodeToString(c[:])}
	}
	return g
}

// Guarded reports whether the lockout guard examines calls of t: what can cut the server's
// own path (the REST API and web GUI settings, API keys, users, firewall rules, port forwards,
// interfaces, the REST API access list).
func Guarded(t *toolspec.Tool) bool {
	if !t.Mutation {
		return false
	}
	switch {
	case t.Method == http.MethodPatch && (t.Path == "/api/v2/system/restapi/settings" || t.Path == "/api/v2/system/webgui/settings"):
		return true
	case t.Model == "RESTAPIKey":
		return t.Method == http.MethodDelete
	case t.Model == "FirewallRule", t.Model == "PortForward":
		return t.Method != http.MethodDelete
	case t.Model == "VirtualIP":
		return t.Method == http.MethodDelete || t.Method == http.MethodPatch
	}
	return t.Model == "User" || t.Model == "NetworkInterface" || t.Model == "RESTAPIAccessListEntry"
}

// guarded is the state one check reads lazily.
type guarded struct {
	g      *Guard
	d      *Dispatcher
	ctx    context.Context
	host   net.IP           // the firewall's address this server talks to.
	source net.IP           // this server's address as the firewall sees it.
	lists  map[string][]any // what was read, by path: each list at most once per check
	failed map[string]bool
	ifaces []iface
	// ifaceNames maps ids, descriptions and devices to ids (nil: not read yet).
	ifaceNames fwrules.InterfaceIDs
	// aliases by name (nil: not read yet).
	aliases map[string]map[string]any
	// groupOverride and sshPort stand for the state a change would leave (stateRisks).
	groupOverride map[string][]string
	sshPort       int
	adminPorts    []adminPort // read once per check (adminPort)
	// this server's own API key as listed, once looked for (ownKeyRow).
	ownKeyM    map[string]any
	ownKeyDone bool
}

// list reads the rows at path once per check; ok is false when it could not be read.
func (s *guarded) list(path string) ([]any, bool) {
	if rows, ok := s.lists[path]; ok || s.failed[path] {
		return rows, ok
	}
	if s.lists == nil {
		s.lists, s.failed = map[string][]any{}, map[string]bool{}
	}
	v, err := s.d.readPath(s.ctx, http.MethodGet, path, nil)
	if err != nil {
		s.failed[path] = true
		return nil, false
	}
	s.lists[path] = asRows(v)
	return s.lists[path], true
}

// iface is an interface with its current address.
type iface struct {
	id     string
	addr   net.IP
	subnet *net.IPNet
}

// lockoutAdvice ends every refusal of the guard.
const lockoutAdvice = "If that is what the user wants, the operator can turn the guard off with PFSENSE_LOCKOUT_GUARD=false (and should make the change from another path to the firewall)."

// check returns why t with args must be refused, or "".
func (g *Guard) check(ctx context.Context, d *Dispatcher, t *toolspec.Tool, args map[string]any, eff *effect) string {
	s := &guarded{g: g, d: d, ctx: ctx}
	local, remote := g.self.Addrs()
	if ip := net.ParseIP(strings.Trim(g.self.Host, "[]")); ip != nil {
		s.host = ip
	} else if remote != nil {
		s.host = remote.IP
	}
	s.source = local
	var why string
	switch {
	case t.Path == "/api/v2/system/restapi/settings" && t.Method == http.MethodPatch:
		why = s.restAPISettings(args, eff)
	case t.Path == "/api/v2/system/webgui/settings" && t.Method == http.MethodPatch:
		why = s.webGUI(args)
	case t.Model == "RESTAPIKey" && t.Method == http.MethodDelete:
		why = s.ownKey(t, args, eff)
	case t.Model == "User":
		why = s.user(t, args, eff)
	case t.Model == "FirewallRule" && t.Method != http.MethodDelete && !s.loopback():
		why = s.each(t, args, eff, s.blockingRule)
	case t.Model == "PortForward" && t.Method != http.MethodDelete && !s.loopback():
		why = s.each(t, args, eff, s.redirectingForward)
	case t.Model == "FirewallAlias" && t.Method == http.MethodPatch && !s.loopback():
		why = s.aliasChange(t, args, eff)
	case t.Model == "NetworkInterface":
		why = s.hostInterface(t, args, eff)
	case t.Model == "VirtualIP":
		why = s.hostVirtualIP(t, args, eff)
	case t.Model == "RESTAPIAccessListEntry":
		why = s.accessList(t, args, eff)
	}
	if why == "" {
		return ""
	}
	return fmt.Sprintf("Refused by the lockout guard (nothing was sent): %s, which would cut this server off the firewall (it reaches %s). %s", why, g.describeSelf(s), lockoutAdvice)
}

// aliasChange refuses new addresses for an alias that an existing block rule or port forward
// names, when with them the rule would block (the forward redirect) this server's own
// connections and did not before: pfSense expands the alias in every rule that names it
// (Models/FirewallAlias.inc apply, filter_configure). Rules the guard already reads as matching
// are left alone (an alias of host names counts as matching; the server is talking).
func (s *guarded) aliasChange(t *toolspec.Tool, args map[string]any, eff *effect) string {
	if _, touched := args["address"]; !touched {
		return ""
	}
	obj := merged(t, args, eff)
	name := risk.Text(obj["name"])
	rules, _ := s.list("/api/v2/firewall/rules")
	forwards, _ := s.list("/api/v2/firewall/nat/port_forwards")
	type check struct {
		obj  map[string]any
		test func(map[string]any) string
	}
	var checks []check
	for _, r := range rules {
		if m, ok := r.(map[string]any); ok {
			checks = append(checks, check{m, s.blockingRule})
		}
	}
	for _, f := range forwards {
		if m, ok := f.(map[string]any); ok {
			checks = append(checks, check{m, s.redirectingForward})
		}
	}
	before := make([]bool, len(checks))
	for i, c := range checks {
		before[i] = c.test(c.obj) != ""
	}
	s.alias("") // loads the aliases
	s.aliases[name] = obj
	for i, c := range checks {
		if why := c.test(c.obj); why != "" && !before[i] {
			return fmt.Sprintf("the alias %s would hold %s, so %s", name, strings.Join(stringList(obj["address"]), ", "), why)
		}
	}
	return ""
}

// loopback reports whether this server talks to the firewall over loopback (it runs on the
// firewall): pfSense filters no loopback traffic (pf's `set skip on lo0`), so no rule or port
// forward reaches it.
func (s *guarded) loopback() bool { return s.host != nil && s.host.IsLoopback() }

func (g *Guard) describeSelf(s *guarded) string {
	where := net.JoinHostPort(g.self.Host, strconv.Itoa(g.self.Port))
	if s.host != nil && s.host.String() != g.self.Host {
		where += " (" + s.host.String() + ")"
	}
	if s.source != nil {
		where += " from " + s.source.String()
	}
	switch g.self.AuthMode {
	case "key":
		return where + " with an API key"
	default:
		return where + " as user " + g.self.Username
	}
}

// merged is the object an update or settings PATCH would leave: the current one with the
// arguments over it (for a create, the arguments).
func merged(t *toolspec.Tool, args map[string]any, eff *effect) map[string]any {
	out := map[string]any{}
	if eff != nil {
		if cur, ok := eff.current.(map[string]any); ok && t.Method == http.MethodPatch {
			for k, v := range cur {
				out[k] = v
			}
		}
	}
	for k, v := range args {
		if _, ok := t.Param(k); ok {
			out[k] = v
		}
	}
	return out
}

// written returns the objects a create, update or replace would leave.
func written(t *toolspec.Tool, args map[string]any, eff *effect) []map[string]any {
	if t.Kind == toolspec.KindReplace {
		return risk.Objects("objects[]", args)
	}
	return []map[string]any{merged(t, args, eff)}
}

func (s *guarded) each(t *toolspec.Tool, args map[string]any, eff *effect, test func(map[string]any) string) string {
	for _, obj := range written(t, args, eff) {
		if why := test(obj); why != "" {
			return why
		}
	}
	return ""
}

// restAPISettings judges the settings a PATCH sets (those it leaves alone keep working, as this
// server is talking).
func (s *guarded) restAPISettings(m map[string]any, eff *effect) string {
	if m["enabled"] == false {
		return "it turns the REST API off"
	}
	if m["read_only"] == true {
		return "it makes the REST API read-only, so this server could not change anything any more, undoing this included"
	}
	if methods, ok := m["auth_methods"].([]any); ok {
		need := map[string][]string{"key": {"KeyAuth"}, "basic": {"BasicAuth"}, "jwt": {"JWTAuth", "BasicAuth"}}[s.g.self.AuthMode]
		for _, n := range need {
			if !slices.ContainsFunc(methods, func(v any) bool { return v == n }) {
				return fmt.Sprintf("its auth_methods leave out %s, which this server authenticates with", n)
			}
		}
	}
	if allowed, ok := m["allowed_interfaces"].([]any); ok && len(allowed) > 0 {
		// As with the access list, only a change from a list that lets this server in (as the
		// guard reads it) to one that does not is refused.
		if cur, _ := eff.current.(map[string]any); cur != nil {
			if before, _ := cur["allowed_interfaces"].([]any); len(before) > 0 && s.interfacesRefuse(before) != "" {
				return ""
			}
		}
		return s.interfacesRefuse(allowed)
	}
	return ""
}

// interfacesRefuse says why this server's requests would be refused with these allowed
// interfaces (Core/Endpoint.inc check_interface_allowed: the address a request arrives at must
// be the current address of an allowed interface; lo0 for loopback), or "".
func (s *guarded) interfacesRefuse(allowed []any) string {
	if s.host == nil {
		return "its allowed_interfaces are set, and the address this server talks to is not known yet"
	}
	if s.host.IsLoopback() && slices.ContainsFunc(allowed, func(v any) bool { return v == "lo0" }) {
		return ""
	}
	ifs, ok := s.interfaces()
	if !ok {
		return "its allowed_interfaces are set, and the interfaces could not be read to check them"
	}
	for _, a := range allowed {
		for _, i := range ifs {
			if i.id == s.ifaceID(risk.Text(a)) && i.addr.Equal(s.host) {
				return ""
			}
		}
	}
	return fmt.Sprintf("its allowed_interfaces (%s) leave out the interface of %s, the address this server talks to", listText(allowed), s.host)
}

// webGUI judges the port and protocol a PATCH sets.
func (s *guarded) webGUI(m map[string]any) string {
	if p, ok := m["protocol"].(string); ok && p != "" && p != s.g.self.Scheme {
		return fmt.Sprintf("it switches the web GUI, which serves the REST API, to %s while this server uses %s", p, s.g.self.Scheme)
	}
	if v, ok := m["port"]; ok {
		port := risk.Text(v)
		if port == "" || port == "null" {
			port = map[string]string{"https": "443", "http": "80"}[s.g.self.Scheme]
		}
		if port != strconv.Itoa(s.g.self.Port) {
			return fmt.Sprintf("it moves the web GUI, which serves the REST API, to port %s while this server uses %d", port, s.g.self.Port)
		}
	}
	return ""
}

// ownKey refuses deleting the API key this server uses. pfSense hides key hashes (a sensitive
// field), so a key of the same length counts as possibly this server's.
func (s *guarded) ownKey(t *toolspec.Tool, args map[string]any, eff *effect) string {
	if s.g.self.AuthMode != "key" {
		return ""
	}
	gone := deleted(eff)
	if !t.Plural {
		keys, ok := s.apiKeys()
		if !ok {
			return "it deletes an API key, and the keys could not be read to tell whether it is this server's"
		}
		gone = nil
		want := risk.Text(args["id"])
		for i, k := range keys {
			m, _ := k.(map[string]any)
			id, has := m["id"]
			if has && risk.Text(id) == want || !has && strconv.Itoa(i) == want {
				gone = append(gone, k)
			}
		}
	}
	own, known := s.ownKeyRow()
	for _, k := range gone {
		m, _ := k.(map[string]any)
		hash, _ := m["hash"].(string)
		switch {
		case known:
			if risk.Text(m["id"]) == risk.Text(own["id"]) {
				return "it deletes the API key this server uses"
			}
		case s.g.keyHashes[strings.ToLower(hash)]:
			return "it deletes the API key this server uses"
		case (hash == "" || !isHex(hash)) && risk.Text(m["length_bytes"]) == strconv.Itoa(s.g.keyBytes):
			return fmt.Sprintf("it deletes an API key of %d bytes like this server's (pfSense hides key hashes, so it may be this server's own)", s.g.keyBytes)
		}
	}
	return ""
}

// ownUser is the user this server authenticates as: the BasicAuth user, or the owner of its
// API key when the key list shows hashes.
func (s *guarded) ownUser() string {
	if s.g.self.AuthMode != "key" {
		return s.g.self.Username
	}
	if m, ok := s.ownKeyRow(); ok {
		u, _ := m["username"].(string)
		return u
	}
	return ""
}

// ownKeyRow finds this server's API key among the stored keys: by its hash where the list shows
// hashes, else by asking for the keys with each of its hashes (pfSense hides the hash, a
// sensitive field, but its query filters read the stored value: Core/Model.inc read_all
// filters the objects before representing them). ok is false when it cannot be told.
func (s *guarded) ownKeyRow() (map[string]any, bool) {
	if s.ownKeyDone {
		return s.ownKeyM, s.ownKeyM != nil
	}
	s.ownKeyDone = true
	keys, _ := s.apiKeys()
	hidden := false
	for _, k := range keys {
		if m, ok := k.(map[string]any); ok {
			h, _ := m["hash"].(string)
			if s.g.keyHashes[strings.ToLower(h)] {
				s.ownKeyM = m
				return m, true
			}
			hidden = hidden || h == "" || !isHex(h)
		}
	}
	if !hidden {
		return nil, false
	}
	for _, h := range s.g.hashList {
		v, err := s.d.readPath(s.ctx, http.MethodGet, "/api/v2/auth/keys", &pfclient.Request{Method: http.MethodGet, Path: "/api/v2/auth/keys", Query: url.Values{"hash": {h}}})
		if err != nil {
			return nil, false
		}
		if rows := asRows(v); len(rows) == 1 {
			if m, ok := rows[0].(map[string]any); ok {
				s.ownKeyM = m
				return m, true
			}
		}
	}
	return nil, false
}

func (s *guarded) user(t *toolspec.Tool, args map[string]any, eff *effect) string {
	own := s.ownUser()
	if own == "" {
		return ""
	}
	isOwn := func(v any) bool { m, _ := v.(map[string]any); return m != nil && m["name"] == own }
	switch {
	case t.Method == http.MethodDelete:
		for _, o := range deleted(eff) {
			if isOwn(o) {
				return fmt.Sprintf("it deletes the user %s, whom this server authenticates as", own)
			}
		}
	case t.Method == http.MethodPatch && eff != nil && isOwn(eff.current):
		switch {
		case args["disabled"] == true:
			return fmt.Sprintf("it disables the user %s, whom this server authenticates as", own)
		case args["name"] != nil && args["name"] != own:
			return fmt.Sprintf("it renames the user %s, whom this server authenticates as", own)
		case args["password"] != nil && s.g.self.AuthMode != "key":
			return fmt.Sprintf("it changes the password of %s, which this server authenticates with", own)
		}
	}
	return ""
}

// interfaces reads the interfaces' current addresses (status/interfaces).
func (s *guarded) interfaces() ([]iface, bool) {
	rows, ok := s.list("/api/v2/status/interfaces")
	if !ok || s.ifaces != nil {
		return s.ifaces, ok
	}
	s.ifaces = []iface{}
	for _, row := range rows {
		m, _ := row.(map[string]any)
		name, _ := m["name"].(string)
		addr := net.ParseIP(risk.Text(m["ipaddr"]))
		if name == "" || addr == nil {
			continue
		}
		i := iface{id: strings.ToLower(name), addr: addr}
		if bits, err := strconv.Atoi(risk.Text(m["subnet"])); err == nil {
			_, i.subnet, _ = net.ParseCIDR(fmt.Sprintf("%s/%d", addr, bits))
		}
		s.ifaces = append(s.ifaces, i)
	}
	return s.ifaces, true
}

// ifaceID turns an interface as a request names it into its id (wan, opt1). The REST API shows
// and takes interfaces as their id, description or device as its represent_interfaces_as
// setting says (Fields/InterfaceField.inc _from_internal and _to_internal: descr, or the id in
// capitals when it has none; if), while status/interfaces always gives all three (name is the
// id: Models/InterfaceStats.inc, get_configured_interface_with_descr). A name that matches none
// (a group, an alias, or interfaces that could not be read) comes back lower-cased.
func (s *guarded) ifaceID(name string) string {
	if s.ifaceNames == nil {
		rows, _ := s.list("/api/v2/status/interfaces")
		s.ifaceNames = fwrules.NewInterfaceIDs(rows)
	}
	return strings.ToLower(s.ifaceNames.ID(strings.TrimSpace(name)))
}

func (s *guarded) apiKeys() ([]any, bool) { return s.list("/api/v2/auth/keys") }

// ifaceOf returns the interface holding ip (its address, or for subnet its network).
func (s *guarded) ifaceOf(ip net.IP, subnet bool) string {
	ifs, _ := s.interfaces()
	for _, i := range ifs {
		if i.addr.Equal(ip) || subnet && i.subnet != nil && i.subnet.Contains(ip) {
			return i.id
		}
	}
	return ""
}

// covers reports whether a rule's address (source or destination) may include ip: `any`, an
// address or network holding it, an interface's address (`lan:ip`) or network (`lan`) holding
// it, `(self)` for the firewall's own addresses; a negation or an alias cannot be resolved here
// and counts as covering.
func (s *guarded) covers(v any, ip net.IP, isFirewall bool) bool {
	a := strings.TrimSpace(risk.Text(v))
	switch {
	case ip == nil:
		return true
	case a == "" || a == "null" || a == "any" || strings.HasPrefix(a, "!"):
		return true
	case a == "(self)":
		return isFirewall || s.ifaceOf(ip, false) != ""
	case a == "l2tp" || a == "pppoe":
		return false
	}
	if x := net.ParseIP(a); x != nil {
		return x.Equal(ip)
	}
	if _, n, err := net.ParseCIDR(a); err == nil {
		return n.Contains(ip)
	}
	if al := s.alias(a); al != nil {
		return s.aliasCovers(al, ip, isFirewall, 0)
	}
	ifs, _ := s.interfaces()
	name, addrOnly := strings.CutSuffix(strings.ToLower(a), ":ip")
	if !addrOnly {
		if n, ok2 := strings.CutSuffix(name, "ip"); ok2 && slices.ContainsFunc(ifs, func(i iface) bool { return i.id == s.ifaceID(n) }) {
			name, addrOnly = n, true // the older spelling: lanip
		}
	}
	name = s.ifaceID(name)
	for _, i := range ifs {
		if i.id == name {
			if addrOnly {
				return i.addr.Equal(ip)
			}
			return i.subnet != nil && i.subnet.Contains(ip)
		}
	}
	return true // an alias (or interfaces that could not be read): unknown
}

// alias returns the firewall alias called name, or nil.
func (s *guarded) alias(name string) map[string]any {
	if s.aliases == nil {
		rows, _ := s.list("/api/v2/firewall/aliases")
		s.aliases = map[string]map[string]any{}
		for _, row := range rows {
			if m, ok := row.(map[string]any); ok {
				s.aliases[risk.Text(m["name"])] = m
			}
		}
	}
	return s.aliases[name]
}

// aliasCovers reports whether a host or network alias may hold ip: an address, network or
// nested alias of it does (a host name, or an alias nested too deep, counts as holding it).
func (s *guarded) aliasCovers(al map[string]any, ip net.IP, isFirewall bool, depth int) bool {
	if risk.Text(al["type"]) == "port" || depth > 4 {
		return depth > 4
	}
	for _, a := range stringList(al["address"]) {
		if x := net.ParseIP(a); x != nil {
			if x.Equal(ip) {
				return true
			}
			continue
		}
		if _, n, err := net.ParseCIDR(a); err == nil {
			if n.Contains(ip) {
				return true
			}
			continue
		}
		if nested := s.alias(a); nested != nil {
			if s.aliasCovers(nested, ip, isFirewall, depth+1) {
				return true
			}
			continue
		}
		return true // a host name or an IP range: not resolved here
	}
	return false
}

// portCovers reports whether a port field (a number, a range a:b, an alias, or none) may
// include port.
func portCovers(v any, port int) bool {
	p := strings.TrimSpace(risk.Text(v))
	if p == "" || p == "null" || p == "any" {
		return true
	}
	lo, hi, isRange := strings.Cut(p, ":")
	a, err1 := strconv.Atoi(lo)
	if !isRange {
		if err1 != nil {
			return true // an alias
		}
		return a == port
	}
	b, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil {
		return true
	}
	return a <= port && port <= b
}

func tcp(v any) bool {
	p := risk.Text(v)
	return p == "" || p == "null" || p == "any" || p == "tcp" || p == "tcp/udp"
}

// onIngress reports whether a rule on these interfaces sees this server's traffic: floating
// rules see everything; others only traffic arriving on their interfaces (the one whose network
// holds this server's address, when the guard can tell).
func (s *guarded) onIngress(obj map[string]any) bool {
	if obj["floating"] == true {
		return true
	}
	in := s.ifaceOf(s.source, true)
	if in == "" {
		return true
	}
	list := stringList(obj["interface"])
	return len(list) == 0 || slices.ContainsFunc(list, func(x string) bool { return s.ifaceID(x) == in })
}

// matchesServer reports whether a rule or port forward may match this server's connections:
// to the address and port it talks to, from its address, on the interface it arrives on.
func (s *guarded) matchesServer(obj map[string]any) bool {
	return portCovers(obj["destination_port"], s.g.self.Port) && s.covers(obj["destination"], s.host, true) &&
		s.covers(obj["source"], s.source, false) && s.onIngress(obj)
}

// blockingRule says whether a firewall rule would block this server's connection.
func (s *guarded) blockingRule(obj map[string]any) string {
	typ := risk.Text(obj["type"])
	if (typ != "block" && typ != "reject") || obj["disabled"] == true || !tcp(obj["protocol"]) {
		return ""
	}
	if !s.matchesServer(obj) {
		return ""
	}
	return fmt.Sprintf("the firewall rule (%s from %s to %s port %s) blocks this server's own connections", typ, orAny(obj["source"]), orAny(obj["destination"]), orAny(obj["destination_port"]))
}

// redirectingForward says whether a port forward would send this server's connection elsewhere.
func (s *guarded) redirectingForward(obj map[string]any) string {
	if obj["disabled"] == true || obj["nordr"] == true || !tcp(obj["protocol"]) {
		return ""
	}
	if !s.matchesServer(obj) {
		return ""
	}
	return fmt.Sprintf("the port forward (to %s port %s) redirects this server's own connections to %s", orAny(obj["destination"]), orAny(obj["destination_port"]), risk.Text(obj["target"]))
}

func orAny(v any) string {
	t := risk.Text(v)
	if t == "" || t == "null" {
		return "any"
	}
	return t
}

// hostInterface refuses taking down, readdressing or removing the interface this server talks
// to (or arrives on).
func (s *guarded) hostInterface(t *toolspec.Tool, args map[string]any, eff *effect) string {
	mine := map[string]bool{}
	if id := s.ifaceOf(s.host, false); id != "" {
		mine[id] = true
	}
	if id := s.ifaceOf(s.source, true); id != "" {
		mine[id] = true
	}
	if len(mine) == 0 {
		return ""
	}
	isMine := func(v any) bool {
		m, _ := v.(map[string]any)
		return m != nil && mine[strings.ToLower(risk.Text(m["id"]))]
	}
	switch t.Method {
	case http.MethodDelete:
		for _, o := range deleted(eff) {
			if isMine(o) {
				return fmt.Sprintf("it removes the interface %s, which this server's connection goes through", risk.Text(o.(map[string]any)["id"]))
			}
		}
	case http.MethodPatch:
		if !isMine(eff.current) {
			return ""
		}
		id := risk.Text(eff.current.(map[string]any)["id"])
		if args["enable"] == false {
			return fmt.Sprintf("it disables the interface %s, which this server's connection goes through", id)
		}
		for _, f := range []string{"ipaddr", "subnet", "typev4", "if"} {
			if v, ok := args[f]; ok && !sameJSON(v, eff.current.(map[string]any)[f]) {
				return fmt.Sprintf("it changes %s of the interface %s, which this server's connection goes through", f, id)
			}
		}
	}
	return ""
}

// hostVirtualIP refuses removing or moving the virtual IP this server talks to: a CARP, IP
// alias or proxy ARP address the firewall answers on only while the virtual IP exists
// (Models/VirtualIP.inc: its subnet is the address, on interface; delete and a changed subnet,
// interface or mode take the old address away when applied).
func (s *guarded) hostVirtualIP(t *toolspec.Tool, args map[string]any, eff *effect) string {
	if s.host == nil {
		return ""
	}
	isMine := func(v any) bool {
		m, _ := v.(map[string]any)
		ip := net.ParseIP(risk.Text(m["subnet"]))
		return ip != nil && ip.Equal(s.host)
	}
	switch t.Method {
	case http.MethodDelete:
		for _, o := range deleted(eff) {
			if isMine(o) {
				return fmt.Sprintf("it removes the virtual IP %s, the address this server talks to", risk.Text(o.(map[string]any)["subnet"]))
			}
		}
	case http.MethodPatch:
		if eff == nil || !isMine(eff.current) {
			return ""
		}
		cur := eff.current.(map[string]any)
		for _, f := range []string{"subnet", "interface", "mode"} {
			if v, ok := args[f]; ok && !sameJSON(v, cur[f]) {
				return fmt.Sprintf("it changes %s of the virtual IP %s, the address this server talks to", f, risk.Text(cur["subnet"]))
			}
		}
	}
	return ""
}

// accessList refuses a change after which the REST API access list denies this server
// (Models/RESTAPIAccessListEntry.inc is_allowed_by_acl: entries by weight, the first matching
// decides, no match denies). An entry for other users, or with a schedule, counts against this
// server where that cannot be told.
func (s *guarded) accessList(t *toolspec.Tool, args map[string]any, eff *effect) string {
	if s.source == nil {
		return "it changes the REST API access list before this server has learned its own address"
	}
	list, ok := s.list("/api/v2/system/restapi/access_list")
	if !ok {
		return "it changes the REST API access list, which could not be read to check it"
	}
	// Only a change that turns an allowed server away is refused: when the list as read
	// already denies it while it talks (a firewall that does not enforce it), the model of the
	// list does not hold there, and nothing can be concluded.
	if !s.aclAllows(list) {
		return ""
	}
	list = append([]any(nil), list...)
	idOf := func(o any) string { m, _ := o.(map[string]any); return risk.Text(m["id"]) }
	switch {
	case t.Kind == toolspec.KindReplace:
		list = nil
		for _, o := range risk.Objects("objects[]", args) {
			list = append(list, o)
		}
	case t.Method == http.MethodPost:
		list = append(list, merged(t, args, eff))
	case t.Method == http.MethodPatch:
		for i, o := range list {
			if idOf(o) == risk.Text(args["id"]) {
				list[i] = merged(t, args, eff)
			}
		}
	case t.Method == http.MethodDelete:
		gone := map[string]bool{}
		for _, o := range deleted(eff) {
			gone[idOf(o)] = true
		}
		var keep []any
		for _, o := range list {
			if !gone[idOf(o)] {
				keep = append(keep, o)
			}
		}
		list = keep
	}
	if s.aclAllows(list) {
		return ""
	}
	return fmt.Sprintf("afterwards no REST API access list entry allows %s, and the API denies what no entry allows", s.source)
}

func (s *guarded) aclAllows(list []any) bool {
	type entry struct {
		m      map[string]any
		weight int
		order  int
	}
	var es []entry
	for i, o := range list {
		m, _ := o.(map[string]any)
		if m == nil {
			continue
		}
		w, err := strconv.Atoi(risk.Text(m["weight"]))
		if err != nil {
			w = 1 // the field's default
		}
		es = append(es, entry{m, w, i})
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].weight < es[j].weight })
	own := s.ownUser()
	for _, e := range es {
		allow := risk.Text(e.m["type"]) != "deny"
		_, n, err := net.ParseCIDR(risk.Text(e.m["network"]))
		if err != nil || !n.Contains(s.source) {
			continue
		}
		users := stringList(e.m["users"])
		userMatch := len(users) == 0 || own != "" && slices.Contains(users, own)
		if len(users) > 0 && own == "" {
			userMatch = !allow // unknown user: an allow may not apply, a deny may
		}
		sched := risk.Text(e.m["sched"])
		active := sched == "" || sched == "null" || !allow
		if userMatch && active {
			return allow
		}
	}
	return false
}

func listText(list []any) string {
	var out []string
	for _, v := range list {
		out = append(out, risk.Text(v))
	}
	return strings.Join(out, ", ")
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && len(s) >= 32
}
