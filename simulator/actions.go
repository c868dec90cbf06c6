package simulator

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/synth"
	"golang.org/x/crypto/bcrypt"
)

type handlerFunc func(sim *Simulator, req *request) ([]byte, *apiError)

// special lists the endpoints whose behaviour is more than storing objects.
var special = map[string]handlerFunc{
	"POST RESTAPIKey":                   (*Simulator).createKey,
	"POST RESTAPIJWT":                   (*Simulator).createJWT,
	"POST SystemHalt":                   (*Simulator).halt,
	"POST SystemReboot":                 (*Simulator).reboot,
	"POST CommandPrompt":                (*Simulator).commandPrompt,
	"POST Ping":                         (*Simulator).ping,
	"POST GraphQL":                      (*Simulator).graphql,
	"POST Service":                      (*Simulator).serviceAction,
	"POST Package":                      (*Simulator).installPackage,
	"POST WakeOnLANSend":                (*Simulator).action,
	"POST CertificatePKCS12Export":      (*Simulator).exportPKCS12,
	"POST CertificateGenerate":          (*Simulator).generateCertificate,
	"POST CertificateAuthorityGenerate": (*Simulator).generateCertificate,
}

// dispatch runs the model operation behind an endpoint.
func (sim *Simulator) dispatch(req *request) ([]byte, *apiError) {
	op, m := req.op, req.m
	if h := special[op.Method+" "+m.name]; h != nil {
		return h(sim, req)
	}
	if strings.HasSuffix(op.Path, "/apply") && !m.many {
		return sim.applyEndpoint(req)
	}
	switch op.Method {
	case "GET":
		switch {
		case op.Plural:
			return sim.list(req)
		case m.many:
			return sim.getOne(req)
		}
		return sim.getSingle(req)
	case "POST":
		if m.many {
			return sim.create(req)
		}
		return sim.action(req)
	case "PATCH":
		if m.many {
			return sim.update(req)
		}
		return sim.updateSingle(req)
	case "PUT":
		if op.Plural {
			return sim.replace(req)
		}
		return sim.updateSingle(req)
	case "DELETE":
		if op.Plural {
			return sim.deleteMany(req)
		}
		return sim.deleteOne(req)
	}
	return nil, errf(405, "ENDPOINT_METHOD_NOT_ALLOWED", "Resource at %s does not support the requested HTTP method `%s`", op.Path, op.Method)
}

// action validates the request and answers with it plus the read-only results.
func (sim *Simulator) action(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	for _, p := range req.m.schema.Props {
		if _, ok := obj[p.Name]; !ok && p.ReadOnly {
			obj[p.Name] = synth.Value(sim.cat, p, false)
		}
	}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

func (sim *Simulator) actionInput(req *request) (map[string]any, *apiError) {
	var required []string
	if req.op.Body != nil {
		required = req.op.Body.Required
	}
	return sim.buildObject(req.m.schema, required, req.params, nil, modeCreate, req.form, &req.ctl)
}

// applyEndpoint answers GET .../apply (pending or applied) and POST .../apply (apply now).
func (sim *Simulator) applyEndpoint(req *request) ([]byte, *apiError) {
	path := req.op.Path
	if req.op.Method == "POST" {
		delete(sim.st.Pending, path)
	}
	pending := sim.st.Pending[path]
	obj := map[string]any{}
	for _, p := range req.m.schema.Props {
		switch p.Type {
		case "boolean":
			obj[p.Name] = len(pending) == 0
		case "array":
			items := make([]any, len(pending))
			for i, s := range pending {
				items[i] = s
			}
			obj[p.Name] = items
		}
	}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// createKey answers POST /auth/key: a random key, returned once; only its hash is kept.
func (sim *Simulator) createKey(req *request) ([]byte, *apiError) {
	m := req.m
	obj, e := sim.buildObject(m.schema, nil, req.params, nil, modeCreate, req.form, &req.ctl)
	if e != nil {
		return nil, e
	}
	n, _ := obj["length_bytes"].(int64)
	if n == 0 {
		n = 24
	}
	raw := make([]byte, n)
	rand.Read(raw)
	key := hex.EncodeToString(raw)
	algo, _ := obj["hash_algo"].(string)
	obj["username"] = req.user
	obj["hash"] = hashKey(algo, key)
	delete(obj, "key")
	list := append(sim.topList(m), obj)
	sim.setTopList(m, list)
	shown := make(map[string]any, len(obj)+1)
	for k, v := range obj {
		shown[k] = v
	}
	shown["key"] = key
	return sim.encodeRow(row{id: int64(len(list) - 1), obj: shown}, m), nil
}

func (sim *Simulator) createJWT(req *request) ([]byte, *apiError) {
	obj := map[string]any{"token": sim.issueJWT(req.user)}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

func (sim *Simulator) halt(req *request) ([]byte, *apiError) {
	return sim.power(req, sim.opts.OnHalt)
}

func (sim *Simulator) reboot(req *request) ([]byte, *apiError) {
	return sim.power(req, sim.opts.OnReboot)
}

func (sim *Simulator) power(req *request, cb func()) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	if dry, _ := obj["dry_run"].(bool); !dry && cb != nil {
		req.after = cb
	}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// commandPrompt answers a few read-only commands the way a pfSense shell would; anything
// else is "not found". The simulator never runs anything.
func (sim *Simulator) commandPrompt(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	cmd := strings.TrimSpace(fmt.Sprint(obj["command"]))
	fields := strings.Fields(cmd)
	out, code := "", int64(0)
	host, _ := sim.st.Singles["SystemHostname"]["hostname"].(string)
	domain, _ := sim.st.Singles["SystemHostname"]["domain"].(string)
	switch {
	case len(fields) == 0:
	case fields[0] == "echo":
		out = strings.Join(fields[1:], " ") + "\n"
	case fields[0] == "hostname":
		out = host + "." + domain + "\n"
	case fields[0] == "uname":
		out = "FreeBSD " + host + "." + domain + " 15.0-CURRENT FreeBSD 15.0-CURRENT amd64\n"
	case fields[0] == "whoami":
		out = "root\n"
	case fields[0] == "uptime":
		out = " 10:00AM  up 3 days,  4:12, 0 users, load averages: 0.12, 0.09, 0.08\n"
	case fields[0] == "cat" && len(fields) > 1 && fields[1] == "/etc/version":
		out = "2.8.1-RELEASE\n"
	default:
		out, code = fields[0]+": Command not found.\n", 127
	}
	obj["output"], obj["result_code"] = out, code
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// ping answers with plausible output for addresses and names; no packet leaves.
func (sim *Simulator) ping(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	host := fmt.Sprint(obj["host"])
	count, _ := obj["count"].(int64)
	if count == 0 {
		count = 3
	}
	ip := net.ParseIP(host)
	if ip == nil && !strings.Contains(host, ".") {
		obj["output"], obj["result_code"] = "ping: cannot resolve "+host+": Unknown host\n", int64(68)
		return sim.encodeRow(row{obj: obj}, req.m), nil
	}
	addr := host
	if ip == nil {
		addr = "203.0.113.10"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "PING %s (%s): 56 data bytes\n", host, addr)
	for i := int64(0); i < count; i++ {
		fmt.Fprintf(&b, "64 bytes from %s: icmp_seq=%d ttl=64 time=0.%03d ms\n", addr, i, 300+i*17)
	}
	fmt.Fprintf(&b, "\n--- %s ping statistics ---\n%d packets transmitted, %d packets received, 0.0%% packet loss\n", host, count, count)
	out := b.String()
	if len(out) > 1024 {
		out = out[:1024]
	}
	obj["output"], obj["result_code"] = out, int64(0)
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// graphql answers with the GraphQL response shape; queries are not executed.
func (sim *Simulator) graphql(req *request) ([]byte, *apiError) {
	q, _ := req.params["query"].(string)
	if strings.TrimSpace(q) == "" {
		return nil, errf(400, "FIELD_IS_REQUIRED", "Field `query` is required.")
	}
	return []byte(`{"data":{},"errors":[{"message":"The simulator does not execute GraphQL queries.","extensions":{"response_id":"GRAPHQL_NOT_SIMULATED"}}]}`), nil
}

// serviceAction starts, stops or restarts a service from GET /status/services.
func (sim *Simulator) serviceAction(req *request) ([]byte, *apiError) {
	m := req.m
	list, _, rw, e := sim.findOne(req)
	if e != nil {
		return nil, e
	}
	obj, e := sim.buildObject(m.schema, []string{"action"}, req.params, rw.obj, modeUpdate, req.form, &req.ctl)
	if e != nil {
		return nil, e
	}
	switch obj["action"] {
	case "start", "restart":
		obj["status"] = true
	case "stop":
		obj["status"] = false
	}
	delete(obj, "action")
	list[rw.index] = obj
	rw.obj = obj
	return sim.encodeRow(rw, m), nil
}

// knownPackages are add-on packages the simulated repository offers.
var knownPackages = map[string][2]string{
	"pfSense-pkg-acme":                  {"acme", "Automated Certificate Management Environment, for automated use of LetsEncrypt certificates."},
	"pfSense-pkg-bind":                  {"bind", "BIND DNS Server"},
	"pfSense-pkg-Cron":                  {"Cron", "The cron utility is used to manage commands on a schedule."},
	"pfSense-pkg-freeradius3":           {"freeradius3", "A free implementation of the RADIUS protocol."},
	"pfSense-pkg-haproxy":               {"haproxy", "The Reliable, High Performance TCP/HTTP(S) Load Balancer."},
	"pfSense-pkg-Service_Watchdog":      {"Service_Watchdog", "Monitors for stopped services and restarts them."},
	"pfSense-pkg-WireGuard":             {"WireGuard", "WireGuard(R) is an extremely simple yet fast and modern VPN."},
	"pfSense-pkg-openvpn-client-export": {"openvpn-client-export", "Exports pre-configured OpenVPN Client configurations."},
	"pfSense-pkg-nmap":                  {"nmap", "Network Mapper security scanner."},
	"pfSense-pkg-iperf":                 {"iperf", "Network performance measurement tool."},
	"pfSense-pkg-pfBlockerNG":           {"pfBlockerNG", "Manage IPv4/v6 List Sources into Deny, Permit or Match formats."},
	"pfSense-pkg-snort":                 {"snort", "Snort is an open source network intrusion prevention and detection system."},
}

func packageObject(name string) map[string]any {
	info := knownPackages[name]
	short := info[0]
	if short == "" {
		short = strings.TrimPrefix(name, "pfSense-pkg-")
	}
	return map[string]any{
		"name": name, "shortname": short, "descr": info[1],
		"installed_version": "1.0.0", "latest_version": "1.0.0", "update_available": false,
	}
}

// installPackage answers POST /system/package: known packages install, others fail.
func (sim *Simulator) installPackage(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	name, _ := obj["name"].(string)
	if _, ok := knownPackages[name]; !ok {
		return nil, errf(400, "PACKAGE_NOT_FOUND", "Package `%s` was not found in the package repository.", name)
	}
	if sim.installed(name) {
		return nil, errf(400, "PACKAGE_ALREADY_INSTALLED", "Package `%s` is already installed.", name)
	}
	pkg := packageObject(name)
	list := append(sim.topList(req.m), pkg)
	sim.setTopList(req.m, list)
	return sim.encodeRow(row{id: int64(len(list) - 1), obj: pkg}, req.m), nil
}

// beforeStore completes an object the way the models' PHP code does: passwords are
// hashed, WireGuard public keys derived, system ids and timestamps assigned.
func (sim *Simulator) beforeStore(m *model, obj, old map[string]any) *apiError {
	switch m.name {
	case "User":
		if pw, ok := obj["password"].(string); ok && pw != "" && (old == nil || old["password"] != pw) && !strings.HasPrefix(pw, "$2") {
			h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
			if err != nil {
				return errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "Could not hash the password.")
			}
			obj["password"] = strings.Replace(string(h), "$2a$", "$2y$", 1)
		}
	case "WireGuardTunnel":
		if pk, ok := obj["privatekey"].(string); ok {
			obj["publickey"] = wireguardPublic(pk)
		}
		if old == nil {
			obj["name"] = fmt.Sprintf("tun_wg%d", len(sim.topList(m)))
		}
	}
	now := sim.opts.Now().Unix()
	for _, p := range m.schema.Props {
		if !p.ReadOnly {
			continue
		}
		switch p.Name {
		case "refid", "uniqid":
			if old == nil {
				b := make([]byte, 7)
				rand.Read(b)
				obj[p.Name] = hex.EncodeToString(b)[:13]
			}
		case "vpnid", "ikeid", "reqid", "tracker", "number", "serverid", "uid", "gid":
			if old == nil {
				obj[p.Name] = sim.nextNumber(m, p.Name)
			}
		case "created_time":
			if old == nil {
				obj[p.Name] = now
			}
		case "updated_time":
			obj[p.Name] = now
		case "created_by":
			if old == nil {
				obj[p.Name] = "admin@127.0.0.1 (API)"
			}
		case "updated_by":
			obj[p.Name] = "admin@127.0.0.1 (API)"
		}
	}
	return nil
}

func (sim *Simulator) nextNumber(m *model, field string) int64 {
	var max int64
	switch field {
	case "uid", "gid":
		max = 2000
	}
	for _, o := range sim.topList(m) {
		if v, ok := o[field].(int64); ok && v > max {
			max = v
		}
	}
	return max + 1
}

func (sim *Simulator) afterDelete(m *model, obj map[string]any) {}

// wireguardPublic derives a WireGuard public key (X25519) from a base64 private key.
func wireguardPublic(private string) string {
	raw, err := base64.StdEncoding.DecodeString(private)
	if err != nil || len(raw) != 32 {
		return ""
	}
	k, err := ecdh.X25519().NewPrivateKey(raw)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(k.PublicKey().Bytes())
}

// exportPKCS12 answers the certificate export as a binary download. The simulator has no
// PKCS#12 encoder: the download holds the certificate's DER bytes.
func (sim *Simulator) exportPKCS12(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	ref, _ := obj["certref"].(string)
	for _, c := range sim.st.Lists["Certificate"] {
		if c["refid"] != ref {
			continue
		}
		crt, _ := c["crt"].(string)
		block, _ := pem.Decode([]byte(crt))
		if block == nil {
			break
		}
		req.rawType, req.rawName = "application/octet-stream", ref+".p12"
		return block.Bytes, nil
	}
	return nil, errf(404, "MODEL_OBJECT_NOT_FOUND", "Certificate with refid `%s` does not exist.", ref)
}
