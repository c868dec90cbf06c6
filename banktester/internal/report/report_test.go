package report

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	text := "I did the task.\n\n" + StartMarker + "\n```json\n" + `{
  "task_id": "crud-firewall_alias",
  "status": "Partial",
  "total_tool_calls": "7",
  "first_attempt_failures": 1,
  "details": [
    {"tool": "pfsense_create_firewall_alias", "attempt": 1, "params": {"type": "hosts"},
     "error": "must be one of host, network, port", "diagnosis": "guessed the enum",
     "retry_params": {"type": "host"}, "retry_success": true, "category": "MISSING_ENUM_VALUES"},
    {"tool": "pfsense_apply_firewall", "attempt": 1, "error": "", "diagnosis": "x", "category": "bad_luck"},
  ],
  "error_message_quality": {"create": "clear", "apply": "unclear"},
  "cleanup_complete": "true",
  "notes": "fine",
  "tools_invoked": ["pfsense_create_firewall_alias", " pfsense_apply_firewall ", ""]
}` + "\n```\n" + EndMarker + "\nThanks."
	got, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	want := &Report{
		TaskID: "crud-firewall_alias", Status: "partial", TotalToolCalls: 7, FirstAttemptFailures: 1,
		Details: []Detail{
			{Tool: "pfsense_create_firewall_alias", Attempt: 1, Params: map[string]any{"type": "hosts"}, Error: "must be one of host, network, port",
				Diagnosis: "guessed the enum", RetryParams: map[string]any{"type": "host"}, RetrySuccess: true, Category: "missing_enum_values"},
			{Tool: "pfsense_apply_firewall", Attempt: 1, Diagnosis: "x", Category: "bad_luck"},
		},
		ErrorMessageQuality: "unclear", CleanupComplete: true, Notes: "fine",
		ToolsInvoked: []string{"pfsense_create_firewall_alias", "pfsense_apply_firewall"},
		Warnings:     []string{`details[1]: category "bad_luck" is not one of the fixed list`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse =\n%#v\nwant\n%#v", got, want)
	}
}

func TestParseTakesTheLastReport(t *testing.T) {
	text := "Example:\n" + StartMarker + "\n{\"status\":\"failed\"}\n" + EndMarker + "\nReal:\n" + StartMarker + "\n{\"task_id\":\"x\",\"status\":\"success\"}\n" + EndMarker
	got, err := Parse(text)
	if err != nil || got.Status != StatusSuccess || got.TaskID != "x" || got.ErrorMessageQuality != "none" {
		t.Errorf("Parse = %+v, %v", got, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"All done, no report.", "no report: the final answer has no ---TASK-REPORT-START--- ... ---TASK-REPORT-END--- block"},
		{StartMarker + "\n{\"status\":\"success\"}", "the report has no ---TASK-REPORT-END--- line"},
		{"{}\n" + EndMarker, "the report has no ---TASK-REPORT-START--- line"},
		{StartMarker + "\nstatus: success\n" + EndMarker, "the report block holds no JSON object"},
		{StartMarker + "\n{\"status\": success}\n" + EndMarker, "the report is not valid JSON"},
		{StartMarker + "\n{\"task_id\":\"x\"}\n" + EndMarker, "the report has no status"},
		{StartMarker + "\n{\"status\":\"mostly\"}\n" + EndMarker, `the report's status "mostly" is not success, partial or failed`},
	} {
		_, err := Parse(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want %q", tc.text, err, tc.want)
		}
	}
}

func TestStatusSynonymsAndRender(t *testing.T) {
	got, err := Parse(StartMarker + `{"status":"PASSED","error_message_quality":"error_quality_missing"}` + EndMarker)
	if err != nil || got.Status != StatusSuccess || got.ErrorMessageQuality != "missing" || len(got.Warnings) != 1 {
		t.Errorf("Parse = %+v, %v", got, err)
	}
	r := &Report{TaskID: "t", Status: StatusFailed, Details: []Detail{{Tool: "x", Attempt: 1, Category: "unexpected_error"}}, ErrorMessageQuality: "clear"}
	back, err := Parse("prefix\n" + Render(r))
	if err != nil {
		t.Fatal(err)
	}
	if back.TaskID != "t" || back.Status != StatusFailed || back.Details[0].Category != "unexpected_error" || back.ErrorMessageQuality != "clear" || len(back.Warnings) != 0 {
		t.Errorf("Render/Parse round trip = %+v", back)
	}
}
