// Package transcript records what happened in a task as JSON lines (messages, tool calls and
// their answers, usage, errors) and defines the tool-call record every consumer produces, so
// the results are computed the same way whoever made the calls.
package transcript

import (
	"github.com/pfsense-mcp/pfsense-mcp/server/discovery"

	"encoding/json"
	"io"
	"strings"
	"sync"
	"time"
)

// Entry types.
const (
	TypeSystem     = "system"      // the tester prompt and session facts (tools offered, mode).
	TypeUser       = "user"        // a user message (the task).
	TypeAssistant  = "assistant"   // the model's text.
	TypeToolCall   = "tool_call"   // a tool call and its answer.
	TypeUsage      = "usage"       // tokens of one model request.
	TypeError      = "error"       // something went wrong outside the model's control.
	TypeConsumer   = "consumer"    // raw consumer output (e.g. a stream-json line).
	TypeStepResult = "step_result" // the scripted consumer's verdict on a step.
)

// Entry is one line of a transcript.
type Entry struct {
	Time    time.Time       `json:"time"`
	Type    string          `json:"type"`
	Turn    int             `json:"turn,omitempty"`
	Text    string          `json:"text,omitempty"`
	Call    *ToolCall       `json:"call,omitempty"`
	Usage   *Usage          `json:"usage,omitempty"`
	Raw     json.RawMessage `json:"raw,omitempty"`
	Details map[string]any  `json:"details,omitempty"`
}

// ToolCall is one tool call as relayed to (or, for the CLI, seen going to) the MCP server.
type ToolCall struct {
	Seq  int    `json:"seq"`
	Tool string `json:"tool"` // the name called; a call tool in discovery mode.
	// Target is the tool that ran: the inner tool of a discovery call tool, else Tool.
	Target     string         `json:"target"`
	Args       map[string]any `json:"args,omitempty"`
	IsError    bool           `json:"is_error"`
	Preview    bool           `json:"preview,omitempty"` // a mutation answered with a preview.
	Answer     string         `json:"answer,omitempty"`
	DurationMS float64        `json:"duration_ms"`
	// NotRelayed marks calls the consumer could not pass on (e.g. arguments that are not JSON):
	// they count as failed calls of the model.
	NotRelayed bool `json:"not_relayed,omitempty"`
}

// Usage counts tokens.
type Usage struct {
	InputTokens              int `json:"input_tokens"`
	OutputTokens             int `json:"output_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens,omitempty"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens,omitempty"`
	Requests                 int `json:"requests"`
}

// Add adds o to u.
func (u *Usage) Add(o Usage) {
	u.InputTokens += o.InputTokens
	u.OutputTokens += o.OutputTokens
	u.CacheCreationInputTokens += o.CacheCreationInputTokens
	u.CacheReadInputTokens += o.CacheReadInputTokens
	u.Requests += o.Requests
}

// TargetOf returns the tool that runs when name is called with args: the inner tool of a
// discovery-mode call tool, else name.
func TargetOf(name string, args map[string]any) string {
	if discovery.IsCall(name) {
		if inner, ok := args["name"].(string); ok && inner != "" {
			return inner
		}
	}
	return name
}

// IsPreview says whether an answer is a mutation's preview.
func IsPreview(answer string) bool {
	if !strings.Contains(answer, `"preview":true`) {
		return false
	}
	var v struct {
		Preview bool `json:"preview"`
	}
	return json.Unmarshal([]byte(answer), &v) == nil && v.Preview
}

// MaxAnswer bounds the answer kept in a tool-call record.
const MaxAnswer = 4000

// Clip shortens s to MaxAnswer bytes.
func Clip(s string) string {
	if len(s) <= MaxAnswer {
		return s
	}
	return s[:MaxAnswer] + "...[clipped]"
}

// Writer appends entries to a JSONL stream; safe for concurrent use. A nil Writer discards.
type Writer struct {
	mu  sync.Mutex
	enc *json.Encoder
	now func() time.Time
}

// New writes entries to w.
func New(w io.Writer) *Writer {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &Writer{enc: enc, now: time.Now}
}

// Write appends e (its Time is set when zero).
func (w *Writer) Write(e Entry) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if e.Time.IsZero() {
		e.Time = w.now()
	}
	_ = w.enc.Encode(e)
}
