package pfsense

import (
	"regexp"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

// The pfSense 2.8.1 repository switch. On stock 2.7.2 the 2_8_1 repository files already
// exist; pkg-static only honours the ABI in pkg.conf, pfSense-repo-setup only the symlink
// and the ".default" marker, and installing pfSense-repo rewrites all three, hence
// "re-apply" after it.
const (
	repoDir     = "/usr/local/etc/pfSense/pkg/repos"
	pkgConfLine = `printf 'ABI=FreeBSD:15:amd64\nALTABI=freebsd:15:x86:64\n' > /usr/local/etc/pkg.conf`
)

// RESTAPIPackage281 is the REST API release that the golden image carries (the version of
// the spec the generator reads), built for pfSense 2.8.1.
const RESTAPIPackage281 = "https://github.com/pfrest/pfSense-pkg-RESTAPI/releases/download/v2.7.1/pfSense-2.8.1-pkg-RESTAPI.pkg"

// UpgradeOptions tune UpgradeSteps.
type UpgradeOptions struct {
	RESTAPIPackageURL string // default RESTAPIPackage281.
}

// repoOverrides points pkg at the 2.8.1 repository.
func repoOverrides() []Command {
	return []Command{
		{Line: pkgConfLine},
		{Line: "ln -sf " + repoDir + "/pfSense-repo-2_8_1.conf /usr/local/etc/pkg/repos/pfSense.conf"},
		{Line: "rm -f " + repoDir + "/pfSense-repo-2.7.2.default"},
		{Line: "touch " + repoDir + "/pfSense-repo-2_8_1.default"},
	}
}

// mismatch is pkg's interactive question when the package OS version is newer than the
// kernel's: without IGNORE_OSVERSION it waits on [y/N] and eats every later command.
var mismatch = regexp.MustCompile(`Ignore the mismatch and continue\?`)

// UpgradeSteps upgrades a first-booted 2.7.2 to 2.8.1 from the console menu, then
// installs the REST API package and re-applies the blockpriv fix. It ends at the menu;
// the host then polls the API (package apisetup).
func UpgradeSteps(opts UpgradeOptions) []console.Step {
	pkgURL := opts.RESTAPIPackageURL
	if pkgURL == "" {
		pkgURL = RESTAPIPackage281
	}
	pkgFail := regexp.MustCompile(mismatch.String() + `|pkg-static: .*(failed|Unable to update)`)
	// Every shell is a new tcsh: the variable goes first, each time.
	first := []Command{{Line: "setenv IGNORE_OSVERSION yes"}}
	first = append(first, repoOverrides()...)
	first = append(first,
		Command{Line: "pkg-static clean -ay", Fail: pkgFail, Timeout: 120 * time.Second},
		Command{Line: "pkg-static update -f", Fail: pkgFail, Timeout: 300 * time.Second},
		Command{Line: "pkg-static install -fy pkg pfSense-repo pfSense-upgrade", Fail: pkgFail, Timeout: 600 * time.Second},
	)
	first = append(first, repoOverrides()...)
	first = append(first, Command{
		Line: "pfSense-upgrade -U -y",
		// It reboots into 2.8.1 when done.
		Done:    regexp.MustCompile(`Rebooting|Upgrade is complete|rebooting`),
		Fail:    regexp.MustCompile(mismatch.String() + `|Your packages are up to date|failed`),
		Timeout: 1200 * time.Second,
	})

	steps := []console.Step{console.Expect("menu: open the shell", MenuPrompt.String(), 120*time.Second, "8"+console.Enter)}
	steps = append(steps, commandSteps(first[:len(first)-1], first[len(first)-1].Line)...)
	last := first[len(first)-1]
	steps = append(steps,
		console.Step{Name: "shell: " + last.Line, Replies: []console.Reply{{Prompt: last.Done}}, Fail: last.Fail, Timeout: last.Timeout},
		// Back in 2.8.1: straight into the shell again.
		console.Expect("menu after the upgrade reboot", MenuPrompt.String(), 600*time.Second, "8"+console.Enter).WithFail(mismatch.String()),
	)

	second := []Command{{Line: "setenv IGNORE_OSVERSION yes"}}
	second = append(second, repoOverrides()...)
	second = append(second,
		Command{Line: "pkg-static update -f", Fail: pkgFail, Timeout: 300 * time.Second},
		Command{Line: "pkg-static upgrade -fy", Fail: pkgFail, Timeout: 1200 * time.Second},
	)
	steps = append(steps, commandSteps(second, "reboot")...)
	steps = append(steps, console.Expect("menu after the second reboot", MenuPrompt.String(), 600*time.Second, "8"+console.Enter))

	third := restAPIInstall(pkgURL)
	third = append(third, Command{Line: "pfSsh.php playback enableallowallwan"})
	steps = append(steps, commandSteps(third, "exit")...)
	return append(steps, console.Expect("menu after the REST API install", MenuPrompt.String(), 60*time.Second))
}
