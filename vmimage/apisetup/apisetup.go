// Package apisetup configures a freshly installed pfSense REST API over HTTPS, from the host,
// through the VM's port forward: wait for the API, enable KeyAuth, create the API key,
// install packages, enable the LAN DHCP server, halt. The golden pfSense image and the
// stand-in appliance go through the same calls.
package apisetup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultUser and DefaultPassword are pfSense's factory credentials.
const (
	DefaultUser     = "admin"
	DefaultPassword = "pfsense"
)

// Packages are the add-on packages the golden image carries, for API coverage.
var Packages = []string{
	"pfSense-pkg-acme",
	"pfSense-pkg-bind",
	"pfSense-pkg-Cron",
	"pfSense-pkg-freeradius3",
	"pfSense-pkg-haproxy",
	"pfSense-pkg-Service_Watchdog",
	"pfSense-pkg-WireGuard",
	"pfSense-pkg-openvpn-client-export",
}

// Client calls one firewall's REST API. Its certificate is self-signed: the first
// connection records its SHA-256 fingerprint and later connections must present the same.
type Client struct {
	BaseURL string // e.g. https://127.0.0.1:40443
	// APIKey, when set, authenticates with X-API-Key; otherwise BasicAuth admin:pfsense.
	APIKey string
	// PackageTimeout bounds one package install request; New sets DefaultPackageTimeout.
	PackageTimeout time.Duration
	// RetryPause is the wait before a package install is tried again, and between looks
	// at the installed list; New sets 5 s.
	RetryPause time.Duration
	// InstallGrace is how long an install whose request died may take to show up in the
	// installed list; New sets 5 min.
	InstallGrace time.Duration
	Logger       *slog.Logger

	http        *http.Client
	mu          sync.Mutex
	fingerprint string
}

// New returns a client for baseURL.
func New(baseURL string, logger *slog.Logger) *Client {
	if logger == nil {
		logger = slog.Default()
	}
	c := &Client{BaseURL: strings.TrimRight(baseURL, "/"), Logger: logger, PackageTimeout: DefaultPackageTimeout,
		RetryPause: 5 * time.Second, InstallGrace: 5 * time.Minute}
	// No client-wide timeout: each request has its own (RequestTimeout, or longer for a
	// package install, which the API performs before it answers).
	c.http = &http.Client{
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{
				// Trust on first use, pinned: see Client.
				InsecureSkipVerify: true,
				VerifyConnection:   c.verify,
			},
			DisableKeepAlives: true,
		},
	}
	return c
}

func (c *Client) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("the firewall presented no certificate")
	}
	sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
	fp := hex.EncodeToString(sum[:])
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fingerprint == "" {
		c.fingerprint = fp
		return nil
	}
	if fp != c.fingerprint {
		return fmt.Errorf("the firewall's certificate changed: SHA-256 %s, first seen %s", fp, c.fingerprint)
	}
	return nil
}

// CertFingerprint is the SHA-256 (hex) of the certificate the firewall presented first.
func (c *Client) CertFingerprint() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fingerprint
}

// APIError is a non-2xx answer.
type APIError struct {
	Method, Path string
	Status       int
	Code         string // the API's response_id, e.g. AUTH_AUTHENTICATION_FAILED.
	Message      string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d %s: %s", e.Method, e.Path, e.Status, e.Code, e.Message)
}

// RequestTimeout bounds one request, except package installs (PackageTimeout).
const RequestTimeout = 60 * time.Second

// DefaultPackageTimeout bounds one package install: POST /api/v2/system/package runs
// pkg_install before it answers (pfSense-pkg-RESTAPI v2.7.1, Models/Package.inc, _create),
// and a large package with its dependencies takes minutes.
const DefaultPackageTimeout = 20 * time.Minute

// Do sends a request with a JSON body (nil for none) and decodes the envelope's data into
// out (when not nil), within RequestTimeout.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	return c.do(ctx, RequestTimeout, c.APIKey, method, path, body, out)
}

func (c *Client) do(ctx context.Context, timeout time.Duration, apiKey, method, path string, body, out any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if apiKey != "" {
		req.Header.Set("X-API-Key", apiKey)
	} else {
		req.SetBasicAuth(DefaultUser, DefaultPassword)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	var env struct {
		Code       int             `json:"code"`
		Status     string          `json:"status"`
		ResponseID string          `json:"response_id"`
		Message    string          `json:"message"`
		Data       json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s %s: HTTP %d, not a REST API answer: %.200q", method, path, resp.StatusCode, raw)
	}
	if resp.StatusCode/100 != 2 {
		return &APIError{Method: method, Path: path, Status: resp.StatusCode, Code: env.ResponseID, Message: env.Message}
	}
	if out != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return fmt.Errorf("%s %s: decode data: %w", method, path, err)
		}
	}
	return nil
}

// WaitReady polls GET /api/v2/system/version until it answers 200 or ctx ends. The error
// says what the last attempt got.
func (c *Client) WaitReady(ctx context.Context, every time.Duration) error {
	start := time.Now()
	var last error
	for attempt := 1; ; attempt++ {
		err := c.do(ctx, 5*time.Second, c.APIKey, http.MethodGet, "/api/v2/system/version", nil, nil)
		if err == nil {
			c.Logger.Info("apisetup: API ready", "url", c.BaseURL, "after", time.Since(start).Round(time.Millisecond), "attempts", attempt)
			return nil
		}
		// An attempt cut short by the end of ctx says nothing about the API: the error
		// keeps what the last answered attempt got.
		if ctx.Err() == nil || last == nil {
			last = err
		}
		if attempt%10 == 0 {
			c.Logger.Info("apisetup: still waiting for the API", "url", c.BaseURL, "waited", time.Since(start).Round(time.Second), "last", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the REST API at %s was not ready after %v (%d attempts); last: %v", c.BaseURL, time.Since(start).Round(time.Second), attempt, last)
		case <-time.After(every):
		}
	}
}

// EnableKeyAuth makes sure the API accepts API keys (X-API-Key) besides BasicAuth.
func (c *Client) EnableKeyAuth(ctx context.Context) error {
	var settings struct {
		AuthMethods []string `json:"auth_methods"`
	}
	if err := c.Do(ctx, http.MethodGet, "/api/v2/system/restapi/settings", nil, &settings); err != nil {
		return fmt.Errorf("read REST API settings: %w", err)
	}
	if slices.Contains(settings.AuthMethods, "KeyAuth") {
		c.Logger.Info("apisetup: KeyAuth already enabled", "auth_methods", settings.AuthMethods)
		return nil
	}
	methods := append(settings.AuthMethods, "KeyAuth")
	if !slices.Contains(methods, "BasicAuth") {
		methods = append([]string{"BasicAuth"}, methods...)
	}
	// Only auth_methods: a PATCH with other defaults once locked the API out.
	if err := c.Do(ctx, http.MethodPatch, "/api/v2/system/restapi/settings", map[string]any{"auth_methods": methods}, &settings); err != nil {
		return fmt.Errorf("enable KeyAuth: %w", err)
	}
	if !slices.Contains(settings.AuthMethods, "KeyAuth") {
		return fmt.Errorf("enable KeyAuth: auth_methods is still %v", settings.AuthMethods)
	}
	c.Logger.Info("apisetup: KeyAuth enabled", "auth_methods", settings.AuthMethods)
	return nil
}

// CreateKey creates an API key for admin (BasicAuth only, as the API requires) and
// returns it. The key is shown once; pfSense keeps only its hash.
func (c *Client) CreateKey(ctx context.Context, descr string) (string, error) {
	var key struct {
		Key string `json:"key"`
	}
	if err := c.do(ctx, RequestTimeout, "", http.MethodPost, "/api/v2/auth/key", map[string]any{"descr": descr, "hash_algo": "sha256", "length_bytes": 24}, &key); err != nil {
		return "", fmt.Errorf("create API key: %w", err)
	}
	if key.Key == "" {
		return "", errors.New("create API key: the answer has no key")
	}
	c.Logger.Info("apisetup: API key created", "descr", descr)
	return key.Key, nil
}

// InstallPackages installs pfSense packages one by one. The API installs before it
// answers, so an install may outlast the request (a gateway timeout, a dropped
// connection) and still succeed: after a failed request the installed list decides, and
// only a package missing from it is tried once more.
func (c *Client) InstallPackages(ctx context.Context, names []string) error {
	for i, name := range names {
		c.Logger.Info("apisetup: installing package", "package", name, "n", i+1, "of", len(names))
		err := c.do(ctx, c.PackageTimeout, c.APIKey, http.MethodPost, "/api/v2/system/package", map[string]any{"name": name}, nil)
		if err == nil {
			continue
		}
		if c.installedAfter(ctx, name, err) {
			c.Logger.Warn("apisetup: the install request failed but the package is installed", "package", name, "err", err)
			continue
		}
		c.Logger.Warn("apisetup: package install failed; retrying once", "package", name, "err", err)
		if serr := sleep(ctx, c.RetryPause); serr != nil {
			return serr
		}
		rerr := c.do(ctx, c.PackageTimeout, c.APIKey, http.MethodPost, "/api/v2/system/package", map[string]any{"name": name}, nil)
		if rerr == nil {
			continue
		}
		if c.installedAfter(ctx, name, rerr) {
			continue
		}
		return fmt.Errorf("install package %s: %w (first attempt: %v)", name, rerr, err)
	}
	return nil
}

// installedAfter reports whether name is installed after its install request failed with
// err. When the API answered (an APIError other than a gateway's), the list is read once;
// when the request died on the way (a timeout, a dropped connection, a gateway timeout)
// the install may still be running, and the list is watched for InstallGrace.
func (c *Client) installedAfter(ctx context.Context, name string, err error) bool {
	var ae *APIError
	answered := errors.As(err, &ae) && ae.Status != http.StatusBadGateway && ae.Status != http.StatusGatewayTimeout
	deadline := time.Now().Add(c.InstallGrace)
	for {
		installed, lerr := c.packageInstalled(ctx, name)
		if lerr == nil && installed {
			return true
		}
		if answered || time.Now().After(deadline) {
			return false
		}
		if sleep(ctx, c.RetryPause) != nil {
			return false
		}
	}
}

// packageInstalled reads GET /api/v2/system/packages (the installed packages).
func (c *Client) packageInstalled(ctx context.Context, name string) (bool, error) {
	var pkgs []struct {
		Name string `json:"name"`
	}
	if err := c.Do(ctx, http.MethodGet, "/api/v2/system/packages", nil, &pkgs); err != nil {
		return false, err
	}
	for _, p := range pkgs {
		if p.Name == name {
			return true, nil
		}
	}
	return false, nil
}

// EnableLANDHCP turns on the DHCP server on LAN (192.168.1.100-200) and applies it.
func (c *Client) EnableLANDHCP(ctx context.Context) error {
	body := map[string]any{"id": "lan", "enable": true, "range_from": "192.168.1.100", "range_to": "192.168.1.200"}
	if err := c.Do(ctx, http.MethodPatch, "/api/v2/services/dhcp_server", body, nil); err != nil {
		return fmt.Errorf("enable the LAN DHCP server: %w", err)
	}
	if err := c.Do(ctx, http.MethodPost, "/api/v2/services/dhcp_server/apply", map[string]any{}, nil); err != nil {
		return fmt.Errorf("apply the DHCP server: %w", err)
	}
	c.Logger.Info("apisetup: LAN DHCP server enabled")
	return nil
}

// Halt powers the firewall off; it saves its configuration first.
func (c *Client) Halt(ctx context.Context) error {
	if err := c.Do(ctx, http.MethodPost, "/api/v2/diagnostics/halt_system", map[string]any{}, nil); err != nil {
		return fmt.Errorf("halt: %w", err)
	}
	c.Logger.Info("apisetup: halt requested")
	return nil
}

// Plan is what Setup does after the API answers.
type Plan struct {
	KeyDescr string   // description of the created key.
	Packages []string // packages to install (nil: none).
	LANDHCP  bool
	// OnKey, when set, gets the key as soon as it exists (to redact it from transcripts).
	OnKey func(key string)
}

// Setup runs the golden image's API configuration: KeyAuth, a new key (returned), the
// packages, the LAN DHCP server. It does not halt.
func (c *Client) Setup(ctx context.Context, p Plan) (string, error) {
	if err := c.EnableKeyAuth(ctx); err != nil {
		return "", err
	}
	key, err := c.CreateKey(ctx, p.KeyDescr)
	if err != nil {
		return "", err
	}
	if p.OnKey != nil {
		p.OnKey(key)
	}
	if len(p.Packages) > 0 {
		if err := c.InstallPackages(ctx, p.Packages); err != nil {
			return "", err
		}
	}
	if p.LANDHCP {
		if err := c.EnableLANDHCP(ctx); err != nil {
			return "", err
		}
	}
	return key, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
