// Command simorder writes the field declaration order of the REST API package's models, read
// from the package's own source at a tag: the order Core/Model.inc validates fields in and
// answers them in (get_fields() walks the object's properties in declaration order; a trait's
// fields follow the class's own). The v2.10.0 spec and native schema list properties
// alphabetically, so the simulator takes the order from this table (simulator/rules/*.order).
//
// It reads a git directory of pfrest/pfSense-pkg-RESTAPI (the search tool's `fetch` brings one):
//
//	go run ./simulator/cmd/simorder --git-dir <pfSense-pkg-RESTAPI git dir> --tag v2.10.0 \
//	    > simulator/rules/v2.10.0.order
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
)

const pkgDir = "pfSense-pkg-RESTAPI/files/usr/local/pkg/RESTAPI"

var (
	fieldDecl = regexp.MustCompile(`public\s+\??\w+Field\s+\$(\w+)\s*;`)
	className = regexp.MustCompile(`(?m)^(?:final\s+|abstract\s+)?(?:class|trait)\s+(\w+)`)
	traitUse  = regexp.MustCompile(`(?m)^\s*use\s+(\w+)\s*;`)
)

func main() {
	gitDir := flag.String("git-dir", "", "git directory of pfrest/pfSense-pkg-RESTAPI")
	tag := flag.String("tag", "", "the package version's tag, e.g. v2.10.0")
	flag.Parse()
	if *gitDir == "" || *tag == "" {
		fmt.Fprintln(os.Stderr, "simorder: --git-dir and --tag are required")
		os.Exit(2)
	}
	out, err := distill(*gitDir, *tag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "simorder:", err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}

func git(gitDir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", gitDir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return b, nil
}

func files(gitDir, tag, dir string) ([]string, error) {
	b, err := git(gitDir, "ls-tree", "--name-only", tag, pkgDir+"/"+dir+"/")
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(b)), nil
}

func distill(gitDir, tag string) ([]byte, error) {
	traits := map[string][]string{}
	tfiles, err := files(gitDir, tag, "ModelTraits")
	if err != nil {
		return nil, err
	}
	for _, f := range tfiles {
		src, err := git(gitDir, "show", tag+":"+f)
		if err != nil {
			return nil, err
		}
		if m := className.FindSubmatch(src); m != nil {
			traits[string(m[1])] = decls(src)
		}
	}
	mfiles, err := files(gitDir, tag, "Models")
	if err != nil {
		return nil, err
	}
	order := map[string][]string{}
	for _, f := range mfiles {
		src, err := git(gitDir, "show", tag+":"+f)
		if err != nil {
			return nil, err
		}
		loc := className.FindSubmatchIndex(src)
		if loc == nil {
			continue
		}
		name := string(src[loc[2]:loc[3]])
		fields := decls(src)
		for _, u := range traitUse.FindAllSubmatch(src[loc[1]:], -1) {
			fields = append(fields, traits[string(u[1])]...)
		}
		if len(fields) > 0 {
			order[name] = fields
		}
	}
	names := make([]string, 0, len(order))
	for n := range order {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Field declaration order of the REST API package's models (%s), read from its source:\n", tag)
	fmt.Fprintf(&b, "# Models/*.inc and ModelTraits/*.inc property declarations. Do not edit: regenerate with\n")
	fmt.Fprintf(&b, "# go run ./simulator/cmd/simorder --git-dir <pfrest/pfSense-pkg-RESTAPI git dir> --tag %s\n", tag)
	for _, n := range names {
		fmt.Fprintf(&b, "%s\t%s\n", n, strings.Join(order[n], " "))
	}
	return b.Bytes(), nil
}

func decls(src []byte) []string {
	var out []string
	for _, m := range fieldDecl.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1]))
	}
	return out
}
