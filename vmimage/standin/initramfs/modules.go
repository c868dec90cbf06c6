package initramfs

import (
	"bytes"
	"debug/elf"
	"fmt"
	"path/filepath"
	"strings"
)

// Module is a kernel module file and what its .modinfo section says.
type Module struct {
	Path    string
	Name    string
	Depends []string
}

// ReadModule reads a module's name and dependencies from its .modinfo section.
func ReadModule(path string) (*Module, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("module %s: %w", path, err)
	}
	defer f.Close()
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, fmt.Errorf("module %s: no .modinfo section (not a kernel module?)", path)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("module %s: %w", path, err)
	}
	m := &Module{Path: path, Name: strings.ReplaceAll(strings.TrimSuffix(filepath.Base(path), ".ko"), "-", "_")}
	for _, kv := range bytes.Split(data, []byte{0}) {
		k, v, ok := strings.Cut(string(kv), "=")
		if !ok {
			continue
		}
		switch k {
		case "name":
			m.Name = v
		case "depends":
			for _, d := range strings.Split(v, ",") {
				if d != "" {
					m.Depends = append(m.Depends, d)
				}
			}
		}
	}
	return m, nil
}

// LoadOrder reads the modules and returns them so that every module follows those it
// depends on. A dependency missing from paths is an error naming both modules.
func LoadOrder(paths []string) ([]*Module, error) {
	byName := map[string]*Module{}
	for _, p := range paths {
		m, err := ReadModule(p)
		if err != nil {
			return nil, err
		}
		if prev, dup := byName[m.Name]; dup {
			return nil, fmt.Errorf("module %s given twice: %s and %s", m.Name, prev.Path, m.Path)
		}
		byName[m.Name] = m
	}
	var order []*Module
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name, from string) error
	visit = func(name, from string) error {
		m, ok := byName[name]
		if !ok {
			return fmt.Errorf("module %s depends on %s, which is not among the modules given", from, name)
		}
		switch state[name] {
		case 1:
			return fmt.Errorf("modules %s and %s depend on each other", from, name)
		case 2:
			return nil
		}
		state[name] = 1
		for _, d := range m.Depends {
			if err := visit(d, name); err != nil {
				return err
			}
		}
		state[name] = 2
		order = append(order, m)
		return nil
	}
	for _, name := range sortedKeys(byName) {
		if err := visit(name, name); err != nil {
			return nil, err
		}
	}
	return order, nil
}
