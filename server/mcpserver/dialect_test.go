package mcpserver

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

func TestStrictSchema(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":["string","null"],"enum":["a",null]}`:                   `{"enum":["a"],"type":"string"}`,
		`{"type":["integer","string"]}`:                                  `{"type":"string"}`,
		`{"type":"object","properties":{"x":{"type":["array","null"]}}}`: `{"properties":{"x":{"type":"array"}},"type":"object"}`,
		`{"type":["number","boolean"],"default":1420}`:                   `{"default":1420,"type":"number"}`,
		`not json`: `not json`,
	} {
		if got := string(strictSchema(json.RawMessage(in))); got != want {
			t.Errorf("strictSchema(%s) = %s, want %s", in, got, want)
		}
	}
}

// In the strict dialect no listed schema has a type list or null in an enum.
func TestStrictDialectListing(t *testing.T) {
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true, AllowDangerous: true})
	if err != nil {
		t.Fatal(err)
	}
	d := toolcall.New(toolcall.Options{Inventory: inv})
	l := &listing{tools: Tools(d, Options{Mode: config.ModeFull, AllowWrites: true, Dialect: config.DialectStrict})}
	var list struct {
		Tools []struct {
			Name        string `json:"name"`
			InputSchema any    `json:"inputSchema"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(l.result(), &list); err != nil {
		t.Fatal(err)
	}
	var walk func(tool, path string, v any)
	walk = func(tool, path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["type"].([]any); ok {
				t.Errorf("%s %s: a type list: %v", tool, path, x["type"])
			}
			if enum, ok := x["enum"].([]any); ok {
				for _, e := range enum {
					if e == nil {
						t.Errorf("%s %s: null in an enum", tool, path)
					}
				}
			}
			for k, e := range x {
				walk(tool, path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(tool, fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	for _, tool := range list.Tools {
		walk(tool.Name, "", tool.InputSchema)
	}
	if len(list.Tools) < len(tooldefs.Tools) {
		t.Errorf("listed %d tools", len(list.Tools))
	}
}
