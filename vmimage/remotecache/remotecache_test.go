package remotecache_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/remotecache"
)

func TestPutGetAndCASVerification(t *testing.T) {
	c := &remotecache.Cache{Dir: t.TempDir()}
	srv := httptest.NewServer(c)
	defer srv.Close()
	blob := "golden image bytes"
	sum := sha256.Sum256([]byte(blob))
	good := hex.EncodeToString(sum[:])
	bad := strings.Repeat("0", 64)

	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		method, path, body string
		wantCode           int
		wantBody           string
	}{
		{"GET", "/cas/" + good, "", 404, "not in the cache\n"},
		{"PUT", "/cas/" + bad, blob, 400, "cas/" + bad + ": the body hashes to " + good + "\n"},
		{"PUT", "/cas/" + good, blob, 200, ""},
		{"GET", "/cas/" + good, "", 200, blob},
		{"PUT", "/ac/" + bad, "action result", 200, ""},
		{"GET", "/ac/" + bad, "", 200, "action result"},
		{"GET", "/cas/xyz", "", 404, "want /ac/SHA256 or /cas/SHA256\n"},
		{"GET", "/status", "", 200, `{"hits":2,"misses":1,"puts":2}` + "\n"},
	}
	for _, tc := range tests {
		code, body := do(tc.method, tc.path, tc.body)
		if code != tc.wantCode || body != tc.wantBody {
			t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.path, code, body, tc.wantCode, tc.wantBody)
		}
	}
}
