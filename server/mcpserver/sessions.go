package mcpserver

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// MaxSessions bounds the HTTP sessions open at once. When it is reached, a new initialize
// replaces the session unused the longest, if that one has been idle for sessionReuseIdle;
// otherwise it is refused (a flood of initializes cannot grow memory).
const (
	MaxSessions      = 64
	sessionReuseIdle = time.Minute
)

// sessionPrefix marks the ids this server issues.
const sessionPrefix = "pfs-"

// sessionStore holds the HTTP sessions: created only by initialize, with ids from crypto/rand,
// bound to the bearer token they were created with, ended by DELETE or after idle time. It is
// mcp-go's session id manager (through bind), so mcp-go serves nothing on an id it did not get.
type sessionStore struct {
	mu       sync.Mutex
	byID     map[string]*session
	idle     time.Duration
	now      func() time.Time
	onRemove func(id string) // mcp-go's per-session state is dropped here
}

type session struct {
	token    [32]byte // sha256 of the Authorization header it was created with
	client   string   // the client's name and version, from initialize
	lastUsed time.Time
}

// clientKey carries the initializing client's name to Generate, through the request context.
type clientKey struct{}

func newSessionStore(idle time.Duration) *sessionStore {
	return &sessionStore{byID: map[string]*session{}, idle: idle, now: time.Now}
}

func tokenOf(r *http.Request) [32]byte {
	if r == nil {
		return [32]byte{}
	}
	return sha256.Sum256([]byte(r.Header.Get("Authorization")))
}

var (
	errNoSession      = errors.New("unknown session")
	errSessionExpired = errors.New("session expired")
	errOtherToken     = errors.New("session belongs to another token")
)

// room makes room for one more session and reports whether there is some.
func (s *sessionStore) room() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked()
	if len(s.byID) < MaxSessions {
		return true
	}
	oldest, at := "", s.now()
	for id, ss := range s.byID {
		if ss.lastUsed.Before(at) {
			oldest, at = id, ss.lastUsed
		}
	}
	if oldest != "" && s.now().Sub(at) >= sessionReuseIdle {
		s.removeLocked(oldest)
		return true
	}
	return false
}

func (s *sessionStore) create(token [32]byte, client string) string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("mcpserver: no randomness for a session id: " + err.Error())
	}
	id := sessionPrefix + base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	s.byID[id] = &session{token: token, client: client, lastUsed: s.now()}
	s.mu.Unlock()
	return id
}

// check returns nil when id is a live session of this token, and marks it used.
func (s *sessionStore) check(id string, token [32]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.byID[id]
	switch {
	case !ok:
		return errNoSession
	case s.now().Sub(ss.lastUsed) > s.idle:
		s.removeLocked(id)
		return errSessionExpired
	case ss.token != token:
		return errOtherToken
	}
	ss.lastUsed = s.now()
	return nil
}

// client returns the name of the client of a session.
func (s *sessionStore) client(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss, ok := s.byID[id]; ok {
		return ss.client
	}
	return ""
}

func (s *sessionStore) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked(id)
}

func (s *sessionStore) removeLocked(id string) {
	if _, ok := s.byID[id]; !ok {
		return
	}
	delete(s.byID, id)
	if s.onRemove != nil {
		go s.onRemove(id) // outside the lock: mcp-go calls back into Terminate
	}
}

func (s *sessionStore) sweepLocked() {
	for id, ss := range s.byID {
		if s.now().Sub(ss.lastUsed) > s.idle {
			s.removeLocked(id)
		}
	}
}

func (s *sessionStore) sweep() {
	s.mu.Lock()
	s.sweepLocked()
	s.mu.Unlock()
}

func (s *sessionStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// ResolveSessionIdManager implements server.SessionIdManagerResolver: the manager it returns
// binds new sessions to the request's token and accepts only that token's sessions.
func (s *sessionStore) ResolveSessionIdManager(r *http.Request) server.SessionIdManager {
	b := &boundSessions{store: s, token: tokenOf(r)}
	if r != nil {
		b.client, _ = r.Context().Value(clientKey{}).(string)
	}
	return b
}

type boundSessions struct {
	store  *sessionStore
	token  [32]byte
	client string
}

// Generate is called by mcp-go for initialize only (the HTTP handler refuses GET streams
// without a session, the other place mcp-go would call it).
func (b *boundSessions) Generate() string { return b.store.create(b.token, b.client) }

func (b *boundSessions) Validate(id string) (bool, error) { return false, b.store.check(id, b.token) }

func (b *boundSessions) Terminate(id string) (bool, error) {
	b.store.remove(id)
	return false, nil
}
