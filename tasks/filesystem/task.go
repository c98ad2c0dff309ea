package filesystem

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// Diagnostic codes of the File System Task.
const (
	CodeBadProperty      = "filesystem-bad-property"
	CodeNoSource         = "filesystem-no-source"
	CodeNoDestination    = "filesystem-no-destination"
	CodeWrongConnection  = "filesystem-wrong-connection-type"
	CodeAttributeIgnored = "filesystem-attribute-ignored"
)

// Task is a File System Task.
type Task struct {
	tasks.Base
	Props Properties
}

// New is the Factory of the File System Task.
func New(def *dtsx.Executable) (tasks.Task, error) {
	t := &Task{Base: tasks.Base{Def: def, Kind: "File System", Canon: Canonical}}
	t.Props, t.Problems = ReadProperties(def)
	return t, nil
}

// SetProperty sets a property at run time (Properties.Set); a problem the
// persisted value had goes with it.
func (t *Task) SetProperty(name, value string) error { return t.SetWith(t.Props.Set, name, value) }

// Validate checks, without touching the file system, that the properties
// can be read, that the operation has its source (and destination), and
// that the connection managers it names exist and are file connection
// managers. Variables are checked when the task runs; so are the
// properties property expressions set.
func (t *Task) Validate(_ context.Context, env tasks.Env) dtsx.Diagnostics {
	v := t.Validation(CodeBadProperty)
	p := t.Props
	op := p.Operation
	opByExpr := t.Expressed("Operation")
	check := func(role, prop, ref string, isVar bool, code string) {
		if t.Expressed(prop) {
			return
		}
		if strings.TrimSpace(ref) == "" {
			what := "connection manager"
			if isVar {
				what = "variable"
			}
			v.Err(code, fmt.Sprintf("%s property of operation %s is not set (no %s %s)", prop, op, role, what),
				fmt.Sprintf("choose the %s file connection manager or variable (Is%sPathVariable) of the task", role, prop))
			return
		}
		if isVar {
			return
		}
		m, err := env.Connection(ref)
		var rerr *connections.ReferenceError
		switch {
		case errors.As(err, &rerr):
			v.Err(connections.CodeDanglingRef,
				fmt.Sprintf("%s %s of operation %s refers to no connection manager: %v", prop, ref, op, err),
				"add the file connection manager to the package or project, or set Is"+prop+"PathVariable to True if "+ref+" is a variable")
		case err != nil:
			v.Err(connections.CodeDanglingRef, fmt.Sprintf("%s %s: %v", prop, ref, err), "choose an existing file connection manager")
		default:
			if _, ok := m.(*file.Manager); !ok {
				d := m.Definition()
				v.Err(CodeWrongConnection,
					fmt.Sprintf("%s %s is connection manager %q of type %q, not a file connection manager", prop, ref, d.Name, d.CreationName),
					"choose a FILE connection manager, or a variable holding the path")
			}
		}
	}
	check("source", "Source", p.Source, p.IsSourcePathVariable, CodeNoSource)
	if op.NeedsDestination() && !opByExpr {
		check("destination", "Destination", p.Destination, p.IsDestinationPathVariable, CodeNoDestination)
	}
	if op == SetAttributes && !opByExpr && !t.Expressed("Attributes") {
		if ignored := p.Attributes &^ ReadOnly; ignored != Normal {
			v.Warn(CodeAttributeIgnored,
				fmt.Sprintf("attributes %s have no Linux equivalent and are not set; only ReadOnly (the write permission) is", ignored),
				"nothing to do unless the package relies on hidden or system files")
		}
	}
	return v.Diagnostics
}

var (
	_ tasks.Configurable = (*Task)(nil)
	_ tasks.Executor     = (*Task)(nil)
)
