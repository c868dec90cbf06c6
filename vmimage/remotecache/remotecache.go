// Package remotecache is a Bazel remote cache over HTTP (Bazel's HTTP caching protocol:
// GET and PUT of /ac/SHA256 and /cas/SHA256), storing blobs in a directory. It exists to
// test, on a machine without internet, that a golden image built once is fetched by
// another output base or machine instead of rebuilt (tools/test-remote-cache.sh); any
// Bazel remote cache (bazel-remote, a CI cache service) plays the same role in production.
package remotecache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
)

// Cache serves the blobs under Dir.
type Cache struct {
	Dir string

	hits, misses, puts atomic.Int64
}

// Stats counts requests.
type Stats struct {
	Hits   int64 `json:"hits"`
	Misses int64 `json:"misses"`
	Puts   int64 `json:"puts"`
}

// Stats returns the counters so far.
func (c *Cache) Stats() Stats {
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Puts: c.puts.Load()}
}

var key = regexp.MustCompile(`^/(ac|cas)/([0-9a-f]{64})$`)

func (c *Cache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/status" && r.Method == http.MethodGet {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(c.Stats())
		return
	}
	m := key.FindStringSubmatch(r.URL.Path)
	if m == nil {
		http.Error(w, "want /ac/SHA256 or /cas/SHA256", http.StatusNotFound)
		return
	}
	kind, hash := m[1], m[2]
	path := filepath.Join(c.Dir, kind, hash[:2], hash)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		f, err := os.Open(path)
		if err != nil {
			c.misses.Add(1)
			http.Error(w, "not in the cache", http.StatusNotFound)
			return
		}
		defer f.Close()
		c.hits.Add(1)
		st, _ := f.Stat()
		w.Header().Set("Content-Length", fmt.Sprint(st.Size()))
		if r.Method == http.MethodGet {
			_, _ = io.Copy(w, f)
		}
	case http.MethodPut:
		if err := c.put(kind, hash, path, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.puts.Add(1)
		w.WriteHeader(http.StatusOK)
	default:
		http.Error(w, "GET, HEAD or PUT", http.StatusMethodNotAllowed)
	}
}

// put stores a blob atomically; a CAS blob must hash to its key.
func (c *Cache) put(kind, hash, path string, body io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), body); err != nil {
		tmp.Close()
		return fmt.Errorf("upload %s/%s: %w", kind, hash, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); kind == "cas" && got != hash {
		return fmt.Errorf("cas/%s: the body hashes to %s", hash, got)
	}
	return os.Rename(tmp.Name(), path)
}
