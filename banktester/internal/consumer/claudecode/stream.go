package claudecode

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// ToolPrefix is how Claude Code names the tools of the MCP server called "pfsense".
const ToolPrefix = "mcp__pfsense__"

// Stream is what a `claude -p --output-format stream-json --verbose` run printed.
type Stream struct {
	Texts []string // the assistant's text blocks, in order
	// Result is the final text of the result line.
	Result string
	// ResultSubtype is success, error_max_turns, error_during_execution, ...
	ResultSubtype string
	IsError       bool
	Turns         int
	Usage         transcript.Usage
	Calls         []transcript.ToolCall
	// MCPStatus is the pfsense server's status in the init line (connected, failed, ...).
	MCPStatus string
	// ToolsOffered counts the pfsense tools the CLI listed in its init line.
	ToolsOffered int
	// Unparsed counts lines that were not JSON.
	Unparsed int
}

type line struct {
	Type       string          `json:"type"`
	Subtype    string          `json:"subtype"`
	Message    json.RawMessage `json:"message"`
	Result     string          `json:"result"`
	IsError    bool            `json:"is_error"`
	NumTurns   int             `json:"num_turns"`
	Usage      *usage          `json:"usage"`
	Tools      []string        `json:"tools"`
	MCPServers []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	} `json:"mcp_servers"`
}

type usage struct {
	InputTokens              int `json:"input_tokens"`
	OutputTokens             int `json:"output_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
}

type apiMessage struct {
	ID      string          `json:"id"`
	Content json.RawMessage `json:"content"`
	Usage   *usage          `json:"usage"`
}

type contentBlock struct {
	Type      string          `json:"type"`
	Text      string          `json:"text"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"`
	IsError   bool            `json:"is_error"`
}

// ParseStream reads stream-json lines. Every line is passed to onLine (for the transcript).
// Tool calls are matched with their results by id; usage comes from the result line, or, when
// the run ended without one, from the assistant messages (each message id counted once:
// the CLI repeats a message's usage on every content block it prints separately).
func ParseStream(r io.Reader, onLine func(raw []byte)) (*Stream, error) {
	st := &Stream{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	pending := map[string]transcript.ToolCall{}
	var order []string
	msgUsage := map[string]usage{}
	var msgOrder []string
	sawResult := false
	for sc.Scan() {
		raw := sc.Bytes()
		if len(strings.TrimSpace(string(raw))) == 0 {
			continue
		}
		if onLine != nil {
			onLine(append([]byte(nil), raw...))
		}
		var l line
		if err := json.Unmarshal(raw, &l); err != nil {
			st.Unparsed++
			continue
		}
		switch l.Type {
		case "system":
			if l.Subtype != "init" {
				continue
			}
			for _, s := range l.MCPServers {
				if s.Name == "pfsense" {
					st.MCPStatus = s.Status
				}
			}
			for _, t := range l.Tools {
				if strings.HasPrefix(t, ToolPrefix) {
					st.ToolsOffered++
				}
			}
		case "assistant":
			var m apiMessage
			if json.Unmarshal(l.Message, &m) != nil {
				continue
			}
			if m.Usage != nil {
				if _, seen := msgUsage[m.ID]; !seen {
					msgOrder = append(msgOrder, m.ID)
				}
				msgUsage[m.ID] = *m.Usage
			}
			for _, b := range blocks(m.Content) {
				switch b.Type {
				case "text":
					if strings.TrimSpace(b.Text) != "" {
						st.Texts = append(st.Texts, b.Text)
					}
				case "tool_use":
					var args map[string]any
					_ = json.Unmarshal(b.Input, &args)
					name := strings.TrimPrefix(b.Name, ToolPrefix)
					pending[b.ID] = transcript.ToolCall{Tool: name, Target: transcript.TargetOf(name, args), Args: args}
					order = append(order, b.ID)
				}
			}
		case "user":
			var m apiMessage
			if json.Unmarshal(l.Message, &m) != nil {
				continue
			}
			for _, b := range blocks(m.Content) {
				if b.Type != "tool_result" {
					continue
				}
				c, ok := pending[b.ToolUseID]
				if !ok {
					continue
				}
				delete(pending, b.ToolUseID)
				c.IsError = b.IsError
				c.Answer = resultText(b.Content)
				c.Preview = !c.IsError && transcript.IsPreview(c.Answer)
				c.Answer = transcript.Clip(c.Answer)
				c.Seq = len(st.Calls) + 1
				st.Calls = append(st.Calls, c)
			}
		case "result":
			sawResult = true
			st.Result = l.Result
			st.ResultSubtype = l.Subtype
			st.IsError = l.IsError
			st.Turns = l.NumTurns
			if l.Usage != nil {
				st.Usage = transcript.Usage{InputTokens: l.Usage.InputTokens, OutputTokens: l.Usage.OutputTokens,
					CacheCreationInputTokens: l.Usage.CacheCreationInputTokens, CacheReadInputTokens: l.Usage.CacheReadInputTokens,
					Requests: len(msgOrder)}
			}
		}
	}
	// Calls that never got a result (the run was cut short) still count, as failures.
	for _, id := range order {
		if c, ok := pending[id]; ok {
			c.IsError = true
			c.Answer = "(no result: the run ended first)"
			c.Seq = len(st.Calls) + 1
			st.Calls = append(st.Calls, c)
		}
	}
	if !sawResult || st.Usage == (transcript.Usage{}) {
		st.Usage = transcript.Usage{Requests: len(msgOrder)}
		for _, id := range msgOrder {
			u := msgUsage[id]
			st.Usage.InputTokens += u.InputTokens
			st.Usage.OutputTokens += u.OutputTokens
			st.Usage.CacheCreationInputTokens += u.CacheCreationInputTokens
			st.Usage.CacheReadInputTokens += u.CacheReadInputTokens
		}
	}
	return st, sc.Err()
}

// blocks decodes message content: an array of blocks, or a plain string (one text block).
func blocks(raw json.RawMessage) []contentBlock {
	var bs []contentBlock
	if json.Unmarshal(raw, &bs) == nil {
		return bs
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []contentBlock{{Type: "text", Text: s}}
	}
	return nil
}

// resultText flattens a tool_result's content (a string or text blocks).
func resultText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []string
	for _, b := range blocks(raw) {
		if b.Type == "text" {
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}
