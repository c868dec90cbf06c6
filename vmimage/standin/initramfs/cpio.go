// Package initramfs writes the stand-in appliance's initramfs: a gzip-compressed cpio
// archive in the "newc" format the Linux kernel unpacks, with kernel modules ordered so
// that each comes after the modules it depends on.
package initramfs

import (
	"compress/gzip"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// Writer writes a gzip-compressed newc cpio archive. Entries get fixed owners, times and
// inode numbers, so the same inputs give the same bytes (a stable Bazel cache key).
type Writer struct {
	gz    *gzip.Writer
	n     int64 // bytes written into the cpio stream, for padding.
	ino   uint32
	dirs  map[string]bool
	err   error
	wrote map[string]bool
}

// NewWriter starts an archive on w.
func NewWriter(w io.Writer) *Writer {
	gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	return &Writer{gz: gz, dirs: map[string]bool{"": true, ".": true}, wrote: map[string]bool{}, ino: 300000}
}

const (
	modeDir  = 0o040000
	modeFile = 0o100000
)

// Dir adds a directory and its parents.
func (w *Writer) Dir(name string) error {
	name = clean(name)
	if w.dirs[name] {
		return w.err
	}
	if parent := path.Dir(name); parent != "." {
		if err := w.Dir(parent); err != nil {
			return err
		}
	}
	w.dirs[name] = true
	return w.entry(name, modeDir|0o755, nil)
}

// File adds a regular file (and its parent directories) with permission bits perm.
func (w *Writer) File(name string, perm uint32, data []byte) error {
	name = clean(name)
	if w.wrote[name] {
		return fmt.Errorf("initramfs: %s added twice", name)
	}
	w.wrote[name] = true
	if parent := path.Dir(name); parent != "." {
		if err := w.Dir(parent); err != nil {
			return err
		}
	}
	return w.entry(name, modeFile|perm&0o7777, data)
}

// Close writes the trailer and flushes the compressor.
func (w *Writer) Close() error {
	if err := w.entry("TRAILER!!!", 0, nil); err != nil {
		return err
	}
	return w.gz.Close()
}

func clean(name string) string { return strings.TrimPrefix(path.Clean("/"+name), "/") }

func (w *Writer) entry(name string, mode uint32, data []byte) error {
	if w.err != nil {
		return w.err
	}
	w.ino++
	nlink := 1
	if mode&modeDir != 0 {
		nlink = 2
	}
	ino := w.ino
	if name == "TRAILER!!!" {
		ino = 0
	}
	hdr := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(name)+1, 0)
	w.write([]byte(hdr))
	w.write(append([]byte(name), 0))
	w.pad()
	w.write(data)
	w.pad()
	return w.err
}

func (w *Writer) write(b []byte) {
	if w.err != nil {
		return
	}
	n, err := w.gz.Write(b)
	w.n += int64(n)
	w.err = err
}

func (w *Writer) pad() {
	if r := w.n % 4; r != 0 {
		w.write(make([]byte, 4-r))
	}
}

// sortedKeys is a small helper for deterministic iteration.
func sortedKeys(m map[string]*Module) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
