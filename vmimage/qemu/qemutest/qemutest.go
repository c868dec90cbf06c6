// Package qemutest checks that tests leave no QEMU process and no VM directory behind.
package qemutest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

// CheckLeaks registers a cleanup, run after every cleanup registered later (so after the
// test's own VM teardown, even when the test failed), that fails the test if a VM started
// since the call is still open, its QEMU process still runs, or its work directory remains.
// Call it first in a test that starts VMs.
func CheckLeaks(t testing.TB) {
	t.Helper()
	before := len(qemu.Started())
	t.Cleanup(func() {
		if err := Leaks(qemu.Started()[before:]); err != nil {
			t.Errorf("leak check: %v", err)
		}
	})
}

// Leaks reports what the given VMs left behind, plus any QEMU child process of this process.
func Leaks(vms []*qemu.VM) error {
	var errs []error
	for _, vm := range vms {
		if !vm.Closed() {
			errs = append(errs, fmt.Errorf("VM %s (pid %d) was never closed", vm.Name(), vm.PID()))
			continue
		}
		if vm.OwnsDir() {
			if _, err := os.Stat(vm.Dir()); !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, fmt.Errorf("VM %s left its directory %s", vm.Name(), vm.Dir()))
			}
		}
	}
	pids, err := QEMUChildren()
	if err != nil {
		errs = append(errs, err)
	}
	for _, pid := range pids {
		errs = append(errs, fmt.Errorf("a QEMU process (pid %d) is still running", pid))
	}
	return errors.Join(errs...)
}

// QEMUChildren lists the running QEMU processes whose parent is this process.
func QEMUChildren() ([]int, error) {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return nil, err
	}
	me := os.Getpid()
	var pids []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the process just went away.
		}
		// pid (comm) state ppid ...; comm may hold spaces, so split after the last ')'.
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		comm := s[open+1 : close]
		fields := strings.Fields(s[close+1:])
		if len(fields) < 2 || !strings.HasPrefix(comm, "qemu-system") {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		if ppid == me && fields[0] != "Z" {
			pid, _ := strconv.Atoi(strings.TrimSpace(s[:open]))
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
