// Package executepackage reads and validates the Execute Package Task: the
// child package it names (a package of the project, or the file of a FILE
// connection manager) and its parameter bindings. The runtime runs the
// child, since running a package is the runtime's own business.
package executepackage

import (
	"context"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// Diagnostic codes of the Execute Package Task.
const (
	CodeNoChild      = "executepackage-no-child"
	CodeBadReference = "executepackage-bad-connection"
)

// Binding gives a child parameter the value of a parent variable or
// parameter.
type Binding struct {
	Parameter string // the child's parameter name
	From      string // the parent's variable or parameter, "User::X" or "$Package::P"
}

// Spec is what the task says to run.
type Spec struct {
	// ProjectReference is true when the child is a package of the project,
	// named by PackageName; otherwise Connection names a FILE connection
	// manager holding its path.
	ProjectReference bool
	PackageName      string
	Connection       string
	// OutOfProcess is ExecuteOutOfProcess, which changes nothing here.
	OutOfProcess bool
	Bindings     []Binding
}

// Read reads a task's ExecutePackageTask element: child elements in
// format 8 (UseProjectReference, PackageName, Connection,
// ParameterAssignment), attributes or DTS:Property elements in older ones.
func Read(x *dtsx.Executable) (Spec, error) {
	var spec Spec
	var data *etree.Element
	for _, c := range x.Element.ChildElements() {
		if c.Tag == "ObjectData" {
			data = c.FindElement(".//ExecutePackageTask")
		}
	}
	if data == nil {
		return spec, fmt.Errorf("it has no ExecutePackageTask data")
	}
	get := func(name string) string {
		if e := data.SelectElement(name); e != nil {
			return strings.TrimSpace(e.Text())
		}
		o := dtsx.Object{Element: data}
		v, _ := o.Property(name)
		return strings.TrimSpace(v)
	}
	isTrue := func(s string) bool { return strings.EqualFold(s, "True") || s == "-1" || s == "1" }
	spec.ProjectReference = isTrue(get("UseProjectReference"))
	spec.PackageName = get("PackageName")
	spec.Connection = get("Connection")
	spec.OutOfProcess = isTrue(get("ExecuteOutOfProcess"))
	for _, pa := range data.SelectElements("ParameterAssignment") {
		name, from := pa.SelectElement("ParameterName"), pa.SelectElement("BindedVariableOrParameterName")
		if name != nil && from != nil {
			spec.Bindings = append(spec.Bindings, Binding{strings.TrimSpace(name.Text()), strings.TrimSpace(from.Text())})
		}
	}
	return spec, nil
}

// Task is an Execute Package Task.
type Task struct {
	Def  *dtsx.Executable
	Spec Spec
	err  error
}

// New is the Factory of the Execute Package Task.
func New(def *dtsx.Executable) (tasks.Task, error) {
	spec, err := Read(def)
	return &Task{Def: def, Spec: spec, err: err}, nil
}

// Validate checks that the task names a child: a project package by name,
// or a FILE connection manager that resolves.
func (t *Task) Validate(_ context.Context, env tasks.Env) dtsx.Diagnostics {
	bad := func(code, msg, hint string) dtsx.Diagnostics {
		return dtsx.Diagnostics{{Severity: dtsx.SeverityError, Code: code, Path: t.Def.RefID,
			Message: fmt.Sprintf("Execute Package Task %q: %s", t.Def.Name, msg), Hint: hint}}
	}
	switch {
	case t.err != nil:
		return bad(CodeNoChild, t.err.Error(), "choose the package to run in the task's editor")
	case t.Spec.ProjectReference && t.Spec.PackageName == "":
		return bad(CodeNoChild, "it refers to a project package but names none", "set PackageName")
	case t.Spec.ProjectReference:
		return nil
	case t.Spec.Connection == "":
		return bad(CodeNoChild, "it names neither a project package nor a file connection manager", "set PackageName or Connection")
	}
	m, err := env.Connection(t.Spec.Connection)
	if err != nil {
		return bad(CodeBadReference, fmt.Sprintf("connection %s: %v", t.Spec.Connection, err), "choose an existing FILE connection manager")
	}
	if _, ok := m.(*file.Manager); !ok {
		return bad(CodeBadReference, fmt.Sprintf("connection manager %q is of type %s, not FILE", m.Definition().Name, m.Definition().CreationName),
			"choose a FILE connection manager that points at the child package")
	}
	return nil
}

var _ tasks.Task = (*Task)(nil)
