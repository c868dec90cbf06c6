//go:build linux

package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	evKey    = 1   // EV_KEY
	keyPower = 116 // KEY_POWER
	// struct input_event on 64-bit: struct timeval (16 bytes), type, code (u16), value (s32).
	inputEventSize = 24
)

// watchPowerButton signals once the ACPI power button (QEMU's system_powerdown) is pressed.
// The button driver reports it as KEY_POWER on an evdev device named "Power Button".
func watchPowerButton(pressed chan<- struct{}) {
	var dev string
	for deadline := time.Now().Add(10 * time.Second); dev == ""; {
		names, _ := filepath.Glob("/sys/class/input/event*/device/name")
		for _, n := range names {
			b, err := os.ReadFile(n)
			if err == nil && strings.TrimSpace(string(b)) == "Power Button" {
				dev = "/dev/input/" + filepath.Base(filepath.Dir(filepath.Dir(n)))
				break
			}
		}
		if dev == "" {
			if time.Now().After(deadline) {
				logf("no ACPI power button found: power-off requests will be ignored")
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	f, err := os.Open(dev)
	if err != nil {
		logf("power button %s: %v", dev, err)
		return
	}
	defer f.Close()
	ev := make([]byte, inputEventSize)
	for {
		if _, err := f.Read(ev); err != nil {
			logf("power button %s: %v", dev, err)
			return
		}
		typ := binary.NativeEndian.Uint16(ev[16:18])
		code := binary.NativeEndian.Uint16(ev[18:20])
		value := int32(binary.NativeEndian.Uint32(ev[20:24]))
		if typ == evKey && code == keyPower && value == 1 {
			pressed <- struct{}{}
			return
		}
	}
}
