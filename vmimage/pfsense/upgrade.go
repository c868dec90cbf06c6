package pfsense

import (
	"regexp"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

// The pfSense 2.8.1 repository switch, from the seed's vm/UPGRADE-LEARNINGS.md ("What
// Works"). On stock 2.7.2 the 2_8_1 repository files already exist; pkg-static only honours
// the ABI in pkg.conf, pfSense-repo-setup only the symlink and the ".default" marker, and
// installing pfSense-repo rewrites them, hence applying them again after it.
const (
	repoDir     = "/usr/local/etc/pfSense/pkg/repos"
	pkgConfLine = `printf 'ABI=FreeBSD:15:amd64\nALTABI=freebsd:15:x86:64\n' > /usr/local/etc/pkg.conf`
)

// RESTAPIPackage281 is the REST API release that the golden image carries (the version of
// the spec the generator reads), built for pfSense 2.8.1.
const RESTAPIPackage281 = "https://github.com/pfrest/pfSense-pkg-RESTAPI/releases/download/v2.7.1/pfSense-2.8.1-pkg-RESTAPI.pkg"

// UpgradeOptions tune UpgradeSteps.
type UpgradeOptions struct {
	// NoUpgrade stays on 2.7.2 and only installs the REST API package, which must then be
	// a build for 2.7.2 (the v2.7.1 package needs FreeBSD 15: "wrong architecture").
	NoUpgrade bool
	// RESTAPIPackageURL is the package to install; default RESTAPIPackage281.
	RESTAPIPackageURL string
}

func repoOverrides() []Command {
	return []Command{
		{Line: pkgConfLine},
		{Line: "ln -sf " + repoDir + "/pfSense-repo-2_8_1.conf /usr/local/etc/pkg/repos/pfSense.conf"},
		{Line: "rm -f " + repoDir + "/pfSense-repo-2.7.2.default"},
		{Line: "touch " + repoDir + "/pfSense-repo-2_8_1.default"},
	}
}

// pfSense-upgrade's own words (sysutils/pfSense-upgrade/files/pfSense-upgrade in
// pfsense/FreeBSD-ports, read at commit 009c913; the copy on 2.7.2 may differ): it ends
// with status 0 both after a real upgrade, `do_reboot`: "Upgrade is complete.  Rebooting in
// 10 seconds." (the reboot runs in the background), and when it found nothing to do,
// `check_upgrade`: "Your packages are up to date" (what happens when the repository switch
// did not take: seed vm/UPGRADE-LEARNINGS.md, attempts 1, 5 and 6).
var (
	upgradeDone    = regexp.MustCompile(`Upgrade is complete\.`)
	upgradeNothing = regexp.MustCompile(`Your packages are up to date|Your system is up to date|Your system is on a newer version`)
)

// UpgradeSteps boots the first-booted 2.7.2, upgrades it to 2.8.1 (two shells and the
// reboots pfSense-upgrade and the base upgrade need), installs the REST API package,
// applies the blockpriv fix and powers off. Every shell is a new tcsh: each sets
// IGNORE_OSVERSION first. A reboot that turns into a power-off is survived: the steps that
// wait across one are marked SurvivesPowerOff (the seed's vm/upgrade-2.8.exp restarts QEMU,
// lines 264-308).
func UpgradeSteps(opts UpgradeOptions) []console.Step {
	pkgURL := opts.RESTAPIPackageURL
	if pkgURL == "" {
		pkgURL = RESTAPIPackage281
	}
	sh := &Shell{}
	steps := []console.Step{sh.Open(600 * time.Second)}
	if !opts.NoUpgrade {
		first := []Command{IgnoreOSVersion}
		first = append(first, repoOverrides()...)
		first = append(first,
			pkgCommand("pkg-static clean -ay", 120*time.Second),
			pkgCommand("pkg-static update -f", 300*time.Second),
			pkgCommand("pkg-static install -fy pkg pfSense-repo pfSense-upgrade", 600*time.Second),
		)
		first = append(first, repoOverrides()...)
		first = append(first, Command{
			// -U skips pfSense-repoc-static, which would reset the repository to 2.7.2.
			Line: "pfSense-upgrade -U -y",
			Fail: regexp.MustCompile(osVersionQuestion.String() + `|` + upgradeNothing.String()),
			FailWhy: "pfSense-upgrade did not upgrade: the repository switch to 2.8.1 did not take " +
				"(or pkg asked about the OS version)",
			Require:    upgradeDone,
			RequireWhy: "pfSense-upgrade ends an upgrade by announcing the reboot",
			Timeout:    1800 * time.Second,
		})
		// pfSense-upgrade reboots by itself 10 s after it returns; at boot it runs its
		// second stage, which reboots once more for a new major version. The menu comes
		// after the last boot: nothing may be typed until then.
		steps = append(steps, sh.Commands(first)...)
		steps = append(steps, afterReboot("menu after the upgrade's reboots", sh))

		// After those reboots the kernel is 2.8.1's but the base packages are still
		// 2.7.2's, and the boot reset the repository settings (seed vm/upgrade-2.8.exp,
		// lines 310-315): upgrade everything with pkg-static, then reboot.
		second := []Command{IgnoreOSVersion}
		second = append(second, repoOverrides()...)
		second = append(second,
			pkgCommand("pkg-static update -f", 300*time.Second),
			pkgCommand("pkg-static upgrade -fy", 1800*time.Second),
		)
		steps = append(steps, sh.Run(second, "reboot")...)
		steps = append(steps, afterReboot("menu after the base upgrade's reboot", sh))
	}

	third := []Command{IgnoreOSVersion}
	if !opts.NoUpgrade {
		// /etc/version is what the prompt shows (dot.tcshrc line 33): "2.8.1-RELEASE".
		third = append(third, Command{Line: `grep -q '^2\.8\.1' /etc/version`})
	}
	third = append(third,
		pkgCommand("pkg-static -C /dev/null add "+pkgURL, 300*time.Second),
		pkgCommand("pkg-static info -e pfSense-pkg-RESTAPI", 60*time.Second),
		// The seed restarts PHP-FPM so that the API is served; on a fresh install it
		// reports an error and works anyway (golden-image.md, firstboot).
		Command{Line: "service php-fpm restart", AnyStatus: true, Timeout: 120 * time.Second},
		// The blockpriv fix: WAN blocks private networks by default (factory config.xml
		// <blockpriv/>), and the host reaches WAN from 10.0.2.2. The playback
		// (src/etc/phpshellsessions/enableallowallwan) adds a pass rule and turns blockpriv
		// and blockbogons off; pfSsh.php exits 0 after a playback (src/usr/local/sbin/
		// pfSsh.php lines 226-233) and -1 for an unknown one.
		Command{Line: "pfSsh.php playback enableallowallwan", Timeout: 120 * time.Second},
	)
	return append(steps, sh.PowerOff(third)...)
}

// afterReboot waits for the menu after the firewall rebooted, however many times, and opens
// the shell. QEMU may exit instead (a reboot that became a halt): the step survives it.
func afterReboot(name string, sh *Shell) console.Step {
	st := sh.Open(1200 * time.Second)
	st.Name = name + ": open the shell"
	st.SurvivesPowerOff = true
	return st.WithFail(osVersionQuestion.String(), osVersionWhy)
}
