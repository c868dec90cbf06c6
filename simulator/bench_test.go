package simulator_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// BenchmarkStart measures New: decoding the embedded catalog, building routes and models,
// and seeding the state (including a CA and a certificate), until Handler can serve.
func BenchmarkStart(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sim, err := simulator.New(simulator.Options{})
		if err != nil {
			b.Fatal(err)
		}
		_ = sim.Handler()
	}
}

// BenchmarkListRequest measures one plural GET through the handler (authentication,
// pipeline, filtering, encoding) with an API key, as the MCP server sends it.
func BenchmarkListRequest(b *testing.B) {
	const key = "0123456789abcdef0123456789abcdef0123456789abcdef"
	sim, err := simulator.New(simulator.Options{APIKey: key})
	if err != nil {
		b.Fatal(err)
	}
	h := sim.Handler()
	req := httptest.NewRequest(http.MethodGet, "/api/v2/firewall/rules?limit=50", nil)
	req.Header.Set("X-API-Key", key)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkStartFromSpec measures New with Options.Spec (the --spec flag): the full spec is
// compiled at start instead of the embedded catalog being decoded.
func BenchmarkStartFromSpec(b *testing.B) {
	spec, err := specfile.Read()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := simulator.New(simulator.Options{Spec: spec}); err != nil {
			b.Fatal(err)
		}
	}
}
