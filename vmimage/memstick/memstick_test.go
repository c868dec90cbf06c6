package memstick_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/memstick"
)

const name = "pfSense-CE-memstick-serial-2.7.2-RELEASE-amd64.img.gz"

// mirror serves an image and its published checksum file, and counts downloads.
type mirror struct {
	image     []byte
	published string
	mu        sync.Mutex
	downloads int
}

func (m *mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/mirror/downloads/" + name:
		m.mu.Lock()
		m.downloads++
		m.mu.Unlock()
		w.Write(m.image)
	case "/mirror/downloads/" + name + ".sha256":
		io.WriteString(w, m.published)
	default:
		http.NotFound(w, r)
	}
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func logger(buf *bytes.Buffer) *slog.Logger { return slog.New(slog.NewTextHandler(buf, nil)) }

// Netgate publishes "SHA256 (NAME) = HEX" next to each image (format as in the seed's
// vm/pfSense-CE-2.7.2-RELEASE-amd64.iso.gz.sha256, line 1).
func TestParsePublished(t *testing.T) {
	h := strings.Repeat("ab", 32)
	tests := []struct {
		text, want, err string
	}{
		{"SHA256 (" + name + ") = " + strings.ToUpper(h) + "\n", h, ""},
		{h + "  " + name + "\n", h, ""},
		{"SHA256 (pfSense-CE-2.7.2-RELEASE-amd64.iso.gz) = " + h + "\n", "", "no SHA-256 for " + name},
		{"<html>not found</html>", "", "no SHA-256 for " + name},
	}
	for _, tc := range tests {
		got, err := memstick.ParsePublished(tc.text, name)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParsePublished(%q) = %q, %v; want %q, %q", tc.text, got, err, tc.want, tc.err)
		}
	}
}

func TestFetchVerifiesAgainstNetgateAndThePin(t *testing.T) {
	image := []byte("a pfSense memstick, compressed")
	good := sum(image)
	tests := []struct {
		name      string
		published string
		pin       string
		wantErr   string
	}{
		{"unpinned: verified against the published checksum", "SHA256 (" + name + ") = " + good, "", ""},
		{"pinned and published agree", "SHA256 (" + name + ") = " + good, good, ""},
		{"download differs from the published checksum: refused", "SHA256 (" + name + ") = " + strings.Repeat("0", 64), "",
			"the download's SHA-256 " + good + " differs from Netgate's published " + strings.Repeat("0", 64) + ": refused"},
		{"pin differs from the published checksum: refused", "SHA256 (" + name + ") = " + good, strings.Repeat("1", 64),
			"the pin in MODULE.bazel (sha256 " + strings.Repeat("1", 64) + ") differs from Netgate's published checksum " + good},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &mirror{image: image, published: tc.published}
			srv := httptest.NewServer(m)
			defer srv.Close()
			f := &memstick.Fetcher{Cache: t.TempDir(), Logger: logger(&bytes.Buffer{})}
			file, got, err := f.Fetch(context.Background(), memstick.Pin{URL: srv.URL + "/mirror/downloads/" + name, SHA256: tc.pin})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Fetch = %q, %v; want error %q", file, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(file)
			if !bytes.Equal(b, image) || got != good {
				t.Errorf("fetched %q with SHA-256 %s, want %q, %s", b, got, image, good)
			}
			if line := memstick.PinLine(got); line != `sha256 = "`+good+`",` {
				t.Errorf("PinLine = %s", line)
			}
		})
	}
}

// A pinned image in the cache is used without the network; an unpinned one needs only the
// small checksum file.
func TestFetchUsesTheVerifiedCache(t *testing.T) {
	image := []byte("memstick bytes")
	m := &mirror{image: image, published: "SHA256 (" + name + ") = " + sum(image)}
	srv := httptest.NewServer(m)
	cache := t.TempDir()
	f := &memstick.Fetcher{Cache: cache, Logger: logger(&bytes.Buffer{})}
	pin := memstick.Pin{URL: srv.URL + "/mirror/downloads/" + name}
	first, _, err := f.Fetch(context.Background(), pin)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Fetch(context.Background(), pin); err != nil {
		t.Fatal(err)
	}
	srv.Close() // no network from here on
	pin.SHA256 = sum(image)
	again, _, err := f.Fetch(context.Background(), pin)
	if err != nil {
		t.Fatalf("pinned fetch from the cache needed the network: %v", err)
	}
	if again != first || m.downloads != 1 {
		t.Errorf("downloads = %d, files %s and %s; want one download, one file", m.downloads, first, again)
	}
}

func TestPinValidation(t *testing.T) {
	tests := []struct {
		pin  memstick.Pin
		want string
	}{
		{memstick.Pin{URL: "ftp://x/y.img.gz"}, `memstick pin: url "ftp://x/y.img.gz": want an http(s) URL of the .img.gz`},
		{memstick.Pin{URL: "https://x/y.img.gz", SHA256: "ABC"}, `memstick pin: sha256 "ABC": want 64 lower-case hex digits, or empty until pinned`},
		{memstick.Pin{URL: "https://x/y.img.gz"}, ""},
	}
	for _, tc := range tests {
		err := tc.pin.Validate()
		if (err == nil && tc.want != "") || (err != nil && err.Error() != tc.want) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.pin, err, tc.want)
		}
	}
}
