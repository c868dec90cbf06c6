package redact

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValueRedactsByNameAndForm(t *testing.T) {
	in := decode(t, `{
		"id": 0, "name": "wg0", "privatekey": "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
		"publickey": "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
		"peers": [{"presharedkey": "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=", "port": 51820}],
		"cert": {"prv": "-----BEGIN PRIVATE KEY-----\nMIIE...", "crt": "-----BEGIN CERTIFICATE-----\nMIID..."},
		"note": "-----BEGIN OpenVPN Static key V1-----\n6acef03f...",
		"hashed": "$2y$10$5pzqK8o0Vb7Q1x0C8n8mSe0ZcM3wN8yJm6o5hZ2q1cQ1Yb3nS8q9e",
		"usepass": true, "password": 12345, "empty_secret": ""
	}`)
	out, rep := new(Redactor).Value(in)
	want := decode(t, `{
		"id": 0, "name": "wg0", "privatekey": "[REDACTED]",
		"publickey": "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
		"peers": [{"presharedkey": "[REDACTED]", "port": 51820}],
		"cert": {"prv": "[REDACTED]", "crt": "-----BEGIN CERTIFICATE-----\nMIID..."},
		"note": "[REDACTED]",
		"hashed": "[REDACTED]",
		"usepass": true, "password": "[REDACTED]", "empty_secret": ""
	}`)
	if !reflect.DeepEqual(out, want) {
		got, _ := json.MarshalIndent(out, "", " ")
		t.Errorf("redacted =\n%s", got)
	}
	if got := rep.Fields(); !reflect.DeepEqual(got, []string{"hashed", "note", "password", "presharedkey", "privatekey", "prv"}) {
		t.Errorf("report = %q", got)
	}
	if in.(map[string]any)["privatekey"] == Marker {
		t.Error("Value modified its input")
	}
}

// Facts name secrets the names do not give away, and a secret field hides its whole value: the
// from and to of a diff, the entries of a nested list.
func TestSecretFieldsFromFactsAtEveryDepth(t *testing.T) {
	r := New([]string{"ovh_as", "a_domainlist.mb_as", "cert.descr"})
	in := decode(t, `{
		"data": {"ovh_as": "ovh-secret-1", "descr": "visible", "cert": [{"descr": "hidden-desc"}],
			"a_domainlist": [{"mb_as": "mb-secret-2", "name": "d"}]},
		"changes": {"ovh_as": {"from": "ovh-secret-1", "to": "ovh-secret-9"},
			"a_domainlist": {"from": [{"mb_as": "mb-secret-2"}], "to": [{"mb_as": 424242}]}},
		"mb_as": "not under a_domainlist"
	}`)
	out, rep := r.Value(in)
	want := decode(t, `{
		"data": {"ovh_as": "[REDACTED]", "descr": "visible", "cert": [{"descr": "[REDACTED]"}],
			"a_domainlist": [{"mb_as": "[REDACTED]", "name": "d"}]},
		"changes": {"ovh_as": {"from": "[REDACTED]", "to": "[REDACTED]"},
			"a_domainlist": {"from": [{"mb_as": "[REDACTED]"}], "to": [{"mb_as": "[REDACTED]"}]}},
		"mb_as": "not under a_domainlist"
	}`)
	if !reflect.DeepEqual(out, want) {
		got, _ := json.MarshalIndent(out, "", " ")
		t.Errorf("redacted =\n%s", got)
	}
	if got := rep.Fields(); !reflect.DeepEqual(got, []string{"descr", "mb_as", "ovh_as"}) {
		t.Errorf("report = %q", got)
	}
}

func TestKnownSecretsAreScrubbedInEveryEncoding(t *testing.T) {
	var r Redactor
	const long = "hunter2/long+secret"
	r.Know(long, "1234", "ab")
	for _, tc := range []struct{ in, want string }{
		{"Field `password` value hunter2/long+secret is too weak", "Field `password` value [REDACTED] is too weak"},
		{"GET /api?pre_shared_key=" + url.QueryEscape(long), "GET /api?pre_shared_key=[REDACTED]"},
		{`{"psk":"hunter2\/long+secret"}`, `{"psk":"[REDACTED]"}`},
		{"b64 aHVudGVyMi9sb25nK3NlY3JldA==", "b64 [REDACTED]"},
		// Short secrets go where they stand alone, not inside other words or numbers.
		{"value `1234` is invalid; port 51234 and 12345 stay; ab stays", "value `[REDACTED]` is invalid; port 51234 and 12345 stay; ab stays"},
		{"1234,1234", "[REDACTED],[REDACTED]"},
	} {
		if got := r.Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	out, rep := r.Value(map[string]any{"message": "echo hunter2/long+secret", "count": json.Number("1234")})
	m := out.(map[string]any)
	if m["message"] != "echo [REDACTED]" || m["count"] != Marker || !rep.Any() {
		t.Errorf("Value = %v, %v", out, rep.Fields())
	}
}

func TestSecretsInFindsStringsAndNumbers(t *testing.T) {
	r := New([]string{"a_domainlist.ovh_ck"})
	got := r.SecretsIn(decode(t, `{"name": "u", "password": "p4ssw0rd!", "pin": 12345678, "nested": [{"psk": "s3cr3t-psk"}],
		"a_domainlist": [{"ovh_ck": "ck-value"}], "k": "-----BEGIN RSA PRIVATE KEY-----abcdefgh", "usepass": true}`))
	want := map[string]bool{"p4ssw0rd!": true, "12345678": true, "s3cr3t-psk": true, "ck-value": true, "-----BEGIN RSA PRIVATE KEY-----abcdefgh": true}
	if len(got) != len(want) {
		t.Fatalf("SecretsIn = %q", got)
	}
	for _, s := range got {
		if !want[s] {
			t.Errorf("unexpected secret %q", s)
		}
	}
}

func TestLogHandlerScrubsEveryLevel(t *testing.T) {
	var buf strings.Builder
	var r Redactor
	r.Know("the-api-key-0123456789")
	log := slog.New(Handler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), &r))
	log.Debug("calling with the-api-key-0123456789", "error", errors.New("GET /x?k=the-api-key-0123456789: refused"),
		"password", "pw-in-attr", "usepass", true, "prv", "-----BEGIN PRIVATE KEY-----abcdefghijkl")
	log.With("token", "abc-token").Error("done", slog.Group("req", "api_key", "k2"))
	got := buf.String()
	for _, leak := range []string{"the-api-key", "pw-in-attr", "abc-token", "k2", "BEGIN PRIVATE"} {
		if strings.Contains(got, leak) {
			t.Errorf("the log holds %q:\n%s", leak, got)
		}
	}
	if !strings.Contains(got, `msg="calling with [REDACTED]"`) || !strings.Contains(got, "usepass=true") || !strings.Contains(got, "req.api_key=[REDACTED]") {
		t.Errorf("log =\n%s", got)
	}
}
