package expr

import (
	"errors"
	"testing"
	"time"
)

// testClock is the time GETDATE() returns in tests: nine seconds after
// System::StartTime, as in the Send Mail sample of the docs.
var testClock = time.Date(2005, 3, 4, 11, 6, 27, 123456789, time.UTC)

func testEnv() MapEnv {
	start := Date(time.Date(2005, 3, 4, 11, 6, 18, 0, time.UTC))
	obj, _ := FromDataType(13, "System.Object")
	return MapEnv{
		Vars: map[string]Value{
			"User::I4":            I4(5),
			"User::Str":           Str("hello"),
			"User::Empty":         Str(""),
			"User::Date":          start,
			"User::Bool":          Bool(true),
			"User::NullStr":       Null(TypeWStr),
			"User::R8":            R8(2.5),
			"User::Obj":           obj,
			"User::X":             I4(1),
			"Other::X":            I4(2),
			"User::My Name":       Str("spaced"),
			"System::PackageName": Str("EmailRowCountPP"),
			"System::StartTime":   start,
			"$Package::P":         I4(10),
			"$Project::Q":         Str("q"),
		},
		Clock: func() time.Time { return testClock },
	}
}

// namedExpr is a test case of an expression: its source, and the name of
// its subtest when that is not the source.
type namedExpr interface{ named() (name, src string) }

// runCases runs check on each case in a subtest, with what Eval gives for
// the case's expression in testEnv.
func runCases[C namedExpr](t *testing.T, cases []C, check func(t *testing.T, c C, v Value, err error)) {
	t.Helper()
	env := testEnv()
	for _, c := range cases {
		name, src := c.named()
		if name == "" {
			name = src
		}
		t.Run(name, func(t *testing.T) {
			v, err := Eval(src, env)
			check(t, c, v, err)
		})
	}
}

// evalCase is an expression and its expected result: the type and the
// value as Value.String renders it ("NULL" for a NULL).
type evalCase struct {
	name string
	src  string
	typ  Type
	want string
}

func (c evalCase) named() (string, string) { return c.name, c.src }

func runEval(t *testing.T, cases []evalCase) {
	t.Helper()
	runCases(t, cases, func(t *testing.T, c evalCase, v Value, err error) {
		if err != nil {
			t.Fatalf("Eval(%s): %v", c.src, err)
		}
		if v.Type() != c.typ || v.String() != c.want {
			t.Errorf("Eval(%s) = %#v, want %s(%s)", c.src, v, c.typ, c.want)
		}
	})
}

// errCase is an expression that must fail with an error wrapping err.
type errCase struct {
	name string
	src  string
	err  error
}

func (c errCase) named() (string, string) { return c.name, c.src }

func runErr(t *testing.T, cases []errCase) {
	t.Helper()
	runCases(t, cases, func(t *testing.T, c errCase, v Value, err error) {
		if err == nil {
			t.Fatalf("Eval(%s) = %#v, want an error wrapping %v", c.src, v, c.err)
		}
		if !errors.Is(err, c.err) {
			t.Errorf("Eval(%s) error = %v, want one wrapping %v", c.src, err, c.err)
		}
		var se *SyntaxError
		var ee *EvalError
		if !errors.As(err, &se) && !errors.As(err, &ee) {
			t.Errorf("Eval(%s) error is %T, want *SyntaxError or *EvalError", c.src, err)
		}
	})
}
