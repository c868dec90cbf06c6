// Package simulator is a pfSense REST API v2 simulator driven by the API's own OpenAPI spec:
// every operation of the spec answers like the real firewall does (envelope, authentication,
// validation, ids, filters, apply endpoints), with state in memory. The MCP server's tests,
// its demo mode and the bank tester use it where no firewall is at hand.
//
//	sim, err := simulator.New(simulator.Options{})
//	srv := httptest.NewTLSServer(sim.Handler())
//
// The binary is cmd/pfsense-sim; simtest starts one over HTTPS for tests.
package simulator

import (
	"bytes"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/synth"
)

// The spec and native schema the simulator serves and its compact catalog, made by the build
// from //spec:openapi and //spec:native (see BUILD.bazel).
var (
	//go:embed openapi-spec.json
	embeddedSpec []byte
	//go:embed native-schema.json
	embeddedNative []byte
	//go:embed catalog.json
	embeddedCatalog []byte
)

// Options configure a simulator. The zero value is a fresh firewall with the REST API's
// defaults: BasicAuth admin:pfsense only.
type Options struct {
	// Spec is another OpenAPI spec (JSON) to simulate; nil uses the embedded spec.
	Spec []byte
	// Native is the native schema (GET /api/v2/schema/native) of the same REST API version:
	// with it the simulator follows the package's own model rules (and the committed rules
	// table of that version); `{}` simulates from the spec alone. nil: the embedded one when
	// Spec is nil too, else none.
	Native []byte
	// APIKey, when set, is created as an API key of admin and KeyAuth is enabled in the REST
	// API settings, as on the golden VM image.
	APIKey string
	// Now is the clock (JWT expiry, timestamps); nil is time.Now.
	Now func() time.Time
	// OnHalt and OnReboot run (in their own goroutine, after the answer is sent) when a
	// client halts or reboots the firewall without dry_run.
	OnHalt, OnReboot func()
	// StateFile is loaded by New when it exists and written by SaveFile.
	StateFile string
	// Logger receives one line per request at debug level and errors; nil discards.
	Logger *slog.Logger
}

// Simulator is one simulated firewall. It is safe for concurrent use.
type Simulator struct {
	opts   Options
	cat    *catalog.Catalog
	spec   []byte
	native []byte
	core   coreVersion
	models map[string]*model
	routes map[string]*route
	log    *slog.Logger
	// gql is the GraphQL schema, built on the first GraphQL request (graphql.go).
	// singular maps each model to its endpoint without many, for HATEOAS links (hateoas.go).
	singularOnce sync.Once
	singular     map[string]*route
	gqlOnce      sync.Once
	gql          *gqlSchema
	gqlErr       error
	// declOrder: the spec lists each model's properties in the order the class declares its
	// fields (v2.7.1's does; v2.10.0's sorts them), so reads can follow from_internal's order.
	declOrder bool

	mu      sync.RWMutex
	st      *state
	jwtKey  []byte
	planted []string
	// lastUniqid keeps uniqid() increasing within a run.
	lastUniqid int64
	// serverIDs are the HAProxy backend server ids handed out (servers made in one request
	// are not stored yet when the next one is numbered).
	serverIDs map[int64]bool
}

// state is everything a run changes; Save and Load write and read it as JSON.
type state struct {
	// Lists holds the objects of models with ids, top level only: child objects live in
	// their parent's array field, as in pfSense's config.
	Lists map[string][]map[string]any `json:"lists"`
	// Singles holds settings and status singletons.
	Singles map[string]map[string]any `json:"singles"`
	// Dirty lists the subsystems with changes not yet applied, in the order they were
	// marked; PendingInterfaces the interfaces with changes (apply.go).
	Dirty             []string `json:"dirty"`
	PendingInterfaces []string `json:"pending_interfaces"`
	// JWTKey signs tokens from /auth/jwt, hex.
	JWTKey string `json:"jwt_key"`
	// Planted lists the secret values of the seed state (see PlantedSecrets).
	Planted []string `json:"planted"`
	// Next holds config counters that only grow: system/nextuid and system/nextgid
	// ("uid", "gid"); absent means one above the highest in use (a state saved before).
	Next map[string]int64 `json:"next,omitempty"`
	// Revision is the running config's revision entry (time, description, version): the
	// config history lists backups of the configs before it (handler.go recordRevision).
	Revision map[string]any `json:"revision,omitempty"`
	// NTP is the NTP time servers' config strings (ntp.go).
	NTP *ntpConfig `json:"ntp,omitempty"`
}

// New builds a simulator with the seed state (or the state in Options.StateFile).
func New(opts Options) (*Simulator, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	sim := &Simulator{opts: opts, log: opts.Logger}
	if sim.log == nil {
		sim.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var err error
	switch {
	case opts.Spec == nil && opts.Native == nil:
		sim.spec, sim.native = embeddedSpec, embeddedNative
		sim.cat, err = catalog.Decode(embeddedCatalog)
	case opts.Spec == nil:
		sim.spec, sim.native = embeddedSpec, opts.Native
		sim.cat, err = catalog.Build(embeddedSpec, opts.Native)
	default:
		sim.spec, sim.native = opts.Spec, opts.Native
		sim.cat, err = catalog.Build(opts.Spec, opts.Native)
	}
	if err != nil {
		return nil, fmt.Errorf("load spec: %w", err)
	}
	if len(sim.native) == 0 {
		sim.native = []byte("{}")
	}
	sim.core = coreFor(sim.cat.APIVersion)
	sim.models, sim.routes = buildModels(sim.cat)
	sim.declOrder = !alphabetical(sim.cat)
	if sim.cat.Native {
		// The package says which fields are sensitive and write-only (Core/Model.inc
		// is_field_hidden): those flags replace the spec's.
		for _, s := range sim.cat.Schemas {
			for _, p := range s.Props {
				if p.F != nil {
					p.Sensitive, p.WriteOnly = p.F.Sensitive, p.F.WriteOnly
				}
			}
		}
	}
	for name, fields := range sensitiveFields {
		if sim.cat.Native {
			break
		}
		if s := sim.cat.Schemas[name]; s != nil {
			for _, f := range fields {
				if p := s.Prop(f); p != nil {
					p.Sensitive = true
				}
			}
		}
	}
	if opts.StateFile != "" {
		f, err := os.Open(opts.StateFile)
		switch {
		case err == nil:
			defer f.Close()
			if err := sim.Load(f); err != nil {
				return nil, fmt.Errorf("restore %s: %w", opts.StateFile, err)
			}
			sim.ensureAPIKey()
			return sim, nil
		case !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("restore state: %w", err)
		}
	}
	st, err := sim.seed()
	if err != nil {
		return nil, fmt.Errorf("seed state: %w", err)
	}
	sim.install(st)
	sim.ensureAPIKey()
	return sim, nil
}

// ensureAPIKey makes Options.APIKey an API key of admin and enables KeyAuth, in a seeded
// or a restored state alike.
func (sim *Simulator) ensureAPIKey() {
	key := sim.opts.APIKey
	if key == "" {
		return
	}
	hash := hashKey("sha256", key)
	found := false
	for _, k := range sim.st.Lists["RESTAPIKey"] {
		found = found || k["hash"] == hash
	}
	if !found {
		obj := map[string]any{}
		if s := sim.cat.Schemas["RESTAPIKey"]; s != nil {
			obj = synth.Blank(sim.cat, s)
		}
		obj["descr"], obj["username"], obj["hash_algo"] = "pfsense-mcp", "admin", "sha256"
		obj["length_bytes"], obj["hash"] = int64(len(key)/2), hash
		obj["key"] = nil // never stored: a read finds nothing (Models/RESTAPIKey.inc)
		sim.st.Lists["RESTAPIKey"] = append(sim.st.Lists["RESTAPIKey"], obj)
	}
	for _, s := range []string{key, hash} {
		known := false
		for _, p := range sim.planted {
			known = known || p == s
		}
		if !known {
			sim.planted = append(sim.planted, s)
			sim.st.Planted = append(sim.st.Planted, s)
		}
	}
	settings := sim.st.Singles["RESTAPISettings"]
	if settings == nil {
		return
	}
	methods, _ := settings["auth_methods"].([]any)
	for _, m := range methods {
		if m == "KeyAuth" {
			return
		}
	}
	settings["auth_methods"] = append(append([]any(nil), methods...), "KeyAuth")
}

func (sim *Simulator) install(st *state) {
	if st.JWTKey == "" {
		k := make([]byte, 32)
		rand.Read(k)
		st.JWTKey = fmt.Sprintf("%x", k)
	}
	sim.st = st
	sim.jwtKey = []byte(st.JWTKey)
	sim.planted = append([]string(nil), st.Planted...)
}

// Handler returns the whole API as an http.Handler.
func (sim *Simulator) Handler() http.Handler { return sim }

// PlantedSecrets returns every secret value of the seed state: a WireGuard private key, a
// peer pre-shared key, an IPsec pre-shared key, the admin's bcrypt hash, a certificate's and
// a CA's private keys (PEM), an OpenVPN TLS key, API key hashes and Options.APIKey itself.
// Tests check that none of them ever leaves an MCP server.
func (sim *Simulator) PlantedSecrets() []string {
	sim.mu.RLock()
	defer sim.mu.RUnlock()
	return append([]string(nil), sim.planted...)
}

// Save writes the state as JSON.
func (sim *Simulator) Save(w io.Writer) error {
	sim.mu.RLock()
	b, err := json.MarshalIndent(sim.st, "", " ")
	sim.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

// Load replaces the state with one written by Save.
func (sim *Simulator) Load(r io.Reader) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var st state
	if err := dec.Decode(&st); err != nil {
		return fmt.Errorf("decode state: %w", err)
	}
	for name, list := range st.Lists {
		for _, o := range list {
			normalizeObject(o)
			sim.repairArrays(o, name)
		}
	}
	for name, o := range st.Singles {
		normalizeObject(o)
		sim.repairArrays(o, name)
	}
	if st.Lists == nil {
		st.Lists = map[string][]map[string]any{}
	}
	if st.Singles == nil {
		st.Singles = map[string]map[string]any{}
	}
	sim.mu.Lock()
	sim.install(&st)
	sim.mu.Unlock()
	return nil
}

// SaveFile writes the state to Options.StateFile (atomically); it does nothing without one.
func (sim *Simulator) SaveFile() error {
	if sim.opts.StateFile == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := sim.Save(&buf); err != nil {
		return err
	}
	tmp := sim.opts.StateFile + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if err := os.Rename(tmp, sim.opts.StateFile); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	return nil
}

// repairArrays turns null back into [] for array fields that cannot be null (a state file
// written by another tool may have them).
func (sim *Simulator) repairArrays(o map[string]any, schema string) {
	s := sim.cat.Schemas[schema]
	if s == nil {
		return
	}
	for _, p := range s.Props {
		if p.Type != "array" {
			continue
		}
		v, ok := o[p.Name]
		if ok && v == nil && !p.Nullable {
			o[p.Name] = []any{}
		}
		if items, isList := v.([]any); isList && p.ItemModel != "" {
			for _, it := range items {
				if child, isObj := it.(map[string]any); isObj {
					sim.repairArrays(child, p.ItemModel)
				}
			}
		}
	}
}

// normalizeObject turns json.Number values into int64 or float64, as the simulator stores.
func normalizeObject(o map[string]any) {
	for k, v := range o {
		o[k] = normalizeValue(v)
	}
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalizeValue(x[i])
		}
	case map[string]any:
		normalizeObject(x)
	}
	return v
}

// NativeSchema returns the native schema the simulator was built with (`{}` when the build
// had none): tests that make arguments the real API accepts read the package's field facts
// from it (internal/argsample).
func NativeSchema() []byte { return embeddedNative }
