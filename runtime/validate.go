package runtime

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// validate reports the validation events: OnPreValidate and OnPostValidate
// around the package and each executable in it (containers around their
// children, as SSIS does), with each problem found between them as OnError
// or OnWarning on the executable it concerns (problems of connection
// managers and of the project on the package). They are reported (console,
// report, log) and handled by nothing: validation executes nothing, so no
// event handler runs for them (SSIS would run an OnError handler, which
// could send mail or start a process while the package is only being
// validated, or refused). It reports whether there were errors.
func (r *run) validate(diags dtsx.Diagnostics) bool {
	byRef := map[string]dtsx.Diagnostics{}
	known := map[string]bool{}
	r.p.Def.Walk(func(x *dtsx.Executable) bool {
		known[x.RefID] = !x.IsEventHandler()
		return !x.IsEventHandler()
	})
	failed := false
	for _, d := range diags {
		if d.Severity == dtsx.SeverityError || (d.Severity == dtsx.SeverityWarning && r.opts.WarnAsError) {
			failed = true
		}
		if d.Severity == dtsx.SeverityWarning && d.Code == tasks.CodeNotExecutable && !r.opts.SkipUnsupported {
			continue // reported as an error by runChecks
		}
		ref := d.Path
		if !known[ref] {
			ref = r.p.Def.Executable.RefID
		}
		byRef[ref] = append(byRef[ref], d)
	}
	report := func(name string, x *dtsx.Executable, msg string) {
		r.event(Event{Name: name, Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID, Message: msg})
	}
	var walk func(x *dtsx.Executable)
	walk = func(x *dtsx.Executable) {
		if x.Disabled {
			return
		}
		report("OnPreValidate", x, "")
		for _, c := range x.Executables {
			walk(c)
		}
		for _, d := range byRef[x.RefID] {
			switch d.Severity {
			case dtsx.SeverityError:
				report("OnError", x, d.String())
			case dtsx.SeverityWarning:
				report("OnWarning", x, d.String())
			}
		}
		report("OnPostValidate", x, "")
	}
	walk(r.p.Def.Executable)
	return failed
}

// runChecks reports what stops a package from running that validation
// alone accepts: tasks this runtime cannot execute.
func (p *Package) runChecks(skipUnsupported bool, spell Spelling) dtsx.Diagnostics {
	var out dtsx.Diagnostics
	add := func(x *dtsx.Executable, code, msg, hint string) {
		out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: code, File: p.Def.File, Path: x.RefID,
			Line: p.Def.Line(x.DTSID), Message: msg, Hint: hint})
	}
	p.Def.Walk(func(x *dtsx.Executable) bool {
		if x.Disabled {
			return false
		}
		if t, ok := p.Tasks[x]; ok && !skipUnsupported {
			if _, exec := t.(tasks.Executor); !exec {
				if !p.runsHere(x) {
					msg := fmt.Sprintf("%q (%s) cannot be executed here yet", x.Name, x.ShortType())
					if ok, why := foreachSupported(x); !ok && strings.EqualFold(x.Type(), "STOCK:FOREACHLOOP") {
						msg = fmt.Sprintf("Foreach Loop %q cannot be executed here yet: %s", x.Name, why)
					}
					add(x, tasks.CodeNotExecutable, msg, spell.skipHint())
				}
			}
		}
		return true
	})
	return out
}

// runsHere reports the executables the runtime itself runs: the
// containers it supports and the Execute Package Task.
func (p *Package) runsHere(x *dtsx.Executable) bool {
	switch strings.ToUpper(x.Type()) {
	case "STOCK:SEQUENCE", "STOCK:FORLOOP":
		return true
	case "STOCK:FOREACHLOOP":
		ok, _ := foreachSupported(x)
		return ok
	}
	return p.isExecutePackage(x)
}

// CodeExpression reports a property expression, an expression variable
// or an expression constraint that cannot be evaluated.
const CodeExpression = "expression"
