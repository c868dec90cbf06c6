package text

import (
	"strings"
	"testing"
)

func TestPlain(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"trailing br", "Sets the name for the alias.<br>", "Sets the name for the alias."},
		{"br between sentences without a full stop", "Line one<br>Line two<br>", "Line one. Line two"},
		{"paragraphs", "Deletes many.<br><br>WARNING: use with caution.<br>", "Deletes many. WARNING: use with caution."},
		{"headings and markdown bold", "<h3>Description:</h3>Reads it.<br><h3>Details:</h3>**Endpoint type**: Plural",
			"Description: Reads it. Details: Endpoint type: Plural"},
		{"link keeps text and address", `First, <a href="https://x.example/wiki">set up a principal</a>.`, "First, set up a principal (https://x.example/wiki)."},
		{"link whose text is its address", `visit <a href="https://dnsimple.com/user">https://dnsimple.com/user</a> to generate.`, "visit https://dnsimple.com/user to generate."},
		{"strong", "credentials in <strong>username:password</strong> format<br>", "credentials in username:password format"},
		{"wrapped PHP string", "This directly impacts what values can be\n                specified in the `address` field.<br>",
			"This directly impacts what values can be specified in the `address` field."},
		{"list after colon", "Valid options are:<br>- `a`<br>- `b`<br>", "Valid options are: `a`; `b`."},
		{"entities and a lone less-than", "a &amp; b < c", "a & b < c"},
		{"self-closing br", "One.<br/>Two.", "One. Two."},
		{"paragraph tags", "<p>One</p><p>Two</p>", "One. Two"},
		{"inline code", "Set <code>x</code> to 1.", "Set x to 1."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Plain(tc.in); got != tc.want {
				t.Errorf("Plain(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSplitCondition(t *testing.T) {
	for _, tc := range []struct {
		name, in, main, cond string
	}{
		{"none", "The name.<br>", "The name.", ""},
		{"one condition",
			"The target network.<br><br>This field is only available when the following conditions are met:<br>- `nonat` must be equal to `false`<br>",
			"The target network.", "Only available when `nonat` is `false`."},
		{"several conditions of every form",
			"Key.<br><br>This field is only available when the following conditions are met:<br>" +
				"- `poolopts` must be equal to `'source-hash'`<br>- `nonat` must not be equal to `true`<br>" +
				"- `mode` must be one of [ server_user, server_tls_user ]<br>- `schedule` must not be one of [ @reboot, @yearly ]<br>" +
				"- Parent field `scheduler` must be equal to `'HFSC'`<br>",
			"Key.",
			"Only available when `poolopts` is `'source-hash'` and `nonat` is not `true` and `mode` is one of server_user, server_tls_user" +
				" and `schedule` is not one of @reboot, @yearly and the parent's `scheduler` is `'HFSC'`."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			main, cond := SplitCondition(tc.in)
			if main != tc.main || cond != tc.cond {
				t.Errorf("SplitCondition(%q)\n got (%q, %q)\nwant (%q, %q)", tc.in, main, cond, tc.main, tc.cond)
			}
			if got := IsConditional(tc.in); got != (tc.cond != "") {
				t.Errorf("IsConditional = %v, want %v", got, tc.cond != "")
			}
		})
	}
}

func TestCap(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"fits", "One. Two.", 9, "One. Two."},
		{"cut after the last whole sentence", "First sentence. Second sentence. Third one.", 35, "First sentence. Second sentence."},
		{"abbreviation is not a boundary", "Use a list, e.g. Alpha or Beta. Then more text follows.", 40, "Use a list, e.g. Alpha or Beta."},
		{"lowercase after a full stop is not a boundary", "Version 2.7.1 is. new here. Next Thing.", 30, "Version 2.7.1 is. new here."},
		{"question mark", "Why? Because it is long enough.", 10, "Why?"},
		{"first sentence too long: word cut with ellipsis", "A very long first sentence without end", 20, "A very long first…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Cap(tc.in, tc.max)
			if got != tc.want {
				t.Errorf("Cap(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			if len(got) > tc.max {
				t.Errorf("Cap(%q, %d) is %d bytes long", tc.in, tc.max, len(got))
			}
			if !strings.HasPrefix(tc.in, strings.TrimSuffix(got, "…")) {
				t.Errorf("Cap(%q) = %q is not a prefix", tc.in, got)
			}
		})
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"Reads it":   "Reads it.",
		"Reads it.":  "Reads it.",
		"Is it?":     "Is it?",
		"Triggers:":  "Triggers.",
		"  spaced  ": "spaced.",
		"":           "",
	} {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDropCut(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Sets descriptions for each entry. This value cannot contain.", "Sets descriptions for each entry."},
		{"A packet can be marked. It is called", "A packet can be marked."},
		{"It is called.", ""},
		{"The views this zone belongs to.", "The views this zone belongs to."},
		{"Names that contain a dot are refused.", "Names that contain a dot are refused."},
		{"", ""},
	} {
		if got := DropCut(tc.in); got != tc.want {
			t.Errorf("DropCut(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFixPlurals(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Reads all existing Routing Gatewaies.", "Reads all existing Routing Gateways."},
		{"Deletes HAProxy Frontend Certificateses.", "Deletes HAProxy Frontend Certificates."},
		{"Reads all existing Interface Statses.", "Reads all existing Interface Stats."},
		// Correct plurals stay.
		{"Addresses, Statuses, Aliases, Leases, Entries, Priorities, Series.", "Addresses, Statuses, Aliases, Leases, Entries, Priorities, Series."},
	} {
		if got := FixPlurals(tc.in); got != tc.want {
			t.Errorf("FixPlurals(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
