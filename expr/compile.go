package expr

import "strings"

// Type checking. A parsed expression is compiled, for the types its
// variables have, into a tree of closures that know their result types, the
// way SSIS validates an expression before it runs it: a type error is
// reported even in a branch that would not be evaluated.

type evalFn func(c *ctx) (Value, error)

// predFn evaluates a DT_BOOL expression to its value and whether it is
// NULL.
type predFn func(c *ctx) (val, null bool, err error)

// boolFn wraps a predicate as an ordinary evaluation.
func boolFn(p predFn) evalFn {
	return func(c *ctx) (Value, error) {
		v, null, err := p(c)
		if err != nil {
			return Value{}, err
		}
		if null {
			return Null(TypeBool), nil
		}
		return Bool(v), nil
	}
}

// cexpr is a type-checked (sub)expression.
type cexpr struct {
	t Type
	f evalFn
	// konst is set when the value is known when compiling (a literal), in
	// val: comparisons and arithmetic convert it once, not once per row.
	konst bool
	val   Value
	// col is 1 + the row index of a column read, or 0.
	col int
	// pred is set on some DT_BOOL expressions (comparisons, && and ||, a
	// DT_BOOL column): the same evaluation without building a Value, the
	// per-row path of Conditional Split conditions.
	pred predFn
	// cat is set on a concatenation: its string operands, flattened, so
	// that a + b + c builds its result once.
	cat []cexpr
}

type compiler struct {
	types []Type   // of the expression's refs, by slot
	cols  *Columns // the data flow columns, or nil outside a data flow
}

func typeErr(off int, op, format string, a ...any) error {
	return errAt(off, op, failf(ErrType, format, a...))
}

func constant(v Value) cexpr {
	return cexpr{t: v.t, f: func(*ctx) (Value, error) { return v, nil }, konst: true, val: v}
}

// preconvert converts a constant operand to the numeric type t an
// operator computes in, so that rows do not convert it again. Anything
// else, or a constant that does not convert (the error is then reported
// when a row evaluates it), is returned as it is.
func preconvert(x cexpr, t Type) cexpr {
	if !x.konst || x.t == t || !t.IsNumeric() {
		return x
	}
	v, err := implicit(x.val, t)
	if err != nil {
		return x
	}
	c := constant(v)
	c.t = x.t // the operand keeps its type for the type rules
	return c
}

// compile type-checks n. root is true for the node whose value the
// expression returns: only there does a cast to DT_STR yield DT_STR.
func (cp *compiler) compile(n node, root bool) (cexpr, error) {
	switch n := n.(type) {
	case *litNode:
		return constant(n.v), nil
	case *varNode:
		slot := n.slot
		return cexpr{t: cp.types[slot], f: func(c *ctx) (Value, error) { return c.vals[slot], nil }}, nil
	case *colNode:
		if cp.cols == nil {
			return cexpr{}, errAt(n.off, n.name, failf(ErrColumn, "%q is a column or an unknown name", n.name))
		}
		i, err := cp.cols.Resolve(n.name)
		if err != nil {
			return cexpr{}, errAt(n.off, n.name, err)
		}
		x := cexpr{t: cp.cols.list[i].Spec.Type, col: i + 1, f: func(c *ctx) (Value, error) { return c.row[i], nil }}
		if x.t == TypeBool {
			x.pred = func(c *ctx) (bool, bool, error) { v := &c.row[i]; return v.n != 0, v.null, nil }
		}
		return x, nil
	case *nullNode:
		spec := n.spec
		if spec.Type == TypeStr && !root {
			spec = TypeSpec{Type: TypeWStr, Length: spec.Length}
		}
		return constant(NullSpec(spec)), nil
	case *unaryNode:
		return cp.unary(n)
	case *binaryNode:
		return cp.binary(n)
	case *condNode:
		return cp.cond(n)
	case *castNode:
		return cp.cast(n, root)
	case *callNode:
		args := make([]cexpr, len(n.args))
		for i, a := range n.args {
			var err error
			if args[i], err = cp.compile(a, false); err != nil {
				return cexpr{}, err
			}
		}
		return n.fn.build(n.off, args)
	}
	panic("expr: unknown node")
}

func (cp *compiler) unary(n *unaryNode) (cexpr, error) {
	x, err := cp.compile(n.x, false)
	if err != nil {
		return cexpr{}, err
	}
	t, off := x.t, n.off
	switch n.op {
	case "!":
		if t != TypeBool {
			return cexpr{}, typeErr(off, "!", "! needs a DT_BOOL operand, not %s", t)
		}
		return cexpr{t: TypeBool, f: func(c *ctx) (Value, error) {
			v, err := x.f(c)
			if err != nil || v.null {
				return v, err
			}
			return Bool(v.n == 0), nil
		}}, nil
	case "-":
		if !(t.isSigned() || t == TypeR4 || t == TypeR8 || t == TypeCY || t == TypeDecimal || t == TypeNumeric) {
			return cexpr{}, typeErr(off, "-", "unary minus needs a signed numeric operand, not %s", t)
		}
		return cexpr{t: t, f: func(c *ctx) (Value, error) {
			v, err := x.f(c)
			if err != nil || v.null {
				return v, err
			}
			r, err := negate(v)
			if err != nil {
				return Value{}, errAt(off, "-", err)
			}
			return r, nil
		}}, nil
	}
	if !t.IsInteger() {
		return cexpr{}, typeErr(off, "~", "~ needs an integer operand, not %s", t)
	}
	return cexpr{t: t, f: func(c *ctx) (Value, error) {
		v, err := x.f(c)
		if err != nil || v.null {
			return v, err
		}
		return bitNot(v), nil
	}}, nil
}

func (cp *compiler) binary(n *binaryNode) (cexpr, error) {
	l, err := cp.compile(n.l, false)
	if err != nil {
		return cexpr{}, err
	}
	r, err := cp.compile(n.r, false)
	if err != nil {
		return cexpr{}, err
	}
	op, off := n.op, n.off
	switch op {
	case "&&", "||":
		return logical(off, op, l, r)
	case "==", "!=", "<", ">", "<=", ">=":
		return comparison(off, op, l, r)
	case "+":
		if l.t.IsString() || r.t.IsString() {
			return concat(off, l, r)
		}
	case "&", "|", "^":
		if !(l.t.isSigned() && r.t.isSigned() || l.t.isUnsigned() && r.t.isUnsigned()) {
			return cexpr{}, typeErr(off, op, "%s needs two signed or two unsigned integers, not %s and %s", op, l.t, r.t)
		}
	case "%":
		if !l.t.IsInteger() || !r.t.IsInteger() {
			return cexpr{}, typeErr(off, op, "%% needs integer operands, not %s and %s", l.t, r.t)
		}
	}
	t, ok := Promote(l.t, r.t)
	if !ok {
		if l.t.IsNumeric() && r.t.IsNumeric() {
			return cexpr{}, typeErr(off, op, "%s %s %s needs an explicit cast: no implicit type holds both", l.t, op, r.t)
		}
		return cexpr{}, typeErr(off, op, "%s %s %s: %s works on numbers", l.t, op, r.t, op)
	}
	bitwise := op == "&" || op == "|" || op == "^"
	l, r = preconvert(l, t), preconvert(r, t)
	return cexpr{t: t, f: func(c *ctx) (Value, error) {
		a, b, err := operands(c, l, r)
		if err != nil || a.null || b.null {
			return Null(t), err
		}
		if a, err = implicit(a, t); err == nil {
			b, err = implicit(b, t)
		}
		if err != nil {
			return Value{}, errAt(off, op, err)
		}
		if bitwise {
			v := Value{t: t}
			switch op {
			case "&":
				v.n = a.n & b.n
			case "|":
				v.n = a.n | b.n
			default:
				v.n = a.n ^ b.n
			}
			return v, nil
		}
		v, err := arith(op, t, a, b)
		if err != nil {
			return Value{}, errAt(off, op, err)
		}
		return v, nil
	}}, nil
}

// logical implements && and || with three-valued logic; the right operand
// is evaluated only when it can change the result.
func logical(off int, op string, l, r cexpr) (cexpr, error) {
	if l.t != TypeBool || r.t != TypeBool {
		return cexpr{}, typeErr(off, op, "%s needs DT_BOOL operands, not %s and %s; compare or cast them", op, l.t, r.t)
	}
	decisive := uint64(0) // FALSE decides &&
	if op == "||" {
		decisive = 1 // TRUE decides ||
	}
	if l.pred != nil && r.pred != nil {
		lp, rp, d := l.pred, r.pred, decisive == 1
		pred := func(c *ctx) (bool, bool, error) {
			a, an, err := lp(c)
			if err != nil || !an && a == d {
				return a, false, err
			}
			b, bn, err := rp(c)
			if err != nil || !bn && b == d {
				return b, false, err
			}
			return b, an || bn, nil
		}
		return cexpr{t: TypeBool, f: boolFn(pred), pred: pred}, nil
	}
	return cexpr{t: TypeBool, f: func(c *ctx) (Value, error) {
		a, err := l.f(c)
		if err != nil {
			return Value{}, err
		}
		if !a.null && a.n == decisive {
			return a, nil
		}
		b, err := r.f(c)
		if err != nil {
			return Value{}, err
		}
		switch {
		case !b.null && b.n == decisive:
			return b, nil
		case a.null || b.null:
			return Null(TypeBool), nil
		}
		return b, nil
	}}, nil
}

// compareType returns the type two operands are compared in.
func compareType(op string, a, b Type) (Type, bool) {
	equality := op == "==" || op == "!="
	switch {
	case a.IsNumeric() && b.IsNumeric():
		return Promote(a, b)
	case a.IsString() && b.IsString():
		return TypeWStr, true
	case a.IsDate() && b.IsDate():
		return dateCompareType(a, b)
	case a == TypeBool && b == TypeBool, a == TypeGUID && b == TypeGUID:
		return a, equality
	case a.isBinary() && b.isBinary():
		return TypeBytes, equality
	}
	return 0, false
}

func comparison(off int, op string, l, r cexpr) (cexpr, error) {
	t, ok := compareType(op, l.t, r.t)
	if !ok {
		return cexpr{}, typeErr(off, op, "cannot compare %s %s %s; cast one side", l.t, op, r.t)
	}
	l, r = preconvert(l, t), preconvert(r, t)
	if p := directComparison(op, t, l, r); p != nil {
		return cexpr{t: TypeBool, f: boolFn(p), pred: p}, nil
	}
	return cexpr{t: TypeBool, f: func(c *ctx) (Value, error) {
		a, b, err := operands(c, l, r)
		if err != nil || a.null || b.null {
			return Null(TypeBool), err
		}
		switch {
		case t.IsNumeric():
			if a, err = implicit(a, t); err == nil {
				b, err = implicit(b, t)
			}
			if err != nil {
				return Value{}, errAt(off, op, err)
			}
		case t.IsDate():
			a, b = toDateCmp(a, t), toDateCmp(b, t)
		}
		k := cmpValues(t, &a, &b)
		var res bool
		switch op {
		case "==":
			res = k == 0
		case "!=":
			res = k != 0
		case "<":
			res = k < 0
		case ">":
			res = k > 0
		case "<=":
			res = k <= 0
		default:
			res = k >= 0
		}
		return Bool(res), nil
	}}, nil
}

// concat is + on strings. Both operands must be strings: SSIS converts
// nothing to a string implicitly (erratum A.11 #4).
func concat(off int, l, r cexpr) (cexpr, error) {
	if !l.t.IsString() || !r.t.IsString() {
		other := l.t
		if l.t.IsString() {
			other = r.t
		}
		return cexpr{}, typeErr(off, "+", "cannot concatenate %s with %s; cast it with (DT_WSTR,n)", other, TypeWStr)
	}
	var parts []cexpr
	for _, x := range [2]cexpr{l, r} {
		if x.cat != nil {
			parts = append(parts, x.cat...)
		} else {
			parts = append(parts, x)
		}
	}
	return cexpr{t: TypeWStr, cat: parts, f: func(c *ctx) (Value, error) {
		var small [8]string
		texts := small[:0]
		if len(parts) > len(small) {
			texts = make([]string, 0, len(parts))
		}
		null, n := false, 0
		for _, p := range parts {
			v, err := p.f(c)
			if err != nil {
				return Value{}, err
			}
			null = null || v.null
			texts = append(texts, v.s)
			n += len(v.s)
		}
		if null {
			return Null(TypeWStr), nil
		}
		if n > maxResult {
			return Value{}, errAt(off, "+", failf(ErrArgument, "the result is longer than %d characters", maxResult))
		}
		var b strings.Builder
		b.Grow(n)
		for _, t := range texts {
			b.WriteString(t)
		}
		return Str(b.String()), nil
	}}, nil
}

// maxResult bounds the length in bytes of a string result, so that
// REPLICATE and friends cannot exhaust memory.
const maxResult = 1 << 22

// condType returns the result type of ?: for two branch types.
func condType(a, b Type) (Type, bool) {
	switch {
	case a == b:
		return a, true
	case a.IsString() && b.IsString():
		return TypeWStr, true
	case a.IsNumeric() && b.IsNumeric():
		return Promote(a, b)
	case a.IsDate() && b.IsDate():
		return dateCompareType(a, b)
	}
	return 0, false
}

// coerce converts a value to the result type of ?: or REPLACENULL.
func coerce(v Value, t Type) (Value, error) {
	switch {
	case v.t == t:
		return v, nil
	case v.null:
		return Null(t), nil
	case t.IsNumeric():
		return implicit(v, t)
	case t.IsString():
		return convert(v, TypeSpec{Type: t, CodePage: 1252})
	}
	return convert(v, TypeSpec{Type: t, Scale: 7})
}

func (cp *compiler) cond(n *condNode) (cexpr, error) {
	cond, err := cp.compile(n.c, false)
	if err != nil {
		return cexpr{}, err
	}
	a, err := cp.compile(n.a, false)
	if err != nil {
		return cexpr{}, err
	}
	b, err := cp.compile(n.b, false)
	if err != nil {
		return cexpr{}, err
	}
	off := n.off
	if cond.t != TypeBool {
		return cexpr{}, typeErr(off, "?", "the condition of ?: must be DT_BOOL, not %s", cond.t)
	}
	t, ok := condType(a.t, b.t)
	if !ok {
		return cexpr{}, typeErr(off, "?", "the branches of ?: have incompatible types %s and %s", a.t, b.t)
	}
	return cexpr{t: t, f: func(c *ctx) (Value, error) {
		v, err := cond.f(c)
		if err != nil {
			return Value{}, err
		}
		if v.null {
			return Null(t), nil
		}
		branch := b
		if v.n != 0 {
			branch = a
		}
		if v, err = branch.f(c); err != nil {
			return Value{}, err
		}
		if v, err = coerce(v, t); err != nil {
			return Value{}, errAt(off, "?", err)
		}
		return v, nil
	}}, nil
}

func (cp *compiler) cast(n *castNode, root bool) (cexpr, error) {
	x, err := cp.compile(n.x, false)
	if err != nil {
		return cexpr{}, err
	}
	spec, off := n.spec, n.off
	if spec.Type == TypeStr && !root {
		// Inside an expression a cast to DT_STR is a cast to DT_WSTR.
		spec = TypeSpec{Type: TypeWStr, Length: spec.Length}
	}
	op := spec.String()
	if !CastLegal(x.t, spec.Type) {
		return cexpr{}, errAt(off, op, failf(ErrCast, "cannot cast %s to %s", x.t, spec.Type))
	}
	return cexpr{t: spec.Type, f: func(c *ctx) (Value, error) {
		v, err := x.f(c)
		if err != nil {
			return Value{}, err
		}
		r, err := convert(v, spec)
		if err != nil {
			return Value{}, errAt(off, op, err)
		}
		return r, nil
	}}, nil
}

// operands evaluates both operands of a binary operator, left first.
func operands(c *ctx, l, r cexpr) (a, b Value, err error) {
	if a, err = l.f(c); err != nil {
		return
	}
	b, err = r.f(c)
	return
}

// directComparison returns the evaluation of a comparison whose operands
// need no conversion (both already of the comparison type, or strings,
// Booleans, GUIDs or bytes), reading columns and constants in place; nil
// when they need one. It is the per-row path of Conditional Split
// conditions.
func directComparison(op string, t Type, l, r cexpr) predFn {
	ready := func(x cexpr) bool { return x.t == t || x.konst && x.val.t == t }
	if t.IsDate() || t.IsNumeric() && !(ready(l) && ready(r)) {
		return nil
	}
	// want has bit k+1 set when the comparison holds for cmpValues = k.
	want := map[string]uint8{"==": 2, "!=": 5, "<": 1, ">": 4, "<=": 3, ">=": 6}[op]
	return func(c *ctx) (bool, bool, error) {
		var ta, tb Value
		a, err := operandPtr(c, &l, &ta)
		if err != nil {
			return false, false, err
		}
		b, err := operandPtr(c, &r, &tb)
		if err != nil || a.null || b.null {
			return false, true, err
		}
		return want>>(cmpValues(t, a, b)+1)&1 != 0, false, nil
	}
}

// operandPtr returns the value of an operand without copying a column or
// a constant; anything else is evaluated into tmp.
func operandPtr(c *ctx, x *cexpr, tmp *Value) (*Value, error) {
	switch {
	case x.col > 0:
		return &c.row[x.col-1], nil
	case x.konst:
		return &x.val, nil
	}
	v, err := x.f(c)
	*tmp = v
	return tmp, err
}
