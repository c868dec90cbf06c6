// Package smoke runs a short MCP session against a server started the way a client starts it
// (a command, its arguments and its environment): initialize, tools/list and one tool call.
// The release tests use it on the packed binaries, the README's client setups and the bundle.
package smoke

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// Server is how a client starts the server.
type Server struct {
	Command string
	Args    []string
	Env     []string // added to the test's own environment, as MCP clients do
}

// Result is what the session saw.
type Result struct {
	ServerName, ServerVersion string
	Tools                     []string // names from tools/list
	Call                      string   // the text of the tool call's answer
	Stderr                    string   // the server's log
}

// CallTool is the tool the session calls: a read every configuration exposes.
const CallTool = "pfsense_get_system_version"

// stepTimeout bounds each request: generous, the machines running the tests are loaded.
const stepTimeout = 90 * time.Second

// Run starts s, runs the session and stops the server. An error says which step failed, with
// the server's log.
func Run(s Server) (Result, error) {
	// The server's log goes to a file: the transport writes it from its own goroutine while a
	// failed step reads it.
	logFile, err := os.CreateTemp("", "smoke-stderr-")
	if err != nil {
		return Result{}, err
	}
	defer os.Remove(logFile.Name())
	defer logFile.Close()
	log := func() string {
		b, _ := os.ReadFile(logFile.Name())
		return string(b)
	}
	tr := transport.NewStdioWithOptions(s.Command, s.Env, s.Args, transport.WithCommandStderrWriter(logFile))
	ctx, cancel := context.WithTimeout(context.Background(), 3*stepTimeout)
	defer cancel()
	if err := tr.Start(ctx); err != nil {
		return Result{}, fmt.Errorf("start %s: %w", s.Command, err)
	}
	c := client.NewClient(tr)
	defer c.Close()
	fail := func(step string, err error) (Result, error) {
		return Result{Stderr: log()}, fmt.Errorf("%s %v: %s: %w\nserver log:\n%s", s.Command, s.Args, step, err, log())
	}

	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "release-smoke", Version: "1"}
	step, done := context.WithTimeout(ctx, stepTimeout)
	hello, err := c.Initialize(step, init)
	done()
	if err != nil {
		return fail("initialize", err)
	}
	r := Result{ServerName: hello.ServerInfo.Name, ServerVersion: hello.ServerInfo.Version}

	step, done = context.WithTimeout(ctx, stepTimeout)
	list, err := c.ListTools(step, mcp.ListToolsRequest{})
	done()
	if err != nil {
		return fail("tools/list", err)
	}
	for _, t := range list.Tools {
		r.Tools = append(r.Tools, t.Name)
	}

	step, done = context.WithTimeout(ctx, stepTimeout)
	res, err := c.CallTool(step, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: CallTool}})
	done()
	if err != nil {
		return fail("tools/call "+CallTool, err)
	}
	var text strings.Builder
	for _, content := range res.Content {
		if tc, ok := content.(mcp.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	r.Call = text.String()
	if res.IsError {
		return fail("tools/call "+CallTool, fmt.Errorf("the tool answered an error: %s", r.Call))
	}
	var answer struct {
		Data struct {
			Version string `json:"version"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.Call), &answer); err != nil || answer.Data.Version == "" {
		return fail("tools/call "+CallTool, fmt.Errorf("the answer has no data.version: %s", r.Call))
	}
	r.Stderr = log()
	return r, nil
}
