package pfsensetest

import (
	"fmt"
	"strings"
)

// What the pfSense console prints, rendered from the sources named at each piece. Where a
// text could not be read in a source (the installer's dialogs, the kernel's boot lines),
// it follows what the seed's expect scripts matched on the real console
// (abl030/pfsense-mcp vm/install.exp, vm/firstboot.exp, vm/upgrade-2.8.exp) and says so.

const csi = "\x1b["

// crlf turns the program's "\n" into what the tty sends (onlcr).
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// dialog renders a dialog(1) box the way curses paints a full screen on a serial line:
// cursor addressing, attributes and the alternate screen, and no newline anywhere, so that
// the whole screen is one line to a regexp (the worst case for patterns such as
// "Install.*pfSense").
func dialog(title, body string) string {
	var b strings.Builder
	b.WriteString(csi + "?1049h" + csi + "1;24r" + csi + "H" + csi + "2J" + csi + "0;1;37;44m")
	b.WriteString(csi + "1;1HpfSense Installer" + csi + "0;30;47m")
	fmt.Fprintf(&b, "%s3;10H%s%s%s0;30;47m", csi, csi+"1;37;44m", title, csi)
	for i, line := range strings.Split(body, "\n") {
		fmt.Fprintf(&b, "%s%d;12H%s", csi, 5+i, line)
	}
	b.WriteString(csi + "0m")
	return b.String()
}

// highlight is curses redrawing one menu row after a key moved the highlight to it.
func highlight(row int, text string) string {
	return fmt.Sprintf("%s%d;12H%s7m%s%s27m", csi, row, csi, text, csi)
}

// The memstick's boot: the loader, then the kernel. The kernel's banner also says
// "Copyright", before the installer's own notice.
const loader = "\r\nConsoles: serial port  \r\nBIOS drive C: is disk0\r\nBIOS drive D: is disk1\r\n" +
	"FreeBSD/x86 bootstrap loader, Revision 1.1\r\n\r\n/boot/kernel/kernel text=0x1a0e1b8 data=0x132 syms=[0x8+0x1959d8]\r\n" +
	"Booting...\r\n---<<BOOT>>---\r\nCopyright (c) 1992-2023 The FreeBSD Project.\r\n" +
	"Copyright (c) 1979, 1980, 1983, 1986, 1988, 1989, 1991, 1992, 1993, 1994\r\n" +
	"\tThe Regents of the University of California. All rights reserved.\r\n"

// nics are the kernel attaching the three e1000 NICs (qemu.PfSenseNICs).
const nics = "em0: <Intel(R) Legacy PRO/1000 MT 82540EM> port 0xc000-0xc03f mem 0xfebc0000-0xfebdffff irq 11 at device 3.0 on pci0\r\n" +
	"em0: Ethernet address: 52:54:00:00:00:01\r\n" +
	"em1: <Intel(R) Legacy PRO/1000 MT 82540EM> port 0xc040-0xc07f mem 0xfebe0000-0xfebfffff irq 10 at device 4.0 on pci0\r\n" +
	"em1: Ethernet address: 52:54:00:00:00:02\r\n" +
	"em2: <Intel(R) Legacy PRO/1000 MT 82540EM> port 0xc080-0xc0bf mem 0xfec00000-0xfec1ffff irq 11 at device 5.0 on pci0\r\n" +
	"em2: Ethernet address: 52:54:00:00:00:03\r\n" +
	"vtbd0: 4096MB (8388608 512 byte sectors)\r\n"

// The installer's screens, as the seed's vm/install.exp describes and matches them.
var (
	consoleTypePrompt = "\r\nStarting local daemons:\r\nWelcome to pfSense!\r\n\r\n" +
		"Please choose the appropriate terminal type for your system.\r\nCommon console types are:\r\n" +
		"   ansi     Standard ANSI terminal\r\n   vt100    VT100 or compatible terminal\r\n" +
		"   xterm    xterm terminal emulator (or compatible)\r\n\r\nConsole type [vt100]: "
	copyrightDialog = dialog("Copyright and distribution notice",
		"Copyright and Trademark Notices.\n\nCopyright(c) 2004-2016. Electric Sheep Fencing, LLC (\"ESF\").\n"+
			"All Rights Reserved.\n\nRedistribution and use in source and binary forms ...\n\n       <Accept>")
	welcomeDialog = dialog("pfSense Installer",
		"Welcome to pfSense!\n\n  Install  Install pfSense\n  Rescue Shell  Launch a shell for rescue operations\n"+
			"  Recover config.xml  Recover config.xml from a previous install\n\n     <  OK  >     <Cancel>")
	keymapDialog = dialog("Keymap Selection",
		"The system console driver for pfSense defaults to standard \"US\"\nkeyboard map. Other keymaps can be chosen below.\n\n"+
			">>> Continue with default keymap\n->- Test default keymap\n( ) Armenian phonetic layout\n\n   <Select>    <Cancel>")
	partitioningDialog = dialog("Partitioning",
		"How would you like to partition your disk?\n\n  Auto (ZFS)       Guided Root-on-ZFS\n  Auto (UFS) BIOS  Guided Disk Setup using BIOS boot method\n"+
			"  Manual           Manual Disk Setup (experts)\n  Shell            Open a shell and partition by hand\n\n     <  OK  >     <Cancel>")
	virtualDeviceDialog = dialog("ZFS Configuration",
		"Select Virtual Device type:\n\n  stripe  Stripe - No Redundancy\n  mirror  Mirror - n-Way Mirroring\n  raid10  RAID 1+0 - n x 2-Way Mirrors\n"+
			"  raidz1  RAID-Z1 - Single Redundant RAID\n\n     <  OK  >     <Cancel>")
	disksDialog = dialog("ZFS Configuration",
		"[ ] vtbd0  VirtIO Block Device\n\n     <  OK  >     <Cancel>")
	lastChanceDialog = dialog("ZFS Configuration",
		"Last Chance! Are you sure you want to destroy\nthe current contents of the following disks:\n\n   vtbd0\n\n"+
			"      < YES >     "+csi+"7m<  NO  >"+csi+"27m")
	extractingDialog   = dialog("Archive Extraction", "Extracting distribution files...\n\n  base.txz      [ Done ]\n\n  Overall Progress: 100%")
	manualConfigDialog = dialog("Manual Configuration",
		"The installation is now finished. Before exiting the installer, would\nyou like to open a shell in the new system to make any final manual\nmodifications?\n\n     < Yes >     "+csi+"7m<  No  >"+csi+"27m")
	completeDialog = dialog("Complete",
		"Installation of pfSense complete! Would you like to reboot into the\ninstalled system now?\n\n     "+csi+"7m< Reboot >"+csi+"27m     <Shell>")
)

// The ZFS configuration menu with its letter shortcuts (vm/install.exp lines 103-109); the
// rows where T and > move the highlight.
func zfsConfigDialog(disks string) string {
	return dialog("ZFS Configuration",
		"Configure Options:\n\n>>> Install          Proceed with Installation\n"+
			"T Pool Type/Disks:  stripe: "+disks+"\n- Rescan Devices     *\n- Disk Info          *\nN Pool Name          pfSense\n"+
			"4 Force 4K Sectors?  YES\nE Encrypt Disks?     NO\nP Partition Scheme   GPT (BIOS)\nS Swap Size          1g\n\n     <Select>     <Cancel>")
}

const (
	zfsInstallRow = 7
	zfsPoolRow    = 8
)

// shutdownLines is the kernel ending (kern_shutdown: sync, uptime, then reset or power off).
const shutdownLines = "\r\nWaiting (max 60 seconds) for system process `vnlru' to stop... done\r\n" +
	"Waiting (max 60 seconds) for system process `syncer' to stop... \r\nSyncing disks, vnodes remaining... 0 0 done\r\n" +
	"All buffers synced.\r\nUptime: 4m12s\r\n"

// banner is src/etc/rc.banner (RELENG_2_7_2) lines 37-44 and 95-120: platform, device ID,
// welcome line and one line per configured interface.
func banner(version string, wan, lan string) string {
	return "\r\nKVM Guest - Netgate Device ID: 8f2a0c3b1d4e5f60a7b8\r\n\r\n" +
		"*** Welcome to pfSense " + version + " (amd64) on pfSense ***\r\n" +
		"\r\n WAN (wan)       -> " + fmt.Sprintf("%-10s", wan) + " -> v4/DHCP4: 10.0.2.15/24" +
		"\r\n LAN (lan)       -> " + fmt.Sprintf("%-10s", lan) + " -> v4: 192.168.1.1/24\r\n"
}

// menu is src/etc/rc.initial lines 82-94 (RELENG_2_7_2): option 14 says Enable or Disable
// by whether sshd runs (lines 75-79); then `read -p "Enter an option: "`.
func menu(sshOn bool) string {
	opt := "Enable"
	if sshOn {
		opt = "Disable"
	}
	return crlf("\n" +
		" 0) Logout (SSH only)                  9) pfTop\n" +
		" 1) Assign Interfaces                 10) Filter Logs\n" +
		" 2) Set interface(s) IP address       11) Restart webConfigurator\n" +
		" 3) Reset webConfigurator password    12) PHP shell + pfSense tools\n" +
		" 4) Reset to factory defaults         13) Update from console\n" +
		" 5) Reboot system                     14) " + opt + " Secure Shell (sshd)\n" +
		" 6) Halt system                       15) Restore recent configuration\n" +
		" 7) Ping host                         16) Restart PHP-FPM\n" +
		" 8) Shell\n" +
		"\n" +
		"Enter an option: ")
}

// prompt is the tcsh prompt of src/etc/skel/dot.tcshrc line 33 (RELENG_2_7_2):
// "[%B`cat /etc/version`%b][%B%n%b%{\033[0;1;31m%}@%{\033[0;0;0m%}%B%M%b]%/%{\033[0;1;31m%}:%{\033[0;0;0m%} ".
// %B and %b are the terminal's bold on and off (xterm's, assumed here); %M is the full host
// name. split prints it in two parts, a kernel message in between, when kmsg is set.
func prompt(version, kmsg string) (string, string) {
	bold, off := csi+"1m", csi+"0m"
	head := "[" + bold + version + off + "][" + bold + "root" + off + csi + "0;1;31m@" + csi + "0;0;0m" + bold + "pfSense.home.arpa" + off + "]"
	tail := "/root" + csi + "0;1;31m:" + csi + "0;0;0m "
	if kmsg != "" {
		return head, kmsg + tail
	}
	return head, tail
}

// Interface assignment, src/etc/inc/config.console.inc (RELENG_2_7_2).
var (
	// Lines 66-98.
	assignVLANs = crlf("\nValid interfaces are:\n\n" +
		"em0     52:54:00:00:00:01   (up) Intel(R) Legacy PRO/1000 MT 82540EM\n" +
		"em1     52:54:00:00:00:02   (up) Intel(R) Legacy PRO/1000 MT 82540EM\n" +
		"em2     52:54:00:00:00:03   (up) Intel(R) Legacy PRO/1000 MT 82540EM\n" +
		"\nDo VLANs need to be set up first?\n" +
		"If VLANs will not be used, or only for optional interfaces, it is typical to\n" +
		"say no here and use the webConfigurator to configure VLANs later, if required.\n" +
		"\nShould VLANs be set up now [y|n]? ")
	// Lines 118-128.
	assignWAN = crlf("\nIf the names of the interfaces are not known, auto-detection can\n" +
		"be used instead. To use auto-detection, please disconnect all\n" +
		"interfaces before pressing 'a' to begin the process.\n" +
		"\nEnter the WAN interface name or 'a' for auto-detection \n(em0 em1 em2 or a): ")
	// Lines 144-146.
	assignLAN = crlf("\nEnter the LAN interface name or 'a' for auto-detection \nNOTE: this enables full Firewalling/NAT mode.\n(em1 em2 a or nothing if finished): ")
	// Lines 184-185.
	assignOpt = crlf("\nEnter the Optional 1 interface name or 'a' for auto-detection\n(em2 a or nothing if finished): ")
	// Lines 227-237.
	assignProceed = crlf("\nThe interfaces will be assigned as follows:\n\nWAN  -> em0\nLAN  -> em1\n\nDo you want to proceed [y|n]? ")
	// Lines 379-393.
	assignDone = crlf("\nWriting configuration...done.\nOne moment while the settings are reloading... done!\n")
)

// The SSH toggle, src/etc/rc.initial.toggle_sshd (RELENG_2_7_2) lines 40-68.
const (
	sshAskDisable = "SSHD is currently enabled.  Would you like to disable? [y/n]? "
	sshAskEnable  = "SSHD is currently disabled.  Would you like to enable? [y/n]? "
)

// The OS version question (seed vm/UPGRADE-LEARNINGS.md, "Step 3").
const osVersionQuestion = "Newer FreeBSD version for package whois:\r\nTo ignore this error set IGNORE_OSVERSION=yes\r\n" +
	"- package: 1500029\r\n- running kernel: 1400094\r\nIgnore the mismatch and continue? [y/N]: "

// pkgProgress is pkg's progress bar on a tty, freebsd/pkg src/event.c (tag 1.20.9):
// progressbar_start prints "MSG:   0%" (line 376), draw_progressbar redraws "\rMSG: NNN%"
// (line 452), progressbar_stop ends the line with no " done" (line 410 prints it only when
// stdout is not a tty).
func pkgProgress(msg string) string {
	return msg + ":   0%" + "\r" + msg + ":  45%" + "\r" + msg + ": 100%" + "\r\n"
}

// pkgPiped is the same progress when pkg's stdout is a pipe, as inside pfSense-upgrade,
// whose _exec runs pkg-static through `| tee -a $logfile | grep -v ...`: "MSG: " (event.c
// line 374), a dot per tenth (line 392), " done" (line 410).
func pkgPiped(msg string) string {
	return msg + ": " + ".........." + " done\r\n"
}

// pkgInstall is a package's install on a tty: "Installing N-V...\n" (event.c line 615),
// then "Extracting N-V" with the progress bar (line 630). prefix is "[i/n] " when pkg
// counts jobs.
func pkgInstall(prefix, nameVersion string) string {
	return prefix + "Installing " + nameVersion + "...\r\n" + pkgProgress(prefix+"Extracting "+nameVersion)
}

// The blockpriv fix's output: src/etc/phpshellsessions/enableallowallwan lines 26, 41, 43, 50.
const allowAllWAN = "Adding allow all rule...\r\nTurning off block private networks (if on)...\r\n" +
	"Turning off block bogon networks (if on)...\r\nReloading the filter configuration...\r\n\r\n"

// resizewin is what root's postcmd alias prints before every command on a serial console
// (dot.tcshrc lines 55-58 alias postcmd to /usr/bin/resizewin on ttyu*; the message is the
// seed's, vm/firstboot.exp line 113).
const resizewin = "resizewin: timeout reading from terminal\r\n"
