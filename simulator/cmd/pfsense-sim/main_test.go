package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var banner = regexp.MustCompile(`^pfsense-sim: serving (https://127\.0\.0\.1:\d+) \(certificate SHA-256 ([0-9a-f]{64})\); BasicAuth admin:pfsense; (.*)$`)

type running struct {
	url, fingerprint, note string
	stop                   func() error
}

// start runs the binary's main loop in-process and reads its start-up line.
func start(t *testing.T, args ...string) running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no start-up line: %v (run: %v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	m := banner.FindStringSubmatch(strings.TrimSpace(line))
	if m == nil {
		cancel()
		t.Fatalf("start-up line %q", line)
	}
	return running{url: m[1], fingerprint: m[2], note: m[3], stop: func() error { cancel(); return <-done }}
}

// pinned trusts exactly the certificate with the given SHA-256, as the MCP server does.
func pinned(fingerprint string) *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			sum := sha256.Sum256(raw[0])
			if hex.EncodeToString(sum[:]) != fingerprint {
				return fmt.Errorf("certificate fingerprint mismatch")
			}
			return nil
		},
	}}}
}

func request(t *testing.T, c *http.Client, method, url, key, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("X-API-Key", key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestKeyFileAndState runs the binary twice: the first run writes an API key file (0600)
// and saves its state on shutdown; the second reuses the key and restores the state.
func TestKeyFileAndState(t *testing.T) {
	dir := t.TempDir()
	keyFile, stateFile := filepath.Join(dir, "api-key.txt"), filepath.Join(dir, "state.json")

	first := start(t, "--api-key-file", keyFile, "--state", stateFile)
	if first.note != "new X-API-Key written to "+keyFile {
		t.Fatalf("start-up note %q", first.note)
	}
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, st.Mode())
	}
	b, _ := os.ReadFile(keyFile)
	key := strings.TrimSpace(string(b))
	c := pinned(first.fingerprint)
	if code, body := request(t, c, "POST", first.url+"/api/v2/firewall/alias", key, `{"name":"bt_kept","type":"host"}`); code != 200 {
		t.Fatalf("create alias: %d %s", code, body)
	}
	if err := first.stop(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if _, err := os.Stat(stateFile); err != nil {
		t.Fatalf("state not saved: %v", err)
	}

	second := start(t, "--api-key-file", keyFile, "--state", stateFile)
	defer second.stop()
	if second.note != "X-API-Key from "+keyFile {
		t.Fatalf("start-up note %q", second.note)
	}
	if second.fingerprint == first.fingerprint {
		t.Fatal("the certificate was not generated anew")
	}
	code, body := request(t, pinned(second.fingerprint), "GET", second.url+"/api/v2/firewall/aliases?name=bt_kept", key, "")
	if code != 200 || !strings.Contains(body, `"name":"bt_kept"`) {
		t.Fatalf("restored state: %d %s", code, body)
	}
	if strings.Contains(first.note+second.note, key) {
		t.Fatal("the start-up line shows the key")
	}
}

func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--log-level", "loud"}, "--log-level"},
		{[]string{"extra"}, "unexpected arguments: extra"},
		{[]string{"--spec", "/nonexistent/spec.json"}, "read --spec"},
	} {
		err := run(context.Background(), tc.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%v) = %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}
