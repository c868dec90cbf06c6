// Package fakemodel is a model endpoint for tests: it serves the Anthropic Messages API
// (POST /v1/messages) and the OpenAI chat completions API (POST /v1/chat/completions) over
// real HTTP on 127.0.0.1, and answers each request with the next turn of a script (tool calls,
// then a final text holding a report). It rejects what the real APIs reject (no tools offered
// for a scripted call, a tool result for an unknown call id, a tool call left unanswered,
// roles out of order, a wrong key), records every request so tests can assert the tool schemas
// sent and the tool results returned, and reports usage numbers so token counting is tested.
package fakemodel

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// Call is a tool call the model makes.
type Call struct {
	Name string
	Args map[string]any
}

// ToolResult is a tool result the consumer sent back.
type ToolResult struct {
	ID      string
	Name    string // the called tool (from the matching call)
	Content string
	IsError bool
}

// Turn is one model reply.
type Turn struct {
	Calls []Call
	// CallsFrom, when set, computes the calls from every tool result sent back so far (to
	// use an id the firewall gave an object created earlier).
	CallsFrom func(results []ToolResult) []Call
	Text      string
	// InputTokens and OutputTokens are the usage reported (defaults 100 and 10).
	InputTokens, OutputTokens int
}

// Options tune the endpoint.
type Options struct {
	// APIKey is required as x-api-key (Anthropic) or Bearer token (OpenAI) when set.
	APIKey string
	// ArgumentsAsObject makes chat completions send function arguments as a JSON object
	// instead of a string, as some OpenAI-compatible servers do.
	ArgumentsAsObject bool
	// SideRequests answers Messages API requests that offer no pfsense tool (the Claude Code
	// CLI's own small requests: titles, quota checks) with a short text, outside the script.
	SideRequests bool
}

// Request is a recorded request.
type Request struct {
	API  string          // "anthropic" or "openai"
	Body json.RawMessage // as received
	// Tools are the tool names offered, in order.
	Tools []string
	// Results are the tool results of the request's last message(s).
	Results []ToolResult
	Status  int // the status answered
	Error   string
}

// Server is a running fake endpoint.
type Server struct {
	URL  string
	opts Options
	srv  *http.Server
	ln   net.Listener

	mu       sync.Mutex
	script   []Turn
	requests []Request
	calls    map[string]string // call id -> tool name
	results  []ToolResult
}

// Start serves script on 127.0.0.1.
func Start(script []Turn, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String(), opts: opts, ln: ln, script: script, calls: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/messages", s.anthropic)
	mux.HandleFunc("POST /v1/chat/completions", s.openai)
	s.srv = &http.Server{Handler: mux}
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Results returns every tool result the consumer sent back, in order.
func (s *Server) Results() []ToolResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ToolResult(nil), s.results...)
}

func reject(format string, args ...any) error { return fmt.Errorf(format, args...) }

// turn returns the scripted reply number n (0-based) with its calls computed.
func (s *Server) turn(n int) (Turn, error) {
	if n >= len(s.script) {
		return Turn{}, fmt.Errorf("fake model: the script has %d turns and this is request %d", len(s.script), n+1)
	}
	t := s.script[n]
	if t.CallsFrom != nil {
		t.Calls = t.CallsFrom(append([]ToolResult(nil), s.results...))
	}
	if t.InputTokens == 0 {
		t.InputTokens = 100
	}
	if t.OutputTokens == 0 {
		t.OutputTokens = 10
	}
	return t, nil
}

func (s *Server) record(r Request, status int, err error) {
	r.Status = status
	if err != nil {
		r.Error = err.Error()
	}
	s.requests = append(s.requests, r)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// statusOf is 400 for requests a real API would reject and for script mistakes alike: a
// client retries 5xx, and a broken script should fail a test at once.
func statusOf(error) int { return http.StatusBadRequest }

// ---- Anthropic Messages API ----

type aMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type aBlock struct {
	Type      string          `json:"type"`
	Text      string          `json:"text,omitempty"`
	ID        string          `json:"id,omitempty"`
	Name      string          `json:"name,omitempty"`
	Input     json.RawMessage `json:"input,omitempty"`
	ToolUseID string          `json:"tool_use_id,omitempty"`
	Content   json.RawMessage `json:"content,omitempty"`
	IsError   bool            `json:"is_error,omitempty"`
}

type aRequest struct {
	Model     string     `json:"model"`
	MaxTokens int        `json:"max_tokens"`
	Messages  []aMessage `json:"messages"`
	Tools     []struct {
		Name        string          `json:"name"`
		InputSchema json.RawMessage `json:"input_schema"`
	} `json:"tools"`
	ToolChoice struct {
		Type string `json:"type"`
	} `json:"tool_choice"`
}

func blocksOf(raw json.RawMessage) []aBlock {
	var bs []aBlock
	if json.Unmarshal(raw, &bs) == nil {
		return bs
	}
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return []aBlock{{Type: "text", Text: text}}
	}
	return nil
}

func (s *Server) anthropic(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := Request{API: "anthropic", Body: body}
	if s.opts.SideRequests && !offersPfsenseTools(body) {
		rec.API = "anthropic-side"
		reply := map[string]any{"id": "msg_fake_side", "type": "message", "role": "assistant", "model": "fake",
			"content": []aBlock{{Type: "text", Text: "OK"}}, "stop_reason": "end_turn", "usage": map[string]any{"input_tokens": 0, "output_tokens": 0}}
		s.record(rec, http.StatusOK, nil)
		if strings.Contains(string(body), `"stream":true`) {
			writeSSE(w, reply)
			return
		}
		writeJSON(w, http.StatusOK, reply)
		return
	}
	reply, err := s.anthropicReply(r, body, &rec)
	if err != nil {
		status := statusOf(err)
		if strings.HasPrefix(err.Error(), "authentication") {
			status = http.StatusUnauthorized
		}
		s.record(rec, status, err)
		writeJSON(w, status, map[string]any{"type": "error", "error": map[string]any{"type": "invalid_request_error", "message": err.Error()}})
		return
	}
	s.record(rec, http.StatusOK, nil)
	var streamed struct {
		Stream bool `json:"stream"`
	}
	_ = json.Unmarshal(body, &streamed)
	if streamed.Stream {
		writeSSE(w, reply)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// writeSSE sends a reply as the Messages API's event stream (what the Claude Code CLI asks for).
func writeSSE(w http.ResponseWriter, reply map[string]any) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	event := func(name string, data any) {
		b, _ := json.Marshal(data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
	}
	usage := reply["usage"].(map[string]any)
	start := map[string]any{}
	for k, v := range reply {
		start[k] = v
	}
	start["content"] = []any{}
	start["stop_reason"] = nil
	start["stop_sequence"] = nil
	start["usage"] = map[string]any{"input_tokens": usage["input_tokens"], "output_tokens": 1}
	event("message_start", map[string]any{"type": "message_start", "message": start})
	for i, b := range reply["content"].([]aBlock) {
		switch b.Type {
		case "text":
			event("content_block_start", map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{"type": "text", "text": ""}})
			event("content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": map[string]any{"type": "text_delta", "text": b.Text}})
		case "tool_use":
			event("content_block_start", map[string]any{"type": "content_block_start", "index": i,
				"content_block": map[string]any{"type": "tool_use", "id": b.ID, "name": b.Name, "input": map[string]any{}}})
			event("content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": map[string]any{"type": "input_json_delta", "partial_json": string(b.Input)}})
		}
		event("content_block_stop", map[string]any{"type": "content_block_stop", "index": i})
	}
	event("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": reply["stop_reason"], "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": usage["output_tokens"]}})
	event("message_stop", map[string]any{"type": "message_stop"})
}

func (s *Server) anthropicReply(r *http.Request, body []byte, rec *Request) (map[string]any, error) {
	if s.opts.APIKey != "" && r.Header.Get("x-api-key") != s.opts.APIKey {
		return nil, errors.New("authentication_error: invalid x-api-key")
	}
	if r.Header.Get("anthropic-version") == "" {
		return nil, reject("anthropic-version: header is required")
	}
	var req aRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, reject("the body is not valid JSON: %v", err)
	}
	if req.Model == "" || req.MaxTokens <= 0 {
		return nil, reject("model and max_tokens are required")
	}
	offered := map[string]bool{}
	for _, t := range req.Tools {
		rec.Tools = append(rec.Tools, t.Name)
		var sch struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(t.InputSchema, &sch) != nil || sch.Type != "object" {
			return nil, reject("tools.%s.input_schema: must be a JSON schema of type object", t.Name)
		}
		offered[t.Name] = true
	}
	if len(req.Messages) == 0 || req.Messages[0].Role != "user" {
		return nil, reject("messages: the first message must use the user role")
	}
	assistants := 0
	for i, m := range req.Messages {
		want := "user"
		if i%2 == 1 {
			want = "assistant"
			assistants++
		}
		if m.Role != want {
			return nil, reject("messages.%d: roles must alternate between user and assistant", i)
		}
	}
	if req.Messages[len(req.Messages)-1].Role != "user" {
		return nil, reject("the last message must use the user role")
	}
	// Every tool_use of an assistant message needs a tool_result in the next message, and
	// every tool_result must answer one of them.
	for i := 1; i < len(req.Messages); i += 2 {
		pending := map[string]string{}
		for _, b := range blocksOf(req.Messages[i].Content) {
			if b.Type == "tool_use" {
				pending[b.ID] = b.Name
			}
		}
		if i+1 >= len(req.Messages) {
			break
		}
		last := i+1 == len(req.Messages)-1
		for _, b := range blocksOf(req.Messages[i+1].Content) {
			if b.Type != "tool_result" {
				continue
			}
			name, ok := pending[b.ToolUseID]
			if !ok {
				return nil, reject("messages.%d: unexpected tool_use_id %q in tool_result blocks: each tool_result block must have a corresponding tool_use block in the previous message", i+1, b.ToolUseID)
			}
			delete(pending, b.ToolUseID)
			if last {
				res := ToolResult{ID: b.ToolUseID, Name: plainName(name), Content: resultText(b.Content), IsError: b.IsError}
				rec.Results = append(rec.Results, res)
			}
		}
		if len(pending) > 0 {
			return nil, reject("messages.%d: tool_use ids were found without tool_result blocks immediately after: %v", i, keys(pending))
		}
	}
	s.results = append(s.results, rec.Results...)
	t, err := s.turn(assistants)
	if err != nil {
		return nil, err
	}
	if len(t.Calls) > 0 && req.ToolChoice.Type == "none" {
		return nil, fmt.Errorf("fake model: turn %d calls tools but the request says tool_choice none", assistants+1)
	}
	var content []aBlock
	if t.Text != "" {
		content = append(content, aBlock{Type: "text", Text: t.Text})
	}
	for i, c := range t.Calls {
		name, ok := offeredName(offered, c.Name)
		if !ok {
			return nil, fmt.Errorf("fake model: the script calls %s, which the request does not offer as a tool", c.Name)
		}
		id := fmt.Sprintf("toolu_fake_%d_%d", assistants+1, i+1)
		input, _ := json.Marshal(orEmpty(c.Args))
		content = append(content, aBlock{Type: "tool_use", ID: id, Name: name, Input: input})
	}
	stop := "end_turn"
	if len(t.Calls) > 0 {
		stop = "tool_use"
	}
	return map[string]any{
		"id": fmt.Sprintf("msg_fake_%d", assistants+1), "type": "message", "role": "assistant", "model": req.Model,
		"content": content, "stop_reason": stop,
		"usage": map[string]any{"input_tokens": t.InputTokens, "output_tokens": t.OutputTokens},
	}, nil
}

func resultText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []string
	for _, b := range blocksOf(raw) {
		if b.Type == "text" {
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// ---- OpenAI chat completions ----

type oMessage struct {
	Role       string          `json:"role"`
	Content    json.RawMessage `json:"content"`
	ToolCallID string          `json:"tool_call_id"`
	ToolCalls  []struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Function struct {
			Name      string          `json:"name"`
			Arguments json.RawMessage `json:"arguments"`
		} `json:"function"`
	} `json:"tool_calls"`
}

type oRequest struct {
	Model    string     `json:"model"`
	Messages []oMessage `json:"messages"`
	Tools    []struct {
		Type     string `json:"type"`
		Function struct {
			Name       string          `json:"name"`
			Parameters json.RawMessage `json:"parameters"`
		} `json:"function"`
	} `json:"tools"`
	ToolChoice any `json:"tool_choice"`
}

func (s *Server) openai(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := Request{API: "openai", Body: body}
	reply, err := s.openaiReply(r, body, &rec)
	if err != nil {
		status := statusOf(err)
		if strings.HasPrefix(err.Error(), "authentication") {
			status = http.StatusUnauthorized
		}
		s.record(rec, status, err)
		writeJSON(w, status, map[string]any{"error": map[string]any{"message": err.Error(), "type": "invalid_request_error"}})
		return
	}
	s.record(rec, http.StatusOK, nil)
	writeJSON(w, http.StatusOK, reply)
}

func (s *Server) openaiReply(r *http.Request, body []byte, rec *Request) (map[string]any, error) {
	if s.opts.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+s.opts.APIKey {
		return nil, errors.New("authentication: invalid bearer token")
	}
	var req oRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, reject("the body is not valid JSON: %v", err)
	}
	if req.Model == "" {
		return nil, reject("model is required")
	}
	offered := map[string]bool{}
	for _, t := range req.Tools {
		if t.Type != "function" {
			return nil, reject("tools: type must be function")
		}
		var sch struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(t.Function.Parameters, &sch) != nil || sch.Type != "object" {
			return nil, reject("tools.%s.parameters: must be a JSON schema of type object", t.Function.Name)
		}
		rec.Tools = append(rec.Tools, t.Function.Name)
		offered[t.Function.Name] = true
	}
	assistants := 0
	pending := map[string]string{}
	lastAssistant := -1
	for i, m := range req.Messages {
		switch m.Role {
		case "system", "user":
			if len(pending) > 0 {
				return nil, reject("messages.%d: an assistant message with tool_calls must be followed by tool messages responding to each tool_call_id (missing %v)", i, keys(pending))
			}
		case "assistant":
			if len(pending) > 0 {
				return nil, reject("messages.%d: tool calls %v were not answered", i, keys(pending))
			}
			assistants++
			lastAssistant = i
			for _, c := range m.ToolCalls {
				var str string
				if json.Unmarshal(c.Function.Arguments, &str) != nil {
					return nil, reject("messages.%d.tool_calls: function.arguments must be a string", i)
				}
				pending[c.ID] = c.Function.Name
			}
		case "tool":
			name, ok := pending[m.ToolCallID]
			if !ok {
				return nil, reject("messages.%d: tool_call_id %q does not answer a tool call of the preceding assistant message", i, m.ToolCallID)
			}
			delete(pending, m.ToolCallID)
			if lastAssistant == lastIndexOfRole(req.Messages, "assistant") {
				var text string
				_ = json.Unmarshal(m.Content, &text)
				rec.Results = append(rec.Results, ToolResult{ID: m.ToolCallID, Name: name, Content: text, IsError: strings.HasPrefix(text, "ERROR:")})
			}
		default:
			return nil, reject("messages.%d: unknown role %q", i, m.Role)
		}
	}
	if len(pending) > 0 {
		return nil, reject("tool calls %v were not answered", keys(pending))
	}
	s.results = append(s.results, rec.Results...)
	t, err := s.turn(assistants)
	if err != nil {
		return nil, err
	}
	if len(t.Calls) > 0 && req.ToolChoice == "none" {
		return nil, fmt.Errorf("fake model: turn %d calls tools but the request says tool_choice none", assistants+1)
	}
	msg := map[string]any{"role": "assistant", "content": nil}
	if t.Text != "" {
		msg["content"] = t.Text
	}
	var calls []any
	for i, c := range t.Calls {
		if _, ok := offeredName(offered, c.Name); !ok {
			return nil, fmt.Errorf("fake model: the script calls %s, which the request does not offer as a tool", c.Name)
		}
		argBytes, _ := json.Marshal(orEmpty(c.Args))
		var args any = string(argBytes)
		if s.opts.ArgumentsAsObject {
			args = json.RawMessage(argBytes)
		}
		calls = append(calls, map[string]any{"id": fmt.Sprintf("call_fake_%d_%d", assistants+1, i+1), "type": "function",
			"function": map[string]any{"name": c.Name, "arguments": args}})
	}
	finish := "stop"
	if len(calls) > 0 {
		msg["tool_calls"] = calls
		finish = "tool_calls"
	}
	return map[string]any{
		"id": fmt.Sprintf("chatcmpl-fake-%d", assistants+1), "object": "chat.completion", "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}},
		"usage":   map[string]any{"prompt_tokens": t.InputTokens, "completion_tokens": t.OutputTokens, "total_tokens": t.InputTokens + t.OutputTokens},
	}, nil
}

// offersPfsenseTools says whether a Messages API request offers any pfsense tool.
func offersPfsenseTools(body []byte) bool {
	var req struct {
		Tools []struct {
			Name string `json:"name"`
		} `json:"tools"`
	}
	_ = json.Unmarshal(body, &req)
	for _, t := range req.Tools {
		if strings.Contains(t.Name, "pfsense_") {
			return true
		}
	}
	return false
}

// offeredName finds the offered tool for a scripted name: the same name, or the name under a
// client's prefix (Claude Code offers mcp__pfsense__pfsense_overview).
func offeredName(offered map[string]bool, name string) (string, bool) {
	if offered[name] {
		return name, true
	}
	for o := range offered {
		if strings.HasSuffix(o, "__"+name) {
			return o, true
		}
	}
	return "", false
}

// plainName drops a client's prefix from a tool name.
func plainName(name string) string {
	if i := strings.LastIndex(name, "__"); i >= 0 {
		return name[i+2:]
	}
	return name
}

func lastIndexOfRole(ms []oMessage, role string) int {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Role == role {
			return i
		}
	}
	return -1
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
