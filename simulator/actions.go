package simulator

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/synth"
	"golang.org/x/crypto/bcrypt"
	"software.sslmate.com/src/go-pkcs12"
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
	"POST Service":                      (*Simulator).serviceAction,
	"POST Package":                      (*Simulator).installPackage,
	"POST WakeOnLANSend":                (*Simulator).action,
	"POST CertificatePKCS12Export":      (*Simulator).exportPKCS12,
	"POST CertificateGenerate":          (*Simulator).generateCertificate,
	"POST CertificateAuthorityGenerate": (*Simulator).generateCertificate,
	"POST CertificateRenew":             (*Simulator).renewCertificate,
	"POST CertificateAuthorityRenew":    (*Simulator).renewCertificate,
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
	if m.native() {
		switch op.Method {
		case "GET":
			switch {
			case op.Plural:
				return sim.list(req)
			case m.many:
				return sim.nGetOne(req)
			}
			return sim.nGetSingle(req)
		case "POST":
			if m.many {
				return sim.nCreate(req)
			}
			return sim.action(req)
		case "PATCH":
			return sim.nUpdate(req)
		case "PUT":
			if op.Plural {
				return sim.nReplace(req)
			}
			return sim.nUpdate(req)
		case "DELETE":
			switch {
			case op.Plural:
				return sim.nDeleteMany(req)
			case m.many:
				return sim.nDeleteOne(req)
			}
			return sim.nDeleteSingle(req)
		}
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
		if v, ok := obj[p.Name]; (!ok || v == nil) && p.ReadOnly {
			obj[p.Name] = synth.Value(sim.cat, p, false)
		}
	}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// actionInput validates an action's (or a special endpoint's) request data into an object.
func (sim *Simulator) actionInput(req *request) (map[string]any, *apiError) {
	if req.m.native() {
		obj, _, e := sim.nValidate(req)
		return obj, e
	}
	var required []string
	if req.op.Body != nil {
		required = req.op.Body.Required
	}
	return sim.buildObject(req.m.schema, required, req.params, nil, modeCreate, false, &req.ctl)
}

// nValidate is Endpoint::post + Model::validate without storing: the object a create would
// write (for models whose _create does something else than storing it).
func (sim *Simulator) nValidate(req *request) (map[string]any, target, *apiError) {
	m := req.m
	t, e := sim.resolve(req, req.params, m.info.NoAutoID)
	if e != nil {
		return nil, t, e
	}
	obj := sim.freshObject(m)
	var initial map[string]any
	if t.hasID {
		initial = t.found.obj
		for k, v := range initial {
			obj[k] = cloneValue(v)
		}
	}
	sim.fromRepresentation(m, obj, req.params)
	if m.info.NoAutoID && m.many && !t.hasID {
		return nil, t, errf(400, "MODEL_REQUIRES_ID", "Field 'id' is required.")
	}
	if e := sim.checkWrite(req, t); e != nil {
		return nil, t, e
	}
	var id any
	if m.many {
		id = int64(len(sim.siblingRows(m, t.parentPtr())))
		if t.hasID {
			id = t.id
		}
	}
	vc := sim.newVctx(req, obj, initial, id, t)
	if e := vc.validateModel(); e != nil {
		return nil, t, e
	}
	return obj, t, nil
}

// createKey answers POST /auth/key: a random key, returned once; only its hash is kept.
func (sim *Simulator) createKey(req *request) ([]byte, *apiError) {
	m := req.m
	obj, e := sim.buildObject(m.schema, nil, req.params, nil, modeCreate, false, &req.ctl)
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
	obj["key"] = nil // never stored: a read finds nothing (Models/RESTAPIKey.inc)
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
	// SystemHalt.dry_run (v2.7.1), or the dry_run control of later versions (Core/Model.inc
	// create skips _create).
	if dry, _ := obj["dry_run"].(bool); !dry && !req.ctl.dryRun && cb != nil {
		req.after = cb
	}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// commandPrompt answers POST /diagnostics/command_prompt from the shell emulation in shell.go
// (Models/CommandPrompt.inc, Core/Command.inc). The simulator never runs anything.
func (sim *Simulator) commandPrompt(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	obj["output"], obj["result_code"] = sim.shellRun(fmt.Sprint(obj["command"]))
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// serviceAction is Models/Service.inc _create: the service at the id of GET /status/services
// is started, stopped or restarted (service_control_*), and the answer is the entry read again
// (from_internal): a package service still shows no status.
func (sim *Simulator) serviceAction(req *request) ([]byte, *apiError) {
	m := req.m
	_, _, rw, e := sim.findOne(req)
	if e != nil {
		return nil, e
	}
	obj, e := sim.buildObject(m.schema, []string{"action"}, req.params, rw.obj, modeUpdate, false, &req.ctl)
	if e != nil {
		return nil, e
	}
	proc := serviceProcess(strval(rw.obj["name"]))
	switch obj["action"] {
	case "start", "restart":
		sim.setProcess(proc, true)
	case "stop":
		sim.setProcess(proc, false)
	}
	if i, ok := rw.id.(int64); ok {
		if list := sim.services(); int(i) < len(list) {
			rw.obj = list[i]
		}
	}
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
	"pfSense-pkg-sudo":                  {"sudo", "sudo allows delegation of privileges to users in the shell so commands can be run as other users."},
	"pfSense-pkg-Shellcmd":              {"Shellcmd", "The shellcmd utility is used to manage commands on system startup."},
	"pfSense-pkg-suricata":              {"suricata", "High Performance Network IDS, IPS and Security Monitoring engine by OISF."},
	"pfSense-pkg-ntopng":                {"ntopng", "ntopng (Next Generation) is the next generation version of the original ntop, a network traffic probe and monitor."},
	"pfSense-pkg-System_Patches":        {"System_Patches", "A package to apply and maintain custom system patches."},
	"pfSense-pkg-frr":                   {"frr", "FRRouting Suite (FRR) is a collection of dynamic routing daemons: OSPF, BGP and RIP."},
	"pfSense-pkg-nut":                   {"nut", "Network UPS Tools: monitors UPS devices and shuts the firewall down when their battery runs low."},
	"pfSense-pkg-arpwatch":              {"arpwatch", "Monitors ethernet activity and keeps a database of ethernet/IP address pairings."},
	"pfSense-pkg-Status_Traffic_Totals": {"Status_Traffic_Totals", "Traffic totals status page with vnStat data."},
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
		// system/nextuid and system/nextgid: 2000 on a new firewall, set to one above every
		// uid or gid created (Models/User.inc and Models/UserGroup.inc _create), never lowered
		// by a delete (Tests/APIModelsUserTestCase.inc test_next_uid_is_incremented).
		if n, ok := sim.st.Next[field]; ok {
			return n
		}
		max = 1999
	}
	for _, o := range sim.topList(m) {
		if v, ok := o[field].(int64); ok && v > max {
			max = v
		}
	}
	return max + 1
}

func (sim *Simulator) afterDelete(m *model, obj map[string]any) {}

// exportPKCS12 answers the certificate export as a binary download
// (Models/CertificatePKCS12Export.inc _create): pfSense's cert_pkcs12_export (certs.inc) runs
// `openssl pkcs12 -export` on the certificate, its key when it has one and its CA, with the
// passphrase (empty: none) and the ciphers of the encryption level: high is AES-256-CBC with a
// SHA-256 MAC, low 3DES with SHA-1, legacy RC2-40 (here RC2-40 for certificates and 3DES for
// the key, go-pkcs12's LegacyRC2).
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
		data, err := sim.pkcs12Of(c, strval(obj["encryption"]), strval(obj["passphrase"]))
		if err != nil {
			return nil, errf(500, "CERTIFICATE_PKCS12_EXPORT_CREATION_FAILED", "The PKCS#12 archive could not be created for unknown reasons.")
		}
		req.rawType, req.rawName = "application/octet-stream", ref+".p12"
		return data, nil
	}
	return nil, errf(404, "MODEL_OBJECT_NOT_FOUND", "Certificate with refid `%s` does not exist.", ref)
}

func (sim *Simulator) pkcs12Of(c map[string]any, encryption, passphrase string) ([]byte, error) {
	enc := pkcs12.Modern
	switch encryption {
	case "low":
		enc = pkcs12.LegacyDES
	case "legacy":
		enc = pkcs12.LegacyRC2
	}
	block, _ := pem.Decode([]byte(strval(c["crt"])))
	if block == nil {
		return nil, fmt.Errorf("no certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, err
	}
	var chain []*x509.Certificate
	if ca := sim.findCA(strval(c["caref"])); ca != nil {
		if cb, _ := pem.Decode([]byte(strval(ca["crt"]))); cb != nil {
			if caCert, err := x509.ParseCertificate(cb.Bytes); err == nil {
				chain = append(chain, caCert)
			}
		}
	}
	kb, _ := pem.Decode([]byte(strval(c["prv"])))
	if kb == nil {
		// -nokeys: the certificates alone.
		return enc.EncodeTrustStore(append([]*x509.Certificate{cert}, chain...), passphrase)
	}
	key, err := parsePrivateKey(kb)
	if err != nil {
		return nil, err
	}
	return enc.Encode(key, cert, chain, passphrase)
}
