// Package pfsense holds the serial-console state machines that turn the pfSense CE 2.7.2
// memstick into the golden image, one per build stage: install (memstick to disk), first
// boot (interface assignment when asked, SSH) and the upgrade to 2.8.1 with the REST API
// package. Each is a list of console.Steps (prompt, keys, timeout), run by a
// console.Session; each stage ends with the VM powered off, so that its disk is complete and
// the next stage boots it afresh. The prompts and their sources are cited where they are
// used; the sequence follows the seed project's expect scripts (abl030/pfsense-mcp vm/*.exp).
package pfsense

import (
	"regexp"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

// InstallSteps installs pfSense from the serial memstick onto the virtio disk (vtbd0) with
// ZFS on a single-disk stripe, then reboots. QEMU must run with -no-reboot: the reboot into
// the installed system then ends QEMU, after the kernel synced the disks. The installer
// (bsdinstall with dialog) is driven by letter shortcuts only: arrow keys arrive as a bare
// ESC, which cancels a dialog. Every prompt is one the seed's vm/install.exp matched on the
// real installer, narrowed where the previous screen could also show it: dialogs redraw
// their old screen when a key moves the highlight.
func InstallSteps() []console.Step {
	const d = 300 * time.Second
	enter := console.Enter
	return []console.Step{
		// vm/install.exp line 41.
		console.Expect("console type", `Console type.*\]: `, d, "xterm"+enter),
		// Lines 52, 64, 75, 94, 114.
		console.Expect("copyright notice", `Copyright|Trademark|Redistribution`, d, enter),
		console.Expect("welcome: install", `Install.*Rescue|Install.*pfSense`, d, enter),
		console.Expect("keymap", `Keymap|keymap|Continue with`, d, enter),
		console.Expect("partitioning: Auto (ZFS)", `Partitioning|How would you like|Auto.*ZFS`, d, enter),
		// T jumps to "Pool Type/Disks" (line 118).
		console.Expect("ZFS configuration: pool type", `ZFS Configuration|Configure Options|Pool Type`, d, "T", enter),
		// Line 130 also accepts a bare "stripe", but the configuration screen's redraw after
		// T shows "stripe: 0 disks": only the vdev dialog's own words count.
		console.Expect("virtual device: stripe", `Virtual Device|Stripe.*No Redundancy`, d, enter),
		// Line 143; "ZFS.*Disks" dropped for the same reason ("Pool Type/Disks"). Space
		// selects the disk; the installer sees the virtio disk as vtbd0.
		console.Expect("disk: vtbd0", `vtbd0`, d, console.Space, enter),
		// Back on the configuration screen, now with one disk; > jumps to "Install" (line 170).
		// The screen's title also says stripe, so only the literal summary counts (line 166).
		console.Expect("ZFS configuration: install", regexp.QuoteMeta("stripe: 1 disk"), d, ">", enter),
		// "Last Chance" focuses NO: Tab moves to YES (line 186). A bare Enter answers NO.
		console.Expect("last chance: destroy the disk", `Last Chance|Are you sure`, d, console.Tab, enter).
			WithFail(`Abort|failed`, "the installer gave up before the Last Chance question (vm/install.exp line 191)"),
		// Line 204, within 900 s (line 201). Extraction prints file and package names for
		// minutes, so no word such as "Error" or "failed" may end the wait (the seed had no
		// failure pattern here); only the installer's Abort dialog, as on Last Chance.
		console.Expect("installation complete: reboot", `Complete|Installation Complete|Reboot|Manual Configuration`, 900*time.Second, enter).
			WithFail(`Abort`, "the installer aborted"),
		// The seed's line 220 then took any "reboot" as the end. Whichever dialog matched
		// above, bsdinstall may still ask to reboot in its "Complete" dialog (Reboot focused);
		// otherwise the reboot ends QEMU (-no-reboot), which ends this step too.
		{
			Name: "reboot into the installed system (QEMU exits: -no-reboot)",
			Replies: []console.Reply{{
				Prompt: regexp.MustCompile(`Complete`),
				Keys:   []string{enter},
				Then:   []console.Step{console.WaitPowerOff("reboot (QEMU exits: -no-reboot)", d)},
			}},
			Timeout:     d,
			EndsSession: true,
		},
	}
}
