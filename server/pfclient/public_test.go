package pfclient

import (
	"context"
	"net/http"
	"testing"
)

// TestPublicSendsNoCredentials: Public carries no key and no BasicAuth, returns any status and a
// redirect as they are, and says which certificate the firewall presented.
func TestPublicSendsNoCredentials(t *testing.T) {
	srv, c := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		if _, _, basic := r.BasicAuth(); basic || r.Header.Get("X-API-Key") != "" || r.Header.Get("Authorization") != "" {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		switch r.URL.Path {
		case "/api/v2/schema/openapi":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte(`{"openapi":"3.0.0"}`))
		case "/":
			http.Redirect(w, r, "/index.php", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}, func(o *Options) { o.Username, o.Password = "admin", "pfsense" })
	want := Fingerprint(srv.Certificate().Raw)
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/api/v2/schema/openapi", 200, `{"openapi":"3.0.0"}`},
		{"/", http.StatusFound, ""},
		{"/nothing", http.StatusNotFound, "404 page not found\n"},
	} {
		a, err := c.Public(context.Background(), tc.path)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if a.HTTPStatus != tc.status || (tc.body != "" && string(a.Body) != tc.body) || a.Fingerprint != want {
			t.Errorf("%s: %d %q (certificate %s), want %d %q (%s)", tc.path, a.HTTPStatus, a.Body, a.Fingerprint, tc.status, tc.body, want)
		}
	}
}
