package results

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

func call(target string, isError bool) transcript.ToolCall {
	return transcript.ToolCall{Tool: target, Target: target, IsError: isError}
}

func TestAttempts(t *testing.T) {
	for _, tc := range []struct {
		name         string
		calls        []transcript.ToolCall
		attempts, ok int
	}{
		{"none", nil, 0, 0},
		{"all fine", []transcript.ToolCall{call("a", false), call("b", false), call("a", false)}, 3, 3},
		// a fails, is retried twice (the retries are not first attempts), then called again fresh.
		{"retries", []transcript.ToolCall{call("a", true), call("a", true), call("a", false), call("a", false)}, 2, 1},
		// A failure of b between does not make the next a a retry.
		{"interleaved", []transcript.ToolCall{call("a", false), call("b", true), call("a", false), call("b", false)}, 3, 2},
	} {
		a, ok := Attempts(tc.calls)
		if a != tc.attempts || ok != tc.ok {
			t.Errorf("%s: Attempts = %d, %d; want %d, %d", tc.name, a, ok, tc.attempts, tc.ok)
		}
	}
}

func TestCountDiscovery(t *testing.T) {
	calls := []transcript.ToolCall{call("pfsense_search_tools", false), call("pfsense_describe_tool", true), call("pfsense_overview", false),
		{Tool: "pfsense_call_read_tool", Target: "pfsense_list_users"}}
	if n := CountDiscovery(calls); n != 2 {
		t.Errorf("CountDiscovery = %d, want 2", n)
	}
}

func TestInvoked(t *testing.T) {
	calls := []transcript.ToolCall{
		call("b", true), call("a", false),
		{Tool: "c", Target: "c", Preview: true},
		{Tool: "d", Target: "d", NotRelayed: true, IsError: true},
	}
	inv, ok := Invoked(calls)
	if !reflect.DeepEqual(inv, []string{"a", "b", "c", "d"}) || !reflect.DeepEqual(ok, []string{"a"}) {
		t.Errorf("Invoked = %v, %v", inv, ok)
	}
}

func TestFromReport(t *testing.T) {
	m := &Meta{ToolsInvoked: []string{"a", "b"}}
	m.FromReport(&report.Report{Status: "partial", FirstAttemptFailures: 2, CleanupComplete: true, ErrorMessageQuality: "unclear",
		Details:      []report.Detail{{Category: "type_confusion"}, {Category: "type_confusion"}, {Category: "forgot_apply"}},
		ToolsInvoked: []string{"a", "z"}}, nil)
	want := &Meta{ToolsInvoked: []string{"a", "b"}, Status: "partial", ReportedFirstAttemptFailures: 2, CleanupComplete: true,
		ErrorMessageQuality: "unclear", Categories: map[string]int{"type_confusion": 2, "forgot_apply": 1}, ReportedToolsNotCalled: []string{"z"}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("FromReport =\n%+v\nwant\n%+v", m, want)
	}
	m = &Meta{}
	m.FromReport(nil, errors.New("no report: ..."))
	if m.Status != "failed" || m.ReportError != "no usable report: no report: ..." {
		t.Errorf("FromReport(nil) = %+v", m)
	}
	m = &Meta{Status: StatusError, Error: "timed out"}
	m.FromReport(nil, errors.New("no report"))
	if m.Status != StatusError || m.ReportError != "no report" {
		t.Errorf("FromReport after a consumer error = %+v", m)
	}
}

func sampleRun() (*Run, []*Meta) {
	run := &Run{Consumer: "anthropic", Model: "m", ToolMode: "full", Target: "sim",
		Tasks: []string{"t1", "t2", "t3", "t4"},
		Exposure: map[string][]string{
			"read-only": {"pfsense_overview", "r1", "r2"},
			"writes":    {"pfsense_overview", "r1", "r2", "w1", "w2"},
		}}
	metas := []*Meta{
		{TaskID: "t1", Kind: "crud", Status: "success", Exposure: "writes", Calls: 6, FirstAttempts: 5, FirstAttemptOK: 4,
			ToolsInvoked: []string{"r1", "w1", "bogus", "pfsense_search_tools"}, ToolsSucceeded: []string{"r1", "w1"}, WallMS: 1500, DiscoveryCalls: 3,
			Usage:      transcript.Usage{InputTokens: 1000, OutputTokens: 100, CacheReadInputTokens: 50, Requests: 3},
			Categories: map[string]int{"type_confusion": 1}, ReportedFirstAttemptFailures: 1},
		{TaskID: "t2", Kind: "read_only", Status: "partial", Exposure: "read-only", Calls: 2, FirstAttempts: 2, FirstAttemptOK: 2,
			ToolsInvoked: []string{"pfsense_overview", "r1"}, ToolsSucceeded: []string{"pfsense_overview"}, WallMS: 500,
			Usage: transcript.Usage{InputTokens: 300, OutputTokens: 30, Requests: 1}},
		{TaskID: "t3", Kind: "crud", Status: "error", Exposure: "writes", Error: "timed out after 1m", WallMS: 60000},
	}
	return run, metas
}

func TestSummarize(t *testing.T) {
	run, metas := sampleRun()
	s := Summarize(run, metas)
	want := &Summary{
		Consumer: "anthropic", Model: "m", ToolMode: "full", Target: "sim",
		Tasks: TaskCounts{Total: 4, Done: 3, Success: 1, Partial: 1, Error: 1, NotRun: 1},
		Coverage: Coverage{Exposed: 5, Invoked: 3, Percent: 60, Succeeded: 3, SucceededPercent: 60,
			NeverInvoked: []string{"r2", "w2"}, InvokedNotExposed: []string{"bogus"}},
		Calls:                        CallStats{Total: 8, FirstAttempts: 7, FirstAttemptOK: 6, FirstAttemptRate: 85.7, Discovery: 3},
		Failures:                     map[string]int{"type_confusion": 1},
		ReportedFirstAttemptFailures: 1,
		Tokens:                       transcript.Usage{InputTokens: 1300, OutputTokens: 130, CacheReadInputTokens: 50, Requests: 4},
		WallMS:                       62000,
		PerTask: []TaskLine{
			{ID: "t1", Kind: "crud", Status: "success", Calls: 6, FirstAttempts: 5, FirstAttemptOK: 4, InputTokens: 1000, OutputTokens: 100, WallMS: 1500},
			{ID: "t2", Kind: "read_only", Status: "partial", Calls: 2, FirstAttempts: 2, FirstAttemptOK: 2, InputTokens: 300, OutputTokens: 30, WallMS: 500},
			{ID: "t3", Kind: "crud", Status: "error", WallMS: 60000, Note: "timed out after 1m"},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Summarize =\n%+v\nwant\n%+v", s, want)
	}
	var out bytes.Buffer
	s.Print(&out)
	for _, line := range []string{
		"tasks           3 done of 4: 1 success, 1 partial, 0 failed, 1 error, 1 not run",
		"coverage        3/5 tools invoked (60.0%); 3 answered successfully (60.0%)",
		"first attempts  6/7 succeeded (85.7%) of 8 tool calls; reports claim 1 first-attempt failures",
		"tokens          1300 in, 130 out (cache: 50 read, 0 written) in 4 requests",
		"discovery       3 calls of pfsense_search_tools and pfsense_describe_tool",
		"  type_confusion           1",
		"never invoked (2): r2, w2",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("printed summary lacks %q:\n%s", line, out.String())
		}
	}
}

func TestCompare(t *testing.T) {
	run, metas := sampleRun()
	a := Summarize(run, metas)
	runB := *run
	runB.ToolMode = "discovery"
	b := Summarize(&runB, []*Meta{
		{TaskID: "t1", Kind: "crud", Status: "success", Exposure: "writes", Calls: 9, FirstAttempts: 8, FirstAttemptOK: 8,
			ToolsInvoked: []string{"r1", "w1", "w2"}, WallMS: 1000, Usage: transcript.Usage{InputTokens: 400, OutputTokens: 120}},
		{TaskID: "t4", Kind: "crud", Status: "failed", Exposure: "writes", WallMS: 3000},
	})
	c := Compare("A", a, "B", b)
	metric := func(name string) MetricDelta {
		for _, m := range c.Metrics {
			if m.Name == name {
				return m
			}
		}
		t.Fatalf("no metric %q", name)
		return MetricDelta{}
	}
	for _, tc := range []MetricDelta{
		{Name: "tasks success", A: 1, B: 1, Delta: 0},
		{Name: "tasks failed+error", A: 1, B: 1, Delta: 0},
		{Name: "coverage %", A: 60, B: 60, Delta: 0},
		{Name: "first-attempt success %", A: 85.7, B: 100, Delta: 14.3},
		{Name: "tokens in", A: 1300, B: 400, Delta: -900},
		{Name: "tokens in per task", A: 433.3, B: 200, Delta: -233.3},
		{Name: "wall time s", A: 62, B: 4, Delta: -58},
	} {
		if got := metric(tc.Name); got != tc {
			t.Errorf("metric %s = %+v, want %+v", tc.Name, got, tc)
		}
	}
	wantTasks := []TaskDelta{
		{ID: "t1", StatusA: "success", StatusB: "success", CallsA: 6, CallsB: 9, TokensA: 1100, TokensB: 520, WallMSA: 1500, WallMSB: 1000, FirstOKA: "4/5", FirstOKB: "8/8"},
		{ID: "t2", StatusA: "partial", CallsA: 2, TokensA: 330, WallMSA: 500, FirstOKA: "2/2", StatusChg: true},
		{ID: "t3", StatusA: "error", WallMSA: 60000, FirstOKA: "0/0", StatusChg: true},
		{ID: "t4", StatusB: "failed", WallMSB: 3000, FirstOKB: "0/0", StatusChg: true},
	}
	if !reflect.DeepEqual(c.Tasks, wantTasks) {
		t.Errorf("task deltas =\n%+v\nwant\n%+v", c.Tasks, wantTasks)
	}
	var out bytes.Buffer
	c.Print(&out)
	if !strings.Contains(out.String(), "t2 *") || !strings.Contains(out.String(), "+14.3") {
		t.Errorf("printed comparison:\n%s", out.String())
	}
}
