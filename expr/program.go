package expr

import "fmt"

// Program is an expression compiled against a data flow's columns, ready
// to be evaluated row by row: the column references are resolved to row
// indexes, the variables are read and every type is checked once, by
// Compile. Evaluating a row allocates nothing for numbers, Booleans, dates
// and column values passed through; string results allocate their text.
//
// A Program keeps the state of the current evaluation, so it is not safe
// for concurrent use: give each goroutine its own (Clone).
type Program struct {
	e    *Expr
	cols *Columns
	root cexpr
	c    ctx
}

// Compile resolves the expression's column references against cols, reads
// its variables from vars (once: the values are those of the whole run)
// and checks its types, as SSIS validates a Derived Column or Conditional
// Split before the data flow runs. A column that does not exist or is
// ambiguous is an *EvalError wrapping ErrUnknownColumn or
// ErrAmbiguousColumn that points at the reference; vars may be nil when
// the expression reads no variables.
func (e *Expr) Compile(cols *Columns, vars Env) (*Program, error) {
	if cols == nil {
		cols = &Columns{}
	}
	c := ctx{env: vars}
	if len(e.refs) > 0 {
		if vars == nil {
			return nil, e.wrap(errAt(e.offs[0], "@["+e.refs[0]+"]", failf(ErrUnknownVariable, "no variables to read %q from", e.refs[0])))
		}
		c.vals = make([]Value, len(e.refs))
		for i, name := range e.refs {
			v, err := vars.Lookup(name)
			if err != nil {
				return nil, e.wrap(errAt(e.offs[i], "@["+name+"]", err))
			}
			c.vals[i] = v
		}
	}
	sig := make([]Type, len(c.vals))
	for i, v := range c.vals {
		sig[i] = v.t
	}
	cp := &compiler{types: sig, cols: cols}
	root, err := cp.compile(e.root, true)
	if err != nil {
		return nil, e.wrap(err)
	}
	c.stack = make([]Value, 0, stackNeed(e.root))
	return &Program{e: e, cols: cols, root: root, c: c}, nil
}

// Type returns the type of the program's result.
func (p *Program) Type() Type { return p.root.t }

// Expr returns the expression the program was compiled from.
func (p *Program) Expr() *Expr { return p.e }

// Clone returns a program that evaluates the same expression and can be
// used by another goroutine.
func (p *Program) Clone() *Program {
	q := *p
	q.c = ctx{vals: p.c.vals, env: p.c.env, stack: make([]Value, 0, cap(p.c.stack))}
	return &q
}

// Eval evaluates the program on one row: row[i] is the value of the
// column at index i of the Columns it was compiled against, of that
// column's type or NULL. A failure is an *EvalError (an overflow, a
// division by zero, a string that does not convert), which a data flow
// treats under the error row disposition.
func (p *Program) Eval(row []Value) (Value, error) {
	if len(row) < len(p.cols.list) {
		return Value{}, fmt.Errorf("%w: the row has %d values for %d columns", ErrColumnSet, len(row), len(p.cols.list))
	}
	p.c.row, p.c.nowOK, p.c.stack = row, false, p.c.stack[:0]
	v, err := p.root.f(&p.c)
	p.c.row = nil
	if err != nil {
		return Value{}, p.e.wrap(err)
	}
	return v, nil
}

// Condition evaluates a Conditional Split condition on one row. The
// expression must be DT_BOOL (Compile does not check it: call Type). A
// NULL result is a *ConversionError wrapping ErrNull, as SSIS's
// DTS_E_TXSPLITEXPRESSIONEVALUATEDTONULL, which the output's error row
// disposition handles (ignoring it treats the row as FALSE); so is an
// evaluation failure. output names the condition's output in the error.
func (p *Program) Condition(row []Value, output string) (bool, error) {
	if pred := p.root.pred; pred != nil && len(row) >= len(p.cols.list) {
		p.c.row, p.c.nowOK, p.c.stack = row, false, p.c.stack[:0]
		v, null, err := pred(&p.c)
		p.c.row = nil
		switch {
		case err != nil:
			return false, &ConversionError{Column: output, Err: p.e.wrap(err)}
		case null:
			return false, p.nullCondition(output)
		}
		return v, nil
	}
	v, err := p.Eval(row)
	if err != nil {
		return false, &ConversionError{Column: output, Err: err}
	}
	if v.t != TypeBool {
		return false, &ConversionError{Column: output, Err: failf(ErrType, "the condition is %s, not DT_BOOL", v.t)}
	}
	if v.null {
		return false, p.nullCondition(output)
	}
	return v.n != 0, nil
}

func (p *Program) nullCondition(output string) error {
	return &ConversionError{Column: output, Err: fmt.Errorf("%w: the condition %s evaluated to NULL, but the Conditional Split requires a Boolean result", ErrNull, p.e.src)}
}

// Assign evaluates a Derived Column expression on one row and stores the
// result in out, converting it to out's type (FlowColumn.Store). An
// evaluation or conversion failure is a *ConversionError naming out; a
// value too long for out is a *TruncationError, returned with the
// truncated value.
func (p *Program) Assign(row []Value, out FlowColumn) (Value, error) {
	v, err := p.Eval(row)
	if err != nil {
		return Value{}, &ConversionError{Column: out.Name, Err: err}
	}
	return out.Store(v)
}
