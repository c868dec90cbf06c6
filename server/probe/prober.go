package probe

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
)

// Options configure a Prober.
type Options struct {
	Firewall     Firewall
	Inventory    *inventory.Inventory // receives the facts (SetFirewall).
	ToolsVersion string               // tooldefs.SpecVersion.
	Logger       *slog.Logger
	// OnChange runs after new facts changed the exposed tools (the MCP server lists them again).
	OnChange func()
	// OnWarning runs when a probe finds a version mismatch that was not reported before, with a
	// sentence for the model (the server adds it to the next answer).
	OnWarning func(string)
	// RetryEvery is how long after a probe that could not reach the firewall the next call
	// probes again; 0 means 15 s.
	RetryEvery time.Duration
}

// Prober keeps the facts of one firewall: it probes at start in the background, and again when a
// call finds them incomplete because the firewall was unreachable, or stale because a package
// was installed or removed. It is safe for concurrent use.
type Prober struct {
	o Options

	mu        sync.Mutex
	base      context.Context // bounds every probe: the server's lifetime.
	facts     *Facts
	running   chan struct{} // closed when the running probe has applied its facts; nil when none runs.
	lastStart time.Time
	logged    string // the last facts logged, to log changes only.
	warned    string
}

// New returns a prober; nothing is probed before Start.
func New(o Options) *Prober {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.RetryEvery <= 0 {
		o.RetryEvery = 15 * time.Second
	}
	return &Prober{o: o}
}

// Start runs the first probe in the background. ctx bounds every probe.
func (p *Prober) Start(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.base = ctx
	p.startLocked()
}

func (p *Prober) startLocked() {
	done := make(chan struct{})
	p.running, p.lastStart = done, time.Now()
	prev := p.facts
	go func() {
		f := Learn(p.base, p.o.Firewall, p.o.ToolsVersion, prev)
		p.apply(f)
		p.mu.Lock()
		p.facts, p.running = f, nil
		p.mu.Unlock()
		close(done)
	}()
}

// Wait returns once the facts are as current as they can be now: it waits for a running probe,
// and starts one when the last could not reach the firewall and RetryEvery has passed. It
// returns at once before Start, and when ctx ends.
func (p *Prober) Wait(ctx context.Context) {
	p.mu.Lock()
	if p.base == nil {
		p.mu.Unlock()
		return
	}
	if p.running == nil && p.facts != nil && p.facts.retryable() && time.Since(p.lastStart) >= p.o.RetryEvery {
		p.startLocked()
	}
	done := p.running
	p.mu.Unlock()
	if done == nil {
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// Stale says the facts may have changed (a package was installed or removed): the firewall is
// probed again now, and the next call waits for it.
func (p *Prober) Stale() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.base != nil && p.running == nil {
		p.startLocked()
	}
}

// Facts returns what the last probe learned, or nil before the first one ends.
func (p *Prober) Facts() *Facts {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.facts
}

// apply hands the facts to the inventory and says what they change.
func (p *Prober) apply(f *Facts) {
	if p.o.Inventory == nil {
		return
	}
	changed := p.o.Inventory.SetFirewall(f.Inventory())
	p.log(f)
	if w := VersionWarning(f); w != "" && p.o.OnWarning != nil {
		p.mu.Lock()
		first := p.warned != w
		p.warned = w
		p.mu.Unlock()
		if first {
			p.o.OnWarning(w)
		}
	}
	if changed && p.o.OnChange != nil {
		p.o.OnChange()
	}
}

// log writes what the facts mean for the user, when it differs from what was logged last.
func (p *Prober) log(f *Facts) {
	type line struct {
		warn bool
		msg  string
		args []any
	}
	var lines []line
	inv := p.o.Inventory
	missingOp, missingPkg := inv.FirewallHidden()
	switch {
	case f.Unreachable():
		lines = append(lines, line{true, "the firewall could not be reached; serving the spec's tools anyway (calls fail until it answers, and it is probed again before a call)",
			[]any{"error", f.VersionErr.Error()}})
	case f.VersionErr != nil:
		lines = append(lines, line{true, "could not read the firewall's REST API version: tools it may lack stay listed", []any{"error", f.VersionErr.Error()}})
	case f.Mismatch() && f.Operations == nil:
		lines = append(lines, line{true, "the firewall runs another REST API version than the tools' spec, and its own spec could not be read: tools it lacks stay listed and fields it does not know are not refused",
			[]any{"firewall", f.Version, "spec", f.ToolsVersion, "error", errText(f.SpecErr)}})
	case f.Mismatch():
		lines = append(lines, line{true, "the firewall runs another REST API version than the tools' spec: read its own spec; the tools it lacks are hidden and calls sending fields it does not know are refused",
			[]any{"firewall", f.Version, "spec", f.ToolsVersion, "hidden_tools", missingOp}})
	}
	if !f.Unreachable() {
		if f.PackagesErr != nil {
			lines = append(lines, line{true, "could not read the firewall's installed packages: tools that need a missing package stay listed", []any{"error", f.PackagesErr.Error()}})
		} else if missingPkg > 0 {
			var pkgs []string
			for _, m := range inv.MissingPackages() {
				pkgs = append(pkgs, fmt.Sprintf("%s (%d)", m.Package, len(m.Tools)))
			}
			lines = append(lines, line{false, "tools that need packages the firewall has not installed are hidden",
				[]any{"hidden_tools", missingPkg, "packages", strings.Join(pkgs, ", ")}})
		}
	}
	var key strings.Builder
	for _, l := range lines {
		fmt.Fprintln(&key, l.msg, l.args)
	}
	p.mu.Lock()
	same := key.String() == p.logged
	p.logged = key.String()
	p.mu.Unlock()
	if same {
		return
	}
	for _, l := range lines {
		if l.warn {
			p.o.Logger.Warn(l.msg, l.args...)
		} else {
			p.o.Logger.Info(l.msg, l.args...)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// VersionWarning is the sentence for the model when the firewall runs another REST API version
// than the tools' spec; "" when they match or the version is unknown.
func VersionWarning(f *Facts) string {
	if !f.Mismatch() {
		return ""
	}
	msg := fmt.Sprintf("The firewall runs REST API %s but these tools were generated from the %s spec. ", f.Version, f.ToolsVersion)
	if f.Operations != nil {
		msg += "The server read the firewall's own spec: tools it lacks are not available, and calls that send a field it does not know are refused. "
	} else {
		msg += "Its own spec could not be read, so some tools or fields may not match. "
	}
	return msg + "Regenerate the tools from the firewall's own spec (tools/fetch-spec, then rebuild) to match it exactly."
}
