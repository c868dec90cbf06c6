package archive

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"strings"
	"testing"
)

var files = []File{
	{Name: "README.md", Data: []byte("# read me\n")},
	{Name: "pfsense-mcp", Executable: true, Data: bytes.Repeat([]byte("\x7fELF binary "), 1000)},
	{Name: "docs/LICENSE", Data: []byte("MIT\n")},
}

// reversed is files in another order: the archive must not depend on it.
func reversed() []File {
	out := make([]File, len(files))
	for i, f := range files {
		out[len(files)-1-i] = f
	}
	return out
}

// members reads an archive and checks that no member has an owner.
func members(t *testing.T, b []byte) []Entry {
	t.Helper()
	got, err := Read(b)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range got {
		if e.Uid != 0 || e.Gid != 0 || e.Uname != "" || e.Gname != "" {
			t.Errorf("%s: owner %d/%d %q/%q, want none", e.Name, e.Uid, e.Gid, e.Uname, e.Gname)
		}
		got[i].Uid, got[i].Gid, got[i].Uname, got[i].Gname = 0, 0, "", ""
	}
	return got
}

func TestArchivesAreReproducibleAndNormalized(t *testing.T) {
	want := []Entry{
		{Name: "pfsense-mcp_1_linux_amd64/", Mode: fs.ModeDir | 0o755, ModTime: Epoch},
		{Name: "pfsense-mcp_1_linux_amd64/docs/", Mode: fs.ModeDir | 0o755, ModTime: Epoch},
		{Name: "pfsense-mcp_1_linux_amd64/README.md", Mode: 0o644, ModTime: Epoch, Data: []byte("# read me\n")},
		{Name: "pfsense-mcp_1_linux_amd64/docs/LICENSE", Mode: 0o644, ModTime: Epoch, Data: []byte("MIT\n")},
		{Name: "pfsense-mcp_1_linux_amd64/pfsense-mcp", Mode: 0o755, ModTime: Epoch, Data: files[1].Data},
	}
	for _, tc := range []struct {
		format string
		write  func(io.Writer, string, []File) error
	}{
		{"tar.gz", WriteTarGz},
		{"zip", WriteZip},
	} {
		var a, b bytes.Buffer
		if err := tc.write(&a, "pfsense-mcp_1_linux_amd64", files); err != nil {
			t.Fatal(err)
		}
		if err := tc.write(&b, "pfsense-mcp_1_linux_amd64", reversed()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two archives of the same files differ", tc.format)
		}
		if tc.format == "tar.gz" {
			gz, err := gzip.NewReader(bytes.NewReader(a.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if gz.Name != "" || !gz.ModTime.IsZero() {
				t.Errorf("gzip header has name %q, time %v: want neither", gz.Name, gz.ModTime)
			}
		}
		got := members(t, a.Bytes())
		if len(got) != len(want) {
			t.Fatalf("%s: entries %v, want %v", tc.format, got, want)
		}
		for i := range want {
			if got[i].Name != want[i].Name || got[i].Mode != want[i].Mode || !got[i].ModTime.Equal(want[i].ModTime) || !bytes.Equal(got[i].Data, want[i].Data) {
				t.Errorf("%s: entry %d = %s %v %v (%d bytes), want %s %v %v (%d bytes)", tc.format, i,
					got[i].Name, got[i].Mode, got[i].ModTime, len(got[i].Data), want[i].Name, want[i].Mode, want[i].ModTime, len(want[i].Data))
			}
		}
		if a.Len() > len(files[1].Data)/4 {
			t.Errorf("%s: %d bytes for a very repetitive input: not compressed", tc.format, a.Len())
		}
	}
}

func TestFilesOnlyZip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFilesOnlyZip(&buf, files); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range members(t, buf.Bytes()) {
		names = append(names, e.Name+" "+e.Mode.String())
	}
	want := []string{"README.md -rw-r--r--", "docs/LICENSE -rw-r--r--", "pfsense-mcp -rwxr-xr-x"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("entries = %v, want %v: files only, no directory entries", names, want)
	}
}

func TestBadNamesAreRefused(t *testing.T) {
	for _, tc := range []struct {
		dir   string
		files []File
		want  string
	}{
		{"", []File{{Name: "../x"}}, `archive file name "../x": want a clean relative path (no leading /, no . or .. elements)`},
		{"", []File{{Name: "/etc/x"}}, `archive file name "/etc/x": want a clean relative path (no leading /, no . or .. elements)`},
		{"", []File{{Name: "a"}, {Name: "a"}}, `archive file "a" is given twice`},
		{"", []File{{Name: "a"}, {Name: "a/b"}}, `archive path "a" is both a file and a directory`},
		{"x/y", nil, `archive directory "x/y": want one plain name`},
	} {
		if err := WriteTarGz(io.Discard, tc.dir, tc.files); err == nil || err.Error() != tc.want {
			t.Errorf("WriteTarGz(%q, %v) = %v, want %q", tc.dir, tc.files, err, tc.want)
		}
	}
}
