package mcpserver

import (
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/discovery"
)

// In discovery mode reads and changes have their own call tool, each annotated for what it can
// run: a client that asks before destructive tools asks before changes only.
func TestDiscoveryCallToolsHaveHonestAnnotations(t *testing.T) {
	for _, writes := range []bool{false, true} {
		d := newServerDispatcher(t, writes)
		byName := map[string]bool{}
		for _, st := range Tools(d, Options{Mode: config.ModeDiscovery, AllowWrites: writes, SpecVersion: "v2.7.1"}) {
			a := st.Tool.Annotations
			byName[st.Tool.Name] = true
			switch st.Tool.Name {
			case discovery.CallReadName:
				if !*a.ReadOnlyHint || *a.DestructiveHint || !*a.IdempotentHint {
					t.Errorf("writes=%v: %s annotations %+v, want read-only, not destructive, idempotent", writes, st.Tool.Name, a)
				}
			case discovery.CallChangeName:
				if *a.ReadOnlyHint || *a.IdempotentHint {
					t.Errorf("writes=%v: %s annotations %+v, want neither read-only nor idempotent", writes, st.Tool.Name, a)
				}
			}
		}
		if byName[discovery.CallChangeName] != writes {
			t.Errorf("writes=%v: %s listed = %v", writes, discovery.CallChangeName, byName[discovery.CallChangeName])
		}
	}
}
