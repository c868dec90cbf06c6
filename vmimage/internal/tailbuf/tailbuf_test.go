package tailbuf

import (
	"fmt"
	"testing"
)

func TestKeepsTheLastBytes(t *testing.T) {
	b := New(8)
	for i := 0; i < 5; i++ {
		fmt.Fprintf(b, "line%d\n", i)
	}
	if got := b.String(); got != "3\nline4\n" {
		t.Errorf("String() = %q, want the last 8 bytes %q", got, "3\nline4\n")
	}
	if n, err := b.Write([]byte("x")); n != 1 || err != nil || b.Close() != nil {
		t.Errorf("Write/Close = %d %v", n, err)
	}
}
