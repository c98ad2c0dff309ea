package main

import (
	"strings"
	"testing"
)

// TestSetParValueErrors: /Set and /Par read key;value the same way, and
// their errors name the part that is wrong as each option calls it.
func TestSetParValueErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		set  func(*state, string, string, bool) error
		v    string
		want string
	}{
		{"/Set without ;", setSet, `\Package.Variables[User::X]`,
			`dtexec: /Set: expected propertyPath;value (no ';' found) (in bash, quote the whole value: /Set '\Package.Variables[User::X].Properties[Value];42')`},
		{"/Set ; inside brackets", setSet, `\Package.Variables[User::X;Y]`, "expected propertyPath;value (no ';' found)"},
		{"/Set bad value quoting", setSet, `\Package.Variables[User::X].Properties[Value];"42`, "dtexec: /Set: value: "},
		{"/Par without ;", setParam, `$Package::Name`,
			`dtexec: /Par: expected name;value (no ';' found) (in bash, quote the whole value: /Par '$Package::Name;value')`},
		{"/Par bad value quoting", setParam, `$Package::Name;"1`, "dtexec: /Par: value: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.set(&state{o: &Options{}}, tt.name[:4], tt.v, true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q in it", err, tt.want)
			}
		})
	}
}
