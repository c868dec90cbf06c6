package normalize

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/load"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func details(et, model, parent, auth, pkgs, applies string) string {
	return "<h3>Description:</h3>Does it.<br><h3>Details:</h3>**Endpoint type**: " + et +
		"<br>**Associated model**: " + model + "<br>**Parent model**: " + parent +
		"<br>**Requires authentication**: Yes<br>**Supported authentication modes:** [ " + auth +
		" ]<br>**Allowed privileges**: [ page-all ]<br>**Required packages**: [ " + pkgs +
		" ]<br>**Applies immediately**: " + applies + "<br>**Utilizes cache**: None"
}

func TestParseDescription(t *testing.T) {
	for _, tc := range []struct {
		name, desc string
		want       Operation
	}{
		{"plural with packages", details("Plural", "HAProxyBackend", "None", "BasicAuth, JWTAuth, KeyAuth", "pfSense-pkg-haproxy", "No"),
			Operation{Summary: "Does it.<br>", Plural: true, Model: "HAProxyBackend", AuthModes: []string{"BasicAuth", "JWTAuth", "KeyAuth"},
				RequiredPackages: []string{"pfSense-pkg-haproxy"}, Applies: AppliesNo}},
		{"singular child, BasicAuth only, no packages", details("Singular", "WireGuardPeerAllowedIP", "WireGuardPeer", "BasicAuth", "None", "Yes"),
			Operation{Summary: "Does it.<br>", Model: "WireGuardPeerAllowedIP", SpecParent: "WireGuardPeer", AuthModes: []string{"BasicAuth"}, Applies: AppliesYes}},
		{"not applicable", details("Singular", "Ping", "None", "BasicAuth", "None", "Not Applicable"),
			Operation{Summary: "Does it.<br>", Model: "Ping", AuthModes: []string{"BasicAuth"}, Applies: AppliesNotApplicable}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got Operation
			if err := parseDescription(&got, tc.desc); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseDescription\n got %+v\nwant %+v", got, tc.want)
			}
			if got.BasicAuthOnly() != (len(tc.want.AuthModes) == 1) {
				t.Errorf("BasicAuthOnly = %v for modes %v", got.BasicAuthOnly(), got.AuthModes)
			}
		})
	}
	for _, bad := range []string{"plain text", details("Both", "M", "None", "BasicAuth", "None", "No")} {
		if err := parseDescription(&Operation{}, bad); err == nil {
			t.Errorf("parseDescription(%q) accepted a description without a valid endpoint type", bad)
		}
	}
}

func TestModule(t *testing.T) {
	paths := map[string]string{
		"/api/v2/firewall/aliases":             "firewall",
		"/api/v2/firewall/nat/port_forward":    "firewall",
		"/api/v2/interface/vlan":               "interface",
		"/api/v2/interfaces":                   "interface",
		"/api/v2/users":                        "user",
		"/api/v2/user":                         "user",
		"/api/v2/services/haproxy/backend/acl": "services_haproxy",
		"/api/v2/services/dhcp_servers":        "services_dhcp_server",
		"/api/v2/services/dhcp_server/apply":   "services_dhcp_server",
		"/api/v2/vpn/wireguard/peers":          "vpn_wireguard",
		"/api/v2/status/logs/firewall":         "status",
		"/api/v2/graphql":                      "graphql",
	}
	var ops []*Operation
	for p := range paths {
		m, err := Module(p)
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, &Operation{Path: p, Module: m})
	}
	FoldPluralModules(ops)
	for _, op := range ops {
		if op.Module != paths[op.Path] {
			t.Errorf("module of %s = %q, want %q", op.Path, op.Module, paths[op.Path])
		}
	}
	if _, err := Module("/api/v1/firewall"); err == nil {
		t.Error("Module accepted a path outside /api/v2/")
	}
}

func TestClassify(t *testing.T) {
	id := &Param{Name: "id", Schema: &Schema{Types: []string{"integer", "string"}}}
	withID := &Schema{Types: []string{"object"}, Properties: map[string]*Schema{"id": {Types: []string{"integer"}}}}
	noID := &Schema{Types: []string{"object"}, Properties: map[string]*Schema{"port": {Types: []string{"string"}}}}
	all := map[string]bool{"GET": true, "POST": true, "PATCH": true, "DELETE": true}
	for _, tc := range []struct {
		name    string
		op      Operation
		methods map[string]bool
		want    toolspec.Kind
	}{
		{"plural GET", Operation{Method: "GET", Path: "/api/v2/firewall/aliases", Plural: true}, map[string]bool{"GET": true}, toolspec.KindList},
		{"singular GET with id", Operation{Method: "GET", Path: "/api/v2/firewall/alias", Params: []*Param{id}}, all, toolspec.KindGet},
		{"singleton GET with PATCH", Operation{Method: "GET", Path: "/api/v2/system/webgui/settings"}, map[string]bool{"GET": true, "PATCH": true}, toolspec.KindSettings},
		{"singleton GET without PATCH", Operation{Method: "GET", Path: "/api/v2/system/version"}, map[string]bool{"GET": true}, toolspec.KindStatus},
		{"GET apply", Operation{Method: "GET", Path: "/api/v2/firewall/apply"}, map[string]bool{"GET": true, "POST": true}, toolspec.KindApplyStatus},
		{"POST apply", Operation{Method: "POST", Path: "/api/v2/firewall/apply"}, map[string]bool{"GET": true, "POST": true}, toolspec.KindApply},
		{"POST on an object endpoint", Operation{Method: "POST", Path: "/api/v2/firewall/alias"}, all, toolspec.KindCreate},
		{"POST on a create/delete-only endpoint", Operation{Method: "POST", Path: "/api/v2/auth/key"}, map[string]bool{"POST": true, "DELETE": true}, toolspec.KindCreate},
		{"POST-only endpoint", Operation{Method: "POST", Path: "/api/v2/diagnostics/reboot"}, map[string]bool{"POST": true}, toolspec.KindAction},
		{"PATCH with id", Operation{Method: "PATCH", Path: "/api/v2/firewall/alias", Body: withID}, all, toolspec.KindUpdate},
		{"PATCH without id", Operation{Method: "PATCH", Path: "/api/v2/system/webgui/settings", Body: noID}, map[string]bool{"GET": true, "PATCH": true}, toolspec.KindSettings},
		{"PUT", Operation{Method: "PUT", Path: "/api/v2/firewall/aliases", Plural: true, BodyList: true, Body: noID}, map[string]bool{"PUT": true}, toolspec.KindReplace},
		{"DELETE", Operation{Method: "DELETE", Path: "/api/v2/firewall/aliases", Plural: true}, map[string]bool{"DELETE": true}, toolspec.KindDelete},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Classify(&tc.op, tc.methods)
			if err != nil || got != tc.want {
				t.Errorf("Classify = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := Classify(&Operation{Method: "PUT", Path: "/api/v2/x"}, nil); err == nil {
		t.Error("Classify accepted a PUT without a list body")
	}
	if _, err := Classify(&Operation{Method: "TRACE", Path: "/api/v2/x"}, nil); err == nil {
		t.Error("Classify accepted TRACE")
	}
}

const miniSpec = `{"openapi": "3.0.0", "info": {"title": "mini", "version": "v9"},
 "components": {"schemas": {
  "Schedule": {"type": "object", "properties": {
    "name": {"type": "string", "description": "Name."},
    "ranges": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Range"}, {"type": "object", "required": ["hour"]}]}},
    "secret": {"type": "string", "writeOnly": true},
    "created": {"type": "integer", "readOnly": true}}},
  "Range": {"type": "object", "properties": {"hour": {"type": "string"}, "day": {"type": "integer", "nullable": true}}}}},
 "paths": {
  "/api/v2/schedule": {
   "get": {"operationId": "getScheduleEndpoint", "description": "DESC_SCHEDULE",
     "parameters": [{"in": "query", "name": "id", "required": true, "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]}}],
     "responses": {"200": {"description": "ok"}}},
   "patch": {"operationId": "patchScheduleEndpoint", "description": "DESC_SCHEDULE",
     "requestBody": {"content": {"application/json": {"schema": {"allOf": [
       {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
       {"$ref": "#/components/schemas/Schedule"}]}}}},
     "responses": {"200": {"description": "ok"}}}},
  "/api/v2/schedules": {
   "put": {"operationId": "putSchedulesEndpoint", "description": "DESC_SCHEDULES",
     "requestBody": {"content": {"application/json": {"schema": {"type": "array", "items": {"allOf": [
       {"$ref": "#/components/schemas/Schedule"}, {"type": "object", "required": ["name"]}]}}}}},
     "responses": {"200": {"description": "ok"}}}},
  "/api/v2/schedule/range": {
   "post": {"operationId": "postScheduleRangeEndpoint", "description": "DESC_RANGE",
     "requestBody": {"content": {"application/json": {"schema": {"allOf": [
       {"type": "object", "required": ["parent_id"], "properties": {"parent_id": {"type": "integer"}}},
       {"$ref": "#/components/schemas/Range"}, {"type": "object", "required": ["hour"]}]}}}},
     "responses": {"200": {"description": "ok"}}},
   "delete": {"operationId": "deleteScheduleRangeEndpoint", "description": "DESC_RANGE",
     "parameters": [{"in": "query", "name": "parent_id", "required": true, "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]}},
       {"in": "query", "name": "id", "required": true, "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]}}],
     "responses": {"200": {"description": "ok"}}}}}}`

func miniAPI(t *testing.T) *API {
	t.Helper()
	spec := strings.NewReplacer(
		"DESC_SCHEDULES", details("Plural", "Schedule", "None", "BasicAuth, KeyAuth", "None", "Yes"),
		"DESC_SCHEDULE", details("Singular", "Schedule", "None", "BasicAuth, KeyAuth", "None", "Yes"),
		"DESC_RANGE", details("Singular", "Range", "Schedule", "BasicAuth, KeyAuth", "None", "Yes"),
	).Replace(miniSpec)
	spec = strings.ReplaceAll(spec, "<br>", "\\u003cbr\\u003e")
	doc, err := load.Bytes([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	api, err := Build(doc)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

func TestBuild(t *testing.T) {
	api := miniAPI(t)
	if api.Title != "mini" || api.Version != "v9" {
		t.Errorf("title, version = %q, %q", api.Title, api.Version)
	}
	var got []string
	ops := map[string]*Operation{}
	for _, op := range api.Operations {
		got = append(got, op.Key()+" "+string(op.Kind)+" "+op.Module)
		ops[op.ID] = op
	}
	want := []string{
		"GET /api/v2/schedule get schedule",
		"PATCH /api/v2/schedule update schedule",
		"DELETE /api/v2/schedule/range delete schedule",
		"POST /api/v2/schedule/range create schedule",
		"PUT /api/v2/schedules replace schedule",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("operations\n got %q\nwant %q", got, want)
	}

	// allOf merged, $ref followed: the PATCH body has id and every Schedule field.
	patch := ops["patchScheduleEndpoint"]
	if names := patch.Body.PropertyNames(); !reflect.DeepEqual(names, []string{"created", "id", "name", "ranges", "secret"}) {
		t.Errorf("PATCH body properties = %q", names)
	}
	if patch.Body.Ref != "Schedule" {
		t.Errorf("PATCH body Ref = %q, want Schedule", patch.Body.Ref)
	}
	// Array items that are allOf [$ref, required] are objects with the model's properties.
	items := patch.Body.Properties["ranges"].Items
	if !items.Is("object") || items.Ref != "Range" || items.Properties["hour"] == nil || !items.IsRequired("hour") {
		t.Errorf("ranges items = %+v, want the Range object with hour required", items)
	}
	if !items.Properties["day"].Nullable {
		t.Error("Range.day lost nullable")
	}
	// The id of PATCH takes the type of the GET's id parameter on the same path.
	if got := patch.IDSchema.Types; !reflect.DeepEqual(got, []string{"integer", "string"}) {
		t.Errorf("PATCH IDSchema types = %q, want [integer string]", got)
	}
	// PUT bodies are lists of objects.
	put := ops["putSchedulesEndpoint"]
	if !put.BodyList || !put.Body.IsRequired("name") || put.Body.Properties["ranges"] == nil {
		t.Errorf("PUT body = %+v (list %v), want a list of Schedule objects with name required", put.Body, put.BodyList)
	}

	schedule, rng := api.Models["Schedule"], api.Models["Range"]
	if !schedule.HasIDs || schedule.Parent != "" {
		t.Errorf("Schedule model = %+v", schedule)
	}
	if rng.Parent != "Schedule" || !rng.HasIDs {
		t.Errorf("Range model = %+v, want a child of Schedule with ids", rng)
	}
	if got := schedule.Fields(); !reflect.DeepEqual(got, []string{"created", "id", "name", "ranges"}) {
		t.Errorf("Schedule fields = %q (write-only secret must be left out)", got)
	}
	if got := rng.Fields(); !reflect.DeepEqual(got, []string{"day", "hour", "id", "parent_id"}) {
		t.Errorf("Range fields = %q", got)
	}
}

func TestBuildRefusesWhatItCannotDescribe(t *testing.T) {
	desc := details("Singular", "X", "None", "BasicAuth", "None", "Yes")
	desc = strings.ReplaceAll(desc, "<br>", "\\u003cbr\\u003e")
	op := func(body string) string {
		return `{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/api/v2/x": {"post": {` + body +
			`, "description": "` + desc + `", "responses": {"200": {"description": "ok"}}}}}}`
	}
	for _, tc := range []struct{ name, spec, wantErr string }{
		{"no operationId", op(`"summary": "s"`), "no operationId"},
		{"path parameter", op(`"operationId": "postXEndpoint", "parameters": [{"in": "path", "name": "id", "required": true, "schema": {"type": "string"}}]`), "only query parameters"},
		{"no JSON body", op(`"operationId": "postXEndpoint", "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}`), "no application/json schema"},
		{"outside /api/v2", strings.Replace(op(`"operationId": "postXEndpoint"`), "/api/v2/x", "/x", 1), "not under /api/v2/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := load.Bytes([]byte(tc.spec))
			if err == nil {
				_, err = Build(doc)
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestReferenceCycleIsAnError(t *testing.T) {
	desc := strings.ReplaceAll(details("Singular", "A", "None", "BasicAuth", "None", "Yes"), "<br>", "\\u003cbr\\u003e")
	spec := `{"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
	 "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
	                            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}}}},
	 "paths": {"/api/v2/a": {"post": {"operationId": "postAEndpoint", "description": "` + desc + `",
	   "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
	   "responses": {"200": {"description": "ok"}}}}}}`
	doc, err := load.Bytes([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(doc); err == nil || !strings.Contains(err.Error(), "reference cycle") {
		t.Errorf("Build error = %v, want a reference cycle error", err)
	}
}

func TestList(t *testing.T) {
	for in, want := range map[string][]string{
		"[ None ]":                              nil,
		"[ pfSense-pkg-haproxy ]":               {"pfSense-pkg-haproxy"},
		"[ BasicAuth, JWTAuth ]":                {"BasicAuth", "JWTAuth"},
		"":                                      nil,
		"[ a-b , c ]":                           {"a-b", "c"},
		"[ pfSense-pkg-openvpn-client-export ]": {"pfSense-pkg-openvpn-client-export"},
	} {
		if got := list(in); !reflect.DeepEqual(got, want) {
			t.Errorf("list(%q) = %q, want %q", in, got, want)
		}
	}
}
