package qemu

import (
	"context"
	"strings"
	"testing"
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
