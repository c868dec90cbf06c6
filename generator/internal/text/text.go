// Package text turns the spec's description markup (HTML fragments, markdown bold, `<br>`
// line breaks, "- " lists) into plain sentences for tool and property descriptions, keeps
// pfSense's conditional notes ("only available when ...") as one compact sentence, and
// shortens long text at a sentence boundary.
package text

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	lineBreak = regexp.MustCompile(`(?i)<br\s*/?>`)
	anchor    = regexp.MustCompile(`(?is)<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>`)
	// A tag starts with a letter or a slash, so text such as "a < b" is left alone. Block tags
	// break lines; inline tags (strong, code, ...) just go.
	blockTag = regexp.MustCompile(`(?i)</?(h[1-6]|p|div|ul|ol|li|table|tr|pre)(\s[^<>]*)?>`)
	tag      = regexp.MustCompile(`</?[a-zA-Z][^<>]*>`)
	bold     = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// Plain returns the plain text of a spec description: tags are removed (links keep their text
// and address), entities decoded, `<br>` and newlines become sentence breaks, "- " list items
// are joined with semicolons after their introducing colon, and whitespace is collapsed.
func Plain(s string) string {
	s = anchor.ReplaceAllStringFunc(s, func(m string) string {
		sub := anchor.FindStringSubmatch(m)
		href, label := sub[1], strings.TrimSpace(tag.ReplaceAllString(sub[2], ""))
		if label == "" || label == href {
			return href
		}
		return label + " (" + href + ")"
	})
	s = lineBreak.ReplaceAllString(s, "\n")
	s = blockTag.ReplaceAllString(s, "\n")
	s = tag.ReplaceAllString(s, "")
	s = bold.ReplaceAllString(s, "$1")
	s = html.UnescapeString(s)
	return joinLines(splitLines(s))
}

type line struct {
	text string
	item bool // a "- " list item
}

// splitLines cuts text at line breaks. The spec also wraps long PHP strings with a newline and
// indentation in mid-sentence; such a line continues the previous one.
func splitLines(s string) []line {
	var out []line
	for _, raw := range strings.Split(s, "\n") {
		indented := raw != "" && (raw[0] == ' ' || raw[0] == '\t')
		t := strings.Join(strings.Fields(raw), " ")
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "- ") {
			out = append(out, line{text: strings.TrimSpace(t[2:]), item: true})
			continue
		}
		if n := len(out); indented && n > 0 && !out[n-1].item && !endsSentence(out[n-1].text) {
			out[n-1].text += " " + t
			continue
		}
		out = append(out, line{text: t})
	}
	return out
}

func joinLines(lines []line) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			prev := lines[i-1]
			switch {
			case l.item && strings.HasSuffix(prev.text, ":"):
				b.WriteString(" ")
			case l.item && prev.item:
				b.WriteString("; ")
			case endsSentence(prev.text) || strings.HasSuffix(prev.text, ":"):
				b.WriteString(" ")
			default:
				b.WriteString(". ")
			}
		}
		b.WriteString(l.text)
	}
	out := b.String()
	if n := len(lines); n > 0 && lines[n-1].item && !endsSentence(out) {
		out += "."
	}
	return out
}

func endsSentence(s string) bool {
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// conditionIntro starts pfSense's conditional note, which lists its conditions as "- " items.
const conditionIntro = "This field is only available when the following conditions are met:"

// ConditionMarker is how every conditional note reads in the output.
const ConditionMarker = "Only available when"

var conditionRules = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`^Parent field (.+)$`), "the parent's $1"},
	{regexp.MustCompile(` must not be equal to `), " is not "},
	{regexp.MustCompile(` must be equal to `), " is "},
	{regexp.MustCompile(` must not be one of \[\s*(.*?)\s*\]$`), " is not one of $1"},
	{regexp.MustCompile(` must be one of \[\s*(.*?)\s*\]$`), " is one of $1"},
}

// IsConditional reports whether a raw spec description carries a conditional note: the field
// only exists when other fields have certain values, so it can never be unconditionally required.
func IsConditional(raw string) bool {
	return strings.Contains(strings.ToLower(raw), "only available when")
}

// SplitCondition separates a raw spec description into its plain text and its conditional
// note, rewritten as one sentence: "Only available when `nonat` is `false` and `mode` is one
// of a, b." The note is "" when the description has none.
func SplitCondition(raw string) (main, condition string) {
	i := strings.Index(raw, conditionIntro)
	if i < 0 {
		return Plain(raw), ""
	}
	main = Plain(raw[:i])
	var conds []string
	for _, l := range splitLines(lineBreak.ReplaceAllString(raw[i+len(conditionIntro):], "\n")) {
		c := strings.TrimSuffix(Plain(l.text), ".")
		for _, r := range conditionRules {
			c = r.re.ReplaceAllString(c, r.repl)
		}
		if c != "" {
			conds = append(conds, c)
		}
	}
	if len(conds) == 0 {
		return main, ""
	}
	return main, ConditionMarker + " " + strings.Join(conds, " and ") + "."
}

// abbreviations end with a period that does not end a sentence.
var abbreviations = []string{"e.g.", "i.e.", "etc.", "vs.", "approx.", "no.", "incl."}

// Cap shortens s to at most max bytes, cutting after the last sentence that fits. When even
// the first sentence is longer than max, it cuts at the last word that fits and adds "…".
// Text that fits is returned unchanged.
func Cap(s string, max int) string {
	if len(s) <= max {
		return s
	}
	end := -1
	for i := 0; i < len(s) && i < max; i++ {
		if isSentenceEnd(s, i) {
			end = i + 1
		}
	}
	if end > 0 {
		return s[:end]
	}
	cut := strings.LastIndexByte(s[:max-len("…")+1], ' ')
	if cut <= 0 {
		cut = max - len("…")
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}

// isSentenceEnd reports whether s[i] is a full stop, question or exclamation mark that ends a
// sentence: followed by the end of the text or by a space and something that is not lowercase,
// and not part of an abbreviation such as "e.g.".
func isSentenceEnd(s string, i int) bool {
	c := s[i]
	if c != '.' && c != '!' && c != '?' {
		return false
	}
	if i+1 < len(s) {
		if s[i+1] != ' ' {
			return false
		}
		next, _ := utf8.DecodeRuneInString(s[i+2:])
		if i+2 >= len(s) || unicode.IsLower(next) {
			return false
		}
	}
	word := s[strings.LastIndexByte(s[:i+1], ' ')+1 : i+1]
	for _, a := range abbreviations {
		if strings.EqualFold(word, a) {
			return false
		}
	}
	return true
}

// Sentence returns s ending with a full stop (unless it already ends a sentence).
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || endsSentence(s) || strings.HasSuffix(s, "…") {
		return s
	}
	return strings.TrimRight(s, ":;,") + "."
}

// cutEnd matches a last sentence the spec's source cut short: it ends in a verb that needs an
// object ("This value cannot contain.", "It is called."), because the help text in PHP was
// truncated or lost what followed in an HTML tag.
var cutEnd = regexp.MustCompile(`(?:^|[.!?] )[^.!?]*\b(?:contain|contains|called|named|include|includes)\.?$`)

// DropCut removes a cut last sentence (see cutEnd) and returns the text before it; text
// without one is returned unchanged. A text that is nothing but a cut sentence becomes "".
func DropCut(s string) string {
	s = strings.TrimSpace(s)
	loc := cutEnd.FindStringIndex(s)
	if loc == nil {
		return s
	}
	if loc[0] == 0 {
		return ""
	}
	return strings.TrimSpace(s[:loc[0]+1])
}

// wrongPlural matches the spec's double or broken plurals of model names (the package appends
// "s"/"es" to names that are already plural or end in a vowel and y): Gatewaies, Statses,
// Certificateses.
var wrongPlural = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`\b([A-Z][a-z]*[aeiou])ies\b`), "${1}ys"},            // Gatewaies -> Gateways
	{regexp.MustCompile(`\b([A-Z][a-z]*(?:ate|at|et|it|ot))ses\b`), "${1}s"}, // Statses -> Stats, Certificateses -> Certificates
}

// FixPlurals repairs the broken plurals of model names in spec text.
func FixPlurals(s string) string {
	for _, r := range wrongPlural {
		s = r.re.ReplaceAllString(s, r.repl)
	}
	return s
}
