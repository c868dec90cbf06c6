package emit

import (
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func TestRenderQuotesSpecTextAndIsGofmted(t *testing.T) {
	tools := []toolspec.Tool{{
		Name:        "pfsense_get_x",
		Title:       "Get x",
		Description: "Tries to escape: \"` */ }, {Name: \"evil\"}\n",
		InputSchema: `{"properties":{},"type":"object"}`,
		OperationID: "getXEndpoint",
		Method:      "GET",
		Path:        "/api/v2/x",
		Params:      []toolspec.Param{{Name: "id", In: toolspec.InQuery}},
		Kind:        toolspec.KindGet,
		Module:      "x",
		Model:       "X",
		Fields:      []string{"id", "name"},
		Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true},
	}}
	src, err := Render(Input{Package: "tooldefs", SpecTitle: "T \"quoted\"", SpecVersion: "v1", Tools: tools})
	if err != nil {
		t.Fatal(err)
	}
	formatted, err := format.Source(src)
	if err != nil || string(formatted) != string(src) {
		t.Errorf("output is not gofmt'ed (err %v)", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if f.Name.Name != "tooldefs" {
		t.Errorf("package = %s", f.Name.Name)
	}
	for _, want := range []string{
		`Description: "Tries to escape: \"` + "`" + ` */ }, {Name: \"evil\"}\n",`,
		`Params:      []toolspec.Param{{Name: "id", In: "query"}},`,
		`Fields:      []string{"id", "name"},`,
		`Annotations: toolspec.Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},`,
		`const SpecVersion = "v1"`,
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("output lacks %s\n%s", want, src)
		}
	}
	if strings.Count(string(src), "Name:        \"") != 1 {
		t.Errorf("the description escaped its string literal:\n%s", src)
	}
}
