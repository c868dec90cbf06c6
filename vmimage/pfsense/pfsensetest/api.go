package pfsensetest

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// API answers HTTPS on the firewall's WAN port 443 the way the golden build meets it: nothing
// while the firewall boots or while WAN still blocks private networks (the host reaches WAN
// from 10.0.2.2; the factory config's <blockpriv/> drops it until the enableallowallwan
// playback), pfSense's own web page without the REST API package, then the REST API calls
// the build makes (package vmimage/apisetup).
//
// installTime is how long a package install takes; the API answers only when it is done
// (pfSense-pkg-RESTAPI v2.7.1 Models/Package.inc, _create runs pkg_install first).
func (f *Firewall) API(installTime time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := f.Disk()
		if !f.Up() || !d.AllowAllWAN {
			drop(w)
			return
		}
		if d.RESTAPI == "" {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "<html><body><h1>404 Not Found</h1></body></html>")
			return
		}
		body, _ := io.ReadAll(r.Body)
		basic := false
		if u, p, ok := r.BasicAuth(); ok && u == "admin" && p == "pfsense" {
			basic = true
		}
		keyOK := d.KeyAuth && slices.Contains(d.APIKeys, r.Header.Get("X-API-Key"))
		if !basic && !keyOK {
			answer(w, http.StatusUnauthorized, "AUTH_AUTHENTICATION_FAILED", nil)
			return
		}
		route := r.Method + " " + r.URL.Path
		switch route {
		case "GET /api/v2/system/version":
			answer(w, 200, "SUCCESS", map[string]any{"version": d.Version})
		case "GET /api/v2/system/restapi/settings", "PATCH /api/v2/system/restapi/settings":
			if r.Method == http.MethodPatch {
				var b struct {
					AuthMethods []string `json:"auth_methods"`
				}
				json.Unmarshal(body, &b)
				f.update(func(d *Disk) { d.KeyAuth = slices.Contains(b.AuthMethods, "KeyAuth") })
			}
			// native-v2.7.1.json: RESTAPISettings.auth_methods defaults to ["BasicAuth"].
			methods := []string{"BasicAuth"}
			if f.Disk().KeyAuth {
				methods = append(methods, "KeyAuth")
			}
			answer(w, 200, "SUCCESS", map[string]any{"auth_methods": methods})
		case "POST /api/v2/auth/key":
			if !basic {
				answer(w, http.StatusUnauthorized, "AUTH_AUTHENTICATION_FAILED", nil)
				return
			}
			key := "k" + strings.Repeat("0123456789abcdef", 3)[:47]
			f.update(func(d *Disk) { d.APIKeys = append(d.APIKeys, key) })
			if f.opts.LogAPIKeys {
				f.mu.Lock()
				c := f.console
				f.mu.Unlock()
				c.Print("php-fpm[402]: /api/v2/auth/key: created key " + key + "\r\n")
			}
			answer(w, 200, "SUCCESS", map[string]any{"key": key})
		case "POST /api/v2/system/package":
			var b struct {
				Name string `json:"name"`
			}
			json.Unmarshal(body, &b)
			time.Sleep(installTime)
			f.update(func(d *Disk) {
				if !slices.Contains(d.Packages, b.Name) {
					d.Packages = append(d.Packages, b.Name)
				}
			})
			answer(w, 200, "SUCCESS", map[string]any{"name": b.Name})
		case "GET /api/v2/system/packages":
			var list []map[string]any
			for _, p := range d.Packages {
				list = append(list, map[string]any{"name": p})
			}
			answer(w, 200, "SUCCESS", list)
		case "PATCH /api/v2/services/dhcp_server":
			f.update(func(d *Disk) { d.LANDHCP = true })
			answer(w, 200, "SUCCESS", map[string]any{"id": "lan"})
		case "POST /api/v2/services/dhcp_server/apply":
			answer(w, 200, "SUCCESS", map[string]any{})
		case "POST /api/v2/diagnostics/halt_system":
			answer(w, 200, "SUCCESS", map[string]any{})
			f.halt()
		default:
			answer(w, http.StatusNotFound, "ENDPOINT_NOT_FOUND", nil)
		}
	})
}

// drop is a packet filter dropping the connection: the client sees it end.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	w.WriteHeader(http.StatusServiceUnavailable)
}

func answer(w http.ResponseWriter, code int, id string, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "status": http.StatusText(code), "response_id": id, "message": "", "data": data})
}

// halt is the API's halt: the console shows the shutdown and the machine powers off.
func (f *Firewall) halt() {
	f.mu.Lock()
	c := f.console
	f.mu.Unlock()
	if c == nil {
		return
	}
	go func() {
		time.Sleep(f.opts.Tick)
		c.Print("\r\n*** FINAL System shutdown message from root@pfSense.home.arpa ***\r\n" + shutdownLines + "acpi0: Powering system off\r\n")
		f.setUp(false)
		c.PowerOff()
	}()
}
