// Package usersettings lists the settings a one-click install asks the user for (the Claude
// Desktop bundle's user_config, the MCP registry entry's environment variables). Each is one
// of the server's PFSENSE_* variables (server/config), which a test checks; the rest keep the
// server's defaults and stay reachable through the README's manual configuration.
package usersettings

// Setting is one setting an installer asks for and passes to the server as a variable.
type Setting struct {
	Key         string   // MCPB user_config key
	Env         string   // the server's variable
	Type        string   // MCPB type: "string", "boolean" or "file"
	Title       string   // short label
	Description string   // what to enter, in the user's words
	Required    bool     // the server cannot start without it
	Sensitive   bool     // a secret: hosts keep it in the OS keychain and mask it
	Default     string   // the variable's text when the user leaves it alone ("" = server default)
	Choices     []string // the only valid values, when there is a fixed set
}

// Settings are offered in this order.
var Settings = []Setting{
	{Key: "firewall_url", Env: "PFSENSE_URL", Type: "string", Title: "Firewall URL", Required: true,
		Description: "The pfSense web GUI, https://host[:port], e.g. https://192.168.1.1."},
	{Key: "api_key", Env: "PFSENSE_API_KEY", Type: "string", Title: "REST API key", Required: true, Sensitive: true,
		Description: "A key from System > REST API > Keys on the firewall (KeyAuth must be enabled in the REST API settings)."},
	{Key: "tls_fingerprint", Env: "PFSENSE_TLS_FINGERPRINT", Type: "string", Title: "Certificate fingerprint",
		Description: "For pfSense's self-signed certificate: its SHA-256 fingerprint, which `pfsense-mcp doctor` and the first failed call show. Leave empty when the certificate is signed by a trusted CA."},
	{Key: "ca_file", Env: "PFSENSE_CA_FILE", Type: "file", Title: "CA certificate",
		Description: "Optional: a PEM file of the private CA that signed the firewall's certificate."},
	{Key: "allow_writes", Env: "PFSENSE_ALLOW_WRITES", Type: "boolean", Title: "Allow changes", Default: "false",
		Description: "Expose the tools that change the firewall. Each change is previewed first and needs confirm=true."},
	{Key: "modules", Env: "PFSENSE_MODULES", Type: "string", Title: "Modules",
		Description: "Optional: comma-separated modules to expose, e.g. firewall,interface,routing (all when empty). `pfsense-mcp tools` shows each module's cost."},
	{Key: "tool_mode", Env: "PFSENSE_TOOL_MODE", Type: "string", Title: "Tool mode", Default: "full", Choices: []string{"full", "discovery"},
		Description: "full lists every enabled tool; discovery lists five tools that search, describe and call the others, for a much smaller context."},
}
