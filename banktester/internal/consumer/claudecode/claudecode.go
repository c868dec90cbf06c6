// Package claudecode is the consumer that runs the Claude Code CLI on a task, as the existing
// bank tester does:
//
//	claude -p --mcp-config <file> --strict-mcp-config --permission-mode bypassPermissions
//	  --output-format stream-json --verbose --append-system-prompt <tester prompt> <task>
//
// plus --allowedTools mcp__pfsense, which alone allows the pfsense tools where the CLI refuses
// bypassPermissions (as root). The CLI starts the MCP server itself (from an MCP config holding
// the worker's environment), so the bank tester cannot relay the calls; it reads them, the
// usage and the final text from the stream-json output instead.
package claudecode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// DisallowedTools are Claude Code's own tools, refused so that the model uses only the
// pfsense tools (rule 1 of the tester prompt).
var DisallowedTools = []string{"Bash", "Edit", "Write", "NotebookEdit", "Read", "Glob", "Grep",
	"WebFetch", "WebSearch", "Task", "TodoWrite"}

// Consumer runs the CLI.
type Consumer struct {
	Bin       string // the claude executable
	ModelName string // --model; "" lets the CLI choose
	BaseURL   string // ANTHROPIC_BASE_URL for the CLI; "" keeps its default
	MaxTurns  int
	// Env is added to the CLI's environment (tests use it for the fake API's key).
	Env []string
}

// Name implements consumer.Consumer.
func (c *Consumer) Name() string { return "claude-code" }

// Model implements consumer.Consumer.
func (c *Consumer) Model() string { return c.ModelName }

// MCPConfig is the --mcp-config file's content for a server.
func MCPConfig(bin string, env []string) ([]byte, error) {
	envMap := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		envMap[k] = v
	}
	cfg := map[string]any{"mcpServers": map[string]any{"pfsense": map[string]any{
		"type": "stdio", "command": bin, "args": []string{}, "env": envMap,
	}}}
	return json.MarshalIndent(cfg, "", "  ")
}

// PermissionMode is bypassPermissions, as the existing bank tester runs the CLI, except as
// root, where the CLI refuses it: there the pfsense tools are allowed by --allowedTools alone
// (which is all the tasks need; in print mode anything else is denied without asking).
func PermissionMode(euid int) string {
	if euid == 0 {
		return "default"
	}
	return "bypassPermissions"
}

// Args returns the CLI's arguments for a task.
func (c *Consumer) Args(configPath, systemPrompt, taskPrompt string) []string {
	args := []string{"-p", "--mcp-config", configPath, "--strict-mcp-config", "--permission-mode", PermissionMode(os.Geteuid()),
		"--allowedTools", "mcp__pfsense",
		"--output-format", "stream-json", "--verbose", "--append-system-prompt", systemPrompt,
		"--disallowedTools", strings.Join(DisallowedTools, ",")}
	if c.ModelName != "" {
		args = append(args, "--model", c.ModelName)
	}
	if c.MaxTurns > 0 {
		args = append(args, "--max-turns", strconv.Itoa(c.MaxTurns))
	}
	return append(args, taskPrompt)
}

// Run implements consumer.Consumer.
func (c *Consumer) Run(ctx context.Context, job consumer.Job) (consumer.Outcome, error) {
	var out consumer.Outcome
	bin, err := exec.LookPath(c.Bin)
	if err != nil {
		return out, fmt.Errorf("the Claude Code CLI %q is not installed (npm install -g @anthropic-ai/claude-code): %w", c.Bin, err)
	}
	cfg, err := MCPConfig(job.Server.Bin, job.Server.Env)
	if err != nil {
		return out, err
	}
	// The config holds the firewall's API key: scratch space only, owner-readable.
	cfgPath := filepath.Join(job.ScratchDir, "mcp-config.json")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		return out, fmt.Errorf("write MCP config: %w", err)
	}
	cmd := exec.Command(bin, c.Args(cfgPath, job.SystemPrompt, job.Task.Prompt())...)
	cmd.Dir = job.ScratchDir
	cmd.Env = cliEnv(os.Environ(), c.BaseURL, c.Env)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return out, err
	}
	var stderr strings.Builder
	cmd.Stderr = &limitedWriter{w: &stderr, n: 64 << 10}
	if err := cmd.Start(); err != nil {
		return out, fmt.Errorf("start %s: %w", bin, err)
	}
	// Stop the whole process group (the CLI and the MCP server it started) when the task ends.
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			}
		case <-done:
		}
	}()
	st, perr := ParseStream(stdout, func(raw []byte) {
		job.Transcript.Write(transcript.Entry{Type: transcript.TypeConsumer, Raw: json.RawMessage(raw)})
	})
	werr := cmd.Wait()
	close(done)

	out.Calls = st.Calls
	out.Usage = st.Usage
	out.Turns = st.Turns
	out.StopReason = st.ResultSubtype
	out.ToolsOffered = st.ToolsOffered
	texts := append([]string(nil), st.Texts...)
	if st.Result != "" && (len(texts) == 0 || texts[len(texts)-1] != st.Result) {
		texts = append(texts, st.Result)
	}
	out.Text = strings.Join(texts, "\n")
	out.Final = st.Result
	if out.Final == "" && len(texts) > 0 {
		out.Final = texts[len(texts)-1]
	}
	for _, t := range texts {
		job.Transcript.Write(transcript.Entry{Type: transcript.TypeAssistant, Text: t})
	}
	for i := range out.Calls {
		job.Transcript.Write(transcript.Entry{Type: transcript.TypeToolCall, Call: &out.Calls[i]})
	}
	var exitErr *exec.ExitError
	switch {
	case errors.As(werr, &exitErr):
		out.ExitCode = exitErr.ExitCode()
	case werr != nil:
		out.ExitCode = -1
	}
	if ctx.Err() != nil {
		return out, ctx.Err()
	}
	if perr != nil {
		return out, fmt.Errorf("read the CLI's stream-json: %w", perr)
	}
	if st.MCPStatus != "" && st.MCPStatus != "connected" {
		return out, fmt.Errorf("the CLI could not use the MCP server (status %q); server.log may say why", st.MCPStatus)
	}
	if werr != nil && st.Result == "" {
		return out, fmt.Errorf("the CLI exited with %v: %s", werr, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// cliEnv is the CLI's environment: the user's (it needs HOME, PATH and its credentials)
// without PFSENSE_* variables, which must not reach the MCP server it starts.
func cliEnv(base []string, baseURL string, extra []string) []string {
	var env []string
	for _, kv := range base {
		if strings.HasPrefix(kv, "PFSENSE_") || (baseURL != "" && strings.HasPrefix(kv, "ANTHROPIC_BASE_URL=")) {
			continue
		}
		env = append(env, kv)
	}
	if baseURL != "" {
		env = append(env, "ANTHROPIC_BASE_URL="+baseURL)
	}
	return append(env, extra...)
}

type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n <= 0 {
		return len(p), nil
	}
	q := p
	if len(q) > l.n {
		q = q[:l.n]
	}
	l.n -= len(q)
	_, err := l.w.Write(q)
	return len(p), err
}
