package runtime

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

// ErrBadValue is matched by the error of NewEvaluator for a value that
// names no variable or parameter of the package scope, or that does not
// fit its type.
var ErrBadValue = errors.New("runtime: cannot set")

// Evaluator evaluates expressions in the scope a package's run starts
// with: the System variables (PackageName, StartTime, MachineName, ...),
// the project's and the package's parameters and the package's own
// variables, built as Execute builds them.
type Evaluator struct {
	r  *run
	sc *scope
	// incomplete is what could not be put in scope (an encrypted parameter
	// without a password, a required one without a value), told only when
	// an evaluation fails.
	incomplete error
}

// Evaluation is the value of an expression.
type Evaluation struct {
	Value expr.Value
	// Sensitive reports that the expression reads a sensitive parameter,
	// directly or through expression variables: the value is a secret.
	Sensitive bool
}

// NewEvaluator returns an Evaluator of the package scope of p, with
// values, keyed by name, replacing those of variables and parameters.
// A name is qualified ("User::X", "System::StartTime", "$Package::P",
// "$Project::P") or bare: a variable of the package if there is one, else
// a parameter, else a System variable. A value is text in the variable's
// or parameter's type, as persisted ("42", "True", "4/8/2015 9:43:36 AM");
// it replaces an expression variable's expression. An unknown name or a
// value that does not fit is an error matching ErrBadValue.
func (p *Package) NewEvaluator(values map[string]string) (*Evaluator, error) {
	params := packageParameters(p.Def, p.Project)
	paramValues := map[string]string{}
	varValues := map[string]string{}
	var errs []error
	for _, name := range sortedKeys(values) {
		if pa := findParameter(p.Def, params, name); pa != nil {
			single := map[string]string{pa.QualifiedName(): values[name]}
			if _, err := newParameter(pa, single, nil); err != nil {
				errs = append(errs, fmt.Errorf("%w %s: %v", ErrBadValue, name, err))
			}
			paramValues[pa.QualifiedName()] = values[name]
			continue
		}
		if strings.HasPrefix(name, "$") {
			errs = append(errs, fmt.Errorf("%w %s: not a parameter of the package or its project", ErrBadValue, name))
			continue
		}
		varValues[name] = values[name]
	}
	r := &run{p: p, log: p.log, opts: RunOptions{Parameters: paramValues}, rep: &Report{Start: time.Now()}}
	root, rootErr := r.rootScope()
	sc, scErr := r.scope(root, p.Def.Executable)
	// The package container's own System variables, as executable sets
	// them when the package starts.
	sc.setSystem(containerSystem(p.Def.Executable, r.rep.Start))
	for _, name := range sortedKeys(varValues) {
		if err := setValue(sc, name, varValues[name]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &Evaluator{r: r, sc: sc, incomplete: errors.Join(rootErr, scErr)}, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// findParameter returns the parameter a name gives a value to: a
// qualified name, or a bare name that no variable of the package has.
func findParameter(def *dtsx.Package, params []*dtsx.Parameter, name string) *dtsx.Parameter {
	if !strings.HasPrefix(name, "$") {
		if strings.Contains(name, "::") {
			return nil
		}
		for _, v := range def.Variables {
			if v.Name == name {
				return nil
			}
		}
	}
	var found *dtsx.Parameter
	for _, pa := range params {
		if pa.QualifiedName() == name || pa.Name == name {
			found = pa // the package's parameter comes last and wins, as in rootScope
		}
	}
	return found
}

// setValue gives a variable of the scope a value from text, replacing its
// expression. System variables take text in the type they have.
func setValue(sc *scope, name, raw string) error {
	v, err := sc.find(name)
	if errors.Is(err, ErrNoVariable) {
		return fmt.Errorf("%w %s: no such variable in the package scope, nor parameter", ErrBadValue, name)
	}
	if err != nil {
		return fmt.Errorf("%w %s: %v", ErrBadValue, name, err)
	}
	t := v.dataType
	if t == 0 {
		t = dataTypeOf(v.get().Type())
	}
	val, err := expr.FromDataType(t, raw)
	if err != nil {
		return fmt.Errorf("%w %s: %q is not a %v: %v", ErrBadValue, v.name, raw, t, err)
	}
	v.mu.Lock()
	v.value, v.expr = val, nil
	v.mu.Unlock()
	return nil
}

// dataTypeOf returns the variable data type of the expression types that
// System variables have.
func dataTypeOf(t expr.Type) dtsx.DataType {
	for _, dt := range []dtsx.DataType{dtsx.TypeString, dtsx.TypeInt32, dtsx.TypeInt64, dtsx.TypeDateTime, dtsx.TypeBoolean} {
		if et, _ := expr.TypeOfVariant(dt); et == t {
			return dt
		}
	}
	return dtsx.TypeString
}

// Eval evaluates an expression. A syntax error is an *expr.SyntaxError;
// an assignment ("@[User::X] = ...") gives the value it would assign and
// assigns nothing.
func (e *Evaluator) Eval(src string) (Evaluation, error) {
	x, err := e.r.parse(src)
	if err != nil {
		return Evaluation{}, err
	}
	sensitive := e.readsSensitive(x, map[*variable]bool{})
	v, err := x.Eval(&varEnv{sc: e.sc})
	if err != nil {
		if e.incomplete != nil {
			err = fmt.Errorf("%w\n(not in scope: %v)", err, e.incomplete)
		}
		return Evaluation{Sensitive: sensitive}, err
	}
	return Evaluation{Value: v, Sensitive: sensitive}, nil
}

// readsSensitive reports whether x reads a sensitive parameter, directly or
// through the expressions of the variables it reads.
func (e *Evaluator) readsSensitive(x *expr.Expr, seen map[*variable]bool) bool {
	for _, ref := range x.Refs() {
		v, err := e.sc.find(ref)
		if err != nil || seen[v] {
			continue
		}
		seen[v] = true
		v.mu.RLock()
		vx := v.expr
		v.mu.RUnlock()
		if v.sensitive || vx != nil && e.readsSensitive(vx, seen) {
			return true
		}
	}
	return false
}
