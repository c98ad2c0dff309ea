package runtime

import (
	"context"
	"fmt"

	"github.com/dtsx-run/dtsx/dtsx"
)

type decision int

const (
	wait decision = iota
	runIt
	never
)

// decide applies an executable's incoming precedence constraints to the
// results so far: with LogicalAnd all must hold, without it one suffices.
func decide(in []*dtsx.PrecedenceConstraint, status map[*dtsx.Executable]Status, done map[*dtsx.Executable]bool,
	exprTrue func(*dtsx.PrecedenceConstraint) bool) decision {
	if len(in) == 0 {
		return runIt
	}
	and := in[0].LogicalAnd
	holds, fails := 0, 0
	for _, pc := range in {
		if !done[pc.From] {
			continue
		}
		st := status[pc.From]
		ok := st != Canceled && st != NotRun && (pc.Value == dtsx.Completion ||
			(pc.Value == dtsx.Success && st == Success) || (pc.Value == dtsx.Failure && st == Failure))
		switch pc.EvalOp {
		case dtsx.EvalExpression:
			ok = st != Canceled && st != NotRun && exprTrue(pc)
		case dtsx.EvalExpressionAndConstraint:
			ok = ok && exprTrue(pc)
		case dtsx.EvalExpressionOrConstraint:
			ok = ok || (st != Canceled && st != NotRun && exprTrue(pc))
		}
		if ok {
			holds++
		} else {
			fails++
		}
	}
	switch {
	case and && holds == len(in):
		return runIt
	case and && fails > 0:
		return never
	case !and && holds > 0:
		return runIt
	case !and && fails == len(in):
		return never
	}
	return wait
}

// constraintExpr evaluates the expression of a precedence constraint in
// the container's scope. An expression that cannot be evaluated, or whose
// value is not a Boolean, is an error of the container and does not hold.
func (r *run) constraintExpr(ctx context.Context, c *dtsx.Executable, pc *dtsx.PrecedenceConstraint, sc *scope) bool {
	v, err := r.eval(pc.Expression, sc)
	var b bool
	if err == nil && !v.IsNull() {
		b, err = v.Bool()
	}
	if err != nil {
		r.raise(ctx, "OnError", c, sc, fmt.Sprintf("precedence constraint %q: expression %s: %v", pc.Name, pc.Expression, err), -1)
		return false
	}
	return b
}
