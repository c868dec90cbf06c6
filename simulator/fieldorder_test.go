package simulator_test

import (
	"slices"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/rules"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// The declaration order table is read from the package's source (simulator/cmd/simorder). The
// v2.7.1 spec lists every model's properties in that order already, so its table must agree
// with the spec, model by model: that checks how the table is made. And with the native
// schema, the catalog the simulator runs on puts each model's fields in the table's order
// (v2.10.0's spec is alphabetical).
func TestFieldsFollowTheirDeclarationOrder(t *testing.T) {
	v271 := rules.FieldOrder("v2.7.1")
	if len(v271) == 0 {
		t.Fatal("no committed field order for v2.7.1")
	}
	spec, err := specfile.Read()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := catalog.Build(spec, nil) // the spec's own order
	if err != nil {
		t.Fatal(err)
	}
	if plain.APIVersion == "v2.7.1" {
		agree := 0
		for model, order := range v271 {
			s := plain.Schemas[model]
			if s == nil {
				continue
			}
			if got, want := declared(s, order), filter(order, s); !slices.Equal(got, want) {
				t.Errorf("%s: the spec lists %v, the table %v", model, got, want)
			}
			agree++
		}
		if agree < 100 {
			t.Errorf("only %d models compared", agree)
		}
	}
	nat, err := specfile.ReadNative()
	if err != nil {
		t.Fatal(err)
	}
	order := rules.FieldOrder(plain.APIVersion)
	if len(nat) == 0 || order == nil {
		t.Skipf("this build's REST API %s has no native schema or no committed field order: the spec's order is used", plain.APIVersion)
	}
	merged, err := catalog.Build(spec, nat)
	if err != nil {
		t.Fatal(err)
	}
	for model, o := range order {
		if s := merged.Schemas[model]; s != nil {
			if got, want := declared(s, o), filter(o, s); !slices.Equal(got, want) {
				t.Errorf("%s: the catalog lists %v, want %v", model, got, want)
			}
		}
	}
}

// declared is the schema's properties that the order names, in the schema's order.
func declared(s *catalog.Schema, order []string) []string {
	var out []string
	for _, p := range s.Props {
		if slices.Contains(order, p.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}

// filter is the order's fields that the schema has.
func filter(order []string, s *catalog.Schema) []string {
	var out []string
	for _, f := range order {
		if s.Prop(f) != nil {
			out = append(out, f)
		}
	}
	return out
}
