package toolcall

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
)

// ConfirmMode says who confirms a change: the setting PFSENSE_CONFIRM.
type ConfirmMode = config.ConfirmMode

// The confirmation modes, as config defines them.
const (
	ConfirmHuman = config.ConfirmHuman
	ConfirmToken = config.ConfirmToken
	ConfirmPlain = config.ConfirmPlain
)

// How a change was confirmed, for the audit log.
const (
	confirmedByToken       = "token"
	confirmedByElicitation = "elicitation"
	confirmedPlain         = "plain"
)

// TokenTTL is how long a preview's confirm_token stays valid. Long enough for a model to show
// the preview and a human to answer, short enough that a forgotten preview does not linger.
const TokenTTL = 10 * time.Minute

// tokenTTLText says TokenTTL in words, for messages.
const tokenTTLText = "10 minutes"

// maxTokens bounds the outstanding tokens; the oldest go first.
const maxTokens = 1024

// tokenPrefix marks confirmation tokens, so that a model that sends something else is told what
// is expected.
const tokenPrefix = "cfm_"

// previewed is what a token was issued for.
type previewed struct {
	tool string
	args string // digest of the arguments without confirm
	// keys holds a digest per argument, to name the ones a confirmation changed (names only:
	// values may be secrets).
	keys    map[string]string
	state   string // digest of the objects the preview read
	session string
	expires time.Time
}

// tokenStore holds the outstanding confirmation tokens. A token is single-use, short-lived,
// and bound to the tool, the arguments, the state the preview showed and the session.
type tokenStore struct {
	mu    sync.Mutex
	byTok map[string]previewed
	order []string
	now   func() time.Time
}

func newTokenStore(now func() time.Time) *tokenStore {
	return &tokenStore{byTok: map[string]previewed{}, now: now}
}

func (s *tokenStore) issue(p previewed) string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic("toolcall: no randomness for a confirmation token: " + err.Error())
	}
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	p.expires = s.now().Add(TokenTTL)
	s.byTok[tok] = p
	s.order = append(s.order, tok)
	for len(s.order) > maxTokens || (len(s.order) > 0 && s.expired(s.order[0])) {
		delete(s.byTok, s.order[0])
		s.order = s.order[1:]
	}
	return tok
}

func (s *tokenStore) expired(tok string) bool {
	p, ok := s.byTok[tok]
	return !ok || s.now().After(p.expires)
}

// take removes and returns the token's preview; ok is false for an unknown, used or expired one.
func (s *tokenStore) take(tok string) (previewed, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.byTok[tok]
	delete(s.byTok, tok)
	if !ok || s.now().After(p.expires) {
		return previewed{}, false
	}
	return p, true
}

// argsDigest identifies a call's arguments, confirm aside.
func argsDigest(args map[string]any) string {
	rest := make(map[string]any, len(args))
	for k, v := range args {
		if k != toolspec.ConfirmProperty {
			rest[k] = v
		}
	}
	return digest(rest)
}

// argKeys digests each argument but confirm.
func argKeys(args map[string]any) map[string]string {
	out := make(map[string]string, len(args))
	for k, v := range args {
		if k != toolspec.ConfirmProperty {
			out[k] = digest(v)
		}
	}
	return out
}

// changedArgs names the arguments that differ between a preview's and a confirmation's:
// "async was not in the preview, descr has another value".
func changedArgs(preview map[string]string, args map[string]any) string {
	now := argKeys(args)
	var out []string
	for k, d := range now {
		switch p, ok := preview[k]; {
		case !ok:
			out = append(out, k+" was not in the preview")
		case p != d:
			out = append(out, k+" has another value")
		}
	}
	for k := range preview {
		if _, ok := now[k]; !ok {
			out = append(out, k+" was in the preview and is left out")
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// digest is a stable hash of a JSON value (map keys are sorted by encoding/json).
func digest(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(fmt.Sprint(v))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// tokenSpent ends the refusals of a token that was presented: a token works once, even when the
// attempt is refused (so it cannot be tried against other arguments), and a model retrying
// with it would only be refused again.
const tokenSpent = "; that confirm_token is now used up, so use the new preview's"

// confirmation decides whether a call with confirm may go ahead, and how it was confirmed. It
// returns a refusal message when it may not. ask renders what the user is shown.
func (d *Dispatcher) confirmation(ctx context.Context, t *toolspec.Tool, args map[string]any, eff *effect, ask func() string) (how, refusal string) {
	human := d.confirmMode == ConfirmHuman && confirmerFrom(ctx) != nil
	switch c := args[toolspec.ConfirmProperty].(type) {
	case string:
		p, ok := d.tokens.take(c)
		switch {
		case !ok && !strings.HasPrefix(c, tokenPrefix):
			return "", fmt.Sprintf("confirm must be the confirm_token of this call's preview (it starts with %s): call %s without confirm, check the preview, then call again with the same arguments and confirm set to its confirm_token", tokenPrefix, t.Name)
		case !ok:
			return "", fmt.Sprintf("the confirm_token is unknown, already used or expired (tokens last %s and work once): call %s without confirm to preview again", tokenTTLText, t.Name)
		case p.tool != t.Name:
			return "", fmt.Sprintf("the confirm_token was issued for %s, not %s: preview this call first%s", p.tool, t.Name, tokenSpent)
		case p.session != CallerFrom(ctx).Session:
			return "", fmt.Sprintf("the confirm_token was issued to another session: preview this call (%s without confirm) in this one%s", t.Name, tokenSpent)
		case p.args != argsDigest(args):
			diff := changedArgs(p.keys, args)
			if diff != "" {
				diff = " (" + diff + ")"
			}
			return "", fmt.Sprintf("the arguments differ from those of the preview the confirm_token came from%s: preview these arguments (call %s without confirm) and confirm that preview%s", diff, t.Name, tokenSpent)
		case p.state != eff.digest():
			return "", fmt.Sprintf("what this call would change is no longer what the preview showed (the object changed, or its id now names another object): call %s without confirm to preview again%s", t.Name, tokenSpent)
		}
		if !human {
			return confirmedByToken, ""
		}
	case bool:
		switch {
		case d.confirmMode == ConfirmPlain:
			return confirmedPlain, ""
		case !human:
			return "", fmt.Sprintf("confirm=true is not enough: call %s without confirm, check the preview with the user, then call again with the same arguments and confirm set to the preview's confirm_token (the operator can allow plain confirmation with PFSENSE_CONFIRM=plain, for unattended automation)", t.Name)
		}
	}
	approved, err := confirmerFrom(ctx).Confirm(ctx, ask())
	switch {
	case err != nil:
		return "", fmt.Sprintf("the user could not be asked to approve this change (%v)", err)
	case !approved:
		return "", "the user did not approve this change"
	}
	return confirmedByElicitation, ""
}
