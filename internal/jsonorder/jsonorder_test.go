package jsonorder

import (
	"reflect"
	"testing"
)

func TestKeysKeepDocumentOrder(t *testing.T) {
	got, err := Keys([]byte(`{"zeta": {"a": 1}, "alpha": [1, {"b": 2}], "mid": null}`))
	if err != nil || !reflect.DeepEqual(got, []string{"zeta", "alpha", "mid"}) {
		t.Errorf("Keys = %v, %v", got, err)
	}
	if _, err := Keys([]byte(`[1, 2]`)); err == nil {
		t.Error("a JSON array has keys")
	}
}
