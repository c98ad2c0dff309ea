package runtime

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

// CheckStatus is the outcome of checking one cached expression result.
type CheckStatus int

// Check outcomes: the value evaluated here is the one SSIS cached, it is
// not, or the expression cannot be evaluated from the files alone.
const (
	CheckMatch CheckStatus = iota
	CheckMismatch
	CheckSkip
)

var checkStatusNames = [...]string{"MATCH", "MISMATCH", "SKIP"}

// String returns MATCH, MISMATCH or SKIP.
func (s CheckStatus) String() string {
	if s < 0 || int(s) >= len(checkStatusNames) {
		return fmt.Sprintf("CheckStatus(%d)", int(s))
	}
	return checkStatusNames[s]
}

// MarshalText makes a CheckStatus appear by name in JSON.
func (s CheckStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Kinds of CheckResult.
const (
	KindVariable = "variable"
	KindProperty = "property"
)

// Skip reasons start with one of these, then ": " and the detail, so that
// reasons can be counted by kind.
const (
	SkipClock       = "reads the clock"
	SkipRunTime     = "run-time-only value"
	SkipNotInFiles  = "a value not in the files"
	SkipUnsupported = "unsupported"
)

// CheckResult is one expression whose result SSIS cached in a package: an
// expression variable's DTS:VariableValue, or the persisted value of a
// property that a DTS:PropertyExpression sets.
type CheckResult struct {
	// Path is the refId of what holds the expression: the container or task
	// owning the variable, the executable or the connection manager whose
	// property it is.
	Path string `json:"path"`
	// Name is the variable's qualified name ("User::X") or the property's
	// name ("ConnectionString").
	Name string `json:"name"`
	// Kind is KindVariable or KindProperty.
	Kind       string      `json:"kind"`
	Expression string      `json:"expression"`
	Status     CheckStatus `json:"status"`
	// Want is the value SSIS cached, as persisted.
	Want string `json:"want"`
	// Got is the value evaluated here, as text (what a cast to DT_WSTR
	// gives); empty when the expression could not be evaluated.
	Got string `json:"got"`
	// Reason says why the item was skipped (starting with one of the Skip
	// constants), or, for a mismatch without Got, the error.
	Reason string `json:"reason,omitempty"`
	// StandIn reports that a variable the expression reads could not be
	// evaluated from the files, so that its cached value stood in.
	StandIn bool `json:"standIn,omitempty"`
	// Sensitive reports that the expression reads a sensitive parameter,
	// directly or through other variables: Want and Got are secrets.
	Sensitive bool `json:"sensitive,omitempty"`
}

// Check evaluates every expression whose result SSIS cached in pkg and
// compares the value with the cached one: the expression variables of
// every container, task and event handler (DTS:VariableValue), and the
// properties set by property expressions whose persisted value can be told
// (an executable's own properties, a task's payload attributes, a package
// connection manager's properties and connection string). Results are in
// document order.
//
// Expressions are evaluated in the scope a run evaluates them in, built as
// the run builds it: the variables of the object that holds them and of the
// containers above it (for an event handler, those it belongs to), the
// project's parameters (project may be nil) and the package's, and the
// System variables a run has there, those whose values the package file
// holds (PackageName, PackageID, CreationDate, CreatorName, VersionBuild,
// ...) with those values; bare names resolve as in a run. An expression
// variable read by another is evaluated in turn, with cycle detection; when
// it cannot be evaluated from the files its cached value stands in
// (CheckResult.StandIn). Expressions that read the clock, System variables
// known only at run time (StartTime, MachineName, TaskName, ...) and values
// the files do not hold (a missing project parameter, an encrypted one) are
// skipped with the reason.
func Check(pkg *dtsx.Package, project *dtsx.Project) []CheckResult {
	c := newChecker(pkg, project)
	var out []CheckResult
	pkg.Walk(func(exe *dtsx.Executable) bool {
		for _, v := range exe.Variables {
			if v.EvaluateAsExpression {
				out = append(out, c.checkVariable(exe, v))
			}
		}
		if exe == pkg.Executable {
			for _, cm := range pkg.Connections {
				for _, pe := range cm.Expressions {
					cached, ok := cm.Property(pe.Name)
					if pe.Name == "ConnectionString" {
						cached, ok = cm.ConnectionString, cm.ConnectionString != ""
					}
					out = append(out, c.checkProperty(exe, cm.RefID, pe, cached, ok))
				}
			}
		}
		for _, pe := range exe.Expressions {
			cached, ok := taskProperty(exe, pe.Name)
			out = append(out, c.checkProperty(exe, exe.RefID, pe, cached, ok))
		}
		return true
	})
	return out
}

// sendMailNames maps the Send Mail task's property names to the payload
// attributes that persist them, where they differ.
var sendMailNames = map[string]string{"FromLine": "From", "ToLine": "To", "CCLine": "CC", "BCCLine": "BCC"}

// taskProperty returns the persisted value of an executable's property:
// one of its own (Description, CheckpointFileName, ...) or an attribute of
// its task payload of the same name (Subject, Arguments, ...).
func taskProperty(exe *dtsx.Executable, name string) (string, bool) {
	if v, ok := exe.Property(name); ok {
		return v, true
	}
	if v, ok := exe.ObjectDataAttr(name); ok {
		return v, true
	}
	if exe.ObjectData != nil && exe.ObjectData.Tag == "SendMailTaskData" {
		if alias, ok := sendMailNames[name]; ok {
			return exe.ObjectDataAttr(alias)
		}
	}
	return "", false
}

func (c *checker) checkVariable(exe *dtsx.Executable, v *dtsx.Variable) CheckResult {
	r := CheckResult{Path: exe.RefID, Name: v.QualifiedName(), Kind: KindVariable, Expression: v.Expression, Want: v.Value}
	st := c.evalVariable(v, c.scopeOf(exe))
	r.StandIn, r.Sensitive = st.tr.standIn, st.tr.sensitive
	if skip(&r, st.err) {
		return r
	}
	want, werr := expr.FromDataType(v.DataType, v.Value)
	switch {
	case st.err != nil:
		r.Status, r.Reason = CheckMismatch, st.err.Error()
	case werr != nil:
		r.Status, r.Got, r.Reason = CheckMismatch, st.val.String(), "the cached value cannot be read: "+werr.Error()
	case st.val.Equal(want):
		r.Status, r.Got = CheckMatch, st.val.String()
	default:
		r.Status, r.Got = CheckMismatch, st.val.String()
	}
	return r
}

func (c *checker) checkProperty(exe *dtsx.Executable, path string, pe dtsx.PropertyExpression, cached string, ok bool) CheckResult {
	r := CheckResult{Path: path, Name: pe.Name, Kind: KindProperty, Expression: pe.Expression, Want: cached}
	if !ok || cached == "" {
		r.Status, r.Reason = CheckSkip, SkipUnsupported+": no persisted value of "+pe.Name+" to compare with"
		return r
	}
	var tr trace
	got, err := c.eval(pe.Expression, c.scopeOf(exe), &tr)
	r.StandIn, r.Sensitive = tr.standIn, tr.sensitive
	if err == nil {
		got, err = got.ConvertTo(dtsx.TypeString)
	}
	if skip(&r, err) {
		return r
	}
	text, _ := got.Text() // "" for NULL
	switch {
	case err != nil:
		r.Status, r.Reason = CheckMismatch, err.Error()
	case text == cached:
		r.Status, r.Got = CheckMatch, text
	default:
		r.Status, r.Got = CheckMismatch, text
	}
	return r
}

// skip marks r skipped when err says why the expression cannot be checked.
func skip(r *CheckResult, err error) bool {
	var se *skipError
	if !errors.As(err, &se) {
		return false
	}
	r.Status, r.Reason = CheckSkip, se.Error()
	return true
}

// skipError is why an expression cannot be evaluated from the files.
type skipError struct {
	kind   string // one of the Skip constants
	detail string
}

func (e *skipError) Error() string {
	if e.detail == "" {
		return e.kind
	}
	return e.kind + ": " + e.detail
}

// trace records what an evaluation read.
type trace struct {
	standIn   bool // a variable's cached value stood in for its expression
	sensitive bool // a sensitive parameter was read
}

func (t *trace) add(u trace) {
	t.standIn = t.standIn || u.standIn
	t.sensitive = t.sensitive || u.sensitive
}

// varState is the evaluation of one expression variable, done once.
type varState struct {
	done, busy bool
	val        expr.Value
	err        error
	tr         trace
}

// checker resolves the variables of one package in scopes built as a run
// builds them (buildScope, packageParameters, packageSystem,
// containerSystem, handlerSystem), holding the values the files give.
type checker struct {
	pkg     *dtsx.Package
	project *dtsx.Project
	state   map[*dtsx.Variable]*varState
	root    *scope
	scopes  map[*dtsx.Executable]*scope
	// defs holds the definition of each variable of an executable's
	// scope, and that executable, in whose scope its expression is
	// evaluated.
	defs map[*variable]varDef
	// unknown says why the value of a System variable or a parameter
	// cannot be told from the files.
	unknown map[*variable]error
}

// varDef is a variable and the executable that holds it.
type varDef struct {
	d     *dtsx.Variable
	owner *dtsx.Executable
}

// newChecker returns the checker of pkg, with the root scope of a run of
// it: its System variables and parameters.
func newChecker(pkg *dtsx.Package, project *dtsx.Project) *checker {
	c := &checker{pkg: pkg, project: project, state: map[*dtsx.Variable]*varState{}, root: newScope(nil),
		scopes: map[*dtsx.Executable]*scope{}, defs: map[*variable]varDef{}, unknown: map[*variable]error{}}
	c.system(c.root, packageSystem(pkg, time.Time{}, ""))
	for _, p := range packageParameters(pkg, project) {
		v := &variable{name: p.QualifiedName(), dataType: p.DataType, readOnly: true, sensitive: p.Sensitive}
		var err error
		if p.Encrypted && !p.Decrypted || p.Sensitive && p.Value == "" {
			err = &skipError{SkipNotInFiles, v.name + " is encrypted or not saved"}
		} else {
			v.value, err = expr.FromDataType(p.DataType, p.Value)
		}
		if err != nil {
			c.unknown[v] = err
		}
		c.root.add(v)
	}
	return c
}

// system defines System variables in sc; those whose values the files do
// not hold are unknown.
func (c *checker) system(sc *scope, vars []systemVariable) {
	for _, sv := range vars {
		name := "System::" + sv.name
		sc.set(name, sv.value)
		v, _ := sc.find(name)
		switch {
		case !sv.inFile:
			c.unknown[v] = &skipError{SkipRunTime, name}
		case !sv.persisted:
			c.unknown[v] = &skipError{SkipNotInFiles, name + " is not persisted"}
		}
	}
}

// scopeOf returns the scope of x in a run: its variables and the System
// variables of a container (of an event handler, for one) over the scope
// of its parent.
func (c *checker) scopeOf(x *dtsx.Executable) *scope {
	if sc, ok := c.scopes[x]; ok {
		return sc
	}
	parent := c.root
	if x.Parent != nil {
		parent = c.scopeOf(x.Parent)
	}
	sc, _ := buildScope(parent, x, func(d *dtsx.Variable) (*variable, error) {
		v := &variable{name: d.QualifiedName(), dataType: d.DataType, readOnly: d.ReadOnly}
		c.defs[v] = varDef{d, x}
		return v, nil
	})
	if x.IsEventHandler() {
		c.system(sc, handlerSystem(x.EventName, x, time.Time{}, "", 0))
	} else {
		c.system(sc, containerSystem(x, time.Time{}))
	}
	c.scopes[x] = sc
	return sc
}

// checkEnv is the Env seen by an expression evaluated in a scope.
type checkEnv struct {
	c  *checker
	sc *scope
	tr *trace
}

// Now is never read: expressions that read the clock are skipped.
func (e checkEnv) Now() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }

func (e checkEnv) Lookup(name string) (expr.Value, error) {
	v, err := e.sc.find(name)
	if err != nil {
		return expr.Value{}, e.c.notFound(name, err)
	}
	if v.sensitive {
		e.tr.sensitive = true
	}
	if def, ok := e.c.defs[v]; ok {
		return e.c.value(def, e.tr)
	}
	if err := e.c.unknown[v]; err != nil {
		return expr.Value{}, err
	}
	return v.get(), nil
}

// notFound is the error for a name that is in no scope: System variables a
// run does not have here and parameters the files do not hold are skipped.
func (c *checker) notFound(name string, err error) error {
	if !errors.Is(err, ErrNoVariable) {
		return fmt.Errorf("%w: %w", expr.ErrAmbiguous, err)
	}
	ns, _, _ := strings.Cut(name, "::")
	switch {
	case ns == "System":
		return &skipError{SkipRunTime, name}
	case ns == "$Project" && c.project == nil:
		return &skipError{SkipNotInFiles, name + " (no project loaded with the package)"}
	case ns == "$Project" || ns == "$Package":
		return &skipError{SkipNotInFiles, name + " is not a parameter of the files loaded"}
	}
	return fmt.Errorf("%w: %q", expr.ErrUnknownVariable, name)
}

// value returns the value of a variable read by an expression: its
// persisted value, or for an expression variable its evaluation, or its
// cached value when the files do not hold what it needs.
func (c *checker) value(def varDef, tr *trace) (expr.Value, error) {
	v := def.d
	if !v.EvaluateAsExpression {
		return expr.FromDataType(v.DataType, v.Value)
	}
	st := c.evalVariable(v, c.scopeOf(def.owner))
	tr.add(st.tr)
	var se *skipError
	if errors.As(st.err, &se) {
		tr.standIn = true
		return expr.FromDataType(v.DataType, v.Value)
	}
	return st.val, st.err
}

// evalVariable evaluates an expression variable once, in the scope of the
// executable that holds it, converted to its type.
func (c *checker) evalVariable(v *dtsx.Variable, sc *scope) *varState {
	st := c.state[v]
	if st == nil {
		st = &varState{}
		c.state[v] = st
	}
	if st.busy {
		return &varState{err: fmt.Errorf("%w: %s", expr.ErrCycle, v.QualifiedName())}
	}
	if !st.done {
		st.busy = true
		st.val, st.err = c.eval(v.Expression, sc, &st.tr)
		if st.err == nil {
			st.val, st.err = st.val.ConvertTo(v.DataType)
		}
		st.busy, st.done = false, true
	}
	return st
}

// eval evaluates an expression in a scope.
func (c *checker) eval(src string, sc *scope, tr *trace) (expr.Value, error) {
	e, err := expr.Parse(src)
	if err != nil {
		return expr.Value{}, err
	}
	if e.ReadsClock() {
		return expr.Value{}, &skipError{kind: SkipClock}
	}
	return e.Eval(checkEnv{c: c, sc: sc, tr: tr})
}

var _ expr.Env = checkEnv{}
