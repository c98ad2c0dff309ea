package expr

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// FuzzParse parses arbitrary text and evaluates what parses. Nothing may
// panic; errors must be the package's typed errors with sane positions.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		sendMailSubject,
		`SUBSTRING("elephant",4,2)`, `TOKEN("a:little|white dog","| ,.:",4)`, `~ 170`, `ROUND(137.1575,3)`,
		`(DT_DBTIMESTAMPOFFSET,3) "1999-10-11 20:34:52.123 -3:30" != (DT_DBDATE)"1999-10-12"`,
		`@[User::I4] > 3 ? (DT_WSTR,10)@[User::R8] : "small"`, `REPLACENULL(@[User::NullStr], "x")`,
		`DATEADD("mm", @[User::I4], @[User::Date])`, `"\x0041\n" + @[$Package::P]`, `-2147483648`,
		`(DT_NUMERIC,10,2)"1.5" * 3.25 / 7`, `@[User::Counter] = @[User::I4] + 1`, `HEX((DT_I1)-1)`,
		`(DT_STR,5,1252)"ā" + "b"`, `NULL(DT_BOOL) || FALSE`, `0xFFu + 1UL`, `1.E-4f * 4E8l`,
	} {
		f.Add(s)
	}
	env := testEnv()
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error is %T, not *SyntaxError", src, err)
			}
			if se.Line < 1 || se.Col < 1 || se.Offset < 0 || se.Offset > len(src) {
				t.Fatalf("Parse(%q) error has a bad position: %+v", src, se.Pos)
			}
			_ = se.Error()
			return
		}
		if e.String() != src {
			t.Fatalf("String() = %q, want %q", e.String(), src)
		}
		for _, r := range e.Refs() {
			if r == "" {
				t.Fatalf("Parse(%q) has an empty reference", src)
			}
		}
		v, err := e.Eval(env)
		if err != nil {
			var ee *EvalError
			if !errors.As(err, &ee) {
				t.Fatalf("Eval(%q) error is %T, not *EvalError: %v", src, err, err)
			}
			if ee.Col < 1 || ee.Offset > len(src) {
				t.Fatalf("Eval(%q) error has a bad position: %+v", src, ee.Pos)
			}
			_ = ee.Error()
			return
		}
		s := v.String()
		if v.Type().IsString() && !v.IsNull() && !utf8.ValidString(s) && utf8.ValidString(src) {
			t.Fatalf("Eval(%q) made invalid UTF-8 %q", src, s)
		}
		_ = v.Go()
		if !v.Equal(v) && !(v.Type() == TypeR8 || v.Type() == TypeR4) {
			t.Fatalf("Eval(%q) = %#v is not Equal to itself", src, v)
		}
	})
}

// TestConcurrentEval evaluates one Expr from many goroutines with
// variables of changing types (run it with -race).
func TestConcurrentEval(t *testing.T) {
	e, err := Parse(`(DT_WSTR,20)@[User::V] + "|" + (DT_WSTR,30)GETDATE()`)
	if err != nil {
		t.Fatal(err)
	}
	envs := []MapEnv{
		{Vars: map[string]Value{"User::V": I4(7)}, Clock: testEnv().Clock},
		{Vars: map[string]Value{"User::V": Str("seven")}, Clock: testEnv().Clock},
		{Vars: map[string]Value{"User::V": R8(7.5)}, Clock: testEnv().Clock},
	}
	want := []string{"7|", "seven|", "7.5|"}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				k := (g + i) % len(envs)
				v, err := e.Eval(envs[k])
				if err != nil || !strings.HasPrefix(v.String(), want[k]) {
					t.Errorf("Eval = %v, %v; want prefix %s", v, err, want[k])
					return
				}
			}
		}()
	}
	wg.Wait()
}
