package process

import (
	"context"
	"errors"
	"fmt"
	"path"
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
	tasks.Base
	Props Properties
	// ExecValueVariable is the variable the task host stores the task's
	// execution value in (the exit code), or "".
	ExecValueVariable string
}

// New is the Factory of the Execute Process task.
func New(def *dtsx.Executable) (tasks.Task, error) {
	t := &Task{Base: tasks.Base{Def: def, Kind: "Execute Process", Canon: Canonical}}
	t.Props, t.Problems = ReadProperties(def)
	t.ExecValueVariable, _ = def.Property("ExecValueVariable")
	return t, nil
}

// SetProperty sets a property at run time (Properties.Set); a problem the
// persisted value had goes with it.
func (t *Task) SetProperty(name, value string) error { return t.SetWith(t.Props.Set, name, value) }

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
	v := t.Validation(CodeBadProperty)
	p := t.Props
	if !t.Expressed("Executable") {
		if strings.TrimSpace(p.Executable) == "" {
			v.Err(CodeNoExecutable, "the executable is not specified", "set Executable to the program to run")
		} else if why := windowsOnly(p.Executable); why != "" {
			v.Err(CodeWindowsOnly, fmt.Sprintf("Executable %s cannot run here: %s", p.Executable, why), windowsOnlyHint)
		}
	}
	if err := t.redirectConflict(); err != nil {
		v.Err(CodeCantRedirect, err.Error(), "set TerminateProcessAfterTimeOut to True, or clear the standard input, output and error variables")
	}
	return v.Diagnostics
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
