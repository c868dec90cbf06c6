// Package memstick fetches the pfSense serial memstick image for the golden image's install
// stage and proves it is Netgate's: the download must match the SHA-256 that Netgate
// publishes next to it (URL + ".sha256") and, once pinned in MODULE.bazel, the pin too. A
// verified image is kept in a cache keyed by its digest, so a retried install stage does
// not download 400 MB again. The pin, not the image, is the build's input: a machine that
// gets the golden image from a remote cache never fetches the memstick.
package memstick

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/internal/usercache"
)

// Pin names the memstick: where it is and, once someone verified it, its SHA-256.
type Pin struct {
	URL    string `json:"url"`
	SHA256 string `json:"sha256"` // lower-case hex; empty until pinned.
}

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ReadPin reads the pin file the pfsense_memstick repository rule writes.
func ReadPin(file string) (Pin, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return Pin{}, fmt.Errorf("read the memstick pin: %w", err)
	}
	var p Pin
	if err := json.Unmarshal(b, &p); err != nil {
		return Pin{}, fmt.Errorf("memstick pin %s: %w", file, err)
	}
	return p, p.Validate()
}

// Validate checks the pin's fields.
func (p Pin) Validate() error {
	if !strings.HasPrefix(p.URL, "https://") && !strings.HasPrefix(p.URL, "http://") {
		return fmt.Errorf("memstick pin: url %q: want an http(s) URL of the .img.gz", p.URL)
	}
	if p.SHA256 != "" && !hex64.MatchString(p.SHA256) {
		return fmt.Errorf("memstick pin: sha256 %q: want 64 lower-case hex digits, or empty until pinned", p.SHA256)
	}
	return nil
}

// Name is the image's file name.
func (p Pin) Name() string { return path.Base(p.URL) }

// PinLine is what to paste into MODULE.bazel's pfsense_memstick(...).
func PinLine(sum string) string { return fmt.Sprintf("sha256 = %q,", sum) }

// ParsePublished reads Netgate's checksum file for name. Its format is BSD sha256's
// "SHA256 (NAME) = HEX" (as in the seed's vm/pfSense-CE-2.7.2-RELEASE-amd64.iso.gz.sha256,
// line 1); coreutils' "HEX  NAME" is accepted too. A file for another name is refused.
func ParsePublished(text, name string) (string, error) {
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		line = strings.TrimSpace(line)
		if m := bsdLine.FindStringSubmatch(line); m != nil {
			if m[1] != name {
				continue
			}
			return strings.ToLower(m[2]), nil
		}
		if m := gnuLine.FindStringSubmatch(line); m != nil {
			if m[2] != name {
				continue
			}
			return strings.ToLower(m[1]), nil
		}
	}
	return "", fmt.Errorf("no SHA-256 for %s in the published checksum file: %.200q", name, text)
}

var (
	bsdLine = regexp.MustCompile(`^SHA256 \((.+)\) = ([0-9a-fA-F]{64})$`)
	gnuLine = regexp.MustCompile(`^([0-9a-fA-F]{64})\s+\*?(.+)$`)
)

// Fetcher downloads and verifies memsticks.
type Fetcher struct {
	// Cache holds verified images as CACHE/<sha256>/<name>.
	Cache  string
	Client *http.Client
	Logger *slog.Logger
}

// DefaultCache is ~/.cache/pfsense-mcp/memstick (the home directory from the password
// database: Bazel's actions run without $HOME).
func DefaultCache() (string, error) {
	dir, err := usercache.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "memstick"), nil
}

// Fetch returns a local copy of the pinned image and its SHA-256, verified against
// Netgate's published checksum (and the pin, when set), downloading it when the cache has
// none.
func (f *Fetcher) Fetch(ctx context.Context, p Pin) (file, sum string, err error) {
	if err := p.Validate(); err != nil {
		return "", "", err
	}
	log := f.Logger
	if log == nil {
		log = slog.Default()
	}
	client := f.Client
	if client == nil {
		client = &http.Client{}
	}
	// A pinned image in the cache was checked against Netgate's checksum when it was cached.
	if p.SHA256 != "" {
		if file, ok := f.cached(p.SHA256, p.Name()); ok {
			log.Info("memstick: using the verified copy in the cache", "file", file, "sha256", p.SHA256)
			return file, p.SHA256, nil
		}
	}
	published, err := f.published(ctx, client, p)
	if err != nil {
		return "", "", err
	}
	if p.SHA256 != "" && published != p.SHA256 {
		return "", "", fmt.Errorf("memstick %s: the pin in MODULE.bazel (sha256 %s) differs from Netgate's published checksum %s (%s.sha256): refusing both until someone checks which is right", p.Name(), p.SHA256, published, p.URL)
	}
	if file, ok := f.cached(published, p.Name()); ok {
		log.Info("memstick: using the verified copy in the cache", "file", file, "sha256", published)
		return file, published, nil
	}
	file, err = f.download(ctx, client, p, published, log)
	if err != nil {
		return "", "", err
	}
	return file, published, nil
}

func (f *Fetcher) cached(sum, name string) (string, bool) {
	if f.Cache == "" {
		return "", false
	}
	file := filepath.Join(f.Cache, sum, name)
	got, err := fileSHA256(file)
	if err != nil || got != sum {
		return "", false
	}
	return file, true
}

func (f *Fetcher) published(ctx context.Context, client *http.Client, p Pin) (string, error) {
	url := p.URL + ".sha256"
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("read Netgate's published checksum %s (the memstick is only used once verified; the install stage needs internet): %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("read Netgate's published checksum %s: HTTP %d", url, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", fmt.Errorf("read Netgate's published checksum %s: %w", url, err)
	}
	return ParsePublished(string(b), p.Name())
}

// download fetches the image into the cache, hashing as it goes, and keeps it only when it
// matches want.
func (f *Fetcher) download(ctx context.Context, client *http.Client, p Pin, want string, log *slog.Logger) (string, error) {
	dir := f.Cache
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "memstick-"); err != nil {
			return "", err
		}
	}
	final := filepath.Join(dir, want, p.Name())
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), ".download-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return "", err
	}
	log.Info("memstick: downloading", "url", p.URL)
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("download the memstick %s: %w", p.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("download the memstick %s: HTTP %d", p.URL, resp.StatusCode)
	}
	h := sha256.New()
	pr := &progressReader{r: resp.Body, total: resp.ContentLength, log: log, every: 15 * time.Second, last: time.Now()}
	if _, err := io.Copy(io.MultiWriter(tmp, h), pr); err != nil {
		return "", fmt.Errorf("download the memstick %s: %w", p.URL, err)
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	got := hex.EncodeToString(h.Sum(nil))
	if got != want {
		return "", fmt.Errorf("memstick %s: the download's SHA-256 %s differs from Netgate's published %s: refused", p.Name(), got, want)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", err
	}
	log.Info("memstick: downloaded and verified", "file", final, "bytes", pr.n, "sha256", got)
	return final, nil
}

type progressReader struct {
	r     io.Reader
	n     int64
	total int64
	log   *slog.Logger
	every time.Duration
	last  time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if time.Since(p.last) >= p.every {
		p.last = time.Now()
		p.log.Info("memstick: downloading", "bytes", p.n, "of", p.total)
	}
	return n, err
}

func fileSHA256(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
