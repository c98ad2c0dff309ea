package dbflow

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// setCell stores a value a driver returned (nil, int64, float64, bool,
// []byte, string, time.Time) in a cell of the column's kind, converting as
// the column's type needs; a value that does not convert is an error that
// names it.
func setCell(b *dataflow.Buffer, col, row int, c dataflow.Column, v any) error {
	if v == nil {
		b.SetNull(col, row)
		return nil
	}
	bad := func(err error) error {
		if err != nil {
			return fmt.Errorf("the value %v (%T) does not convert to %s: %w", v, v, c.Kind, err)
		}
		return fmt.Errorf("the value %v (%T) does not convert to %s", v, v, c.Kind)
	}
	switch c.Kind {
	case dataflow.KindInt8, dataflow.KindInt16, dataflow.KindInt32, dataflow.KindInt64,
		dataflow.KindUint8, dataflow.KindUint16, dataflow.KindUint32, dataflow.KindUint64:
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case int32:
			n = int64(x)
		case int:
			n = int64(x)
		case bool:
			if x {
				n = 1
			}
		case float64:
			if x != float64(int64(x)) {
				return bad(nil)
			}
			n = int64(x)
		case []byte, string:
			s := strings.TrimSpace(text(x))
			var err error
			if c.Kind == dataflow.KindUint64 {
				var u uint64
				u, err = strconv.ParseUint(s, 10, 64)
				n = int64(u)
			} else {
				n, err = strconv.ParseInt(s, 10, 64)
			}
			if err != nil {
				return bad(err)
			}
		default:
			return bad(nil)
		}
		if !fits(c.Kind, n) {
			return bad(fmt.Errorf("out of range"))
		}
		b.SetInt64(col, row, n)
	case dataflow.KindFloat32, dataflow.KindFloat64:
		switch x := v.(type) {
		case float64:
			b.SetFloat64(col, row, x)
		case float32:
			b.SetFloat64(col, row, float64(x))
		case int64:
			b.SetFloat64(col, row, float64(x))
		case []byte, string:
			f, err := strconv.ParseFloat(strings.TrimSpace(text(x)), 64)
			if err != nil {
				return bad(err)
			}
			b.SetFloat64(col, row, f)
		default:
			return bad(nil)
		}
	case dataflow.KindBool:
		switch x := v.(type) {
		case bool:
			b.SetBool(col, row, x)
		case int64:
			b.SetBool(col, row, x != 0)
		case []byte, string:
			t, err := strconv.ParseBool(strings.TrimSpace(text(x)))
			if err != nil {
				return bad(err)
			}
			b.SetBool(col, row, t)
		default:
			return bad(nil)
		}
	case dataflow.KindString, dataflow.KindWString:
		switch x := v.(type) {
		case string:
			b.SetString(col, row, x)
		case []byte:
			b.SetString(col, row, string(x))
		case time.Time:
			b.SetString(col, row, x.Format("2006-01-02 15:04:05.9999999"))
		default:
			b.SetString(col, row, fmt.Sprint(x))
		}
	case dataflow.KindBytes:
		switch x := v.(type) {
		case []byte:
			// The driver may reuse x on the next row: the buffer keeps a copy.
			b.SetBytes(col, row, append([]byte{}, x...))
		case string:
			b.SetBytes(col, row, []byte(x))
		default:
			return bad(nil)
		}
	case dataflow.KindGUID:
		g, err := guid(v)
		if err != nil {
			return bad(err)
		}
		b.SetBytes(col, row, g)
	case dataflow.KindDecimal:
		d, err := decimal(v, c.Scale)
		if err != nil {
			return bad(err)
		}
		b.SetDecimal(col, row, d)
	case dataflow.KindTime:
		switch x := v.(type) {
		case time.Time:
			b.SetTime(col, row, x)
		case []byte, string:
			t, err := parseTime(text(x))
			if err != nil {
				return bad(err)
			}
			b.SetTime(col, row, t)
		default:
			return bad(nil)
		}
	default:
		return bad(nil)
	}
	return nil
}

func text(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v.(string)
}

// fits reports whether n is in the range of the integer kind.
func fits(k dataflow.Kind, n int64) bool {
	switch k {
	case dataflow.KindInt8:
		return n >= -1<<7 && n < 1<<7
	case dataflow.KindInt16:
		return n >= -1<<15 && n < 1<<15
	case dataflow.KindInt32:
		return n >= -1<<31 && n < 1<<31
	case dataflow.KindUint8:
		return n >= 0 && n < 1<<8
	case dataflow.KindUint16:
		return n >= 0 && n < 1<<16
	case dataflow.KindUint32:
		return n >= 0 && n < 1<<32
	}
	return true
}

// guid reads a uniqueidentifier: 16 bytes, or the text form with or without
// braces. The cell holds the 16 bytes in the text form's order.
func guid(v any) ([]byte, error) {
	if b, ok := v.([]byte); ok && len(b) == 16 {
		return append([]byte(nil), b...), nil
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case [16]byte:
		return x[:], nil
	default:
		return nil, fmt.Errorf("not a GUID")
	}
	s = strings.NewReplacer("{", "", "}", "", "-", "").Replace(strings.TrimSpace(s))
	g, err := hex.DecodeString(s)
	if err != nil || len(g) != 16 {
		return nil, fmt.Errorf("not a GUID")
	}
	return g, nil
}

// guidText formats 16 bytes as a GUID's text form.
func guidText(g []byte) string {
	h := hex.EncodeToString(g)
	if len(h) != 32 {
		return h
	}
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// decimal reads a numeric value at the column's scale, rounding half away
// from zero as SQL Server does when a value has more places.
func decimal(v any, scale int) (dataflow.Decimal, error) {
	var s string
	switch x := v.(type) {
	case int64:
		s = strconv.FormatInt(x, 10)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case []byte:
		s = string(x)
	case string:
		s = x
	default:
		return dataflow.Decimal{}, fmt.Errorf("not a number")
	}
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return dataflow.Decimal{}, fmt.Errorf("not a number")
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(r.Denom()) >= 0 {
		q.Add(q, big.NewInt(int64(r.Sign())))
	}
	if q.BitLen() > 127 {
		return dataflow.Decimal{}, fmt.Errorf("out of range")
	}
	lo := new(big.Int).And(q, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := new(big.Int).Rsh(q, 64).Int64()
	return dataflow.Decimal{Hi: hi, Lo: lo, Scale: uint8(scale)}, nil
}

// timeLayouts are the text forms of dates and times SQLite keeps.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date or time")
}

// cellValue returns a cell as a value the database drivers take: nil, int64,
// uint64 (KindUint64), float64, bool, string, []byte, time.Time, a decimal's
// text, or a GUID's text form.
func cellValue(b *dataflow.Buffer, col, row int, k dataflow.Kind) any {
	if b.IsNull(col, row) {
		return nil
	}
	switch k {
	case dataflow.KindDecimal:
		return b.Decimal(col, row).String()
	case dataflow.KindGUID:
		return guidText(b.Bytes(col, row))
	case dataflow.KindFloat32:
		return float64(float32(b.Float64(col, row)))
	}
	return b.Value(col, row)
}
