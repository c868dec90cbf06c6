package doctor

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/probe"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// learn probes the firewall as the server does at start-up (version, packages, and its own spec
// when the versions differ) and hands the facts to the inventory.
func (c *checkup) learn() *probe.Facts {
	f := probe.Learn(c.ctx, c.fw, c.toolsVersion, nil)
	c.facts = *f
	c.inv.SetFirewall(f.Inventory())
	return f
}

func (c *checkup) regenerate() string {
	return "to match the firewall exactly, regenerate the tools from its own spec: tools/fetch-spec " + c.cfg.URL.String() + ", then rebuild"
}

// version compares the firewall's REST API version with the tools' spec and says what the server
// does about a difference.
func (c *checkup) version() {
	const step = "REST API version"
	f := &c.facts
	switch {
	case f.VersionErr != nil:
		c.r.skip(step, "the version could not be read")
		return
	case !f.Mismatch():
		c.r.ok(step, fmt.Sprintf("%s, the version of the tools' spec", f.Version))
		return
	case f.Operations == nil:
		c.r.warn(step, fmt.Sprintf("the firewall runs %s but the tools come from the %s spec, and its own spec could not be read (%v): "+
			"the server cannot hide the tools it lacks nor refuse the fields it does not know", f.Version, f.ToolsVersion, f.SpecErr), c.regenerate())
		return
	}
	lacks, _ := c.inv.FirewallHidden()
	var unknown []string
	for _, t := range c.inv.Exposed() {
		if u := c.inv.UnknownInputs(t); len(u) > 0 {
			unknown = append(unknown, fmt.Sprintf("%s (%s)", t.Name, strings.Join(u, ", ")))
		}
	}
	msg := fmt.Sprintf("the firewall runs %s but the tools come from the %s spec. The server reads the firewall's own spec at start: "+
		"%d tools these settings would expose are hidden because the firewall lacks them, and %s with inputs it does not know refuse those inputs",
		f.Version, f.ToolsVersion, lacks, plural(len(unknown), "tool"))
	if len(unknown) > 0 {
		shown := unknown
		if len(shown) > 3 {
			shown = append(shown[:3:3], fmt.Sprintf("%d more", len(unknown)-3))
		}
		msg += ": " + strings.Join(shown, "; ")
	}
	c.r.warn(step, msg, c.regenerate())
}

// packages lists the installed packages and the tools that need missing ones.
func (c *checkup) packages() {
	const step = "Packages"
	f := &c.facts
	if f.PackagesErr != nil {
		fix := ""
		if isStatus(f.PackagesErr, http.StatusForbidden) {
			fix = "give the user the privilege api-v2-system-packages-get (or page-all)"
		}
		c.r.warn(step, "could not read the installed packages ("+f.PackagesErr.Error()+"): tools that need a missing package stay listed and fail when called", fix)
		return
	}
	installed := "none"
	if len(f.Packages) > 0 {
		installed = strings.Join(f.Packages, ", ")
	}
	_, hidden := c.inv.FirewallHidden()
	if hidden == 0 {
		c.r.ok(step, fmt.Sprintf("installed: %s; every tool these settings expose has the packages it needs", installed))
		return
	}
	var missing []string
	for _, m := range c.inv.MissingPackages() {
		missing = append(missing, fmt.Sprintf("%s (%s)", m.Package, plural(len(m.Tools), "tool")))
	}
	c.r.info(step, fmt.Sprintf("installed: %s. %d tools these settings would expose need packages that are not installed, so the server does not list them: %s",
		installed, hidden, strings.Join(missing, ", ")))
}

// readWrite says whether the credentials may call the tools the settings expose, from the
// privileges of their user (its own and its groups'): each endpoint method needs page-all or its
// own privilege (Core/Endpoint.inc, get_method_priv_name; Core/Auth.inc, authorize).
func (c *checkup) readWrite() {
	const step = "Read and write"
	if !c.credentialsOK {
		c.r.skip(step, "the credentials did not work")
		return
	}
	user, err := c.user()
	if err != nil {
		c.r.warn(step, "reads work, but whether writes would is unknown: "+err.Error(),
			"check the user's privileges in System > User Manager")
		return
	}
	privs, err := c.privileges(user)
	if err != nil {
		c.r.warn(step, fmt.Sprintf("reads work, but the privileges of user %s could not be read (%v): whether writes would work is unknown", user, err),
			"give the user the privileges api-v2-users-get and api-v2-user-groups-get, or check them in System > User Manager")
		return
	}
	if privs["page-all"] {
		msg := fmt.Sprintf("user %s holds page-all: it may read and change everything", user)
		if !c.cfg.AllowWrites {
			msg += " (the server stays read-only: PFSENSE_ALLOW_WRITES is off)"
		}
		c.r.ok(step, msg)
		return
	}
	var reads, readsOK, writes, writesOK int
	for _, t := range c.inv.Exposed() {
		ok := privs[privilege(t)]
		if t.Mutation {
			writes++
			if ok {
				writesOK++
			}
		} else {
			reads++
			if ok {
				readsOK++
			}
		}
	}
	msg := fmt.Sprintf("user %s may call %d of the %d read tools", user, readsOK, reads)
	if writes > 0 {
		msg += fmt.Sprintf(" and %d of the %d change tools", writesOK, writes)
	}
	msg += " these settings expose; the others answer 403"
	fix := "grant privileges in System > User Manager (page-all, or api-v2-<path>-<method> per endpoint), or narrow PFSENSE_MODULES to what the user may use"
	switch {
	case reads > 0 && readsOK == 0, writes > 0 && writesOK == 0:
		c.r.fail(step, msg, fix)
	case readsOK < reads || writesOK < writes:
		c.r.warn(step, msg, fix)
	default:
		c.r.ok(step, msg)
	}
}

// privilege is the pfSense privilege an endpoint method needs besides page-all:
// /api/v2/firewall/alias, POST -> api-v2-firewall-alias-post (Core/Endpoint.inc,
// get_method_priv_name: slashes and underscores become hyphens).
func privilege(t *toolspec.Tool) string {
	p := strings.NewReplacer("/", "-", "_", "-").Replace(strings.TrimPrefix(t.Path, "/"))
	return p + "-" + strings.ToLower(t.Method)
}

// user is the firewall user behind the credentials. An API key is found among the stored keys
// by its hash, as the REST API itself does (Models/RESTAPIKey.inc, authenticate): the key is
// never sent anywhere but in its header, and no hash is printed.
func (c *checkup) user() (string, error) {
	if c.cfg.AuthMode != "key" {
		return c.cfg.Username, nil
	}
	resp, err := c.fw.Do(c.ctx, pfclient.Request{Method: http.MethodGet, Path: "/api/v2/auth/keys"})
	if err != nil {
		return "", fmt.Errorf("the key's user could not be found: reading the API keys failed (%v)", err)
	}
	var keys []apiKey
	if err := json.Unmarshal(resp.Data, &keys); err != nil {
		return "", fmt.Errorf("the API keys answer is not a list: %v", err)
	}
	users, hidden := map[string]bool{}, 0
	for _, k := range keys {
		users[k.Username] = true
		if k.Hash == "" {
			hidden++ // a sensitive field: the REST API shows it only with expose_sensitive_fields
			continue
		}
		sum, ok := keyHash(k.HashAlgo, c.cfg.APIKey)
		if !ok {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(sum), []byte(strings.ToLower(k.Hash))) == 1 {
			return k.Username, nil
		}
	}
	if hidden > 0 {
		// The REST API filters on a field it does not show: ask for the key by its hash.
		if u, ok := c.userByHash(keys); ok {
			return u, nil
		}
	}
	if hidden > 0 && len(users) == 1 {
		// The hashes are hidden (the REST API's default), but every key belongs to one user:
		// the key that was just accepted is one of them.
		for u := range users {
			return u, nil
		}
	}
	if hidden > 0 {
		names := make([]string, 0, len(users))
		for u := range users {
			names = append(names, u)
		}
		sort.Strings(names)
		return "", fmt.Errorf("the firewall hides the keys' hashes (a sensitive field) and its keys belong to several users (%s), so which one this key belongs to cannot be told", strings.Join(names, ", "))
	}
	return "", fmt.Errorf("the key is not among the API keys the credentials may read")
}

// userByHash finds the key's user by asking for the keys with its hash, once per hash
// algorithm in use: the REST API hides the hash field (sensitive) but its query filters read
// the stored values (Core/Model.inc read_all filters the objects before representing them).
func (c *checkup) userByHash(keys []apiKey) (string, bool) {
	tried := map[string]bool{}
	for _, k := range keys {
		if tried[k.HashAlgo] {
			continue
		}
		tried[k.HashAlgo] = true
		sum, ok := keyHash(k.HashAlgo, c.cfg.APIKey)
		if !ok {
			continue
		}
		resp, err := c.fw.Do(c.ctx, pfclient.Request{Method: http.MethodGet, Path: "/api/v2/auth/keys", Query: url.Values{"hash": {sum}}})
		if err != nil {
			continue
		}
		var found []apiKey
		if json.Unmarshal(resp.Data, &found) == nil && len(found) == 1 {
			return found[0].Username, true
		}
	}
	return "", false
}

// apiKey is what the doctor reads of a stored API key.
type apiKey struct {
	Username string `json:"username"`
	HashAlgo string `json:"hash_algo"`
	Hash     string `json:"hash"`
}

// keyHash is the hex digest of key with the REST API's algorithm name, false for others.
func keyHash(algo, key string) (string, bool) {
	var h hash.Hash
	switch algo {
	case "sha256":
		h = sha256.New()
	case "sha384":
		h = sha512.New384()
	case "sha512":
		h = sha512.New()
	default:
		return "", false
	}
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil)), true
}

// privileges returns the privileges of user: its own and those of the groups it is a member of.
func (c *checkup) privileges(user string) (map[string]bool, error) {
	q := url.Values{"name": {user}}
	resp, err := c.fw.Do(c.ctx, pfclient.Request{Method: http.MethodGet, Path: "/api/v2/users", Query: q})
	if err != nil {
		return nil, err
	}
	var users []struct {
		Name string   `json:"name"`
		UID  any      `json:"uid"`
		Priv []string `json:"priv"`
	}
	if err := json.Unmarshal(resp.Data, &users); err != nil {
		return nil, fmt.Errorf("the users answer is not a list: %v", err)
	}
	privs := map[string]bool{}
	uid := ""
	for _, u := range users {
		if u.Name == user {
			uid = fmt.Sprint(u.UID)
			for _, p := range u.Priv {
				privs[p] = true
			}
		}
	}
	if uid == "" {
		return nil, fmt.Errorf("there is no user %s", user)
	}
	resp, err = c.fw.Do(c.ctx, pfclient.Request{Method: http.MethodGet, Path: "/api/v2/user/groups"})
	if err != nil {
		return nil, err
	}
	var groups []struct {
		Member []any    `json:"member"`
		Priv   []string `json:"priv"`
	}
	if err := json.Unmarshal(resp.Data, &groups); err != nil {
		return nil, fmt.Errorf("the groups answer is not a list: %v", err)
	}
	for _, g := range groups {
		for _, m := range g.Member {
			if fmt.Sprint(m) == uid {
				for _, p := range g.Priv {
					privs[p] = true
				}
			}
		}
	}
	return privs, nil
}

// exposure says what the settings expose: how many tools tools/list carries and how many bytes
// of definitions that is (what the model's context pays), with the firewall's facts applied.
func (c *checkup) exposure() {
	const step = "Exposed"
	d := toolcall.New(toolcall.Options{Inventory: c.inv})
	tools := mcpserver.Tools(d, mcpserver.Options{Mode: c.cfg.Mode, AllowWrites: c.cfg.AllowWrites, SpecVersion: c.toolsVersion})
	list := make([]mcp.Tool, len(tools))
	for i, t := range tools {
		list[i] = t.Tool
	}
	b, err := json.Marshal(mcp.ListToolsResult{Tools: list})
	if err != nil {
		c.r.fail(step, "rendering tools/list failed: "+err.Error(), "")
		return
	}
	modules := "all modules"
	if len(c.cfg.Modules) > 0 {
		modules = "modules " + strings.Join(c.cfg.Modules, ",")
	}
	what := fmt.Sprintf("%d tools in tools/list (%s mode, %s), %s of definitions", len(tools), c.cfg.Mode, modules, kb(len(b)))
	if c.cfg.Mode == config.ModeDiscovery {
		what += fmt.Sprintf("; they reach the %d exposed tools", len(c.inv.Exposed()))
	}
	// About 4 bytes a token: past 800 KB the definitions alone fill a 200k-token context.
	if len(b) > 800<<10 {
		c.r.warn(step, what+": more than a 200k-token context holds",
			"narrow it with PFSENSE_MODULES (e.g. firewall,interface), keep writes off, or use PFSENSE_TOOL_MODE=discovery")
		return
	}
	c.r.info(step, what)
}

// interfaceNames reads how the REST API names interfaces (represent_interfaces_as:
// Fields/InterfaceField.inc shows and takes an interface as its id, description or device).
// The dangerous-effect checks, the lint warnings and the security audit understand all three;
// the tools' examples and descriptions use ids (wan, lan, opt1).
func (c *checkup) interfaceNames() {
	const step = "Interface names"
	if !c.credentialsOK {
		c.r.skip(step, "the credentials did not work")
		return
	}
	resp, err := c.fw.Do(c.ctx, pfclient.Request{Method: http.MethodGet, Path: "/api/v2/system/restapi/settings"})
	if err != nil {
		c.r.skip(step, "the REST API settings could not be read ("+err.Error()+")")
		return
	}
	var s struct {
		As string `json:"represent_interfaces_as"`
	}
	_ = json.Unmarshal(resp.Data, &s)
	switch s.As {
	case "", "id":
		c.r.ok(step, "interfaces are named by their id (wan, lan, opt1), as the tools expect")
	default:
		c.r.warn(step, fmt.Sprintf("the REST API names interfaces by their %s (represent_interfaces_as): the server's own checks understand that, but the tools' examples and descriptions use ids (wan, lan, opt1), so models will write ids and read answers that name interfaces otherwise", s.As),
			"set Represent Interfaces As to ID in System > REST API > Settings")
	}
}

func kb(n int) string {
	if n < 10<<10 {
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// authMethods reads auth_methods from a REST API settings answer.
func authMethods(resp *pfclient.Response) []string {
	var s struct {
		AuthMethods []string `json:"auth_methods"`
	}
	_ = json.Unmarshal(resp.Data, &s)
	return s.AuthMethods
}
