package pfsense_test

import (
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/serialtest"
)

// The screens below are what the pfSense CE 2.7.2 serial memstick and console print, as
// far as the prompts matter: bsdinstall draws dialog boxes with ANSI sequences, the console
// menu is plain text, and the root shell's prompt is coloured.

const (
	csi = "\x1b["
	// box draws a dialog frame the way dialog does over a serial xterm.
	boxTop = csi + "?1049h" + csi + "1;24r" + csi + "m" + csi + "4l" + csi + "H" + csi + "2J" + csi + "0;1;37;44m"
	boxEnd = csi + "0m" + csi + "24;1H"
)

func dialog(title, body string) string {
	return boxTop + csi + "3;10H" + csi + "1;37;44m" + title + csi + "0;30;47m" + csi + "5;12H" +
		strings.ReplaceAll(body, "\n", "\r\n"+csi+"12G") + boxEnd
}

var (
	bootLoader = "\r\nConsoles: serial port  \r\nBIOS drive C: is disk0\r\nBIOS drive D: is disk1\r\n" +
		"FreeBSD/x86 bootstrap loader, Revision 1.1\r\n\r\n/boot/kernel/kernel text=0x1a0e1b8 data=0x132 syms=[0x8+0x1959d8]\r\n" +
		"Booting...\r\n---<<BOOT>>---\r\nCopyright (c) 1992-2023 The FreeBSD Project.\r\n"
	consoleType = "\r\nStarting local daemons:\r\nWelcome to pfSense!\r\n\r\n" +
		"Please choose the appropriate terminal type for your system.\r\nCommon console types are:\r\n" +
		"   ansi     Standard ANSI terminal\r\n   vt100    VT100 or compatible terminal\r\n" +
		"   xterm    xterm terminal emulator (or compatible)\r\n\r\nConsole type [vt100]: "
	copyright = dialog("Copyright and distribution notice",
		"Copyright and Trademark Notices.\n\nCopyright(c) 2004-2016. Electric Sheep Fencing, LLC (\"ESF\").\n"+
			"All Rights Reserved.\n\nRedistribution and use in source and binary forms ...\n\n       <Accept>")
	welcome = dialog("pfSense Installer",
		"Welcome to pfSense!\n\n  Install  Install pfSense\n  Rescue Shell  Launch a shell for rescue operations\n"+
			"  Recover config.xml  Recover config.xml from a previous install\n\n     <  OK  >     <Cancel>")
	keymap = dialog("Keymap Selection",
		"The system console driver for pfSense defaults to standard \"US\"\nkeyboard map. Other keymaps can be chosen below.\n\n"+
			">>> Continue with default keymap\n->- Test default keymap\n( ) Armenian phonetic layout\n\n   <Select>    <Cancel>")
	partitioning = dialog("Partitioning",
		"How would you like to partition your disk?\n\n  Auto (ZFS)       Guided Root-on-ZFS\n  Auto (UFS) BIOS  Guided Disk Setup using BIOS boot method\n"+
			"  Manual           Manual Disk Setup (experts)\n  Shell            Open a shell and partition by hand\n\n     <  OK  >     <Cancel>")
	zfsConfig = func(disks string) string {
		return dialog("ZFS Configuration",
			"Configure Options:\n\n>>> Install          Proceed with Installation\n"+
				"T Pool Type/Disks:  stripe: "+disks+"\n- Rescan Devices     *\n- Disk Info          *\nN Pool Name          pfSense\n"+
				"4 Force 4K Sectors?  YES\nE Encrypt Disks?     NO\nP Partition Scheme   GPT (BIOS)\nS Swap Size          1g\n\n     <Select>     <Cancel>")
	}
	virtualDevice = dialog("ZFS Configuration",
		"Select Virtual Device type:\n\n  stripe  Stripe - No Redundancy\n  mirror  Mirror - n-Way Mirroring\n  raid10  RAID 1+0 - n x 2-Way Mirrors\n"+
			"  raidz1  RAID-Z1 - Single Redundant RAID\n\n     <  OK  >     <Cancel>")
	disks = dialog("ZFS Configuration",
		"[ ] vtbd0  VirtIO Block Device\n\n     <  OK  >     <Cancel>")
	lastChance = dialog("ZFS Configuration",
		"Last Chance! Are you sure you want to destroy\nthe current contents of the following disks:\n\n   vtbd0\n\n"+
			"      < YES >     "+csi+"7m<  NO  >"+csi+"27m")
	extracting = dialog("Archive Extraction", "Extracting distribution files...\n\n  base.txz      [ Done ]\n\n  Overall Progress: 100%")
	complete   = dialog("Complete",
		"Installation of pfSense complete! Would you like to reboot into the\ninstalled system now?\n\n     < Reboot >     <Shell>")
	aborted     = dialog("Abort", "Installation aborted. The disk was not changed.\n\n   <  OK  >")
	welcomeBack = welcome // a bare ESC cancels back to the first dialog.
	rebooting   = "\r\nWaiting (max 60 seconds) for system process `vnlru' to stop... done\r\nsyncing disks... All buffers synced.\r\nUptime: 4m12s\r\nRebooting...\r\n"
)

// installScript is the installer as the real memstick plays it.
func installScript() []serialtest.Exchange {
	return []serialtest.Exchange{
		{Name: "boot", Show: bootLoader},
		{Name: "console type", Show: consoleType, Keys: []string{"xterm\r"}},
		{Name: "copyright", Show: copyright, Keys: []string{"\r"}, Wrong: welcomeBack},
		{Name: "welcome", Show: welcome, Keys: []string{"\r"}},
		{Name: "keymap", Show: keymap, Keys: []string{"\r"}},
		{Name: "partitioning", Show: partitioning, Keys: []string{"\r"}},
		{Name: "zfs config", Show: zfsConfig("0 disks"), Keys: []string{"T", "\r"}, Wrong: welcomeBack},
		{Name: "virtual device", Show: virtualDevice, Keys: []string{"\r"}},
		{Name: "disks", Show: disks, Keys: []string{" ", "\r"}},
		{Name: "zfs config with a disk", Show: zfsConfig("1 disk"), Keys: []string{">", "\r"}},
		{Name: "last chance", Show: lastChance, Keys: []string{"\t", "\r"}, Wrong: aborted},
		{Name: "extracting", Show: extracting},
		{Name: "complete", Show: complete, Keys: []string{"\r"}},
		{Name: "rebooting", Show: rebooting, EOF: true},
	}
}

// The first boot and the console menu.
const (
	vlanPrompt = "\r\nValid interfaces are:\r\n\r\nem0      52:54:00:00:00:01   (up) Intel(R) Legacy PRO/1000 MT 82540EM\r\n" +
		"em1      52:54:00:00:00:02   (up) Intel(R) Legacy PRO/1000 MT 82540EM\r\nem2      52:54:00:00:00:03   (up) Intel(R) Legacy PRO/1000 MT 82540EM\r\n\r\n" +
		"Do VLANs need to be set up first?\r\nIf VLANs will not be used, or only for optional interfaces, it is typical to\r\n" +
		"say no here and use the webConfigurator to configure VLANs later, if required.\r\n\r\nShould VLANs be set up now [y|n]? "
	wanPrompt = "\r\nIf the names of the interfaces are not known, auto-detection can\r\nbe used instead. To use auto-detection, please disconnect all\r\n" +
		"interfaces before pressing 'a' to begin the process.\r\n\r\nEnter the WAN interface name or 'a' for auto-detection \r\n(em0 em1 em2 or a): "
	lanPrompt = "\r\nEnter the LAN interface name or 'a' for auto-detection \r\nNOTE: this enables full Firewalling/NAT mode.\r\n(em1 em2 a or nothing if finished): "
	optPrompt = "\r\nEnter the Optional 1 interface name or 'a' for auto-detection\r\n(em2 a or nothing if finished): "
	proceed   = "\r\nThe interfaces will be assigned as follows:\r\n\r\nWAN  -> em0\r\nLAN  -> em1\r\n\r\nDo you want to proceed [y|n]? "
	menu      = "\r\nKVM Guest - Netgate Device ID: 8f2a0c3b1d4e5f60a7b8\r\n\r\n*** Welcome to pfSense 2.7.2-RELEASE (amd64) on pfSense ***\r\n\r\n" +
		" WAN (wan)       -> em0        -> v4/DHCP4: 10.0.2.15/24\r\n LAN (lan)       -> em1        -> v4: 192.168.1.1/24\r\n\r\n" +
		" 0) Logout (SSH only)                  9) pfTop\r\n 1) Assign Interfaces                 10) Filter Logs\r\n" +
		" 2) Set interface(s) IP address       11) Restart webConfigurator\r\n 3) Reset webConfigurator password    12) PHP shell + pfSense tools\r\n" +
		" 4) Reset to factory defaults         13) Update from console\r\n 5) Reboot system                     14) Enable Secure Shell (sshd)\r\n" +
		" 6) Halt system                       15) Restore recent configuration\r\n 7) Ping host                         16) Restart PHP-FPM\r\n" +
		" 8) Shell\r\n\r\nEnter an option: "
	sshDisabled = "\r\nSSHD is currently disabled.  Would you like to enable? [y/n]? "
	sshEnabled  = "\r\nSSHD is currently enabled.  Would you like to disable? [y/n]? "
	// The tcsh prompt: colour codes around every part, the host name in the middle.
	prompt    = "\r\n" + csi + "1;33m[2.7.2-RELEASE]" + csi + "0m" + csi + "1;34m[root@pfSense.home.arpa]" + csi + "0m" + csi + "1;32m/root: " + csi + "0m"
	prompt281 = "\r\n" + csi + "1;33m[2.8.1-RELEASE]" + csi + "0m" + csi + "1;34m[root@pfSense.home.arpa]" + csi + "0m" + csi + "1;32m/root: " + csi + "0m"
)

// cmd is a shell command and what it prints.
type cmd struct{ line, output string }

// shell plays the shell: each command is typed at a prompt and its output precedes the
// next prompt; exit returns to the menu.
func shell(p string, cmds ...cmd) []serialtest.Exchange {
	var ex []serialtest.Exchange
	out := ""
	for _, c := range cmds {
		ex = append(ex, serialtest.Exchange{Name: "shell: " + c.line, Show: out + p, Keys: []string{c.line + "\r"}})
		out = "\r\n" + c.output
	}
	return append(ex, serialtest.Exchange{Name: "output of " + cmds[len(cmds)-1].line, Show: out})
}
