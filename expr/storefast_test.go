package expr

import (
	"reflect"
	"testing"
)

// TestStoreFastMatchesConvert checks that every value storeFast takes is
// the value the general conversion gives, and that it declines what it
// must leave to the general path.
func TestStoreFastMatchesConvert(t *testing.T) {
	tests := []struct {
		name string
		v    Value
		s    TypeSpec
		fast bool
	}{
		{"int same type", I4(-2024), TypeSpec{Type: TypeI4}, true},
		{"int other type", I4(7), TypeSpec{Type: TypeI8}, false},
		{"ascii wstr to str", Str("ACME"), TypeSpec{Type: TypeStr, Length: 10, CodePage: 1252}, true},
		{"ascii wstr to wstr", Str("ACME"), TypeSpec{Type: TypeWStr, Length: 4}, true},
		{"ascii unbounded", Str("ACME"), TypeSpec{Type: TypeWStr}, true},
		{"too long", Str("ACME"), TypeSpec{Type: TypeWStr, Length: 3}, false},
		{"not ascii", Str("Müller"), TypeSpec{Type: TypeStr, Length: 10, CodePage: 20127}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := storeFast(tt.v, tt.s)
			if ok != tt.fast {
				t.Fatalf("storeFast took it = %v, want %v", ok, tt.fast)
			}
			if !ok {
				return
			}
			want, err := convert(tt.v, tt.s)
			if err != nil {
				t.Fatalf("convert: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("storeFast = %#v, convert = %#v", got, want)
			}
		})
	}
}
