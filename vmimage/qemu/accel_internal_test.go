package qemu

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestChooseAccelHonoursTheEnvironment(t *testing.T) {
	tests := []struct {
		env        string
		want       Accel
		wantReason string
	}{
		{"kvm", AccelKVM, "forced by $PFSENSE_VM_ACCEL"},
		{"tcg", AccelTCG, "forced by $PFSENSE_VM_ACCEL"},
		{"hvf", AccelTCG, `$PFSENSE_VM_ACCEL="hvf" is neither kvm nor tcg; using tcg`},
	}
	for _, tc := range tests {
		t.Run(tc.env, func(t *testing.T) {
			t.Setenv(AccelEnv, tc.env)
			got, reason := chooseAccel(context.Background())
			if got != tc.want || reason != tc.wantReason {
				t.Errorf("chooseAccel() = %q, %q; want %q, %q", got, reason, tc.want, tc.wantReason)
			}
		})
	}
}

func TestChooseAccelExplainsItsChoice(t *testing.T) {
	t.Setenv(AccelEnv, "")
	got, reason := chooseAccel(context.Background())
	switch got {
	case AccelKVM:
		if !strings.HasPrefix(reason, "/dev/kvm works (probe ") {
			t.Errorf("kvm chosen with reason %q", reason)
		}
	case AccelTCG:
		if !strings.HasPrefix(reason, "/dev/kvm is") {
			t.Errorf("tcg chosen with reason %q, want it to say what is wrong with /dev/kvm", reason)
		}
	default:
		t.Errorf("chooseAccel() = %q", got)
	}
	t.Logf("accelerator: %s (%s)", got, reason)
}

// A probe that is slow once (a machine busy with a build) does not send every VM to TCG;
// three slow probes do, and the reason lists each. QEMU failing outright is not retried.
func TestJudgeProbesRetriesASlowProbe(t *testing.T) {
	slow := fmt.Errorf("%w: clearing 4 MiB took over 1.5s", errProbeSlow)
	broken := errors.New("probe VM: signal: aborted: qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69")
	tests := []struct {
		results    []error
		want       Accel
		wantReason string
	}{
		{[]error{nil}, AccelKVM, "/dev/kvm works (probe 200ms)"},
		{[]error{slow, nil}, AccelKVM, "/dev/kvm works (probe too slow: clearing 4 MiB took over 1.5s, then 200ms)"},
		{[]error{slow, slow, slow}, AccelTCG, "/dev/kvm is present but the KVM probe failed 3 times: " +
			"too slow: clearing 4 MiB took over 1.5s; too slow: clearing 4 MiB took over 1.5s; too slow: clearing 4 MiB took over 1.5s"},
		{[]error{broken}, AccelTCG, "/dev/kvm is present but the KVM probe failed: " + broken.Error()},
	}
	for _, tc := range tests {
		n := 0
		got, reason := judgeProbes(context.Background(), func(context.Context) (time.Duration, error) {
			err := tc.results[n]
			n++
			return 200 * time.Millisecond, err
		})
		if got != tc.want || reason != tc.wantReason || n != len(tc.results) {
			t.Errorf("judgeProbes(%v) = %q, %q after %d probes; want %q, %q", tc.results, got, reason, n, tc.want, tc.wantReason)
		}
	}
}
