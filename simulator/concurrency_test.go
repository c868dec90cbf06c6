package simulator_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

// TestConcurrentClients has several clients create and list objects at once on one
// simulator: no update is lost and every answer stays well-formed.
func TestConcurrentClients(t *testing.T) {
	sim, err := simulator.New(simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sim.Handler()
	const clients, each = 6, 25
	var wg sync.WaitGroup
	errs := make(chan string, clients*each*2)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				body := map[string]any{"name": fmt.Sprintf("bt_c%d_%d", c, i), "type": "host"}
				if code, resp := call(h, "POST", "/api/v2/firewall/alias", nil, body); code != 200 {
					errs <- fmt.Sprintf("create: %d %s", code, resp)
				}
				if code, resp := call(h, "GET", "/api/v2/firewall/aliases", url.Values{"name__startswith": {"bt_c"}}, nil); code != 200 {
					errs <- fmt.Sprintf("list: %d %s", code, resp)
				}
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	_, resp := call(h, "GET", "/api/v2/firewall/aliases", nil, nil)
	var env struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(resp, &env); err != nil {
		t.Fatal(err)
	}
	if got, want := len(env.Data), 3+clients*each; got != want {
		t.Fatalf("%d aliases after concurrent creates, want %d", got, want)
	}
	for i, o := range env.Data {
		if o["id"] != float64(i) {
			t.Fatalf("alias %d has id %v", i, o["id"])
		}
	}
}
