package expr

import (
	"sort"
	"strings"
	"time"
)

// Env supplies variables, parameters and the clock to an evaluation.
type Env interface {
	// Lookup resolves a reference as written without the @ and brackets:
	// "User::X", "System::PackageName", "$Package::P", "$Project::P", or an
	// unqualified "X". The Env resolves unqualified names and reports an
	// ambiguous one (an error wrapping ErrAmbiguous); an unknown name is an
	// error wrapping ErrUnknownVariable.
	Lookup(name string) (Value, error)
	// Now returns the current time, read once per evaluation by GETDATE
	// (its wall clock) and GETUTCDATE (converted to UTC).
	Now() time.Time
}

// MapEnv is a simple Env over a map keyed by qualified name ("User::X",
// "System::PackageName", "$Package::P"). Names are case-sensitive. An
// unqualified name matches a variable of any namespace; more than one
// match is ambiguous.
type MapEnv struct {
	Vars map[string]Value
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
}

// Lookup implements Env.
func (m MapEnv) Lookup(name string) (Value, error) {
	if v, ok := m.Vars[name]; ok {
		return v, nil
	}
	if strings.Contains(name, "::") {
		return Value{}, failf(ErrUnknownVariable, "the variable %q was not found", name)
	}
	var found []string
	for k := range m.Vars {
		if ns, n, ok := strings.Cut(k, "::"); ok && n == name && !strings.HasPrefix(ns, "$") {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 0:
		return Value{}, failf(ErrUnknownVariable, "the variable %q was not found", name)
	case 1:
		return m.Vars[found[0]], nil
	}
	sort.Strings(found)
	return Value{}, failf(ErrAmbiguous, "%q could be %s; qualify it as @[%s]", name, strings.Join(found, " or "), found[0])
}

// Now implements Env.
func (m MapEnv) Now() time.Time {
	if m.Clock != nil {
		return m.Clock()
	}
	return time.Now()
}

var _ Env = MapEnv{}
