package executesql

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// Diagnostic codes of the Execute SQL task.
const (
	CodeBadProperty     = "executesql-bad-property"
	CodeNoConnection    = "executesql-no-connection"
	CodeWrongConnection = "executesql-wrong-connection-type"
	CodeUnsupported     = "executesql-unsupported-provider"
	CodeNoStatement     = "executesql-no-statement"
	CodeBadSource       = "executesql-bad-statement-source"
	CodeBadParameter    = "executesql-bad-parameter"
	CodeBadResult       = "executesql-bad-result-binding"
	CodeNoVariable      = "executesql-variable-not-found"
	CodeNotSupported    = "executesql-not-supported"
)

// Task is an Execute SQL task.
type Task struct {
	tasks.Base
	Props Properties
}

// New is the Factory of the Execute SQL task. It reads the task's
// properties and bindings and does no I/O.
func New(def *dtsx.Executable) (tasks.Task, error) {
	t := &Task{Base: tasks.Base{Def: def, Kind: "Execute SQL", Canon: canon}}
	t.Props, t.Problems = ReadProperties(def)
	return t, nil
}

// canon turns a property name (as an expression, /Set or the XML gives
// it) into the task's run-time name.
func canon(name string) string {
	switch n := strings.ToLower(name); n {
	case "sqlstmtsourcetype":
		return "SqlStatementSourceType"
	case "resulttype":
		return "ResultSetType"
	case "isstoredproc":
		return "IsQueryStoredProcedure"
	default:
		for _, p := range propertyNames {
			if strings.EqualFold(p, n) {
				return p
			}
		}
		if strings.HasPrefix(n, "parameterbinding ") {
			return name
		}
	}
	return ""
}

var propertyNames = []string{"Connection", "SqlStatementSourceType", "SqlStatementSource", "TimeOut", "ResultSetType",
	"IsQueryStoredProcedure", "BypassPrepare", "CodePage", "TypeConversionMode"}

// SetProperty sets a property at run time (Properties.Set); a problem the
// persisted value had goes with it.
func (t *Task) SetProperty(name, value string) error { return t.SetWith(t.Props.Set, name, value) }

// target is what a task's connection resolves to, for validation.
type target struct {
	m      connections.Manager
	kind   database.Kind
	family database.Family
	prov   database.Provider
}

// resolve finds the task's connection manager and its provider. The
// provider is read from the manager's definition when the manager is not
// (yet) a database.Manager.
func resolve(env tasks.Env, ref string) (target, error) {
	m, err := env.Connection(ref)
	if err != nil {
		return target{}, err
	}
	var cfg *database.Config
	if dm, ok := m.(*database.Manager); ok {
		cfg = dm.Config()
	} else {
		d := m.Definition()
		cfg = database.ParseConfig(d.CreationName, d.ConnectionString)
	}
	return target{m: m, kind: cfg.Provider.Kind, family: cfg.Provider.Family, prov: cfg.Provider}, nil
}

// Validate checks, offline and without running anything, that the
// connection is a database connection manager of a supported provider,
// that there is a statement, that the parameter names follow the rules of
// the connection type and the result bindings those of the result set
// type, and that the bound variables are in scope. Properties set by
// property expressions are checked when the task runs.
func (t *Task) Validate(_ context.Context, env tasks.Env) dtsx.Diagnostics {
	v := t.Validation(CodeBadProperty)
	p := t.Props
	var tg target
	haveTarget := false
	switch ref := p.Connection; {
	case t.Expressed("Connection"):
	case strings.TrimSpace(ref) == "":
		v.Err(CodeNoConnection, "no connection manager is chosen (Connection is empty)",
			"choose an OLE DB, ADO.NET or ODBC connection manager in the task's Connection property")
	default:
		var err error
		tg, err = resolve(env, ref)
		var rerr *connections.ReferenceError
		switch {
		case errors.As(err, &rerr):
			v.Err(connections.CodeDanglingRef, fmt.Sprintf("Connection %s refers to no connection manager: %v", ref, err),
				"add the connection manager to the package or project, or choose an existing one")
		case err != nil:
			v.Err(connections.CodeDanglingRef, fmt.Sprintf("Connection %s: %v", ref, err), "choose an existing connection manager")
		case tg.kind == database.KindUnknown && otherDatabase(tg.m.Definition().CreationName):
			d := tg.m.Definition()
			v.Err(CodeUnsupported, fmt.Sprintf("Connection %s is connection manager %q of type %s, which dtsx cannot open", ref, d.Name, d.CreationName),
				"retarget the task to an OLE DB, ADO.NET or ODBC connection to SQL Server, PostgreSQL or SQLite (export Excel or SQL Server Compact data to SQLite), or disable the task")
		case tg.kind == database.KindUnknown:
			d := tg.m.Definition()
			v.Err(CodeWrongConnection, fmt.Sprintf("Connection %s is connection manager %q of type %q, not a database connection",
				ref, d.Name, d.CreationName), "choose an OLE DB, ADO.NET or ODBC connection manager")
		case tg.family == database.FamilyUnsupported:
			d := tg.m.Definition()
			v.Err(CodeUnsupported, fmt.Sprintf("connection manager %q uses provider %s, which has no driver here", d.Name, tg.prov),
				"retarget the connection to SQL Server, PostgreSQL or SQLite (--conn, /Conn or a configuration), or disable the task")
			haveTarget = true
		default:
			haveTarget = true
		}
	}
	t.validateStatement(v, env)
	if haveTarget {
		t.validateParameters(v, tg)
	}
	t.validateResults(v)
	t.validateVariables(v)
	return v.Diagnostics
}

func (t *Task) validateStatement(v *tasks.Validation, env tasks.Env) {
	p := t.Props
	if t.Expressed("SqlStatementSource") || t.Expressed("SqlStatementSourceType") {
		return
	}
	src := strings.TrimSpace(p.SqlStatementSource)
	switch p.SqlStatementSourceType {
	case DirectInput:
		if src == "" {
			v.Err(CodeNoStatement, "there is no SQL statement (SqlStatementSource is empty)",
				"write the statement in SQLStatement, or set SqlStatementSourceType to a file connection or variable")
		}
	case FileConnection:
		if src == "" {
			v.Err(CodeNoStatement, "SqlStatementSource names no file connection manager",
				"choose the File connection manager that holds the statement")
			return
		}
		m, err := env.Connection(src)
		if err != nil {
			v.Err(CodeBadSource, fmt.Sprintf("SqlStatementSource %s: %v", src, err), "choose an existing File connection manager")
			return
		}
		if _, ok := m.(*file.Manager); !ok && !strings.EqualFold(m.Definition().CreationName, "FILE") {
			v.Err(CodeBadSource, fmt.Sprintf("SqlStatementSource %s is connection manager %q of type %q, not a File connection",
				src, m.Definition().Name, m.Definition().CreationName), "choose a File connection manager")
		}
	case Variable:
		if src == "" {
			v.Err(CodeNoStatement, "SqlStatementSource names no variable", "choose the variable that holds the statement")
			return
		}
		if !inScope(t.Def, src) {
			v.Warn(CodeNoVariable, fmt.Sprintf("the statement's variable %s is not in the task's scope", src),
				"create the variable in the task's scope (a parent package's variable is found only when the package runs)")
		}
	}
}

// otherDatabase reports whether a connection type is one the Execute SQL
// task takes in SSIS (Excel, ADO, SQL Server Compact) but dtsx has no
// driver for.
func otherDatabase(creationName string) bool {
	switch strings.ToUpper(strings.TrimSpace(creationName)) {
	case "EXCEL", "ADO", "SQLMOBILE":
		return true
	}
	return false
}

// ordinal reads a parameter or result name that is a number.
func ordinal(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n >= 0
}

// validateParameters checks the parameter names as "Parameters and Return
// Codes in the Execute SQL Task" gives them per connection type, and the
// directions each driver supports.
func (t *Task) validateParameters(v *tasks.Validation, tg target) {
	p := t.Props
	seen := map[string]bool{}
	returns := 0
	for i, b := range p.Parameters {
		what := fmt.Sprintf("parameter mapping %d (%q, variable %s)", i+1, b.Name, b.Variable)
		name := strings.TrimSpace(b.Name)
		if name == "" {
			v.Err(CodeBadParameter, what+" has no parameter name", namingHint(tg.kind))
			continue
		}
		if seen[strings.ToLower(name)] {
			v.Err(CodeBadParameter, what+" repeats a parameter name", "give each parameter mapping its own name")
		}
		seen[strings.ToLower(name)] = true
		n, isOrd := ordinal(name)
		switch tg.kind {
		case database.KindODBC:
			if !isOrd || n == 0 {
				v.Err(CodeBadParameter, what+": ODBC parameters are named 1, 2, 3, … by the position of their ? markers", namingHint(tg.kind))
			}
		case database.KindADONET:
			if isOrd {
				v.Err(CodeBadParameter, what+": ADO.NET parameters are named as their @name markers in the statement", namingHint(tg.kind))
			}
		}
		// OLE DB names its parameters 0, 1, 2, …; a mapping named otherwise
		// (a stored procedure's parameter names) is bound by its position
		// in the mapping, as the ? markers are.
		if _, ok := LookupParamType(tg.kind, b.DataType); !ok {
			v.Warn(CodeBadParameter, fmt.Sprintf("%s has data type %d, which is not a %s type code: the variable's value is passed as it is",
				what, b.DataType, tg.kind), "choose the parameter's data type in the task's Parameter Mapping")
		}
		if b.Direction == ReturnValue {
			returns++
		}
		if b.Direction != Input && tg.family != database.FamilySQLServer && tg.family != database.FamilyUnsupported {
			v.Err(CodeNotSupported, fmt.Sprintf("%s is an %s parameter, which dtsx supports on SQL Server only, not on %s",
				what, b.Direction, tg.family), "return the value in a result set (SELECT …, RETURNING …) bound with ResultSetType_SingleRow")
		}
	}
	if returns > 1 {
		v.Err(CodeBadParameter, fmt.Sprintf("%d parameter mappings are ReturnValue", returns), "keep one ReturnValue parameter: a procedure has one return code")
	}
	if p.IsQueryStoredProcedure && tg.family == database.FamilySQLite {
		v.Err(CodeNotSupported, "IsQueryStoredProcedure is True, but SQLite has no stored procedures", "write the statement itself and set IsQueryStoredProcedure to False")
	}
	if p.SqlStatementSourceType != DirectInput || t.Expressed("SqlStatementSource") || tg.family == database.FamilyUnsupported {
		return
	}
	// Every ? marker of the statement needs its mapping.
	if tg.kind != database.KindADONET && !p.IsQueryStoredProcedure {
		_, markers := Rewrite(transactSQL(p.SqlStatementSource), tg.family, false, nil)
		first := 0
		if tg.kind == database.KindODBC {
			first = 1
		}
		for _, m := range markers {
			if _, err := bindingFor(p.Parameters, m.Ordinal, first); err != nil {
				v.Err(CodeBadParameter, fmt.Sprintf("the statement's ? marker %d has no parameter mapping named %d", m.Ordinal+1, m.Ordinal+first),
					fmt.Sprintf("map a variable to parameter %d in the task's Parameter Mapping", m.Ordinal+first))
				break
			}
		}
	}
}

func namingHint(k database.Kind) string {
	switch k {
	case database.KindODBC:
		return "name ODBC parameters 1, 2, 3, … in the order of the ? markers"
	case database.KindADONET:
		return "use @name markers in the statement and the same @name as the parameter name"
	}
	return "name OLE DB parameters 0, 1, 2, … in the order of the ? markers"
}

// bindingFor returns the parameter mapping of the ord-th ? marker (from
// 0): the one named ord+first, else (when no mapping is named by a number)
// the ord-th mapping.
func bindingFor(ps []Parameter, ord, first int) (Parameter, error) {
	numbered := false
	for _, b := range ps {
		if n, ok := ordinal(b.Name); ok {
			numbered = true
			if n == ord+first {
				return b, nil
			}
		}
	}
	if !numbered && ord < len(ps) {
		return ps[ord], nil
	}
	return Parameter{}, fmt.Errorf("the statement's ? marker %d has no parameter mapping named %d", ord+1, ord+first)
}

// validateResults checks the result bindings as "Result Sets in the
// Execute SQL Task" gives them: a full result set and XML bind one
// variable to the result name 0; a single row binds columns by name or
// ordinal.
func (t *Task) validateResults(v *tasks.Validation) {
	p := t.Props
	if t.Expressed("ResultSetType") {
		return
	}
	switch p.ResultSetType {
	case ResultNone:
		if len(p.Results) > 0 {
			v.Warn(CodeBadResult, fmt.Sprintf("ResultSetType is None, so its %d result bindings are not used", len(p.Results)),
				"set ResultSetType to the result the statement returns, or remove the result bindings")
		}
	case ResultFull, ResultXML:
		if len(p.Results) > 1 {
			v.Err(CodeBadResult, fmt.Sprintf("a %s result has one result binding, this task has %d", p.ResultSetType, len(p.Results)),
				"keep one result binding, named 0")
		}
		for _, r := range p.Results {
			if strings.TrimSpace(r.Name) != "0" {
				v.Err(CodeBadResult, fmt.Sprintf("result name %q of a %s result must be 0", r.Name, p.ResultSetType),
					"name the result binding 0 (Result Sets in the Execute SQL Task)")
			}
		}
	case ResultSingleRow:
		seen := map[string]bool{}
		for _, r := range p.Results {
			n := strings.ToLower(strings.TrimSpace(r.Name))
			switch {
			case n == "":
				v.Err(CodeBadResult, fmt.Sprintf("a result binding of variable %s has no result name", r.Variable),
					"name the column (or its ordinal, from 0) the variable takes")
			case seen[n]:
				v.Err(CodeBadResult, fmt.Sprintf("result name %q is bound twice", r.Name), "bind each column once")
			}
			seen[n] = true
		}
	}
}

// validateVariables checks that the bound variables exist in the task's
// scope. A variable that is not found is a warning: a parent package's
// variables are found only when the package runs.
func (t *Task) validateVariables(v *tasks.Validation) {
	check := func(role, name string) {
		if strings.TrimSpace(name) == "" {
			v.Err(CodeNoVariable, role+" binds no variable", "choose the variable in the task's mapping")
			return
		}
		if !inScope(t.Def, name) {
			v.Warn(CodeNoVariable, fmt.Sprintf("%s binds variable %s, which is not in the task's scope", role, name),
				"create the variable in the task's scope (a parent package's variable is found only when the package runs)")
		}
	}
	for _, b := range t.Props.Parameters {
		check(fmt.Sprintf("parameter %q", b.Name), b.Variable)
	}
	if t.Props.ResultSetType != ResultNone {
		for _, r := range t.Props.Results {
			check(fmt.Sprintf("result %q", r.Name), r.Variable)
			if t.Expressed("ResultSetType") {
				continue
			}
			vr, _ := lookup(t.Def, r.Variable)
			switch {
			case vr == nil:
			case t.Props.ResultSetType == ResultFull && vr.DataType != dtsx.TypeObject:
				v.Err(CodeBadResult, fmt.Sprintf("a full result set goes into an Object variable; %s is a %s", r.Variable, vr.DataType),
					"change the variable's type to Object (Result Sets in the Execute SQL Task)")
			case t.Props.ResultSetType == ResultXML && vr.DataType != dtsx.TypeObject && vr.DataType != dtsx.TypeString:
				v.Err(CodeBadResult, fmt.Sprintf("an XML result goes into a String or Object variable; %s is a %s", r.Variable, vr.DataType),
					"change the variable's type to String (Result Sets in the Execute SQL Task)")
			}
		}
	}
}

// inScope reports whether name ("User::X", "X", "System::Y",
// "$Package::P") is a variable of the task or of a container holding it.
// System variables and parameters are taken as found.
func inScope(x *dtsx.Executable, name string) bool {
	v, found := lookup(x, name)
	return found || v != nil
}

// lookup returns the variable name names in x's scope, the nearest
// first; found without a variable is a system variable or a parameter,
// which are taken as found.
func lookup(x *dtsx.Executable, name string) (v *dtsx.Variable, found bool) {
	name = strings.Trim(strings.TrimSpace(name), "@[]")
	ns, local, qualified := strings.Cut(name, "::")
	if !qualified {
		ns, local = "", name
	}
	if strings.EqualFold(ns, "System") || strings.HasPrefix(name, "$") {
		return nil, true
	}
	for e := x; e != nil; e = e.Parent {
		for _, v := range e.Variables {
			if strings.EqualFold(v.Name, local) && (ns == "" || strings.EqualFold(v.Namespace, ns)) {
				return v, true
			}
		}
	}
	return nil, false
}

var _ tasks.Configurable = (*Task)(nil)
