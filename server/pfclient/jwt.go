package pfclient

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// jwtExpiry reads the exp claim of a JWT (without verifying it: the firewall issued it to us
// over TLS; we only need to know when to ask for a new one). Unknown: the REST API default of
// one hour from now.
func jwtExpiry(tok string, now time.Time) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) == 3 {
		if payload, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
			var claims struct {
				Exp int64 `json:"exp"`
			}
			if json.Unmarshal(payload, &claims) == nil && claims.Exp > 0 {
				return time.Unix(claims.Exp, 0)
			}
		}
	}
	return now.Add(time.Hour)
}
