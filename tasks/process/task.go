package process

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// Diagnostic codes of the Execute Process task.
const (
	CodeBadProperty  = "process-bad-property"
	CodeNoExecutable = "process-no-executable"
	CodeWindowsOnly  = "process-windows-only"
	CodeCantRedirect = "process-cannot-redirect"
)

// ErrWindowsOnly is matched by the error for an executable that only
// Windows can run: cmd.exe and batch files.
var ErrWindowsOnly = errors.New("process: the executable runs only on Windows")

// Task is an Execute Process task.
type Task struct {
	Def   *dtsx.Executable
	Props Properties
	// ExecValueVariable is the variable the task host stores the task's
	// execution value in (the exit code), or "".
	ExecValueVariable string
	probs             []Problem
}

// New is the Factory of the Execute Process task.
func New(def *dtsx.Executable) (tasks.Task, error) {
	t := &Task{Def: def}
	t.Props, t.probs = ReadProperties(def)
	t.ExecValueVariable, _ = def.Property("ExecValueVariable")
	return t, nil
}

// SetProperty sets a property at run time (Properties.Set); a problem the
// persisted value had goes with it.
func (t *Task) SetProperty(name, value string) error {
	if err := t.Props.Set(name, value); err != nil {
		if errors.Is(err, tasks.ErrUnknownProperty) {
			return err
		}
		return fmt.Errorf("Execute Process task %q: %w", t.Def.Name, err)
	}
	t.probs = slices.DeleteFunc(slices.Clone(t.probs), func(p Problem) bool { return p.Property == Canonical(name) })
	return nil
}

func (t *Task) hasExpression(prop string) bool { return tasks.Expressed(t.Def, prop, Canonical) }

// windowsOnly returns why exe cannot run here, or "": cmd.exe and
// command.com interpret Windows batch commands, and .bat and .cmd files
// are batch files.
func windowsOnly(exe string) string {
	base := strings.ToLower(path.Base(strings.ReplaceAll(strings.Trim(strings.TrimSpace(exe), `"`), `\`, "/")))
	switch {
	case base == "cmd" || base == "cmd.exe" || base == "command.com":
		return base + " is the Windows command interpreter, which does not exist on Linux"
	case strings.HasSuffix(base, ".bat") || strings.HasSuffix(base, ".cmd"):
		return base + " is a Windows batch file, which needs cmd.exe"
	}
	return ""
}

const windowsOnlyHint = "run the program the batch file or the cmd.exe /c command line runs, directly, or a /bin/sh script doing the same " +
	"(set Executable and Arguments with /Set or a property expression)"

// Validate checks, without touching the file system, that there is an
// executable and that it is not one only Windows runs, that the
// properties can be read, and that output is not redirected from a process
// the task may leave running. The executable's existence is checked when
// the task runs.
func (t *Task) Validate(context.Context, tasks.Env) dtsx.Diagnostics {
	var out dtsx.Diagnostics
	add := func(code, msg, hint string) {
		out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: code, Path: t.Def.RefID,
			Message: fmt.Sprintf("Execute Process task %q: %s", t.Def.Name, msg), Hint: hint})
	}
	for _, p := range t.probs {
		if !t.hasExpression(p.Property) {
			add(CodeBadProperty, p.String(), p.Hint)
		}
	}
	p := t.Props
	if !t.hasExpression("Executable") {
		if strings.TrimSpace(p.Executable) == "" {
			add(CodeNoExecutable, "the executable is not specified", "set Executable to the program to run")
		} else if why := windowsOnly(p.Executable); why != "" {
			add(CodeWindowsOnly, fmt.Sprintf("Executable %s cannot run here: %s", p.Executable, why), windowsOnlyHint)
		}
	}
	if err := t.redirectConflict(); err != nil {
		add(CodeCantRedirect, err.Error(), "set TerminateProcessAfterTimeOut to True, or clear the standard input, output and error variables")
	}
	return out
}

// redirectConflict is DTS_E_EXECPROCTASK_CANTREDIRECTIO: streams cannot be
// redirected from a process that may outlive the task.
func (t *Task) redirectConflict() error {
	p := t.Props
	if p.TimeOut > 0 && !p.TerminateProcessAfterTimeOut &&
		(p.StandardInputVariable != "" || p.StandardOutputVariable != "" || p.StandardErrorVariable != "") {
		return errors.New("standard input, output or error variables are set, but a process that times out is left running " +
			"(TerminateProcessAfterTimeOut is False) and its streams cannot outlive the task")
	}
	return nil
}

var (
	_ tasks.Configurable = (*Task)(nil)
	_ tasks.Executor     = (*Task)(nil)
)
