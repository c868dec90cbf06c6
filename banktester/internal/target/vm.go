package target

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/apisetup"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
)

// snapshotName is the VM snapshot Reset returns to: the firewall as it booted.
const snapshotName = "banktester-start"

// VM boots the golden image of an appliance manifest (real pfSense or the stand-in) once
// per worker, each on its own copy-on-write overlay, and resets it between tasks by loading
// a snapshot taken right after boot.
type VM struct {
	Manifest appliance.Manifest
	// Dir holds the workers' overlays; default a new temporary directory.
	Dir    string
	Logger *slog.Logger
	// Username and Password are the firewall's BasicAuth credentials (the golden images keep
	// pfSense's admin:pfsense), for the BasicAuth-only endpoints.
	Username, Password string
}

// Name implements Provider.
func (p VM) Name() string { return "vm (" + p.Manifest.Kind + ")" }

type vmTarget struct {
	r      *appliance.Running
	fw     Firewall
	client *apisetup.Client // pinned to the certificate it first sees
}

// Start implements Provider: boot, wait for the API, snapshot.
func (p VM) Start(ctx context.Context, worker int) (Running, error) {
	logger := p.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dir := p.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "banktester-vm-"); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	r, err := appliance.Boot(ctx, p.Manifest, appliance.BootOptions{Name: fmt.Sprintf("banktester-%d", worker),
		Dir: filepath.Join(dir, fmt.Sprintf("worker-%d", worker)), Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("worker %d: %w", worker, err)
	}
	if err := r.VM.SaveSnapshot(ctx, snapshotName); err != nil {
		r.Close()
		return nil, fmt.Errorf("worker %d: %w", worker, err)
	}
	logger.Info("banktester: VM ready", "worker", worker, "url", r.URL, "took", time.Since(start).Round(time.Millisecond))
	user, pass := p.Username, p.Password
	if user == "" {
		user, pass = "admin", "pfsense"
	}
	return &vmTarget{r: r, client: r.Client(logger),
		fw: Firewall{URL: r.URL, APIKey: r.APIKey, CertFingerprint: r.CertFingerprint, Username: user, Password: pass}}, nil
}

func (t *vmTarget) Firewall() Firewall { return t.fw }

// Healthy implements Running: the VM runs and its API answers within a few seconds.
func (t *vmTarget) Healthy(ctx context.Context) bool {
	select {
	case <-t.r.VM.Exited():
		return false
	default:
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return t.client.WaitReady(ctx, 250*time.Millisecond) == nil
}

// Reset implements Resetter: load the snapshot taken after boot and wait for the API.
func (t *vmTarget) Reset(ctx context.Context) error {
	if err := t.r.VM.LoadSnapshot(ctx, snapshotName); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return t.client.WaitReady(ctx, 100*time.Millisecond)
}

func (t *vmTarget) Close() error { return t.r.Close() }
