package runtime

import (
	"errors"
	"fmt"
	"strings"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

// rootScope holds the package's system variables and the parameters of
// the project and of the package (overridden by RunOptions.Parameters).
func (r *run) rootScope() (*scope, error) {
	root := newScope(r.parent)
	def := r.p.Def
	r.execID = newGUID()
	root.setSystem(packageSystem(def, r.rep.Start, r.execID))
	params := packageParameters(def, r.p.Project)
	var errs []error
	for _, p := range params {
		v, err := newParameter(p, r.opts.Parameters, r.opts.Spelling)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		root.add(v)
	}
	known := map[string]bool{}
	for _, p := range params {
		known[p.QualifiedName()], known[p.Name] = true, true
	}
	for name := range r.opts.Parameters {
		if !known[name] {
			errs = append(errs, fmt.Errorf("parameter %s is not a parameter of the package or its project", name))
		}
	}
	return root, errors.Join(errs...)
}

// scope builds the scope of an executable: its variables over parent.
func (r *run) scope(parent *scope, x *dtsx.Executable) (*scope, error) {
	return buildScope(parent, x, func(d *dtsx.Variable) (*variable, error) { return newVariable(d, r.parse) })
}

// buildScope builds the scope of an executable, its variables over
// parent, each made by newVar: a run's (newVariable) or Check's. A
// variable newVar refuses is left out, and the error names x.
func buildScope(parent *scope, x *dtsx.Executable, newVar func(*dtsx.Variable) (*variable, error)) (*scope, error) {
	sc := newScope(parent)
	var errs []error
	for _, d := range x.Variables {
		v, err := newVar(d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sc.add(v)
	}
	if len(errs) > 0 {
		return sc, fmt.Errorf("%s: %w", x.Name, errors.Join(errs...))
	}
	return sc, nil
}

// packageParameters returns the parameters in a package's root scope: the
// project's (project may be nil), then the package's.
func packageParameters(def *dtsx.Package, project *dtsx.Project) []*dtsx.Parameter {
	var params []*dtsx.Parameter
	if project != nil {
		params = append(params, project.Parameters...)
	}
	return append(params, def.Parameters...)
}

// prepare does what SSIS does before validating a package: it applies the
// property expressions of every executable and connection manager with the
// variables' initial values (expression variables evaluated as they read
// them), so that validation sees the values a run starts with. What fails
// is kept in r.prepared as diagnostics on the object concerned.
func (r *run) prepare(root *scope) {
	def := r.p.Def
	add := func(path, needle, msg string) {
		r.prepared = append(r.prepared, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: CodeExpression, File: def.File,
			Path: path, Line: def.Line(needle), Message: msg,
			Hint: "correct the expression, or give the variables and parameters it reads a value (" + r.opts.Spelling.valuesHint() + ")"})
	}
	var walk func(x *dtsx.Executable, parent *scope)
	walk = func(x *dtsx.Executable, parent *scope) {
		if x.Disabled {
			return
		}
		sc, err := r.scope(parent, x)
		if err != nil {
			add(x.RefID, x.DTSID, err.Error())
		}
		// Expression variables are not evaluated here: SSIS evaluates one
		// when something reads it ("the variable returns the result of the
		// expression whenever you get its value", K. Haselden, Microsoft
		// SQL Server 2005 Integration Services, "Variable Expressions"), so
		// one that nothing reads cannot fail a run, even if its expression
		// refers to itself. The property expressions below read the ones
		// they use.
		if err := r.applyExpressions(x, sc); err != nil {
			if valueDependent(err) {
				// Evaluated with the variables' initial values; the run
				// evaluates it again (inside a loop, with each item).
				r.prepared = append(r.prepared, dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: CodeExpression, File: def.File,
					Path: x.RefID, Line: def.Line(x.DTSID), Message: err.Error() + " (with the variables' values before the run; it is evaluated again when the task runs)"})
			} else {
				add(x.RefID, x.DTSID, err.Error())
			}
		}
		for _, pc := range x.Constraints {
			if pc.EvalOp != dtsx.EvalConstraint {
				if _, err := r.parse(pc.Expression); err != nil {
					add(x.RefID, pc.Expression, fmt.Sprintf("precedence constraint %q: expression %s: %v", pc.Name, pc.Expression, err))
				}
			}
		}
		if x == def.Executable {
			for _, m := range r.p.Connections.All() {
				if err := r.applyConnectionExpressions(m, sc); err != nil {
					add(m.Definition().RefID, m.Definition().DTSID, err.Error())
				}
			}
		}
		for _, c := range x.Executables {
			walk(c, sc)
		}
	}
	walk(def.Executable, root)
}

// valueDependent reports an evaluation error that depends on the values
// (a bad argument, an overflow, a division by zero, a failed conversion),
// as opposed to one in the expression itself (syntax, types, unknown
// variables).
func valueDependent(err error) bool {
	for _, e := range []error{expr.ErrArgument, expr.ErrOverflow, expr.ErrDivideByZero, expr.ErrConversion, expr.ErrNull} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// applyExpressions sets the properties of x that property expressions
// drive, evaluated in sc: on its task when the task has the property
// (tasks.Configurable), else on the executable (Description, Disabled,
// ForceExecutionResult, MaximumErrorCount, ...). SSIS applies them before
// validation and before each execution.
func (r *run) applyExpressions(x *dtsx.Executable, sc *scope) error {
	for _, pe := range x.Expressions {
		v, err := r.eval(pe.Expression, sc)
		if err != nil {
			return fmt.Errorf("property expression for %s (%s): %w", pe.Name, pe.Expression, err)
		}
		text := propertyText(v)
		if t, ok := r.p.Tasks[x].(tasks.Configurable); ok {
			err := t.SetProperty(pe.Name, text)
			if err == nil {
				continue
			}
			if !errors.Is(err, tasks.ErrUnknownProperty) {
				return fmt.Errorf("property expression for %s: %w", pe.Name, err)
			}
		}
		if strings.EqualFold(pe.Name, "Disabled") {
			b, err := v.Bool()
			if err != nil {
				return fmt.Errorf("property expression for Disabled (%s): %w", pe.Expression, err)
			}
			x.Disabled = b
		}
		x.SetProperty(pe.Name, text)
		r.log.Debug("property expression applied", zap.String("source", x.RefID), zap.String("property", pe.Name))
	}
	return nil
}

// propertyText is the text a property receives from an expression's value:
// NULL gives an empty property.
func propertyText(v expr.Value) string {
	if v.IsNull() {
		return ""
	}
	if s, ok := v.Text(); ok {
		return s
	}
	return v.String()
}

// applyConnectionExpressions applies a connection manager's property
// expressions, evaluated in sc, before a connection is acquired (SSIS:
// "before creating a connection instance").
func (r *run) applyConnectionExpressions(m connections.Manager, sc *scope) error {
	def := m.Definition()
	if len(def.Expressions) == 0 {
		return nil
	}
	// A manager of a type this runtime does not connect with (OLEDB, ...)
	// has its expressions evaluated, so that errors show, but not applied:
	// no task that runs here acquires it.
	cm, ok := m.(connections.Configurable)
	for _, pe := range def.Expressions {
		v, err := r.eval(pe.Expression, sc)
		if err != nil {
			return fmt.Errorf("connection manager %q: property expression for %s (%s): %w", def.Name, pe.Name, pe.Expression, err)
		}
		if !ok {
			continue
		}
		if err := cm.SetProperty(pe.Name, propertyText(v)); err != nil {
			return fmt.Errorf("connection manager %q: property expression for %s: %w", def.Name, pe.Name, err)
		}
	}
	return nil
}
