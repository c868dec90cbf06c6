package simulator_test

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
)

// client talks to a simulator over HTTPS like an API client does.
type client struct {
	t    *testing.T
	fw   *simtest.Firewall
	http *http.Client
	// auth is how requests authenticate: "basic" (admin:pfsense), "none", or a header
	// line "Name: value".
	auth string
}

type envelope struct {
	Code       int             `json:"code"`
	Status     string          `json:"status"`
	ResponseID string          `json:"response_id"`
	Message    string          `json:"message"`
	Data       json.RawMessage `json:"data"`
}

type reply struct {
	code   int
	header http.Header
	raw    []byte
	env    envelope
}

func newClient(t *testing.T, opts simulator.Options) *client {
	fw := simtest.Start(t, opts)
	return &client{t: t, fw: fw, auth: "basic", http: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fw.CertPool}},
	}}
}

// do sends a request; body is JSON text, or form fields when ctype is form-urlencoded.
func (c *client) do(method, path, body string, headers ...string) reply {
	c.t.Helper()
	req, err := http.NewRequest(method, c.fw.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case c.auth == "basic":
		req.SetBasicAuth("admin", "pfsense")
	case strings.Contains(c.auth, ": "):
		k, v, _ := strings.Cut(c.auth, ": ")
		req.Header.Set(k, v)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{code: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.env); err != nil {
			c.t.Fatalf("%s %s: answer is not JSON: %v: %s", method, path, err, raw)
		}
	}
	return r
}

// expect sends a request and checks status code, response_id and message.
func (c *client) expect(method, path, body string, code int, id, msg string) reply {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.code != code || r.env.ResponseID != id || r.env.Message != msg {
		c.t.Fatalf("%s %s\n got %d %s %q\nwant %d %s %q\nbody: %s", method, path, r.code, r.env.ResponseID, r.env.Message, code, id, msg, r.raw)
	}
	if r.env.Code != code {
		c.t.Fatalf("%s %s: envelope code %d, HTTP %d", method, path, r.env.Code, code)
	}
	if err := checkResponse(c.t, method, routePath(path), code, r.raw); err != nil {
		c.t.Fatal(err)
	}
	return r
}

func (c *client) ok(method, path, body string) reply {
	c.t.Helper()
	return c.expect(method, path, body, 200, "SUCCESS", "")
}

func routePath(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

// field decodes one field of the answer's data object.
func (r reply) field(t *testing.T, name string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.env.Data, &m); err != nil {
		t.Fatalf("data is not an object: %s", r.env.Data)
	}
	return m[name]
}

// column returns one field of every object in the answer's data list.
func (r reply) column(t *testing.T, name string) []any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(r.env.Data, &list); err != nil {
		t.Fatalf("data is not a list: %s", r.env.Data)
	}
	out := make([]any, len(list))
	for i, o := range list {
		out[i] = o[name]
	}
	return out
}

func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Fatalf("%s: got %s, want %s", what, g, w)
	}
}

const testKey = "0123456789abcdef0123456789abcdef0123456789abcdef"

// TestRealAPIBehaviours checks, over HTTPS, behaviours of the real REST API that clients
// depend on, one case per behaviour.
func TestRealAPIBehaviours(t *testing.T) {
	cases := []struct {
		name string
		opts simulator.Options
		run  func(t *testing.T, c *client)
	}{
		{"envelope: success is 200 with SUCCESS and an empty message", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("GET", "/api/v2/system/version", "")
			if !bytes.HasPrefix(r.raw, []byte(`{"code":200,"status":"ok","response_id":"SUCCESS","message":"","data":{`)) {
				t.Fatalf("envelope: %s", r.raw)
			}
			same(t, "version", r.field(t, "version"), "2.8.1-RELEASE")
			same(t, "REST API version", c.ok("GET", "/api/v2/system/restapi/version", "").field(t, "current_version"), "v2.7.1")
		}},
		{"envelope: creates answer 200 (not 201) with the new id", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("POST", "/api/v2/firewall/alias", `{"id":99,"name":"bt_new","type":"host","address":["10.1.1.1"]}`)
			same(t, "id", r.field(t, "id"), 3)
			same(t, "descr default", r.field(t, "descr"), "")
		}},
		{"envelope: quotes in messages become backticks; slashes are escaped", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.expect("GET", "/api/v2/firewall/aliases?name__it's=x", "", 404, "QUERY_FILTER_NOT_FOUND", "No query filter named `it`s` exists.")
			if !bytes.Contains(c.ok("GET", "/api/v2/firewall/aliases", "").raw, []byte(`"192.168.1.0\/24"`)) {
				t.Fatal("slashes are not escaped like PHP's json_encode")
			}
			_ = r
		}},
		{"auth: missing or wrong BasicAuth is 401 with a challenge", simulator.Options{}, func(t *testing.T, c *client) {
			c.auth = "none"
			r := c.expect("GET", "/api/v2/firewall/aliases", "", 401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.")
			same(t, "WWW-Authenticate", r.header.Get("WWW-Authenticate"), `Basic realm="pfSense REST API"`)
			c.auth = "Authorization: Basic " + "YWRtaW46d3Jvbmc=" // admin:wrong
			c.expect("GET", "/api/v2/firewall/aliases", "", 401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.")
		}},
		{"auth: API keys work only once KeyAuth is enabled; only the hash is stored", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("POST", "/api/v2/auth/key", `{"descr":"bt key","length_bytes":16}`)
			key, _ := r.field(t, "key").(string)
			if len(key) != 32 || strings.ToLower(key) != key {
				t.Fatalf("key %q: want 32 lowercase hex characters", key)
			}
			sum := sha256.Sum256([]byte(key))
			keys := c.ok("GET", "/api/v2/auth/keys", "")
			same(t, "stored hashes", keys.column(t, "hash")[1], hex.EncodeToString(sum[:]))
			same(t, "stored keys", keys.column(t, "key"), []any{nil, nil})
			c.auth = "X-API-Key: " + key
			c.expect("GET", "/api/v2/firewall/aliases", "", 401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.")
			c.auth = "basic"
			c.ok("PATCH", "/api/v2/system/restapi/settings", `{"auth_methods":["BasicAuth","KeyAuth"]}`)
			c.auth = "X-API-Key: " + key
			c.ok("GET", "/api/v2/firewall/aliases", "")
		}},
		{"auth: Options.APIKey enables KeyAuth; POST /auth/key is BasicAuth only", simulator.Options{APIKey: testKey}, func(t *testing.T, c *client) {
			c.auth = "X-API-Key: " + testKey
			same(t, "auth_methods", c.ok("GET", "/api/v2/system/restapi/settings", "").field(t, "auth_methods"), []string{"BasicAuth", "KeyAuth"})
			c.expect("POST", "/api/v2/auth/key", `{"descr":"x"}`, 401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.")
		}},
		{"auth: JWT from /auth/jwt works as a bearer token once JWTAuth is enabled", simulator.Options{}, func(t *testing.T, c *client) {
			token, _ := c.ok("POST", "/api/v2/auth/jwt", "").field(t, "token").(string)
			if strings.Count(token, ".") != 2 {
				t.Fatalf("token %q is not a JWT", token)
			}
			c.ok("PATCH", "/api/v2/system/restapi/settings", `{"auth_methods":["BasicAuth","JWTAuth"]}`)
			c.auth = "Authorization: Bearer " + token
			c.ok("GET", "/api/v2/firewall/aliases", "")
			c.auth = "Authorization: Bearer " + token + "x"
			c.expect("GET", "/api/v2/firewall/aliases", "", 401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.")
		}},
		{"auth: users other than admin need page-all or the endpoint's privilege", simulator.Options{}, func(t *testing.T, c *client) {
			c.ok("POST", "/api/v2/user", `{"name":"bt_viewer","password":"s3cret!","priv":["api-v2-firewall-aliases-get"]}`)
			c.auth = "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("bt_viewer:s3cret!"))
			c.ok("GET", "/api/v2/firewall/aliases", "")
			c.expect("GET", "/api/v2/firewall/rules", "", 403, "AUTH_AUTHORIZATION_FAILED", "User `bt_viewer` does not have sufficient privileges to access this resource.")
			c.auth = "basic"
			same(t, "hashed", strings.HasPrefix(func() string {
				c.ok("PATCH", "/api/v2/system/restapi/settings", `{"expose_sensitive_fields":true}`)
				h, _ := c.ok("GET", "/api/v2/user?id=1", "").field(t, "password").(string)
				return h
			}(), "$2y$10$"), true)
		}},
		{"not found: unknown objects are MODEL_OBJECT_NOT_FOUND; unknown paths nginx's plain 404", simulator.Options{}, func(t *testing.T, c *client) {
			c.expect("GET", "/api/v2/firewall/alias?id=9", "", 404, "MODEL_OBJECT_NOT_FOUND", "Object with ID `9` does not exist.")
			r := c.do("GET", "/api/v2/firewall/aliasez", "")
			if r.code != 404 || strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || !bytes.Contains(r.raw, []byte("404 Not Found")) {
				t.Fatalf("unknown path: %d %s %s", r.code, r.header.Get("Content-Type"), r.raw)
			}
		}},
		{"methods: unsupported method is 405", simulator.Options{}, func(t *testing.T, c *client) {
			c.expect("PUT", "/api/v2/firewall/alias", `{}`, 405, "ENDPOINT_METHOD_NOT_ALLOWED",
				"Resource at /api/v2/firewall/alias does not support the requested HTTP method `PUT`")
		}},
		{"content: a non-JSON Accept is 406; the spec is served without auth or envelope", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.do("GET", "/api/v2/firewall/aliases", "", "Accept: text/html")
			same(t, "406", []any{r.code, r.env.ResponseID}, []any{406, "ENDPOINT_ACCEPT_CONTENT_TYPE_NOT_SUPPORTED"})
			// A JSON request reads only the body: the query string is ignored.
			jr := c.do("GET", "/api/v2/firewall/aliases?name=web_ports", "", "Content-Type: application/json")
			same(t, "JSON GET ignores the query", len(jr.column(t, "name")), 3)
			c.auth = "none"
			r = c.do("GET", "/api/v2/schema/openapi", "")
			var spec struct {
				OpenAPI string                   `json:"openapi"`
				Info    struct{ Version string } `json:"info"`
			}
			json.Unmarshal(r.raw, &spec)
			same(t, "spec", []any{r.code, spec.OpenAPI, spec.Info.Version}, []any{200, "3.0.0", "v2.7.1"})
		}},
		{"validation: required fields, in model field order", simulator.Options{}, func(t *testing.T, c *client) {
			c.expect("POST", "/api/v2/firewall/alias", `{"descr":"x"}`, 400, "FIELD_IS_REQUIRED", "Field `name` is required.")
			c.expect("POST", "/api/v2/firewall/alias", `{"name":"bt_a"}`, 400, "FIELD_IS_REQUIRED", "Field `type` is required.")
		}},
		{"validation: null is accepted for nullable fields, arrays included", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("PATCH", "/api/v2/firewall/rule", `{"id":0,"tcp_flags_out_of":null,"tcp_flags_set":null}`)
			same(t, "tcp_flags_out_of", r.field(t, "tcp_flags_out_of"), nil)
			c.expect("PATCH", "/api/v2/firewall/rule", `{"id":0,"interface":"lan"}`, 400, "FIELD_INVALID_TYPE", "Field `interface` must be of type `array`.")
		}},
		{"validation: JSON values are never coerced; form values are", simulator.Options{}, func(t *testing.T, c *client) {
			c.expect("POST", "/api/v2/diagnostics/ping", `{"host":"192.168.1.10","count":"2"}`, 400, "FIELD_INVALID_TYPE", "Field `count` must be of type `integer`.")
			c.expect("POST", "/api/v2/firewall/alias", `{"name":5,"type":"host"}`, 400, "FIELD_INVALID_TYPE", "Field `name` must be of type `string`.")
			c.expect("PATCH", "/api/v2/system/restapi/settings", `{"read_only":"false"}`, 400, "FIELD_INVALID_TYPE", "Field `read_only` must be of type `boolean`.")
			req, _ := http.NewRequest("POST", c.fw.URL+"/api/v2/diagnostics/ping", strings.NewReader(url.Values{"host": {"192.168.1.10"}, "count": {"2"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth("admin", "pfsense")
			resp, err := c.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var env envelope
			json.NewDecoder(resp.Body).Decode(&env)
			same(t, "form ping", []any{resp.StatusCode, env.ResponseID}, []any{200, "SUCCESS"})
		}},
		{"validation: choices, lengths, bounds and uniqueness", simulator.Options{}, func(t *testing.T, c *client) {
			c.expect("POST", "/api/v2/firewall/alias", `{"name":"bt_a","type":"fqdn"}`, 400, "FIELD_INVALID_CHOICE", "Field `type` must be one of [host, network, port]")
			c.expect("POST", "/api/v2/firewall/alias", `{"name":"`+strings.Repeat("a", 32)+`","type":"host"}`, 400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `name` exceeds the maximum character length of 31.")
			c.expect("POST", "/api/v2/diagnostics/ping", `{"host":"192.168.1.10","count":11}`, 400, "NUMERIC_RANGE_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `count` must be less than or equal to 10.")
			c.expect("POST", "/api/v2/firewall/alias", `{"name":"web_servers","type":"host"}`, 400, "FIELD_MUST_BE_UNIQUE", "Field `name` must be unique. Value `web_servers` is already in use.")
			c.ok("POST", "/api/v2/firewall/alias", `{"name":"bt_a","type":"host","unknown_field":1}`)
		}},
		{"validation: PATCH overlays the stored object, then validates every field", simulator.Options{}, func(t *testing.T, c *client) {
			c.expect("PATCH", "/api/v2/firewall/alias", `{"id":0,"type":"url"}`, 400, "FIELD_INVALID_CHOICE", "Field `type` must be one of [host, network, port]")
			r := c.ok("PATCH", "/api/v2/firewall/alias", `{"id":0,"descr":"changed"}`)
			same(t, "patched", []any{r.field(t, "name"), r.field(t, "descr")}, []any{"web_servers", "changed"})
			r = c.ok("PATCH", "/api/v2/firewall/alias", `{"id":0,"address":["10.0.4.12"],"append":true}`)
			same(t, "appended", r.field(t, "address"), []string{"10.0.4.10", "10.0.4.11", "10.0.4.12"})
			c.expect("PATCH", "/api/v2/firewall/alias", `{"descr":"x"}`, 400, "MODEL_REQUIRES_ID", "Field `id` is required.")
		}},
		{"placement on PATCH moves the object (Core/Model.inc set_placement)", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("PATCH", "/api/v2/firewall/rule", `{"id":2,"placement":0}`)
			same(t, "moved to the top", []any{r.field(t, "id"), r.field(t, "descr")}, []any{0, "Block DMZ to LAN"})
			same(t, "order", c.ok("GET", "/api/v2/firewall/rules", "").column(t, "descr"), []string{"Block DMZ to LAN", "Default allow LAN to any rule", "NAT Allow web to DMZ"})
			r = c.ok("PATCH", "/api/v2/firewall/rule", `{"id":0,"placement":2}`)
			same(t, "moved down: its placement is its new id", r.field(t, "id"), 2)
			same(t, "order", c.ok("GET", "/api/v2/firewall/rules", "").column(t, "descr"), []string{"Default allow LAN to any rule", "NAT Allow web to DMZ", "Block DMZ to LAN"})
			c.expect("PATCH", "/api/v2/firewall/rule", `{"id":0,"placement":3}`, 500, "MODEL_FAILED_TO_SET_PLACEMENT", "Failed to set placement for Model object.")
		}},
		{"ids: array indices that renumber after a delete", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("DELETE", "/api/v2/firewall/alias?id=1", "")
			same(t, "deleted", []any{r.field(t, "id"), r.field(t, "name")}, []any{1, "admin_nets"})
			same(t, "renumbered", c.ok("GET", "/api/v2/firewall/alias?id=1", "").field(t, "name"), "web_ports")
			same(t, "ids", c.ok("GET", "/api/v2/firewall/aliases", "").column(t, "id"), []int{0, 1})
			c.expect("GET", "/api/v2/firewall/alias", "", 400, "MODEL_REQUIRES_ID", "Field `id` is required.")
		}},
		{"ids: interface-keyed models use string ids; children carry parent_id", simulator.Options{}, func(t *testing.T, c *client) {
			same(t, "interface ids", c.ok("GET", "/api/v2/interfaces", "").column(t, "id"), []string{"wan", "lan", "opt1"})
			same(t, "lan", c.ok("GET", "/api/v2/interface?id=lan", "").field(t, "descr"), "LAN")
			r := c.ok("GET", "/api/v2/services/dhcp_server/static_mapping?parent_id=lan&id=0", "")
			same(t, "static mapping", []any{r.field(t, "parent_id"), r.field(t, "id"), r.field(t, "hostname")}, []any{"lan", 0, "nas"})
			c.expect("GET", "/api/v2/services/dhcp_server/static_mapping?id=0", "", 400, "MODEL_PARENT_ID_REQUIRED", "Field `parent_id` is required.")
			r = c.ok("POST", "/api/v2/vpn/wireguard/peer/allowed_ip", `{"parent_id":0,"address":"10.6.210.3","mask":32}`)
			same(t, "new child", []any{r.field(t, "parent_id"), r.field(t, "id")}, []any{0, 1})
		}},
		{"settings: singletons answer without an id", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("GET", "/api/v2/system/restapi/settings", "")
			same(t, "id", r.field(t, "id"), nil)
			same(t, "auth_methods", r.field(t, "auth_methods"), []string{"BasicAuth"})
			same(t, "hostname", c.ok("PATCH", "/api/v2/system/hostname", `{"hostname":"fw1"}`).field(t, "domain"), "home.arpa")
		}},
		{"lists: every filter operator", simulator.Options{}, func(t *testing.T, c *client) {
			names := func(q string) []any { return c.ok("GET", "/api/v2/firewall/aliases?"+q, "").column(t, "name") }
			same(t, "exact", names("name=web_ports"), []string{"web_ports"})
			same(t, "contains", names("name__contains=_s"), []string{"web_servers"})
			same(t, "array contains", names("address__contains=80"), []string{"web_ports"})
			same(t, "startswith", names("name__startswith=web_"), []string{"web_servers", "web_ports"})
			same(t, "endswith", names("name__endswith=nets"), []string{"admin_nets"})
			same(t, "in", names("type__in=port,network"), []string{"admin_nets", "web_ports"})
			same(t, "regex", names("name__regex=/^WEB_S/i"), []string{"web_servers"})
			trackers := func(q string) []any { return c.ok("GET", "/api/v2/firewall/rules?"+q, "").column(t, "tracker") }
			same(t, "lt", trackers("tracker__lt=1700000002"), []int{1700000001})
			same(t, "lte", trackers("tracker__lte=1700000002"), []int{1700000001, 1700000002})
			same(t, "gt", trackers("tracker__gt=1700000002"), []int{1700000003})
			same(t, "gte", trackers("tracker__gte=1700000002"), []int{1700000002, 1700000003})
			same(t, "unknown field matches all", names("nmae=x"), []string{"web_servers", "admin_nets", "web_ports"})
			c.expect("GET", "/api/v2/firewall/aliases?name__like=x", "", 404, "QUERY_FILTER_NOT_FOUND", "No query filter named `like` exists.")
		}},
		{"lists: sort_by and sort_order keep original ids; limit and offset page", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("GET", "/api/v2/firewall/aliases?sort_by=name&sort_order=SORT_DESC", "")
			same(t, "sorted names", r.column(t, "name"), []string{"web_servers", "web_ports", "admin_nets"})
			same(t, "original ids", r.column(t, "id"), []int{0, 2, 1})
			same(t, "page", c.ok("GET", "/api/v2/firewall/aliases?limit=1&offset=1", "").column(t, "name"), []string{"admin_nets"})
			same(t, "past the end", c.ok("GET", "/api/v2/firewall/aliases?offset=10", "").column(t, "name"), []string{})
		}},
		{"PUT replaces every object and re-indexes from 0", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("PUT", "/api/v2/firewall/aliases", `[{"id":7,"name":"only_one","type":"host","address":["10.9.9.9"]}]`)
			same(t, "replaced", []any{r.column(t, "id"), r.column(t, "name")}, []any{[]int{0}, []string{"only_one"}})
			same(t, "stored", c.ok("GET", "/api/v2/firewall/aliases", "").column(t, "name"), []string{"only_one"})
			c.expect("PUT", "/api/v2/firewall/aliases", `{"name":"x"}`, 400, "ENDPOINT_REQUEST_DATA_MUST_BE_INDEXED_ARRAY", "The request data must be an indexed array of objects for this endpoint.")
			groups := c.ok("PUT", "/api/v2/user/groups", `[{"name":"bt_ops","scope":"local"}]`)
			same(t, "system groups kept", groups.column(t, "name"), []string{"all", "admins", "bt_ops"})
		}},
		{"plural DELETE needs a query, refuses referenced objects, and a misspelled field deletes everything", simulator.Options{}, func(t *testing.T, c *client) {
			c.expect("DELETE", "/api/v2/firewall/aliases", "", 400, "MODEL_DELETE_MANY_REQUIRES_QUERY_PARAMS",
				"At least one query parameter is required to delete many objects. Use `all` to delete all objects.")
			c.expect("DELETE", "/api/v2/firewall/alias?id=0", "", 409, "MODEL_CANNOT_BE_DELETED_WHILE_REFERENCED",
				"Object with ID `0` cannot be deleted while it is in use by `FirewallRule` object with ID `1`.")
			same(t, "all rules", len(c.ok("DELETE", "/api/v2/firewall/rules?all=true", "").column(t, "tracker")), 3)
			same(t, "by filter", c.ok("DELETE", "/api/v2/firewall/aliases?type=port", "").column(t, "name"), []string{"web_ports"})
			same(t, "typo deletes all", c.ok("DELETE", "/api/v2/firewall/aliases?nmae=web_servers", "").column(t, "name"), []string{"web_servers", "admin_nets"})
			same(t, "left", c.ok("GET", "/api/v2/firewall/aliases", "").column(t, "name"), []string{})
			c.expect("DELETE", "/api/v2/user?id=0", "", 403, "MODEL_CANNOT_DELETE_PROTECTED_OBJECT", "Object with ID `0` is protected and cannot be deleted.")
		}},
		{"apply: changes are pending per subsystem until applied", simulator.Options{}, func(t *testing.T, c *client) {
			same(t, "clean", c.ok("GET", "/api/v2/firewall/apply", "").field(t, "applied"), true)
			c.ok("PATCH", "/api/v2/firewall/rule", `{"id":0,"descr":"rules mark no subsystem in v2.7.1"}`)
			same(t, "after rule", c.ok("GET", "/api/v2/firewall/apply", "").field(t, "applied"), true)
			c.ok("POST", "/api/v2/firewall/alias", `{"name":"bt_p","type":"host"}`)
			c.ok("POST", "/api/v2/firewall/nat/port_forward", `{"interface":"wan","protocol":"tcp","source":"any","destination":"wan:ip","destination_port":"8080","target":"10.0.4.11","local_port":"80"}`)
			r := c.ok("GET", "/api/v2/firewall/apply", "")
			same(t, "pending", []any{r.field(t, "applied"), r.field(t, "pending_subsystems")}, []any{false, []string{"aliases", "natconf"}})
			same(t, "applied", c.ok("POST", "/api/v2/firewall/apply", "").field(t, "applied"), true)
			same(t, "after apply", c.ok("GET", "/api/v2/firewall/apply", "").field(t, "pending_subsystems"), []string{})
			same(t, "config history", c.ok("GET", "/api/v2/diagnostics/config_history/revisions?reverse=true&limit=1", "").column(t, "description"),
				[]string{"admin@127.0.0.1 (API): Added PortForward via the REST API"})
			c.ok("PATCH", "/api/v2/interface", `{"id":"opt1","descr":"DMZ2"}`)
			same(t, "interfaces", c.ok("GET", "/api/v2/interface/apply", "").field(t, "pending_interfaces"), []string{"opt1"})
			c.ok("POST", "/api/v2/routing/static_route", `{"network":"172.16.60.0/24","gateway":"DMZ_GW","apply":true}`)
			same(t, "applied inline", c.ok("GET", "/api/v2/routing/apply", "").field(t, "applied"), true)
		}},
		{"packages: endpoints of a missing package answer 424 until it is installed", simulator.Options{}, func(t *testing.T, c *client) {
			c.ok("GET", "/api/v2/services/haproxy/backends", "")
			c.ok("DELETE", "/api/v2/system/packages?name=pfSense-pkg-haproxy", "")
			c.expect("GET", "/api/v2/services/haproxy/backends", "", 424, "MODEL_MISSING_REQUIRED_PACKAGE",
				"The requested action requires the `pfSense-pkg-haproxy` package but it is not installed.")
			c.ok("POST", "/api/v2/system/package", `{"name":"pfSense-pkg-haproxy"}`)
			c.ok("GET", "/api/v2/services/haproxy/backends", "")
		}},
		{"certificates: generate issues a certificate signed by the CA and lists it", simulator.Options{}, func(t *testing.T, c *client) {
			r := c.ok("POST", "/api/v2/system/certificate/generate", `{"descr":"bt cert","caref":"67a1f0c2a9b8c","keytype":"ECDSA","keylen":2048,"ecname":"prime256v1","digest_alg":"sha256","dn_commonname":"vpn.home.arpa","dn_dns_sans":["vpn.home.arpa"],"lifetime":365,"type":"server"}`)
			refid, _ := r.field(t, "refid").(string)
			same(t, "id", r.field(t, "id"), 1)
			list := c.ok("GET", "/api/v2/system/certificates", "")
			same(t, "listed", list.column(t, "refid"), []string{"67a1f0c2b3d4e", refid})
			same(t, "caref", list.column(t, "caref")[1], "67a1f0c2a9b8c")
			crt, _ := list.column(t, "crt")[1].(string)
			block, _ := pem.Decode([]byte(crt))
			if block == nil {
				t.Fatalf("crt is not PEM: %q", crt)
			}
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "subject", []any{cert.Subject.CommonName, cert.DNSNames, cert.Issuer.CommonName}, []any{"vpn.home.arpa", []string{"vpn.home.arpa"}, "pfSense Internal CA"})
			c.expect("POST", "/api/v2/system/certificate/generate", `{"descr":"x","caref":"nope","keytype":"ECDSA","keylen":2048,"ecname":"prime256v1","digest_alg":"sha256","dn_commonname":"x"}`,
				400, "FOREIGN_MODEL_FIELD_VALUE_NOT_FOUND", "Field `caref` could not locate `CertificateAuthority` object with `refid` set to `nope`")
		}},
		{"status: plausible read-only data", simulator.Options{}, func(t *testing.T, c *client) {
			same(t, "gateways", c.ok("GET", "/api/v2/status/gateways", "").column(t, "status"), []string{"online", "down"})
			same(t, "leases", c.ok("GET", "/api/v2/status/dhcp_server/leases", "").column(t, "hostname"), []string{"nas", "laptop"})
			same(t, "interfaces", c.ok("GET", "/api/v2/status/interfaces", "").column(t, "name"), []string{"wan", "lan", "opt1"})
			if n := len(c.ok("GET", "/api/v2/status/logs/system", "").column(t, "text")); n != 3 {
				t.Fatalf("system log has %d lines, want 3", n)
			}
			same(t, "services", len(c.ok("GET", "/api/v2/status/services?status=true", "").column(t, "name")), 8)
			same(t, "cpu", c.ok("GET", "/api/v2/status/system", "").field(t, "cpu_count"), 2)
		}},
		{"sensitive fields are hidden unless expose_sensitive_fields; other secrets are returned", simulator.Options{}, func(t *testing.T, c *client) {
			planted := c.fw.Sim.PlantedSecrets()
			has := func(r reply) int {
				n := 0
				for _, s := range planted {
					b, _ := json.Marshal(s)
					if bytes.Contains(r.raw, bytes.ReplaceAll(b[1:len(b)-1], []byte("/"), []byte(`\/`))) {
						n++
					}
				}
				return n
			}
			same(t, "password hidden", c.ok("GET", "/api/v2/users", "").column(t, "password"), []any{nil})
			same(t, "wireguard key returned", has(c.ok("GET", "/api/v2/vpn/wireguard/tunnels", "")), 1)
			same(t, "ipsec psk returned", has(c.ok("GET", "/api/v2/vpn/ipsec/phase1s", "")), 1)
			same(t, "openvpn tls key returned", has(c.ok("GET", "/api/v2/vpn/openvpn/servers", "")), 1)
			c.ok("PATCH", "/api/v2/system/restapi/settings", `{"expose_sensitive_fields":true}`)
			same(t, "password exposed", has(c.ok("GET", "/api/v2/users", "")), 1)
			same(t, "private keys exposed", has(c.ok("GET", "/api/v2/system/certificates", "")), 1)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newClient(t, tc.opts))
		})
	}
}

// TestHalt checks that halting the firewall runs Options.OnHalt (the VM stand-in powers
// off) only without dry_run.
func TestHalt(t *testing.T) {
	halted := make(chan struct{}, 1)
	c := newClient(t, simulator.Options{OnHalt: func() { halted <- struct{}{} }})
	c.ok("POST", "/api/v2/diagnostics/halt_system", `{"dry_run":true}`)
	select {
	case <-halted:
		t.Fatal("dry_run halted the firewall")
	case <-time.After(50 * time.Millisecond):
	}
	c.ok("POST", "/api/v2/diagnostics/halt_system", `{}`)
	select {
	case <-halted:
	case <-time.After(2 * time.Second):
		t.Fatal("OnHalt was not called")
	}
}

// TestSaveLoad checks that a run's state survives Save and Load, ids and all.
func TestSaveLoad(t *testing.T) {
	c := newClient(t, simulator.Options{})
	c.ok("POST", "/api/v2/firewall/alias", `{"name":"bt_saved","type":"network","address":["10.7.0.0/16"]}`)
	c.ok("DELETE", "/api/v2/firewall/alias?id=1", "")
	var buf bytes.Buffer
	if err := c.fw.Sim.Save(&buf); err != nil {
		t.Fatal(err)
	}
	restored, err := simulator.New(simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := restored.Load(&buf); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(restored.PlantedSecrets(), c.fw.Sim.PlantedSecrets()) {
		t.Fatal("planted secrets changed across Save/Load")
	}
	_, body := call(restored.Handler(), "GET", "/api/v2/firewall/aliases", nil, nil)
	var env struct {
		Data []map[string]any `json:"data"`
	}
	json.Unmarshal(body, &env)
	var names []any
	for _, o := range env.Data {
		names = append(names, o["name"])
	}
	same(t, "restored aliases", names, []string{"web_servers", "web_ports", "bt_saved"})
	_, body = call(restored.Handler(), "GET", "/api/v2/firewall/alias", url.Values{"id": {"2"}}, nil)
	if !bytes.Contains(body, []byte(`"address":["10.7.0.0\/16"]`)) {
		t.Fatalf("restored alias: %s", body)
	}
	// Everything a restored firewall lists still matches the spec.
	_, cat := loadSpec(t)
	for _, op := range cat.Ops {
		if op.Method != "GET" || !(op.Plural || len(op.Params) == 0) {
			continue
		}
		code, body := call(restored.Handler(), "GET", op.Path, nil, nil)
		if code != 200 {
			t.Errorf("GET %s after Load: %d %s", op.Path, code, body)
			continue
		}
		if err := checkResponse(t, "GET", op.Path, code, body); err != nil {
			t.Errorf("after Load: %v", err)
		}
	}
}

// TestStateFileWithAPIKey restores a state saved without Options.APIKey and checks that the
// key still works: KeyAuth is enabled and the key created in the restored state.
func TestStateFileWithAPIKey(t *testing.T) {
	plain, err := simulator.New(simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/state.json"
	var buf bytes.Buffer
	if err := plain.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, simulator.Options{StateFile: path, APIKey: testKey})
	c.auth = "X-API-Key: " + testKey
	same(t, "auth_methods", c.ok("GET", "/api/v2/system/restapi/settings", "").field(t, "auth_methods"), []string{"BasicAuth", "KeyAuth"})
	planted := strings.Join(c.fw.Sim.PlantedSecrets(), "\n")
	sum := sha256.Sum256([]byte(testKey))
	if !strings.Contains(planted, testKey) || !strings.Contains(planted, hex.EncodeToString(sum[:])) {
		t.Fatal("PlantedSecrets lacks the API key or its hash")
	}
}
