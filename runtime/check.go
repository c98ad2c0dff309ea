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
// Expressions see the variables in scope of the object that holds them, the
// package's parameters, project's parameters (project may be nil) and the
// System variables a run of the package has, built as the run builds them:
// those whose values the package file holds (PackageName, PackageID,
// CreationDate, CreatorName, VersionBuild, ...) have those values. An
// expression variable read by another is evaluated in turn, with cycle
// detection; when it cannot be evaluated from the files its cached value
// stands in (CheckResult.StandIn). Expressions that read the clock, System
// variables known only at run time (StartTime, MachineName, ...) and values
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
	st := c.evalVariable(v, exe)
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
	got, err := c.eval(pe.Expression, exe, &tr)
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

// checker resolves the variables of one package.
type checker struct {
	pkg     *dtsx.Package
	project *dtsx.Project
	state   map[*dtsx.Variable]*varState
	// system holds the System variables of a run of pkg by name: those of
	// its root scope and of a container's (packageSystem, containerSystem);
	// handler names those of an event handler's scope (handlerSystem).
	system  map[string]systemVariable
	handler map[string]bool
}

// newChecker returns the checker of pkg, with the System variables a run
// of it has.
func newChecker(pkg *dtsx.Package, project *dtsx.Project) *checker {
	c := &checker{pkg: pkg, project: project, state: map[*dtsx.Variable]*varState{},
		system: map[string]systemVariable{}, handler: map[string]bool{}}
	for _, v := range append(packageSystem(pkg, time.Time{}, ""), containerSystem(pkg.Executable, time.Time{})...) {
		c.system[v.name] = v
	}
	for _, v := range handlerSystem("OnError", pkg.Executable, time.Time{}, "", 0) {
		c.handler[v.name] = true
	}
	return c
}

// isSystem reports whether a run has a System variable of that name in the
// scope of exe.
func (c *checker) isSystem(exe *dtsx.Executable, name string) bool {
	if _, ok := c.system[name]; ok {
		return true
	}
	for x := exe; x != nil && c.handler[name]; x = x.Parent {
		if x.IsEventHandler() {
			return true
		}
	}
	return false
}

// checkEnv is the Env seen by an expression held by exe.
type checkEnv struct {
	c   *checker
	exe *dtsx.Executable
	tr  *trace
}

// Now is never read: expressions that read the clock are skipped.
func (e checkEnv) Now() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }

func (e checkEnv) Lookup(name string) (expr.Value, error) {
	ns, short, qualified := strings.Cut(name, "::")
	if !qualified {
		short, ns = name, ""
	}
	switch ns {
	case "$Package", "$Project":
		return e.c.param(ns, short, e.tr)
	case "System":
		return e.c.systemValue(short)
	}
	for x := e.exe; x != nil; x = x.Parent {
		var found []*dtsx.Variable
		for _, v := range x.Variables {
			if v.Name == short && (ns == "" || v.Namespace == ns) {
				found = append(found, v)
			}
		}
		if len(found) > 1 {
			return expr.Value{}, fmt.Errorf("%w: %q", expr.ErrAmbiguous, name)
		}
		if len(found) == 1 {
			return e.c.value(found[0], x, e.tr)
		}
	}
	if ns == "" && e.c.isSystem(e.exe, short) {
		return e.c.systemValue(short)
	}
	return expr.Value{}, fmt.Errorf("%w: %q", expr.ErrUnknownVariable, name)
}

func (c *checker) param(scope, name string, tr *trace) (expr.Value, error) {
	params := c.pkg.Parameters
	if scope == "$Project" {
		if c.project == nil {
			return expr.Value{}, &skipError{SkipNotInFiles, scope + "::" + name + " (no project loaded with the package)"}
		}
		params = c.project.Parameters
	}
	for _, p := range params {
		if p.Name != name {
			continue
		}
		if p.Sensitive {
			tr.sensitive = true
		}
		if p.Encrypted && !p.Decrypted || p.Sensitive && p.Value == "" {
			return expr.Value{}, &skipError{SkipNotInFiles, scope + "::" + name + " is encrypted or not saved"}
		}
		return expr.FromDataType(p.DataType, p.Value)
	}
	return expr.Value{}, &skipError{SkipNotInFiles, scope + "::" + name + " is not a parameter of the files loaded"}
}

// systemValue returns the value of a System variable whose value is in the
// package file; the others are skipped.
func (c *checker) systemValue(name string) (expr.Value, error) {
	v, ok := c.system[name]
	switch {
	case !ok || !v.inFile:
		return expr.Value{}, &skipError{SkipRunTime, "System::" + name}
	case !v.persisted:
		return expr.Value{}, &skipError{SkipNotInFiles, "System::" + name + " is not persisted"}
	}
	return v.value, nil
}

// value returns the value of a variable read by an expression: its
// persisted value, or for an expression variable its evaluation, or its
// cached value when the files do not hold what it needs.
func (c *checker) value(v *dtsx.Variable, owner *dtsx.Executable, tr *trace) (expr.Value, error) {
	if !v.EvaluateAsExpression {
		return expr.FromDataType(v.DataType, v.Value)
	}
	st := c.evalVariable(v, owner)
	tr.add(st.tr)
	var se *skipError
	if errors.As(st.err, &se) {
		tr.standIn = true
		return expr.FromDataType(v.DataType, v.Value)
	}
	return st.val, st.err
}

// evalVariable evaluates an expression variable once, converted to its
// type.
func (c *checker) evalVariable(v *dtsx.Variable, owner *dtsx.Executable) *varState {
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
		st.val, st.err = c.eval(v.Expression, owner, &st.tr)
		if st.err == nil {
			st.val, st.err = st.val.ConvertTo(v.DataType)
		}
		st.busy, st.done = false, true
	}
	return st
}

// eval evaluates an expression held by exe.
func (c *checker) eval(src string, exe *dtsx.Executable, tr *trace) (expr.Value, error) {
	e, err := expr.Parse(src)
	if err != nil {
		return expr.Value{}, err
	}
	if e.ReadsClock() {
		return expr.Value{}, &skipError{kind: SkipClock}
	}
	return e.Eval(checkEnv{c: c, exe: exe, tr: tr})
}

var _ expr.Env = checkEnv{}
