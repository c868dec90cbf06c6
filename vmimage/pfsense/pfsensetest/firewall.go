// Package pfsensetest is a scripted pfSense for tests: the programs the serial console runs
// on the memstick and on the installed disk (the installer's dialogs, the boot, the
// interface assignment, the console menu, tcsh with pkg, pfSense-upgrade and the playback
// scripts) and the REST API's answers, all acting on a Disk that carries what pfSense keeps
// between boots. It replays the real console's behaviour from the sources cited in
// screens.go: echo of typed keys, curses redraws after keys, pkg's tty progress format,
// kernel messages between other output, the menu printed once per pass of rc.initial, and
// both first boots (interface assignment or none).
package pfsensetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/serialtest"
)

// Disk is what the firewall keeps on its disk between boots.
type Disk struct {
	Installed bool `json:"installed"`
	// Version is /etc/version ("2.7.2-RELEASE").
	Version string `json:"version"`
	// Kernel and Base are the FreeBSD major versions of the kernel and base packages.
	Kernel int `json:"kernel"`
	Base   int `json:"base"`
	// Mismatch: the configuration names interfaces that do not exist, so the boot runs
	// the interface assignment (rc.bootup line 147). Cleared by an assignment.
	Mismatch bool `json:"mismatch"`
	SSH      bool `json:"ssh"`
	// The pkg repository settings the upgrade overrides (seed vm/UPGRADE-LEARNINGS.md).
	PkgABI     string `json:"pkg_abi"`   // pkg.conf's ABI
	RepoLink   string `json:"repo_link"` // what pfSense.conf links to: "2.7.2" or "2_8_1"
	Default281 bool   `json:"default_281"`
	// UpgradeStage is pfSense-upgrade's next_stage annotation: 2 after its first stage.
	UpgradeStage int    `json:"upgrade_stage"`
	RESTAPI      string `json:"restapi"` // the REST API package version installed, or ""
	AllowAllWAN  bool   `json:"allow_all_wan"`
	// What the REST API changed.
	KeyAuth  bool     `json:"key_auth"`
	APIKeys  []string `json:"api_keys"`
	Packages []string `json:"packages"`
	LANDHCP  bool     `json:"lan_dhcp"`
}

// Installed returns the disk as the installer leaves it: 2.7.2 with the factory config.
func installedDisk(mismatch bool) Disk {
	return Disk{Installed: true, Version: "2.7.2-RELEASE", Kernel: 14, Base: 14, Mismatch: mismatch,
		PkgABI: "FreeBSD:14:amd64", RepoLink: "2.7.2"}
}

// Options change how the scripted firewall behaves.
type Options struct {
	// Mismatch makes the installer leave a configuration whose interfaces do not exist, so
	// the first boot asks for the assignment; without it the factory config (em0, em1)
	// matches the three e1000 NICs and the first boot goes straight to the menu.
	Mismatch bool
	// ManualConfig makes the installer ask about a manual configuration shell before its
	// Complete dialog.
	ManualConfig bool
	// RebootsHalt is how many reboots power the machine off instead (QEMU exits).
	RebootsHalt int
	// Tick is the unit of the firewall's own waits (pfSense-upgrade's 10 s before its
	// reboot); default 5 ms.
	Tick time.Duration
	// RESTAPIOSVersionNewer makes the REST API package's OS version newer than the kernel's,
	// so that pkg asks the OS version question without IGNORE_OSVERSION.
	RESTAPIOSVersionNewer bool
	// LogAPIKeys prints each API key created on the console (the real firewall does not),
	// to test that transcripts redact it.
	LogAPIKeys bool
}

// Firewall is one scripted pfSense machine: its disk and how it behaves.
type Firewall struct {
	opts Options

	mu   sync.Mutex
	disk Disk
	up   bool // booted to the menu, services running.
	// console is the console of the current boot.
	console *serialtest.Console
	// halts counts reboots turned into power-offs so far.
	halts int
}

// NewFirewall returns a machine with disk.
func NewFirewall(disk Disk, opts Options) *Firewall {
	if opts.Tick == 0 {
		opts.Tick = 5 * time.Millisecond
	}
	return &Firewall{opts: opts, disk: disk}
}

// Disk returns a copy of the disk's state.
func (f *Firewall) Disk() Disk {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.disk
}

func (f *Firewall) update(fn func(*Disk)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(&f.disk)
}

// Halts is how many reboots powered the machine off so far.
func (f *Firewall) Halts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.halts
}

// Up reports whether the firewall has booted and serves.
func (f *Firewall) Up() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.up
}

func (f *Firewall) setUp(up bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.up = up
}

// Installer is the memstick's program: it installs onto the disk when driven correctly.
// QEMU must run with -no-reboot (noReboot): the final reboot then ends it.
func (f *Firewall) Installer(noReboot bool) func(*serialtest.Console) error {
	return func(c *serialtest.Console) error {
		c.Print(loader + nics)
		c.Print(consoleTypePrompt)
		t, err := c.ReadLine(true)
		if err != nil {
			return err
		}
		switch t {
		case "xterm", "vt100", "ansi", "":
		default:
			c.Mismatch("console type %q is none of the offered types", t)
		}
		return f.dialogs(c, noReboot)
	}
}

// key reads one key of a dialog. A bare ESC (what an arrow key starts with on a serial line)
// cancels the dialog: the installer falls back to its first dialog.
func key(c *serialtest.Console, dialogName string) (byte, bool, error) {
	b, err := c.ReadKey()
	if err != nil {
		return 0, false, err
	}
	if b == 0x1b {
		c.Mismatch("dialog %q: got a bare ESC, which cancels the dialog", dialogName)
		c.Print(welcomeDialog)
		return b, false, nil
	}
	return b, true, nil
}

// keysUntilEnter reads a dialog's keys until Enter: each key in moves runs its action (a
// redraw), any other is a mismatch. It returns false when a bare ESC cancelled the dialog.
func keysUntilEnter(c *serialtest.Console, name string, moves map[byte]func()) (bool, error) {
	for {
		b, ok, err := key(c, name)
		if err != nil || !ok {
			return false, err
		}
		if b == '\r' {
			return true, nil
		}
		if move, known := moves[b]; known {
			move()
			continue
		}
		c.Mismatch("%s: key %q", name, string(b))
	}
}

// dialogs is the installer's dialog sequence. A cancelled dialog leaves the installer at
// its first dialog, where it waits: the test's steps then time out, as on the real console.
func (f *Firewall) dialogs(c *serialtest.Console, noReboot bool) error {
	simple := []struct{ name, screen string }{
		{"copyright", copyrightDialog},
		{"welcome", welcomeDialog},
		{"keymap", keymapDialog},
		{"partitioning", partitioningDialog},
	}
	for _, d := range simple {
		c.Print(d.screen)
		if ok, err := keysUntilEnter(c, d.name, nil); err != nil || !ok {
			return stuck(c, err)
		}
	}
	disks := "0 disks"
	for {
		c.Print(zfsConfigDialog(disks))
		row := zfsInstallRow
		if ok, err := keysUntilEnter(c, "zfs config", map[byte]func(){
			'T': func() { row = zfsPoolRow; c.Print(highlight(zfsPoolRow, "T Pool Type/Disks:  stripe: "+disks)) },
			'>': func() {
				row = zfsInstallRow
				c.Print(highlight(zfsInstallRow, ">>> Install          Proceed with Installation"))
			},
		}); err != nil || !ok {
			return stuck(c, err)
		}
		if row == zfsPoolRow {
			c.Print(virtualDeviceDialog)
			if ok, err := keysUntilEnter(c, "virtual device", nil); err != nil || !ok {
				return stuck(c, err)
			}
			c.Print(disksDialog)
			selected := false
			if ok, err := keysUntilEnter(c, "disks", map[byte]func(){
				' ': func() {
					selected = !selected
					c.Print(highlight(5, map[bool]string{true: "[*]", false: "[ ]"}[selected]+" vtbd0  VirtIO Block Device"))
				},
			}); err != nil || !ok {
				return stuck(c, err)
			}
			if selected {
				disks = "1 disk"
			}
			continue
		}
		if disks != "1 disk" {
			c.Mismatch("zfs config: Install chosen with %s", disks)
			continue
		}
		// Last Chance focuses NO; Tab moves to YES.
		c.Print(lastChanceDialog)
		yes := false
		if ok, err := keysUntilEnter(c, "last chance", map[byte]func(){
			'\t': func() {
				yes = !yes
				c.Print(csi + "11;18H" + map[bool]string{true: csi + "7m< YES >" + csi + "27m     <  NO  >", false: "< YES >     " + csi + "7m<  NO  >" + csi + "27m"}[yes])
			},
		}); err != nil || !ok {
			return stuck(c, err)
		}
		if !yes {
			// NO: back to the configuration menu (FreeBSD zfsboot's loop; not verified
			// against pfSense's installer).
			c.Mismatch("last chance: answered NO")
			continue
		}
		break
	}
	c.Print(extractingDialog)
	if f.opts.ManualConfig {
		c.Print(manualConfigDialog)
		if ok, err := keysUntilEnter(c, "manual configuration", nil); err != nil || !ok {
			return stuck(c, err)
		}
	}
	c.Print(completeDialog)
	if ok, err := keysUntilEnter(c, "complete", nil); err != nil || !ok {
		return stuck(c, err)
	}
	f.update(func(d *Disk) { *d = installedDisk(f.opts.Mismatch) })
	c.Print(csi + "?1049l" + shutdownLines + "Rebooting...\r\n")
	if !noReboot {
		c.Mismatch("QEMU runs without -no-reboot: the machine would boot the memstick again")
	}
	c.PowerOff()
	return nil
}

// stuck leaves the program waiting (a cancelled installer sitting on its first dialog).
func stuck(c *serialtest.Console, err error) error {
	if err != nil {
		return err
	}
	for {
		if _, err := c.ReadKey(); err != nil {
			return err
		}
	}
}

// Boot is the installed disk's program: boots (and reboots) until it powers off.
func (f *Firewall) Boot() func(*serialtest.Console) error {
	return func(c *serialtest.Console) error {
		f.mu.Lock()
		f.console = c
		f.mu.Unlock()
		for {
			reboot, err := f.boot(c)
			f.setUp(false)
			if err != nil || !reboot {
				return err
			}
			f.mu.Lock()
			halt := f.halts < f.opts.RebootsHalt
			if halt {
				f.halts++
			}
			f.mu.Unlock()
			c.Print(shutdownLines)
			if halt {
				c.Print("acpi0: Powering system off\r\n")
				c.PowerOff()
				return nil
			}
			c.Print("Rebooting...\r\n")
		}
	}
}

// boot runs one boot: kernel, rc.bootup, then rc.initial's menu loop. It returns true for a
// reboot, false for a power-off.
func (f *Firewall) boot(c *serialtest.Console) (bool, error) {
	d := f.Disk()
	if !d.Installed {
		c.Print("\r\nBoot from disk: no bootable partition\r\n")
		c.Mismatch("booted a disk with nothing installed")
		return false, stuck(c, nil)
	}
	c.Print(loader + nics)
	c.After(f.opts.Tick, "em0: link state changed to UP\r\n")
	c.Print(crlf("Updating configuration...done.\nStarting device manager (devd)...done.\nLoading configuration...done.\n"))
	if d.UpgradeStage == 2 {
		// pfSense-upgrade's second stage runs at boot and reboots at once for a new
		// major version ("2nd reboot during new major version upgrade"); the boot also
		// puts the 2.7.2 repository settings back (seed vm/upgrade-2.8.exp lines 310-315).
		c.Print(">>> Upgrading necessary packages... \r\n" + pkgProgress("[1/3] Extracting pfSense-base-2.8.1") +
			"Upgrade is complete.  Rebooting now.\r\n")
		f.update(func(d *Disk) {
			d.UpgradeStage = 0
			d.PkgABI, d.RepoLink, d.Default281 = "FreeBSD:14:amd64", "2.7.2", false
		})
		return true, nil
	}
	if d.Mismatch {
		// rc.bootup lines 147-171: the loop runs the assignment while the mismatch lasts.
		c.Print("\r\nNetwork interface mismatch -- Running interface assignment option.\r\n")
		if err := f.assign(c); err != nil {
			return false, err
		}
	}
	c.Print(crlf("Checking config backups consistency...done.\nSetting up extended sysctls...done.\n" +
		"Starting syslog...done.\nStarting CRON... done.\n"))
	c.Print(crlf("pfSense " + d.Version + " amd64 20231206-2010\nBootup complete\n"))
	f.setUp(true)
	return f.menuLoop(c)
}

// assign is set_networking_interfaces_ports, config.console.inc lines 40-397, for the
// answers the golden image gives (no VLANs, em0, em1, no optional interface).
func (f *Firewall) assign(c *serialtest.Console) error {
	// Each question and the answer the golden image gives.
	for _, q := range []struct{ screen, what, want string }{
		{assignVLANs, "VLAN question", "n"},
		{assignWAN, "WAN interface", "em0"},
		{assignLAN, "LAN interface", "em1"},
		{assignOpt, "Optional 1 interface", ""},
		{assignProceed, "proceed question", "y"},
	} {
		c.Print(q.screen)
		a, err := c.ReadLine(true)
		if err != nil {
			return err
		}
		if a != q.want {
			c.Mismatch("%s answered %q, want %q", q.what, a, q.want)
			return nil
		}
	}
	c.Print(assignDone)
	f.update(func(d *Disk) { d.Mismatch = false })
	return nil
}

// menuLoop is rc.initial's endless loop (lines 61-171): banner, menu, one option.
func (f *Firewall) menuLoop(c *serialtest.Console) (bool, error) {
	for {
		d := f.Disk()
		c.Print(banner(d.Version, "em0", "em1"))
		c.Print(menu(d.SSH))
		// A kernel message may come while the menu waits for its answer.
		c.After(f.opts.Tick, "\r\nem1: link state changed to UP\r\n")
		opt, err := c.ReadLine(true)
		if errors.Is(err, serialtest.ErrInterrupted) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		c.Print("\r\n") // line 95: echo
		switch opt {
		case "8":
			end, err := f.shell(c)
			if err != nil || end != "exit" {
				return end == "reboot", err
			}
		case "14":
			if err := f.toggleSSH(c); err != nil {
				return false, err
			}
		case "":
			// Line 166: kill $PPID; the console logs in again and the loop starts over.
		default:
			c.Mismatch("menu option %q", opt)
		}
	}
}

// toggleSSH is src/etc/rc.initial.toggle_sshd lines 33-70.
func (f *Firewall) toggleSSH(c *serialtest.Console) error {
	on := f.Disk().SSH
	if on {
		c.Print(sshAskDisable)
	} else {
		c.Print(sshAskEnable)
	}
	a, err := c.ReadLine(true)
	if err != nil {
		return err
	}
	if strings.HasPrefix(a, "y") {
		f.update(func(d *Disk) { d.SSH = !on })
		if on {
			c.Print(crlf("\nWriting configuration... done.\n\nDisabling SSHD...\nReloading firewall rules. done.\n"))
			c.Mismatch("SSH was on and the toggle turned it off")
		} else {
			c.Print(crlf("\nWriting configuration... done.\n\nEnabling SSHD...\nReloading firewall rules. done.\n\n"))
		}
	}
	return nil
}

// shell is /bin/tcsh with root's dot.tcshrc. It returns how it ended: "exit", "reboot" or
// "poweroff".
func (f *Firewall) shell(c *serialtest.Console) (string, error) {
	env := map[string]string{}
	for i := 0; ; i++ {
		kmsg := ""
		if i == 1 {
			kmsg = "\r\narp: 10.0.2.2 moved from 52:55:0a:00:02:02 to 52:55:0a:00:02:03 on em0\r\n"
		}
		head, tail := prompt(f.Disk().Version, kmsg)
		c.Print(head + tail)
		line, err := c.ReadLine(true)
		if errors.Is(err, serialtest.ErrInterrupted) {
			return "reboot", nil // rebooted behind the shell's back
		}
		if err != nil {
			return "", err
		}
		cmd, marker, hasMarker := strings.Cut(line, "; echo ")
		if strings.TrimSpace(cmd) == "" {
			continue
		}
		// postcmd: resizewin reads the terminal's answer before every command, eating
		// what is typed meanwhile, and gives up.
		if eaten := c.Eat(f.opts.Tick); eaten != "" {
			c.Mismatch("typed while resizewin read the terminal (eaten): %q", eaten)
		}
		c.Print(resizewin)
		status, end, err := f.run(c, strings.TrimSpace(cmd), env)
		if err != nil {
			return "", err
		}
		if end != "" {
			return end, nil
		}
		if hasMarker {
			c.Print(strings.ReplaceAll(marker, "$status", fmt.Sprint(status)) + "\r\n")
		}
	}
}
