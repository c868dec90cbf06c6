package registry

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/release/internal/usersettings"
)

func TestServerJSON(t *testing.T) {
	out, err := ServerJSON(Release{Version: "1.2.3", Repository: "https://github.com/acme/pfsense-mcp", BundleName: "pfsense-mcp_1.2.3.mcpb", Bundle: []byte("bee")})
	if err != nil {
		t.Fatal(err)
	}
	var doc Server
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != SchemaURL || doc.Name != "io.github.acme/pfsense-mcp" || doc.Version != "1.2.3" || doc.Repository != (Repository{"https://github.com/acme/pfsense-mcp", "github"}) {
		t.Errorf("server = %+v", doc)
	}
	if len(doc.Packages) != 1 {
		t.Fatalf("packages = %+v", doc.Packages)
	}
	p := doc.Packages[0]
	want := Package{RegistryType: "mcpb", RegistryBaseURL: "https://github.com",
		Identifier: "https://github.com/acme/pfsense-mcp/releases/download/v1.2.3/pfsense-mcp_1.2.3.mcpb", Version: "1.2.3",
		FileSHA256: "62cb81b5904a262ffaeed02abef36bfc540b09f964b8b0b636662f77ffce6714", Transport: Transport{"stdio"}}
	got := p
	got.EnvironmentVariables = nil
	if got.RegistryType != want.RegistryType || got.RegistryBaseURL != want.RegistryBaseURL || got.Identifier != want.Identifier ||
		got.Version != want.Version || got.FileSHA256 != want.FileSHA256 || got.Transport != want.Transport {
		t.Errorf("package = %+v\nwant %+v", got, want)
	}
	if len(p.EnvironmentVariables) != len(usersettings.Settings) {
		t.Fatalf("%d variables, want one per offered setting", len(p.EnvironmentVariables))
	}
	key := p.EnvironmentVariables[1]
	if key.Name != "PFSENSE_API_KEY" || !key.IsSecret || !key.IsRequired || key.Format != "string" {
		t.Errorf("API key variable = %+v, want a required secret", key)
	}
	for _, v := range p.EnvironmentVariables {
		if v.Name == "PFSENSE_CA_FILE" && v.Format != "filepath" {
			t.Errorf("PFSENSE_CA_FILE format = %q, want filepath", v.Format)
		}
		if v.Name == "PFSENSE_TOOL_MODE" && (v.Default != "full" || strings.Join(v.Choices, ",") != "full,discovery") {
			t.Errorf("PFSENSE_TOOL_MODE = %+v", v)
		}
	}
	if strings.Contains(string(out), `\u003e`) {
		t.Error("server.json HTML-escapes its text")
	}
	if len(Description) > 100 {
		t.Errorf("Description is %d characters; the schema allows 100", len(Description))
	}
}

func TestServerJSONRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		r    Release
		want string
	}{
		{Release{Version: "1", Repository: "https://gitlab.example/acme/x"}, `repository "https://gitlab.example/acme/x": want https://github.com/OWNER/REPO (the registry takes MCP Bundles from GitHub releases)`},
		{Release{Version: "1", Repository: "https://github.com/acme"}, `repository "https://github.com/acme": want https://github.com/OWNER/REPO (the registry takes MCP Bundles from GitHub releases)`},
		{Release{Version: "", Repository: "https://github.com/a/b"}, `version "": want a plain version such as 0.1.0`},
	} {
		if _, err := ServerJSON(tc.r); err == nil || err.Error() != tc.want {
			t.Errorf("ServerJSON(%+v) = %v, want %q", tc.r, err, tc.want)
		}
	}
}
