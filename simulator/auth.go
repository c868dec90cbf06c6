package simulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// authMethods returns the authentication classes an endpoint tries, in order: its own
// (POST /auth/key and /auth/jwt are BasicAuth only), else the REST API settings'
// auth_methods (Core/Auth.inc attempt_multi_auth).
func authMethods(op *operation, settings map[string]any) []string {
	if op != nil {
		if len(op.AuthMethods) > 0 {
			return op.AuthMethods
		}
		if len(op.Auth) == 1 {
			return op.Auth
		}
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

var errAuthFailed = errf(401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.")

// authFailure is a failed authentication or authorization and the challenge header, if any.
type authFailure struct {
	*apiError
	challenge string
}

// basicChallenge is Auth/BasicAuth.inc WWW_AUTHENTICATE_HEADER, sent when BasicAuth was
// tried and failed.
const basicChallenge = `WWW-Authenticate: Basic realm="Login for pfSense REST API"`

// authenticate is Core/Auth.inc attempt_multi_auth: the first method whose credentials the
// request carries is the one tried (none: 401); its user must exist and be enabled; then
// the user (with its groups) needs one of the endpoint's privileges.
func (sim *Simulator) authenticate(req *request, rt *route, op *operation, settings map[string]any) *authFailure {
	r := req.r
	var matched string
	var user string
	var ok bool
	for _, m := range authMethods(op, settings) {
		switch m {
		case "BasicAuth":
			u, p, has := r.BasicAuth()
			// v2.7.1 tries BasicAuth when a user or a password is given; later versions need both.
			requested := has && (u != "" || p != "")
			if sim.core.basicNeedsBoth {
				requested = has && u != "" && p != ""
			}
			if requested {
				matched, user, ok = m, u, sim.checkPassword(u, p)
			}
		case "KeyAuth":
			k := r.Header.Get("X-API-Key")
			u, valid := "", false
			if k != "" {
				u, valid = sim.checkKey(k)
			}
			// v2.7.1 counts a key as given only when it is valid; later, any key is.
			if valid || (sim.core.headerRequestsAuth && k != "") {
				matched, user, ok = m, u, valid
			}
		case "JWTAuth":
			token := bearerToken(r.Header.Get("Authorization"))
			u, valid := "", false
			if token != "" {
				u, valid = sim.checkJWT(token)
			}
			if valid || (sim.core.headerRequestsAuth && token != "") {
				matched, user, ok = m, u, valid
			}
		default:
			return &authFailure{apiError: errf(500, "AUTH_CLASS_DOES_NOT_EXIST", "Auth class `%s` does not exist.", m)}
		}
		if matched != "" {
			break
		}
	}
	if matched == "" {
		sim.logAuthentication(req, "", false, settings)
		return &authFailure{apiError: errAuthFailed}
	}
	if !ok || sim.findUser(user) == nil {
		sim.logAuthentication(req, user, false, settings)
		f := &authFailure{apiError: errAuthFailed}
		if matched == "BasicAuth" {
			f.challenge = basicChallenge
		}
		return f
	}
	sim.logAuthentication(req, user, true, settings)
	req.user = user
	if e := sim.authorize(user, rt, r.Method); e != nil {
		return &authFailure{apiError: e}
	}
	return nil
}

// logAuthentication is Core/Auth.inc log_authentication: with login_protection on (the
// default), a failed attempt writes the line pfSense's login protection reads to the auth log,
// and with log_successful_auth a success too, through pfSense's log_auth() (util.inc:
// "{$_SERVER['SCRIPT_NAME']}: {$error}", the endpoint's index.php; Core/Endpoint.inc
// get_file_path). A user never given is `unknown`.
func (sim *Simulator) logAuthentication(req *request, user string, ok bool, settings map[string]any) {
	if !truthy(settings["login_protection"]) || ok && !truthy(settings["log_successful_auth"]) {
		return
	}
	if user == "" {
		user = "unknown"
	}
	ip := clientIP(req.r)
	msg := fmt.Sprintf("webConfigurator authentication error for user '%s' from: %s", user, ip)
	if ok {
		msg = fmt.Sprintf("Successful login for user '%s' from: %s (Local Database)", user, ip)
	}
	// Reads hold only the read lock: the handler appends the line once the request is done.
	req.authLog = fmt.Sprintf("%s pfsense php-fpm[412]: %s/index.php: %s", sim.opts.Now().Format("Jan _2 15:04:05"), strings.TrimSuffix(req.r.URL.Path, "/"), msg)
}

// bearerToken is Core/Auth.inc get_auth_key("bearer").
func bearerToken(h string) string {
	typ, secret, _ := strings.Cut(h, " ")
	if !strings.EqualFold(typ, "bearer") {
		return ""
	}
	secret, _, _ = strings.Cut(secret, " ")
	return secret
}

// privileges are the privileges that allow a method on an endpoint: the native schema's,
// else page-all and the name Endpoint::get_method_priv_name derives from the URL.
func privileges(rt *route, method string) []string {
	for _, op := range rt.ops {
		if op.Method == method && len(op.Privileges) > 0 {
			return op.Privileges
		}
	}
	name := strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(rt.path, "/"), "/", "-"), "_", "-")
	return []string{"page-all", name + "-" + strings.ToLower(method)}
}

var errAuthorization = errf(403, "AUTH_AUTHORIZATION_FAILED", "Authorization failed. You do not have sufficient privileges to access this resource.")

// authorize is Core/Auth.inc authorize: the user's privileges (its own and its groups')
// must include one the endpoint requires for the method.
func (sim *Simulator) authorize(user string, rt *route, method string) *apiError {
	required := privileges(rt, method)
	if len(required) == 0 {
		return nil
	}
	have := sim.userPrivileges(user)
	for _, p := range required {
		if have[p] {
			return nil
		}
	}
	return errAuthorization
}

// userPrivileges is pfSense's get_user_privileges(): the user's priv plus those of every
// group that lists the user as a member.
func (sim *Simulator) userPrivileges(user string) map[string]bool {
	out := map[string]bool{}
	u := sim.findUser(user)
	if u == nil {
		return out
	}
	for _, p := range listOf(u["priv"]) {
		out[strval(p)] = true
	}
	uid := strval(u["uid"])
	for _, g := range sim.st.Lists["UserGroup"] {
		for _, m := range listOf(g["member"]) {
			if s := strval(m); s == user || (s == uid && s != "") {
				for _, p := range listOf(g["priv"]) {
					out[strval(p)] = true
				}
			}
		}
	}
	return out
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
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
	// Models/RESTAPIJWT.inc _create: the claims in this order (firebase/php-jwt encodes the
	// array as given), issuer and audience both the hostname.
	payload, _ := json.Marshal(struct {
		Iss  string `json:"iss"`
		Aud  string `json:"aud"`
		Exp  int64  `json:"exp"`
		Nbf  int64  `json:"nbf"`
		Data string `json:"data"`
	}{host, host, now + exp, now, user})
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
