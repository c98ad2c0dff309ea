package expr

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
)

// TestFromDataType checks values as packages persist them.
func TestFromDataType(t *testing.T) {
	for _, c := range []struct {
		dt        dtsx.DataType
		persisted string
		typ       Type
		want      string
	}{
		{dtsx.TypeInt32, "42", TypeI4, "42"},
		{dtsx.TypeInt32, " -7 ", TypeI4, "-7"},
		{dtsx.TypeInt32, "", TypeI4, "0"},
		{dtsx.TypeInt16, "-32768", TypeI2, "-32768"},
		{dtsx.TypeSByte, "-128", TypeI1, "-128"},
		{dtsx.TypeByte, "255", TypeUI1, "255"},
		{dtsx.TypeUInt16, "65535", TypeUI2, "65535"},
		{dtsx.TypeUInt32, "4294967295", TypeUI4, "4294967295"},
		{dtsx.TypeInt64, "-9223372036854775808", TypeI8, "-9223372036854775808"},
		{dtsx.TypeUInt64, "18446744073709551615", TypeUI8, "18446744073709551615"},
		{dtsx.TypeDouble, "1.5E+20", TypeR8, "1.5E+20"},
		{dtsx.TypeDouble, "0.1", TypeR8, "0.1"},
		{dtsx.TypeSingle, "1.5", TypeR4, "1.5"},
		{dtsx.TypeCurrency, "12.3456", TypeCY, "12.3456"},
		{dtsx.TypeDecimal, "12.345", TypeDecimal, "12.345"},
		{dtsx.TypeString, "  keep spaces ", TypeWStr, "  keep spaces "},
		{dtsx.TypeBoolean, "0", TypeBool, "False"},
		{dtsx.TypeBoolean, "-1", TypeBool, "True"},
		{dtsx.TypeBoolean, "True", TypeBool, "True"},
		{dtsx.TypeBoolean, "false", TypeBool, "False"},
		{dtsx.TypeDateTime, "4/8/2015 9:43:36 AM", TypeDate, "4/8/2015 9:43:36 AM"},
		{dtsx.TypeDateTime, "11/2/2021", TypeDate, "11/2/2021"},
		{dtsx.TypeDateTime, "10/14/2013 12:13:00 AM", TypeDate, "10/14/2013 12:13:00 AM"},
		{dtsx.TypeDateTime, "2015-04-08T21:43:36", TypeDate, "4/8/2015 9:43:36 PM"},
		{dtsx.TypeObject, "System.Object", TypeObject, "System.Object"},
		{dtsx.TypeChar, "65", TypeUI2, "65"},
		{dtsx.TypeChar, "A", TypeUI2, "65"},
		{dtsx.TypeEmpty, "", TypeEmpty, "NULL"},
	} {
		v, err := FromDataType(c.dt, c.persisted)
		if err != nil {
			t.Errorf("FromDataType(%s, %q): %v", c.dt, c.persisted, err)
			continue
		}
		if v.Type() != c.typ || v.String() != c.want {
			t.Errorf("FromDataType(%s, %q) = %#v, want %s(%s)", c.dt, c.persisted, v, c.typ, c.want)
		}
	}
	for _, c := range []struct {
		dt        dtsx.DataType
		persisted string
	}{
		{dtsx.TypeInt16, "40000"}, {dtsx.TypeInt32, "abc"}, {dtsx.TypeInt32, "1.5"}, {dtsx.TypeBoolean, "yes"},
		{dtsx.TypeDateTime, "the day after"}, {dtsx.TypeByte, "-1"}, {dtsx.TypeDecimal, "1e400"}, {dtsx.DataType(99), "1"},
	} {
		if v, err := FromDataType(c.dt, c.persisted); err == nil {
			t.Errorf("FromDataType(%s, %q) = %#v, want an error", c.dt, c.persisted, v)
		}
	}
}

// TestConvertTo checks assignment of results to variables.
func TestConvertTo(t *testing.T) {
	ts, _ := Eval(`(DT_DBTIMESTAMP)"2013-06-15 13:33:09"`, nil)
	dbdate, _ := Eval(`(DT_DBDATE)"2013-06-15"`, nil)
	obj, _ := FromDataType(dtsx.TypeObject, "x")
	for _, c := range []struct {
		v    Value
		dt   dtsx.DataType
		typ  Type
		want string
	}{
		{ts, dtsx.TypeDateTime, TypeDate, "6/15/2013 1:33:09 PM"},
		{dbdate, dtsx.TypeDateTime, TypeDate, "6/15/2013"},
		{I4(5), dtsx.TypeString, TypeWStr, "5"},
		{Str("5"), dtsx.TypeInt32, TypeI4, "5"},
		{Str("5"), dtsx.TypeInt64, TypeI8, "5"},
		{I4(5), dtsx.TypeDouble, TypeR8, "5"},
		{Bool(true), dtsx.TypeString, TypeWStr, "True"},
		{Bool(true), dtsx.TypeInt32, TypeI4, "-1"},
		{R8(1.25), dtsx.TypeDecimal, TypeDecimal, "1.25"},
		{ts, dtsx.TypeString, TypeWStr, "2013-06-15 13:33:09"},
		{I4(1), dtsx.TypeObject, TypeI4, "1"},
		{obj, dtsx.TypeObject, TypeObject, "x"},
		{Null(TypeWStr), dtsx.TypeInt32, TypeI4, "NULL"},
	} {
		got, err := c.v.ConvertTo(c.dt)
		if err != nil {
			t.Errorf("%#v.ConvertTo(%s): %v", c.v, c.dt, err)
			continue
		}
		if got.Type() != c.typ || got.String() != c.want {
			t.Errorf("%#v.ConvertTo(%s) = %#v, want %s(%s)", c.v, c.dt, got, c.typ, c.want)
		}
	}
	if _, err := Str("x").ConvertTo(dtsx.TypeInt32); !errors.Is(err, ErrConversion) {
		t.Errorf(`"x" to Int32: %v, want ErrConversion`, err)
	}
	if _, err := dbdate.ConvertTo(dtsx.TypeBoolean); !errors.Is(err, ErrCast) {
		t.Errorf("DT_DBDATE to Boolean: %v, want ErrCast", err)
	}
	if _, err := I4(300).ConvertTo(dtsx.TypeByte); !errors.Is(err, ErrOverflow) {
		t.Errorf("300 to Byte: %v, want ErrOverflow", err)
	}
}

// TestValueAccessors checks Bool, Int, Go, Equal and String.
func TestValueAccessors(t *testing.T) {
	if b, err := Bool(true).Bool(); err != nil || !b {
		t.Errorf("Bool(true).Bool() = %v, %v", b, err)
	}
	if _, err := Null(TypeBool).Bool(); !errors.Is(err, ErrNull) {
		t.Errorf("NULL Bool() error = %v, want ErrNull", err)
	}
	if _, err := I4(1).Bool(); !errors.Is(err, ErrType) {
		t.Errorf("I4 Bool() error = %v, want ErrType: nothing converts to a Boolean implicitly", err)
	}
	for _, c := range []struct {
		src  string
		want int64
	}{{`5`, 5}, {`(DT_UI8)7`, 7}, {`3.00`, 3}, {`(DT_CY)4`, 4}, {`(DT_R8)2`, 2}} {
		v, _ := Eval(c.src, nil)
		if n, err := v.Int(); err != nil || n != c.want {
			t.Errorf("(%s).Int() = %d, %v; want %d", c.src, n, err, c.want)
		}
	}
	for _, src := range []string{`3.5`, `"3"`, `NULL(DT_I4)`, `18446744073709551615UL`} {
		v, _ := Eval(src, nil)
		if n, err := v.Int(); err == nil {
			t.Errorf("(%s).Int() = %d, want an error", src, n)
		}
	}
	day := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		v    Value
		want any
	}{
		{I4(-3), int32(-3)}, {I8(1 << 40), int64(1 << 40)}, {R8(0.5), 0.5}, {Bool(false), false},
		{Str("s"), "s"}, {Date(day), day}, {Null(TypeI4), nil},
	} {
		if got := c.v.Go(); got != c.want {
			t.Errorf("%#v.Go() = %#v, want %#v", c.v, got, c.want)
		}
	}
	dec, _ := Eval(`1.50`, nil)
	if r, ok := dec.Go().(*big.Rat); !ok || r.Cmp(big.NewRat(3, 2)) != 0 {
		t.Errorf("1.50 Go() = %v, want 3/2", dec.Go())
	}
	a, _ := Eval(`1.50`, nil)
	b, _ := Eval(`1.5`, nil)
	if !a.Equal(b) {
		t.Error("1.50 does not Equal 1.5")
	}
	for _, c := range [][2]Value{{I4(1), I8(1)}, {Str("a"), Str("A")}, {Null(TypeI4), I4(0)}, {Null(TypeI4), Null(TypeI8)}} {
		if c[0].Equal(c[1]) {
			t.Errorf("%#v Equal %#v", c[0], c[1])
		}
	}
	if !Null(TypeI4).Equal(Null(TypeI4)) {
		t.Error("two NULL DT_I4 are not Equal")
	}
	if s := Null(TypeWStr).String(); s != "NULL" {
		t.Errorf("NULL String() = %q", s)
	}
	if v, err := IntOf(TypeUI1, 256); err == nil {
		t.Errorf("IntOf(DT_UI1, 256) = %#v, want an overflow", v)
	}
	if v, err := IntOf(TypeI2, -5); err != nil || v.String() != "-5" || v.Type() != TypeI2 {
		t.Errorf("IntOf(DT_I2, -5) = %#v, %v", v, err)
	}
}

// TestTypes checks type names and the promotion chart.
func TestTypes(t *testing.T) {
	for name, want := range map[string]Type{"DT_I4": TypeI4, "dt_wstr": TypeWStr, "DT_DBTIMESTAMPOFFSET": TypeDBTimestampOffset} {
		if got, ok := TypeByName(name); !ok || got != want {
			t.Errorf("TypeByName(%s) = %v, %v", name, got, ok)
		}
	}
	if _, ok := TypeByName("Object"); ok {
		t.Error("Object is not a cast target")
	}
	if TypeI4.String() != "DT_I4" || Type(999).String() != "Type(999)" {
		t.Errorf("String() = %s, %s", TypeI4, Type(999))
	}
	for _, c := range []struct {
		a, b Type
		want Type
	}{
		{TypeI1, TypeUI1, TypeI2}, {TypeUI4, TypeI1, TypeI8}, {TypeUI8, TypeUI1, TypeUI8}, {TypeI8, TypeUI8, 0},
		{TypeUI8, TypeI4, 0}, {TypeR4, TypeCY, TypeR4}, {TypeCY, TypeCY, TypeCY}, {TypeDecimal, TypeDecimal, TypeNumeric},
		{TypeCY, TypeI4, TypeNumeric}, {TypeR8, TypeNumeric, TypeR8}, {TypeWStr, TypeI4, 0},
	} {
		got, ok := Promote(c.a, c.b)
		if got != c.want || ok != (c.want != 0) {
			t.Errorf("Promote(%s, %s) = %s, %v; want %s", c.a, c.b, got, ok, c.want)
		}
	}
}

// TestTypeOf checks type checking without evaluation.
func TestTypeOf(t *testing.T) {
	e, _ := Parse(`@[User::I4] + 1L`)
	if typ, err := e.TypeOf(testEnv()); err != nil || typ != TypeI8 {
		t.Errorf("TypeOf = %s, %v; want DT_I8", typ, err)
	}
	e, _ = Parse(`@[User::Str] + 1`)
	if _, err := e.TypeOf(testEnv()); !errors.Is(err, ErrType) {
		t.Errorf("TypeOf error = %v, want ErrType", err)
	}
	e, _ = Parse(`1 / 0`)
	if typ, err := e.TypeOf(nil); err != nil || typ != TypeI4 {
		t.Errorf("TypeOf(1/0) = %s, %v: checking types must not evaluate", typ, err)
	}
}

// TestProgramCache checks that a changed variable type is re-checked.
func TestProgramCache(t *testing.T) {
	e, _ := Parse(`@[User::V] + @[User::V]`)
	v, err := e.Eval(MapEnv{Vars: map[string]Value{"User::V": I4(2)}})
	if err != nil || v.String() != "4" || v.Type() != TypeI4 {
		t.Fatalf("I4: %#v, %v", v, err)
	}
	v, err = e.Eval(MapEnv{Vars: map[string]Value{"User::V": Str("ab")}})
	if err != nil || v.String() != "abab" || v.Type() != TypeWStr {
		t.Fatalf("WSTR: %#v, %v", v, err)
	}
	if _, err = e.Eval(MapEnv{Vars: map[string]Value{"User::V": Bool(true)}}); !errors.Is(err, ErrType) {
		t.Fatalf("BOOL: %v, want ErrType", err)
	}
}
