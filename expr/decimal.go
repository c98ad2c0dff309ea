package expr

import (
	"math/big"
	"strings"
)

// Exact decimals (DT_NUMERIC, DT_DECIMAL) are a *big.Int coefficient and a
// scale: 137.1574 is 1371574 with scale 4. Rounding is half away from zero
// everywhere, as ROUND(137.1575,3) = 137.1580 shows.

const maxPrecision = 38

var pow10s = func() [2*maxPrecision + 2]*big.Int {
	var p [2*maxPrecision + 2]*big.Int
	p[0] = big.NewInt(1)
	ten := big.NewInt(10)
	for i := 1; i < len(p); i++ {
		p[i] = new(big.Int).Mul(p[i-1], ten)
	}
	return p
}()

// pow10 returns 10ⁿ; the result must not be modified.
func pow10(n int) *big.Int {
	if n < len(pow10s) {
		return pow10s[n]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// numDigits returns the number of decimal digits of |x| (0 has none).
func numDigits(x *big.Int) int {
	if x.Sign() == 0 {
		return 0
	}
	if x.IsInt64() {
		n := x.Int64()
		u := uint64(n)
		if n < 0 {
			u = -u
		}
		d := 0
		for ; u > 0; u /= 10 {
			d++
		}
		return d
	}
	// 10^d <= 2^(bits-1) <= |x|: count up from there to the first power
	// of ten above |x|, without allocating.
	d := max(int(float64(x.BitLen()-1)*0.30102999566398120)-1, 0)
	for d < len(pow10s) && x.CmpAbs(pow10s[d]) >= 0 {
		d++
	}
	if d == len(pow10s) {
		return len(new(big.Int).Abs(x).String())
	}
	return d
}

// roundQuo returns a/b rounded half away from zero.
func roundQuo(a, b *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	if r.Sign() == 0 {
		return q
	}
	r2 := new(big.Int).Abs(r)
	r2.Lsh(r2, 1)
	if r2.Cmp(new(big.Int).Abs(b)) >= 0 {
		if (a.Sign() < 0) != (b.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// rescale changes the scale of a coefficient, rounding when it shrinks.
func rescale(x *big.Int, from, to int) *big.Int {
	switch {
	case to == from:
		return x
	case to > from:
		return new(big.Int).Mul(x, pow10(to-from))
	}
	return roundQuo(x, pow10(from-to))
}

// ratToDec rounds r to scale digits.
func ratToDec(r *big.Rat, scale int) *big.Int {
	num := new(big.Int).Mul(r.Num(), pow10(scale))
	return roundQuo(num, r.Denom())
}

// formatDec renders a coefficient with its scale: "124.00", "-0.5".
func formatDec(x *big.Int, scale int) string {
	if x.IsInt64() && scale < 20 {
		return formatDecSmall(x.Int64(), scale)
	}
	neg := x.Sign() < 0
	s := new(big.Int).Abs(x).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// parseDec reads "-12.340", "+5", ".5", "6." into a coefficient and scale.
// An exponent ("1.5E3") is accepted too and folded into the scale.
func parseDec(s string) (*big.Int, int, bool) {
	if s == "" {
		return nil, 0, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, ok := atoiSigned(s[i+1:])
		if !ok || e > 400 || e < -400 {
			return nil, 0, false
		}
		exp, s = e, s[:i]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return nil, 0, false
	}
	digits := intPart + frac
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return nil, 0, false
		}
	}
	x, _ := new(big.Int).SetString("0"+digits, 10)
	scale := len(frac) - exp
	if scale < 0 {
		x.Mul(x, pow10(-scale))
		scale = 0
	}
	if neg {
		x.Neg(x)
	}
	return x, scale, true
}

func atoiSigned(s string) (int, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || len(s) > 6 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// fitDec checks that a coefficient with a scale fits a precision, reducing
// the scale (rounding) when only fractional digits are too many. It returns
// the coefficient, its scale and precision, or ok=false on overflow.
func fitDec(x *big.Int, scale, prec int) (*big.Int, int, bool) {
	for numDigits(x) > prec && scale > 0 {
		drop := numDigits(x) - prec
		if drop > scale {
			drop = scale
		}
		x = rescale(x, scale, scale-drop)
		scale -= drop
	}
	return x, scale, numDigits(x) <= prec
}

// formatDecSmall is formatDec for a scaled value that fits an int64, with
// one allocation.
func formatDecSmall(n int64, scale int) string {
	var buf [48]byte
	i := len(buf)
	u := uint64(n)
	if n < 0 {
		u = -u
	}
	for d := 0; u > 0 || d <= scale; d++ {
		if d == scale && scale > 0 {
			i--
			buf[i] = '.'
		}
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	if n < 0 {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
