package openai

import (
	"encoding/json"
	"testing"
)

func TestNormalize(t *testing.T) {
	raw := `[
		{"id":"call_a","type":"function","function":{"name":"pfsense_overview","arguments":"{}"}},
		{"function":{"name":"functions.pfsense_list_firewall_aliases","arguments":{"limit":5}}},
		{"id":"call_c","function":{"name":"pfsense_pending_changes","arguments":""}},
		{"id":"call_d","function":{"name":"pfsense_pending_changes"}}
	]`
	var calls []ToolCall
	if err := json.Unmarshal([]byte(raw), &calls); err != nil {
		t.Fatal(err)
	}
	got := normalize(calls, 3)
	want := []struct{ id, name, args string }{
		{"call_a", "pfsense_overview", `"{}"`},
		{"call_3_2", "pfsense_list_firewall_aliases", `"{\"limit\":5}"`},
		{"call_c", "pfsense_pending_changes", `"{}"`},
		{"call_d", "pfsense_pending_changes", `"{}"`},
	}
	for i, w := range want {
		c := got[i]
		if c.ID != w.id || c.Function.Name != w.name || string(c.Function.Arguments) != w.args || c.Type != "function" {
			t.Errorf("call %d = %s %s %s %s, want %+v", i, c.ID, c.Type, c.Function.Name, c.Function.Arguments, w)
		}
	}
}

func TestEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:11434":    "http://127.0.0.1:11434/v1/chat/completions",
		"http://127.0.0.1:8000/v1/": "http://127.0.0.1:8000/v1/chat/completions",
		"https://api.openai.com/v1": "https://api.openai.com/v1/chat/completions",
		"http://host:8080/llama/":   "http://host:8080/llama/v1/chat/completions",
	} {
		if got := Endpoint(in); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", in, got, want)
		}
	}
}
