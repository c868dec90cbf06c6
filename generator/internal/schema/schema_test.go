package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func ptr[T any](v T) *T { return &v }

var (
	str       = []string{"string"}
	integer   = []string{"integer"}
	idSchema  = &normalize.Schema{Types: []string{"integer", "string"}}
	phpIntMax = float64(9223372036854775807)
)

// alias is a model shaped like the spec's: plain, enum, read-only, conditional, bounded,
// nullable, defaulted and nested fields.
func alias() *normalize.Schema {
	return &normalize.Schema{
		Types: []string{"object"},
		Ref:   "Alias",
		Properties: map[string]*normalize.Schema{
			"name":    {Types: str, Description: "Sets the name.<br>", MaxLength: ptr(uint64(31))},
			"type":    {Types: str, Description: "The type.<br>", Enum: []any{"host", "network", "port"}, MaxLength: ptr(uint64(1024))},
			"descr":   {Types: str, Description: "A <strong>description</strong>.<br>", MaxLength: ptr(uint64(1024)), Default: ""},
			"created": {Types: integer, ReadOnly: true, Description: "When it was made.<br>"},
			"mtu": {Types: integer, Description: "The MTU.<br>", Default: float64(1420),
				Minimum: ptr(float64(0)), Maximum: ptr(phpIntMax)},
			"big":    {Types: integer, Description: "Huge default.<br>", Default: phpIntMax},
			"target": {Types: str, Description: "The target.<br><br>This field is only available when the following conditions are met:<br>- `nonat` must be equal to `false`<br>"},
			"pool":   {Types: str, Nullable: true, Enum: []any{"round-robin", "random"}, Description: "Pool.<br>"},
			"address": {Types: []string{"array"}, MaxItems: ptr(uint64(0)), Default: []any{},
				Items: &normalize.Schema{Types: str}},
			"ranges": {Types: []string{"array"}, MaxItems: ptr(uint64(65535)), Description: "Ranges.<br>",
				Items: &normalize.Schema{Types: []string{"object"}, Ref: "Range", Required: []string{"hour", "month"},
					Properties: map[string]*normalize.Schema{
						"hour":  {Types: str, Default: "0:00-23:59"},
						"month": {Types: str, Description: "Month.<br><br>This field is only available when the following conditions are met:<br>- `position` must be equal to `null`<br>"},
						"id":    {Types: integer},
					}}},
		},
		Required: []string{"name", "type", "target", "created"},
	}
}

func decode(t *testing.T, r Result) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.JSON), &m); err != nil {
		t.Fatalf("schema is not JSON: %v\n%s", err, r.JSON)
	}
	return m
}

func props(m map[string]any) map[string]any { return m["properties"].(map[string]any) }

func required(m map[string]any) []string {
	var out []string
	for _, r := range m["required"].([]any) {
		out = append(out, r.(string))
	}
	return out
}

func TestListSchemaExact(t *testing.T) {
	op := &normalize.Operation{ID: "getAliasesEndpoint", Method: "GET", Path: "/api/v2/aliases", Plural: true, Kind: toolspec.KindList, Model: "Alias",
		Params: []*normalize.Param{{Name: "limit"}, {Name: "offset"}, {Name: "sort_by"}, {Name: "sort_order"}, {Name: "sort_flags"}, {Name: "query"}}}
	model := &normalize.Model{Name: "Alias", HasIDs: true, Schema: &normalize.Schema{Properties: map[string]*normalize.Schema{
		"name": {Types: str}, "type": {Types: str, Enum: []any{"host", "network"}}}}}
	r, err := Build(Input{Op: op, Model: model})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"additionalProperties":false,"properties":{` +
		`"fields":{"description":"Fields to return (default all).","items":{"enum":["name","type"],"type":"string"},"type":"array"},` +
		`"limit":{"maximum":500,"minimum":1,"type":"integer"},` +
		`"offset":{"minimum":0,"type":"integer"},` +
		`"query":{"description":"{\"field\": value} or {\"field__op\": value}; all must match. Example: {\"type\": \"host\"}.","type":"object"},` +
		`"sort_by":{"items":{"type":"string"},"type":"array"},` +
		`"sort_order":{"enum":["SORT_ASC","SORT_DESC"],"type":"string"}},` +
		`"type":"object"}`
	if r.JSON != want {
		t.Errorf("list schema\n got %s\nwant %s", r.JSON, want)
	}
	wantParams := []toolspec.Param{{Name: "limit", In: toolspec.InQuery}, {Name: "offset", In: toolspec.InQuery}, {Name: "query", In: toolspec.InQueryMap},
		{Name: "sort_by", In: toolspec.InQuery}, {Name: "sort_order", In: toolspec.InQuery}}
	if !reflect.DeepEqual(r.Params, wantParams) {
		t.Errorf("params = %v, want %v", r.Params, wantParams)
	}

	log, err := Build(Input{Op: op, Model: model, Log: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := props(decode(t, log))["limit"].(map[string]any)["maximum"]; got != float64(toolspec.MaxLogLimit) {
		t.Errorf("log list limit maximum = %v, want %d", got, toolspec.MaxLogLimit)
	}
}

func TestCreateSchema(t *testing.T) {
	op := &normalize.Operation{ID: "postAliasEndpoint", Method: "POST", Path: "/api/v2/alias", Kind: toolspec.KindCreate, Model: "Alias", Body: alias()}
	r, err := Build(Input{Op: op, Mutation: true, Subresources: func(m string) []string {
		if m == "Range" {
			return []string{"pfsense_create_range", "pfsense_update_range", "pfsense_delete_range"}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, r)
	p := props(m)
	if _, ok := p["created"]; ok {
		t.Error("readOnly field created is an input")
	}
	if got := required(m); !reflect.DeepEqual(got, []string{"name", "type"}) {
		t.Errorf("required = %q, want [name type] (target is conditional, created read-only)", got)
	}
	for name, want := range map[string]string{
		"name":    `{"description":"Sets the name.","maxLength":31,"type":"string"}`,
		"type":    `{"description":"The type. One of: host, network, port.","enum":["host","network","port"],"type":"string"}`,
		"descr":   `{"default":"","description":"A description.","type":"string"}`,
		"mtu":     `{"default":1420,"description":"The MTU.","minimum":0,"type":"integer"}`,
		"big":     `{"description":"Huge default.","type":"integer"}`,
		"target":  `{"description":"The target. Only available when ` + "`nonat` is `false`" + `.","type":"string"}`,
		"pool":    `{"description":"Pool. One of: round-robin, random.","enum":["round-robin","random",null],"type":["string","null"]}`,
		"address": `{"default":[],"items":{"type":"string"},"type":"array"}`,
		// A list of child objects that have tools of their own points to them instead of inlining them.
		"ranges": `{"description":"Ranges. Entries have the fields of pfsense_create_range; single entries can also be managed with pfsense_create_range, pfsense_update_range and pfsense_delete_range.",` +
			`"items":{"type":"object"},"maxItems":65535,"type":"array"}`,
	} {
		got, _ := Marshal(p[name])
		if got != want {
			t.Errorf("property %s\n got %s\nwant %s", name, got, want)
		}
	}
	if got := p[toolspec.ConfirmProperty]; got == nil {
		t.Error("a mutation has no confirm property")
	}
	for _, prm := range r.Params {
		if prm.In != toolspec.InBody {
			t.Errorf("create param %s is in %s, want body", prm.Name, prm.In)
		}
		if prm.Name == toolspec.ConfirmProperty {
			t.Error("confirm must not be sent to the firewall")
		}
	}
}

func TestUpdateSchemaHasNoDefaultsAndRequiresOnlyIDs(t *testing.T) {
	body := alias()
	body.Properties["id"] = &normalize.Schema{Types: integer}
	body.Properties["parent_id"] = &normalize.Schema{Types: integer}
	body.Required = append(body.Required, "id", "parent_id")
	op := &normalize.Operation{ID: "patchAliasEndpoint", Method: "PATCH", Path: "/api/v2/alias", Kind: toolspec.KindUpdate, Model: "Alias",
		SpecParent: "Group", Body: body, IDSchema: idSchema}
	r, err := Build(Input{Op: op, Mutation: true, Model: &normalize.Model{Name: "Alias", Parent: "Group"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.JSON, `"default"`) {
		t.Errorf("a PATCH schema has a default: %s", r.JSON)
	}
	m := decode(t, r)
	if got := required(m); !reflect.DeepEqual(got, []string{"id", "parent_id"}) {
		t.Errorf("required = %q, want [id parent_id]", got)
	}
	p := props(m)
	for _, name := range []string{"id", "parent_id"} {
		if got := p[name].(map[string]any)["type"]; !reflect.DeepEqual(got, []any{"integer", "string"}) {
			t.Errorf("%s type = %v, want [integer string]", name, got)
		}
	}
	if got := p["parent_id"].(map[string]any)["description"]; got != "The id of the parent Group object." {
		t.Errorf("parent_id description = %q", got)
	}
}

func TestDeleteSchemas(t *testing.T) {
	single := &normalize.Operation{ID: "deleteAliasEndpoint", Method: "DELETE", Path: "/api/v2/alias", Kind: toolspec.KindDelete, Model: "Alias",
		Params: []*normalize.Param{
			{Name: "id", Required: true, Schema: idSchema},
			{Name: "apply", Schema: &normalize.Schema{Types: []string{"boolean"}, Default: false}, Description: "Apply this deletion immediately."},
		}}
	r, err := Build(Input{Op: single, Mutation: true})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"additionalProperties":false,"properties":{` +
		`"apply":{"default":false,"description":"Apply this deletion immediately.","type":"boolean"},` +
		`"confirm":{"description":"` + ConfirmDescription + `","type":["string","boolean"]},` +
		`"id":{"description":"Ids are list positions that shift after a delete (interfaces and DHCP servers are named: lan, opt1).","type":["integer","string"]}},` +
		`"required":["id"],"type":"object"}`
	if r.JSON != want {
		t.Errorf("singular delete schema\n got %s\nwant %s", r.JSON, want)
	}
	if want := []toolspec.Param{{Name: "apply", In: toolspec.InQuery}, {Name: "id", In: toolspec.InQuery}}; !reflect.DeepEqual(r.Params, want) {
		t.Errorf("params = %v, want %v", r.Params, want)
	}

	plural := &normalize.Operation{ID: "deleteAliasesEndpoint", Method: "DELETE", Path: "/api/v2/aliases", Plural: true, Kind: toolspec.KindDelete, Model: "Alias",
		Params: []*normalize.Param{{Name: "limit", Schema: &normalize.Schema{Types: integer, Default: float64(0)}}, {Name: "offset", Schema: &normalize.Schema{Types: integer}}, {Name: "query", Schema: &normalize.Schema{}}}}
	r, err = Build(Input{Op: plural, Mutation: true, Model: &normalize.Model{Name: "Alias", HasIDs: true}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, r)
	q := props(m)["query"].(map[string]any)
	if q["minProperties"] != float64(1) || !reflect.DeepEqual(required(m), []string{"query"}) {
		t.Errorf("plural delete query = %v, required %v; want a required query with minProperties 1", q, m["required"])
	}
	if want := []toolspec.Param{{Name: "limit", In: toolspec.InQuery}, {Name: "offset", In: toolspec.InQuery}, {Name: "query", In: toolspec.InQueryMap}}; !reflect.DeepEqual(r.Params, want) {
		t.Errorf("params = %v, want %v", r.Params, want)
	}

	plural.Params = plural.Params[:2]
	if _, err := Build(Input{Op: plural, Mutation: true}); err == nil || !strings.Contains(err.Error(), "would delete everything") {
		t.Errorf("a plural DELETE without query: error = %v", err)
	}
}

func TestReplaceSchema(t *testing.T) {
	body := alias()
	body.Required = []string{"name", "target"}
	op := &normalize.Operation{ID: "putAliasesEndpoint", Method: "PUT", Path: "/api/v2/aliases", Plural: true, Kind: toolspec.KindReplace, Model: "Alias", Body: body, BodyList: true}
	r, err := Build(Input{Op: op, Mutation: true})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, r)
	if !reflect.DeepEqual(required(m), []string{"objects"}) {
		t.Errorf("required = %v, want [objects]", m["required"])
	}
	objects := props(m)["objects"].(map[string]any)
	item := objects["items"].(map[string]any)
	if item["type"] != "object" || !reflect.DeepEqual(item["required"], []any{"name"}) {
		t.Errorf("objects items = %v, want objects requiring name only", item)
	}
	if _, ok := item["properties"].(map[string]any)["created"]; ok {
		t.Error("read-only created is in the objects' items")
	}
	if want := []toolspec.Param{{Name: "objects", In: toolspec.InBodyList}}; !reflect.DeepEqual(r.Params, want) {
		t.Errorf("params = %v, want %v", r.Params, want)
	}
}

func TestReadsHaveNoConfirm(t *testing.T) {
	op := &normalize.Operation{ID: "getAliasEndpoint", Method: "GET", Path: "/api/v2/alias", Kind: toolspec.KindGet,
		Params: []*normalize.Param{{Name: "parent_id", Required: true, Schema: idSchema}, {Name: "id", Required: true, Schema: idSchema}}}
	r, err := Build(Input{Op: op, Model: &normalize.Model{Name: "Alias", Parent: "Group", HasIDs: true}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, r)
	if _, ok := props(m)[toolspec.ConfirmProperty]; ok {
		t.Error("a read has a confirm property")
	}
	if !reflect.DeepEqual(required(m), []string{"id", "parent_id"}) {
		t.Errorf("required = %v", m["required"])
	}
	if want := []toolspec.Param{{Name: "id", In: toolspec.InQuery}, {Name: "parent_id", In: toolspec.InQuery}}; !reflect.DeepEqual(r.Params, want) {
		t.Errorf("params = %v, want %v (fields is handled by the server)", r.Params, want)
	}
}

func TestLongDescriptionIsCutAtASentence(t *testing.T) {
	long := strings.Repeat("This sentence is exactly fifty characters long ok. ", 20) // 1000 bytes
	s := &normalize.Schema{Types: str, Description: long + "<br><br>This field is only available when the following conditions are met:<br>- `mode` must be equal to `'x'`<br>"}
	got := (&builder{}).describe("", "", s)
	want := strings.TrimSpace(strings.Repeat("This sentence is exactly fifty characters long ok. ", 11)) + " Only available when `mode` is `'x'`."
	if got != want {
		t.Errorf("describe long text\n got %q\nwant %q", got, want)
	}
}

func TestSafeNumber(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want any
		ok   bool
	}{
		{float64(1420), int64(1420), true},
		{float64(0.5), float64(0.5), true},
		{float64(1 << 53), nil, false},
		{float64(-(1 << 53)), nil, false},
		{float64(1<<53 - 1), int64(1<<53 - 1), true},
		{phpIntMax, nil, false},
		{"x", nil, false},
	} {
		got, ok := safeNumber(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("safeNumber(%v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := safeValue([]any{float64(1), phpIntMax}); ok {
		t.Error("safeValue accepted a list holding PHP_INT_MAX")
	}
}
