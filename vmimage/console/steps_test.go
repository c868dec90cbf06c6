package console_test

import (
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

func TestPlainShowsAScreenAsText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x1b[1;33m[2.7.2-RELEASE]\x1b[0m\x1b[1;34m[root@pfSense.home.arpa]\x1b[0m/root: ", "[2.7.2-RELEASE][root@pfSense.home.arpa]/root: "},
		{"\x1b[?1049h\x1b[1;24r\x1b[H\x1b[2JLast Chance!\r\n\x1b[7m<  NO  >\x1b[27m", "Last Chance!\n<  NO  >"},
		{"line one\r\nline two\rover", "line one\nline two\nover"},
		{"\x1b]0;title\x07text\x1b(Bmore", "textmore"},
	}
	for _, tc := range tests {
		if got := console.Plain(tc.in); got != tc.want {
			t.Errorf("Plain(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
