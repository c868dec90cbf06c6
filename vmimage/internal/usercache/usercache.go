// Package usercache finds ~/.cache/pfsense-mcp, also from inside a Bazel action, which runs
// without $HOME: the home directory then comes from the password database.
package usercache

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
)

// Dir returns $XDG_CACHE_HOME/pfsense-mcp, else ~/.cache/pfsense-mcp.
func Dir() (string, error) {
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "pfsense-mcp"), nil
	}
	home := os.Getenv("HOME")
	if home == "" {
		if u, err := user.Current(); err == nil {
			home = u.HomeDir
		}
	}
	if home == "" {
		return "", errors.New("no home directory for ~/.cache/pfsense-mcp (set XDG_CACHE_HOME)")
	}
	return filepath.Join(home, ".cache", "pfsense-mcp"), nil
}
