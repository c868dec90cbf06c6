// Package report reads the structured report a consumer writes at the end of a task, between
// ---TASK-REPORT-START--- and ---TASK-REPORT-END---, as JSON. Models are sloppy writers, so the
// parser is lenient where meaning is unambiguous (code fences, numbers as strings, a category
// in capitals) and strict where it is not (a missing or unknown status).
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Markers around the report.
const (
	StartMarker = "---TASK-REPORT-START---"
	EndMarker   = "---TASK-REPORT-END---"
)

// Statuses of a task.
const (
	StatusSuccess = "success"
	StatusPartial = "partial"
	StatusFailed  = "failed"
)

// Categories of first-attempt failures (a fixed list, so runs can be compared).
var Categories = []string{
	"missing_enum_values",
	"type_confusion",
	"missing_required_field",
	"forgot_apply",
	"wrong_tool_name",
	"dependency_unknown",
	"parameter_format",
	"confirm_gate_friction",
	"unexpected_error",
	"tool_search_failure",
	"error_quality_clear",
	"error_quality_unclear",
	"error_quality_missing",
}

// Error message quality ratings.
var Qualities = []string{"clear", "unclear", "missing", "none"}

// Report is what a consumer reports about one task.
type Report struct {
	TaskID               string   `json:"task_id"`
	Status               string   `json:"status"`
	TotalToolCalls       int      `json:"total_tool_calls"`
	FirstAttemptFailures int      `json:"first_attempt_failures"`
	Details              []Detail `json:"details"`
	// ErrorMessageQuality rates the error messages the task met: clear, unclear, missing, or
	// none when there was no error.
	ErrorMessageQuality string   `json:"error_message_quality"`
	CleanupComplete     bool     `json:"cleanup_complete"`
	Notes               string   `json:"notes"`
	ToolsInvoked        []string `json:"tools_invoked"`
	// Warnings lists what the parser had to fix or could not use (unknown categories, ...).
	Warnings []string `json:"parse_warnings,omitempty"`
}

// Detail is one first-attempt failure.
type Detail struct {
	Tool         string `json:"tool"`
	Attempt      int    `json:"attempt"`
	Params       any    `json:"params,omitempty"`
	Error        string `json:"error"`
	Diagnosis    string `json:"diagnosis"`
	RetryParams  any    `json:"retry_params,omitempty"`
	RetrySuccess bool   `json:"retry_success"`
	Category     string `json:"category"`
}

// Render writes r between the markers, as a consumer would.
func Render(r *Report) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(r)
	return StartMarker + "\n" + buf.String() + EndMarker + "\n"
}

// Extract returns the JSON text of the last report in text.
func Extract(text string) (string, error) {
	end := strings.LastIndex(text, EndMarker)
	if end < 0 {
		if strings.Contains(text, StartMarker) {
			return "", fmt.Errorf("the report has no %s line", EndMarker)
		}
		return "", fmt.Errorf("no report: the final answer has no %s ... %s block", StartMarker, EndMarker)
	}
	start := strings.LastIndex(text[:end], StartMarker)
	if start < 0 {
		return "", fmt.Errorf("the report has no %s line", StartMarker)
	}
	body := strings.TrimSpace(text[start+len(StartMarker) : end])
	// Models like to wrap the JSON in a code fence.
	if strings.HasPrefix(body, "```") {
		if nl := strings.Index(body, "\n"); nl >= 0 {
			body = body[nl+1:]
		}
		body = strings.TrimSuffix(strings.TrimSpace(body), "```")
	}
	body = strings.TrimSpace(body)
	if i, j := strings.Index(body, "{"), strings.LastIndex(body, "}"); i >= 0 && j > i {
		body = body[i : j+1]
	} else {
		return "", fmt.Errorf("the report block holds no JSON object")
	}
	return body, nil
}

// Parse extracts and decodes the last report in text.
func Parse(text string) (*Report, error) {
	body, err := Extract(text)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		fixed := stripTrailingCommas(body)
		dec = json.NewDecoder(strings.NewReader(fixed))
		dec.UseNumber()
		if err2 := dec.Decode(&raw); err2 != nil {
			return nil, fmt.Errorf("the report is not valid JSON: %v", err)
		}
	}
	return fromMap(raw)
}

// stripTrailingCommas removes commas before a closing bracket outside strings.
func stripTrailingCommas(s string) string {
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			b.WriteByte(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
		}
		if c == ',' {
			j := i + 1
			for j < len(s) && strings.ContainsRune(" \t\r\n", rune(s[j])) {
				j++
			}
			if j < len(s) && (s[j] == '}' || s[j] == ']') {
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func fromMap(m map[string]any) (*Report, error) {
	r := &Report{}
	r.TaskID = str(m["task_id"])
	r.Status = strings.ToLower(strings.TrimSpace(str(m["status"])))
	switch r.Status {
	case StatusSuccess, StatusPartial, StatusFailed:
	case "":
		return nil, fmt.Errorf("the report has no status (want success, partial or failed)")
	case "pass", "passed", "ok", "succeeded":
		r.Warnings = append(r.Warnings, fmt.Sprintf("status %q read as success", r.Status))
		r.Status = StatusSuccess
	case "fail", "failure", "error":
		r.Warnings = append(r.Warnings, fmt.Sprintf("status %q read as failed", r.Status))
		r.Status = StatusFailed
	default:
		return nil, fmt.Errorf("the report's status %q is not success, partial or failed", r.Status)
	}
	var err error
	if r.TotalToolCalls, err = integer(m["total_tool_calls"]); err != nil {
		r.Warnings = append(r.Warnings, "total_tool_calls: "+err.Error())
	}
	if r.FirstAttemptFailures, err = integer(m["first_attempt_failures"]); err != nil {
		r.Warnings = append(r.Warnings, "first_attempt_failures: "+err.Error())
	}
	r.CleanupComplete = boolean(m["cleanup_complete"])
	r.Notes = str(m["notes"])
	r.ErrorMessageQuality = quality(m["error_message_quality"], &r.Warnings)
	if list, ok := m["tools_invoked"].([]any); ok {
		for _, x := range list {
			if s := strings.TrimSpace(str(x)); s != "" {
				r.ToolsInvoked = append(r.ToolsInvoked, s)
			}
		}
	}
	if list, ok := m["details"].([]any); ok {
		for i, x := range list {
			d, ok := x.(map[string]any)
			if !ok {
				r.Warnings = append(r.Warnings, fmt.Sprintf("details[%d] is not an object", i))
				continue
			}
			det := Detail{Tool: str(d["tool"]), Params: d["params"], Error: str(d["error"]), Diagnosis: str(d["diagnosis"]),
				RetryParams: d["retry_params"], RetrySuccess: boolean(d["retry_success"])}
			det.Attempt, _ = integer(d["attempt"])
			det.Category = strings.ToLower(strings.TrimSpace(str(d["category"])))
			if !knownCategory(det.Category) {
				r.Warnings = append(r.Warnings, fmt.Sprintf("details[%d]: category %q is not one of the fixed list", i, det.Category))
			}
			r.Details = append(r.Details, det)
		}
	}
	return r, nil
}

func knownCategory(c string) bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}

// quality accepts "clear", "Clear", or an object/array of per-error ratings (the worst wins).
func quality(v any, warnings *[]string) string {
	rank := map[string]int{"none": 0, "clear": 1, "unclear": 2, "missing": 3}
	worst := ""
	consider := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		s = strings.TrimPrefix(s, "error_quality_")
		if _, ok := rank[s]; !ok {
			if s != "" {
				*warnings = append(*warnings, fmt.Sprintf("error_message_quality %q is not clear, unclear, missing or none", s))
			}
			return
		}
		if worst == "" || rank[s] > rank[worst] {
			worst = s
		}
	}
	switch x := v.(type) {
	case string:
		consider(x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s, ok := x[k].(string); ok {
				consider(s)
			}
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				consider(s)
			}
		}
	}
	if worst == "" {
		return "none"
	}
	return worst
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func integer(v any) (int, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i), nil
		}
		f, err := x.Float64()
		return int(f), err
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", x)
		}
		return i, nil
	}
	return 0, fmt.Errorf("%v is not a number", v)
}

func boolean(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		b, _ := strconv.ParseBool(strings.TrimSpace(x))
		return b
	}
	return false
}
