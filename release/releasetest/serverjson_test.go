package releasetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pfsense-mcp/pfsense-mcp/release/internal/sums"
)

// serverDoc is what the checks below read of server.json.
type serverDoc struct {
	Schema     string `json:"$schema"`
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository struct {
		URL    string `json:"url"`
		Source string `json:"source"`
	} `json:"repository"`
	Packages []struct {
		RegistryType    string `json:"registryType"`
		RegistryBaseURL string `json:"registryBaseUrl"`
		Identifier      string `json:"identifier"`
		Version         string `json:"version"`
		FileSHA256      string `json:"fileSha256"`
		Transport       struct {
			Type string `json:"type"`
		} `json:"transport"`
		EnvironmentVariables []struct {
			Name     string `json:"name"`
			IsSecret bool   `json:"isSecret"`
		} `json:"environmentVariables"`
	} `json:"packages"`
}

func registryDoc(t *testing.T) serverDoc {
	t.Helper()
	var doc serverDoc
	if err := json.Unmarshal(readPath(t, releaseFiles(t)["server.json"]), &doc); err != nil {
		t.Fatalf("server.json: %v", err)
	}
	return doc
}

// schemaID is the $id of the vendored schema (third_party/mcp-registry).
const schemaID = "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json"

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(readFile(t, "SERVER_SCHEMA")))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // the registry rejects URLs that are not URIs
	if err := c.AddResource(schemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schemaID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Rules the official registry adds to the schema for MCP Bundles, from modelcontextprotocol/
// registry internal/validators/registries/mcpb.go (ValidateMCPB, validateMCPBUrl,
// isValidGitHubReleaseURL) and internal/validators/validators.go (validateVersion).
var githubRelease = regexp.MustCompile(`^/([a-zA-Z0-9]([a-zA-Z0-9\-]{0,37}[a-zA-Z0-9])?)/([a-zA-Z0-9._\-]+)/releases/download/([^/]+)/([^/]+)$`)

func registryRules(doc serverDoc) error {
	if doc.Version == "latest" || strings.ContainsAny(doc.Version, "^~><*") || strings.Contains(doc.Version, ".x") {
		return fmt.Errorf("version %q: must be one specific version", doc.Version)
	}
	for _, p := range doc.Packages {
		if p.RegistryType != "mcpb" {
			continue
		}
		if p.FileSHA256 == "" {
			return fmt.Errorf("mcpb package %s: must include a fileSha256 hash", p.Identifier)
		}
		u, err := url.Parse(p.Identifier)
		if err != nil || u.Scheme != "https" {
			return fmt.Errorf("mcpb package %s: must be an https URL", p.Identifier)
		}
		if u.Host != "github.com" {
			return fmt.Errorf("mcpb package %s: must be hosted on GitHub or GitLab releases (this release is on GitHub)", p.Identifier)
		}
		if !githubRelease.MatchString(u.Path) {
			return fmt.Errorf("mcpb package %s: must be a release asset /owner/repo/releases/download/tag/filename", p.Identifier)
		}
		if p.RegistryBaseURL != "" && p.RegistryBaseURL != "https://github.com" {
			return fmt.Errorf("mcpb package %s: registryBaseUrl %s, want https://github.com", p.Identifier, p.RegistryBaseURL)
		}
		if !strings.Contains(strings.ToLower(p.Identifier), "mcp") {
			return fmt.Errorf("mcpb package %s: the URL must contain 'mcp'", p.Identifier)
		}
	}
	return nil
}

// validate applies the schema and the registry's rules to a server.json text.
func validate(s *jsonschema.Schema, text []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(text))
	if err != nil {
		return err
	}
	if err := s.Validate(inst); err != nil {
		return err
	}
	var doc serverDoc
	if err := json.Unmarshal(text, &doc); err != nil {
		return err
	}
	return registryRules(doc)
}

// server.json passes the registry schema 2025-09-29 and the registry's MCP Bundle rules, and
// names this release: its version, the bundle's download URL and the bundle's SHA-256.
func TestServerJSON(t *testing.T) {
	files := releaseFiles(t)
	v := moduleVersion(t)
	text := readPath(t, files["server.json"])
	s := compileSchema(t)
	if err := validate(s, text); err != nil {
		t.Fatalf("server.json is not valid: %v", err)
	}
	doc := registryDoc(t)
	bundleName := "pfsense-mcp_" + v + ".mcpb"
	if doc.Schema != schemaID || doc.Version != v || len(doc.Packages) != 1 {
		t.Fatalf("server.json: schema %s, version %s, %d packages; want %s, %s, one package", doc.Schema, doc.Version, len(doc.Packages), schemaID, v)
	}
	p := doc.Packages[0]
	want := doc.Repository.URL + "/releases/download/v" + v + "/" + bundleName
	if p.RegistryType != "mcpb" || p.Identifier != want || p.Version != v || p.Transport.Type != "stdio" {
		t.Errorf("package %+v: want the mcpb %s, version %s, over stdio", p, want, v)
	}
	if got := sums.Sum(readPath(t, files[bundleName])); p.FileSHA256 != got {
		t.Errorf("fileSha256 = %s, the bundle's SHA-256 is %s", p.FileSHA256, got)
	}
	owner := strings.Split(strings.TrimPrefix(doc.Repository.URL, "https://github.com/"), "/")[0]
	if !strings.HasPrefix(doc.Name, "io.github."+owner+"/") || doc.Repository.Source != "github" {
		t.Errorf("name %s, repository %+v: a GitHub-published server is named io.github.<owner>/...", doc.Name, doc.Repository)
	}
	secrets := map[string]bool{}
	for _, e := range p.EnvironmentVariables {
		secrets[e.Name] = e.IsSecret
	}
	if !secrets["PFSENSE_API_KEY"] {
		t.Errorf("PFSENSE_API_KEY must be offered and marked secret: %+v", p.EnvironmentVariables)
	}
	if path.Base(p.Identifier) != bundleName {
		t.Errorf("identifier %s does not name the bundle %s", p.Identifier, bundleName)
	}
}

// The checks above can fail: each of these broken copies of server.json is refused, by the
// schema or by the registry's rules.
func TestServerJSONChecksRefuseBrokenFiles(t *testing.T) {
	s := compileSchema(t)
	text := readPath(t, releaseFiles(t)["server.json"])
	for _, tc := range []struct {
		name   string
		change func(doc map[string]any, pkg map[string]any)
	}{
		{"description over 100 characters", func(d, _ map[string]any) { d["description"] = strings.Repeat("x", 101) }},
		{"name without a namespace", func(d, _ map[string]any) { d["name"] = "pfsense-mcp" }},
		{"no version", func(d, _ map[string]any) { delete(d, "version") }},
		{"package version latest", func(_, p map[string]any) { p["version"] = "latest" }},
		{"short SHA-256", func(_, p map[string]any) { p["fileSha256"] = "abc" }},
		{"no SHA-256", func(_, p map[string]any) { delete(p, "fileSha256") }},
		{"unknown package field", func(_, p map[string]any) { p["sha256"] = "x" }},
		{"no transport", func(_, p map[string]any) { delete(p, "transport") }},
		{"plain http download", func(_, p map[string]any) {
			p["identifier"] = strings.Replace(p["identifier"].(string), "https://", "http://", 1)
		}},
		{"download outside a GitHub release", func(_, p map[string]any) {
			p["identifier"] = "https://example.com/pfsense-mcp.mcpb"
		}},
		{"release URL without mcp", func(_, p map[string]any) {
			p["identifier"] = "https://github.com/acme/firewall/releases/download/v1/bundle.zip"
		}},
	} {
		var doc map[string]any
		if err := json.Unmarshal(text, &doc); err != nil {
			t.Fatal(err)
		}
		tc.change(doc, doc["packages"].([]any)[0].(map[string]any))
		broken, _ := json.Marshal(doc)
		if err := validate(s, broken); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}
