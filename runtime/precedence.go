package runtime

import (
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
