package console_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
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
