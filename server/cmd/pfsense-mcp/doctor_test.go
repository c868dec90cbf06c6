package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDoctorSubcommand: `pfsense-mcp doctor --demo` checks the built-in simulator and passes;
// `pfsense-mcp doctor` against nothing exits with status 1 and says what to fix.
func TestDoctorSubcommand(t *testing.T) {
	var out, errOut bytes.Buffer
	env := map[string]string{"PFSENSE_AUDIT_LOG": "off"}
	if err := run(context.Background(), []string{"doctor", "--demo"}, func(k string) string { return env[k] }, nil, &out, &errOut); err != nil {
		t.Fatalf("doctor --demo: %v\n%s%s", err, out.String(), errOut.String())
	}
	if !strings.HasSuffix(out.String(), "All checks passed.\n") || !strings.Contains(out.String(), "[ok]   Credentials: the firewall accepted them (API key)") {
		t.Errorf("doctor --demo:\n%s", out.String())
	}

	cmd := exec.Command(os.Args[0], "doctor")
	cmd.Env = serverEnv("PFSENSE_URL=https://127.0.0.1:1", "PFSENSE_API_KEY=0123456789abcdef0123456789abcdef", "PFSENSE_AUDIT_LOG=off")
	report, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("doctor against nothing: %v (want exit status 1)\n%s", err, report)
	}
	if !strings.Contains(string(report), "[FAIL] URL: cannot reach 127.0.0.1:1") || strings.Contains(string(report), "0123456789abcdef0123456789abcdef") {
		t.Errorf("report:\n%s", report)
	}
}
