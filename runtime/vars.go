package runtime

import (
	"strconv"
	"strings"
	"sync"

	"github.com/dtsx-run/dtsx/dtsx"
)

// scope holds the variables of one container execution; lookups go up to
// the parent scope, so a container's variables hide the package's.
type scope struct {
	mu     sync.RWMutex
	vars   map[string]any // by qualified name, Namespace::Name
	parent *scope
}

func newScope(parent *scope, defs []*dtsx.Variable) *scope {
	s := &scope{vars: map[string]any{}, parent: parent}
	for _, v := range defs {
		s.vars[v.QualifiedName()] = typedValue(v.DataType, v.Value)
	}
	return s
}

// set defines or changes a variable of this scope.
func (s *scope) set(name string, v any) {
	s.mu.Lock()
	s.vars[name] = v
	s.mu.Unlock()
}

// get looks a variable up by qualified name; a bare name means User::name.
func (s *scope) get(name string) (any, bool) {
	name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(name), "@["), "]")
	if !strings.Contains(name, "::") {
		name = "User::" + name
	}
	for c := s; c != nil; c = c.parent {
		c.mu.RLock()
		v, ok := c.vars[name]
		c.mu.RUnlock()
		if ok {
			return v, true
		}
	}
	return nil, false
}

// typedValue converts a persisted value to its Go value: int64, float64,
// bool or string (DateTime and Object stay text until the expression
// language gives them a type).
func typedValue(t dtsx.DataType, s string) any {
	switch t {
	case dtsx.TypeInt16, dtsx.TypeInt32, dtsx.TypeInt64, dtsx.TypeSByte, dtsx.TypeByte, dtsx.TypeUInt16,
		dtsx.TypeUInt32, dtsx.TypeUInt64:
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return n
		}
	case dtsx.TypeSingle, dtsx.TypeDouble, dtsx.TypeDecimal, dtsx.TypeCurrency:
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return f
		}
	case dtsx.TypeBoolean:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "-1", "1", "true":
			return true
		case "0", "false", "":
			return false
		}
	}
	return s
}
