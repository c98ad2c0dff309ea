package expr

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// dump renders a syntax tree fully parenthesized.
func dump(n node) string {
	switch n := n.(type) {
	case *litNode:
		if n.v.t == TypeWStr {
			return strconv.Quote(n.v.s)
		}
		return n.v.String()
	case *varNode:
		return "@[" + n.name + "]"
	case *colNode:
		return n.name
	case *unaryNode:
		return "(" + n.op + dump(n.x) + ")"
	case *binaryNode:
		return "(" + dump(n.l) + " " + n.op + " " + dump(n.r) + ")"
	case *condNode:
		return "(" + dump(n.c) + " ? " + dump(n.a) + " : " + dump(n.b) + ")"
	case *castNode:
		return "(" + n.spec.String() + dump(n.x) + ")"
	case *callNode:
		args := make([]string, len(n.args))
		for i, a := range n.args {
			args[i] = dump(a)
		}
		return n.fn.name + "(" + strings.Join(args, ", ") + ")"
	case *nullNode:
		return "NULL" + n.spec.String()
	}
	return "?"
}

// TestPrecedence checks the 13 levels of operator-precedence-and-
// associativity.md by the tree each expression parses to.
func TestPrecedence(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`1 + 2 * 3`, `(1 + (2 * 3))`},
		{`1 * 2 + 3`, `((1 * 2) + 3)`},
		{`1 - 2 - 3`, `((1 - 2) - 3)`},
		{`8 / 4 / 2`, `((8 / 4) / 2)`},
		{`1 + 2 % 3`, `(1 + (2 % 3))`},
		{`(1 + 2) * 3`, `((1 + 2) * 3)`},
		{`-@a * 2`, `((-@[a]) * 2)`},
		{`- 1 * 2`, `(-1 * 2)`},
		{`!@a == @b`, `((!@[a]) == @[b])`},
		{`~@a & 3`, `((~@[a]) & 3)`},
		{`--@a`, `(-(-@[a]))`},
		{`1 < 2 == 3 > 4`, `((1 < 2) == (3 > 4))`},
		{`1 + 2 < 3 * 4`, `((1 + 2) < (3 * 4))`},
		{`1 <= 2 != 3 >= 4`, `((1 <= 2) != (3 >= 4))`},
		{`1 & 2 ^ 3 | 4`, `(((1 & 2) ^ 3) | 4)`},
		{`1 | 2 ^ 3 & 4`, `(1 | (2 ^ (3 & 4)))`},
		{`1 == 2 & 3`, `((1 == 2) & 3)`},
		{`@a && @b || @c && @d`, `((@[a] && @[b]) || (@[c] && @[d]))`},
		{`@a || @b && @c`, `(@[a] || (@[b] && @[c]))`},
		{`@a | @b && @c`, `((@[a] | @[b]) && @[c])`},
		{`@a ? 1 : 2`, `(@[a] ? 1 : 2)`},
		{`@a ? 1 : @b ? 2 : 3`, `(@[a] ? 1 : (@[b] ? 2 : 3))`},
		{`@a ? @b ? 1 : 2 : 3`, `(@[a] ? (@[b] ? 1 : 2) : 3)`},
		{`@a || @b ? 1 + 2 : 3`, `((@[a] || @[b]) ? (1 + 2) : 3)`},
		{`(DT_WSTR,10) 1 + "a"`, `(((DT_WSTR,10)1) + "a")`},
		{`(DT_WSTR,10) (1 + 2)`, `((DT_WSTR,10)(1 + 2))`},
		{`(DT_I4)(DT_R8)1.5`, `((DT_I4)((DT_R8)1.5))`},
		{`-(DT_I4)@a`, `(-((DT_I4)@[a]))`},
		{`(DT_I4)-@a`, `((DT_I4)(-@[a]))`},
		{`(DT_STR, 4, 1252) 12 * 2`, `(((DT_STR,4,1252)12) * 2)`},
		{`SUBSTRING ("elephant",4,50)`, `SUBSTRING("elephant", 4, 50)`},
		{`NULL(DT_STR,10,1252)`, `NULL(DT_STR,10,1252)`},
		{`NULL(DT_DATE) == NULL(dt_date)`, `(NULL(DT_DATE) == NULL(DT_DATE))`},
		{`GETDATE()`, `GETDATE()`},
		{`Source.Column > 1 && [My Col] == #12`, `((Source.Column > 1) && ([My Col] == #12))`},
		{`[Source].[Order Date]`, `[Source].[Order Date]`},
		{`LEN(@a) > 0 && FINDSTRING(@a, "x", 1) == 0`, `((LEN(@[a]) > 0) && (FINDSTRING(@[a], "x", 1) == 0))`},
		{`@[User::intForLoopInit]== @[User::intForLoopNext] ? true: false`, `((@[User::intForLoopInit] == @[User::intForLoopNext]) ? True : False)`},
		{`(DT_I8)@FreeSpaceOnC > (DT_I8)@DBBackupFileSize`, `(((DT_I8)@[FreeSpaceOnC]) > ((DT_I8)@[DBBackupFileSize]))`},
	} {
		e, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%s): %v", c.src, err)
			continue
		}
		if got := dump(e.root); got != c.want {
			t.Errorf("Parse(%s) = %s, want %s", c.src, got, c.want)
		}
	}
}

// TestPrecedenceEvaluated checks precedence through results.
func TestPrecedenceEvaluated(t *testing.T) {
	runEval(t, []evalCase{
		{"", `2 + 3 * 4`, TypeI4, "14"},
		{"", `20 - 4 - 3`, TypeI4, "13"},
		{"", `100 / 10 / 5`, TypeI4, "2"},
		{"", `-2 * -3`, TypeI4, "6"},
		{"", `6 & 3 | 8`, TypeI4, "10"},
		{"", `6 ^ 3 & 1`, TypeI4, "7"},
		{"", `1 + 1 == 2 && 2 * 2 == 4`, TypeBool, "True"},
		{"", `FALSE || TRUE && FALSE`, TypeBool, "False"},
		{"", `TRUE || TRUE && FALSE`, TypeBool, "True"},
		{"", `1 > 2 ? "a" : 2 > 1 ? "b" : "c"`, TypeWStr, "b"},
		{"", `(DT_WSTR,1) 12 + "3"`, TypeWStr, "13"},
	})
}

// TestSyntaxErrors checks messages and columns of expressions that do not
// parse.
func TestSyntaxErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"empty", ``, 1, 1, "empty"},
		{"blank", `   `, 1, 1, "empty"},
		{"danglingOperator", `1 +`, 1, 4, "unexpected end of expression"},
		{"missingCloseParen", `(1 + 2`, 1, 7, `expected ")"`},
		{"extraCloseParen", `1 + 2)`, 1, 6, `unexpected ")"`},
		{"unexpectedCloseParen", `1 + )`, 1, 5, `unexpected ")"`},
		{"twoValues", `1 2`, 1, 3, "unexpected number 2"},
		{"notGreater_docInvalid", `1 !> 2`, 1, 3, `unexpected "!"`},
		{"noDiamondOperator", `1 <> 2`, 1, 4, `unexpected ">"`},
		{"assignNotAtRoot", `1 = 2`, 1, 3, "compare with =="},
		{"assignInside", `@a == (@b = 1)`, 1, 11, "compare with =="},
		{"unknownFunction", `FOO(1)`, 1, 1, "FOO is not recognized"},
		{"tooFewArgs", `SUBSTRING("a", 1)`, 1, 1, "SUBSTRING takes 3 arguments, not 2"},
		{"tooManyArgs", `GETDATE(1)`, 1, 1, "GETDATE takes no arguments, not 1"},
		{"missingComma", `LEFT("a" 1)`, 1, 10, `expected ")"`},
		{"castMissingLength", `(DT_WSTR)"a"`, 1, 1, "DT_WSTR takes 1 parameter(s), not 0"},
		{"castExtraParameter", `(DT_I4, 4)1`, 1, 1, "DT_I4 takes no parameters"},
		{"castLengthZero", `(DT_WSTR,0)"a"`, 1, 1, "length 0 of DT_WSTR is out of range"},
		{"castLengthTooLong", `(DT_WSTR,4001)"a"`, 1, 1, "out of range"},
		{"castPrecision", `(DT_NUMERIC,39,2)1`, 1, 1, "precision 39"},
		{"castScaleOverPrecision", `(DT_NUMERIC,5,6)1`, 1, 1, "scale 6"},
		{"castDecimalScale", `(DT_DECIMAL,29)1`, 1, 1, "scale 29"},
		{"castTime2Scale", `(DT_DBTIME2,8)"10:00:00"`, 1, 1, "scale 8"},
		{"castParameterNotNumber", `(DT_WSTR,@a)"x"`, 1, 10, "expected a number"},
		{"castAsFunction", `DT_I4(5)`, 1, 1, "a cast is written (DT_I4) expression"},
		{"nullWithoutType", `NULL()`, 1, 6, "expected a data type"},
		{"nullUnknownType", `NULL(DT_FOO)`, 1, 6, "expected a data type"},
		{"conditionalWithoutElse", `TRUE ? 1`, 1, 9, `expected ":"`},
		{"multiLine", "\"a\" +\n  )", 2, 3, `unexpected ")"`},
		{"multiLineTab", "1 +\n\t\t- )", 2, 5, `unexpected ")"`},
		{"noUnaryPlus", `+1`, 1, 1, `unexpected "+"`},
		{"nonASCIIColumn", `"é" + )`, 1, 7, `unexpected ")"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.src)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error = %v, want a *SyntaxError", c.src, err)
			}
			if se.Line != c.line || se.Col != c.col || !strings.Contains(se.Msg, c.msg) {
				t.Errorf("Parse(%q) = line %d column %d %q, want line %d column %d containing %q",
					c.src, se.Line, se.Col, se.Msg, c.line, c.col, c.msg)
			}
		})
	}
}

// TestSyntaxErrorRendering checks the caret snippet of Error().
func TestSyntaxErrorRendering(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`1 + )`, "expr: syntax error at column 5: unexpected \")\"; expected a value, a variable or a function\n\t1 + )\n\t    ^"},
		{"\"a\" +\n\t)", "expr: syntax error at line 2, column 2: unexpected \")\"; expected a value, a variable or a function\n\t\t)\n\t\t^"},
	} {
		_, err := Parse(c.src)
		if err == nil || err.Error() != c.want {
			t.Errorf("Parse(%q) error =\n%v\nwant\n%s", c.src, err, c.want)
		}
	}
}

// TestEvalErrorPosition checks that evaluation errors point at the operator
// or function at fault.
func TestEvalErrorPosition(t *testing.T) {
	for _, c := range []struct {
		src string
		col int
		op  string
	}{
		{`"a" + 1`, 5, "+"},
		{`1 + 2 * (3 / 0)`, 12, "/"},
		{`UPPER("a") + SUBSTRING("abc", 0, 1)`, 14, "SUBSTRING"},
		{`(DT_I1)200`, 1, "(DT_I1)"},
		{`1 + @[User::Nope]`, 5, "@[User::Nope]"},
	} {
		_, err := Eval(c.src, testEnv())
		var ee *EvalError
		if !errors.As(err, &ee) {
			t.Errorf("Eval(%s) error = %v, want an *EvalError", c.src, err)
			continue
		}
		if ee.Col != c.col || ee.Op != c.op {
			t.Errorf("Eval(%s) error at column %d (%s), want column %d (%s)", c.src, ee.Col, ee.Op, c.col, c.op)
		}
		if !strings.HasSuffix(err.Error(), "\t"+c.src+"\n\t"+strings.Repeat(" ", c.col-1)+"^") {
			t.Errorf("Eval(%s) error does not end with a caret under column %d:\n%v", c.src, c.col, err)
		}
	}
}

// TestAssignment checks the root assignment form of the Expression Task
// and the For Loop.
func TestAssignment(t *testing.T) {
	e, err := Parse(`@[User::Counter] = @[User::I4] + 1`)
	if err != nil {
		t.Fatal(err)
	}
	if e.Target() != "User::Counter" {
		t.Errorf("Target = %q", e.Target())
	}
	if refs := e.Refs(); len(refs) != 1 || refs[0] != "User::I4" {
		t.Errorf("Refs = %q, want only the right-hand side", refs)
	}
	v, err := e.Eval(testEnv())
	if err != nil || v.String() != "6" {
		t.Errorf("Eval = %v, %v; want 6", v, err)
	}
	if e, _ := Parse(`@a == 1`); e.Target() != "" {
		t.Errorf("a comparison has Target %q", e.Target())
	}
}
