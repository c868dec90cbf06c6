//go:build linux

// Command standin-init is PID 1 of the stand-in appliance: a Debian kernel boots it from an
// initramfs that the build makes (vmimage/standin). It mounts /proc, /sys and /dev, loads the
// kernel modules the initramfs carries (e1000, virtio, ext4, the ACPI power button), brings up
// the WAN NIC as 10.0.2.15/24 via 10.0.2.2 (QEMU's user network, as pfSense's WAN gets by
// DHCP), mounts the data disk, and runs the payload (the pfSense API simulator). When the
// payload exits (halt) or the ACPI power button is pressed, it stops the payload, unmounts
// the data disk and powers the machine off, so the disk keeps what the payload saved.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// ConfigPath is where the initramfs keeps the appliance's configuration.
const ConfigPath = "/etc/standin/config.json"

// Config is written by mkinitramfs.
type Config struct {
	Modules    []string `json:"modules"`     // module files, in load order.
	MAC        string   `json:"mac"`         // the NIC to configure.
	Address    string   `json:"address"`     // CIDR, e.g. 10.0.2.15/24.
	Gateway    string   `json:"gateway"`     // e.g. 10.0.2.2.
	DataDevice string   `json:"data_device"` // e.g. /dev/vda; empty: no data disk.
	DataMount  string   `json:"data_mount"`  // e.g. /data.
	Payload    []string `json:"payload"`     // argv of the program to run.
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "standin-init: "+format+"\n", args...)
}

func main() {
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "standin-init: must run as PID 1 of the stand-in appliance")
		os.Exit(2)
	}
	if err := run(); err != nil {
		logf("FATAL: %v", err)
	}
	powerOff()
}

func run() error {
	if err := mountBase(); err != nil {
		return err
	}
	b, err := os.ReadFile(ConfigPath)
	if err != nil {
		return fmt.Errorf("read %s: %w", ConfigPath, err)
	}
	var cfg Config
	if err := json.Unmarshal(b, &cfg); err != nil {
		return fmt.Errorf("parse %s: %w", ConfigPath, err)
	}
	for _, m := range cfg.Modules {
		if err := loadModule(m); err != nil {
			return err
		}
	}
	if err := setupNetwork(cfg); err != nil {
		return fmt.Errorf("network: %w", err)
	}
	if cfg.DataDevice != "" {
		if err := mountData(cfg.DataDevice, cfg.DataMount); err != nil {
			return err
		}
	}
	return runPayload(cfg)
}

func mountBase() error {
	for _, m := range []struct{ src, dst, fstype string }{
		{"proc", "/proc", "proc"},
		{"sysfs", "/sys", "sysfs"},
		{"devtmpfs", "/dev", "devtmpfs"},
		{"tmpfs", "/tmp", "tmpfs"},
	} {
		if err := os.MkdirAll(m.dst, 0o755); err != nil {
			return err
		}
		if err := unix.Mount(m.src, m.dst, m.fstype, 0, ""); err != nil && err != unix.EBUSY {
			return fmt.Errorf("mount %s: %w", m.dst, err)
		}
	}
	return nil
}

func loadModule(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("module %s: %w", path, err)
	}
	defer f.Close()
	if err := unix.FinitModule(int(f.Fd()), "", 0); err != nil && err != unix.EEXIST {
		return fmt.Errorf("load module %s: %w", path, err)
	}
	return nil
}

func mountData(dev, dir string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(dev); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("data disk %s did not appear", dev)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(dev, dir, "ext4", 0, ""); err != nil {
		return fmt.Errorf("mount %s on %s: %w", dev, dir, err)
	}
	logf("data disk %s mounted on %s", dev, dir)
	return nil
}

// runPayload runs the payload until it exits or the power button is pressed.
func runPayload(cfg Config) error {
	if len(cfg.Payload) == 0 {
		return fmt.Errorf("no payload configured")
	}
	cmd := exec.Command(cfg.Payload[0], cfg.Payload[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = []string{"PATH=/bin", "HOME=/", "TMPDIR=/tmp"}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start payload %s: %w", cfg.Payload[0], err)
	}
	logf("payload %s running (pid %d)", cfg.Payload[0], cmd.Process.Pid)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	button := make(chan struct{}, 1)
	go watchPowerButton(button)
	// A SIGTERM to PID 1 (e.g. from a debugging shell) is a power-off request too.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)

	select {
	case err := <-exited:
		logf("payload exited (%v)", err)
	case <-button:
		logf("power button pressed: stopping the payload")
		stopPayload(cmd, exited)
	case s := <-sigs:
		logf("%v: stopping the payload", s)
		stopPayload(cmd, exited)
	}
	if cfg.DataDevice != "" {
		unix.Sync()
		if err := unix.Unmount(cfg.DataMount, 0); err != nil {
			logf("unmount %s: %v", cfg.DataMount, err)
		}
	}
	return nil
}

func stopPayload(cmd *exec.Cmd, exited <-chan error) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		logf("payload stopped (%v)", err)
	case <-time.After(20 * time.Second):
		logf("payload ignored SIGTERM for 20s: killing it")
		_ = cmd.Process.Kill()
		<-exited
	}
}

func powerOff() {
	unix.Sync()
	logf("powering off")
	if err := unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF); err != nil {
		logf("power off: %v", err)
	}
	// PID 1 must never exit (the kernel would panic): wait for the power to go.
	select {}
}
