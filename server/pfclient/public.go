package pfclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// PublicAnswer is the firewall's answer to an unauthenticated GET.
type PublicAnswer struct {
	HTTPStatus  int
	ContentType string
	Body        []byte // at most 32 MB.
	// Fingerprint is the SHA-256 fingerprint of the certificate the firewall presented (it
	// passed the TLS checks), formatted as Fingerprint does.
	Fingerprint string
}

// Public GETs path without any credentials and returns the answer as it is, whatever its status.
// It is for what the REST API serves to anyone (its own OpenAPI spec at /api/v2/schema/openapi:
// pfSense-pkg-RESTAPI's Core/Schema.inc, Schema::build_schema_url, writes a page that needs no
// authentication) and for checks that must not depend on the credentials (is the firewall there,
// which certificate does it present). It is not retried, and a redirect is returned, not followed.
func (c *Client) Public(ctx context.Context, path string) (*PublicAnswer, error) {
	req := Request{Method: http.MethodGet, Path: path}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	u := *c.opts.BaseURL
	u.Path = path
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("build request GET %s: %w", path, err)
	}
	hreq.Header.Set("User-Agent", UserAgent)
	// A redirect is an answer like any other here: nothing is sent that could be replayed.
	plain := *c.http
	plain.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hresp, err := plain.Do(hreq)
	if err != nil {
		return nil, c.connectionError(req, err)
	}
	defer hresp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hresp.Body, maxBody+1))
	if err != nil {
		return nil, c.connectionError(req, err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("GET %s: the answer is larger than %d MB", path, maxBody>>20)
	}
	a := &PublicAnswer{HTTPStatus: hresp.StatusCode, ContentType: hresp.Header.Get("Content-Type"), Body: body}
	if hresp.TLS != nil && len(hresp.TLS.PeerCertificates) > 0 {
		a.Fingerprint = Fingerprint(hresp.TLS.PeerCertificates[0].Raw)
	}
	return a, nil
}
