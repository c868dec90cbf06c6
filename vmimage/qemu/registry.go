package qemu

import "sync"

// Every VM this process started, for leak checks (package qemutest).
var (
	registryMu sync.Mutex
	started    []*VM
	live       = map[*VM]struct{}{}
)

func track(vm *VM) {
	registryMu.Lock()
	started = append(started, vm)
	live[vm] = struct{}{}
	registryMu.Unlock()
}

func untrack(vm *VM) {
	registryMu.Lock()
	delete(live, vm)
	registryMu.Unlock()
}

// Started lists every VM this process started, closed or not, oldest first.
func Started() []*VM {
	registryMu.Lock()
	defer registryMu.Unlock()
	return append([]*VM(nil), started...)
}

// Closed reports whether Close has finished.
func (vm *VM) Closed() bool {
	registryMu.Lock()
	defer registryMu.Unlock()
	_, open := live[vm]
	return !open
}

// OwnsDir reports whether the work directory is the VM's own (removed by Close).
func (vm *VM) OwnsDir() bool { return vm.ownDir }

// Name is the VM's configured name.
func (vm *VM) Name() string { return vm.cfg.Name }
