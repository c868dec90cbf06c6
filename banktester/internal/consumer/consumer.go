// Package consumer defines what an AI consumer (or the scripted stand-in) is to the bank
// tester: something that runs one task against the MCP server and returns what it wrote, the
// tool calls it made and the tokens it used.
package consumer

import (
	"context"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/mcpsession"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// Consumer runs tasks.
type Consumer interface {
	// Name is the consumer's kind (claude-code, anthropic, openai, scripted).
	Name() string
	// Model is the model it uses ("" for the scripted consumer).
	Model() string
	// Run does one task. On error the Outcome holds what happened before it.
	Run(ctx context.Context, job Job) (Outcome, error)
}

// Job is one task to run.
type Job struct {
	Task *task.Task
	// SystemPrompt is the tester prompt (rules and report format).
	SystemPrompt string
	// Server says how to start the MCP server for this task (its environment points at the
	// worker's firewall). Consumers that speak MCP themselves (the Claude Code CLI) start it;
	// the others call Connect.
	Server mcpsession.Server
	// Connect starts the server and returns a session that records every call.
	Connect func(ctx context.Context) (*mcpsession.Session, error)
	// Transcript records the conversation.
	Transcript *transcript.Writer
	// ToolMode is the server's tool mode (full or discovery).
	ToolMode string
	// ScratchDir is a private directory for files the consumer needs (never the results
	// folder: an MCP config file holds the firewall's API key).
	ScratchDir string
}

// Outcome is what a task produced.
type Outcome struct {
	// Text is everything the model wrote, in order; the report is parsed from it.
	Text string
	// Final is the model's last message.
	Final string
	Usage transcript.Usage
	Turns int
	// Calls are the tool calls, as relayed (or as the CLI reported them).
	Calls []transcript.ToolCall
	// StopReason says why the conversation ended (end_turn, max_turns, ...).
	StopReason string
	ExitCode   int
	// ToolsOffered is how many tools the consumer offered the model.
	ToolsOffered int
}
