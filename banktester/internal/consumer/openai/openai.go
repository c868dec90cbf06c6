// Package openai is the consumer for any OpenAI-compatible chat completions endpoint with
// tools (ollama, vLLM, llama.cpp's server, OpenAI itself). The bank tester offers the MCP
// server's tools as functions, relays every tool call to the server and answers with "tool"
// messages. It copes with the usual differences between servers: arguments as a JSON string
// or as an object, missing call ids, "functions." name prefixes, and models that answer in
// plain text without calling any tool.
package openai

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

// Consumer runs tasks through chat completions.
type Consumer struct {
	BaseURL   string // e.g. http://127.0.0.1:11434 (ollama) or https://api.openai.com
	APIKey    string // sent as a bearer token when set
	ModelName string
	MaxTurns  int
	MaxTokens int
	Client    *apiclient.Client
}

// Name implements consumer.Consumer.
func (c *Consumer) Name() string { return "openai" }

// Model implements consumer.Consumer.
func (c *Consumer) Model() string { return c.ModelName }

// Function is a tool in the chat completions format.
type Function struct {
	Type     string `json:"type"`
	Function struct {
		Name        string          `json:"name"`
		Description string          `json:"description,omitempty"`
		Parameters  json.RawMessage `json:"parameters"`
	} `json:"function"`
}

// Message is a chat message.
type Message struct {
	Role       string     `json:"role"`
	Content    *string    `json:"content"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
	Name       string     `json:"name,omitempty"`
}

// ToolCall is a function call of the model.
type ToolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name string `json:"name"`
		// Arguments is a JSON string in the OpenAI API; some servers send an object.
		Arguments json.RawMessage `json:"arguments"`
	} `json:"function"`
}

type request struct {
	Model      string     `json:"model"`
	Messages   []Message  `json:"messages"`
	Tools      []Function `json:"tools,omitempty"`
	ToolChoice string     `json:"tool_choice,omitempty"`
	MaxTokens  int        `json:"max_tokens,omitempty"`
}

// Response is the part of a chat completions answer the consumer uses.
type Response struct {
	Choices []struct {
		Message      Message `json:"message"`
		FinishReason string  `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// Functions converts the MCP server's tools.
func Functions(tools []mcp.Tool) []Function {
	var out []Function
	for _, t := range tools {
		var f Function
		f.Type = "function"
		f.Function.Name = t.Name
		f.Function.Description = t.Description
		f.Function.Parameters = mcpsession.ToolSchema(t)
		out = append(out, f)
	}
	return out
}

// Endpoint returns the chat completions URL for a base URL with or without /v1.
func Endpoint(base string) string {
	base = strings.TrimSuffix(base, "/")
	if strings.HasSuffix(base, "/v1") {
		return base + "/chat/completions"
	}
	return base + "/v1/chat/completions"
}

func ptr(s string) *string { return &s }

// Run implements consumer.Consumer.
func (c *Consumer) Run(ctx context.Context, job consumer.Job) (out consumer.Outcome, err error) {
	s, err := job.Connect(ctx)
	if err != nil {
		return out, err
	}
	defer s.Close()
	defer func() { out.Calls = s.Calls() }()
	maxTurns := c.MaxTurns
	if maxTurns <= 0 {
		maxTurns = 60
	}
	client := c.Client
	if client == nil {
		client = &apiclient.Client{}
	}
	headers := map[string]string{}
	if c.APIKey != "" {
		headers["Authorization"] = "Bearer " + c.APIKey
	}
	tools, err := s.Tools(ctx)
	if err != nil {
		return out, err
	}
	req := request{
		Model: c.ModelName,
		Messages: []Message{
			{Role: "system", Content: ptr(job.SystemPrompt)},
			{Role: "user", Content: ptr(job.Task.Prompt())},
		},
		Tools:     Functions(tools),
		MaxTokens: c.MaxTokens,
	}
	out.ToolsOffered = len(req.Tools)
	var texts []string
	for turn := 1; ; turn++ {
		last := turn > maxTurns
		if last {
			req.ToolChoice = "none"
			req.Messages = append(req.Messages, Message{Role: "user", Content: ptr(fmt.Sprintf("You have used all %d turns. Do not call any more tools: write your report now.", maxTurns))})
		}
		var resp Response
		if err := client.PostJSON(ctx, Endpoint(c.BaseURL), headers, req, &resp); err != nil {
			out.Text = strings.Join(texts, "\n")
			return out, fmt.Errorf("chat completions, turn %d: %w", turn, err)
		}
		out.Turns = turn
		u := transcript.Usage{InputTokens: resp.Usage.PromptTokens, OutputTokens: resp.Usage.CompletionTokens, Requests: 1}
		out.Usage.Add(u)
		job.Transcript.Write(transcript.Entry{Type: transcript.TypeUsage, Turn: turn, Usage: &u})
		if len(resp.Choices) == 0 {
			out.Text = strings.Join(texts, "\n")
			return out, fmt.Errorf("chat completions, turn %d: the answer has no choices", turn)
		}
		msg := resp.Choices[0].Message
		out.StopReason = resp.Choices[0].FinishReason
		if msg.Content != nil && strings.TrimSpace(*msg.Content) != "" {
			texts = append(texts, *msg.Content)
			out.Final = *msg.Content
			job.Transcript.Write(transcript.Entry{Type: transcript.TypeAssistant, Turn: turn, Text: *msg.Content})
		}
		// Echo the assistant message in the canonical form: ids present, arguments as strings.
		calls := normalize(msg.ToolCalls, turn)
		echo := Message{Role: "assistant", Content: msg.Content, ToolCalls: calls}
		if echo.Content == nil && len(calls) == 0 {
			echo.Content = ptr("")
		}
		req.Messages = append(req.Messages, echo)
		if len(calls) == 0 || last {
			break
		}
		s.SetTurn(turn)
		for _, call := range calls {
			req.Messages = append(req.Messages, relay(ctx, s, call))
		}
		if ctx.Err() != nil {
			out.Text = strings.Join(texts, "\n")
			return out, ctx.Err()
		}
	}
	out.Text = strings.Join(texts, "\n")
	return out, nil
}

// normalize gives every call an id, a plain name, and its arguments as a JSON string.
func normalize(calls []ToolCall, turn int) []ToolCall {
	out := make([]ToolCall, len(calls))
	for i, c := range calls {
		if c.ID == "" {
			c.ID = fmt.Sprintf("call_%d_%d", turn, i+1)
		}
		c.Type = "function"
		c.Function.Name = strings.TrimPrefix(c.Function.Name, "functions.")
		args := strings.TrimSpace(string(c.Function.Arguments))
		var inner string
		if args == "" || args == "null" || (json.Unmarshal([]byte(args), &inner) == nil && strings.TrimSpace(inner) == "") {
			args = `"{}"`
		}
		if !strings.HasPrefix(args, `"`) {
			// An object instead of a string: re-encode as a string.
			b, _ := json.Marshal(args)
			args = string(b)
		}
		c.Function.Arguments = json.RawMessage(args)
		out[i] = c
	}
	return out
}

// relay runs one call through the MCP session and returns the "tool" message answering it.
func relay(ctx context.Context, s *mcpsession.Session, call ToolCall) Message {
	var argText string
	_ = json.Unmarshal(call.Function.Arguments, &argText)
	var args map[string]any
	if strings.TrimSpace(argText) != "" {
		if err := json.Unmarshal([]byte(argText), &args); err != nil {
			msg := fmt.Sprintf("ERROR: the arguments are not a JSON object (%v): %s", err, clipArgs(argText))
			s.Record(transcript.ToolCall{Tool: call.Function.Name, IsError: true, Answer: msg, NotRelayed: true})
			return Message{Role: "tool", ToolCallID: call.ID, Name: call.Function.Name, Content: ptr(msg)}
		}
	}
	answer, isError, _ := s.Call(ctx, call.Function.Name, args)
	if isError {
		answer = "ERROR: " + answer
	}
	if answer == "" {
		answer = "(empty answer)"
	}
	return Message{Role: "tool", ToolCallID: call.ID, Name: call.Function.Name, Content: ptr(answer)}
}

func clipArgs(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
