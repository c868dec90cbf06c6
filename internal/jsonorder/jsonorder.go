// Package jsonorder reads what decoding JSON into maps loses: the order of an object's keys.
// The REST API writes a model's properties in the order its class declares its fields, which
// is the order it validates and returns them in.
package jsonorder

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Keys returns the keys of a JSON object in document order.
func Keys(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("not a JSON object")
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
