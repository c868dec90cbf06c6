package pfsense_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/pfsense"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/serialtest"
)

func run(t *testing.T, con *serialtest.Console, steps []console.Step) error {
	t.Helper()
	s, err := console.Open(con, console.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return s.Run(ctx, steps)
}

func stepError(t *testing.T, err error) *console.StepError {
	t.Helper()
	var se *console.StepError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *console.StepError", err)
	}
	return se
}

const installKeys = "xterm\r" + "\r" + "\r" + "\r" + "\r" + "T\r" + "\r" + " \r" + ">\r" + "\t\r" + "\r"

func TestInstallDrivesTheInstallerToReboot(t *testing.T) {
	con := serialtest.New(t, installScript()...)
	if err := run(t, con, pfsense.InstallSteps()); err != nil {
		t.Fatal(err)
	}
	if !con.Finished() {
		t.Errorf("installer stopped at %q", con.Reached())
	}
	if got := con.Typed(); got != installKeys {
		t.Errorf("typed %q, want %q", got, installKeys)
	}
}

// On "Last Chance" NO has the focus: Enter alone aborts the install. The scripted
// installer only goes on after Tab then Enter, and prints the abort dialog otherwise.
func TestInstallLastChanceNeedsTabBeforeEnter(t *testing.T) {
	steps := pfsense.InstallSteps()
	for i, s := range steps {
		if strings.HasPrefix(s.Name, "last chance") {
			steps[i].Replies[0].Keys = []string{console.Enter}
		}
	}
	con := serialtest.New(t, installScript()...)
	err := run(t, con, steps)
	se := stepError(t, err)
	if se.Step != "installation complete: reboot" {
		t.Errorf("failed step = %q, want the step after Last Chance to see the abort", se.Step)
	}
	if !strings.Contains(se.Err.Error(), `the console showed "Abort"`) || !strings.Contains(se.Screen, "Installation aborted") {
		t.Errorf("error does not show the abort: %v", err)
	}
	mm := con.Mismatches()
	if len(mm) != 1 || mm[0] != `exchange "last chance": got keys "\r", want "\t\r"` {
		t.Errorf("mismatches = %q", mm)
	}
}

// An arrow key over a serial line starts with ESC, which cancels the dialog: the installer
// falls back to its first screen and the next prompt never comes.
func TestInstallBareEscapeCancelsTheDialog(t *testing.T) {
	steps := pfsense.InstallSteps()
	for i, s := range steps {
		switch s.Name {
		case "ZFS configuration: pool type":
			steps[i].Replies[0].Keys = []string{"\x1b[B", console.Enter} // arrow down, Enter
		case "virtual device: stripe":
			steps[i].Timeout = 200 * time.Millisecond
		}
	}
	con := serialtest.New(t, installScript()...)
	err := run(t, con, steps)
	se := stepError(t, err)
	if se.Step != "virtual device: stripe" {
		t.Errorf("failed step = %q, want %q", se.Step, "virtual device: stripe")
	}
	var te *console.TimeoutError
	if !errors.As(err, &te) {
		t.Errorf("error = %v, want a timeout", err)
	}
	if !strings.HasSuffix(strings.TrimSpace(se.Screen), "<  OK  >     <Cancel>") || !strings.Contains(se.Screen, "Welcome to pfSense!") {
		t.Errorf("screen should end on the welcome dialog the ESC fell back to:\n%s", se.Screen)
	}
	mm := con.Mismatches()
	if len(mm) != 1 || mm[0] != `exchange "zfs config": got a bare ESC, which cancels the dialog (want "T\r")` {
		t.Errorf("mismatches = %q, want one bare ESC", mm)
	}
}

func firstBootScript(sshScreen, sshKey string, withPackage bool) []serialtest.Exchange {
	ex := []serialtest.Exchange{
		{Name: "boot", Show: "\r\n---<<BOOT>>---\r\nCopyright (c) 1992-2023 The FreeBSD Project.\r\n"},
		{Name: "vlans", Show: vlanPrompt, Keys: []string{"n\r"}},
		{Name: "wan", Show: wanPrompt, Keys: []string{"em0\r"}},
		{Name: "lan", Show: lanPrompt, Keys: []string{"em1\r"}},
		{Name: "optional", Show: optPrompt, Keys: []string{"\r"}},
		{Name: "proceed", Show: proceed, Keys: []string{"y\r"}},
		{Name: "menu", Show: "\r\nWriting configuration...done.\r\n" + menu, Keys: []string{"14\r"}},
		{Name: "ssh", Show: sshScreen, Keys: []string{sshKey}},
		{Name: "menu for shell", Show: menu, Keys: []string{"8\r"}},
	}
	var cmds []cmd
	if withPackage {
		cmds = append(cmds,
			cmd{"pkg-static -C /dev/null add https://example.invalid/pfSense-2.7.2-pkg-RESTAPI.pkg",
				"Fetching pfSense-2.7.2-pkg-RESTAPI.pkg: .......... done\r\nInstalling pfSense-pkg-RESTAPI-2.7.1...\r\nExtracting pfSense-pkg-RESTAPI-2.7.1: .......... done\r\n"},
			cmd{"service php-fpm restart", "Stopping php_fpm.\r\nWaiting for PIDS: 402.\r\nphp_fpm not running? (check /var/run/php-fpm.pid).\r\n"},
		)
	}
	cmds = append(cmds,
		cmd{"pfSsh.php playback enableallowallwan", "Allowing all WAN access...done.\r\n"},
		cmd{"exit", "exit\r\n" + menu},
	)
	return append(ex, shell(prompt, cmds...)...)
}

func TestFirstBootKeepsSSHEnabledWhicheverItsState(t *testing.T) {
	tests := []struct {
		name, screen, key string
	}{
		{"disabled: enable it", sshDisabled, "y\r"},
		{"enabled: keep it", sshEnabled, "n\r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			script := firstBootScript(tc.screen, tc.key, true)
			con := serialtest.New(t, script...)
			steps := pfsense.FirstBootSteps(pfsense.FirstBootOptions{RESTAPIPackageURL: "https://example.invalid/pfSense-2.7.2-pkg-RESTAPI.pkg"})
			if err := run(t, con, steps); err != nil {
				t.Fatal(err)
			}
			want := "n\r" + "em0\r" + "em1\r" + "\r" + "y\r" + "14\r" + tc.key + "8\r" +
				"pkg-static -C /dev/null add https://example.invalid/pfSense-2.7.2-pkg-RESTAPI.pkg\r" +
				"service php-fpm restart\r" + "pfSsh.php playback enableallowallwan\r" + "exit\r"
			if got := con.Typed(); got != want {
				t.Errorf("typed %q\nwant  %q", got, want)
			}
			if !con.Finished() {
				t.Errorf("first boot stopped at %q", con.Reached())
			}
		})
	}
}

func TestFirstBootPackageFailureNamesTheCommand(t *testing.T) {
	script := firstBootScript(sshDisabled, "y\r", true)
	for i, ex := range script {
		if ex.Name == "shell: service php-fpm restart" {
			script[i].Show = "\r\npkg-static: wrong architecture: FreeBSD:15:* instead of FreeBSD:14:amd64\r\nFailed to install the following 1 package(s): /tmp/x.pkg\r\n" + prompt
		}
	}
	con := serialtest.New(t, script...)
	err := run(t, con, pfsense.FirstBootSteps(pfsense.FirstBootOptions{RESTAPIPackageURL: "https://example.invalid/pfSense-2.7.2-pkg-RESTAPI.pkg"}))
	se := stepError(t, err)
	if se.Step != "shell: pkg-static -C /dev/null add https://example.invalid/pfSense-2.7.2-pkg-RESTAPI.pkg" {
		t.Errorf("failed step = %q", se.Step)
	}
	if !strings.Contains(se.Screen, "wrong architecture: FreeBSD:15:* instead of FreeBSD:14:amd64") {
		t.Errorf("screen does not show the pkg error:\n%s", se.Screen)
	}
	if strings.Contains(se.Screen, "\x1b[") {
		t.Errorf("screen keeps escape sequences:\n%q", se.Screen)
	}
	con.Mismatches()
}

func upgradeScript(mismatchAfterUpdate bool) []serialtest.Exchange {
	overrides := []cmd{
		{`printf 'ABI=FreeBSD:15:amd64\nALTABI=freebsd:15:x86:64\n' > /usr/local/etc/pkg.conf`, ""},
		{"ln -sf /usr/local/etc/pfSense/pkg/repos/pfSense-repo-2_8_1.conf /usr/local/etc/pkg/repos/pfSense.conf", ""},
		{"rm -f /usr/local/etc/pfSense/pkg/repos/pfSense-repo-2.7.2.default", ""},
		{"touch /usr/local/etc/pfSense/pkg/repos/pfSense-repo-2_8_1.default", ""},
	}
	update := "Updating pfSense-core repository catalogue...\r\npfSense-core repository is up to date.\r\nAll repositories are up to date.\r\n"
	if mismatchAfterUpdate {
		update = "Newer FreeBSD version for package whois:\r\nTo ignore this error set IGNORE_OSVERSION=yes\r\n- package: 1500029\r\n- running kernel: 1400094\r\nIgnore the mismatch and continue? [y/N]: "
	}
	first := []cmd{{"setenv IGNORE_OSVERSION yes", ""}}
	first = append(first, overrides...)
	first = append(first,
		cmd{"pkg-static clean -ay", "Nothing to do.\r\n"},
		cmd{"pkg-static update -f", update},
		cmd{"pkg-static install -fy pkg pfSense-repo pfSense-upgrade", "[1/3] Installing pkg-1.22.2...\r\n[3/3] Extracting pfSense-upgrade-1.3.2: .... done\r\n"},
	)
	first = append(first, overrides...)
	first = append(first, cmd{"pfSense-upgrade -U -y", ""})
	ex := []serialtest.Exchange{{Name: "menu", Show: menu, Keys: []string{"8\r"}}}
	ex = append(ex, shell(prompt, first...)...)
	if mismatchAfterUpdate {
		// The question eats all input: nothing moves on any more.
		for i := range ex {
			if ex[i].Name == "shell: pkg-static install -fy pkg pfSense-repo pfSense-upgrade" {
				ex[i].Hang = true
				ex[i].Show = "\r\n" + update // no prompt: pkg waits for an answer.
				return ex[:i+1]
			}
		}
	}
	ex = append(ex,
		serialtest.Exchange{Name: "upgrade", Show: ">>> Upgrading pfSense-kernel-pfSense... done.\r\nUpgrade is complete.  Rebooting in 10 seconds.\r\n"},
		serialtest.Exchange{Name: "reboot into 2.8.1", Show: rebooting + bootLoader, After: 20 * time.Millisecond},
		serialtest.Exchange{Name: "menu 2.8.1", Show: strings.ReplaceAll(menu, "2.7.2", "2.8.1"), Keys: []string{"8\r"}},
	)
	second := []cmd{{"setenv IGNORE_OSVERSION yes", ""}}
	second = append(second, overrides...)
	second = append(second,
		cmd{"pkg-static update -f", "All repositories are up to date.\r\n"},
		cmd{"pkg-static upgrade -fy", "[412/412] Reinstalling pfSense-2.8.1...\r\n"},
		cmd{"reboot", rebooting},
	)
	ex = append(ex, shell(prompt281, second...)...)
	ex = append(ex, serialtest.Exchange{Name: "menu after reboot", Show: strings.ReplaceAll(menu, "2.7.2", "2.8.1"), Keys: []string{"8\r"}})
	third := []cmd{
		{"pkg-static -C /dev/null add " + pfsense.RESTAPIPackage281, "Installing pfSense-pkg-RESTAPI-2.7.1...\r\nExtracting pfSense-pkg-RESTAPI-2.7.1: .......... done\r\n"},
		{"service php-fpm restart", "Performing sanity check on php-fpm configuration:\r\nStarting php_fpm.\r\n"},
		{"pfSsh.php playback enableallowallwan", "done.\r\n"},
		{"exit", "exit\r\n"},
	}
	ex = append(ex, shell(prompt281, third...)...)
	return append(ex, serialtest.Exchange{Name: "final menu", Show: strings.ReplaceAll(menu, "2.7.2", "2.8.1")})
}

func TestUpgradeRunsTheRepositorySwitchInOrder(t *testing.T) {
	con := serialtest.New(t, upgradeScript(false)...)
	if err := run(t, con, pfsense.UpgradeSteps(pfsense.UpgradeOptions{})); err != nil {
		t.Fatal(err)
	}
	if !con.Finished() {
		t.Errorf("upgrade stopped at %q", con.Reached())
	}
	typed := con.Typed()
	// IGNORE_OSVERSION must come before any pkg command, in both shells.
	for _, part := range strings.Split(typed, "8\r")[1:] {
		if strings.Contains(part, "pkg-static") && !strings.HasPrefix(part, "setenv IGNORE_OSVERSION yes\r") && !strings.HasPrefix(part, "pkg-static -C /dev/null add") {
			t.Errorf("a shell runs pkg before setting IGNORE_OSVERSION:\n%q", part)
		}
	}
}

func TestUpgradeStopsOnTheOSVersionQuestion(t *testing.T) {
	con := serialtest.New(t, upgradeScript(true)...)
	err := run(t, con, pfsense.UpgradeSteps(pfsense.UpgradeOptions{}))
	se := stepError(t, err)
	if se.Step != "shell: pkg-static update -f (until the prompt)" {
		t.Errorf("failed step = %q", se.Step)
	}
	if !strings.Contains(se.Err.Error(), `the console showed "Ignore the mismatch and continue?"`) {
		t.Errorf("error = %v", se.Err)
	}
	// Nothing may be typed into the [y/N] question.
	if got := con.Typed(); !strings.HasSuffix(got, "pkg-static update -f\r") {
		t.Errorf("typed after the question: %q", got[strings.LastIndex(got, "pkg-static update -f\r"):])
	}
}

func TestTimeoutInTheMiddleOfAStep(t *testing.T) {
	// The installer keeps printing progress but never reaches "Complete".
	script := installScript()
	for i, ex := range script {
		if ex.Name == "extracting" {
			script[i].Hang, script[i].Drip = true, 20*time.Millisecond
			script = script[:i+1]
			break
		}
	}
	steps := pfsense.InstallSteps()
	for i := range steps {
		if steps[i].Name == "installation complete: reboot" {
			steps[i].Timeout = 300 * time.Millisecond
		}
	}
	con := serialtest.New(t, script...)
	start := time.Now()
	err := run(t, con, steps)
	took := time.Since(start)
	se := stepError(t, err)
	if se.Step != "installation complete: reboot" {
		t.Errorf("failed step = %q", se.Step)
	}
	var te *console.TimeoutError
	if !errors.As(err, &te) || te.Timeout != 300*time.Millisecond {
		t.Fatalf("error = %v, want a 300ms TimeoutError", err)
	}
	if took > 3*time.Second {
		t.Errorf("a 300ms step timeout took %v while output kept arriving", took)
	}
	if !strings.Contains(se.Screen, "Extracting distribution files...") {
		t.Errorf("the screen does not show the last output:\n%s", se.Screen)
	}
}

func TestCancelledContextStopsAStep(t *testing.T) {
	script := installScript()[:2]
	script[1].Hang = true
	con := serialtest.New(t, script...)
	s, err := console.Open(con, console.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = s.Do(ctx, console.Expect("never", `never shown`, time.Hour))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want context.DeadlineExceeded", err)
	}
}
