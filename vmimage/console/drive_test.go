package console_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/serialtest"
)

// A machine that powers off at every boot: a step that survives power-offs starts it again,
// a bounded number of times; a step that does not fails at the first one.
func TestDriveStartsTheMachineAgainAfterAPowerOff(t *testing.T) {
	tests := []struct {
		name     string
		survives bool
		bootsOK  int // boots that show the prompt instead of powering off
		boots    int
		wantErr  string
	}{
		{"survives: the third boot shows the prompt", true, 3, 3, ""},
		{"survives at most three restarts", true, 99, 4, "the machine powered off 4 times instead of rebooting: step \"menu\": the console closed (the VM stopped)"},
		{"does not survive", false, 2, 1, "step \"menu\": the console closed (the VM stopped)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			boots := 0
			step := console.Expect("menu", `Enter an option: `, 10*time.Second)
			step.SurvivesPowerOff = tc.survives
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := console.Drive(ctx, console.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, []console.Step{step},
				func(context.Context, bool) (io.ReadWriter, error) {
					boots++
					c := serialtest.New(t)
					n := boots
					c.Run(func(c *serialtest.Console) error {
						c.Print("booting\r\n")
						if n == tc.bootsOK {
							c.Print("Enter an option: ")
							return nil
						}
						c.PowerOff()
						return nil
					})
					return c, nil
				})
			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("Drive = %v, want %q", err, tc.wantErr)
			}
			if tc.wantErr != "" && !errors.Is(err, console.ErrClosed) {
				t.Errorf("error %v does not wrap ErrClosed", err)
			}
			if boots != tc.boots {
				t.Errorf("%d boots, want %d", boots, tc.boots)
			}
		})
	}
}

// A long wait says, while it lasts, that it is still waiting and what the console showed
// last, so that a 20-minute stage is not silent.
func TestLongWaitsReportProgress(t *testing.T) {
	logs := &syncWriter{b: &strings.Builder{}}
	c := serialtest.New(t)
	c.Run(func(c *serialtest.Console) error {
		c.Print(">>> Downloading upgrade packages... \r\n[17/552] Fetching php83-8.3.19.pkg: .......... done\r\n")
		if err := c.Sleep(300 * time.Millisecond); err != nil {
			return err
		}
		c.Print("Enter an option: ")
		return nil
	})
	s, err := console.Open(c, console.Options{ProgressEvery: 50 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Do(context.Background(), console.Expect("menu", `Enter an option: `, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	want := `msg="console: still waiting" step=menu`
	if !strings.Contains(logs.String(), want) || !strings.Contains(logs.String(), `last_line="[17/552] Fetching php83-8.3.19.pkg: .......... done"`) {
		t.Errorf("log lacks %q with the last line:\n%s", want, logs.String())
	}
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
