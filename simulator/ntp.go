package simulator

import "strings"

// NTP time servers are no list in pfSense's config: Models/NTPTimeServer.inc reads them from
// five space-separated strings (system/timeservers, ntpd/ispool, ispeer, prefer, noselect;
// get_timeservers_from_internal) and writes them with explode/implode: an empty string is one
// empty entry, so the first name appended to it follows a space. _update is _delete then
// _create on those strings. The delete searches each string for the object's new name
// (array_search), and when the name was changed, or the string does not hold it, it finds
// nothing: unset($list[false]) removes the string's first entry instead (an empty one, or
// another server's name), and a renamed server's old name stays. The create appends the name,
// so an updated server moves to the end, with the number of servers before it as its id
// (get_next_id). The simulator keeps the strings (state.NTP) and reads the list from them.

// ntpConfig is the five strings.
type ntpConfig struct {
	Servers  string `json:"timeservers"`
	Pool     string `json:"ispool"`
	Peer     string `json:"ispeer"`
	Prefer   string `json:"prefer"`
	Noselect string `json:"noselect"`
}

// ntpStrings returns the stored strings, derived from the object list for a state saved
// before they were kept.
func (sim *Simulator) ntpStrings() *ntpConfig {
	if sim.st.NTP != nil {
		return sim.st.NTP
	}
	c := &ntpConfig{}
	add := func(s *string, name string) {
		if *s != "" {
			*s += " "
		}
		*s += name
	}
	for _, o := range sim.st.Lists["NTPTimeServer"] {
		name := strval(o["timeserver"])
		add(&c.Servers, name)
		switch strval(o["type"]) {
		case "pool":
			add(&c.Pool, name)
		case "peer":
			add(&c.Peer, name)
		}
		if truthy(o["prefer"]) {
			add(&c.Prefer, name)
		}
		if truthy(o["noselect"]) {
			add(&c.Noselect, name)
		}
	}
	sim.st.NTP = c
	return c
}

// ntpDel is `$l = explode(' ', $s); unset($l[array_search($name, $l)]); implode(' ', $l)`.
func ntpDel(s, name string) string {
	l := strings.Split(s, " ")
	i := 0 // not found is key false, which PHP takes as 0
	for j, x := range l {
		if x == name {
			i = j
			break
		}
	}
	l = append(l[:i], l[i+1:]...)
	return strings.Join(l, " ")
}

// ntpAdd appends name to the string unless it is in it already.
func ntpAdd(s, name string) string {
	for _, x := range strings.Split(s, " ") {
		if x == name {
			return s
		}
	}
	return s + " " + name
}

func (c *ntpConfig) del(name string) {
	c.Servers, c.Pool, c.Peer = ntpDel(c.Servers, name), ntpDel(c.Pool, name), ntpDel(c.Peer, name)
	c.Prefer, c.Noselect = ntpDel(c.Prefer, name), ntpDel(c.Noselect, name)
}

// create is _create: the id is get_next_id (the non-empty names), then each string the object
// belongs to gets its name.
func (c *ntpConfig) create(obj map[string]any) int64 {
	next := int64(0)
	for _, x := range strings.Split(c.Servers, " ") {
		if x != "" {
			next++
		}
	}
	name := strval(obj["timeserver"])
	c.Servers = ntpAdd(c.Servers, name)
	switch strval(obj["type"]) {
	case "pool":
		c.Pool = ntpAdd(c.Pool, name)
	case "peer":
		c.Peer = ntpAdd(c.Peer, name)
	}
	if truthy(obj["prefer"]) {
		c.Prefer = ntpAdd(c.Prefer, name)
	}
	if truthy(obj["noselect"]) {
		c.Noselect = ntpAdd(c.Noselect, name)
	}
	return next
}

// ntpWrite runs a create (initial nil), update or delete (obj nil) on the strings and rewrites
// the stored list as get_timeservers_from_internal reads it; it returns the object's new id.
func (sim *Simulator) ntpWrite(initial, obj map[string]any) int64 {
	c := sim.ntpStrings()
	var id int64
	switch {
	case obj == nil:
		c.del(strval(initial["timeserver"]))
	case initial == nil:
		id = c.create(obj)
	default:
		c.del(strval(obj["timeserver"]))
		id = c.create(obj)
	}
	in := func(s, x string) bool {
		for _, y := range strings.Split(s, " ") {
			if y == x {
				return true
			}
		}
		return false
	}
	var out []map[string]any
	for _, ts := range strings.Split(c.Servers, " ") {
		o := map[string]any{"timeserver": ts, "type": "server", "prefer": in(c.Prefer, ts), "noselect": in(c.Noselect, ts)}
		if in(c.Pool, ts) {
			o["type"], o["noselect"] = "pool", nil // noselect applies to servers and peers only
		} else if in(c.Peer, ts) {
			o["type"] = "peer"
		}
		out = append(out, o)
	}
	sim.st.Lists["NTPTimeServer"] = out
	return id
}
