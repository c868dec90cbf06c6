// Package mcpsession starts the pfsense-mcp server as a child process and talks to it over
// MCP stdio with mark3labs/mcp-go's client. The bank tester is the MCP client for every
// consumer but the Claude Code CLI: each call the model makes goes through Session.Call, which
// records it, so coverage and success rates come from what was really relayed.
package mcpsession

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// Where the server binary is found: $PFSENSE_MCP_BIN (a path), else the runfiles location in
// $PFSENSE_MCP_RLOCATION (set by the Bazel targets that depend on //server:pfsense-mcp).
const (
	BinEnv       = "PFSENSE_MCP_BIN"
	RlocationEnv = "PFSENSE_MCP_RLOCATION"
)

// Binary returns the path of the pfsense-mcp server binary.
func Binary() (string, error) {
	if p := os.Getenv(BinEnv); p != "" {
		return p, nil
	}
	if loc := os.Getenv(RlocationEnv); loc != "" {
		p, err := runfiles.Rlocation(loc)
		if err != nil {
			return "", fmt.Errorf("find the server %s in runfiles: %w", loc, err)
		}
		return p, nil
	}
	return "", fmt.Errorf("no pfsense-mcp binary: run through Bazel (bazel run //banktester), or set %s to the server binary", BinEnv)
}

// Server says how to start the MCP server.
type Server struct {
	Bin string
	// Env is the server's whole environment (PFSENSE_* settings); nothing else is inherited,
	// so the caller's own PFSENSE_* variables cannot leak into a task.
	Env    []string
	Stderr io.Writer // the server's log; nil discards it.
}

// Session is a connected MCP client.
type Session struct {
	c     *client.Client
	tools []mcp.Tool
	tr    *transcript.Writer

	mu    sync.Mutex
	calls []transcript.ToolCall
	turn  int
}

// SetTurn sets the model turn that later calls belong to (for the transcript).
func (s *Session) SetTurn(n int) {
	s.mu.Lock()
	s.turn = n
	s.mu.Unlock()
}

// Start starts the server and initializes the session. tr records every call.
func Start(ctx context.Context, srv Server, tr *transcript.Writer) (*Session, error) {
	stderr := srv.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	cmdFunc := func(ctx context.Context, command string, env []string, args []string) (*exec.Cmd, error) {
		cmd := exec.Command(command, args...)
		cmd.Env = env
		cmd.Stderr = stderr
		// Its own process group: an interrupt of the bank tester must not reach the server
		// before the session is closed in order.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		return cmd, nil
	}
	tp := transport.NewStdioWithOptions(srv.Bin, srv.Env, nil, transport.WithCommandFunc(cmdFunc))
	if err := tp.Start(ctx); err != nil {
		return nil, fmt.Errorf("start %s: %w", srv.Bin, err)
	}
	c := client.NewClient(tp)
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "pfsense-banktester", Version: "1"}
	ictx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := c.Initialize(ictx, init); err != nil {
		c.Close()
		return nil, fmt.Errorf("initialize MCP session: %w", err)
	}
	return &Session{c: c, tr: tr}, nil
}

// Tools returns the tools the server lists (asked on first use: decoding 1.5 MB of schemas
// is the slowest part of a session, and the scripted consumer does not need them).
func (s *Session) Tools(ctx context.Context) ([]mcp.Tool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tools != nil {
		return s.tools, nil
	}
	var tools []mcp.Tool
	req := mcp.ListToolsRequest{}
	for {
		res, err := s.c.ListTools(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list tools: %w", err)
		}
		tools = append(tools, res.Tools...)
		if res.NextCursor == "" {
			break
		}
		req.Params.Cursor = res.NextCursor
	}
	s.tools = tools
	return tools, nil
}

// ToolSchema returns a tool's input schema as JSON.
func ToolSchema(t mcp.Tool) json.RawMessage {
	if len(t.RawInputSchema) > 0 {
		return t.RawInputSchema
	}
	b, err := json.Marshal(t.InputSchema)
	if err != nil {
		return json.RawMessage(`{"type":"object"}`)
	}
	return b
}

// Call runs a tool and records the call. A transport failure (the server died, the context
// ended) is returned as an error; a tool error is an answer with isError set.
func (s *Session) Call(ctx context.Context, name string, args map[string]any) (answer string, isError bool, err error) {
	start := time.Now()
	res, callErr := s.c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
	if callErr != nil {
		answer, isError = "MCP call failed: "+callErr.Error(), true
		err = fmt.Errorf("call %s: %w", name, callErr)
	} else {
		var b strings.Builder
		for _, content := range res.Content {
			if tc, ok := content.(mcp.TextContent); ok {
				b.WriteString(tc.Text)
			}
		}
		answer, isError = b.String(), res.IsError
	}
	s.Record(transcript.ToolCall{Tool: name, Args: args, IsError: isError, Answer: answer,
		DurationMS: float64(time.Since(start).Microseconds()) / 1000})
	return answer, isError, err
}

// Record adds a call the consumer made (Call records its own; consumers record calls they
// could not relay, such as arguments that are not JSON).
func (s *Session) Record(c transcript.ToolCall) {
	c.Target = transcript.TargetOf(c.Tool, c.Args)
	c.Preview = !c.IsError && transcript.IsPreview(c.Answer)
	c.Answer = transcript.Clip(c.Answer)
	s.mu.Lock()
	c.Seq = len(s.calls) + 1
	s.calls = append(s.calls, c)
	turn := s.turn
	s.mu.Unlock()
	s.tr.Write(transcript.Entry{Type: transcript.TypeToolCall, Turn: turn, Call: &c})
}

// Calls returns every call recorded so far.
func (s *Session) Calls() []transcript.ToolCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]transcript.ToolCall(nil), s.calls...)
}

// Close ends the session and stops the server.
func (s *Session) Close() error { return s.c.Close() }
