package expr

import (
	"math"
	"math/big"
	"testing"
)

// TestFormatDecSmall checks the int64 path of formatDec against the
// big.Int one.
func TestFormatDecSmall(t *testing.T) {
	for _, n := range []int64{0, 1, -1, 5, -5, 12345, -12345, 100, math.MaxInt64, math.MinInt64} {
		for _, scale := range []int{0, 1, 2, 5, 19} {
			want := formatDecBig(big.NewInt(n), scale)
			if got := formatDec(big.NewInt(n), scale); got != want {
				t.Errorf("formatDec(%d, %d) = %q, want %q", n, scale, got, want)
			}
		}
	}
}

// formatDecBig is formatDec without its int64 path.
func formatDecBig(x *big.Int, scale int) string {
	s := new(big.Int).Abs(x).String()
	if scale > 0 {
		for len(s) <= scale {
			s = "0" + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if x.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// TestCmpDecSmall checks the int64 comparison of decimals of different
// scales, and that it gives up where scaling would overflow.
func TestCmpDecSmall(t *testing.T) {
	dec := func(n int64, scale int) Value { return mkDec(TypeNumeric, big.NewInt(n), 38, scale) }
	cases := []struct {
		name string
		a, b Value
		want int
		ok   bool
	}{
		{"equalAcrossScales", dec(150, 2), dec(15, 1), 0, true},
		{"less", dec(1499, 3), dec(15, 1), -1, true},
		{"greaterNegative", dec(-1, 0), dec(-15, 1), 1, true},
		{"overflowGivesUp", dec(math.MaxInt64/5, 0), dec(1, 1), 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := cmpDecSmall(&c.a, &c.b)
			if ok != c.ok || ok && got != c.want {
				t.Fatalf("cmpDecSmall = %d, %v; want %d, %v", got, ok, c.want, c.ok)
			}
			if k := cmpValues(TypeNumeric, &c.a, &c.b); !ok && k != 1 {
				t.Fatalf("cmpValues = %d, want 1 by the big.Int path", k)
			}
		})
	}
}

// TestNumDigits checks the digit count against the decimal text, around
// powers of ten and past the int64 range.
func TestNumDigits(t *testing.T) {
	for d := 1; d <= 80; d++ {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)
		for _, x := range []*big.Int{p, new(big.Int).Sub(p, big.NewInt(1)), new(big.Int).Neg(p), new(big.Int).Add(p, big.NewInt(7))} {
			want := len(new(big.Int).Abs(x).String())
			if got := numDigits(x); got != want {
				t.Errorf("numDigits(%s) = %d, want %d", x, got, want)
			}
		}
	}
	if got := numDigits(big.NewInt(math.MinInt64)); got != 19 {
		t.Errorf("numDigits(MinInt64) = %d, want 19", got)
	}
}
