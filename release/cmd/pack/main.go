// Command pack makes the release files from built binaries; the rules in //release:defs.bzl
// run it. Every output is reproducible: the same inputs give the same bytes.
//
//	pack archive --out F --format tar.gz|zip --dir NAME --file NAME=PATH[:x] ... [--sums]
//	pack sums --out F PATH ...
//	pack mcpb --out F --version V --repository URL --license PATH --binary OS_ARCH=PATH ...
//	pack serverjson --out F --version V --repository URL --bundle PATH
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/release/internal/archive"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/bundle"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/registry"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/sums"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pack:", err)
		os.Exit(2)
	}
}

// list is a repeatable flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("want a command: archive, sums, mcpb or serverjson")
	}
	fs := flag.NewFlagSet("pack "+args[0], flag.ContinueOnError)
	out := fs.String("out", "", "output file")
	var files, binaries list
	format := fs.String("format", "", "archive format: tar.gz or zip")
	dir := fs.String("dir", "", "the archive's top directory")
	withSums := fs.Bool("sums", false, "add a SHA256SUMS of the archive's files")
	fs.Var(&files, "file", "NAME=PATH[:x]: a file of the archive (:x makes it executable)")
	version := fs.String("version", "", "release version")
	repository := fs.String("repository", "", "https://github.com/OWNER/REPO")
	license := fs.String("license", "", "LICENSE file")
	notices := fs.String("notices", "", "THIRD_PARTY_NOTICES.txt for the bundle")
	bundlePath := fs.String("bundle", "", "the .mcpb file")
	fs.Var(&binaries, "binary", "OS_ARCH=PATH: the server for one platform")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out is required")
	}
	var data []byte
	var err error
	switch args[0] {
	case "archive":
		data, err = makeArchive(*format, *dir, files, *withSums)
	case "sums":
		data, err = makeSums(fs.Args())
	case "mcpb":
		data, err = makeBundle(*version, *repository, *license, *notices, binaries)
	case "serverjson":
		data, err = makeServerJSON(*version, *repository, *bundlePath)
	default:
		return fmt.Errorf("unknown command %q: want archive, sums, mcpb or serverjson", args[0])
	}
	if err != nil {
		return err
	}
	return os.WriteFile(*out, data, 0o644)
}

func makeArchive(format, dir string, specs []string, withSums bool) ([]byte, error) {
	var files []archive.File
	contents := map[string][]byte{}
	for _, spec := range specs {
		name, src, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, fmt.Errorf("--file %q: want NAME=PATH[:x]", spec)
		}
		exec := strings.HasSuffix(src, ":x")
		src = strings.TrimSuffix(src, ":x")
		b, err := os.ReadFile(src)
		if err != nil {
			return nil, err
		}
		files = append(files, archive.File{Name: name, Executable: exec, Data: b})
		contents[name] = b
	}
	if withSums {
		files = append(files, archive.File{Name: "SHA256SUMS", Data: sums.Format(contents)})
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "tar.gz":
		err = archive.WriteTarGz(&buf, dir, files)
	case "zip":
		err = archive.WriteZip(&buf, dir, files)
	default:
		err = fmt.Errorf("--format %q: want tar.gz or zip", format)
	}
	return buf.Bytes(), err
}

func makeSums(paths []string) ([]byte, error) {
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if _, dup := files[filepath.Base(p)]; dup {
			return nil, fmt.Errorf("two files are named %s", filepath.Base(p))
		}
		files[filepath.Base(p)] = b
	}
	return sums.Format(files), nil
}

func makeBundle(version, repository, license, notices string, specs []string) ([]byte, error) {
	lic, err := os.ReadFile(license)
	if err != nil {
		return nil, fmt.Errorf("--license: %w", err)
	}
	info := bundle.Info{Version: version, Repository: repository, License: lic}
	if notices != "" {
		if info.Notices, err = os.ReadFile(notices); err != nil {
			return nil, fmt.Errorf("--notices: %w", err)
		}
	}
	for _, spec := range specs {
		platform, src, ok := strings.Cut(spec, "=")
		goos, goarch, ok2 := strings.Cut(platform, "_")
		if !ok || !ok2 {
			return nil, fmt.Errorf("--binary %q: want OS_ARCH=PATH, e.g. linux_amd64=bin/pfsense-mcp", spec)
		}
		b, err := os.ReadFile(src)
		if err != nil {
			return nil, err
		}
		info.Binaries = append(info.Binaries, bundle.Binary{OS: goos, Arch: goarch, Data: b})
	}
	return bundle.Write(info)
}

func makeServerJSON(version, repository, bundlePath string) ([]byte, error) {
	b, err := os.ReadFile(bundlePath)
	if err != nil {
		return nil, fmt.Errorf("--bundle: %w", err)
	}
	return registry.ServerJSON(registry.Release{Version: version, Repository: repository, BundleName: filepath.Base(bundlePath), Bundle: b})
}
