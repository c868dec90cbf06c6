// Package archive writes release archives (tar.gz and zip) that are byte-for-byte the same
// every time they are made from the same files: entries sorted by name, one fixed time, no
// owners, modes reduced to 0755 or 0644, and compressors whose output depends only on the input.
package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// Epoch is the modification time of every entry. A build time would make each archive
// different; the release is identified by its version, not by when it was packed.
var Epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// File is one file of an archive.
type File struct {
	Name       string // slash-separated path inside the archive (under its top directory, if any)
	Executable bool   // mode 0755 instead of 0644
	Data       []byte
}

func (f File) mode() fs.FileMode {
	if f.Executable {
		return 0o755
	}
	return 0o644
}

// entries checks the files and returns them sorted, with the names they get under dir ("" for
// none) and the directories that hold them, parents first.
func entries(dir string, files []File) (dirs []string, sorted []File, err error) {
	if dir != "" && (!fs.ValidPath(dir) || strings.Contains(dir, "/")) {
		return nil, nil, fmt.Errorf("archive directory %q: want one plain name", dir)
	}
	seen := map[string]bool{}
	dirSet := map[string]bool{}
	for _, f := range files {
		if !fs.ValidPath(f.Name) || f.Name == "." {
			return nil, nil, fmt.Errorf("archive file name %q: want a clean relative path (no leading /, no . or .. elements)", f.Name)
		}
		if seen[f.Name] {
			return nil, nil, fmt.Errorf("archive file %q is given twice", f.Name)
		}
		seen[f.Name] = true
		name := path.Join(dir, f.Name)
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			dirSet[d] = true
		}
		sorted = append(sorted, File{Name: name, Executable: f.Executable, Data: f.Data})
	}
	for _, f := range sorted {
		if dirSet[f.Name] {
			return nil, nil, fmt.Errorf("archive path %q is both a file and a directory", f.Name)
		}
	}
	for d := range dirSet {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	return dirs, sorted, nil
}

// WriteTarGz writes files as a gzip-compressed tar, under the top directory dir ("" for none).
func WriteTarGz(w io.Writer, dir string, files []File) error {
	dirs, sorted, err := entries(dir, files)
	if err != nil {
		return err
	}
	// The gzip header carries no name and no time; Go always writes OS "unknown".
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, d := range dirs {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: Epoch, Format: tar.FormatUSTAR}); err != nil {
			return fmt.Errorf("tar %s: %w", d, err)
		}
	}
	for _, f := range sorted {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.Name, Mode: int64(f.mode()), Size: int64(len(f.Data)), ModTime: Epoch, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("tar %s: %w", f.Name, err)
		}
		if _, err := tw.Write(f.Data); err != nil {
			return fmt.Errorf("tar %s: %w", f.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// WriteZip writes files as a deflated zip, under the top directory dir ("" for none), with an
// entry for each directory as zip tools make. Unix modes are recorded (unzip and MCPB hosts
// restore the executable bit from them).
func WriteZip(w io.Writer, dir string, files []File) error {
	dirs, sorted, err := entries(dir, files)
	if err != nil {
		return err
	}
	return writeZip(w, dirs, sorted)
}

// WriteFilesOnlyZip writes files as WriteZip does without a top directory and without directory
// entries: MCP Bundle hosts write every entry out as a file (@anthropic-ai/mcpb's
// unpackExtension, src/cli/unpack.ts), and a directory entry makes them fail with EISDIR.
func WriteFilesOnlyZip(w io.Writer, files []File) error {
	_, sorted, err := entries("", files)
	if err != nil {
		return err
	}
	return writeZip(w, nil, sorted)
}

func writeZip(w io.Writer, dirs []string, sorted []File) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, d := range dirs {
		hdr := &zip.FileHeader{Name: d + "/", Method: zip.Store, Modified: Epoch}
		hdr.SetMode(fs.ModeDir | 0o755)
		if _, err := zw.CreateHeader(hdr); err != nil {
			return fmt.Errorf("zip %s: %w", d, err)
		}
	}
	for _, f := range sorted {
		hdr := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: Epoch}
		hdr.SetMode(f.mode())
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return fmt.Errorf("zip %s: %w", f.Name, err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			return fmt.Errorf("zip %s: %w", f.Name, err)
		}
	}
	return zw.Close()
}

// Entry is one member of an archive as Read finds it.
type Entry struct {
	Name         string
	Mode         fs.FileMode
	ModTime      time.Time
	Uid, Gid     int    // tar only
	Uname, Gname string // tar only
	Data         []byte
}

// Read lists the members of a tar.gz (a gzip stream) or a zip, in the archive's order.
func Read(b []byte) ([]Entry, error) {
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return readZip(b)
	}
	return readTarGz(b)
}

func readZip(b []byte) ([]Entry, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.Name, err)
		}
		out = append(out, Entry{Name: f.Name, Mode: f.Mode(), ModTime: f.Modified.UTC(), Data: data})
	}
	return out, nil
}

func readTarGz(b []byte) ([]Entry, error) {
	gz, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	var out []Entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("tar %s: %w", h.Name, err)
		}
		out = append(out, Entry{Name: h.Name, Mode: h.FileInfo().Mode(), ModTime: h.ModTime.UTC(), Uid: h.Uid, Gid: h.Gid, Uname: h.Uname, Gname: h.Gname, Data: data})
	}
}
