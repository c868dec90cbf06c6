package golden_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/apisetup"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/golden"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/pfsense/pfsensetest"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/serialtest"
)

// scripted is a Hypervisor whose machines are scripted pfSense firewalls
// (pfsensetest.Firewall): a disk file holds the firewall's Disk as JSON; a machine boots
// the memstick's installer when the memstick is attached, the disk otherwise; its serial
// console is a serialtest.Console and its WAN port 443 a TLS server with the firewall's API.
type scripted struct {
	t     *testing.T
	opts  pfsensetest.Options
	accel qemu.Accel

	mu     sync.Mutex
	starts []string // names of the VMs started, in order.
	// failStart makes the next start of the named VM fail once.
	failStart map[string]bool
}

func (h *scripted) Accel(context.Context) (qemu.Accel, string) {
	if h.accel == "" {
		return qemu.AccelKVM, "scripted"
	}
	return h.accel, "/dev/kvm is not usable (scripted)"
}

func readDisk(path string) (pfsensetest.Disk, error) {
	var d pfsensetest.Disk
	b, err := os.ReadFile(path)
	if err != nil {
		return d, err
	}
	return d, json.Unmarshal(b, &d)
}

func writeDisk(path string, d pfsensetest.Disk) error {
	b, _ := json.Marshal(d)
	return os.WriteFile(path, b, 0o644)
}

func (h *scripted) CreateDisk(_ context.Context, path, _ string) error {
	return writeDisk(path, pfsensetest.Disk{})
}

func (h *scripted) CreateOverlay(_ context.Context, base, path string) error {
	d, err := readDisk(base)
	if err != nil {
		return err
	}
	return writeDisk(path, d)
}

func (h *scripted) Convert(_ context.Context, src, _, dst string) error {
	d, err := readDisk(src)
	if err != nil {
		return err
	}
	return writeDisk(dst, d)
}

func (h *scripted) Start(_ context.Context, cfg qemu.Config) (golden.Machine, error) {
	h.mu.Lock()
	h.starts = append(h.starts, cfg.Name)
	fail := h.failStart[cfg.Name]
	delete(h.failStart, cfg.Name)
	h.mu.Unlock()
	if fail {
		return nil, errors.New("scripted: QEMU failed to start")
	}
	disk := cfg.Drives[0].Path
	d, err := readDisk(disk)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	opts := h.opts
	h.mu.Unlock()
	fw := pfsensetest.NewFirewall(d, opts)
	con := serialtest.New(h.t)
	memstick := len(cfg.Drives) > 1 && cfg.Drives[1].USB && cfg.Drives[1].ReadOnly
	if memstick {
		con.Run(fw.Installer(slices.Contains(cfg.ExtraArgs, "-no-reboot")))
	} else {
		con.Run(fw.Boot())
	}
	m := &machine{con: con, srv: httptest.NewTLSServer(fw.API(time.Millisecond)), exited: make(chan struct{}), log: cfg.ConsoleLog}
	go m.copyLog()
	go func() {
		<-con.Done()
		// What the firewall wrote is on its disk once it is off.
		if err := writeDisk(disk, fw.Disk()); err != nil {
			h.t.Errorf("scripted: write the disk: %v", err)
		}
		// The reboots that power off are the build's first ones, whichever VM has them.
		h.mu.Lock()
		h.opts.RebootsHalt -= fw.Halts()
		h.mu.Unlock()
		close(m.exited)
	}()
	return m, nil
}

type machine struct {
	con    *serialtest.Console
	srv    *httptest.Server
	exited chan struct{}
	log    io.Writer
	once   sync.Once
}

// copyLog tees what the console prints to the stage's transcript, as QEMU's console does.
func (m *machine) copyLog() {
	sent := 0
	for {
		printed := m.con.Printed()
		if len(printed) > sent && m.log != nil {
			m.log.Write([]byte(printed[sent:]))
			sent = len(printed)
		}
		select {
		case <-m.exited:
			if p := m.con.Printed(); len(p) > sent && m.log != nil {
				m.log.Write([]byte(p[sent:]))
			}
			return
		case <-time.After(time.Millisecond):
		}
	}
}

func (m *machine) Console() io.ReadWriter { return m.con }
func (m *machine) Tail(n int) string {
	p := m.con.Printed()
	return p[max(0, len(p)-n):]
}
func (m *machine) HostPort(guest int) int {
	if guest != 443 {
		return 0
	}
	u, _ := url.Parse(m.srv.URL)
	p, _ := strconv.Atoi(u.Port())
	return p
}
func (m *machine) Exited() <-chan struct{} { return m.exited }
func (m *machine) Close() error {
	m.once.Do(func() {
		m.con.PowerOff() // QEMU quit, if the guest had not powered off.
		<-m.exited
		m.srv.Close()
	})
	return nil
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func memstickFile(t *testing.T) string {
	f := filepath.Join(t.TempDir(), "pfSense-CE-memstick-serial-2.7.2-RELEASE-amd64.img")
	if err := os.WriteFile(f, []byte("scripted memstick"), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func buildOptions(t *testing.T, hv golden.Hypervisor, dir string) golden.BuildOptions {
	return golden.BuildOptions{Dir: dir, StageOptions: golden.StageOptions{
		Kind: appliance.KindPfSense, Memstick: memstickFile(t), Hypervisor: hv,
		Console: &console.Options{Logger: quiet()}, Logger: quiet(),
	}}
}

// The whole golden sequence, exactly as the build runs it: each stage a fresh VM on the
// previous stage's disk (install from the memstick, first boot, upgrade, REST API setup),
// against a scripted pfSense that plays the real console (echo, redraws, pkg's tty format,
// kernel messages, the menu once per rc.initial pass) and its API. Issue 14's failure 2, the
// first boot's last step taking the only "Enter an option:" the upgrade then waits for, cannot
// happen: every stage ends with the VM off, the next boots afresh.
func TestGoldenBuildRunsEveryStageEndToEnd(t *testing.T) {
	tests := []struct {
		name string
		opts pfsensetest.Options
		// starts are the VMs the build starts, in order.
		starts []string
	}{
		{"factory config, reboots stay reboots", pfsensetest.Options{},
			[]string{"golden-pfsense-install", "golden-pfsense-firstboot", "golden-pfsense-upgrade", "golden-pfsense"}},
		{"interface assignment, a reboot that powers off, the manual configuration dialog, pkg's OS version question",
			pfsensetest.Options{Mismatch: true, RebootsHalt: 1, ManualConfig: true, RESTAPIOSVersionNewer: true, LogAPIKeys: true},
			[]string{"golden-pfsense-install", "golden-pfsense-firstboot", "golden-pfsense-upgrade", "golden-pfsense-upgrade", "golden-pfsense"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hv := &scripted{t: t, opts: tc.opts}
			dir := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := golden.Build(ctx, buildOptions(t, hv, dir)); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(hv.starts, tc.starts) {
				t.Errorf("VMs started: %q, want %q", hv.starts, tc.starts)
			}
			out := golden.StageOutputs(dir, golden.StageGolden)
			d, err := readDisk(out.Disk)
			if err != nil {
				t.Fatal(err)
			}
			keyb, _ := os.ReadFile(out.APIKey)
			key := strings.TrimSpace(string(keyb))
			if d.Version != "2.8.1-RELEASE" || d.RESTAPI != "2.7.1" || !d.SSH || d.Mismatch || !d.AllowAllWAN || !d.KeyAuth || !d.LANDHCP ||
				!slices.Equal(d.Packages, apisetup.Packages) || !slices.Equal(d.APIKeys, []string{key}) {
				t.Errorf("golden disk = %+v, key %q", d, key)
			}
			for _, st := range golden.Stages[appliance.KindPfSense] {
				b, err := os.ReadFile(golden.StageOutputs(dir, st).Console)
				if err != nil || len(b) == 0 {
					t.Errorf("stage %s: no console transcript (%v)", st, err)
				}
				if strings.Contains(string(b), key) {
					t.Errorf("stage %s: the transcript shows the API key", st)
				}
			}
			if tc.opts.LogAPIKeys {
				b, _ := os.ReadFile(golden.StageOutputs(dir, golden.StageGolden).Console)
				if !strings.Contains(string(b), "created key [REDACTED]") {
					t.Errorf("the golden stage's transcript lacks the redacted key line:\n%s", b)
				}
			}
		})
	}
}

// A stage that fails leaves the earlier stages' outputs; the next build resumes at it.
func TestGoldenBuildResumesAtTheFailedStage(t *testing.T) {
	hv := &scripted{t: t, failStart: map[string]bool{"golden-pfsense-upgrade": true}}
	dir := t.TempDir()
	ctx := context.Background()
	err := golden.Build(ctx, buildOptions(t, hv, dir))
	if err == nil || !strings.Contains(err.Error(), "pfsense stage upgrade: start") && !strings.Contains(err.Error(), "scripted: QEMU failed to start") {
		t.Fatalf("first build = %v, want the upgrade stage's failure", err)
	}
	if _, err := os.Stat(golden.StageOutputs(dir, golden.StageUpgrade).Disk); !os.IsNotExist(err) {
		t.Errorf("the failed stage left a disk: %v", err)
	}
	if err := golden.Build(ctx, buildOptions(t, hv, dir)); err != nil {
		t.Fatal(err)
	}
	want := []string{"golden-pfsense-install", "golden-pfsense-firstboot", "golden-pfsense-upgrade", "golden-pfsense-upgrade", "golden-pfsense"}
	if !slices.Equal(hv.starts, want) {
		t.Errorf("VMs started: %q, want %q (install and first boot once)", hv.starts, want)
	}
}

// The real image is refused under TCG before anything runs, saying why and what to do; the
// stand-in builds anywhere.
func TestRealImageRefusesTCG(t *testing.T) {
	hv := &scripted{t: t, accel: qemu.AccelTCG}
	dir := t.TempDir()
	err := golden.Build(context.Background(), buildOptions(t, hv, dir))
	if !errors.Is(err, golden.ErrNeedsKVM) {
		t.Fatalf("Build under TCG = %v, want ErrNeedsKVM", err)
	}
	for _, want := range []string{"the real pfSense image needs KVM, and /dev/kvm is not usable (scripted)", "--action_env=PFSENSE_VM_ACCEL=kvm"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if len(hv.starts) != 0 {
		t.Errorf("VMs started under TCG: %q", hv.starts)
	}
	if _, err := golden.RequireAccel(context.Background(), hv, appliance.KindStandin, quiet()); err != nil {
		t.Errorf("the stand-in refused TCG: %v", err)
	}
}

func TestTranscriptRedactsHeldOutput(t *testing.T) {
	dir := t.TempDir()
	held, err := golden.NewTranscript(filepath.Join(dir, "held.txt"), false)
	if err != nil {
		t.Fatal(err)
	}
	held.Write([]byte("before the key: secret-key-1\r\n"))
	held.AddSecret("secret-key-1")
	held.Write([]byte("after: secret-key-1\r\n"))
	if b, _ := os.ReadFile(held.Path()); len(b) != 0 {
		t.Errorf("a held transcript was written before Close: %q", b)
	}
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(held.Path())
	if got, want := string(b), "before the key: [REDACTED]\r\nafter: [REDACTED]\r\n"; got != want {
		t.Errorf("held transcript = %q, want %q", got, want)
	}
	live, _ := golden.NewTranscript(filepath.Join(dir, "live.txt"), true)
	live.Write([]byte("boot\r\n"))
	if b, _ := os.ReadFile(live.Path()); string(b) != "boot\r\n" {
		t.Errorf("live transcript = %q before Close, want what arrived", b)
	}
	live.Close()
}
