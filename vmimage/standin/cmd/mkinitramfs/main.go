// Command mkinitramfs writes the stand-in appliance's initramfs (gzip'ed newc cpio): the
// init program, the payload files, kernel modules in dependency order, and the init's
// configuration (vmimage/standin/cmd/standin-init).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/standin/initramfs"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

type initConfig struct {
	Modules    []string `json:"modules"`
	MAC        string   `json:"mac"`
	Address    string   `json:"address"`
	Gateway    string   `json:"gateway"`
	DataDevice string   `json:"data_device"`
	DataMount  string   `json:"data_mount"`
	Payload    []string `json:"payload"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkinitramfs:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mkinitramfs", flag.ContinueOnError)
	out := fs.String("out", "", "output file (.cpio.gz)")
	initPath := fs.String("init", "", "the init program (static), installed as /init")
	var files, modules, payload list
	fs.Var(&files, "file", "DEST=SRC: add SRC as DEST (executable); repeatable")
	fs.Var(&modules, "module", "kernel module (.ko) to load at boot, dependencies first; repeatable")
	fs.Var(&payload, "payload", "one argument of the program init runs; repeatable, in order")
	var cfg initConfig
	fs.StringVar(&cfg.MAC, "mac", "52:54:00:00:00:01", "MAC address of the NIC to configure")
	fs.StringVar(&cfg.Address, "address", "10.0.2.15/24", "address of that NIC")
	fs.StringVar(&cfg.Gateway, "gateway", "10.0.2.2", "default gateway")
	fs.StringVar(&cfg.DataDevice, "data-device", "/dev/vda", "data disk (ext4); empty for none")
	fs.StringVar(&cfg.DataMount, "data-mount", "/data", "where to mount the data disk")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *initPath == "" || len(payload) == 0 {
		return fmt.Errorf("--out, --init and --payload are required")
	}
	cfg.Payload = payload

	var buf bytes.Buffer
	w := initramfs.NewWriter(&buf)
	initBin, err := os.ReadFile(*initPath)
	if err != nil {
		return fmt.Errorf("--init: %w", err)
	}
	if err := w.File("init", 0o755, initBin); err != nil {
		return err
	}
	for _, f := range files {
		dest, src, ok := strings.Cut(f, "=")
		if !ok || dest == "" || src == "" {
			return fmt.Errorf("--file %q: want DEST=SRC", f)
		}
		b, err := os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("--file %s: %w", dest, err)
		}
		if err := w.File(dest, 0o755, b); err != nil {
			return err
		}
	}
	order, err := initramfs.LoadOrder(modules)
	if err != nil {
		return err
	}
	for _, m := range order {
		b, err := os.ReadFile(m.Path)
		if err != nil {
			return err
		}
		dest := path.Join("/lib/modules", m.Name+".ko")
		if err := w.File(dest, 0o644, b); err != nil {
			return err
		}
		cfg.Modules = append(cfg.Modules, dest)
	}
	cj, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	if err := w.File("etc/standin/config.json", 0o644, cj); err != nil {
		return err
	}
	for _, d := range []string{"proc", "sys", "dev", "tmp", "data"} {
		if err := w.Dir(d); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return os.WriteFile(*out, buf.Bytes(), 0o644)
}
