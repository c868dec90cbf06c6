package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenAppendsPrivateJSONLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "audit.jsonl")
	for i := 0; i < 2; i++ { // two opens: the second appends
		l, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Write(Entry{Time: time.Date(2026, 11, 21, 10, 0, i, 0, time.UTC), Tool: "pfsense_create_firewall_alias", Method: "POST", Path: "/api/v2/firewall/alias", Outcome: Executed, Args: map[string]any{"name": "bt"}, HTTPStatus: 200, ResponseID: "SUCCESS"}); err != nil {
			t.Fatal(err)
		}
		l.Close()
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	f, _ := os.Open(path)
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []Entry
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		lines = append(lines, e)
	}
	if len(lines) != 2 || lines[1].Time.Second() != 1 || lines[0].Outcome != Executed || lines[0].Tool != "pfsense_create_firewall_alias" {
		t.Errorf("entries = %+v", lines)
	}
}

// A file created with looser permissions (by hand, by another tool) is made private.
func TestOpenMakesAnExistingFilePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Write(Entry{Tool: "x", Outcome: Attempt, Client: "claude-code 2.0", Session: "stdio"}); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	b, _ := os.ReadFile(path)
	if st.Mode().Perm() != 0o600 || !strings.Contains(string(b), `"client":"claude-code 2.0","session":"stdio","tool":"x"`) {
		t.Errorf("mode %v, content %s", st.Mode().Perm(), b)
	}
}

func TestWriteFailuresAreReturned(t *testing.T) {
	l := New(failingWriter{})
	if err := l.Write(Entry{Tool: "x", Outcome: Attempt}); err == nil || err.Error() != "write audit log: disk full" {
		t.Errorf("err = %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestNilLogDiscards(t *testing.T) {
	var l *Log
	if err := l.Write(Entry{Tool: "x"}); err != nil {
		t.Fatal(err)
	}
}
