package expr

import (
	"math/big"
	"time"
)

// StrCell returns the DT_STR, DT_TEXT, DT_WSTR or DT_NTEXT value of type
// spec s holding v as it is. It is what Str(v).Cast(s) gives for a v the
// type holds unchanged (printable ASCII in a single-byte or UTF-8 code page,
// within the length), without the conversion: a data flow reads its buffer
// cells, already converted to their column's type, with it.
func StrCell(s TypeSpec, v string) Value {
	out := Value{t: s.Type, s: v}
	if s.Type == TypeStr || s.Type == TypeText {
		out.cp = int32(s.CodePage)
	}
	return out
}

// DBDateCell returns the DT_DBDATE value of the day of t, which must be a
// midnight in UTC of the years 1 to 9999, as the cast of Date(t) gives.
func DBDateCell(t time.Time) Value {
	return Value{t: TypeDBDate, tm: t}
}

// DecimalCell returns the DT_NUMERIC or DT_DECIMAL value coef × 10^-scale of
// type spec s (coef at s's scale, within its precision; a DT_NUMERIC with a
// precision), as the cast of its text to s gives.
func DecimalCell(s TypeSpec, coef int64) Value {
	prec := s.Precision
	if s.Type == TypeDecimal {
		prec = 29
	}
	return mkDec(s.Type, big.NewInt(coef), prec, s.Scale)
}
