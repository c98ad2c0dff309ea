package expr

import (
	"math"
	"math/big"
	"strconv"
	"time"
)

// Value is a typed SSIS value, possibly NULL. A NULL keeps its type, as
// NULL(DT_WSTR,10) does. The zero Value is a NULL of type DT_EMPTY.
//
// Values are immutable; they are safe to copy and share.
type Value struct {
	t     Type
	null  bool
	prec  uint8     // precision of DT_NUMERIC and DT_DECIMAL
	scale uint8     // their scale; the fraction digits of DT_DBTIME2, DT_DBTIMESTAMP2, DT_DBTIMESTAMPOFFSET
	cp    int32     // code page of DT_STR and DT_TEXT
	n     uint64    // integers (two's complement), bool (0/1), float bits, DT_CY (value × 10⁴)
	s     string    // strings, raw bytes of DT_BYTES/DT_IMAGE, GUID text, Object text
	tm    time.Time // every date and time type
	dec   *big.Int  // DT_NUMERIC and DT_DECIMAL: the value × 10^scale
	obj   any       // what an Object holds at run time (a *Rowset, say); nil for persisted text
}

// Null returns a NULL of type t.
func Null(t Type) Value { return Value{t: t, null: true} }

// NullSpec returns a NULL of the type spec, as NULL(DT_WSTR,10) does.
func NullSpec(s TypeSpec) Value {
	v := Value{t: s.Type, null: true, scale: uint8(s.Scale), cp: int32(s.CodePage)}
	if s.Type == TypeNumeric || s.Type == TypeDecimal {
		v.prec = uint8(s.Precision)
	}
	return v
}

// Str returns a DT_WSTR value.
func Str(s string) Value { return Value{t: TypeWStr, s: s} }

// Bool returns a DT_BOOL value.
func Bool(b bool) Value {
	v := Value{t: TypeBool}
	if b {
		v.n = 1
	}
	return v
}

// I4 returns a DT_I4 value.
func I4(n int32) Value { return Value{t: TypeI4, n: uint64(int64(n))} }

// I8 returns a DT_I8 value.
func I8(n int64) Value { return Value{t: TypeI8, n: uint64(n)} }

// R8 returns a DT_R8 value.
func R8(f float64) Value { return Value{t: TypeR8, n: math.Float64bits(f)} }

// IntOf returns a value of the signed or unsigned integer type t holding n,
// or an ErrOverflow error when n does not fit.
func IntOf(t Type, n int64) (Value, error) {
	if !t.IsInteger() {
		return Value{}, failf(ErrType, "%s is not an integer type", t)
	}
	if t.isUnsigned() {
		if n < 0 {
			return Value{}, failf(ErrOverflow, "%d does not fit %s", n, t)
		}
		return mkUint(t, uint64(n))
	}
	return mkInt(t, n)
}

// Date returns a DT_DATE value (the type of DateTime variables).
func Date(t time.Time) Value { return Value{t: TypeDate, tm: naive(t)} }

// Timestamp returns a DT_DBTIMESTAMP value, as GETDATE() gives, with the
// time truncated to milliseconds.
func Timestamp(t time.Time) Value {
	return Value{t: TypeDBTimestamp, tm: naive(t).Truncate(time.Millisecond)}
}

// naive keeps the wall clock of t and drops its zone: SSIS dates other than
// DT_DBTIMESTAMPOFFSET have no zone.
func naive(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

func mkInt(t Type, n int64) (Value, error) {
	b := t.bits()
	if b < 64 && (n < -(1<<(b-1)) || n > 1<<(b-1)-1) {
		return Value{}, failf(ErrOverflow, "%d does not fit %s", n, t)
	}
	return Value{t: t, n: uint64(n)}, nil
}

func mkUint(t Type, n uint64) (Value, error) {
	b := t.bits()
	if b < 64 && n > 1<<b-1 {
		return Value{}, failf(ErrOverflow, "%d does not fit %s", n, t)
	}
	return Value{t: t, n: n}, nil
}

func mkFloat(t Type, f float64) Value {
	if t == TypeR4 {
		f = float64(float32(f))
	}
	return Value{t: t, n: math.Float64bits(f)}
}

func mkDec(t Type, d *big.Int, prec, scale int) Value {
	return Value{t: t, dec: d, prec: uint8(prec), scale: uint8(scale)}
}

// Type returns the value's data type.
func (v Value) Type() Type { return v.t }

// IsNull reports whether the value is NULL.
func (v Value) IsNull() bool { return v.null }

// Precision returns the precision of a DT_NUMERIC or DT_DECIMAL value.
func (v Value) Precision() int { return int(v.prec) }

// Scale returns the scale of a DT_NUMERIC or DT_DECIMAL value, or the
// fractional second digits of a DT_DBTIME2, DT_DBTIMESTAMP2 or
// DT_DBTIMESTAMPOFFSET value.
func (v Value) Scale() int { return int(v.scale) }

// CodePage returns the code page of a DT_STR or DT_TEXT value.
func (v Value) CodePage() int { return int(v.cp) }

func (v Value) i() int64   { return int64(v.n) }
func (v Value) f() float64 { return math.Float64frombits(v.n) }

// Bool returns the value of a DT_BOOL. A NULL gives ErrNull; another type
// gives ErrType: SSIS converts nothing to a Boolean implicitly.
func (v Value) Bool() (bool, error) {
	if v.t != TypeBool {
		return false, failf(ErrType, "%s is not DT_BOOL", v.t)
	}
	if v.null {
		return false, ErrNull
	}
	return v.n != 0, nil
}

// Int returns an integral value as an int64: any integer type, or a
// DT_NUMERIC, DT_DECIMAL, DT_CY, DT_R4 or DT_R8 without a fractional part.
func (v Value) Int() (int64, error) {
	if v.null {
		return 0, ErrNull
	}
	switch {
	case v.t.isSigned():
		return v.i(), nil
	case v.t.isUnsigned():
		if v.n > math.MaxInt64 {
			return 0, failf(ErrOverflow, "%d does not fit an int64", v.n)
		}
		return int64(v.n), nil
	case v.t.IsNumeric():
		r, err := v.rat()
		if err != nil {
			return 0, err
		}
		if !r.IsInt() || !r.Num().IsInt64() {
			return 0, failf(ErrConversion, "%s is not an int64", v.String())
		}
		return r.Num().Int64(), nil
	}
	return 0, failf(ErrType, "%s is not a number", v.t)
}

// Text returns the string of a character value (DT_WSTR, DT_STR, DT_TEXT,
// DT_NTEXT) and whether the value is one.
func (v Value) Text() (string, bool) {
	if !v.t.IsString() || v.null {
		return "", false
	}
	return v.s, true
}

// Time returns the time of a date or time value and whether it is one.
// Zone-less types come back in UTC holding the wall clock.
func (v Value) Time() (time.Time, bool) {
	if !v.t.IsDate() || v.null {
		return time.Time{}, false
	}
	return v.tm, true
}

// rat returns a numeric value exactly.
func (v Value) rat() (*big.Rat, error) {
	switch {
	case v.t.isSigned():
		return new(big.Rat).SetInt64(v.i()), nil
	case v.t.isUnsigned():
		return new(big.Rat).SetInt(new(big.Int).SetUint64(v.n)), nil
	case v.t == TypeR4 || v.t == TypeR8:
		f := v.f()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, failf(ErrConversion, "%v is not a finite number", f)
		}
		return new(big.Rat).SetFloat64(f), nil
	case v.t == TypeCY:
		return big.NewRat(v.i(), 10000), nil
	case v.t == TypeNumeric || v.t == TypeDecimal:
		return new(big.Rat).SetFrac(v.dec, pow10(int(v.scale))), nil
	}
	return nil, failf(ErrType, "%s is not a number", v.t)
}

// Go returns the value as a Go value: nil for NULL; int8 … int64 and
// uint8 … uint64 for the integer types; float32, float64; bool; string for
// character types, GUIDs and Object values; *big.Rat for DT_NUMERIC,
// DT_DECIMAL and DT_CY; time.Time for dates; []byte for DT_BYTES and
// DT_IMAGE.
func (v Value) Go() any {
	if v.null {
		return nil
	}
	switch v.t {
	case TypeI1:
		return int8(v.i())
	case TypeI2:
		return int16(v.i())
	case TypeI4:
		return int32(v.i())
	case TypeI8:
		return v.i()
	case TypeUI1:
		return uint8(v.n)
	case TypeUI2:
		return uint16(v.n)
	case TypeUI4:
		return uint32(v.n)
	case TypeUI8:
		return v.n
	case TypeR4:
		return float32(v.f())
	case TypeR8:
		return v.f()
	case TypeBool:
		return v.n != 0
	case TypeCY, TypeNumeric, TypeDecimal:
		r, _ := v.rat()
		return r
	case TypeBytes, TypeImage:
		return []byte(v.s)
	}
	if v.t.IsDate() {
		return v.tm
	}
	return v.s
}

// Equal reports whether two values have the same type and the same value,
// or are both NULL of the same type. Decimals compare by value (1.50 equals
// 1.5); timestamps with offsets compare instant and offset.
func (v Value) Equal(w Value) bool {
	if v.t != w.t || v.null != w.null {
		return false
	}
	if v.null {
		return true
	}
	switch {
	case v.t == TypeNumeric || v.t == TypeDecimal:
		a, _ := v.rat()
		b, _ := w.rat()
		return a.Cmp(b) == 0
	case v.t == TypeR4 || v.t == TypeR8:
		return v.f() == w.f()
	case v.t.IsDate():
		_, o1 := v.tm.Zone()
		_, o2 := w.tm.Zone()
		return v.tm.Equal(w.tm) && o1 == o2
	case v.t == TypeObject:
		return v.obj == w.obj && v.s == w.s
	case v.t.IsString() || v.t.isBinary() || v.t == TypeGUID:
		return v.s == w.s
	}
	return v.n == w.n
}

// String returns the value as SSIS shows it: what a cast to DT_WSTR gives
// (dates in the formats of doc.go, DT_BOOL as True/False) and "NULL" for a
// NULL.
func (v Value) String() string {
	if v.null {
		return "NULL"
	}
	switch v.t {
	case TypeEmpty:
		return ""
	case TypeObject:
		return v.s
	}
	s, err := toText(v)
	if err != nil {
		return "<" + v.t.String() + ">"
	}
	return s
}

// GoString shows the type too, for test failures: DT_I4(5), DT_WSTR("a").
func (v Value) GoString() string {
	if v.null {
		return "NULL(" + v.t.String() + ")"
	}
	if v.t.IsString() || v.t == TypeGUID || v.t == TypeObject {
		return v.t.String() + "(" + strconv.Quote(v.s) + ")"
	}
	return v.t.String() + "(" + v.String() + ")"
}
