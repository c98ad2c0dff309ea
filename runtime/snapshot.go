package runtime

import (
	"sort"
	"strings"

	"github.com/dtsx-run/dtsx/connections/connstr"
)

// VariableValue is a variable or parameter as the run left it.
type VariableValue struct {
	Name     string `json:"name"` // User::X, $Package::P
	Type     string `json:"type"` // String, Int32, ... (dtsx.DataType)
	Value    string `json:"value"`
	ReadOnly bool   `json:"readOnly,omitempty"`
	// Sensitive is set for a sensitive parameter or variable: Value is
	// then masked.
	Sensitive bool `json:"sensitive,omitempty"`
}

// snapshot returns the variables and parameters of sc and the scopes above
// it, sorted by name, a name hidden by an inner scope given once: System
// variables are left out, a sensitive value is masked, and so is the value
// of every sensitive key of a value that reads as a connection string.
func snapshot(sc *scope) []VariableValue {
	seen := map[string]bool{}
	out := []VariableValue{}
	for s := sc; s != nil; s = s.parent {
		s.mu.RLock()
		vars := make([]*variable, 0, len(s.vars))
		for _, v := range s.vars {
			vars = append(vars, v)
		}
		s.mu.RUnlock()
		for _, v := range vars {
			if seen[v.name] || strings.HasPrefix(v.name, "System::") {
				continue
			}
			seen[v.name] = true
			vv := VariableValue{Name: v.name, ReadOnly: v.readOnly, Sensitive: v.sensitive}
			val, err := (&varEnv{sc: s}).read(v)
			switch {
			case v.sensitive:
				vv.Value = connstr.MaskedValue
			case err != nil:
				vv.Value = "<" + connstr.Mask(err.Error()) + ">"
			default:
				vv.Value = connstr.Mask(val.String())
			}
			if v.dataType != 0 {
				vv.Type = v.dataType.String()
			} else {
				vv.Type = val.Type().String()
			}
			out = append(out, vv)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
