package dftask

import (
	"strconv"
	"time"

	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// fastCell is a flat file cell parsed without going through an expression
// value: parseFast fills it for the plain forms of the common types, and
// everything else takes the general conversion (cell text → expr.Value →
// buffer), which gives the same result more slowly and reports the errors.
type fastCell struct {
	ok  bool
	n   int64
	s   string
	b   bool
	t   time.Time
	dec dataflow.Decimal
}

// parseFast parses raw, the text of a cell, as the type s when it is in a
// plain form whose value the general conversion is sure to give too: a
// decimal integer in range, True or False, an ASCII string that fits, a
// yyyy-mm-dd date, a decimal number with no more places than the scale. It
// reports whether it did; the caller then converts the slow way.
func parseFast(s expr.TypeSpec, raw []byte, into *fastCell) bool {
	into.ok = false
	switch s.Type {
	case expr.TypeI1, expr.TypeI2, expr.TypeI4, expr.TypeI8:
		n, ok := plainInt(raw, intBits(s.Type))
		if !ok {
			return false
		}
		into.n = n
	case expr.TypeBool:
		switch string(raw) {
		case "True":
			into.b = true
		case "False":
			into.b = false
		default:
			return false
		}
	case expr.TypeStr, expr.TypeWStr, expr.TypeText, expr.TypeNText:
		if !plainASCII(raw, s.Length) {
			return false
		}
		into.s = string(raw)
	case expr.TypeDBDate:
		t, ok := plainDate(raw)
		if !ok {
			return false
		}
		into.t = t
	case expr.TypeNumeric, expr.TypeDecimal:
		d, ok := plainDecimal(raw, s)
		if !ok {
			return false
		}
		into.dec = d
	default:
		return false
	}
	into.ok = true
	return true
}

// set writes a parsed cell into the buffer cell of a column of kind k.
func (f *fastCell) set(b *dataflow.Buffer, col, row int, k dataflow.Kind) {
	switch k {
	case dataflow.KindBool:
		b.SetBool(col, row, f.b)
	case dataflow.KindString, dataflow.KindWString:
		b.SetString(col, row, f.s)
	case dataflow.KindTime:
		b.SetTime(col, row, f.t)
	case dataflow.KindDecimal:
		b.SetDecimal(col, row, f.dec)
	default:
		b.SetInt64(col, row, f.n)
	}
}

func intBits(t expr.Type) int {
	switch t {
	case expr.TypeI1:
		return 8
	case expr.TypeI2:
		return 16
	case expr.TypeI4:
		return 32
	}
	return 64
}

// plainInt parses an optional minus and one to 18 digits that fit bits.
func plainInt(raw []byte, bits int) (int64, bool) {
	neg := len(raw) > 0 && raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	if len(raw) == 0 || len(raw) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	if lim := int64(1) << (bits - 1); bits < 64 && (n < -lim || n >= lim) {
		return 0, false
	}
	return n, true
}

// plainASCII reports whether raw is printable ASCII of at most length bytes
// (any length when length is 0), which every code page holds as it is.
func plainASCII(raw []byte, length int) bool {
	if length > 0 && len(raw) > length {
		return false
	}
	for _, c := range raw {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// plainDate parses yyyy-mm-dd (year from 1000) as the midnight UTC the
// general conversion gives a DT_DBDATE.
func plainDate(raw []byte) (time.Time, bool) {
	if len(raw) != 10 || raw[4] != '-' || raw[7] != '-' || raw[0] == '0' {
		return time.Time{}, false
	}
	y, ok1 := plainInt(raw[0:4], 64)
	m, ok2 := plainInt(raw[5:7], 64)
	d, ok3 := plainInt(raw[8:10], 64)
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 28 && d > int64(daysIn(time.Month(m), int(y))) {
		return time.Time{}, false
	}
	return time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC), true
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// plainDecimal parses an optional minus, digits and an optional point with
// up to the scale's digits after it, within the precision (18 digits at
// most), as the coefficient at the column's scale.
func plainDecimal(raw []byte, s expr.TypeSpec) (dataflow.Decimal, bool) {
	scale := s.Scale
	neg := len(raw) > 0 && raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	whole, frac := raw, []byte(nil)
	for i, c := range raw {
		if c == '.' {
			whole, frac = raw[:i], raw[i+1:]
			break
		}
	}
	prec := s.Precision
	if s.Type == expr.TypeDecimal || prec == 0 {
		prec = 18
	}
	if len(whole) == 0 || len(frac) > scale || len(whole)+scale > prec || len(whole)+scale > 18 || (frac != nil && len(frac) == 0) {
		return dataflow.Decimal{}, false
	}
	var n int64
	for _, part := range [][]byte{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return dataflow.Decimal{}, false
			}
			n = n*10 + int64(c-'0')
		}
	}
	for i := len(frac); i < scale; i++ {
		n *= 10
	}
	if neg {
		n = -n
	}
	return dataflow.NewDecimal(n, uint8(scale)), true
}

// appendText appends the text a flat file holds for a cell of type s, when
// it is one whose text is plain (a signed integer, a Boolean, an ASCII
// string that fits, a decimal, a date of years 1000 to 9999), and reports
// whether it did; else the caller goes through cell and text, which give
// the same text more slowly.
func appendText(dst []byte, b *dataflow.Buffer, col, row int, s expr.TypeSpec) ([]byte, bool) {
	k := b.Layout().Columns[col].Kind
	switch {
	case b.IsNull(col, row):
		return dst, true
	case k == dataflow.KindString || k == dataflow.KindWString:
		switch s.Type {
		case expr.TypeStr, expr.TypeWStr, expr.TypeText, expr.TypeNText:
		default:
			return dst, false
		}
		v := b.String(col, row)
		if len(v) > 0 && !plainASCII([]byte(v), s.Length) {
			return dst, false
		}
		return append(dst, v...), true
	case k >= dataflow.KindInt8 && k <= dataflow.KindInt64:
		switch s.Type {
		case expr.TypeI1, expr.TypeI2, expr.TypeI4, expr.TypeI8:
			return strconv.AppendInt(dst, b.Int64(col, row), 10), true
		}
	case k == dataflow.KindBool && s.Type == expr.TypeBool:
		if b.Bool(col, row) {
			return append(dst, "True"...), true
		}
		return append(dst, "False"...), true
	case k == dataflow.KindDecimal && (s.Type == expr.TypeNumeric || s.Type == expr.TypeDecimal):
		d := b.Decimal(col, row)
		if c, ok := d.Coefficient(); ok && int(d.Scale) == s.Scale {
			return appendDecimal(dst, c, s.Scale), true
		}
	case k == dataflow.KindTime && s.Type == expr.TypeDBDate:
		t := b.Time(col, row)
		if y := t.Year(); y >= 1000 && y <= 9999 && t.Location() == time.UTC {
			return t.AppendFormat(dst, time.DateOnly), true
		}
	}
	return dst, false
}

// cellFast reads a cell that is not NULL as cellGeneral does, without the
// conversion, when the value is one the column's type holds unchanged: a
// printable ASCII string that fits, a decimal of the column's scale and
// precision, a DT_DBDATE. It reports whether it did.
func cellFast(b *dataflow.Buffer, col, row int, s expr.TypeSpec) (expr.Value, bool) {
	switch k := b.Layout().Columns[col].Kind; k {
	case dataflow.KindString, dataflow.KindWString:
		switch s.Type {
		case expr.TypeStr, expr.TypeText:
			if s.CodePage != 65001 && s.CodePage != 1252 {
				return expr.Value{}, false
			}
		case expr.TypeWStr, expr.TypeNText:
		default:
			return expr.Value{}, false
		}
		v := b.String(col, row)
		if !plainASCII([]byte(v), s.Length) {
			return expr.Value{}, false
		}
		return expr.StrCell(s, v), true
	case dataflow.KindDecimal:
		d := b.Decimal(col, row)
		c, ok := d.Coefficient()
		if !ok || int(d.Scale) != s.Scale {
			return expr.Value{}, false
		}
		switch {
		case s.Type == expr.TypeDecimal && digits(c) <= 18,
			s.Type == expr.TypeNumeric && s.Precision > 0 && digits(c) <= s.Precision:
			return expr.DecimalCell(s, c), true
		}
	case dataflow.KindTime:
		t := b.Time(col, row)
		if s.Type == expr.TypeDBDate && t.Location() == time.UTC && t.Year() >= 1 && t.Year() <= 9999 &&
			t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
			return expr.DBDateCell(t), true
		}
	}
	return expr.Value{}, false
}

// digits is the number of decimal digits of c's magnitude (1 for 0).
func digits(c int64) int {
	if c < 0 {
		c = -c
	}
	n := 1
	for ; c >= 10; c /= 10 {
		n++
	}
	return n
}

// appendDecimal appends c × 10^-scale with scale digits after the point
// and at least one before it, as Decimal.String writes it.
func appendDecimal(dst []byte, c int64, scale int) []byte {
	u := uint64(c)
	if c < 0 {
		dst = append(dst, '-')
		u = -u
	}
	var buf [24]byte
	num := strconv.AppendUint(buf[:0], u, 10)
	for len(num) <= scale {
		num = append(num[:1], num...)
		num[0] = '0'
	}
	dst = append(dst, num[:len(num)-scale]...)
	if scale > 0 {
		dst = append(dst, '.')
		dst = append(dst, num[len(num)-scale:]...)
	}
	return dst
}
