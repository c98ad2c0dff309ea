package runtime

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

// ErrNoVariable is matched by the error for a variable or parameter that is
// not in scope.
var ErrNoVariable = errors.New("runtime: no such variable")

// ErrReadOnly is matched by the error for writing a read-only variable.
var ErrReadOnly = errors.New("runtime: read-only variable")

// variable is one variable or parameter of a scope.
type variable struct {
	name      string // Namespace::Name, or $Package::Name / $Project::Name
	dataType  dtsx.DataType
	readOnly  bool
	sensitive bool

	mu    sync.RWMutex
	value expr.Value
	expr  *expr.Expr // EvaluateAsExpression: evaluated on each read
}

func (v *variable) get() expr.Value {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.value
}

// scope holds the variables of one container execution; lookups go up to
// the parent scope, so a container's variables hide the package's.
type scope struct {
	mu     sync.RWMutex
	vars   map[string]*variable   // by qualified name
	byName map[string][]*variable // by name without namespace
	parent *scope
}

func newScope(parent *scope) *scope {
	return &scope{vars: map[string]*variable{}, byName: map[string][]*variable{}, parent: parent}
}

// add defines a variable of this scope, replacing one of the same name.
func (s *scope) add(v *variable) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.vars[v.name]; ok {
		short := shortName(old.name)
		l := s.byName[short]
		for i, o := range l {
			if o == old {
				s.byName[short] = append(l[:i:i], l[i+1:]...)
				break
			}
		}
	}
	s.vars[v.name] = v
	short := shortName(v.name)
	s.byName[short] = append(s.byName[short], v)
}

// set defines or changes a system variable of this scope.
func (s *scope) set(name string, val expr.Value) {
	s.add(&variable{name: name, value: val, readOnly: !strings.EqualFold(name, "System::Propagate")})
}

func shortName(q string) string {
	if i := strings.LastIndex(q, "::"); i >= 0 {
		return q[i+2:]
	}
	return q
}

// find returns the variable a reference names, as written in an expression
// without @ and brackets: "User::X", "$Package::P", or an unqualified "X",
// which must not be ambiguous in the nearest scope that has it.
func (s *scope) find(ref string) (*variable, error) {
	ref = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(ref), "@["), "]")
	ref = strings.TrimPrefix(ref, "@")
	qualified := strings.Contains(ref, "::")
	for c := s; c != nil; c = c.parent {
		c.mu.RLock()
		if qualified {
			v, ok := c.vars[ref]
			c.mu.RUnlock()
			if ok {
				return v, nil
			}
			continue
		}
		l := c.byName[ref]
		c.mu.RUnlock()
		switch len(l) {
		case 0:
			continue
		case 1:
			return l[0], nil
		default:
			var names []string
			for _, v := range l {
				names = append(names, v.name)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("variable %q is ambiguous (%s): qualify it with its namespace", ref, strings.Join(names, ", "))
		}
	}
	return nil, fmt.Errorf("%w: %s", ErrNoVariable, ref)
}

// varEnv evaluates expressions in a scope (expr.Env): expression variables
// are evaluated when read, with cycle detection.
type varEnv struct {
	sc    *scope
	now   func() time.Time
	stack []string // expression variables being evaluated
}

func (e *varEnv) Now() time.Time {
	if e.now != nil {
		return e.now()
	}
	return time.Now()
}

func (e *varEnv) Lookup(name string) (expr.Value, error) {
	v, err := e.sc.find(name)
	if err != nil {
		return expr.Value{}, err
	}
	return e.read(v)
}

// read returns a variable's value, evaluating its expression.
func (e *varEnv) read(v *variable) (expr.Value, error) {
	v.mu.RLock()
	x, val := v.expr, v.value
	v.mu.RUnlock()
	if x == nil {
		return val, nil
	}
	for i, n := range e.stack {
		if n == v.name {
			return expr.Value{}, fmt.Errorf("variable %s: its expression refers to itself (%s)", v.name,
				strings.Join(append(e.stack[i:], v.name), " → "))
		}
	}
	e.stack = append(e.stack, v.name)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()
	got, err := x.Eval(e)
	if err != nil {
		return expr.Value{}, fmt.Errorf("variable %s: expression %s: %w", v.name, x.String(), err)
	}
	if v.dataType != 0 && v.dataType != dtsx.TypeObject {
		if got, err = got.ConvertTo(v.dataType); err != nil {
			return expr.Value{}, fmt.Errorf("variable %s: the value of its expression %s: %w", v.name, x.String(), err)
		}
	}
	return got, nil
}

// write sets a variable's value (tasks, loops, /Set), converted to its type.
func (s *scope) write(name string, val expr.Value) error {
	v, err := s.find(name)
	if err != nil {
		return err
	}
	if v.readOnly {
		return fmt.Errorf("%w: %s", ErrReadOnly, v.name)
	}
	if v.dataType != 0 && v.dataType != dtsx.TypeObject {
		if val, err = val.ConvertTo(v.dataType); err != nil {
			return fmt.Errorf("variable %s: %w", v.name, err)
		}
	}
	v.mu.Lock()
	v.value = val
	v.mu.Unlock()
	return nil
}

// newVariable builds the run-time variable of a definition. An expression
// variable that does not parse, and a value that does not fit its type, are
// errors naming the variable.
func newVariable(d *dtsx.Variable, parse func(string) (*expr.Expr, error)) (*variable, error) {
	v := &variable{name: d.QualifiedName(), dataType: d.DataType, readOnly: d.ReadOnly}
	val, err := expr.FromDataType(d.DataType, d.Value)
	if err != nil {
		return nil, fmt.Errorf("variable %s: value %q: %w", v.name, d.Value, err)
	}
	v.value = val
	if d.EvaluateAsExpression {
		if v.expr, err = parse(d.Expression); err != nil {
			return nil, fmt.Errorf("variable %s: expression: %w", v.name, err)
		}
	}
	return v, nil
}

// newParameter builds the run-time variable of a parameter, with its value
// from overrides (by "$Package::P" or "$Project::P", or the bare name) when
// given there. An error says how to give the value, in the command's
// spelling.
func newParameter(p *dtsx.Parameter, overrides map[string]string, spell Spelling) (*variable, error) {
	v := &variable{name: p.QualifiedName(), dataType: p.DataType, readOnly: true, sensitive: p.Sensitive}
	raw, given := overrides[v.name]
	if !given {
		raw, given = overrides[p.Name]
	}
	if !given {
		raw = p.Value
		if p.Encrypted && !p.Decrypted {
			return nil, fmt.Errorf("parameter %s is encrypted in the file: give its value (%s), or the package password", v.name, spell.paramHint(v.name))
		}
		if p.Required && strings.TrimSpace(raw) == "" && p.DataType == dtsx.TypeString {
			return nil, fmt.Errorf("parameter %s is required and has no value: give it with %s", v.name, spell.paramHint(v.name))
		}
	}
	val, err := expr.FromDataType(p.DataType, raw)
	if err != nil {
		if p.Sensitive { // the error could quote the value
			return nil, fmt.Errorf("parameter %s: its (sensitive) value is not a %v", v.name, p.DataType)
		}
		return nil, fmt.Errorf("parameter %s: value %q is not a %v: %w", v.name, raw, p.DataType, err)
	}
	v.value = val
	return v, nil
}
