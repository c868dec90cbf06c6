package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/server/doctor"
)

// A command runs instead of the MCP server: `pfsense-mcp NAME [flags]`. Commands take the
// same flags and PFSENSE_* variables as the server, so a client's configuration can be
// checked by running the same command line with a command name in front.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error
}

// commands are the subcommands, in the order help lists them.
var commands = []command{
	{name: doctor.Command, summary: "check a configuration against the firewall step by step and say what to fix (exit status 1 when something is wrong)", run: runDoctor},
	{name: "tools", summary: "list what the settings expose: per module, the tools and bytes of definitions a client receives", run: runTools},
}

func runDoctor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return doctor.Run(ctx, doctor.Env{Args: args, Getenv: getenv, Stdout: stdout, Stderr: stderr, StartDemo: demoForDoctor})
}

// runCommand runs --version or a subcommand named by args[0]. It reports whether it handled
// args; when it did not, args configure the server.
func runCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (bool, error) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--version" || a == "-version" {
			return true, printVersion(stdout)
		}
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return false, nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return true, c.run(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	return true, fmt.Errorf("unknown command %q: the commands are %s; the server itself takes only flags and PFSENSE_* variables (see --help)", args[0], commandNames())
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// printCommands completes the flags' help (printed by config.Load) with the commands.
func printCommands(w io.Writer) {
	fmt.Fprintf(w, "\nCommands (pfsense-mcp COMMAND [flags]; they read the same flags and variables):\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "--version", "print the server version, the REST API spec version the tools come from and the number of tools")
}
