package simulator_test

import (
	_ "embed"
	"regexp"
	"strings"
	"testing"
)

// packageTests lists the package's own test methods ("<file> <method>"), distilled from
// pfSense-pkg-RESTAPI's Tests/ at v2.7.1 and v2.10.0 (the file says how to regenerate it).
//
//go:embed testdata/package_tests.txt
var packageTests string

var citedFile = regexp.MustCompile(`^Tests/(\w+)\.inc$`)

// TestConformanceCitesRealTests: every test a case cites exists in the package, so a reader can
// check the case against it; a case no test covers says so in its note instead.
func TestConformanceCitesRealTests(t *testing.T) {
	known := map[string]bool{}
	files := map[string]bool{}
	for _, line := range strings.Split(packageTests, "\n") {
		if f, m, ok := strings.Cut(strings.TrimSpace(line), " "); ok && !strings.HasPrefix(line, "#") {
			known[f+" "+m], files[f] = true, true
		}
	}
	if len(known) < 500 {
		t.Fatalf("testdata/package_tests.txt lists %d test methods: is it complete?", len(known))
	}
	for _, c := range conformanceCases(t) {
		file := ""
		for _, tok := range strings.FieldsFunc(c.test, func(r rune) bool { return r == ' ' || r == ';' || r == ',' || r == '+' }) {
			if m := citedFile.FindStringSubmatch(tok); m != nil {
				file = m[1]
				if !files[file] {
					t.Errorf("case %q cites %s, which the package does not have", c.name, tok)
				}
				continue
			}
			tok = strings.Trim(tok, "().")
			if strings.HasPrefix(tok, "test_") && file != "" && !known[file+" "+tok] {
				t.Errorf("case %q cites %s %s, which the package's test file does not have", c.name, file, tok)
			}
		}
	}
}
