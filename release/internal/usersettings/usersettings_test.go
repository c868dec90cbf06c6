package usersettings

import (
	"regexp"
	"slices"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/server/config"
)

// Every offered setting is one of the server's variables, with a valid key, type and default.
func TestSettingsAreTheServersVariables(t *testing.T) {
	known := map[string]bool{}
	for _, s := range config.Settings() {
		known[s[1]] = true
	}
	key := regexp.MustCompile(`^[a-z][a-z_]*$`)
	seen := map[string]bool{}
	for _, s := range Settings {
		if !known[s.Env] {
			t.Errorf("%s: %s is not a variable of server/config", s.Key, s.Env)
		}
		if !key.MatchString(s.Key) || seen[s.Key] || seen[s.Env] {
			t.Errorf("%s: key must be unique lower_snake_case, and %s offered once", s.Key, s.Env)
		}
		seen[s.Key], seen[s.Env] = true, true
		if !slices.Contains([]string{"string", "boolean", "file"}, s.Type) {
			t.Errorf("%s: type %q", s.Key, s.Type)
		}
		if s.Title == "" || s.Description == "" {
			t.Errorf("%s: needs a title and a description", s.Key)
		}
		if s.Required && s.Default != "" {
			t.Errorf("%s: a required setting has no default", s.Key)
		}
		if s.Type == "boolean" && s.Default != "true" && s.Default != "false" {
			t.Errorf("%s: boolean default %q", s.Key, s.Default)
		}
		if s.Choices != nil && !slices.Contains(s.Choices, s.Default) {
			t.Errorf("%s: default %q is not among %v", s.Key, s.Default, s.Choices)
		}
	}
	for _, env := range []string{"PFSENSE_URL", "PFSENSE_API_KEY"} {
		if !seen[env] {
			t.Errorf("%s is not offered: the server cannot reach a firewall without it", env)
		}
	}
}
