package sums

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestFormatIsWhatSha256sumChecks(t *testing.T) {
	files := map[string][]byte{"b.zip": []byte("bee"), "a.tar.gz": []byte("")}
	got := string(Format(files))
	want := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.tar.gz\n" +
		"62cb81b5904a262ffaeed02abef36bfc540b09f964b8b0b636662f77ffce6714  b.zip\n"
	if got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
	parsed, err := Parse([]byte(got))
	if err != nil || len(parsed) != 2 || parsed["a.tar.gz"] != Sum(nil) || parsed["b.zip"] != Sum([]byte("bee")) {
		t.Errorf("Parse(Format) = %v, %v", parsed, err)
	}
	// The real tool agrees, where it is installed (coreutils).
	tool, err := exec.LookPath("sha256sum")
	if err != nil {
		t.Log("sha256sum is not installed: only Parse checked the text")
		return
	}
	dir := t.TempDir()
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(got), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool, "--check", "--strict", "SHA256SUMS")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != "a.tar.gz: OK\nb.zip: OK\n" {
		t.Errorf("sha256sum --check: %v\n%s", err, out)
	}
}

func TestParseRefusesBadLines(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"abc  x\n", `SHA256SUMS line 1 "abc  x": want "<64 hex digits>  <name>"`},
		{Sum(nil) + "  x\n" + Sum(nil) + "  x\n", "SHA256SUMS line 2: x is listed twice"},
		{Sum(nil) + "  d/x\n", "SHA256SUMS line 1: d/x is a path, want a file name"},
	} {
		if _, err := Parse([]byte(tc.text)); err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q) = %v, want %q", tc.text, err, tc.want)
		}
	}
}
