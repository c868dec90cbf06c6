package releasetest

import (
	"bufio"
	"bytes"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// noticeTitle is a section title of THIRD_PARTY_NOTICES.txt: "<module path> <version> (<file>)".
var noticeTitle = regexp.MustCompile(`^(\S+) (v\S+) \(([^)]+)\)$`)

// THIRD_PARTY_NOTICES.txt carries a license for every Go module whose libraries the server
// binary links (Bazel's own query of the binary, tools excluded), and for Go itself: a module
// added to go.mod without running tools/third-party-notices fails here.
func TestNoticesCoverEveryLinkedModule(t *testing.T) {
	notices := readFile(t, "NOTICES")
	have := map[string]bool{} // gazelle repository name of each module with a license section
	sc := bufio.NewScanner(bytes.NewReader(notices))
	for sc.Scan() {
		if m := noticeTitle.FindStringSubmatch(sc.Text()); m != nil {
			have[repoName(m[1])] = true
		}
	}
	if !bytes.Contains(notices, []byte("\nGo standard library and toolchain (LICENSE)\n")) {
		t.Error("THIRD_PARTY_NOTICES.txt has no license of the Go standard library")
	}
	var missing []string
	linked := 0
	sc = bufio.NewScanner(bytes.NewReader(readFile(t, "LINKED_LIBRARIES")))
	seen := map[string]bool{}
	for sc.Scan() {
		label := sc.Text()
		if !strings.HasPrefix(label, "@") {
			continue // this repository's own libraries
		}
		repo := strings.TrimLeft(label[:strings.Index(label, "//")], "@")
		repo = repo[strings.LastIndex(repo, "~")+1:] // @@gazelle~~go_deps~com_github_x_y -> com_github_x_y
		if seen[repo] || repo == "io_bazel_rules_go" {
			continue
		}
		seen[repo] = true
		linked++
		if !have[repo] {
			missing = append(missing, repo)
		}
	}
	sort.Strings(missing)
	if linked == 0 {
		t.Fatal("the query of the binary's libraries names no external repository")
	}
	if len(missing) > 0 {
		t.Errorf("the binary links %v, whose licenses THIRD_PARTY_NOTICES.txt lacks: run tools/third-party-notices", missing)
	}
}

// repoName is the repository name gazelle gives a Go module: github.com/mark3labs/mcp-go ->
// com_github_mark3labs_mcp_go.
func repoName(module string) string {
	host, rest, _ := strings.Cut(module, "/")
	parts := strings.Split(host, ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	name := strings.Join(parts, "_") + "_" + rest
	return strings.ToLower(strings.NewReplacer("/", "_", "-", "_", ".", "_").Replace(name))
}

func TestRepoName(t *testing.T) {
	for module, want := range map[string]string{
		"github.com/mark3labs/mcp-go":              "com_github_mark3labs_mcp_go",
		"github.com/santhosh-tekuri/jsonschema/v6": "com_github_santhosh_tekuri_jsonschema_v6",
		"golang.org/x/crypto":                      "org_golang_x_crypto",
		"github.com/BurntSushi/toml":               "com_github_burntsushi_toml",
	} {
		if got := repoName(module); got != want {
			t.Errorf("repoName(%s) = %s, want %s", module, got, want)
		}
	}
}
