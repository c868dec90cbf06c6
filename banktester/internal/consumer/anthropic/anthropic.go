// Package anthropic is the consumer that talks to the Anthropic Messages API with tool use:
// the bank tester lists the MCP server's tools as Anthropic tools, relays every tool_use block
// to the server and sends the answers back as tool_result blocks, until the model ends its
// turn or the turn limit is reached.
package anthropic

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/apiclient"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/mcpsession"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// APIVersion is the anthropic-version header sent.
const APIVersion = "2023-06-01"

// Consumer runs tasks through the Messages API.
type Consumer struct {
	BaseURL   string // e.g. https://api.anthropic.com
	APIKey    string
	ModelName string
	MaxTurns  int // model requests per task before it is asked for its report (default 60)
	MaxTokens int // max_tokens per reply (default 4096)
	Client    *apiclient.Client
}

// Name implements consumer.Consumer.
func (c *Consumer) Name() string { return "anthropic" }

// Model implements consumer.Consumer.
func (c *Consumer) Model() string { return c.ModelName }

// Tool is an Anthropic tool definition.
type Tool struct {
	Name         string          `json:"name"`
	Description  string          `json:"description,omitempty"`
	InputSchema  json.RawMessage `json:"input_schema"`
	CacheControl *cacheControl   `json:"cache_control,omitempty"`
}

type cacheControl struct {
	Type string `json:"type"`
}

type message struct {
	Role    string `json:"role"`
	Content any    `json:"content"` // a string, or content blocks
}

type request struct {
	Model      string         `json:"model"`
	MaxTokens  int            `json:"max_tokens"`
	System     []textBlock    `json:"system,omitempty"`
	Tools      []Tool         `json:"tools,omitempty"`
	ToolChoice map[string]any `json:"tool_choice,omitempty"`
	Messages   []message      `json:"messages"`
}

type textBlock struct {
	Type         string        `json:"type"`
	Text         string        `json:"text"`
	CacheControl *cacheControl `json:"cache_control,omitempty"`
}

type toolResult struct {
	Type      string `json:"type"`
	ToolUseID string `json:"tool_use_id"`
	Content   string `json:"content"`
	IsError   bool   `json:"is_error,omitempty"`
}

// Response is the part of a Messages API answer the consumer uses.
type Response struct {
	Content    []json.RawMessage `json:"content"`
	StopReason string            `json:"stop_reason"`
	Usage      struct {
		InputTokens              int `json:"input_tokens"`
		OutputTokens             int `json:"output_tokens"`
		CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
		CacheReadInputTokens     int `json:"cache_read_input_tokens"`
	} `json:"usage"`
}

type block struct {
	Type  string          `json:"type"`
	Text  string          `json:"text"`
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
}

// Tools converts the MCP server's tools. The last carries a cache breakpoint: the tool list
// is the same on every request, so it is read from the prompt cache after the first.
func Tools(tools []mcp.Tool) []Tool {
	var out []Tool
	for _, t := range tools {
		out = append(out, Tool{Name: t.Name, Description: t.Description, InputSchema: mcpsession.ToolSchema(t)})
	}
	if len(out) > 0 {
		out[len(out)-1].CacheControl = &cacheControl{Type: "ephemeral"}
	}
	return out
}

// Run implements consumer.Consumer.
func (c *Consumer) Run(ctx context.Context, job consumer.Job) (out consumer.Outcome, err error) {
	s, err := job.Connect(ctx)
	if err != nil {
		return out, err
	}
	defer s.Close()
	defer func() { out.Calls = s.Calls() }()

	maxTurns, maxTokens := c.MaxTurns, c.MaxTokens
	if maxTurns <= 0 {
		maxTurns = 60
	}
	if maxTokens <= 0 {
		maxTokens = 4096
	}
	client := c.Client
	if client == nil {
		client = &apiclient.Client{}
	}
	url := strings.TrimSuffix(c.BaseURL, "/") + "/v1/messages"
	headers := map[string]string{"x-api-key": c.APIKey, "anthropic-version": APIVersion}

	tools, err := s.Tools(ctx)
	if err != nil {
		return out, err
	}
	req := request{
		Model:     c.ModelName,
		MaxTokens: maxTokens,
		System:    []textBlock{{Type: "text", Text: job.SystemPrompt, CacheControl: &cacheControl{Type: "ephemeral"}}},
		Tools:     Tools(tools),
		Messages:  []message{{Role: "user", Content: job.Task.Prompt()}},
	}
	out.ToolsOffered = len(req.Tools)
	var texts []string
	for turn := 1; ; turn++ {
		last := turn > maxTurns
		if last {
			// Out of turns: no more tools, ask for the report.
			req.ToolChoice = map[string]any{"type": "none"}
			appendText(&req, fmt.Sprintf("You have used all %d turns. Do not call any more tools: write your report now.", maxTurns))
		}
		var resp Response
		if err := client.PostJSON(ctx, url, headers, req, &resp); err != nil {
			out.Text = strings.Join(texts, "\n")
			return out, fmt.Errorf("messages API, turn %d: %w", turn, err)
		}
		out.Turns = turn
		u := transcript.Usage{InputTokens: resp.Usage.InputTokens, OutputTokens: resp.Usage.OutputTokens,
			CacheCreationInputTokens: resp.Usage.CacheCreationInputTokens, CacheReadInputTokens: resp.Usage.CacheReadInputTokens, Requests: 1}
		out.Usage.Add(u)
		job.Transcript.Write(transcript.Entry{Type: transcript.TypeUsage, Turn: turn, Usage: &u})
		out.StopReason = resp.StopReason
		req.Messages = append(req.Messages, message{Role: "assistant", Content: resp.Content})

		var uses []block
		var turnText []string
		for _, raw := range resp.Content {
			var b block
			if err := json.Unmarshal(raw, &b); err != nil {
				continue
			}
			switch b.Type {
			case "text":
				turnText = append(turnText, b.Text)
			case "tool_use":
				uses = append(uses, b)
			}
		}
		if len(turnText) > 0 {
			t := strings.Join(turnText, "\n")
			texts = append(texts, t)
			out.Final = t
			job.Transcript.Write(transcript.Entry{Type: transcript.TypeAssistant, Turn: turn, Text: t})
		}
		if len(uses) == 0 || last {
			break
		}
		s.SetTurn(turn)
		var results []any
		for _, u := range uses {
			results = append(results, relay(ctx, s, u))
		}
		req.Messages = append(req.Messages, message{Role: "user", Content: results})
		if ctx.Err() != nil {
			out.Text = strings.Join(texts, "\n")
			return out, ctx.Err()
		}
	}
	out.Text = strings.Join(texts, "\n")
	return out, nil
}

// relay runs one tool_use through the MCP session and returns its tool_result block.
func relay(ctx context.Context, s *mcpsession.Session, u block) toolResult {
	var args map[string]any
	if len(u.Input) > 0 && string(u.Input) != "null" {
		if err := json.Unmarshal(u.Input, &args); err != nil {
			msg := fmt.Sprintf("the tool input is not a JSON object: %v", err)
			s.Record(transcript.ToolCall{Tool: u.Name, IsError: true, Answer: msg, NotRelayed: true})
			return toolResult{Type: "tool_result", ToolUseID: u.ID, Content: msg, IsError: true}
		}
	}
	answer, isError, _ := s.Call(ctx, u.Name, args)
	if answer == "" {
		answer = "(empty answer)"
	}
	return toolResult{Type: "tool_result", ToolUseID: u.ID, Content: answer, IsError: isError}
}

// appendText adds a text block to the last user message (which holds the tool results), or a
// new user message.
func appendText(req *request, text string) {
	n := len(req.Messages)
	if n > 0 && req.Messages[n-1].Role == "user" {
		if blocks, ok := req.Messages[n-1].Content.([]any); ok {
			req.Messages[n-1].Content = append(blocks, textBlock{Type: "text", Text: text})
			return
		}
	}
	req.Messages = append(req.Messages, message{Role: "user", Content: text})
}
