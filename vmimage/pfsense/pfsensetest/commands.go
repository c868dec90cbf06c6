package pfsensetest

import (
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/serialtest"
)

// The repository files the upgrade juggles (seed vm/UPGRADE-LEARNINGS.md, "Repo File
// Inventory").
const (
	repoDir     = "/usr/local/etc/pfSense/pkg/repos"
	pkgConf281  = `printf 'ABI=FreeBSD:15:amd64\nALTABI=freebsd:15:x86:64\n' > /usr/local/etc/pkg.conf`
	link281     = "ln -sf " + repoDir + "/pfSense-repo-2_8_1.conf /usr/local/etc/pkg/repos/pfSense.conf"
	rmDefault   = "rm -f " + repoDir + "/pfSense-repo-2.7.2.default"
	touch281    = "touch " + repoDir + "/pfSense-repo-2_8_1.default"
	restAPIName = "pfSense-pkg-RESTAPI-2.7.1"
)

// overridden reports whether pkg would see the 2.8.1 repository: the ABI, the symlink and
// the .default marker all switched (UPGRADE-LEARNINGS.md, "After those four steps").
func (d Disk) overridden() bool {
	return d.PkgABI == "FreeBSD:15:amd64" && d.RepoLink == "2_8_1" && d.Default281
}

// run runs one command line in tcsh and returns its exit status; end is "reboot" or
// "poweroff" when the command ends the session.
func (f *Firewall) run(c *serialtest.Console, cmd string, env map[string]string) (status int, end string, err error) {
	d := f.Disk()
	ignore := env["IGNORE_OSVERSION"] == "yes"
	// askOSVersion is pkg's question when a package's OS version is newer than the kernel's:
	// it reads the answer from the terminal (anything but y is no).
	askOSVersion := func() (bool, error) {
		c.Print(osVersionQuestion)
		a, err := c.ReadLine(true)
		if err != nil {
			return false, err
		}
		return strings.HasPrefix(a, "y"), nil
	}
	switch {
	case cmd == "setenv IGNORE_OSVERSION yes":
		env["IGNORE_OSVERSION"] = "yes"
	case cmd == pkgConf281:
		f.update(func(d *Disk) { d.PkgABI = "FreeBSD:15:amd64" })
	case cmd == link281:
		f.update(func(d *Disk) { d.RepoLink = "2_8_1" })
	case cmd == rmDefault:
	case cmd == touch281:
		f.update(func(d *Disk) { d.Default281 = true })
	case cmd == "pkg-static clean -ay":
		c.Print("Nothing to do.\r\n")
	case cmd == "pkg-static update -f":
		if d.PkgABI == "FreeBSD:15:amd64" && d.Kernel < 15 && !ignore {
			ok, err := askOSVersion()
			if err != nil || !ok {
				return 1, "", err
			}
		}
		c.Print("Updating pfSense-core repository catalogue...\r\n" + pkgProgress("Fetching meta.conf") + pkgProgress("Fetching data.pkg") +
			"Processing entries: 100%\r\npfSense-core repository update completed. 15 packages processed.\r\n" +
			"Updating pfSense repository catalogue...\r\n" + pkgProgress("Fetching data.pkg") +
			"Processing entries: 100%\r\npfSense repository update completed. 552 packages processed.\r\nAll repositories are up to date.\r\n")
	case cmd == "pkg-static install -fy pkg pfSense-repo pfSense-upgrade":
		c.Print("Updating pfSense-core repository catalogue...\r\npfSense-core repository is up to date.\r\n" +
			"All repositories are up to date.\r\nChecking integrity... done (0 conflicting)\r\n" +
			"The following 3 package(s) will be affected (of 0 checked):\r\n\r\n" +
			pkgInstall("[1/3] ", "pkg-2.1.2") + pkgInstall("[2/3] ", "pfSense-repo-2.8.1") + pkgInstall("[3/3] ", "pfSense-upgrade-1.3.6"))
		// Installing pfSense-repo rewrites the three settings (UPGRADE-LEARNINGS.md,
		// "Re-override pkg.conf + symlink").
		f.update(func(d *Disk) { d.PkgABI, d.RepoLink, d.Default281 = "FreeBSD:14:amd64", "2.7.2", false })
	case cmd == "pfSense-upgrade -U -y":
		if !d.overridden() {
			c.Print(">>> Updating repositories metadata... \r\nYour packages are up to date\r\n")
			return 0, "", nil
		}
		// pkg runs behind a pipe here (pfSense-upgrade's _exec), so it prints the non-tty
		// format. Hundreds of packages' messages scroll by; their words (an illustrative
		// "failed" here, in pkg-static's warning format) must not decide anything.
		c.Print(">>> Updating repositories metadata... \r\n>>> Downloading upgrade packages... \r\n" +
			pkgPiped("[1/552] Fetching php83-8.3.19.pkg") +
			"pkg-static: Warning: Major OS version upgrade detected.  Running \"pkg bootstrap -f\" is recommended\r\n" +
			"[1/552] Message from php83-8.3.19:\r\n--\r\nThe optional extension probe failed; it is loaded on demand.\r\n" +
			"pkg-static: cannot replace /usr/local/etc/php.ini: copy failed, kept the old file\r\n" +
			">>> Upgrading pfSense kernel... \r\n[1/1] Installing pfSense-kernel-pfSense-2.8.1...\r\n" +
			pkgPiped("[1/1] Extracting pfSense-kernel-pfSense-2.8.1") +
			"Upgrade is complete.  Rebooting in 10 seconds.\r\n")
		f.update(func(d *Disk) { d.UpgradeStage, d.Kernel = 2, 15 })
		// do_reboot runs the reboot in the background, 10 s later.
		go func() {
			if c.Sleep(10*f.opts.Tick) == nil {
				c.Print("\r\n*** FINAL System shutdown message from root@pfSense.home.arpa ***\r\n")
				f.rebootNow(c)
			}
		}()
	case cmd == "pkg-static upgrade -fy":
		if !d.overridden() {
			c.Print("Updating pfSense-core repository catalogue...\r\npfSense-core repository is up to date.\r\nYour packages are up to date.\r\n")
			return 0, "", nil
		}
		c.Print("Checking for upgrades (412 candidates): 100%\r\nProcessing candidates (412 candidates): 100%\r\n" +
			"The following 412 package(s) will be affected (of 0 checked):\r\n\r\n" +
			pkgInstall("[1/412] ", "pfSense-base-2.8.1") + "[412/412] Reinstalling pfSense-2.8.1...\r\n" +
			pkgProgress("[412/412] Extracting pfSense-2.8.1"))
		f.update(func(d *Disk) { d.Base, d.Version = 15, "2.8.1-RELEASE" })
	case cmd == `grep -q '^2\.8\.1' /etc/version`:
		if !strings.HasPrefix(d.Version, "2.8.1") {
			return 1, "", nil
		}
	case strings.HasPrefix(cmd, "pkg-static -C /dev/null add "):
		url := strings.TrimPrefix(cmd, "pkg-static -C /dev/null add ")
		file := url[strings.LastIndex(url, "/")+1:]
		c.Print(pkgProgress("Fetching " + file))
		if strings.Contains(file, "2.8.1") && d.Base < 15 {
			// seed vm/UPGRADE-LEARNINGS.md, attempt 4.
			c.Print("pkg-static: wrong architecture: FreeBSD:15:* instead of FreeBSD:14:amd64\r\n" +
				"Failed to install the following 1 package(s): /tmp/" + file + "\r\n")
			return 1, "", nil
		}
		if f.opts.RESTAPIOSVersionNewer && !ignore {
			ok, err := askOSVersion()
			if err != nil || !ok {
				return 1, "", err
			}
		}
		c.Print(pkgInstall("", restAPIName))
		f.update(func(d *Disk) { d.RESTAPI = "2.7.1" })
	case cmd == "pkg-static info -e pfSense-pkg-RESTAPI":
		if d.RESTAPI == "" {
			return 1, "", nil
		}
	case cmd == "service php-fpm restart":
		// It fails harmlessly on a fresh install (golden-image.md, firstboot).
		c.Print("Stopping php_fpm.\r\nWaiting for PIDS: 402.\r\nphp_fpm not running? (check /var/run/php-fpm.pid).\r\n")
		return 1, "", nil
	case cmd == "pfSsh.php playback enableallowallwan":
		c.Print(allowAllWAN)
		f.update(func(d *Disk) { d.AllowAllWAN = true })
	case cmd == "reboot":
		c.Print("\r\n*** FINAL System shutdown message from root@pfSense.home.arpa ***\r\n")
		return 0, "reboot", nil
	case cmd == "shutdown -p now":
		c.Print("Shutdown NOW!\r\nshutdown: [pid 8214]\r\n\r\n*** FINAL System shutdown message from root@pfSense.home.arpa ***\r\n" +
			shutdownLines + "acpi0: Powering system off\r\n")
		c.PowerOff()
		return 0, "poweroff", nil
	case cmd == "exit":
		return 0, "exit", nil
	default:
		word, _, _ := strings.Cut(cmd, " ")
		c.Print(word + ": Command not found.\r\n")
		c.Mismatch("shell: unknown command %q", cmd)
		return 1, "", nil
	}
	return 0, "", nil
}

// rebootNow is a reboot that happens behind the shell's back (pfSense-upgrade's background
// reboot): the shell loses its terminal and the machine boots again.
func (f *Firewall) rebootNow(c *serialtest.Console) {
	c.Interrupt()
}
