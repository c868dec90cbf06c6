package pfsense

import (
	"regexp"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

// FirstBootSteps boots the installed disk for the first time and leaves it with WAN on em0,
// LAN on em1, no optional interface and SSH enabled, then powers it off.
//
// Whether pfSense asks for the interface assignment depends on its configuration:
// src/etc/rc.bootup line 147 (RELENG_2_7_2) runs it only while is_interface_mismatch()
// (src/etc/inc/util.inc line 2593) finds an interface the configuration names missing. The
// factory config.xml (pfsense/FreeBSD-ports sysutils/pfSense-default-config/files/config.xml,
// read at commit a6e2e68: <wan><if>em0</if> and <lan><if>em1</if>) names em0 and em1, which
// exist with three e1000 NICs, so a stock first boot goes straight to the console menu;
// the seed's vm/firstboot.exp (lines 39-84) waits for either. Both are handled: the VLAN
// question leads through the assignment, the menu skips it.
func FirstBootSteps() []console.Step {
	const boot = 600 * time.Second
	enter := console.Enter
	sh := &Shell{}
	assign := []console.Step{
		// config.console.inc lines 127-128: "Enter the WAN interface name or 'a' for
		// auto-detection", then "(em0 em1 em2 or a): ".
		console.Expect("WAN interface: em0", `Enter the WAN interface name`, 60*time.Second, "em0"+enter),
		// Lines 144-146.
		console.Expect("LAN interface: em1", `Enter the LAN interface name`, 60*time.Second, "em1"+enter),
		{
			// Lines 184-185 ask for Optional 1 while an interface is left (em2 is); with no
			// interface left, line 237 asks to proceed at once.
			Name: "optional interface: none",
			Replies: []console.Reply{
				{Prompt: regexp.MustCompile(`Enter the Optional 1 interface name`), Keys: []string{enter},
					Then: []console.Step{console.Expect("assign interfaces: proceed", proceedPrompt, 60*time.Second, "y"+enter)}},
				{Prompt: regexp.MustCompile(proceedPrompt), Keys: []string{"y" + enter}},
			},
			Timeout: 60 * time.Second,
		},
		// After the assignment rc.bootup goes on booting; rc.initial then shows the menu.
		console.Expect("menu: SSH toggle", MenuPrompt.String(), boot, "14"+enter),
	}
	steps := []console.Step{
		{
			Name: "first boot: interface assignment or the menu",
			Replies: []console.Reply{
				// config.console.inc line 98.
				{Prompt: regexp.MustCompile(`Should VLANs be set up now \[y\|n\]\?`), Keys: []string{"n" + enter}, Then: assign},
				// Option 14 toggles SSH (rc.initial line 141).
				{Prompt: MenuPrompt, Keys: []string{"14" + enter}},
			},
			Timeout: boot,
		},
		sshEnabled(),
		sh.Open(120 * time.Second),
	}
	return append(steps, sh.PowerOff([]Command{IgnoreOSVersion})...)
}

// proceedPrompt is config.console.inc line 237.
const proceedPrompt = `Do you want to proceed \[y\|n\]\?`

// sshEnabled answers the SSH toggle so that SSH ends up enabled whichever state it is in:
// src/etc/rc.initial.toggle_sshd asks to disable when it is on (line 40) and to enable when
// it is off (line 56). The factory config has no <ssh> (SSH off).
func sshEnabled() console.Step {
	return console.Step{
		Name: "SSH: keep enabled",
		Replies: []console.Reply{
			{Prompt: regexp.MustCompile(`SSHD is currently enabled\.`), Keys: []string{"n" + console.Enter}},
			{Prompt: regexp.MustCompile(`SSHD is currently disabled\.`), Keys: []string{"y" + console.Enter}},
		},
		Timeout: 60 * time.Second,
	}
}
