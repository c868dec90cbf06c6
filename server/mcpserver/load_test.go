package mcpserver

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// Floods on loopback leave the server's memory where it was: initializes beyond the session
// bound are refused, large bodies are cut at the limit, and slow clients are dropped at their
// deadlines. (Before these bounds, 20,000 initializes held 184 MB and a 200 MB body 1.1 GB.)
func TestHTTPMemoryStaysFlatUnderFloods(t *testing.T) {
	h := newHarness(t, false)
	hs := serveHTTPFor(t, h, HTTPOptions{HeaderTimeout: time.Second, BodyTimeout: time.Second})
	hs.post(t, nil, initBody) // warm up: the first request builds the tool registration
	before := heapMB()
	// The peak matters as much as what stays: sample the heap while the floods run.
	var peak float64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, float64(m.HeapAlloc)/(1<<20))
			}
		}
	}()

	const initializes = 1500
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	work := make(chan int)
	tr := &http.Transport{MaxIdleConnsPerHost: 8}
	cl := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				req, _ := http.NewRequest("POST", hs.url, strings.NewReader(initBody))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json, text/event-stream")
				resp, err := cl.Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				codes[resp.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < initializes; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	if codes[200] > MaxSessions || codes[503] < initializes-MaxSessions-1 {
		t.Errorf("initialize flood: statuses %v (at most %d sessions)", codes, MaxSessions)
	}

	// Large bodies: 64 MB each, streamed; the server reads the first MB of the limit and stops.
	for i := 0; i < 8; i++ {
		pr, pw := io.Pipe()
		go func() {
			chunk := []byte(strings.Repeat("x", 1<<20))
			pw.Write([]byte(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"`))
			for j := 0; j < 64; j++ {
				if _, err := pw.Write(chunk); err != nil {
					return
				}
			}
			pw.Close()
		}()
		req, _ := http.NewRequest("POST", hs.url, pr)
		req.Header.Set("Content-Type", "application/json")
		resp, err := cl.Do(req)
		pr.CloseWithError(io.ErrClosedPipe)
		if err == nil {
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("a 64 MB body: status %d", resp.StatusCode)
			}
			resp.Body.Close()
		}
	}

	// Slow clients: half send headers slowly, half send a body slowly; all are dropped.
	const slow = 60
	var conns []net.Conn
	for i := 0; i < slow; i++ {
		c, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(hs.url, "http://"), "/mcp"))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			fmt.Fprintf(c, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n")
		} else {
			fmt.Fprintf(c, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"jsonrpc\"")
		}
		conns = append(conns, c)
	}
	dropped := 0
	deadline := time.Now().Add(15 * time.Second)
	for _, c := range conns {
		c.SetReadDeadline(deadline)
		if _, err := io.ReadAll(c); err == nil || !isTimeout(err) {
			dropped++
		}
		c.Close()
	}
	if dropped != slow {
		t.Errorf("%d of %d slow clients were dropped by the server", dropped, slow)
	}
	tr.CloseIdleConnections()
	close(stop)
	<-sampled
	after := heapMB()
	t.Logf("heap before %.1f MB, peak %.1f MB, after %d initializes, 8 bodies of 64 MB and %d slow clients %.1f MB; statuses %v",
		before, peak, initializes, slow, after, codes)
	// Unbounded, the sessions alone would keep about 14 MB, and one body 64 MB at its peak.
	if after-before > 6 || peak-before > 40 {
		t.Errorf("the heap grew by %.1f MB (peak +%.1f MB) under the floods", after-before, peak-before)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
