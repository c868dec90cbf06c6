package releasetest

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"fmt"
	"io/fs"
	"maps"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/internal/specsummary"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/smoke"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/sums"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
)

// The release is exactly one archive per platform, the bundle, server.json and SHA256SUMS,
// and SHA256SUMS is right about every other file (checked by sha256sum itself too).
func TestReleaseFilesAndSums(t *testing.T) {
	files := releaseFiles(t)
	v := moduleVersion(t)
	want := []string{"SHA256SUMS", "server.json", "pfsense-mcp_" + v + ".mcpb"}
	for _, p := range wantPlatforms {
		want = append(want, archiveName(v, p))
	}
	slices.Sort(want)
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, want) {
		t.Fatalf("release files = %v\nwant %v", got, want)
	}
	listed, err := sums.Parse(readPath(t, files["SHA256SUMS"]))
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != len(files)-1 {
		t.Errorf("SHA256SUMS lists %d files, the release has %d besides it", len(listed), len(files)-1)
	}
	for name, path := range files {
		if name == "SHA256SUMS" {
			continue
		}
		if got := sums.Sum(readPath(t, path)); listed[name] != got {
			t.Errorf("SHA256SUMS says %s is %q, it is %s", name, listed[name], got)
		}
	}
	dir := t.TempDir()
	for name, path := range files {
		if err := os.Symlink(path, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if tool, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(tool, "--check", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum --check: %v\n%s", err, out)
		}
	}
}

func readPath(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every archive holds, under pfsense-mcp_<version>_<os>_<arch>/, the binary (executable), the
// README, LICENSE and THIRD_PARTY_NOTICES.txt of this commit and a SHA256SUMS of the four.
func TestArchiveContents(t *testing.T) {
	files := releaseFiles(t)
	v := moduleVersion(t)
	readme, license, notices := readFile(t, "README"), readFile(t, "LICENSE"), readFile(t, "NOTICES")
	for _, p := range wantPlatforms {
		name := archiveName(v, p)
		dir := strings.TrimSuffix(strings.TrimSuffix(name, ".zip"), ".tar.gz") + "/"
		entries := readArchive(t, files[name])
		var got []string
		for _, e := range entries {
			got = append(got, fmt.Sprintf("%s %v", e.Name, e.Mode))
		}
		want := []string{dir + " drwxr-xr-x", dir + "LICENSE -rw-r--r--", dir + "README.md -rw-r--r--", dir + "SHA256SUMS -rw-r--r--",
			dir + "THIRD_PARTY_NOTICES.txt -rw-r--r--", dir + binaryName(p) + " -rwxr-xr-x"}
		if !slices.Equal(got, want) {
			t.Errorf("%s holds\n%v\nwant\n%v", name, got, want)
			continue
		}
		if !bytes.Equal(member(t, entries, dir+"README.md"), readme) || !bytes.Equal(member(t, entries, dir+"LICENSE"), license) ||
			!bytes.Equal(member(t, entries, dir+"THIRD_PARTY_NOTICES.txt"), notices) {
			t.Errorf("%s: README.md, LICENSE or THIRD_PARTY_NOTICES.txt is not this commit's", name)
		}
		inner, err := sums.Parse(member(t, entries, dir+"SHA256SUMS"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"LICENSE", "README.md", "THIRD_PARTY_NOTICES.txt", binaryName(p)} {
			if inner[f] != sums.Sum(member(t, entries, dir+f)) {
				t.Errorf("%s: its SHA256SUMS is wrong about %s", name, f)
			}
		}
		if len(inner) != 4 {
			t.Errorf("%s: its SHA256SUMS lists %v", name, inner)
		}
	}
}

// Each binary is an executable for its platform: the right format and CPU, statically linked
// on Linux (no interpreter, no shared libraries), code-signed on Apple Silicon (macOS refuses
// to run an unsigned arm64 binary), a console program on Windows.
func TestBinaryHeaders(t *testing.T) {
	files := releaseFiles(t)
	v := moduleVersion(t)
	for _, p := range wantPlatforms {
		name := archiveName(v, p)
		dir := strings.TrimSuffix(strings.TrimSuffix(name, ".zip"), ".tar.gz") + "/"
		bin := member(t, readArchive(t, files[name]), dir+binaryName(p))
		if err := checkHeader(p, bin); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func checkHeader(p platform, bin []byte) error {
	r := bytes.NewReader(bin)
	switch p.goos {
	case "linux":
		f, err := elf.NewFile(r)
		if err != nil {
			return fmt.Errorf("not an ELF file: %w", err)
		}
		want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[p.goarch]
		if f.Machine != want || f.Class != elf.ELFCLASS64 || f.Type != elf.ET_EXEC {
			return fmt.Errorf("ELF %v %v %v, want a 64-bit %v executable", f.Class, f.Type, f.Machine, want)
		}
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP || prog.Type == elf.PT_DYNAMIC {
				return fmt.Errorf("dynamically linked (%v): want a static binary", prog.Type)
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			return fmt.Errorf("needs shared libraries %v", libs)
		}
	case "darwin":
		f, err := macho.NewFile(r)
		if err != nil {
			return fmt.Errorf("not a Mach-O file: %w", err)
		}
		want := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[p.goarch]
		if f.Cpu != want || f.Type != macho.TypeExec {
			return fmt.Errorf("Mach-O %v %v, want a %v executable", f.Type, f.Cpu, want)
		}
		const lcCodeSignature = 0x1d // <mach-o/loader.h> LC_CODE_SIGNATURE
		signed := false
		for _, l := range f.Loads {
			if raw := l.Raw(); len(raw) >= 4 && f.ByteOrder.Uint32(raw) == lcCodeSignature {
				signed = true
			}
		}
		if p.goarch == "arm64" && !signed {
			return fmt.Errorf("no code signature: macOS on Apple Silicon refuses to run it")
		}
	case "windows":
		f, err := pe.NewFile(r)
		if err != nil {
			return fmt.Errorf("not a PE file: %w", err)
		}
		oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || !ok || oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
			return fmt.Errorf("PE machine %#x, want an amd64 (%#x) console program", f.Machine, pe.IMAGE_FILE_MACHINE_AMD64)
		}
		if f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
			return fmt.Errorf("PE file is not an executable image")
		}
	default:
		return fmt.Errorf("no header check for %s", p.goos)
	}
	return nil
}

// The Linux amd64 archive, unpacked, runs: --version names this build, and a demo session
// lists the read-only tools and answers a call.
func TestLinuxArchiveRuns(t *testing.T) {
	if runtime.GOOS+"/"+runtime.GOARCH != "linux/amd64" {
		t.Skipf("this host is %s/%s: the linux/amd64 binary cannot run here", runtime.GOOS, runtime.GOARCH)
	}
	files := releaseFiles(t)
	v := moduleVersion(t)
	p := platform{"linux", "amd64"}
	dir := t.TempDir()
	extract(t, readArchive(t, files[archiveName(v, p)]), dir)
	bin := filepath.Join(dir, "pfsense-mcp_"+v+"_linux_amd64", "pfsense-mcp")

	spec, err := specsummary.Read(readFile(t, "PFSENSE_OPENAPI_SPEC"))
	if err != nil {
		t.Fatal(err)
	}
	own := len(mcpserver.OwnToolsFor(true)) // every tool the server can list: writes on
	out, err := exec.Command(bin, "--version").Output()
	want := fmt.Sprintf("pfsense-mcp %s\nspec: pfSense REST API %s\ntools: %d (%d generated from the spec's operations, %d of the server's own)\nbuilt: ",
		v, spec.Version, spec.Operations+own, spec.Operations, own)
	if err != nil || !strings.HasPrefix(string(out), want) || !strings.HasSuffix(string(out), " linux/amd64\n") {
		t.Errorf("--version: %v\n%s\nwant it to start %q and end with linux/amd64", err, out, want)
	}

	r, err := smoke.Run(smoke.Server{Command: bin, Args: []string{"--demo"}, Env: []string{"HOME=" + t.TempDir(), "PFSENSE_AUDIT_LOG=off"}})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, tool := range tooldefs.Tools {
		if !tool.Mutation && !tool.Dangerous {
			reads++
		}
	}
	ownReads := len(mcpserver.OwnToolsFor(false)) // the demo session is read-only
	if r.ServerName != "pfsense-mcp" || r.ServerVersion != v || len(r.Tools) != reads+ownReads {
		t.Errorf("session: server %s %s with %d tools, want pfsense-mcp %s with %d reads + %d own tools", r.ServerName, r.ServerVersion, len(r.Tools), v, reads, ownReads)
	}
}

// The archives, the bundle, server.json and SHA256SUMS are what the packer makes from their
// contents whatever the files' times, modes and order: packing them again from files written
// now, with other modes and in another order, gives the same bytes.
func TestReleaseIsReproducible(t *testing.T) {
	files := releaseFiles(t)
	v := moduleVersion(t)
	pack := rlocation(t, "PACK")
	work := t.TempDir()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(work, fmt.Sprint(rng.Int63()), name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, fs.FileMode(0o600|rng.Intn(0o100))); err != nil {
			t.Fatal(err)
		}
		when := time.Unix(rng.Int63n(2e9), 0)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
		return p
	}
	repack := func(args ...string) []byte {
		t.Helper()
		out := filepath.Join(work, fmt.Sprint(rng.Int63()))
		cmd := exec.Command(pack, append([]string{args[0], "--out", out}, args[1:]...)...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pack %v: %v\n%s", args, err, msg)
		}
		return readPath(t, out)
	}
	same := func(name string, got []byte) {
		t.Helper()
		if !bytes.Equal(got, readPath(t, files[name])) {
			t.Errorf("%s: packing its contents again gives other bytes: the build is not reproducible", name)
		}
	}

	license := write("LICENSE", readFile(t, "LICENSE"))
	notices := write("THIRD_PARTY_NOTICES.txt", readFile(t, "NOTICES"))
	var bundleArgs, sumArgs []string
	for _, p := range wantPlatforms {
		name := archiveName(v, p)
		dir := strings.TrimSuffix(strings.TrimSuffix(name, ".zip"), ".tar.gz")
		entries := readArchive(t, files[name])
		bin := write(binaryName(p), member(t, entries, dir+"/"+binaryName(p)))
		args := []string{
			"--file=" + binaryName(p) + "=" + bin + ":x",
			"--file=README.md=" + write("README.md", member(t, entries, dir+"/README.md")),
			"--file=LICENSE=" + license,
			"--file=THIRD_PARTY_NOTICES.txt=" + notices,
		}
		rng.Shuffle(len(args), func(i, j int) { args[i], args[j] = args[j], args[i] })
		format := "tar.gz"
		if p.goos == "windows" {
			format = "zip"
		}
		same(name, repack(append([]string{"archive", "--format", format, "--dir", dir, "--sums"}, args...)...))
		bundleArgs = append(bundleArgs, "--binary="+p.String()+"="+bin)
		sumArgs = append(sumArgs, write(name, readPath(t, files[name])))
	}
	bundleName := "pfsense-mcp_" + v + ".mcpb"
	rng.Shuffle(len(bundleArgs), func(i, j int) { bundleArgs[i], bundleArgs[j] = bundleArgs[j], bundleArgs[i] })
	repository := registryDoc(t).Repository.URL
	bundle := repack(append([]string{"mcpb", "--version", v, "--repository", repository, "--license", license, "--notices", notices}, bundleArgs...)...)
	same(bundleName, bundle)
	bundlePath := write(bundleName, bundle)
	serverJSON := repack("serverjson", "--version", v, "--repository", repository, "--bundle", bundlePath)
	same("server.json", serverJSON)
	sumArgs = append(sumArgs, bundlePath, write("server.json", serverJSON))
	rng.Shuffle(len(sumArgs), func(i, j int) { sumArgs[i], sumArgs[j] = sumArgs[j], sumArgs[i] })
	same("SHA256SUMS", repack(append([]string{"sums"}, sumArgs...)...))
}
