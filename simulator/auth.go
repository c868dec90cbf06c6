package simulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// authMethods returns the authentication methods an operation accepts: its own list when it
// is narrower than the API's (POST /auth/key and /auth/jwt are BasicAuth only), otherwise
// the auth_methods of the REST API settings.
func authMethods(op *operation, settings map[string]any) []string {
	if op != nil && len(op.Auth) == 1 {
		return op.Auth
	}
	var out []string
	if list, ok := settings["auth_methods"].([]any); ok {
		for _, v := range list {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"BasicAuth"}
	}
	return out
}

func (sim *Simulator) allowsBasic(op *operation, settings map[string]any) bool {
	for _, m := range authMethods(op, settings) {
		if m == "BasicAuth" {
			return true
		}
	}
	return false
}

var errAuthFailed = errf(401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.")

// authenticate finds the user behind the request with the first allowed method whose
// credentials are present and valid.
func (sim *Simulator) authenticate(req *request, op *operation, settings map[string]any) *apiError {
	r := req.r
	for _, m := range authMethods(op, settings) {
		switch m {
		case "BasicAuth":
			if u, p, ok := r.BasicAuth(); ok && sim.checkPassword(u, p) {
				req.user = u
				return nil
			}
		case "KeyAuth":
			if k := r.Header.Get("X-API-Key"); k != "" {
				if u, ok := sim.checkKey(k); ok {
					req.user = u
					return nil
				}
			}
		case "JWTAuth":
			if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
				if u, ok := sim.checkJWT(strings.TrimPrefix(a, "Bearer ")); ok {
					req.user = u
					return nil
				}
			}
		}
	}
	return errAuthFailed
}

// authorize lets admin and users holding page-all through; other users need the
// endpoint's own privilege (api-v2-<path>-<method>).
func (sim *Simulator) authorize(user string, rt *route, op *operation) *apiError {
	if user == "admin" {
		return nil
	}
	u := sim.findUser(user)
	if u == nil {
		return errf(403, "AUTH_AUTHORIZATION_FAILED", "User `%s` does not have sufficient privileges to access this resource.", user)
	}
	want := ""
	if op != nil {
		want = "api-v2-" + strings.ReplaceAll(strings.TrimPrefix(rt.path, "/api/v2/"), "/", "-") + "-" + strings.ToLower(op.Method)
	}
	if privs, ok := u["priv"].([]any); ok {
		for _, p := range privs {
			if p == "page-all" || (want != "" && p == want) {
				return nil
			}
		}
	}
	return errf(403, "AUTH_AUTHORIZATION_FAILED", "User `%s` does not have sufficient privileges to access this resource.", user)
}

func (sim *Simulator) findUser(name string) map[string]any {
	for _, u := range sim.st.Lists["User"] {
		if u["name"] == name {
			if d, _ := u["disabled"].(bool); d {
				return nil
			}
			return u
		}
	}
	return nil
}

// verifiedPasswords caches successful bcrypt checks (bcrypt is slow by design, ~70 ms), for
// every simulator in the process: the key is the stored hash plus a digest of the
// credentials, so a changed password or hash never matches an old entry.
var verifiedPasswords sync.Map

func (sim *Simulator) checkPassword(user, pass string) bool {
	sum := sha256.Sum256([]byte(user + "\x00" + pass))
	u := sim.findUser(user)
	if u == nil {
		return false
	}
	h, _ := u["password"].(string)
	cacheKey := string(sum[:]) + h
	if _, ok := verifiedPasswords.Load(cacheKey); ok {
		return true
	}
	if bcrypt.CompareHashAndPassword([]byte(h), []byte(pass)) != nil {
		return false
	}
	verifiedPasswords.Store(cacheKey, true)
	return true
}

func keyHasher(algo string) hash.Hash {
	switch algo {
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	return sha256.New()
}

func hashKey(algo, key string) string {
	h := keyHasher(algo)
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil))
}

// checkKey compares the key's hash with every stored key's; only hashes are stored.
func (sim *Simulator) checkKey(key string) (string, bool) {
	for _, k := range sim.st.Lists["RESTAPIKey"] {
		algo, _ := k["hash_algo"].(string)
		want, _ := k["hash"].(string)
		if subtle.ConstantTimeCompare([]byte(hashKey(algo, key)), []byte(want)) == 1 {
			u, _ := k["username"].(string)
			if sim.findUser(u) == nil {
				return "", false
			}
			return u, true
		}
	}
	return "", false
}

var b64 = base64.RawURLEncoding

// issueJWT makes an HS256 token for user that expires after the REST API's jwt_exp.
func (sim *Simulator) issueJWT(user string) string {
	exp := int64(3600)
	if v, ok := sim.st.Singles["RESTAPISettings"]["jwt_exp"].(int64); ok {
		exp = v
	}
	now := sim.opts.Now().Unix()
	host, _ := sim.st.Singles["SystemHostname"]["hostname"].(string)
	payload, _ := json.Marshal(map[string]any{"iss": host, "exp": now + exp, "nbf": now, "data": user})
	head := b64.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`))
	body := head + "." + b64.EncodeToString(payload)
	mac := hmac.New(sha256.New, sim.jwtKey)
	mac.Write([]byte(body))
	return body + "." + b64.EncodeToString(mac.Sum(nil))
}

func (sim *Simulator) checkJWT(token string) (string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	mac := hmac.New(sha256.New, sim.jwtKey)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := b64.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return "", false
	}
	raw, err := b64.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	var claims struct {
		Exp  int64  `json:"exp"`
		Nbf  int64  `json:"nbf"`
		Data string `json:"data"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return "", false
	}
	now := sim.opts.Now().Unix()
	if now >= claims.Exp || now < claims.Nbf || sim.findUser(claims.Data) == nil {
		return "", false
	}
	return claims.Data, true
}
