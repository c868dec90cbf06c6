package mcpserver

import (
	"bytes"
	"encoding/json"
	"slices"
)

// strictSchema rewrites an input schema for clients whose schema dialect is stricter than JSON
// Schema (Gemini's function declarations, OpenAI's strict mode): a list of types becomes one
// (null dropped; a string where a string is among the choices, since the server accepts the
// original union), and null leaves enums. The server still validates calls against the original
// schema, so nothing a strict client sends is judged by the rewritten one.
func strictSchema(raw json.RawMessage) json.RawMessage {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return raw
	}
	strict(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return raw
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func strict(v any) {
	switch x := v.(type) {
	case map[string]any:
		if types, ok := x["type"].([]any); ok {
			x["type"] = oneType(types)
		}
		if enum, ok := x["enum"].([]any); ok {
			x["enum"] = slices.DeleteFunc(enum, func(e any) bool { return e == nil })
		}
		for _, e := range x {
			strict(e)
		}
	case []any:
		for _, e := range x {
			strict(e)
		}
	}
}

func oneType(types []any) any {
	var kept []string
	for _, t := range types {
		if s, ok := t.(string); ok && s != "null" {
			kept = append(kept, s)
		}
	}
	switch {
	case len(kept) == 0:
		return "string"
	case len(kept) == 1:
		return kept[0]
	case slices.Contains(kept, "string"):
		return "string"
	}
	return kept[0]
}
