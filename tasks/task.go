package tasks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/registry"
)

// Diagnostic codes of this package.
const (
	CodeUnknownType   = "unknown-executable-type"
	CodeNotExecutable = "task-not-executable"
)

// Task is an executable of a package built from its persisted definition.
type Task interface {
	// Validate checks the task against its package without doing I/O.
	Validate(ctx context.Context, env Env) dtsx.Diagnostics
}

// Env is what a task may ask of the runtime that holds it.
type Env interface {
	// Connection resolves a connection manager reference (a DTSID or a
	// name) in the package's Connections collection.
	Connection(ref string) (connections.Manager, error)
}

// Factory builds a Task from its definition. It does no I/O.
type Factory func(def *dtsx.Executable) (Task, error)

// ErrUnknownType is matched by the error for an ExecutableType no factory is
// registered for.
var ErrUnknownType = registry.ErrUnknownType

// UnknownTypeError names the unknown type and the known ones.
type UnknownTypeError = registry.UnknownTypeError

// Registry maps ExecutableTypes to factories. Keys are case-insensitive; an
// assembly-qualified name (formats 2, 3 and 6:
// "Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask, Microsoft.SqlServer.SendMailTask, Version=9.0.242.0, ...")
// is also looked up by its type name alone, so one alias covers every
// version.
type Registry struct{ r *registry.Registry[Factory] }

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{r: registry.New[Factory]("task", func(name string) []string {
		if i := strings.IndexByte(name, ','); i > 0 {
			return []string{name[:i]}
		}
		return nil
	})}
}

// Register adds a factory for an ExecutableType and its aliases. It panics
// on an empty or duplicate name.
func (r *Registry) Register(executableType string, f Factory, aliases ...string) {
	r.r.Register(executableType, f, aliases...)
}

// Names returns the registered canonical ExecutableTypes.
func (r *Registry) Names() []string { return r.r.Names() }

// Canonical returns the canonical name an ExecutableType is registered as.
func (r *Registry) Canonical(executableType string) (string, error) {
	_, c, err := r.r.Lookup(executableType)
	return c, err
}

// New builds the task for def through the factory of its type.
func (r *Registry) New(def *dtsx.Executable) (Task, error) {
	f, _, err := r.r.Lookup(def.Type())
	if err != nil {
		return nil, err
	}
	return f(def)
}

// Generic is a stock task or container this runtime recognises but does not
// execute yet; validating it says so.
type Generic struct {
	Def  *dtsx.Executable
	Kind string // the canonical type name
}

// NewGeneric returns the Factory of a Generic task of the given kind.
func NewGeneric(kind string) Factory {
	return func(def *dtsx.Executable) (Task, error) { return &Generic{Def: def, Kind: kind}, nil }
}

// Validate reports that the task cannot run here.
func (g *Generic) Validate(context.Context, Env) dtsx.Diagnostics {
	return dtsx.Diagnostics{{Severity: dtsx.SeverityWarning, Code: CodeNotExecutable, Path: g.Def.RefID,
		Message: fmt.Sprintf("task %q is a %s, which dtsx does not execute yet", g.Def.Name, g.Kind),
		Hint:    "disable the task, or run the package with the unsupported tasks skipped"}}
}

// Container is a Sequence, For Loop or Foreach Loop container: it has
// nothing of its own to validate; its children are validated one by one.
type Container struct {
	Def  *dtsx.Executable
	Kind string
}

// Validate reports nothing of its own.
func (c *Container) Validate(context.Context, Env) dtsx.Diagnostics { return nil }

var (
	_ Task = (*Generic)(nil)
	_ Task = (*Container)(nil)
)

// Configurable is a Task whose properties change at run time: the runtime
// sets the values of property expressions (and of /Set and configurations)
// before the task is validated and before each execution. A property the
// task does not know gives an error matching ErrUnknownProperty, so the
// runtime can set it on the executable itself (Description, Disabled, ...).
// Properties describes the properties SetProperty takes, as the task's
// ObjectData persists them; it is the same for every task of the type.
type Configurable interface {
	Task
	SetProperty(name, value string) error
	Properties() []dtsx.Property
}

// Expressed reports whether a property expression of def sets prop; canon,
// when not nil, turns an expression's property name into the task's own
// name for it, else names compare without regard to case.
func Expressed(def *dtsx.Executable, prop string, canon func(string) string) bool {
	for _, e := range def.Expressions {
		if (canon != nil && canon(e.Name) == prop) || (canon == nil && strings.EqualFold(e.Name, prop)) {
			return true
		}
	}
	return false
}

// ErrUnknownProperty is matched by a Configurable's error for a property it
// does not have.
var ErrUnknownProperty = errors.New("tasks: unknown property")

// Executor is the capability of a task that runs here. Tasks without it
// (Generic ones) are reported as not executable when a package runs.
type Executor interface {
	Execute(ctx context.Context, env RunEnv) error
}

// RunEnv is what a running task may ask of the runtime: connections,
// variables in its scope, and a way to report.
type RunEnv interface {
	Env
	// Variable returns the value of a variable or parameter in scope, by
	// qualified name ("User::Body", "System::ErrorDescription",
	// "$Package::P") or by a name that is not ambiguous; an expression
	// variable is evaluated.
	Variable(name string) (expr.Value, error)
	// SetVariable changes a variable in scope, converting the value to the
	// variable's type; read-only variables and parameters refuse.
	SetVariable(name string, v expr.Value) error
	// Eval evaluates an expression in the task's scope.
	Eval(src string) (expr.Value, error)
	// Info raises OnInformation and Warn raises OnWarning, from the task.
	Info(msg string)
	Warn(msg string)
	// Progress raises OnProgress: how far the task is, in percent, and
	// what it is doing.
	Progress(percent int, msg string)
	// LocalPath turns a path the package names (C:\Data\x.csv, a UNC
	// path, a relative path) into a path of this machine.
	LocalPath(p string) string
	// Record adds a result of the task (a mail sent, say) to the report.
	Record(r Record)
}

// CustomLogger is implemented by a RunEnv that takes a task's custom log
// entries (SSIS's task-specific log events, such as the Data Flow task's
// OnPipelineRowsSent): the entry's name and its text. The runtime routes
// them as events of that name to the log and to the console's reporting.
type CustomLogger interface {
	LogEntry(name, msg string)
}

// Record is a result of a task that a report lists.
type Record struct {
	Kind string         // "mail", "data-flow"
	Data map[string]any // stable JSON fields
}
