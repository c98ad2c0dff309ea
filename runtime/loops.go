package runtime

import (
	"context"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// forLoop runs a For Loop container: InitExpression once, then the body
// while EvalExpression is True, AssignExpression after each pass. The
// iterations run in order; a body that fails ends the loop with Failure.
func (r *run) forLoop(ctx context.Context, x *dtsx.Executable, sc *scope) Status {
	prop := func(name string) string { v, _ := x.Property(name); return strings.TrimSpace(v) }
	fail := func(what, src string, err error) Status {
		r.raise(ctx, "OnError", x, sc, fmt.Sprintf("For Loop %q: %s %s: %v", x.Name, what, src, err), -1)
		return Failure
	}
	if init := prop("InitExpression"); init != "" {
		if err := r.assign(init, sc); err != nil {
			return fail("InitExpression", init, err)
		}
	}
	cond, step := prop("EvalExpression"), prop("AssignExpression")
	if cond == "" {
		return fail("EvalExpression", `""`, fmt.Errorf("is empty; a For Loop needs a Boolean expression"))
	}
	for {
		if ctx.Err() != nil {
			return Canceled
		}
		v, err := r.eval(cond, sc)
		if err != nil {
			return fail("EvalExpression", cond, err)
		}
		more, err := v.Bool()
		if v.IsNull() {
			more, err = false, nil
		}
		if err != nil {
			return fail("EvalExpression", cond, err)
		}
		if !more {
			return Success
		}
		if st := r.container(ctx, x, sc); st != Success {
			return st
		}
		if step != "" {
			if err := r.assign(step, sc); err != nil {
				return fail("AssignExpression", step, err)
			}
		}
	}
}

// assign evaluates an assignment, "@[User::X] = expression", as For Loops
// and the Expression Task write them; several may be separated by commas
// in a For Loop's Init and Assign expressions.
func (r *run) assign(src string, sc *scope) error {
	for _, part := range splitTopLevel(src, ',') {
		x, err := r.parse(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		if x.Target() == "" {
			return fmt.Errorf("%s is not an assignment (@[User::X] = value)", strings.TrimSpace(part))
		}
		v, err := x.Eval(&varEnv{sc: sc})
		if err != nil {
			return err
		}
		if err := sc.write(x.Target(), v); err != nil {
			return err
		}
	}
	return nil
}

// splitTopLevel splits s at sep outside string literals, brackets and
// parentheses.
func splitTopLevel(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	inStr := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
