package mcpserver

import (
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// A write whose dangerous effect depends on its arguments says so in its listed description
// while dangerous effects are off (so a model is told before its call is refused), and not
// once they are allowed.
func TestGuardedNoteListedOnlyWhenDangerousIsOff(t *testing.T) {
	var guarded *toolspec.Tool
	for i := range tooldefs.Tools {
		tl := &tooldefs.Tools[i]
		if tl.Mutation && !tl.Dangerous && len(tl.RequiredPackages) == 0 && toolspec.GuardedNote(tl.Risks) != "" {
			guarded = tl
			break
		}
	}
	if guarded == nil {
		t.Fatal("no tool of this spec has a conditional dangerous effect: the risk table matched nothing?")
	}
	note := toolspec.GuardedNote(guarded.Risks)
	if !strings.HasPrefix(note, "Refused unless the operator allows dangerous effects when ") || !strings.Contains(note, guarded.Risks[0].Reason) && len(guarded.Risks) == 1 {
		t.Errorf("note %q", note)
	}
	for _, dangerous := range []bool{false, true} {
		inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true, AllowDangerous: dangerous})
		if err != nil {
			t.Fatal(err)
		}
		d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: versionFirewall{}})
		found := false
		for _, st := range Tools(d, Options{Mode: config.ModeFull, AllowWrites: true}) {
			if st.Tool.Name != guarded.Name {
				continue
			}
			found = true
			if has := strings.Contains(st.Tool.Description, note); has == dangerous {
				t.Errorf("dangerous allowed %v: %s lists the note %v: %q", dangerous, guarded.Name, has, st.Tool.Description)
			}
		}
		if !found {
			t.Errorf("%s is not listed with writes on", guarded.Name)
		}
	}
}
