// Package registry writes server.json, the entry that publishes pfsense-mcp in the MCP
// registry (modelcontextprotocol/registry, schema 2025-09-29): the server's name, version and
// repository, and the MCP Bundle as an "mcpb" package with its download URL and SHA-256.
package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/release/internal/sums"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/usersettings"
)

// SchemaURL is the server.json schema this file follows.
const SchemaURL = "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json"

// Description is the registry's one-line summary (the schema allows at most 100 characters).
const Description = "pfSense firewall over its REST API v2: one tool per operation, read-only unless you allow writes"

// Server is server.json; field names and order follow the schema's ServerDetail.
type Server struct {
	Schema      string     `json:"$schema"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Repository  Repository `json:"repository"`
	Version     string     `json:"version"`
	Packages    []Package  `json:"packages"`
}

// Repository is where the source is.
type Repository struct {
	URL    string `json:"url"`
	Source string `json:"source"`
}

// Package is one way to install the server.
type Package struct {
	RegistryType         string     `json:"registryType"`
	RegistryBaseURL      string     `json:"registryBaseUrl"`
	Identifier           string     `json:"identifier"`
	Version              string     `json:"version"`
	FileSHA256           string     `json:"fileSha256"`
	Transport            Transport  `json:"transport"`
	EnvironmentVariables []Variable `json:"environmentVariables"`
}

// Transport is how a client talks to the installed server.
type Transport struct {
	Type string `json:"type"`
}

// Variable is one environment variable the client asks the user for (schema: KeyValueInput).
type Variable struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	IsRequired  bool     `json:"isRequired,omitempty"`
	IsSecret    bool     `json:"isSecret,omitempty"`
	Format      string   `json:"format"`
	Default     string   `json:"default,omitempty"`
	Choices     []string `json:"choices,omitempty"`
}

// formats maps MCPB setting types to the registry's input formats.
var formats = map[string]string{"string": "string", "boolean": "boolean", "file": "filepath"}

// Release is what server.json describes.
type Release struct {
	Version    string // e.g. 0.1.0; the release tag is v<Version>
	Repository string // https://github.com/OWNER/REPO
	BundleName string // the .mcpb file's name among the release's assets
	Bundle     []byte // its contents, for the SHA-256
}

// ServerJSON builds server.json for r.
func ServerJSON(r Release) ([]byte, error) {
	var parts []string
	u, err := url.Parse(r.Repository)
	if err == nil {
		parts = strings.Split(strings.Trim(u.Path, "/"), "/")
	}
	if err != nil || u.Scheme != "https" || u.Host != "github.com" || len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return nil, fmt.Errorf("repository %q: want https://github.com/OWNER/REPO (the registry takes MCP Bundles from GitHub releases)", r.Repository)
	}
	if r.Version == "" || strings.ContainsAny(r.Version, "/ ") {
		return nil, fmt.Errorf("version %q: want a plain version such as 0.1.0", r.Version)
	}
	var vars []Variable
	for _, s := range usersettings.Settings {
		f, ok := formats[s.Type]
		if !ok {
			return nil, fmt.Errorf("setting %s: type %q has no registry format", s.Key, s.Type)
		}
		vars = append(vars, Variable{Name: s.Env, Description: s.Description, IsRequired: s.Required, IsSecret: s.Sensitive,
			Format: f, Default: s.Default, Choices: s.Choices})
	}
	doc := Server{
		Schema: SchemaURL,
		// Names under io.github.OWNER are proven by GitHub login (registry publishing guide).
		Name:        "io.github." + parts[0] + "/" + parts[1],
		Description: Description,
		Repository:  Repository{URL: r.Repository, Source: "github"},
		Version:     r.Version,
		Packages: []Package{{
			RegistryType:         "mcpb",
			RegistryBaseURL:      "https://github.com",
			Identifier:           r.Repository + "/releases/download/v" + r.Version + "/" + r.BundleName,
			Version:              r.Version,
			FileSHA256:           sums.Sum(r.Bundle),
			Transport:            Transport{Type: "stdio"},
			EnvironmentVariables: vars,
		}},
	}
	// Text stays as written ("System > REST API"), not HTML-escaped: nobody embeds this in HTML.
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
