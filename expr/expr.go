package expr

import (
	"errors"
	"slices"
	"sync/atomic"
	"time"
)

// Expr is a parsed expression. It is safe for concurrent use: evaluation
// keeps no state in the Expr beyond a cache of the type-checked form.
type Expr struct {
	src    string
	root   node
	refs   []string
	offs   []int
	target string
	prog   atomic.Pointer[program]
}

// program is an expression type-checked for one set of variable types.
type program struct {
	sig  []Type
	root cexpr
	// stack is the most function arguments evaluated at once.
	stack int
}

// Parse parses an expression. A syntax error is a *SyntaxError that names
// the line and column. Types are checked when the expression is evaluated,
// because they depend on the variables'.
//
// An expression may start with an assignment, "@[User::X] = expr", as the
// Expression Task and the For Loop's init and assign expressions do; Target
// returns the assigned variable and Eval the value to assign.
func Parse(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks, slots: map[string]int{}}
	e := &Expr{src: src}
	if toks[0].kind == tEOF {
		return nil, p.fail(0, "the expression is empty")
	}
	if len(toks) > 2 && toks[0].kind == tVar && toks[1].kind == tOp && toks[1].text == "=" {
		e.target = toks[0].text
		p.i = 2
	}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tEOF {
		return nil, p.unexpected("an operator or the end of the expression")
	}
	e.root, e.refs, e.offs = root, p.refs, p.offs
	return e, nil
}

// Eval parses and evaluates an expression.
func Eval(src string, env Env) (Value, error) {
	e, err := Parse(src)
	if err != nil {
		return Value{}, err
	}
	return e.Eval(env)
}

// String returns the source of the expression.
func (e *Expr) String() string { return e.src }

// Refs returns every variable and parameter the expression reads, as
// written without the @ and brackets ("User::X", "$Package::P", "X"), each
// once, in order of first use. The target of an assignment is not among
// them.
func (e *Expr) Refs() []string { return slices.Clone(e.refs) }

// Target returns the variable an assignment expression assigns ("User::X"),
// or "" for an ordinary expression.
func (e *Expr) Target() string { return e.target }

// ReadsClock reports whether the expression calls GETDATE or GETUTCDATE.
func (e *Expr) ReadsClock() bool {
	found := false
	walk(e.root, func(n node) {
		if c, ok := n.(*callNode); ok && (c.fn.name == "GETDATE" || c.fn.name == "GETUTCDATE") {
			found = true
		}
	})
	return found
}

func walk(n node, fn func(node)) {
	fn(n)
	switch n := n.(type) {
	case *unaryNode:
		walk(n.x, fn)
	case *binaryNode:
		walk(n.l, fn)
		walk(n.r, fn)
	case *condNode:
		walk(n.c, fn)
		walk(n.a, fn)
		walk(n.b, fn)
	case *castNode:
		walk(n.x, fn)
	case *callNode:
		for _, a := range n.args {
			walk(a, fn)
		}
	}
}

// Eval evaluates the expression, reading variables and the clock from env.
// Errors are *EvalError values: a type error (found before anything is
// evaluated, as SSIS validates), a variable env cannot resolve, or a run-
// time failure such as an overflow.
func (e *Expr) Eval(env Env) (Value, error) {
	c := ctx{env: env}
	if len(e.refs) > 0 {
		if env == nil {
			return Value{}, e.wrap(errAt(e.offs[0], "@["+e.refs[0]+"]", failf(ErrUnknownVariable, "no variables to read %q from", e.refs[0])))
		}
		c.vals = make([]Value, len(e.refs))
		for i, name := range e.refs {
			v, err := env.Lookup(name)
			if err != nil {
				return Value{}, e.wrap(errAt(e.offs[i], "@["+name+"]", err))
			}
			c.vals[i] = v
		}
	}
	p, err := e.program(c.vals)
	if err != nil {
		return Value{}, err
	}
	if p.stack > 0 {
		c.stack = make([]Value, 0, p.stack)
	}
	v, err := p.root.f(&c)
	if err != nil {
		return Value{}, e.wrap(err)
	}
	return v, nil
}

// TypeOf returns the type the expression evaluates to with the variables of
// env, checking types without evaluating anything.
func (e *Expr) TypeOf(env Env) (Type, error) {
	vals := make([]Value, len(e.refs))
	for i, name := range e.refs {
		if env == nil {
			return 0, e.wrap(errAt(e.offs[i], "@["+name+"]", failf(ErrUnknownVariable, "no variables to read %q from", name)))
		}
		v, err := env.Lookup(name)
		if err != nil {
			return 0, e.wrap(errAt(e.offs[i], "@["+name+"]", err))
		}
		vals[i] = v
	}
	p, err := e.program(vals)
	if err != nil {
		return 0, err
	}
	return p.root.t, nil
}

// program returns the expression type-checked for the types of vals,
// reusing the last one when the types have not changed.
func (e *Expr) program(vals []Value) (*program, error) {
	if p := e.prog.Load(); p != nil && sameTypes(p.sig, vals) {
		return p, nil
	}
	sig := make([]Type, len(vals))
	for i, v := range vals {
		sig[i] = v.t
	}
	cp := &compiler{types: sig}
	root, err := cp.compile(e.root, true)
	if err != nil {
		return nil, e.wrap(err)
	}
	p := &program{sig: sig, root: root, stack: stackNeed(e.root)}
	e.prog.Store(p)
	return p, nil
}

func sameTypes(sig []Type, vals []Value) bool {
	if len(sig) != len(vals) {
		return false
	}
	for i, v := range vals {
		if sig[i] != v.t {
			return false
		}
	}
	return true
}

// wrap turns an internal *opError into an *EvalError with the position.
func (e *Expr) wrap(err error) error {
	var oe *opError
	if errors.As(err, &oe) {
		return &EvalError{Expr: e.src, Offset: oe.off, Pos: position(e.src, oe.off), Op: oe.op, Err: oe.err}
	}
	return err
}

// ctx is the state of one evaluation.
type ctx struct {
	vals  []Value
	row   []Value // the data flow row, for column references
	stack []Value // function arguments being evaluated
	env   Env
	now   time.Time
	nowOK bool
}

// clock reads the time once per evaluation, so that two GETDATE() calls in
// one expression agree.
func (c *ctx) clock() time.Time {
	if !c.nowOK {
		if c.env != nil {
			c.now = c.env.Now()
		} else {
			c.now = time.Now()
		}
		c.nowOK = true
	}
	return c.now
}

// stackNeed returns the most function arguments on an evaluation's stack
// at once: a call holds its evaluated arguments while the next one runs.
func stackNeed(n node) int {
	need := 0
	switch n := n.(type) {
	case *unaryNode:
		need = stackNeed(n.x)
	case *binaryNode:
		need = max(stackNeed(n.l), stackNeed(n.r))
	case *condNode:
		need = max(stackNeed(n.c), stackNeed(n.a), stackNeed(n.b))
	case *castNode:
		need = stackNeed(n.x)
	case *callNode:
		need = len(n.args)
		for i, a := range n.args {
			need = max(need, i+stackNeed(a))
		}
	}
	return need
}
