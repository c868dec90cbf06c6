// Package pfclient is the only code that talks to the firewall: it authenticates, checks TLS,
// refuses blocked (dangerous) operations, retries idempotent reads, unwraps the REST API's
// response envelope and turns failures into typed errors that never carry credentials.
package pfclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/risk"
)

// UserAgent identifies the server to the firewall (and in its logs).
const UserAgent = "pfsense-mcp/0.1"

// maxBody bounds how much of one response is read: log endpoints can return megabytes.
const maxBody = 32 << 20

// Options configures a Client.
type Options struct {
	BaseURL *url.URL // https://host[:port]
	// Auth: APIKey for mode "key"; Username/Password for "basic", for "jwt" (to obtain tokens),
	// and for BasicAuth-only endpoints in any mode.
	Mode     string // "key", "basic" or "jwt"
	APIKey   string
	Username string
	Password string

	Timeout   time.Duration     // per attempt; 0 means 30 s.
	Transport http.RoundTripper // nil: a transport built from TLS (see NewTransport).
	// Refuse maps "METHOD /api/v2/path" to the risks (from the generated tool table, and so from
	// the generator's risk table) this client must refuse: every request to an operation with an
	// unconditional one, and requests whose body meets a conditional one. The client checks it on
	// every request, so no caller can reach a refused effect by accident. (A condition on a field
	// the body leaves out, as a PATCH may, is checked by the tool-call path on the object as it
	// would be; here only the body is known.)
	Refuse map[string][]toolspec.Risk
	// Retries is how many times an idempotent read is retried after a connection error or a 5xx.
	Retries int
	Backoff time.Duration // first retry delay, doubled each time; 0 means 250 ms.
	Logger  *slog.Logger
}

// Request is one call to the REST API.
type Request struct {
	Method string     // GET, POST, PATCH, PUT, DELETE.
	Path   string     // /api/v2/...
	Query  url.Values // query parameters.
	Body   any        // JSON body; nil for none.
	// BasicAuthOnly: the endpoint accepts only BasicAuth (POST /auth/key, /auth/jwt).
	BasicAuthOnly bool
	// Accept is the media type to ask for; "" is application/json. A file download must name
	// its own type or the REST API answers 406 (ContentHandlers pick the encoder from Accept).
	Accept string
}

// Response is a successful REST API answer.
type Response struct {
	HTTPStatus int
	ResponseID string
	Message    string
	Data       json.RawMessage // the envelope's data: an object, an array or a string.
	Duration   time.Duration
	Attempts   int
	// Date is the firewall's clock when it answered (its HTTP Date header); zero without one.
	Date time.Time
}

// Client calls one firewall. It is safe for concurrent use.
type Client struct {
	opts Options
	http *http.Client
	log  *slog.Logger

	jwtMu  sync.Mutex
	jwt    string
	jwtExp time.Time

	srcMu  sync.Mutex
	source net.IP       // the local address of the last connection to the firewall
	remote *net.TCPAddr // the firewall's address of the last connection
}

// New returns a client for opts.
func New(opts Options) (*Client, error) {
	if opts.BaseURL == nil || opts.BaseURL.Host == "" {
		return nil, errors.New("pfclient: no firewall URL")
	}
	switch opts.Mode {
	case "key":
		if opts.APIKey == "" {
			return nil, errors.New("pfclient: auth mode key needs an API key")
		}
	case "basic", "jwt":
		if opts.Username == "" || opts.Password == "" {
			return nil, fmt.Errorf("pfclient: auth mode %s needs a username and password", opts.Mode)
		}
	default:
		return nil, fmt.Errorf("pfclient: unknown auth mode %q", opts.Mode)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 250 * time.Millisecond
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Client{
		opts: opts,
		http: &http.Client{Transport: opts.Transport, CheckRedirect: noRedirects},
		log:  opts.Logger,
	}, nil
}

// A redirect would replay credentials to another place: the REST API never redirects.
func noRedirects(req *http.Request, _ []*http.Request) error {
	return fmt.Errorf("the firewall redirected to %s: check PFSENSE_URL (scheme and port)", req.URL.Redacted())
}

// BaseURL returns the firewall's URL.
func (c *Client) BaseURL() *url.URL { return c.opts.BaseURL }

// HasBasicAuth reports whether BasicAuth credentials are configured.
func (c *Client) HasBasicAuth() bool { return c.opts.Username != "" && c.opts.Password != "" }

// Do performs req and returns the unwrapped envelope of a successful answer, or an error:
// *BlockedError, *APIError (the firewall answered with an error), or a connection error.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	if err := c.refused(req); err != nil {
		return nil, err
	}
	if req.BasicAuthOnly && !c.HasBasicAuth() {
		return nil, &CredentialsError{Method: req.Method, Path: req.Path}
	}
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = json.Marshal(req.Body); err != nil {
			return nil, fmt.Errorf("encode request body: %w", err)
		}
	}
	idempotent := req.Method == http.MethodGet
	start := time.Now()
	delay := c.opts.Backoff
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, req, body)
		// The query's names only: a filter's value may be anything, a secret included.
		c.log.Debug("pfSense request", "method", req.Method, "path", req.Path, "query_fields", queryNames(req.Query), "attempt", attempt,
			"ok", err == nil, "ms", time.Since(start).Milliseconds())
		retry := idempotent && attempt <= c.opts.Retries && retryable(err) && ctx.Err() == nil
		if !retry {
			if resp != nil {
				resp.Duration = time.Since(start)
				resp.Attempts = attempt
			}
			return resp, err
		}
		c.log.Debug("retrying read", "method", req.Method, "path", req.Path, "attempt", attempt, "error", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
		delay *= 2
	}
}

func queryNames(q url.Values) string {
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// refused returns a *BlockedError when req has a risk the client must refuse.
func (c *Client) refused(req Request) error {
	for _, r := range c.opts.Refuse[req.Method+" "+req.Path] {
		if len(r.When) > 0 && (req.Body == nil || req.Method == http.MethodDelete) {
			continue // a condition on the objects a delete removes: the tool-call path reads them
		}
		if risk.Matches(r, req.Body) {
			return &BlockedError{Method: req.Method, Path: req.Path, Reason: r.Reason, Class: string(r.Class), Conditional: len(r.When) > 0}
		}
	}
	return nil
}

// Addrs returns the addresses of the last connection to the firewall: this client's (as the
// firewall sees it, unless something translates it on the way) and the firewall's. Both are nil
// before the first request. The lockout guard reads them.
func (c *Client) Addrs() (local net.IP, remote *net.TCPAddr) {
	c.srcMu.Lock()
	defer c.srcMu.Unlock()
	return c.source, c.remote
}

func (c *Client) noteConn(info httptrace.GotConnInfo) {
	if info.Conn == nil {
		return
	}
	c.srcMu.Lock()
	defer c.srcMu.Unlock()
	if a, ok := info.Conn.LocalAddr().(*net.TCPAddr); ok {
		c.source = a.IP
	}
	if a, ok := info.Conn.RemoteAddr().(*net.TCPAddr); ok {
		c.remote = a
	}
}

// retryable: connection-level failures and 5xx answers, except 501 (not implemented) and 503
// with a Retry-After (the firewall asked for minutes, not milliseconds).
func retryable(err error) bool {
	if err == nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatus >= 500 && apiErr.HTTPStatus != 501 && apiErr.RetryAfter == ""
	}
	var connErr *ConnectionError
	return errors.As(err, &connErr) && !connErr.TLS
}

func (c *Client) once(ctx context.Context, req Request, body []byte) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: c.noteConn})
	u := *c.opts.BaseURL
	u.Path = req.Path
	u.RawQuery = req.Query.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("build request %s %s: %w", req.Method, req.Path, err)
	}
	accept := req.Accept
	if accept == "" {
		accept = "application/json"
	}
	hreq.Header.Set("Accept", accept)
	hreq.Header.Set("User-Agent", UserAgent)
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if err := c.authenticate(ctx, hreq, req.BasicAuthOnly); err != nil {
		return nil, err
	}
	hresp, err := c.http.Do(hreq)
	if err != nil {
		return nil, c.connectionError(req, err)
	}
	defer hresp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(hresp.Body, maxBody+1))
	if err != nil {
		return nil, c.connectionError(req, err)
	}
	if len(raw) > maxBody {
		return nil, fmt.Errorf("%s %s: the answer is larger than %d MB; narrow it with a filter or a smaller limit", req.Method, req.Path, maxBody>>20)
	}
	if hresp.StatusCode == http.StatusUnauthorized && c.opts.Mode == "jwt" && !req.BasicAuthOnly {
		c.forgetJWT()
	}
	return decode(req, hresp, raw)
}

// envelope is the REST API's answer: {"code","status","response_id","message","data"}.
type envelope struct {
	Code       int             `json:"code"`
	Status     string          `json:"status"`
	ResponseID string          `json:"response_id"`
	Message    string          `json:"message"`
	Data       json.RawMessage `json:"data"`
}

func decode(req Request, hresp *http.Response, raw []byte) (*Response, error) {
	var env envelope
	ctype := hresp.Header.Get("Content-Type")
	isJSON := strings.HasPrefix(ctype, "application/json")
	if isJSON && json.Unmarshal(raw, &env) == nil && env.Code != 0 {
		if hresp.StatusCode != http.StatusOK {
			return nil, &APIError{
				Method: req.Method, Path: req.Path, HTTPStatus: hresp.StatusCode,
				ResponseID: env.ResponseID, Message: env.Message,
				RetryAfter: hresp.Header.Get("Retry-After"),
			}
		}
		date, _ := http.ParseTime(hresp.Header.Get("Date"))
		return &Response{HTTPStatus: hresp.StatusCode, ResponseID: env.ResponseID, Message: env.Message, Data: env.Data, Date: date}, nil
	}
	// A few endpoints answer without the envelope: GraphQL with its own {data, errors} JSON, and
	// file downloads (PKCS#12 archives, OpenVPN client configurations) with the file itself.
	if hresp.StatusCode == http.StatusOK && req.Method == http.MethodPost {
		if isJSON && json.Valid(raw) {
			return &Response{HTTPStatus: hresp.StatusCode, Data: raw}, nil
		}
		if ctype != "" && !strings.HasPrefix(ctype, "text/html") {
			return &Response{HTTPStatus: hresp.StatusCode, Data: fileData(hresp, raw)}, nil
		}
	}
	return nil, &APIError{
		Method: req.Method, Path: req.Path, HTTPStatus: hresp.StatusCode,
		Message: notAPIAnswer(hresp.StatusCode, raw),
	}
}

// fileData describes a downloaded file. Its content is base64 under "content_base64", a field
// the redactor hides by default: these downloads carry private keys.
func fileData(hresp *http.Response, raw []byte) json.RawMessage {
	file := map[string]any{
		"content_type":   hresp.Header.Get("Content-Type"),
		"size_bytes":     len(raw),
		"content_base64": base64.StdEncoding.EncodeToString(raw),
	}
	if _, params, err := mime.ParseMediaType(hresp.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		file["filename"] = params["filename"]
	}
	b, _ := json.Marshal(map[string]any{"file": file})
	return b
}

func notAPIAnswer(status int, raw []byte) string {
	switch status {
	case http.StatusNotFound:
		return "the firewall has no such REST API endpoint (a plain 404, not a REST API answer): the REST API package may be missing or older than the spec these tools come from"
	case http.StatusOK:
		return "the firewall answered with something that is not a REST API envelope"
	}
	snippet := strings.Join(strings.Fields(string(raw)), " ")
	if len(snippet) > 120 {
		snippet = snippet[:120] + "..."
	}
	return fmt.Sprintf("the firewall answered HTTP %d without a REST API envelope: %s", status, snippet)
}

func (c *Client) authenticate(ctx context.Context, hreq *http.Request, basicOnly bool) error {
	switch {
	case basicOnly || c.opts.Mode == "basic":
		hreq.SetBasicAuth(c.opts.Username, c.opts.Password)
	case c.opts.Mode == "key":
		hreq.Header.Set("X-API-Key", c.opts.APIKey)
	case c.opts.Mode == "jwt":
		tok, err := c.token(ctx)
		if err != nil {
			return err
		}
		hreq.Header.Set("Authorization", "Bearer "+tok)
	}
	return nil
}

// token returns a cached JWT, obtaining a new one from POST /api/v2/auth/jwt (BasicAuth) when
// it is missing or about to expire.
func (c *Client) token(ctx context.Context) (string, error) {
	c.jwtMu.Lock()
	defer c.jwtMu.Unlock()
	if c.jwt != "" && time.Until(c.jwtExp) > time.Minute {
		return c.jwt, nil
	}
	resp, err := c.once(ctx, Request{Method: http.MethodPost, Path: "/api/v2/auth/jwt", Body: map[string]any{}, BasicAuthOnly: true}, []byte("{}"))
	if err != nil {
		return "", fmt.Errorf("obtain a JWT: %w", err)
	}
	var data struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil || data.Token == "" {
		return "", errors.New("obtain a JWT: the firewall's answer has no token")
	}
	c.jwt = data.Token
	c.jwtExp = jwtExpiry(data.Token, time.Now())
	return c.jwt, nil
}

func (c *Client) forgetJWT() {
	c.jwtMu.Lock()
	c.jwt = ""
	c.jwtMu.Unlock()
}

func (c *Client) connectionError(req Request, err error) error {
	// net/http's errors quote the whole URL, query included, and a query can carry a filter
	// value: keep only the path.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = &url.Error{Op: ue.Op, URL: req.Path, Err: ue.Err}
	}
	ce := &ConnectionError{Method: req.Method, Path: req.Path, Host: c.opts.BaseURL.Host, Err: err}
	var tlsErr *TLSError
	if errors.As(err, &tlsErr) {
		ce.TLS = true
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		ce.Timeout = true
	}
	return ce
}
