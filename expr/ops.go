package expr

import (
	"math"
	"math/big"
	"math/bits"
	"time"
)

// promoOrder is the row and column order of promoTable.
var promoOrder = []Type{TypeI1, TypeI2, TypeI4, TypeI8, TypeUI1, TypeUI2, TypeUI4, TypeUI8, TypeR4, TypeR8,
	TypeCY, TypeDecimal, TypeNumeric}

// promoTable is the implicit conversion chart of the SSIS docs
// (mw-dts-impl-conver-02.gif, transcribed in the reference A.5): the
// result type of a binary operation, left operand by row, right by column.
// Zero means no implicit type: an explicit cast is required.
var promoTable = func() map[[2]Type]Type {
	const (
		i1, i2, i4, i8     = TypeI1, TypeI2, TypeI4, TypeI8
		u1, u2, u4, u8     = TypeUI1, TypeUI2, TypeUI4, TypeUI8
		r4, r8, cy, nu, no = TypeR4, TypeR8, TypeCY, TypeNumeric, Type(0)
	)
	rows := [][]Type{
		{i1, i2, i4, i8, i2, i4, i8, no, r4, r8, nu, nu, nu},
		{i2, i2, i4, i8, i2, i4, i8, no, r4, r8, nu, nu, nu},
		{i4, i4, i4, i8, i4, i4, i8, no, r4, r8, nu, nu, nu},
		{i8, i8, i8, i8, i8, i8, i8, no, r4, r8, nu, nu, nu},
		{i2, i2, i4, i8, u1, u2, u4, u8, r4, r8, nu, nu, nu},
		{i4, i4, i4, i8, u2, u2, u4, u8, r4, r8, nu, nu, nu},
		{i8, i8, i8, i8, u4, u4, u4, u8, r4, r8, nu, nu, nu},
		{no, no, no, no, u8, u8, u8, u8, r4, r8, nu, nu, nu},
		{r4, r4, r4, r4, r4, r4, r4, r4, r4, r8, r4, r4, r4},
		{r8, r8, r8, r8, r8, r8, r8, r8, r8, r8, r8, r8, r8},
		{nu, nu, nu, nu, nu, nu, nu, nu, r4, r8, cy, nu, nu},
		{nu, nu, nu, nu, nu, nu, nu, nu, r4, r8, nu, nu, nu},
		{nu, nu, nu, nu, nu, nu, nu, nu, r4, r8, nu, nu, nu},
	}
	m := map[[2]Type]Type{}
	for i, a := range promoOrder {
		for j, b := range promoOrder {
			m[[2]Type{a, b}] = rows[i][j]
		}
	}
	return m
}()

// Promote returns the type SSIS converts both operands of a binary numeric
// operation to, or false when the pair needs an explicit cast (DT_UI8 with
// a signed integer) or is not numeric.
func Promote(a, b Type) (Type, bool) {
	t := promoTable[[2]Type{a, b}]
	return t, t != 0
}

// arith applies + - * / % to two values already converted to type t.
func arith(op string, t Type, a, b Value) (Value, error) {
	switch {
	case t.isSigned():
		return intArith(op, t, a.i(), b.i())
	case t.isUnsigned():
		return uintArith(op, t, a.n, b.n)
	case t == TypeR4 || t == TypeR8:
		return floatArith(op, t, a.f(), b.f())
	case t == TypeCY:
		return cyArith(op, a.i(), b.i())
	}
	return decArith(op, a, b)
}

func overflow(op string, t Type) error {
	return failf(ErrOverflow, "the result of %s exceeds the maximum size of %s", op, t)
}

func intArith(op string, t Type, a, b int64) (Value, error) {
	var r int64
	switch op {
	case "+":
		if b > 0 && a > math.MaxInt64-b || b < 0 && a < math.MinInt64-b {
			return Value{}, overflow(op, t)
		}
		r = a + b
	case "-":
		if b < 0 && a > math.MaxInt64+b || b > 0 && a < math.MinInt64+b {
			return Value{}, overflow(op, t)
		}
		r = a - b
	case "*":
		r = a * b
		if a != 0 && (r/a != b || a == -1 && b == math.MinInt64) {
			return Value{}, overflow(op, t)
		}
	case "/", "%":
		if b == 0 {
			return Value{}, failf(ErrDivideByZero, "%d %s 0", a, op)
		}
		if a == math.MinInt64 && b == -1 {
			if op == "%" {
				return Value{t: t}, nil
			}
			return Value{}, overflow(op, t)
		}
		if op == "/" {
			r = a / b // truncates toward zero: 5/2 is 2, -5/2 is -2
		} else {
			r = a % b // takes the sign of the dividend
		}
	}
	v, err := mkInt(t, r)
	if err != nil {
		return Value{}, overflow(op, t)
	}
	return v, nil
}

func uintArith(op string, t Type, a, b uint64) (Value, error) {
	var r uint64
	switch op {
	case "+":
		r = a + b
		if r < a {
			return Value{}, overflow(op, t)
		}
	case "-":
		if a < b {
			return Value{}, overflow(op, t)
		}
		r = a - b
	case "*":
		hi, lo := bits.Mul64(a, b)
		if hi != 0 {
			return Value{}, overflow(op, t)
		}
		r = lo
	case "/", "%":
		if b == 0 {
			return Value{}, failf(ErrDivideByZero, "%d %s 0", a, op)
		}
		if op == "/" {
			r = a / b
		} else {
			r = a % b
		}
	}
	v, err := mkUint(t, r)
	if err != nil {
		return Value{}, overflow(op, t)
	}
	return v, nil
}

func floatArith(op string, t Type, a, b float64) (Value, error) {
	if (op == "/" || op == "%") && b == 0 {
		return Value{}, failf(ErrDivideByZero, "%v %s 0", a, op)
	}
	var r float64
	if t == TypeR4 {
		x, y := float32(a), float32(b)
		switch op {
		case "+":
			r = float64(x + y)
		case "-":
			r = float64(x - y)
		case "*":
			r = float64(x * y)
		case "/":
			r = float64(x / y)
		}
	} else {
		switch op {
		case "+":
			r = a + b
		case "-":
			r = a - b
		case "*":
			r = a * b
		case "/":
			r = a / b
		}
	}
	if math.IsInf(r, 0) {
		return Value{}, overflow(op, t)
	}
	return mkFloat(t, r), nil
}

func cyArith(op string, a, b int64) (Value, error) {
	x, y := big.NewInt(a), big.NewInt(b)
	var r *big.Int
	switch op {
	case "+":
		r = x.Add(x, y)
	case "-":
		r = x.Sub(x, y)
	case "*":
		r = roundQuo(x.Mul(x, y), pow10(4))
	case "/":
		if b == 0 {
			return Value{}, failf(ErrDivideByZero, "division of DT_CY by 0")
		}
		r = roundQuo(x.Mul(x, pow10(4)), y)
	default:
		return Value{}, failf(ErrType, "%s on DT_CY", op)
	}
	if !r.IsInt64() {
		return Value{}, overflow(op, TypeCY)
	}
	return Value{t: TypeCY, n: uint64(r.Int64())}, nil
}

// decArith computes on DT_NUMERIC values. The result's scale and precision
// follow SQL Server's rules for decimal (SSIS does not document its own):
//
//   - -  scale max(s1,s2), precision max(p1-s1,p2-s2)+scale+1
//   - scale s1+s2, precision p1+p2+1
//     /    scale max(6, s1+p2+1), precision p1-s1+s2+scale
//
// capped at 38 digits by dropping fractional digits (rounding); a result
// whose integer part needs more than 38 digits is an overflow.
func decArith(op string, a, b Value) (Value, error) {
	p1, s1, p2, s2 := int(a.prec), int(a.scale), int(b.prec), int(b.scale)
	var r *big.Int
	var scale, prec int
	switch op {
	case "+", "-":
		scale = max(s1, s2)
		prec = max(p1-s1, p2-s2) + scale + 1
		x, y := rescale(a.dec, s1, scale), rescale(b.dec, s2, scale)
		if op == "+" {
			r = new(big.Int).Add(x, y)
		} else {
			r = new(big.Int).Sub(x, y)
		}
	case "*":
		scale, prec = s1+s2, p1+p2+1
		r = new(big.Int).Mul(a.dec, b.dec)
	case "/":
		if b.dec.Sign() == 0 {
			return Value{}, failf(ErrDivideByZero, "division of DT_NUMERIC by 0")
		}
		scale = max(6, s1+p2+1)
		prec = p1 - s1 + s2 + scale
		if prec > maxPrecision { // keep at least 6 fractional digits, like SQL Server
			scale = max(min(scale, 6), scale-(prec-maxPrecision))
		}
		num := new(big.Int).Mul(a.dec, pow10(s2+scale))
		den := new(big.Int).Mul(b.dec, pow10(s1))
		r = roundQuo(num, den)
	default:
		return Value{}, failf(ErrType, "%s on DT_NUMERIC", op)
	}
	r, scale, ok := fitDec(r, scale, maxPrecision)
	if !ok {
		return Value{}, overflow(op, TypeNumeric)
	}
	prec = min(max(prec, numDigits(r), scale, 1), maxPrecision)
	return mkDec(TypeNumeric, r, prec, scale), nil
}

// cmpValues compares two non-NULL values of compatible types (both of type
// t for numbers; strings, Booleans, dates, GUIDs or bytes otherwise).
func cmpValues(t Type, a, b *Value) int {
	switch {
	case t.isSigned() || t == TypeCY:
		return cmpInt(a.i(), b.i(), 0, 0)
	case t.isUnsigned() || t == TypeBool:
		switch {
		case a.n < b.n:
			return -1
		case a.n > b.n:
			return 1
		}
		return 0
	case t == TypeR4 || t == TypeR8:
		x, y := a.f(), b.f()
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case t == TypeNumeric || t == TypeDecimal:
		if k, ok := cmpDecSmall(a, b); ok {
			return k
		}
		s := max(a.scale, b.scale)
		return rescale(a.dec, int(a.scale), int(s)).Cmp(rescale(b.dec, int(b.scale), int(s)))
	case t.IsString():
		return compareText(a.s, b.s)
	case t.IsDate():
		return a.tm.Compare(b.tm)
	}
	switch { // GUID, bytes
	case a.s < b.s:
		return -1
	case a.s > b.s:
		return 1
	}
	return 0
}

// dateCompareType returns the type two date operands are compared in, per
// the comparison pages: an offset wins, then DT_DBTIMESTAMP2, then
// DT_DBTIME2 for two times; everything else compares as DT_DBTIMESTAMP. A
// time compared with a date is an error.
func dateCompareType(a, b Type) (Type, bool) {
	if a.isTimeOnly() != b.isTimeOnly() {
		return 0, false
	}
	switch {
	case a == b:
		return a, true
	case a.isTimeOnly():
		return TypeDBTime2, true
	case a == TypeDBTimestampOffset || b == TypeDBTimestampOffset:
		return TypeDBTimestampOffset, true
	case a == TypeDBTimestamp2 || b == TypeDBTimestamp2:
		return TypeDBTimestamp2, true
	}
	return TypeDBTimestamp, true
}

// toDateCmp converts a date operand for comparison without losing
// precision: zone-less values become offsets of +00:00 when compared with
// an offset, and are otherwise compared by their wall clock.
func toDateCmp(v Value, t Type) Value {
	if t == TypeDBTimestampOffset && v.t != TypeDBTimestampOffset {
		w := v.tm
		v.tm = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
	}
	v.t = t
	return v
}

func negate(v Value) (Value, error) {
	switch {
	case v.t.isSigned():
		if v.i() == math.MinInt64 {
			return Value{}, overflow("-", v.t)
		}
		r, err := mkInt(v.t, -v.i())
		if err != nil {
			return Value{}, overflow("-", v.t)
		}
		return r, nil
	case v.t == TypeR4 || v.t == TypeR8:
		return mkFloat(v.t, -v.f()), nil
	case v.t == TypeCY:
		if v.i() == math.MinInt64 {
			return Value{}, overflow("-", v.t)
		}
		v.n = uint64(-v.i())
		return v, nil
	}
	v.dec = new(big.Int).Neg(v.dec)
	return v, nil
}

func bitNot(v Value) Value {
	if v.t.isSigned() {
		v.n = uint64(^v.i())
		return v
	}
	v.n = ^v.n
	if b := v.t.bits(); b < 64 {
		v.n &= 1<<b - 1
	}
	return v
}

// cmpDecSmall compares two decimals whose scaled values fit an int64
// without allocating, and reports whether it could.
func cmpDecSmall(a, b *Value) (int, bool) {
	if !a.dec.IsInt64() || !b.dec.IsInt64() {
		return 0, false
	}
	x, y := a.dec.Int64(), b.dec.Int64()
	for sa, sb := a.scale, b.scale; sa != sb; {
		if sa < sb {
			if x > math.MaxInt64/10 || x < math.MinInt64/10 {
				return 0, false
			}
			x *= 10
			sa++
		} else {
			if y > math.MaxInt64/10 || y < math.MinInt64/10 {
				return 0, false
			}
			y *= 10
			sb++
		}
	}
	return cmpInt(x, y, 0, 0), true
}
