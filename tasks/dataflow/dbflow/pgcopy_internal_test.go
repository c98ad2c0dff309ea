package dbflow

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// appendTime writes what time.Time.AppendFormat writes, faster.
func TestAppendTime(t *testing.T) {
	east := time.FixedZone("", 5*3600+30*60)
	west := time.FixedZone("", -(8*3600 + 15*60 + 7))
	for _, tt := range []time.Time{
		time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.UTC),
		time.Date(2019, 3, 4, 0, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1000, east),
		time.Date(9999, 12, 31, 23, 59, 59, 500000000, west),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		t.Run(tt.String(), func(t *testing.T) {
			want := tt.Format("2006-01-02 15:04:05.999999-07:00")
			if _, off := tt.Zone(); off%60 != 0 {
				want = tt.Format("2006-01-02 15:04:05.999999-07:00:00")
			}
			if tt.Year() > 9999 {
				want = tt.Format("2006-01-02 15:04:05.999999Z07:00")
			}
			if got := string(appendTime(nil, tt)); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

// appendCopyText writes each kind as COPY's text format reads it.
func TestAppendCopyText(t *testing.T) {
	tests := []struct {
		col  dataflow.Column
		v    any
		want string
	}{
		{dataflow.Column{Kind: dataflow.KindBool}, true, "t"},
		{dataflow.Column{Kind: dataflow.KindInt16}, int64(-5), "-5"},
		{dataflow.Column{Kind: dataflow.KindUint64}, uint64(1<<64 - 1), "18446744073709551615"},
		{dataflow.Column{Kind: dataflow.KindFloat32}, float32(0.1), "0.1"},
		{dataflow.Column{Kind: dataflow.KindFloat64}, math.Inf(-1), "-Infinity"},
		{dataflow.Column{Kind: dataflow.KindFloat64}, math.NaN(), "NaN"},
		{dataflow.Column{Kind: dataflow.KindDecimal, Scale: 3}, dataflow.NewDecimal(-5, 3), "-0.005"},
		{dataflow.Column{Kind: dataflow.KindDecimal, Scale: 0}, dataflow.NewDecimal(42, 0), "42"},
		{dataflow.Column{Kind: dataflow.KindDecimal, Scale: 2}, dataflow.Decimal{Hi: 1, Lo: 0, Scale: 2}, "184467440737095516.16"},
		{dataflow.Column{Kind: dataflow.KindWString}, "a\\b\tc\nd\re", `a\\b\tc\nd\re`},
		{dataflow.Column{Kind: dataflow.KindBytes}, []byte{0, 0xab}, `\\x00ab`},
		{dataflow.Column{Kind: dataflow.KindGUID}, []byte{0x6f, 0x9a, 0x1b, 0x2c, 0x3d, 0x4e, 0x4f, 0x50, 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8}, "6f9a1b2c-3d4e-4f50-8192-a3b4c5d6e7f8"},
		{dataflow.Column{Kind: dataflow.KindString}, nil, `\N`},
	}
	for _, tt := range tests {
		t.Run(tt.col.Kind.String()+"/"+tt.want, func(t *testing.T) {
			tt.col.Name, tt.col.LineageID = "c", 1
			l, err := dataflow.NewLayout([]dataflow.Column{tt.col})
			if err != nil {
				t.Fatal(err)
			}
			b := dataflow.NewBuffer(l)
			r := b.AddRow()
			if err := b.SetValue(0, r, tt.v); err != nil {
				t.Fatal(err)
			}
			if got := string(appendCopyText(nil, b, 0, r, tt.col.Kind)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// decimal reads a database's numeric value at the column's scale, rounding
// half away from zero.
func TestDecimal(t *testing.T) {
	tests := []struct {
		in    any
		scale int
		want  string
		err   bool
	}{
		{"12.345", 2, "12.35", false},
		{[]byte("-12.345"), 2, "-12.35", false},
		{int64(7), 2, "7.00", false},
		{float64(0.1), 4, "0.1000", false},
		{"99999999999999999999999999999999999999", 0, "99999999999999999999999999999999999999", false},
		{"1e40", 0, "", true},
		{"abc", 2, "", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in), func(t *testing.T) {
			d, err := decimal(tt.in, tt.scale)
			if tt.err != (err != nil) {
				t.Fatalf("err = %v, want an error: %v", err, tt.err)
			}
			if err == nil && d.String() != tt.want {
				t.Errorf("got %s, want %s", d, tt.want)
			}
		})
	}
}
