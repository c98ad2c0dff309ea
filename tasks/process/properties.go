package process

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// MaxTimeOut is the largest TimeOut SSIS accepts, in seconds:
// (2^31 - 1) / 1000 (DTS_E_EXECPROCTASK_INVALIDTIMEOUT).
const MaxTimeOut = 2147483

// Properties are the persisted properties of an Execute Process task, named
// as the runtime (and property expressions) name them.
type Properties struct {
	// Executable is the program: a path (C:\Tools\x.exe, mapped by
	// LocalPath) or a bare name looked up in WorkingDirectory, then PATH.
	Executable string
	// Arguments is the command line after the program, split by
	// SplitCommandLine.
	Arguments        string
	WorkingDirectory string
	// RequireFullFileName is read and kept; the lookup is the same either
	// way (see Task.Execute).
	RequireFullFileName bool
	// The variables fed to standard input and receiving standard output
	// and standard error; "" for none.
	StandardInputVariable  string
	StandardOutputVariable string
	StandardErrorVariable  string
	// FailTaskIfReturnCodeIsNotSuccessValue (default True) fails the task
	// when the exit code is not SuccessValue (default 0).
	FailTaskIfReturnCodeIsNotSuccessValue bool
	SuccessValue                          int
	// TimeOut is in seconds; 0 means none.
	TimeOut int
	// TerminateProcessAfterTimeOut (XML TerminateAfterTimeout, default
	// True) kills the process when the time-out expires; otherwise the task
	// fails and the process is left running.
	TerminateProcessAfterTimeOut bool
	// WindowStyle (Normal, Hidden, Minimized, Maximized) has no meaning
	// here and is ignored.
	WindowStyle string
}

// props describes every property: its runtime name, the names it can also
// be set by (XML, editor), and how to set it.
var props = []struct {
	name    string
	aliases []string
	set     func(p *Properties, v string) error
}{
	{"Executable", nil, func(p *Properties, v string) error { p.Executable = v; return nil }},
	{"Arguments", nil, func(p *Properties, v string) error { p.Arguments = v; return nil }},
	{"WorkingDirectory", nil, func(p *Properties, v string) error { p.WorkingDirectory = v; return nil }},
	{"RequireFullFileName", nil, boolSetter(func(p *Properties) *bool { return &p.RequireFullFileName })},
	{"StandardInputVariable", nil, func(p *Properties, v string) error { p.StandardInputVariable = v; return nil }},
	{"StandardOutputVariable", nil, func(p *Properties, v string) error { p.StandardOutputVariable = v; return nil }},
	{"StandardErrorVariable", nil, func(p *Properties, v string) error { p.StandardErrorVariable = v; return nil }},
	{"FailTaskIfReturnCodeIsNotSuccessValue", nil, boolSetter(func(p *Properties) *bool { return &p.FailTaskIfReturnCodeIsNotSuccessValue })},
	{"SuccessValue", nil, func(p *Properties, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < -1<<31 || n > 1<<31-1 {
			return errors.New("use a whole number")
		}
		p.SuccessValue = n
		return nil
	}},
	{"TimeOut", nil, func(p *Properties, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if strings.TrimSpace(v) == "" {
			n, err = 0, nil
		}
		if err != nil || n < 0 || n > MaxTimeOut {
			return fmt.Errorf("use a number of seconds from 0 (none) to %d", MaxTimeOut)
		}
		p.TimeOut = n
		return nil
	}},
	{"TerminateProcessAfterTimeOut", []string{"TerminateAfterTimeout"}, boolSetter(func(p *Properties) *bool { return &p.TerminateProcessAfterTimeOut })},
	{"WindowStyle", nil, func(p *Properties, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "", "normal", "hidden", "minimized", "maximized", "0", "1", "2", "3":
			p.WindowStyle = v
			return nil
		}
		return errors.New("use Normal, Hidden, Minimized or Maximized")
	}},
}

func boolSetter(field func(*Properties) *bool) func(*Properties, string) error {
	return func(p *Properties, v string) error {
		b, ok := dtsx.ParseBool(v)
		if !ok {
			return errors.New("use True or False")
		}
		*field(p) = b
		return nil
	}
}

// Canonical returns the runtime name of a property given by any of its
// names, or "" for a name the task does not have.
func Canonical(name string) string {
	name = strings.TrimSpace(name)
	for _, d := range props {
		if strings.EqualFold(name, d.name) {
			return d.name
		}
		for _, a := range d.aliases {
			if strings.EqualFold(name, a) {
				return d.name
			}
		}
	}
	return ""
}

// Set sets a property by its runtime name or XML name. An unknown name
// gives an error matching tasks.ErrUnknownProperty; on error nothing
// changes.
func (p *Properties) Set(name, value string) error {
	c := Canonical(name)
	for _, d := range props {
		if d.name == c {
			if err := d.set(p, value); err != nil {
				return fmt.Errorf("%s %q: %w", c, value, err)
			}
			return nil
		}
	}
	return fmt.Errorf("%w %q", tasks.ErrUnknownProperty, name)
}

// Defaults returns the properties of a new Execute Process task.
func Defaults() Properties {
	return Properties{RequireFullFileName: true, FailTaskIfReturnCodeIsNotSuccessValue: true,
		TerminateProcessAfterTimeOut: true, WindowStyle: "Normal"}
}

// ReadProperties reads a task's ExecuteProcessData. Omitted properties keep
// their defaults; values that cannot be read are reported and left at
// their defaults.
func ReadProperties(def *dtsx.Executable) (Properties, []tasks.Problem) {
	p := Defaults()
	r := &tasks.Reader{Def: def}
	for _, d := range props {
		v, ok := tasks.ObjectDataAttr(def, append([]string{d.name}, d.aliases...)...)
		if !ok {
			continue
		}
		if err := d.set(&p, v); err != nil {
			r.Problem(d.name, v, "cannot be read", err.Error())
		}
	}
	return p, r.Problems
}
