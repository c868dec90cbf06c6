package simulator

// reference says that objects of user models name objects of a model by one of its fields
// (rules name aliases, routes name gateways, certificates name their CA). pfSense refuses
// to delete an object that is still named somewhere (409).
type reference struct {
	model, key string
	users      map[string][]string // model -> fields that hold the key
}

var references = []reference{
	{"FirewallAlias", "name", map[string][]string{
		"FirewallRule":       {"source", "destination", "source_port", "destination_port"},
		"PortForward":        {"source", "destination", "source_port", "destination_port", "target", "local_port"},
		"OutboundNATMapping": {"source", "destination", "source_port", "destination_port", "target"},
		"FirewallAlias":      {"address"},
	}},
	{"RoutingGateway", "name", map[string][]string{
		"StaticRoute":  {"gateway"},
		"FirewallRule": {"gateway"},
	}},
	{"CertificateAuthority", "refid", map[string][]string{
		"Certificate":   {"caref"},
		"OpenVPNServer": {"caref"},
		"IPsecPhase1":   {"caref"},
	}},
	{"Certificate", "refid", map[string][]string{
		"OpenVPNServer":       {"certref"},
		"IPsecPhase1":         {"certref"},
		"WebGUISettings":      {"sslcertref"},
		"DNSResolverSettings": {"sslcertref"},
	}},
}

// referencedBy reports the first object that still names obj, if any.
func (sim *Simulator) referencedBy(m *model, obj map[string]any) (string, any, bool) {
	for _, ref := range references {
		if ref.model != m.name {
			continue
		}
		key, _ := obj[ref.key].(string)
		if key == "" {
			continue
		}
		for userModel, fields := range ref.users {
			for i, u := range sim.st.Lists[userModel] {
				if namesKey(u, fields, key) && !(userModel == m.name && mapID(u) == mapID(obj)) {
					return userModel, idOf(sim.models[userModel], u, i), true
				}
			}
			if single := sim.st.Singles[userModel]; single != nil && namesKey(single, fields, key) {
				return userModel, nil, true
			}
		}
	}
	return "", nil, false
}

func namesKey(o map[string]any, fields []string, key string) bool {
	for _, f := range fields {
		switch v := o[f].(type) {
		case string:
			if v == key || v == "!"+key {
				return true
			}
		case []any:
			for _, it := range v {
				if it == key {
					return true
				}
			}
		}
	}
	return false
}
