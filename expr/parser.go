package expr

import (
	"math"
	"strconv"
	"strings"
)

// The syntax tree. Offsets are byte offsets into the source.
type node interface{ offset() int }

type (
	litNode struct {
		off int
		v   Value
	}
	varNode struct {
		off  int
		name string
		slot int // index into Expr.refs
	}
	colNode struct {
		off  int
		name string
	}
	unaryNode struct {
		off int
		op  string
		x   node
	}
	binaryNode struct {
		off  int
		op   string
		l, r node
	}
	condNode struct {
		off     int
		c, a, b node
	}
	castNode struct {
		off  int
		spec TypeSpec
		x    node
	}
	callNode struct {
		off  int
		fn   *function
		args []node
	}
	nullNode struct {
		off  int
		spec TypeSpec
	}
)

func (n *litNode) offset() int    { return n.off }
func (n *varNode) offset() int    { return n.off }
func (n *colNode) offset() int    { return n.off }
func (n *unaryNode) offset() int  { return n.off }
func (n *binaryNode) offset() int { return n.off }
func (n *condNode) offset() int   { return n.off }
func (n *castNode) offset() int   { return n.off }
func (n *callNode) offset() int   { return n.off }
func (n *nullNode) offset() int   { return n.off }

// binaryLevels lists the binary operators from the loosest to the tightest
// binding, after the conditional operator (operator-precedence-and-
// associativity.md). All of them associate left to right.
var binaryLevels = [][]string{
	{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", ">", "<=", ">="}, {"+", "-"}, {"*", "/", "%"},
}

// maxDepth bounds nesting so that a hostile expression cannot exhaust the
// stack.
const maxDepth = 500

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
	refs  []string
	slots map[string]int
	offs  []int // offset of the first use of each ref
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) isOp(text string) bool {
	t := p.toks[p.i]
	return t.kind == tOp && t.text == text
}

func (p *parser) fail(off int, msg string) *SyntaxError {
	return &SyntaxError{Expr: p.src, Offset: off, Pos: position(p.src, off), Msg: msg}
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tOp:
		return strconv.Quote(t.text)
	case tIdent:
		return "name " + t.text
	case tVar:
		return "variable @[" + t.text + "]"
	case tColumn:
		return "column " + t.text
	case tInt:
		return "number " + t.text
	}
	if t.val.t.IsString() {
		return "string literal"
	}
	return "literal " + t.text
}

func (p *parser) unexpected(want string) *SyntaxError {
	t := p.peek()
	msg := "unexpected " + describe(t)
	if want != "" {
		msg += "; expected " + want
	}
	if t.kind == tOp && t.text == "=" {
		msg = "= assigns only at the start of an Expression Task or For Loop expression; compare with =="
	}
	return p.fail(t.off, msg)
}

func (p *parser) expect(op string) error {
	if !p.isOp(op) {
		return p.unexpected(strconv.Quote(op))
	}
	p.i++
	return nil
}

// expr := or ( "?" expr ":" expr )?
func (p *parser) expr() (node, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, p.fail(p.peek().off, "expression nested too deeply")
	}
	defer func() { p.depth-- }()
	c, err := p.binary(0)
	if err != nil || !p.isOp("?") {
		return c, err
	}
	off := p.peek().off
	p.i++
	a, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expect(":"); err != nil {
		return nil, err
	}
	b, err := p.expr()
	if err != nil {
		return nil, err
	}
	return &condNode{off: off, c: c, a: a, b: b}, nil
}

func (p *parser) binary(level int) (node, error) {
	if level == len(binaryLevels) {
		return p.unary()
	}
	l, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tOp || !contains(binaryLevels[level], t.text) {
			return l, nil
		}
		p.i++
		r, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		l = &binaryNode{off: t.off, op: t.text, l: l, r: r}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unary := ("-" | "!" | "~") unary | cast unary | primary
func (p *parser) unary() (node, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, p.fail(p.peek().off, "expression nested too deeply")
	}
	defer func() { p.depth-- }()
	t := p.peek()
	if t.kind == tOp {
		switch t.text {
		case "-", "!", "~":
			p.i++
			if t.text == "-" && p.peek().kind == tInt {
				// A negative literal: -2147483648 is a DT_I4.
				lit := p.peek()
				p.i++
				return p.intLiteral(lit, t.off, true)
			}
			x, err := p.unary()
			if err != nil {
				return nil, err
			}
			return &unaryNode{off: t.off, op: t.text, x: x}, nil
		case "(":
			if p.isCast() {
				spec, err := p.typeSpec()
				if err != nil {
					return nil, err
				}
				x, err := p.unary()
				if err != nil {
					return nil, err
				}
				return &castNode{off: t.off, spec: spec, x: x}, nil
			}
		}
	}
	return p.primary()
}

// isCast reports whether the "(" at the cursor opens a cast: a type name
// followed by "," or ")".
func (p *parser) isCast() bool {
	if p.i+2 >= len(p.toks) {
		return false
	}
	name, next := p.toks[p.i+1], p.toks[p.i+2]
	if name.kind != tIdent || next.kind != tOp || next.text != "," && next.text != ")" {
		return false
	}
	_, ok := TypeByName(name.text)
	return ok
}

// typeSpec reads "(" TYPE ("," INT)* ")" with the cursor on "(".
func (p *parser) typeSpec() (TypeSpec, error) {
	open := p.peek().off
	p.i++
	nameTok := p.peek()
	t, ok := TypeByName(nameTok.text)
	if nameTok.kind != tIdent || !ok {
		return TypeSpec{}, p.fail(nameTok.off, "expected a data type such as DT_WSTR or DT_I4")
	}
	p.i++
	var params []int
	for p.isOp(",") {
		p.i++
		n := p.peek()
		if n.kind != tInt || n.huge || n.mag > math.MaxInt32 {
			return TypeSpec{}, p.fail(n.off, "expected a number as a parameter of "+t.String())
		}
		params = append(params, int(n.mag))
		p.i++
	}
	if err := p.expect(")"); err != nil {
		return TypeSpec{}, err
	}
	want, optional := specArity(t)
	if len(params) > want || len(params) < want-optional {
		return TypeSpec{}, p.fail(open, arityText(t, want, optional, len(params)))
	}
	spec, msg := newSpec(t, params)
	if msg != "" {
		return TypeSpec{}, p.fail(open, msg)
	}
	return spec, nil
}

func arityText(t Type, want, optional, got int) string {
	switch {
	case want == 0:
		return t.String() + " takes no parameters"
	case optional > 0:
		return t.String() + " takes at most " + strconv.Itoa(want) + " parameter(s), not " + strconv.Itoa(got)
	}
	example := map[Type]string{TypeWStr: "(DT_WSTR,30)", TypeStr: "(DT_STR,30,1252)", TypeBytes: "(DT_BYTES,16)",
		TypeText: "(DT_TEXT,1252)", TypeNumeric: "(DT_NUMERIC,10,2)", TypeDecimal: "(DT_DECIMAL,2)"}[t]
	return t.String() + " takes " + strconv.Itoa(want) + " parameter(s), not " + strconv.Itoa(got) + ", as in " + example
}

// intLiteral types an integer literal from its suffix and checks its range:
// SSIS rejects a literal that does not fit the type its suffix names.
func (p *parser) intLiteral(t token, off int, neg bool) (node, error) {
	limit := map[Type]uint64{TypeI4: math.MaxInt32, TypeI8: math.MaxInt64, TypeUI4: math.MaxUint32, TypeUI8: math.MaxUint64}[t.ityp]
	if neg && t.ityp.isSigned() {
		limit++
	}
	if t.huge || t.mag > limit {
		e := p.fail(off, "the literal "+p.src[off:t.off+len(t.text)]+" is too large to fit into type "+t.ityp.String())
		e.Err = ErrOverflow
		return nil, e
	}
	if !neg {
		return &litNode{off: off, v: Value{t: t.ityp, n: t.mag}}, nil
	}
	if t.ityp.isUnsigned() {
		// -5U is the unary minus of an unsigned value, which SSIS rejects
		// when the types are checked.
		return &unaryNode{off: off, op: "-", x: &litNode{off: t.off, v: Value{t: t.ityp, n: t.mag}}}, nil
	}
	return &litNode{off: off, v: Value{t: t.ityp, n: uint64(-int64(t.mag))}}, nil
}

func (p *parser) primary() (node, error) {
	t := p.peek()
	switch t.kind {
	case tInt:
		p.i++
		return p.intLiteral(t, t.off, false)
	case tLit:
		p.i++
		return &litNode{off: t.off, v: t.val}, nil
	case tVar:
		p.i++
		slot, ok := p.slots[t.text]
		if !ok {
			slot = len(p.refs)
			p.slots[t.text] = slot
			p.refs = append(p.refs, t.text)
			p.offs = append(p.offs, t.off)
		}
		return &varNode{off: t.off, name: t.text, slot: slot}, nil
	case tColumn:
		p.i++
		if p.isOp("(") && strings.HasPrefix(t.text, "[") && strings.HasSuffix(t.text, "]") {
			// The persisted form of a data flow expression brackets
			// function names: [UPPER](#12).
			name := t.text[1 : len(t.text)-1]
			if fn, ok := functions[strings.ToUpper(name)]; ok {
				return p.call(t, fn)
			}
			return nil, p.fail(t.off, "the function "+name+" is not recognized")
		}
		return &colNode{off: t.off, name: t.text}, nil
	case tOp:
		if t.text == "(" {
			p.i++
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			return x, nil
		}
		return nil, p.unexpected("a value, a variable or a function")
	case tEOF:
		return nil, p.unexpected("a value, a variable or a function")
	}
	// An identifier: TRUE, FALSE, NULL(type), a function call, or a column.
	p.i++
	upper := strings.ToUpper(t.text)
	open := p.isOp("(")
	switch {
	case upper == "TRUE" && !open:
		return &litNode{off: t.off, v: Bool(true)}, nil
	case upper == "FALSE" && !open:
		return &litNode{off: t.off, v: Bool(false)}, nil
	case upper == "NULL" && open:
		spec, err := p.typeSpec()
		if err != nil {
			return nil, err
		}
		return &nullNode{off: t.off, spec: spec}, nil
	case open:
		fn, ok := functions[upper]
		if !ok {
			if _, isType := TypeByName(t.text); isType {
				return nil, p.fail(t.off, "a cast is written ("+upper+") expression, not "+upper+"(expression)")
			}
			return nil, p.fail(t.off, "the function "+t.text+" is not recognized")
		}
		return p.call(t, fn)
	}
	if _, isType := TypeByName(t.text); isType {
		return nil, p.fail(t.off, "a cast is written ("+upper+") expression")
	}
	return &colNode{off: t.off, name: t.text}, nil
}

// call reads the arguments of a call to fn, named by t, with the cursor on
// the "(".
func (p *parser) call(t token, fn *function) (node, error) {
	p.i++
	var args []node
	if !p.isOp(")") {
		for {
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if !p.isOp(",") {
				break
			}
			p.i++
		}
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	if len(args) < fn.min || len(args) > fn.max {
		return nil, p.fail(t.off, fn.name+" takes "+fn.arity()+", not "+strconv.Itoa(len(args)))
	}
	return &callNode{off: t.off, fn: fn, args: args}, nil
}
