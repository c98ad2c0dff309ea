package dataflow_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

func TestDecimal(t *testing.T) {
	tests := []struct {
		coef  int64
		scale uint8
		want  string
	}{
		{12345, 2, "123.45"},
		{-5, 3, "-0.005"},
		{7, 0, "7"},
		{-9223372036854775808, 4, "-922337203685477.5808"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			d := dataflow.NewDecimal(tt.coef, tt.scale)
			if got := d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if c, ok := d.Coefficient(); !ok || c != tt.coef {
				t.Errorf("Coefficient() = %d, %v, want %d", c, ok, tt.coef)
			}
		})
	}
	big := dataflow.Decimal{Hi: 1, Lo: 0, Scale: 0}
	if _, ok := big.Coefficient(); ok || big.String() != "18446744073709551616" {
		t.Errorf("2^64: %s, fits int64 %v", big, ok)
	}
}

func TestBufferValues(t *testing.T) {
	l, err := dataflow.NewLayout([]dataflow.Column{
		{Name: "I", LineageID: 1, Kind: dataflow.KindInt16},
		{Name: "U", LineageID: 2, Kind: dataflow.KindUint64},
		{Name: "F", LineageID: 3, Kind: dataflow.KindFloat32},
		{Name: "S", LineageID: 4, Kind: dataflow.KindString, Length: 5},
		{Name: "B", LineageID: 5, Kind: dataflow.KindBytes},
	})
	if err != nil {
		t.Fatal(err)
	}
	b := dataflow.NewBuffer(l)
	tests := []struct {
		col  int
		in   any
		want any
		bad  bool
	}{
		{0, int16(-3), int64(-3), false},
		{0, nil, nil, false},
		{1, uint64(1 << 63), uint64(1 << 63), false},
		{2, float32(1.5), 1.5, false},
		{3, "abc", "abc", false},
		{3, 12, nil, true},
		{4, []byte{1}, []byte{1}, false},
		{0, "x", nil, true},
	}
	for _, tt := range tests {
		t.Run(l.Columns[tt.col].Name, func(t *testing.T) {
			r := b.AddRow()
			err := b.SetValue(tt.col, r, tt.in)
			if (err != nil) != tt.bad {
				t.Fatalf("SetValue(%v) = %v", tt.in, err)
			}
			if tt.bad {
				return
			}
			got := b.Value(tt.col, r)
			if want, ok := tt.want.([]byte); ok {
				if g, _ := got.([]byte); string(g) != string(want) {
					t.Errorf("Value = %v, want %v", got, want)
				}
				return
			}
			if got != tt.want {
				t.Errorf("Value = %#v, want %#v", got, tt.want)
			}
		})
	}
}
