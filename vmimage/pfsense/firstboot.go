package pfsense

import (
	"regexp"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

// FirstBootOptions tune FirstBootSteps.
type FirstBootOptions struct {
	// RESTAPIPackageURL, when set, is installed with pkg-static on first boot. The REST API
	// v2.7.1 package is built for FreeBSD 15 (pfSense 2.8.1) and refuses 2.7.2, so a build
	// that upgrades installs it after the upgrade instead (UpgradeOptions).
	RESTAPIPackageURL string
}

// FirstBootSteps answers the first-boot interface assignment (no VLANs, WAN em0, LAN em1,
// no optional interface), makes sure SSH is enabled whichever state it is in, and in the
// shell installs the REST API package (when asked) and applies the blockpriv fix: WAN
// blocks private networks by default, and the host reaches WAN from 10.0.2.2.
func FirstBootSteps(opts FirstBootOptions) []console.Step {
	const d = 300 * time.Second
	enter := console.Enter
	steps := []console.Step{
		console.Expect("VLANs: no", `Should VLANs be set up now.*\]\?`, d, "n"+enter),
		console.Expect("WAN interface: em0", `Enter the WAN interface name`, d, "em0"+enter),
		console.Expect("LAN interface: em1", `Enter the LAN interface name`, d, "em1"+enter),
		console.Expect("optional interface: none", `Enter the Optional 1 interface name`, d, enter),
		console.Expect("assign interfaces: proceed", `[Pp]roceed`, d, "y"+enter),
		console.Expect("menu: SSH toggle", MenuPrompt.String(), d, "14"+enter),
		{
			// The toggle asks to disable when SSH is on and to enable when it is off; either
			// way SSH ends up enabled.
			Name: "SSH: keep enabled",
			Replies: []console.Reply{
				{Prompt: regexp.MustCompile(`currently.*enabled`), Keys: []string{"n" + enter}},
				{Prompt: regexp.MustCompile(`currently.*disabled|Enable Secure Shell`), Keys: []string{"y" + enter}},
			},
			Timeout: 60 * time.Second,
		},
	}
	var cmds []Command
	if opts.RESTAPIPackageURL != "" {
		cmds = append(cmds, restAPIInstall(opts.RESTAPIPackageURL)...)
	}
	cmds = append(cmds, Command{Line: "pfSsh.php playback enableallowallwan"})
	return append(steps, ShellSession(cmds)...)
}

// restAPIInstall installs the REST API package and restarts PHP-FPM (which reports an
// error on a fresh install; harmless, so its output is not checked).
func restAPIInstall(url string) []Command {
	return []Command{
		{
			Line:    "pkg-static -C /dev/null add " + url,
			Done:    regexp.MustCompile(`Installing.*done|Extracting.*done|already installed`),
			Fail:    regexp.MustCompile(`pkg-static: .*(failed|wrong architecture|No such file)`),
			Timeout: 120 * time.Second,
		},
		{Line: "service php-fpm restart"},
	}
}
