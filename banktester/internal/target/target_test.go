package target

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func call(t *testing.T, fw Firewall, method, path, jsonBody string) (int, string) {
	t.Helper()
	var body io.Reader
	if jsonBody != "" {
		body = strings.NewReader(jsonBody)
	}
	req, _ := http.NewRequest(method, fw.URL+path, body)
	req.Header.Set("X-API-Key", fw.APIKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// The certificate is self-signed: pinned to the fingerprint the target reports.
	pin := func(cs tls.ConnectionState) error {
		sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
		if hex.EncodeToString(sum[:]) != fw.CertFingerprint {
			return fmt.Errorf("certificate %x is not the one the target reported", sum)
		}
		return nil
	}
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true, VerifyConnection: pin}}}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&env)
	return resp.StatusCode, string(env.Data)
}

func TestSimulatorResetAndHalt(t *testing.T) {
	ctx := context.Background()
	r, err := Simulator{}.Start(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fw := r.Firewall()
	if !strings.HasPrefix(fw.URL, "https://127.0.0.1:") || len(fw.APIKey) != 48 || len(fw.CertFingerprint) != 64 || fw.Username != "admin" {
		t.Fatalf("firewall = %+v", fw)
	}
	if !r.Healthy(ctx) {
		t.Fatal("a new simulator is not healthy")
	}
	if code, data := call(t, fw, http.MethodPost, "/api/v2/firewall/alias", `{"name":"bt_reset","type":"host"}`); code != 200 {
		t.Fatalf("create alias: %d %s", code, data)
	}
	if _, data := call(t, fw, http.MethodGet, "/api/v2/firewall/aliases", ""); !strings.Contains(data, "bt_reset") {
		t.Fatalf("the alias was not created: %s", data)
	}
	if err := r.(Resetter).Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, data := call(t, fw, http.MethodGet, "/api/v2/firewall/aliases", ""); strings.Contains(data, "bt_reset") || !strings.Contains(data, "web_ports") {
		t.Errorf("after reset the aliases are %s", data)
	}
	if code, _ := call(t, fw, http.MethodPost, "/api/v2/diagnostics/halt_system", "{}"); code != 200 {
		t.Fatalf("halt: %d", code)
	}
	deadline := time.Now().Add(5 * time.Second)
	for r.Healthy(ctx) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if r.Healthy(ctx) {
		t.Error("the simulator still answers after a halt")
	}
}
