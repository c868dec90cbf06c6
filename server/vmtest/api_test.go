package vmtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/apisetup"
)

func client(t *testing.T) *apisetup.Client {
	t.Helper()
	target := Ready(t)
	c := apisetup.New(target.URL, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c.APIKey = target.APIKey
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func TestSystemVersionWithTheGoldenKey(t *testing.T) {
	var v struct {
		Version string `json:"version"`
	}
	if err := client(t).Do(ctx(t), http.MethodGet, "/api/v2/system/version", nil, &v); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^2\.8\.1-RELEASE`).MatchString(v.Version) {
		t.Errorf("version = %q, want 2.8.1-RELEASE (the golden image's)", v.Version)
	}
}

func TestWrongKeyIsRefused(t *testing.T) {
	c := client(t)
	c.APIKey = "00000000000000000000000000000000000000000000000"
	err := c.Do(ctx(t), http.MethodGet, "/api/v2/system/version", nil, nil)
	var ae *apisetup.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || ae.Code != "AUTH_AUTHENTICATION_FAILED" {
		t.Errorf("GET with a wrong key = %v, want HTTP 401 AUTH_AUTHENTICATION_FAILED", err)
	}
}

func TestInterfacesAsAssignedOnFirstBoot(t *testing.T) {
	var ifaces []struct {
		ID string `json:"id"`
		If string `json:"if"`
	}
	if err := client(t).Do(ctx(t), http.MethodGet, "/api/v2/interfaces", nil, &ifaces); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, i := range ifaces {
		got[i.ID] = i.If
	}
	if got["wan"] != "em0" || got["lan"] != "em1" {
		t.Errorf("interfaces = %v, want wan on em0 and lan on em1", got)
	}
}

func TestAliasCreateReadDeleteAndApply(t *testing.T) {
	c := client(t)
	ctx := ctx(t)
	suffix := make([]byte, 4)
	rand.Read(suffix)
	name := "vmtest_" + hex.EncodeToString(suffix)

	var created struct {
		ID      int      `json:"id"`
		Name    string   `json:"name"`
		Type    string   `json:"type"`
		Address []string `json:"address"`
	}
	body := map[string]any{"name": name, "type": "host", "address": []string{"10.0.4.11"}, "descr": "vm_test round trip"}
	if err := c.Do(ctx, http.MethodPost, "/api/v2/firewall/alias", body, &created); err != nil {
		t.Fatal(err)
	}
	if created.Name != name || created.Type != "host" || !slices.Equal(created.Address, []string{"10.0.4.11"}) {
		t.Errorf("created %+v, want %s host [10.0.4.11]", created, name)
	}

	var status struct {
		Applied bool     `json:"applied"`
		Pending []string `json:"pending_subsystems"`
	}
	if err := c.Do(ctx, http.MethodGet, "/api/v2/firewall/apply", nil, &status); err != nil {
		t.Fatal(err)
	}
	if status.Applied || !slices.Contains(status.Pending, "aliases") {
		t.Errorf("apply status after an alias change = %+v, want not applied with aliases pending", status)
	}

	var read struct {
		Name string `json:"name"`
	}
	if err := c.Do(ctx, http.MethodGet, "/api/v2/firewall/alias?id="+itoa(created.ID), nil, &read); err != nil {
		t.Fatal(err)
	}
	if read.Name != name {
		t.Errorf("read alias %d: name %q, want %q", created.ID, read.Name, name)
	}
	if err := c.Do(ctx, http.MethodDelete, "/api/v2/firewall/alias?id="+itoa(created.ID), nil, nil); err != nil {
		t.Fatal(err)
	}
	var aliases []struct {
		Name string `json:"name"`
	}
	if err := c.Do(ctx, http.MethodGet, "/api/v2/firewall/aliases", nil, &aliases); err != nil {
		t.Fatal(err)
	}
	for _, a := range aliases {
		if a.Name == name {
			t.Errorf("alias %s still listed after DELETE", name)
		}
	}
	if err := c.Do(ctx, http.MethodPost, "/api/v2/firewall/apply", map[string]any{}, &status); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(ctx, http.MethodGet, "/api/v2/firewall/apply", nil, &status); err != nil {
		t.Fatal(err)
	}
	if !status.Applied || len(status.Pending) != 0 {
		t.Errorf("apply status after POST apply = %+v, want applied, nothing pending", status)
	}
}

func TestCertificateIsPinned(t *testing.T) {
	target := Ready(t)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(target.CertFingerprint) {
		t.Fatalf("CertFingerprint = %q, want 64 hex digits", target.CertFingerprint)
	}
	c := client(t)
	if err := c.Do(ctx(t), http.MethodGet, "/api/v2/system/version", nil, nil); err != nil {
		t.Fatal(err)
	}
	if c.CertFingerprint() != target.CertFingerprint {
		t.Errorf("the firewall's certificate changed between connections: %s, then %s", target.CertFingerprint, c.CertFingerprint())
	}
}

// The snapshot reset: a test can return the firewall to a saved state in seconds instead
// of booting a fresh overlay.
func TestSnapshotResetUndoesChanges(t *testing.T) {
	c := client(t)
	ctx := ctx(t)
	if err := firewall.VM.SaveSnapshot(ctx, "vmtest"); err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"name": "vmtest_snapshot", "type": "network", "address": []string{"10.0.3.0/24"}}
	if err := c.Do(ctx, http.MethodPost, "/api/v2/firewall/alias", body, nil); err != nil {
		t.Fatal(err)
	}
	if err := firewall.VM.LoadSnapshot(ctx, "vmtest"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitReady(ctx, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var aliases []struct {
		Name string `json:"name"`
	}
	if err := c.Do(ctx, http.MethodGet, "/api/v2/firewall/aliases", nil, &aliases); err != nil {
		t.Fatal(err)
	}
	for _, a := range aliases {
		if a.Name == "vmtest_snapshot" {
			t.Error("the alias created after the snapshot survived loading it")
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
