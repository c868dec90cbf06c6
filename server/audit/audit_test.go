package audit

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
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

func TestNilLogDiscards(t *testing.T) {
	var l *Log
	if err := l.Write(Entry{Tool: "x"}); err != nil {
		t.Fatal(err)
	}
}
