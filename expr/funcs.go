package expr

import (
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// function is a built-in function: its arity and how it type-checks.
type function struct {
	name     string
	min, max int
	build    func(off int, args []cexpr) (cexpr, error)
}

func (f *function) arity() string {
	switch {
	case f.max == 0:
		return "no arguments"
	case f.min == f.max && f.min == 1:
		return "1 argument"
	case f.min == f.max:
		return strconv.Itoa(f.min) + " arguments"
	}
	return strconv.Itoa(f.min) + " to " + strconv.Itoa(f.max) + " arguments"
}

// functions holds every function of the language by upper-case name.
// NULL(type) is parsed as a type, not here.
var functions = map[string]*function{}

func init() {
	for _, f := range []*function{
		{"LEN", 1, 1, buildLen},
		{"SUBSTRING", 3, 3, buildSubstring},
		{"LEFT", 2, 2, buildLeftRight(true)},
		{"RIGHT", 2, 2, buildLeftRight(false)},
		{"UPPER", 1, 1, strFn("UPPER", strings.ToUpper)},
		{"LOWER", 1, 1, strFn("LOWER", strings.ToLower)},
		{"TRIM", 1, 1, strFn("TRIM", func(s string) string { return strings.Trim(s, " ") })},
		{"LTRIM", 1, 1, strFn("LTRIM", func(s string) string { return strings.TrimLeft(s, " ") })},
		{"RTRIM", 1, 1, strFn("RTRIM", func(s string) string { return strings.TrimRight(s, " ") })},
		{"REVERSE", 1, 1, strFn("REVERSE", reverse)},
		{"REPLACE", 3, 3, buildReplace},
		{"REPLICATE", 2, 2, buildReplicate},
		{"FINDSTRING", 3, 3, buildFindString},
		{"TOKEN", 3, 3, buildToken},
		{"TOKENCOUNT", 2, 2, buildTokenCount},
		{"CODEPOINT", 1, 1, buildCodepoint},
		{"HEX", 1, 1, buildHex},
		{"GETDATE", 0, 0, buildNow(false)},
		{"GETUTCDATE", 0, 0, buildNow(true)},
		{"DATEADD", 3, 3, buildDateAdd},
		{"DATEDIFF", 3, 3, buildDateDiff},
		{"DATEPART", 2, 2, buildDatePart},
		{"DAY", 1, 1, buildDayMonthYear("DAY", partDay)},
		{"MONTH", 1, 1, buildDayMonthYear("MONTH", partMonth)},
		{"YEAR", 1, 1, buildDayMonthYear("YEAR", partYear)},
		{"ABS", 1, 1, buildABS},
		{"CEILING", 1, 1, buildCeilFloor("CEILING", true)},
		{"FLOOR", 1, 1, buildCeilFloor("FLOOR", false)},
		{"ROUND", 2, 2, buildRound},
		{"POWER", 2, 2, buildPower},
		{"SQRT", 1, 1, realFn("SQRT", sqrt)},
		{"SQUARE", 1, 1, realFn("SQUARE", func(f float64) (float64, bool, error) { return f * f, false, nil })},
		{"EXP", 1, 1, realFn("EXP", func(f float64) (float64, bool, error) { return math.Exp(f), false, nil })},
		{"LN", 1, 1, realFn("LN", logFn(math.Log))},
		{"LOG", 1, 1, realFn("LOG", logFn(math.Log10))},
		{"SIGN", 1, 1, buildSign},
		{"ISNULL", 1, 1, buildIsNull},
		{"REPLACENULL", 2, 2, buildReplaceNull},
	} {
		functions[f.name] = f
	}
}

// Argument checks.

func isStr(t Type) bool  { return t.IsString() }
func isInt(t Type) bool  { return t.IsInteger() }
func isNum(t Type) bool  { return t.IsNumeric() }
func isDate(t Type) bool { return t.IsDate() }

var kindNames = map[string]string{"str": "a string", "int": "an integer", "num": "a number", "date": "a date"}

// checkArgs checks argument types against kinds: "str", "int", "num",
// "date", or "" for any type.
func checkArgs(off int, name string, args []cexpr, kinds ...string) error {
	for i, a := range args {
		var ok bool
		switch kinds[i] {
		case "str":
			ok = isStr(a.t)
		case "int":
			ok = isInt(a.t)
		case "num":
			ok = isNum(a.t)
		case "date":
			ok = isDate(a.t)
		default:
			ok = true
		}
		if !ok {
			hint := ""
			if kinds[i] == "date" && a.t.IsString() {
				hint = "; cast a date literal, as in (DT_DBTIMESTAMP)\"2003-08-06\""
			}
			return typeErr(off, name, "argument %d of %s must be %s, not %s%s", i+1, name, kindNames[kinds[i]], a.t, hint)
		}
	}
	return nil
}

// strict evaluates every argument and returns a NULL of type t if any is
// NULL; otherwise it calls fn, placing its error at the function.
func strict(off int, name string, t Type, args []cexpr, fn func(c *ctx, v []Value) (Value, error)) evalFn {
	n := len(args)
	return func(c *ctx) (Value, error) {
		// The arguments go on the evaluation's stack, which a Program
		// keeps from row to row, rather than in a slice of their own.
		base := len(c.stack)
		null := false
		for _, a := range args {
			v, err := a.f(c)
			if err != nil {
				c.stack = c.stack[:base]
				return Value{}, err
			}
			null = null || v.null
			c.stack = append(c.stack, v)
		}
		vals := c.stack[base : base+n : base+n]
		if null {
			c.stack = c.stack[:base]
			return Null(t), nil
		}
		v, err := fn(c, vals)
		c.stack = c.stack[:base]
		if err != nil {
			return Value{}, errAt(off, name, err)
		}
		return v, nil
	}
}

func intArg(v Value) (int64, error) { return v.Int() }

func argErr(format string, a ...any) error { return failf(ErrArgument, format, a...) }

// String functions. Positions and lengths count UTF-16 code units, as SSIS
// strings are UTF-16.

func buildLen(off int, args []cexpr) (cexpr, error) {
	if !isStr(args[0].t) && !args[0].t.isBinary() {
		return cexpr{}, typeErr(off, "LEN", "argument 1 of LEN must be a string, not %s", args[0].t)
	}
	return cexpr{t: TypeI4, f: strict(off, "LEN", TypeI4, args, func(_ *ctx, v []Value) (Value, error) {
		if v[0].t.isBinary() {
			return I4(int32(len(v[0].s))), nil
		}
		return I4(int32(unitLen(v[0].s))), nil
	})}, nil
}

func buildSubstring(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "SUBSTRING", args, "str", "int", "int"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeWStr, f: strict(off, "SUBSTRING", TypeWStr, args, func(_ *ctx, v []Value) (Value, error) {
		start, err := intArg(v[1])
		if err != nil {
			return Value{}, err
		}
		length, err := intArg(v[2])
		if err != nil {
			return Value{}, err
		}
		if start < 1 {
			return Value{}, argErr("the start index %d is not valid for SUBSTRING: it is 1-based and must be greater than 0", start)
		}
		if length < 0 {
			return Value{}, argErr("the length %d is not valid for SUBSTRING: it cannot be negative", length)
		}
		n := int64(unitLen(v[0].s))
		if start > n {
			return Str(""), nil
		}
		end := n
		if length < n-(start-1) {
			end = start - 1 + length
		}
		return Str(unitSlice(v[0].s, int(start-1), int(end))), nil
	})}, nil
}

func buildLeftRight(left bool) func(int, []cexpr) (cexpr, error) {
	name := "RIGHT"
	if left {
		name = "LEFT"
	}
	return func(off int, args []cexpr) (cexpr, error) {
		if err := checkArgs(off, name, args, "str", "int"); err != nil {
			return cexpr{}, err
		}
		return cexpr{t: TypeWStr, f: strict(off, name, TypeWStr, args, func(_ *ctx, v []Value) (Value, error) {
			k, err := intArg(v[1])
			if err != nil {
				return Value{}, err
			}
			if k < 0 {
				return Value{}, argErr("the length %d is not valid for %s: it cannot be negative", k, name)
			}
			s := v[0].s
			n := int64(unitLen(s))
			if k >= n {
				return Str(s), nil
			}
			if left {
				return Str(unitSlice(s, 0, int(k))), nil
			}
			return Str(unitSlice(s, int(n-k), int(n))), nil
		})}, nil
	}
}

func strFn(name string, fn func(string) string) func(int, []cexpr) (cexpr, error) {
	return func(off int, args []cexpr) (cexpr, error) {
		if err := checkArgs(off, name, args, "str"); err != nil {
			return cexpr{}, err
		}
		return cexpr{t: TypeWStr, f: strict(off, name, TypeWStr, args, func(_ *ctx, v []Value) (Value, error) {
			return Str(fn(v[0].s)), nil
		})}, nil
	}
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

func buildReplace(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "REPLACE", args, "str", "str", "str"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeWStr, f: strict(off, "REPLACE", TypeWStr, args, func(_ *ctx, v []Value) (Value, error) {
		s, find, repl := v[0].s, v[1].s, v[2].s
		if find == "" {
			return Value{}, argErr("the search string of REPLACE must not be empty")
		}
		if n := strings.Count(s, find); n > 0 && len(repl) > len(find) && len(s)+n*(len(repl)-len(find)) > maxResult {
			return Value{}, argErr("the result is longer than %d characters", maxResult)
		}
		return Str(strings.ReplaceAll(s, find, repl)), nil
	})}, nil
}

func buildReplicate(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "REPLICATE", args, "str", "int"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeWStr, f: strict(off, "REPLICATE", TypeWStr, args, func(_ *ctx, v []Value) (Value, error) {
		n, err := intArg(v[1])
		if err != nil {
			return Value{}, err
		}
		if n < 0 {
			return Value{}, argErr("the count %d is not valid for REPLICATE: it cannot be negative", n)
		}
		if s := v[0].s; s != "" && n > int64(maxResult/len(s)) {
			return Value{}, argErr("the result is longer than %d characters", maxResult)
		}
		return Str(strings.Repeat(v[0].s, int(n))), nil
	})}, nil
}

func buildFindString(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "FINDSTRING", args, "str", "str", "int"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeI4, f: strict(off, "FINDSTRING", TypeI4, args, func(_ *ctx, v []Value) (Value, error) {
		occ, err := intArg(v[2])
		if err != nil {
			return Value{}, err
		}
		if occ < 1 {
			return Value{}, argErr("the occurrence %d is not valid for FINDSTRING: it must be greater than 0", occ)
		}
		return I4(int32(findNth(v[0].s, v[1].s, occ))), nil
	})}, nil
}

// findNth returns the 1-based code unit position of the n-th occurrence of
// find in s, or 0. Occurrences may overlap. Searching the UTF-8 text finds
// the same matches as searching UTF-16 code units.
func findNth(s, find string, n int64) int {
	if find == "" {
		return 0
	}
	from, before := 0, 0 // before: code units of s[:from]
	for {
		i := strings.Index(s[from:], find)
		if i < 0 {
			return 0
		}
		before += unitLen(s[from : from+i])
		if n--; n == 0 {
			return before + 1
		}
		r, w := utf8.DecodeRuneInString(s[from+i:])
		before++
		if r >= 0x10000 {
			before++
		}
		from += i + w
	}
}

// scanTokens splits s at any of the delimiter characters and returns the
// n-th token (1-based; "" past the last) and the number of tokens seen.
// Runs of delimiters count as one and leading and trailing ones are
// skipped, as C's strtok does: TOKENCOUNT("        a little white dog"," ")
// is 4. With n = 0 it counts every token.
func scanTokens(s, delims string, n int64) (string, int64) {
	var ascii [utf8.RuneSelf]bool
	var other map[rune]bool
	for _, r := range delims {
		if r < utf8.RuneSelf {
			ascii[r] = true
		} else {
			if other == nil {
				other = map[rune]bool{}
			}
			other[r] = true
		}
	}
	count, start := int64(0), -1
	for i, r := range s {
		delim := r < utf8.RuneSelf && ascii[r] || r >= utf8.RuneSelf && other[r]
		switch {
		case !delim && start < 0:
			start = i
		case delim && start >= 0:
			if count++; count == n {
				return s[start:i], count
			}
			start = -1
		}
	}
	if start >= 0 {
		if count++; count == n {
			return s[start:], count
		}
	}
	return "", count
}

func buildToken(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "TOKEN", args, "str", "str", "int"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeWStr, f: strict(off, "TOKEN", TypeWStr, args, func(_ *ctx, v []Value) (Value, error) {
		occ, err := intArg(v[2])
		if err != nil {
			return Value{}, err
		}
		if v[1].s == "" {
			return Value{}, argErr("the delimiter string of TOKEN must not be empty")
		}
		if occ < 1 {
			return Value{}, argErr("the occurrence %d is not valid for TOKEN: it must be greater than 0", occ)
		}
		// Past the last token: "", as the example shows, not the NULL of
		// the remark (erratum A.11 #1).
		tok, _ := scanTokens(v[0].s, v[1].s, occ)
		return Str(tok), nil
	})}, nil
}

func buildTokenCount(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "TOKENCOUNT", args, "str", "str"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeI4, f: func(c *ctx) (Value, error) {
		s, err := args[0].f(c)
		if err != nil {
			return Value{}, err
		}
		d, err := args[1].f(c)
		if err != nil {
			return Value{}, err
		}
		if s.null {
			return I4(0), nil // documented: 0 for a NULL string
		}
		if d.null {
			return Null(TypeI4), nil
		}
		if d.s == "" {
			return Value{}, errAt(off, "TOKENCOUNT", argErr("the delimiter string of TOKENCOUNT must not be empty"))
		}
		_, n := scanTokens(s.s, d.s, 0)
		return I4(int32(n)), nil
	}}, nil
}

func buildCodepoint(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "CODEPOINT", args, "str"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeUI2, f: strict(off, "CODEPOINT", TypeUI2, args, func(_ *ctx, v []Value) (Value, error) {
		if v[0].s == "" {
			return Null(TypeUI2), nil
		}
		r := []rune(v[0].s[:min(len(v[0].s), 4)])[0]
		u := uint64(r)
		if r >= 0x10000 {
			hi, _ := utf16.EncodeRune(r)
			u = uint64(hi)
		}
		return Value{t: TypeUI2, n: u}, nil
	})}, nil
}

// HEX writes an integer in upper-case hexadecimal without leading zeros; a
// negative value is written in two's complement at the width of its type
// (HEX(-1) of a DT_I4 is FFFFFFFF).
func buildHex(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "HEX", args, "int"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeWStr, f: strict(off, "HEX", TypeWStr, args, func(_ *ctx, v []Value) (Value, error) {
		n := v[0].n
		if b := v[0].t.bits(); b < 64 {
			n &= 1<<b - 1
		}
		return Str(strings.ToUpper(strconv.FormatUint(n, 16))), nil
	})}, nil
}

// Mathematical functions.

func buildABS(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "ABS", args, "num"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: args[0].t, f: strict(off, "ABS", args[0].t, args, func(_ *ctx, v []Value) (Value, error) {
		x := v[0]
		if sign(x) < 0 {
			return negate(x)
		}
		return x, nil
	})}, nil
}

func sign(v Value) int {
	switch {
	case v.t.isSigned() || v.t == TypeCY:
		return cmpInt(v.i(), 0, 0, 0)
	case v.t.isUnsigned():
		if v.n == 0 {
			return 0
		}
		return 1
	case v.t == TypeR4 || v.t == TypeR8:
		switch f := v.f(); {
		case f < 0:
			return -1
		case f > 0:
			return 1
		}
		return 0
	}
	return v.dec.Sign()
}

func buildSign(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "SIGN", args, "num"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeI4, f: strict(off, "SIGN", TypeI4, args, func(_ *ctx, v []Value) (Value, error) {
		return I4(int32(sign(v[0]))), nil
	})}, nil
}

// CEILING and FLOOR keep the type of their argument and, for DT_NUMERIC,
// its scale: CEILING(123.74) is 124.00.
func buildCeilFloor(name string, ceil bool) func(int, []cexpr) (cexpr, error) {
	return func(off int, args []cexpr) (cexpr, error) {
		if err := checkArgs(off, name, args, "num"); err != nil {
			return cexpr{}, err
		}
		return cexpr{t: args[0].t, f: strict(off, name, args[0].t, args, func(_ *ctx, v []Value) (Value, error) {
			x := v[0]
			switch {
			case x.t.IsInteger():
				return x, nil
			case x.t == TypeR4 || x.t == TypeR8:
				if ceil {
					return mkFloat(x.t, math.Ceil(x.f())), nil
				}
				return mkFloat(x.t, math.Floor(x.f())), nil
			case x.t == TypeCY:
				r := ceilFloor(big.NewInt(x.i()), 4, ceil)
				if !r.IsInt64() {
					return Value{}, overflow(name, TypeCY)
				}
				return Value{t: TypeCY, n: uint64(r.Int64())}, nil
			}
			return decResult(name, x, ceilFloor(x.dec, int(x.scale), ceil))
		})}, nil
	}
}

// ceilFloor rounds a coefficient to an integer, up or down, keeping scale.
func ceilFloor(x *big.Int, scale int, ceil bool) *big.Int {
	p := pow10(scale)
	q, m := new(big.Int).DivMod(x, p, new(big.Int)) // Euclidean: m >= 0, so q is the floor
	if ceil && m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Mul(q, p)
}

// decResult puts a new coefficient in the shape of x, growing the
// precision when the integer part needs another digit.
func decResult(name string, x Value, r *big.Int) (Value, error) {
	prec := max(int(x.prec), numDigits(r))
	if prec > maxPrecision || x.t == TypeDecimal && prec > 29 {
		return Value{}, overflow(name, x.t)
	}
	return mkDec(x.t, r, prec, int(x.scale)), nil
}

// ROUND rounds half away from zero and keeps the type and scale of its
// argument: ROUND(137.1575,3) is 137.1580.
func buildRound(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "ROUND", args, "num", "int"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: args[0].t, f: strict(off, "ROUND", args[0].t, args, func(_ *ctx, v []Value) (Value, error) {
		n, err := intArg(v[1])
		if err != nil {
			return Value{}, err
		}
		if n < 0 {
			return Value{}, argErr("the length %d is not valid for ROUND: it must be zero or positive", n)
		}
		x := v[0]
		switch {
		case x.t.IsInteger():
			return x, nil
		case x.t == TypeR4 || x.t == TypeR8:
			return mkFloat(x.t, roundFloat(x.f(), n, x.t)), nil
		case x.t == TypeCY:
			if n >= 4 {
				return x, nil
			}
			r := rescale(rescale(big.NewInt(x.i()), 4, int(n)), int(n), 4)
			if !r.IsInt64() {
				return Value{}, overflow("ROUND", TypeCY)
			}
			return Value{t: TypeCY, n: uint64(r.Int64())}, nil
		}
		if n >= int64(x.scale) {
			return x, nil
		}
		return decResult("ROUND", x, rescale(rescale(x.dec, int(x.scale), int(n)), int(n), int(x.scale)))
	})}, nil
}

// roundFloat rounds a real at n decimals, half away from zero, on its
// shortest decimal form (so that ROUND(2.675,2) is 2.68, as written).
func roundFloat(f float64, n int64, t Type) float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) || n > 30 {
		return f
	}
	bits := 64
	if t == TypeR4 {
		bits = 32
	}
	x, scale, ok := parseDec(strconv.FormatFloat(f, 'e', -1, bits))
	if !ok || int64(scale) <= n {
		return f
	}
	r, _ := strconv.ParseFloat(formatDec(rescale(x, scale, int(n)), int(n)), 64)
	return r
}

// realFn builds a function of one number that returns DT_R8; fn may ask
// for a NULL result (LN of zero) or fail.
func realFn(name string, fn func(float64) (float64, bool, error)) func(int, []cexpr) (cexpr, error) {
	return func(off int, args []cexpr) (cexpr, error) {
		if err := checkArgs(off, name, args, "num"); err != nil {
			return cexpr{}, err
		}
		return cexpr{t: TypeR8, f: strict(off, name, TypeR8, args, func(_ *ctx, v []Value) (Value, error) {
			x, err := toFloat(v[0])
			if err != nil {
				return Value{}, err
			}
			r, null, err := fn(x)
			switch {
			case err != nil:
				return Value{}, err
			case null || math.IsNaN(r):
				return Null(TypeR8), nil
			case math.IsInf(r, 0):
				return Value{}, failf(ErrOverflow, "the result of %s is too large for DT_R8", name)
			}
			return R8(r), nil
		})}, nil
	}
}

func sqrt(f float64) (float64, bool, error) {
	if f < 0 {
		return 0, false, argErr("SQRT of a negative number (%v)", f)
	}
	return math.Sqrt(f), false, nil
}

// logFn gives LN and LOG, which return NULL for zero and negative numbers
// as their pages document.
func logFn(fn func(float64) float64) func(float64) (float64, bool, error) {
	return func(f float64) (float64, bool, error) {
		if f <= 0 {
			return 0, true, nil
		}
		return fn(f), false, nil
	}
}

func buildPower(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "POWER", args, "num", "num"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeR8, f: strict(off, "POWER", TypeR8, args, func(_ *ctx, v []Value) (Value, error) {
		x, err := toFloat(v[0])
		if err != nil {
			return Value{}, err
		}
		y, err := toFloat(v[1])
		if err != nil {
			return Value{}, err
		}
		if x == 0 && y < 0 {
			return Value{}, argErr("POWER of 0 to a negative power")
		}
		r := math.Pow(x, y)
		switch {
		case math.IsNaN(r):
			return Null(TypeR8), nil // indeterminate, as POWER(-8, 0.5)
		case math.IsInf(r, 0):
			return Value{}, failf(ErrOverflow, "the result of POWER is too large for DT_R8")
		}
		return R8(r), nil
	})}, nil
}

// NULL functions.

func buildIsNull(off int, args []cexpr) (cexpr, error) {
	a := args[0]
	return cexpr{t: TypeBool, f: func(c *ctx) (Value, error) {
		v, err := a.f(c)
		if err != nil {
			return Value{}, err
		}
		return Bool(v.null), nil
	}}, nil
}

// REPLACENULL returns its first argument, or when that is NULL the second
// converted to the type of the first; the result is NULL only when both
// are (erratum A.11 #2: the page's "DT_WSTR" and "NULL if any argument is
// NULL" contradict its own description).
func buildReplaceNull(off int, args []cexpr) (cexpr, error) {
	a, b := args[0], args[1]
	t := a.t
	if t == TypeStr || t == TypeText || t == TypeNText {
		t = TypeWStr
	}
	if !CastLegal(b.t, t) && !(b.t.IsString() && t.IsString()) {
		return cexpr{}, typeErr(off, "REPLACENULL", "argument 2 of REPLACENULL (%s) cannot be converted to %s, the type of argument 1", b.t, t)
	}
	return cexpr{t: t, f: func(c *ctx) (Value, error) {
		v, err := a.f(c)
		if err != nil {
			return Value{}, err
		}
		if !v.null {
			return coerce(v, t)
		}
		w, err := b.f(c)
		if err != nil {
			return Value{}, err
		}
		r, err := coerce(w, t)
		if err != nil {
			return Value{}, errAt(off, "REPLACENULL", err)
		}
		return r, nil
	}}, nil
}
