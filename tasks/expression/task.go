package expression

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

// ErrNotAssignment is matched by the error of an expression that does not
// parse, so that the task cannot tell what it assigns: an empty or
// unclosed bracket, a namespace without brackets, nothing to the right of
// =, an = that is not the first operator. The error wraps the
// *expr.SyntaxError, which shows where.
var ErrNotAssignment = errors.New("expression: not a valid assignment")

// parse parses the task's expression as the expression engine does for
// the Expression Task and the For Loop: "@[User::X] = value" or "@X =
// value" assigns (Target), anything else is a plain expression.
func parse(src string) (*expr.Expr, error) {
	x, err := expr.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotAssignment, err)
	}
	return x, nil
}

// Diagnostic codes of the Expression Task.
const (
	CodeEmpty         = "expression-empty"
	CodeNotAssignment = "expression-not-assignment"
	CodeBadAssignment = "expression-bad-assignment"
)

// Task is an Expression Task.
type Task struct {
	tasks.Base
	// Expression is the task's expression, "@[User::X] = ...", as
	// persisted or as a property expression last set it.
	Expression string
}

// New is the Factory of the Expression Task. It reads the Expression
// attribute of the task's ExpressionTask element.
func New(def *dtsx.Executable) (tasks.Task, error) {
	t := &Task{Base: tasks.Base{Def: def, Kind: "Expression"}}
	t.Expression, _ = def.ObjectDataAttr("Expression")
	return t, nil
}

// SetProperty sets Expression at run time; any other name gives an error
// matching tasks.ErrUnknownProperty.
func (t *Task) SetProperty(name, value string) error {
	if !strings.EqualFold(name, "Expression") {
		return fmt.Errorf("%w %q", tasks.ErrUnknownProperty, name)
	}
	t.Expression = value
	return nil
}

// Validate checks the shape of the expression without evaluating it: it
// must not be empty, and it should assign a variable that is not a
// parameter. A plain expression is only a warning: it is evaluated and its
// value dropped. An expression set by a property expression is checked when
// the task runs.
func (t *Task) Validate(context.Context, tasks.Env) dtsx.Diagnostics {
	if t.Expressed("Expression") {
		return nil
	}
	diag := func(sev dtsx.Severity, code, msg, hint string) dtsx.Diagnostics {
		return dtsx.Diagnostics{t.Diagnostic(sev, code, msg, hint)}
	}
	if strings.TrimSpace(t.Expression) == "" {
		return diag(dtsx.SeverityError, CodeEmpty, "the expression is empty",
			"write an assignment such as @[User::Counter] = @[User::Counter] + 1")
	}
	x, err := parse(t.Expression)
	switch {
	case err != nil:
		return diag(dtsx.SeverityError, CodeBadAssignment, err.Error(),
			"write one variable on the left of =, @[User::Name] = value, and an expression on the right")
	case x.Target() == "":
		return diag(dtsx.SeverityWarning, CodeNotAssignment,
			fmt.Sprintf("%s assigns no variable; it is evaluated and its value dropped", t.Expression),
			"start the expression with @[User::Name] = to set a variable")
	case strings.HasPrefix(x.Target(), "$"):
		return diag(dtsx.SeverityError, CodeBadAssignment,
			fmt.Sprintf("%s assigns parameter @[%s]; parameters are read-only while a package runs", t.Expression, x.Target()),
			"assign a variable instead, and read the parameter on the right of =")
	}
	return nil
}

// Execute evaluates the expression in the task's scope and assigns the
// value of its right side to its variable, converted to the variable's
// type by the runtime.
func (t *Task) Execute(ctx context.Context, env tasks.RunEnv) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	src := t.Expression
	if strings.TrimSpace(src) == "" {
		return t.Errorf("the expression is empty")
	}
	x, err := parse(src)
	if err != nil {
		return t.Errorf("%w", err)
	}
	// The value of an assignment is the value of its right side.
	v, err := env.Eval(src)
	if err != nil {
		return t.Errorf("evaluating %s: %w", strings.TrimSpace(src), err)
	}
	target := x.Target()
	if target == "" {
		env.Info(fmt.Sprintf("%s evaluated; it assigns no variable", strings.TrimSpace(src)))
		return nil
	}
	if err := env.SetVariable(target, v); err != nil {
		return t.Errorf("assigning %s to @[%s]: %w", show(v), target, err)
	}
	env.Info(fmt.Sprintf("@[%s] = %s", target, show(v)))
	return nil
}

// show writes a value for a message: strings quoted, long ones cut.
func show(v expr.Value) string {
	s, isText := v.Text()
	if !isText {
		s = v.String()
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	if isText {
		return strconv.Quote(s)
	}
	return s
}

var (
	_ tasks.Configurable = (*Task)(nil)
	_ tasks.Executor     = (*Task)(nil)
)
