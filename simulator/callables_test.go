package simulator

import (
	"sort"
	"testing"
)

// Every default callable the build's model rules name is one the simulator reproduces: one
// it does not know leaves the field null (as v2.10.0's UIDField.generate_uid once left every
// CA's refid null), and nothing else would say so. (A choices callable it does not reproduce
// accepts any value: see checkChoice and the README's list of what is not faithful.)
func TestEveryCallableOfTheRulesIsReproduced(t *testing.T) {
	sim, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !sim.cat.Native {
		t.Skip("the build has no native schema: the model rules, and their callables, are absent")
	}
	missing := map[string][]string{}
	for name, s := range sim.cat.Schemas {
		for _, p := range s.Props {
			if p.F == nil {
				continue
			}
			if c := p.F.DefaultCallable; c != "" && defaultCallables[c] == nil {
				missing[c] = append(missing[c], name+"."+p.Name)
			}
		}
	}
	var names []string
	for c := range missing {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		sort.Strings(missing[c])
		t.Errorf("default callable %s (fields %v) is not reproduced: add it to defaultCallables", c, missing[c])
	}
}
