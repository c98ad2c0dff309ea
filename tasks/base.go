package tasks

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Base is what the tasks built from persisted properties share: the
// definition, the kind their messages name, how property names compare,
// and the Problems of the persisted values. A task embeds it and adds its
// properties and what it does.
type Base struct {
	Def *dtsx.Executable
	// Kind begins the task's messages: "File System" gives
	// `File System task "Copy it": ...`.
	Kind string
	// Canon turns a property name into the task's runtime name for it, ""
	// for a name it does not have; nil compares names without regard to
	// case.
	Canon func(string) string
	// Problems are the persisted values the task cannot use.
	Problems []Problem
}

// is reports whether name (as a property expression or /Set gives it)
// names prop, a runtime name.
func (b *Base) is(name, prop string) bool {
	if b.Canon != nil {
		return b.Canon(name) == prop
	}
	return strings.EqualFold(name, prop)
}

// Expressed reports whether a property expression of the task sets prop,
// a runtime name.
func (b *Base) Expressed(prop string) bool { return Expressed(b.Def, prop, b.Canon) }

// Errorf returns an error whose message begins with the task's kind and
// name; %w wraps as in fmt.Errorf.
func (b *Base) Errorf(format string, a ...any) error {
	return fmt.Errorf("%s task %q: "+format, append([]any{b.Kind, b.Def.Name}, a...)...)
}

// SetWith sets a property at run time with set, the setter of the task's
// properties. An error matching ErrUnknownProperty is returned as it is,
// so that the runtime sets the property on the executable; another names
// the task. Once set, the property's persisted problem is gone.
func (b *Base) SetWith(set func(name, value string) error, name, value string) error {
	if err := set(name, value); err != nil {
		if errors.Is(err, ErrUnknownProperty) {
			return err
		}
		return b.Errorf("%w", err)
	}
	b.Problems = slices.DeleteFunc(slices.Clone(b.Problems), func(p Problem) bool { return b.is(name, p.Property) })
	return nil
}

// ProblemError returns the first of the task's Problems as an error, or
// nil when it has none; a task with a problem does not run.
func (b *Base) ProblemError() error {
	if len(b.Problems) == 0 {
		return nil
	}
	return b.Problems[0]
}

// Diagnostic returns a diagnostic of the task, at its path, whose message
// begins with the task's kind and name.
func (b *Base) Diagnostic(sev dtsx.Severity, code, msg, hint string) dtsx.Diagnostic {
	return dtsx.Diagnostic{Severity: sev, Code: code, Path: b.Def.RefID,
		Message: fmt.Sprintf("%s task %q: %s", b.Kind, b.Def.Name, msg), Hint: hint}
}

// Validation starts validating the task: it holds an error of code
// badProperty for each of the task's Problems whose property no property
// expression sets (that value is checked when the task runs).
func (b *Base) Validation(badProperty string) *Validation {
	v := &Validation{b: b}
	for _, p := range b.Problems {
		if !b.Expressed(p.Property) {
			v.Err(badProperty, p.String(), p.Hint)
		}
	}
	return v
}

// Validation collects the diagnostics of validating a task.
type Validation struct {
	b           *Base
	Diagnostics dtsx.Diagnostics
}

// Err adds an error of the task.
func (v *Validation) Err(code, msg, hint string) {
	v.Diagnostics = append(v.Diagnostics, v.b.Diagnostic(dtsx.SeverityError, code, msg, hint))
}

// Warn adds a warning of the task.
func (v *Validation) Warn(code, msg, hint string) {
	v.Diagnostics = append(v.Diagnostics, v.b.Diagnostic(dtsx.SeverityWarning, code, msg, hint))
}
