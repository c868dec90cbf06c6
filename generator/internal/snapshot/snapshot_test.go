package snapshot

import (
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

var tools = []toolspec.Tool{
	{
		Name: "pfsense_list_firewall_aliases", Title: "List firewall aliases", Description: "Reads all existing Firewall Aliases.",
		InputSchema: `{"additionalProperties":false,"properties":{"limit":{"type":"integer"}},"type":"object"}`,
		OperationID: "getFirewallAliasesEndpoint", Method: "GET", Path: "/api/v2/firewall/aliases",
		Params: []toolspec.Param{{Name: "limit", In: toolspec.InQuery}}, Kind: toolspec.KindList, Plural: true,
		Module: "firewall", Model: "FirewallAlias", Fields: []string{"id", "name"},
		Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true},
	},
	{
		Name: "pfsense_reboot_system", Title: "Reboot system", Description: "Reboots the system.",
		InputSchema: `{"properties":{},"type":"object"}`, OperationID: "postDiagnosticsRebootEndpoint", Method: "POST",
		Path: "/api/v2/diagnostics/reboot", Kind: toolspec.KindAction, Module: "diagnostics", Model: "SystemReboot",
		Mutation: true, Dangerous: true, DangerousReason: "Reboots the firewall.", Annotations: toolspec.Annotations{Destructive: true},
	},
}

func TestRender(t *testing.T) {
	files, err := Render("v2.7.1", tools)
	if err != nil {
		t.Fatal(err)
	}
	want := `# spec version: v2.7.1
# The 1 tool of module firewall. Generated, do not edit; refresh with: tools/bazel run //generator:update_toolsnaps

## pfsense_list_firewall_aliases
title:       List firewall aliases
kind:        list (plural)
request:     GET /api/v2/firewall/aliases
operation:   getFirewallAliasesEndpoint
model:       FirewallAlias
annotations: readOnly=true destructive=false idempotent=true openWorld=false
params:      limit=query
fields:      id, name
description:
  Reads all existing Firewall Aliases.
input schema:
  {
    "additionalProperties": false,
    "properties": {
      "limit": {
        "type": "integer"
      }
    },
    "type": "object"
  }
`
	if got := string(files["firewall.txt"]); got != want {
		t.Errorf("firewall.txt\n got:\n%s\nwant:\n%s", got, want)
	}
	diag := string(files["diagnostics.txt"])
	for _, line := range []string{"flags:       mutation dangerous\n", "dangerous:   Reboots the firewall.\n"} {
		if !strings.Contains(diag, line) {
			t.Errorf("diagnostics.txt lacks %q:\n%s", line, diag)
		}
	}
	if v, err := Version(files); v != "v2.7.1" || err != nil {
		t.Errorf("Version = %q, %v", v, err)
	}
}

func TestVersionErrors(t *testing.T) {
	for _, files := range []map[string][]byte{
		{},
		{"a.txt": []byte("no header\n")},
		{"a.txt": []byte("# spec version: v1\n"), "b.txt": []byte("# spec version: v2\n")},
	} {
		if v, err := Version(files); err == nil {
			t.Errorf("Version(%q) = %q, want an error", files, v)
		}
	}
}

func TestDiff(t *testing.T) {
	want := map[string][]byte{
		"same.txt":    []byte("# h\n\n## a\nx\n"),
		"changed.txt": []byte("# h\n\n## a\n1\n2\n3\n4\n5\n6\n7\n8\n\n## b\nb1\n\n## c\nc1\n\n## d\nd1\n"),
		"gone.txt":    []byte("x\n"),
	}
	got := map[string][]byte{
		"same.txt":    []byte("# h\n\n## a\nx\n"),
		"changed.txt": []byte("# h\n\n## a\n1\n2\n3\n4\nFIVE\n6\n7\n8\n\n## b\nb1\n\n## d\nd1\nd2\n\n## e\ne1\n"),
		"new.txt":     []byte("y\nz\n"),
	}
	wantDiff := `--- changed.txt: a (committed)
+++ changed.txt: a (generated)
@@ -6,1 +6,1 @@
 2
 3
 4
-5
+FIVE
 6
 7
 8
--- changed.txt: c removed
--- changed.txt: d (committed)
+++ changed.txt: d (generated)
@@ -3,0 +3,1 @@
 ## d
 d1
+d2
 
+++ changed.txt: new e
--- gone.txt: no longer generated
+++ new.txt: new file (2 lines)
`
	if d := Diff(want, got); d != wantDiff {
		t.Errorf("Diff\n got:\n%s\nwant:\n%s", d, wantDiff)
	}
	if d := Diff(want, want); d != "" {
		t.Errorf("Diff of equal snapshots = %q", d)
	}
}
