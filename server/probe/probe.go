// Package probe learns what the firewall itself has, cheaply, within a time bound, and keeps it:
// its REST API version; when that differs from the version of the spec the tools come from, the
// operations and fields of the firewall's own spec (served without authentication); and the
// packages it has installed. The server's start-up and `pfsense-mcp doctor` use it. What it
// learns goes to server/inventory, which hides the tools the firewall cannot answer, and through
// it to server/toolcall, which refuses fields the firewall's version does not know. It talks to
// the firewall only through server/pfclient.
package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
)

// Firewall is what the probe needs from the HTTP client (pfclient.Client).
type Firewall interface {
	Do(ctx context.Context, req pfclient.Request) (*pfclient.Response, error)
	Public(ctx context.Context, path string) (*pfclient.PublicAnswer, error)
}

// What the probe reads. The version and package endpoints exist in every REST API v2 spec so far
// (Endpoints/SystemRESTAPIVersionEndpoint.inc, Endpoints/SystemPackagesEndpoint.inc); the spec
// page needs no credentials (Core/Schema.inc, Schema::build_schema_url).
const (
	VersionPath  = "/api/v2/system/restapi/version"
	PackagesPath = "/api/v2/system/packages"
	SpecPath     = "/api/v2/schema/openapi"
)

// Time bounds: the version and the packages are two small reads made side by side; the spec is
// about 4 MB and is read only when the versions differ.
const (
	ReadTimeout = 10 * time.Second
	SpecTimeout = 30 * time.Second
)

// Facts are what one probe learned. A field left empty is unknown, and its error says why.
type Facts struct {
	ToolsVersion string // the REST API version of the spec the tools come from.

	Version    string // the firewall's REST API version (current_version).
	VersionErr error

	// Operations are those of the firewall's own spec, read only when Version differs from
	// ToolsVersion; SpecErr says why they could not be read.
	Operations  map[string]inventory.Operation
	SpecVersion string // info.version of the firewall's spec.
	SpecErr     error

	Packages    []string // installed packages, sorted; nil when unknown.
	PackagesErr error

	Took time.Duration
}

// Mismatch reports whether the firewall runs another REST API version than the tools' spec.
func (f *Facts) Mismatch() bool {
	return f.Version != "" && normalize(f.Version) != normalize(f.ToolsVersion)
}

func normalize(v string) string { return strings.TrimPrefix(strings.TrimSpace(v), "v") }

// Unreachable reports whether no read reached the firewall.
func (f *Facts) Unreachable() bool { return isConnection(f.VersionErr) && isConnection(f.PackagesErr) }

// retryable reports whether something is unknown only because the firewall could not be reached.
func (f *Facts) retryable() bool {
	return isConnection(f.VersionErr) || isConnection(f.PackagesErr) || isConnection(f.SpecErr)
}

func isConnection(err error) bool {
	var ce *pfclient.ConnectionError
	return errors.As(err, &ce) || errors.Is(err, context.DeadlineExceeded)
}

// Inventory returns the facts as the inventory's filter.
func (f *Facts) Inventory() inventory.Firewall {
	fw := inventory.Firewall{Version: f.Version, ToolsVersion: f.ToolsVersion}
	if f.Mismatch() && f.Operations != nil {
		fw.Operations = f.Operations
	}
	if f.Packages != nil {
		fw.Packages = make(map[string]bool, len(f.Packages))
		for _, p := range f.Packages {
			fw.Packages[p] = true
		}
	}
	return fw
}

// Learn probes the firewall once. prev, when given, is what an earlier probe learned: its spec
// is reused when the version is the same, and what this probe cannot read is kept from it.
func Learn(ctx context.Context, fw Firewall, toolsVersion string, prev *Facts) *Facts {
	start := time.Now()
	f := &Facts{ToolsVersion: toolsVersion}
	rctx, cancel := context.WithTimeout(ctx, ReadTimeout)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		f.Version, f.VersionErr = ReadVersion(rctx, fw)
	}()
	go func() {
		defer wg.Done()
		f.Packages, f.PackagesErr = ReadPackages(rctx, fw)
	}()
	wg.Wait()
	cancel()
	if prev != nil {
		if f.VersionErr != nil && prev.Version != "" {
			f.Version, f.VersionErr = prev.Version, nil
		}
		if f.PackagesErr != nil && prev.Packages != nil {
			f.Packages, f.PackagesErr = prev.Packages, nil
		}
	}
	if f.Mismatch() {
		if prev != nil && prev.Operations != nil && prev.Version == f.Version {
			f.Operations, f.SpecVersion = prev.Operations, prev.SpecVersion
		} else {
			sctx, cancel := context.WithTimeout(ctx, SpecTimeout)
			f.SpecVersion, f.Operations, f.SpecErr = ReadSpec(sctx, fw)
			cancel()
			if f.SpecErr == nil && normalize(f.SpecVersion) != normalize(f.Version) {
				f.Operations = nil
				f.SpecErr = fmt.Errorf("its spec says REST API %s, not %s", f.SpecVersion, f.Version)
			}
		}
	}
	f.Took = time.Since(start)
	return f
}

// ReadVersion reads the firewall's REST API version.
func ReadVersion(ctx context.Context, fw Firewall) (string, error) {
	resp, err := fw.Do(ctx, pfclient.Request{Method: http.MethodGet, Path: VersionPath})
	if err != nil {
		return "", err
	}
	var data struct {
		Current string `json:"current_version"`
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil || data.Current == "" {
		return "", fmt.Errorf("GET %s: the answer has no current_version", VersionPath)
	}
	return data.Current, nil
}

// ReadPackages reads the names of the installed packages, sorted (never nil on success). They are
// the names endpoints require, e.g. pfSense-pkg-haproxy: Models/Package.inc (get_installed_pkgs)
// lists packages by the name that Core/Model.inc (Model::check_packages) looks for.
func ReadPackages(ctx context.Context, fw Firewall) ([]string, error) {
	resp, err := fw.Do(ctx, pfclient.Request{Method: http.MethodGet, Path: PackagesPath})
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(resp.Data, &rows); err != nil {
		return nil, fmt.Errorf("GET %s: the answer is not a list of packages: %w", PackagesPath, err)
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.Name != "" {
			out = append(out, r.Name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// ReadSpec reads the firewall's own OpenAPI spec (no credentials are sent).
func ReadSpec(ctx context.Context, fw Firewall) (string, map[string]inventory.Operation, error) {
	a, err := fw.Public(ctx, SpecPath)
	if err != nil {
		return "", nil, err
	}
	if a.HTTPStatus != http.StatusOK {
		return "", nil, fmt.Errorf("GET %s answered HTTP %d", SpecPath, a.HTTPStatus)
	}
	return ParseSpec(a.Body)
}
