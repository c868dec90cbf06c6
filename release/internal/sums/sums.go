// Package sums writes and reads SHA256SUMS files: one "<hex sha256>  <name>" line per file,
// sorted by name, the format `sha256sum --check` and `shasum -a 256 --check` verify.
package sums

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Sum is the lowercase hex SHA-256 of data.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// Format returns the SHA256SUMS text of files (name -> contents).
func Format(files map[string][]byte) []byte {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", Sum(files[n]), n)
	}
	return b.Bytes()
}

var line = regexp.MustCompile(`^([0-9a-f]{64})  ([^\n]+)$`)

// Parse reads a SHA256SUMS text into name -> hex sum.
func Parse(text []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			return nil, fmt.Errorf("SHA256SUMS line %d %q: want \"<64 hex digits>  <name>\"", n, sc.Text())
		}
		if _, dup := out[m[2]]; dup {
			return nil, fmt.Errorf("SHA256SUMS line %d: %s is listed twice", n, m[2])
		}
		if strings.Contains(m[2], "/") {
			return nil, fmt.Errorf("SHA256SUMS line %d: %s is a path, want a file name", n, m[2])
		}
		out[m[2]] = m[1]
	}
	return out, sc.Err()
}
