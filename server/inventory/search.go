package inventory

import (
	"sort"
	"strings"
	"unicode"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Match is a search result.
type Match struct {
	Tool  *toolspec.Tool
	Score int
}

type entry struct {
	tool   *toolspec.Tool
	name   map[string]bool
	title  map[string]bool
	module map[string]bool
	desc   map[string]bool
	// fields are the model's field names, whole (dnssec, regdhcp) and split into words: what
	// a user asks to change is often one of them.
	fields   map[string]bool
	settings bool // a settings tool: one object whose fields are what it is for
}

// descWords bounds how much of a description is indexed: the first sentences say what a
// tool does; the rest is detail that would only add noise to the ranking.
const descWords = 60

func buildIndex(tools []*toolspec.Tool) []entry {
	idx := make([]entry, len(tools))
	for i, t := range tools {
		desc := words(t.Description)
		if len(desc) > descWords {
			desc = desc[:descWords]
		}
		idx[i] = entry{
			tool:     t,
			name:     set(words(strings.TrimPrefix(t.Name, "pfsense_"))),
			title:    set(words(t.Title)),
			module:   set(words(t.Module)),
			desc:     set(desc),
			fields:   fieldWords(t.Fields),
			settings: t.Kind == toolspec.KindSettings,
		}
	}
	return idx
}

// synonyms map what people say to the words tool names use.
var synonyms = map[string][]string{
	"add": {"create"}, "new": {"create"}, "make": {"create"},
	"remove": {"delete"}, "drop": {"delete"}, "erase": {"delete"}, "del": {"delete"},
	"show": {"list", "get"}, "view": {"list", "get"}, "display": {"list", "get"}, "read": {"list", "get"},
	"find": {"list", "get"}, "see": {"list", "get"}, "all": {"list"},
	"change": {"update"}, "edit": {"update"}, "modify": {"update"}, "rename": {"update"}, "set": {"update", "setting"},
	"commit": {"apply"}, "activate": {"apply"}, "pending": {"apply", "status"},
	"forward": {"port_forward", "forward"}, "portforward": {"port", "forward"},
	"lease": {"lease", "dhcp"}, "log": {"log"},
	// What the firewall log shows: "blocked traffic from a host" is the log, not the shaper.
	"blocked": {"block", "log"}, "denied": {"log"}, "dropped": {"log"}, "wg": {"wireguard"}, "ovpn": {"openvpn"},
	"firewall": {"firewall"}, "version": {"version"}, "restart": {"restart", "service"},
	// OpenVPN's client specific overrides are "cso" in the tool names (the REST API's path).
	"specific": {"cso"}, "csc": {"cso"}, "override": {"override", "cso"},
}

// Search ranks exposed tools by how well their name, title, module and description match the
// words of query. It returns at most limit matches with a positive score.
func (inv *Inventory) Search(query string, limit int) []Match {
	q := words(query)
	if len(q) == 0 {
		return nil
	}
	return rank(inv.view.Load().index(), q, limit, nil)
}

// rank scores every entry against the query words (plus bonus, when given, for an entry that
// matches at all) and returns at most limit positive matches, best first, shorter names first
// among equals.
func rank(index []entry, q []string, limit int, bonus func(*entry) int) []Match {
	var out []Match
	for i := range index {
		e := &index[i]
		score := e.match(q)
		if score == 0 {
			continue
		}
		if bonus != nil {
			score += bonus(e)
		}
		out = append(out, Match{Tool: e.tool, Score: score})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if len(out[i].Tool.Name) != len(out[j].Tool.Name) {
			return len(out[i].Tool.Name) < len(out[j].Tool.Name)
		}
		return out[i].Tool.Name < out[j].Tool.Name
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Score rates how well query matches a tool that is not in the table (the server's own tools),
// on the same scale as Search.
func Score(query string, t *toolspec.Tool) int {
	e := buildIndex([]*toolspec.Tool{t})[0]
	return e.match(words(query))
}

// intents are verbs that name one tool's job whatever they act on: "restart the DNS resolver"
// is the service control tool, not one of the resolver's own.
var intents = map[string]string{"restart": "control", "start": "control", "stop": "control", "reload": "control"}

// match scores the words of a query against an entry, each word by its best synonym.
func (e *entry) match(q []string) int {
	score := 0
	for _, w := range q {
		best := e.score(w)
		if n, ok := intents[w]; ok && e.name[n] {
			best = max(best, 12)
		}
		for _, alt := range synonyms[w] {
			if s := e.score(stem(alt)); s > best {
				best = s
			}
		}
		score += best
	}
	return score
}

func (e *entry) score(w string) int {
	switch {
	case e.name[w]:
		return 4
	case e.settings && e.fields[w]:
		return 3 // "turn on dnssec" is the resolver's settings
	case e.title[w] || e.module[w]:
		return 2
	case e.desc[w] || e.fields[w]:
		return 1
	}
	return 0
}

// fieldWords indexes the words of field names (dnssec; custom_options: custom, options),
// stemmed as query words are.
func fieldWords(fields []string) map[string]bool {
	out := map[string]bool{}
	for _, f := range fields {
		for _, w := range words(f) {
			out[w] = true
		}
	}
	return out
}

// words splits text into lower-case stemmed words.
func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := make([]string, 0, len(f))
	for _, w := range f {
		if len(w) > 1 && !stop[w] {
			out = append(out, stem(w))
		}
	}
	return out
}

var stop = map[string]bool{"the": true, "a": true, "an": true, "of": true, "on": true, "to": true, "in": true, "for": true, "and": true, "or": true, "my": true, "is": true, "me": true, "what": true, "which": true, "with": true, "pfsense": true}

// stem folds simple English plurals so that "aliases" finds "alias" and "rules" finds "rule".
func stem(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ses") && len(w) > 4:
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && len(w) > 3 && !strings.ContainsRune("aiuos", rune(w[len(w)-2])):
		// alias, status, address and dns are singular already.
		return w[:len(w)-1]
	}
	return w
}

func set(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}
