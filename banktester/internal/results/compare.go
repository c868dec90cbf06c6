package results

import (
	"fmt"
	"io"
	"math"
	"sort"
	"text/tabwriter"
)

// Comparison sets two runs side by side (for example full mode against discovery mode).
type Comparison struct {
	RunA    string        `json:"run_a"`
	RunB    string        `json:"run_b"`
	Metrics []MetricDelta `json:"metrics"`
	Tasks   []TaskDelta   `json:"tasks"`
}

// MetricDelta is one number in both runs.
type MetricDelta struct {
	Name  string  `json:"name"`
	A     float64 `json:"a"`
	B     float64 `json:"b"`
	Delta float64 `json:"delta"` // B - A
}

// TaskDelta compares one task present in either run.
type TaskDelta struct {
	ID        string `json:"id"`
	StatusA   string `json:"status_a"` // "" when the task is not in run A
	StatusB   string `json:"status_b"`
	CallsA    int    `json:"calls_a"`
	CallsB    int    `json:"calls_b"`
	TokensA   int    `json:"tokens_a"` // input + output
	TokensB   int    `json:"tokens_b"`
	WallMSA   int64  `json:"wall_ms_a"`
	WallMSB   int64  `json:"wall_ms_b"`
	FirstOKA  string `json:"first_attempts_a"` // "ok/attempts"
	FirstOKB  string `json:"first_attempts_b"`
	StatusChg bool   `json:"status_changed"`
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// Compare computes B against A.
func Compare(nameA string, a *Summary, nameB string, b *Summary) *Comparison {
	c := &Comparison{RunA: nameA, RunB: nameB}
	add := func(name string, x, y float64) {
		c.Metrics = append(c.Metrics, MetricDelta{Name: name, A: round1(x), B: round1(y), Delta: round1(y - x)})
	}
	add("tasks done", float64(a.Tasks.Done), float64(b.Tasks.Done))
	add("tasks success", float64(a.Tasks.Success), float64(b.Tasks.Success))
	add("tasks partial", float64(a.Tasks.Partial), float64(b.Tasks.Partial))
	add("tasks failed+error", float64(a.Tasks.Failed+a.Tasks.Error), float64(b.Tasks.Failed+b.Tasks.Error))
	add("tools exposed", float64(a.Coverage.Exposed), float64(b.Coverage.Exposed))
	add("tools invoked", float64(a.Coverage.Invoked), float64(b.Coverage.Invoked))
	add("coverage %", a.Coverage.Percent, b.Coverage.Percent)
	add("tool calls", float64(a.Calls.Total), float64(b.Calls.Total))
	add("first-attempt success %", a.Calls.FirstAttemptRate, b.Calls.FirstAttemptRate)
	add("tokens in", float64(a.Tokens.InputTokens), float64(b.Tokens.InputTokens))
	add("tokens out", float64(a.Tokens.OutputTokens), float64(b.Tokens.OutputTokens))
	add("tokens in per task", perTask(a.Tokens.InputTokens, a.Tasks.Done), perTask(b.Tokens.InputTokens, b.Tasks.Done))
	add("wall time s", float64(a.WallMS)/1000, float64(b.WallMS)/1000)
	add("wall time per task s", perTask(int(a.WallMS), a.Tasks.Done)/1000, perTask(int(b.WallMS), b.Tasks.Done)/1000)

	byID := map[string]*TaskDelta{}
	var order []string
	get := func(id string) *TaskDelta {
		if d, ok := byID[id]; ok {
			return d
		}
		d := &TaskDelta{ID: id}
		byID[id] = d
		order = append(order, id)
		return d
	}
	for _, t := range a.PerTask {
		d := get(t.ID)
		d.StatusA, d.CallsA, d.TokensA, d.WallMSA = t.Status, t.Calls, t.InputTokens+t.OutputTokens, t.WallMS
		d.FirstOKA = fmt.Sprintf("%d/%d", t.FirstAttemptOK, t.FirstAttempts)
	}
	for _, t := range b.PerTask {
		d := get(t.ID)
		d.StatusB, d.CallsB, d.TokensB, d.WallMSB = t.Status, t.Calls, t.InputTokens+t.OutputTokens, t.WallMS
		d.FirstOKB = fmt.Sprintf("%d/%d", t.FirstAttemptOK, t.FirstAttempts)
	}
	sort.Strings(order)
	for _, id := range order {
		d := byID[id]
		d.StatusChg = d.StatusA != d.StatusB
		c.Tasks = append(c.Tasks, *d)
	}
	return c
}

func perTask(total, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(total) / float64(n)
}

// Print writes the comparison as two tables.
func (c *Comparison) Print(w io.Writer) {
	fmt.Fprintf(w, "A = %s\nB = %s\n\n", c.RunA, c.RunB)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "METRIC\tA\tB\tB-A\t")
	for _, m := range c.Metrics {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", m.Name, num(m.A), num(m.B), signed(m.Delta))
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TASK\tSTATUS A\tSTATUS B\tCALLS A->B\tFIRST-TRY A->B\tTOKENS A->B\tTIME A->B")
	for _, t := range c.Tasks {
		mark := ""
		if t.StatusChg {
			mark = " *"
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%d->%d\t%s->%s\t%d->%d\t%s->%s\n", t.ID, mark, dash(t.StatusA), dash(t.StatusB), t.CallsA, t.CallsB,
			dash(t.FirstOKA), dash(t.FirstOKB), t.TokensA, t.TokensB, seconds(t.WallMSA), seconds(t.WallMSB))
	}
	tw.Flush()
}

func num(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.1f", f)
}

func signed(f float64) string {
	if f > 0 {
		return "+" + num(f)
	}
	return num(f)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
