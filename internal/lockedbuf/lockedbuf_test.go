package lockedbuf

import (
	"strings"
	"sync"
	"testing"
)

// Concurrent writes and reads keep every byte (run with -race to check the locking).
func TestConcurrentWritesAndReads(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				b.Write([]byte("x"))
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if got := b.String(); got != strings.Repeat("x", 4000) || b.Len() != 4000 {
		t.Errorf("got %d bytes, want 4000", len(got))
	}
}
