// Package pfsense holds the serial-console state machines that turn the pfSense CE 2.7.2
// memstick into the golden image: install, first boot, and the upgrade to 2.8.1. Each is a
// list of console.Steps (prompt, keys, timeout), run by a console.Session. The prompts and
// their gotchas are in docs/golden-image.md (shared) and vmimage/README.md.
package pfsense

import (
	"regexp"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

// InstallSteps installs pfSense from the serial memstick onto the virtio disk (vtbd0) with
// ZFS on a single-disk stripe, then reboots. The installer (bsdinstall with dialog) is
// driven by letter shortcuts only: arrow keys arrive as a bare ESC, which cancels a dialog.
func InstallSteps() []console.Step {
	const d = 300 * time.Second
	enter := console.Enter
	return []console.Step{
		console.Expect("console type", `Console type.*\]: `, d, "xterm"+enter),
		console.Expect("copyright notice", `Copyright|Trademark|Redistribution`, d, enter),
		console.Expect("welcome: install", `Install.*Rescue|Install.*pfSense`, d, enter),
		console.Expect("keymap", `Keymap|keymap|Continue with`, d, enter),
		console.Expect("partitioning: Auto (ZFS)", `Partitioning|How would you like|Auto.*ZFS`, d, enter),
		// T jumps to "Pool Type/Disks".
		console.Expect("ZFS configuration: pool type", `ZFS Configuration|Configure Options|Pool Type`, d, "T", enter),
		console.Expect("virtual device: stripe", `stripe|Virtual Device`, d, enter),
		// Space selects the disk; the installer sees the virtio disk as vtbd0.
		console.Expect("disk: vtbd0", `vtbd0|VirtIO|ZFS.*Disks`, d, console.Space, enter),
		// Back on the configuration screen, now with one disk; > jumps to "Install". The
		// screen's title also says stripe, so only the literal summary counts.
		console.Expect("ZFS configuration: install", regexp.QuoteMeta("stripe: 1 disk"), d, ">", enter),
		// "Last Chance" focuses NO: Tab moves to YES. A bare Enter would abort the install.
		console.Expect("last chance: destroy the disk", `Last Chance|Are you sure`, d, console.Tab, enter).WithFail(`Abort|failed`),
		console.Expect("installation complete: reboot", `Complete|Installation Complete|Reboot|Manual Configuration`, 900*time.Second, enter).WithFail(`Abort|failed|Error`),
		{
			Name:        "rebooting",
			Replies:     []console.Reply{{Prompt: regexp.MustCompile(`Rebooting|syncing disks|Uptime`)}},
			Timeout:     d,
			EndsSession: true,
		},
	}
}
