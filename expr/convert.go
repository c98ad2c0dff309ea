package expr

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// castTable is Appendix 1 of the reference (the cast-legality chart of the
// SSIS docs), one row per source type in the column order of castCols:
// Y legal, - illegal, = same type.
var castCols = []Type{TypeI1, TypeI2, TypeI4, TypeR4, TypeR8, TypeCY, TypeDate, TypeBool, TypeNumeric,
	TypeDecimal, TypeUI1, TypeUI2, TypeUI4, TypeI8, TypeUI8, TypeGUID, TypeBytes, TypeStr, TypeWStr,
	TypeDBDate, TypeDBTime, TypeDBTime2, TypeDBTimestamp, TypeDBTimestamp2, TypeDBTimestampOffset,
	TypeFileTime, TypeImage, TypeText, TypeNText}

var castRows = map[Type]string{
	TypeI1:                "=YYYYYYYYYYYYYY--YYYY-Y------",
	TypeI2:                "Y=YYYYYYYYYYYYY--YYYY-Y------",
	TypeI4:                "YY=YYYYYYYYYYYY-YYYYY-Y------",
	TypeR4:                "YYY=YYYYYYYYYYY--YYYY-Y------",
	TypeR8:                "YYYY=YYYYYYYYYY--YYYY-Y------",
	TypeCY:                "YYYYY=-YYYYYYYY--YY----------",
	TypeDate:              "YYYYY-=YY-YYYYY--YYYYYYYY----",
	TypeBool:              "YYYYYYY=YYYYYYY--YY----------",
	TypeNumeric:           "YYYYYYYY=YYYYYY--YY----------",
	TypeDecimal:           "YYYYYY-YY=YYYYY--YYYY-Y------",
	TypeUI1:               "YYYYYYYYYY=YYYY--YYYY-Y------",
	TypeUI2:               "YYYYYYYYYYY=YYY--YYYY-Y------",
	TypeUI4:               "YYYYYYYYYYYY=YY-YYYYY-Y------",
	TypeI8:                "YYYYYY-YYYYYY=Y-YYY------Y---",
	TypeUI8:               "YYYYYY-YYYYYYY=-YYY------Y---",
	TypeGUID:              "---------------=YYY----------",
	TypeBytes:             "---Y--------YYYY=YY-------YYY",
	TypeStr:               "YYYYYYYYYYYYYYYYY=YYY-Y--YYYY",
	TypeWStr:              "YYYYYYYYYYYYYYYYYY=YY-Y--YYYY",
	TypeDBDate:            "------Y----------YY=YYYYYY---",
	TypeDBTime:            "------Y----------YYY=YYYYY---",
	TypeDBTime2:           "------Y------------YY=YYYY---",
	TypeDBTimestamp:       "------Y----------YYYYY=YYY---",
	TypeDBTimestamp2:      "------Y------------YYYY=YY---",
	TypeDBTimestampOffset: "------Y------------YYYYY=Y---",
	TypeFileTime:          "------Y------YY--YYYYYYYY=---",
	TypeImage:             "----------------Y---------=YY",
	TypeText:              "-----------------Y--------Y=Y",
	TypeNText:             "------------------Y-------YY=",
}

var castIndex = func() map[Type]int {
	m := map[Type]int{}
	for i, t := range castCols {
		m[t] = i
	}
	return m
}()

// CastLegal reports whether an explicit cast from one type to another is
// legal. It follows the chart, with one erratum (A.11 #5): strings cast to
// DT_DBTIME2, DT_DBTIMESTAMP2 and DT_DBTIMESTAMPOFFSET, as the cast page's
// own examples do.
func CastLegal(from, to Type) bool {
	if from == to {
		return true
	}
	if from.IsString() && (to == TypeDBTime2 || to == TypeDBTimestamp2 || to == TypeDBTimestampOffset) {
		return true
	}
	row, ok := castRows[from]
	i, ok2 := castIndex[to]
	return ok && ok2 && row[i] == 'Y'
}

// convert casts v to the spec. NULL converts to a NULL of the spec.
func convert(v Value, s TypeSpec) (Value, error) {
	if v.null {
		return NullSpec(s), nil
	}
	t := s.Type
	if v.t == TypeObject || v.t == TypeEmpty {
		return Value{}, failf(ErrCast, "cannot cast %s to %s", v.t, t)
	}
	switch {
	case t.IsInteger():
		return toInteger(v, t)
	case t == TypeR4 || t == TypeR8:
		f, err := toFloat(v)
		if err != nil {
			return Value{}, err
		}
		if math.IsInf(f, 0) || t == TypeR4 && math.Abs(f) > math.MaxFloat32 {
			return Value{}, failf(ErrOverflow, "%s does not fit %s", v.String(), t)
		}
		return mkFloat(t, f), nil
	case t == TypeCY:
		r, err := toRat(v)
		if err != nil {
			return Value{}, err
		}
		x := ratToDec(r, 4)
		if !x.IsInt64() {
			return Value{}, failf(ErrOverflow, "%s does not fit DT_CY", v.String())
		}
		return Value{t: TypeCY, n: uint64(x.Int64())}, nil
	case t == TypeNumeric || t == TypeDecimal:
		return toDecimal(v, s)
	case t == TypeBool:
		return toBool(v)
	case t.IsString():
		return toString(v, s)
	case t.IsDate():
		return toDateType(v, s)
	case t == TypeGUID:
		return toGUID(v)
	case t.isBinary():
		return toBytes(v, s)
	}
	return Value{}, failf(ErrCast, "cannot cast %s to %s", v.t, t)
}

// implicit converts a value to a numeric type chosen by the promotion
// table: a DT_NUMERIC keeps the precision and scale the value needs.
func implicit(v Value, t Type) (Value, error) {
	switch {
	case v.null:
		return Null(t), nil
	case v.t == t:
		return v, nil
	}
	switch t {
	case TypeNumeric, TypeDecimal:
		switch {
		case v.t.IsInteger():
			r, _ := v.rat()
			return mkDec(t, r.Num(), v.t.digits(), 0), nil
		case v.t == TypeCY:
			return mkDec(t, big.NewInt(v.i()), 19, 4), nil
		case v.t == TypeNumeric || v.t == TypeDecimal:
			return mkDec(t, v.dec, int(v.prec), int(v.scale)), nil
		}
	}
	return convert(v, TypeSpec{Type: t})
}

func toInteger(v Value, t Type) (Value, error) {
	switch {
	case v.t.isSigned():
		if t.isUnsigned() {
			if v.i() < 0 {
				return Value{}, failf(ErrOverflow, "%d does not fit %s", v.i(), t)
			}
			return mkUint(t, uint64(v.i()))
		}
		return mkInt(t, v.i())
	case v.t.isUnsigned():
		if t.isSigned() {
			if v.n > math.MaxInt64 {
				return Value{}, failf(ErrOverflow, "%d does not fit %s", v.n, t)
			}
			return mkInt(t, int64(v.n))
		}
		return mkUint(t, v.n)
	case v.t == TypeBool:
		if v.n == 0 {
			return Value{t: t}, nil
		}
		if t.isSigned() {
			return mkInt(t, -1) // True is -1 in the SSIS expression language
		}
		return mkUint(t, 1)
	case v.t.IsString():
		s := strings.Trim(v.s, " ")
		if t.isSigned() {
			n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
			if err != nil {
				return Value{}, parseFail(s, t, err)
			}
			return mkInt(t, n)
		}
		n, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 10, 64)
		if err != nil {
			return Value{}, parseFail(s, t, err)
		}
		return mkUint(t, n)
	case v.t == TypeFileTime:
		return IntOf(t, fileTimeTicks(v.tm))
	}
	// Reals, currency, decimals and DT_DATE round half away from zero.
	r, err := toRat(v)
	if err != nil {
		return Value{}, err
	}
	x := ratToDec(r, 0)
	if t.isSigned() {
		if !x.IsInt64() {
			return Value{}, failf(ErrOverflow, "%s does not fit %s", v.String(), t)
		}
		return mkInt(t, x.Int64())
	}
	if x.Sign() < 0 || !x.IsUint64() {
		return Value{}, failf(ErrOverflow, "%s does not fit %s", v.String(), t)
	}
	return mkUint(t, x.Uint64())
}

func parseFail(s string, t Type, err error) error {
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return failf(ErrOverflow, "%q does not fit %s", s, t)
	}
	return failf(ErrConversion, "%q is not a valid %s", s, t)
}

// toRat returns the exact value of anything that casts to a number.
func toRat(v Value) (*big.Rat, error) {
	switch {
	case v.t.IsNumeric():
		return v.rat()
	case v.t == TypeBool:
		if v.n != 0 {
			return big.NewRat(-1, 1), nil
		}
		return new(big.Rat), nil
	case v.t.IsString():
		s := strings.Trim(v.s, " ")
		x, scale, ok := parseDec(s)
		if !ok {
			return nil, failf(ErrConversion, "%q is not a number", s)
		}
		return new(big.Rat).SetFrac(x, pow10(scale)), nil
	case v.t.IsDate():
		f := oleDate(v.tm)
		return new(big.Rat).SetFloat64(f), nil
	}
	return nil, failf(ErrCast, "cannot cast %s to a number", v.t)
}

func toFloat(v Value) (float64, error) {
	switch {
	case v.t == TypeR4 || v.t == TypeR8:
		return v.f(), nil
	case v.t.isSigned():
		return float64(v.i()), nil
	case v.t.isUnsigned():
		return float64(v.n), nil
	case v.t.IsString():
		s := strings.Trim(v.s, " ")
		f, err := strconv.ParseFloat(s, 64)
		if strings.Trim(s, "0123456789+-.eE") != "" {
			err = strconv.ErrSyntax // no NaN, Infinity or hexadecimal reals
		}
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return 0, failf(ErrOverflow, "%q does not fit DT_R8", s)
			}
			return 0, failf(ErrConversion, "%q is not a number", s)
		}
		return f, nil
	case v.t.IsDate():
		return oleDate(v.tm), nil
	}
	r, err := toRat(v)
	if err != nil {
		return 0, err
	}
	f, _ := r.Float64()
	return f, nil
}

func toDecimal(v Value, s TypeSpec) (Value, error) {
	prec, scale := s.Precision, s.Scale
	if s.Type == TypeDecimal {
		prec = 29
	}
	if prec == 0 { // an implicit target: keep the value's own shape
		return naturalDecimal(v, s.Type)
	}
	var x *big.Int
	if v.t == TypeNumeric || v.t == TypeDecimal {
		x = rescale(v.dec, int(v.scale), scale)
	} else {
		r, err := toRat(v)
		if err != nil {
			return Value{}, err
		}
		x = ratToDec(r, scale)
	}
	if numDigits(x) > prec {
		return Value{}, failf(ErrOverflow, "%s does not fit %s", v.String(), s)
	}
	return mkDec(s.Type, x, prec, scale), nil
}

// naturalDecimal converts to DT_NUMERIC or DT_DECIMAL with the precision
// and scale the value needs: 1.5 (DT_R8) becomes 1.5 with scale 1.
func naturalDecimal(v Value, t Type) (Value, error) {
	var text string
	switch {
	case v.t.IsInteger() || v.t == TypeCY || v.t == TypeNumeric || v.t == TypeDecimal:
		return implicit(v, t)
	case v.t == TypeR4 || v.t == TypeR8:
		text = strconv.FormatFloat(v.f(), 'g', -1, 64)
		if v.t == TypeR4 {
			text = strconv.FormatFloat(v.f(), 'g', -1, 32)
		}
	case v.t.IsString():
		text = strings.Trim(v.s, " ")
	case v.t.IsDate():
		text = strconv.FormatFloat(oleDate(v.tm), 'g', -1, 64)
	case v.t == TypeBool:
		text = "0"
		if v.n != 0 {
			text = "-1"
		}
	default:
		return Value{}, failf(ErrCast, "cannot cast %s to %s", v.t, t)
	}
	x, scale, ok := parseDec(text)
	if !ok {
		return Value{}, failf(ErrConversion, "%q is not a number", text)
	}
	x, scale, ok = fitDec(x, scale, maxPrecision)
	if !ok {
		return Value{}, failf(ErrOverflow, "%s does not fit %s", text, t)
	}
	return mkDec(t, x, min(max(numDigits(x), scale, 1), maxPrecision), scale), nil
}

func toBool(v Value) (Value, error) {
	switch {
	case v.t.IsString():
		s := strings.Trim(v.s, " ")
		switch strings.ToLower(s) {
		case "true":
			return Bool(true), nil
		case "false":
			return Bool(false), nil
		}
		x, _, ok := parseDec(s)
		if !ok {
			return Value{}, failf(ErrConversion, "%q is not a Boolean", s)
		}
		return Bool(x.Sign() != 0), nil
	case v.t == TypeR4 || v.t == TypeR8:
		return Bool(v.f() != 0), nil
	case v.t.IsInteger() || v.t == TypeCY:
		return Bool(v.n != 0), nil
	case v.t == TypeNumeric || v.t == TypeDecimal:
		return Bool(v.dec.Sign() != 0), nil
	case v.t == TypeDate:
		return Bool(oleDate(v.tm) != 0), nil
	}
	return Value{}, failf(ErrCast, "cannot cast %s to DT_BOOL", v.t)
}

// toString casts to DT_WSTR, DT_STR, DT_TEXT or DT_NTEXT. Lengths truncate
// silently, as SSIS does at run time. DT_STR and DT_TEXT replace the
// characters their code page cannot hold with "?".
func toString(v Value, s TypeSpec) (Value, error) {
	text, err := toText(v)
	if err != nil {
		return Value{}, err
	}
	out := Value{t: s.Type, s: text}
	if s.Type == TypeStr || s.Type == TypeText {
		out.cp = int32(s.CodePage)
		out.s = toCodePage(text, s.CodePage)
	}
	if s.Length > 0 {
		if s.Type == TypeStr && s.CodePage == 65001 {
			out.s = truncBytes(out.s, s.Length)
		} else {
			out.s = truncUnits(out.s, s.Length)
		}
	}
	return out, nil
}

// toText renders a value as a cast to a string does.
func toText(v Value) (string, error) {
	switch {
	case v.t.IsString() || v.t == TypeGUID:
		return v.s, nil
	case v.t.isSigned():
		return strconv.FormatInt(v.i(), 10), nil
	case v.t.isUnsigned():
		return strconv.FormatUint(v.n, 10), nil
	case v.t == TypeR8:
		return formatFloat(v.f(), 16, 64), nil
	case v.t == TypeR4:
		return formatFloat(v.f(), 7, 32), nil
	case v.t == TypeCY:
		s := formatDec(big.NewInt(v.i()), 4)
		s = strings.TrimRight(s, "0")
		return strings.TrimSuffix(s, "."), nil
	case v.t == TypeNumeric || v.t == TypeDecimal:
		return formatDec(v.dec, int(v.scale)), nil
	case v.t == TypeBool:
		if v.n != 0 {
			return "True", nil
		}
		return "False", nil
	case v.t.IsDate():
		return formatDate(v), nil
	case v.t.isBinary():
		return strings.ToUpper(hex.EncodeToString([]byte(v.s))), nil
	}
	return "", failf(ErrCast, "cannot cast %s to a string", v.t)
}

// formatFloat renders a real with at most digits significant digits, the
// way the SSIS docs print DT_R8 results: 1.988291341907488,
// 1.373382979540176E+32.
func formatFloat(f float64, digits, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(f, 'g', digits, bits)
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		s = s[:i] + "E" + s[i+1:]
	}
	return s
}

// truncUnits cuts s to n UTF-16 code units.
func truncUnits(s string, n int) string {
	if len(s) <= n {
		return s // n bytes or fewer is n units or fewer
	}
	units := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}

func truncBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// cp1252 lists the characters of Windows-1252 at 0x80–0x9F.
const cp1252High = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"

func toCodePage(s string, cp int) string {
	var ok func(r rune) bool
	switch cp {
	case 1252:
		ok = func(r rune) bool {
			return r < 0x80 || r >= 0xA0 && r <= 0xFF || strings.ContainsRune(cp1252High, r)
		}
	case 20127:
		ok = func(r rune) bool { return r < 0x80 }
	case 28591:
		ok = func(r rune) bool { return r <= 0xFF }
	default:
		return s
	}
	clean := true
	for _, r := range s {
		if !ok(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if ok(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func toGUID(v Value) (Value, error) {
	switch {
	case v.t.IsString():
		g, ok := parseGUID(strings.Trim(v.s, " "))
		if !ok {
			return Value{}, failf(ErrConversion, "%q is not a GUID", v.s)
		}
		return Value{t: TypeGUID, s: g}, nil
	case v.t.isBinary():
		if len(v.s) != 16 {
			return Value{}, failf(ErrConversion, "a GUID needs 16 bytes, not %d", len(v.s))
		}
		b := []byte(v.s)
		g := strings.ToUpper(hex.EncodeToString([]byte{b[3], b[2], b[1], b[0]}) + "-" +
			hex.EncodeToString([]byte{b[5], b[4]}) + "-" + hex.EncodeToString([]byte{b[7], b[6]}) + "-" +
			hex.EncodeToString(b[8:10]) + "-" + hex.EncodeToString(b[10:]))
		return Value{t: TypeGUID, s: "{" + g + "}"}, nil
	}
	return Value{}, failf(ErrCast, "cannot cast %s to DT_GUID", v.t)
}

// parseGUID accepts a GUID with or without braces and returns it as SSIS
// shows it: upper case, in braces.
func parseGUID(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return "", false
			}
		} else if !isHex(s[i]) {
			return "", false
		}
	}
	return "{" + strings.ToUpper(s) + "}", true
}

func toBytes(v Value, s TypeSpec) (Value, error) {
	var b []byte
	switch {
	case v.t.isBinary():
		b = []byte(v.s)
	case v.t.IsString():
		var err error
		if b, err = hex.DecodeString(strings.TrimPrefix(strings.Trim(v.s, " "), "0x")); err != nil {
			return Value{}, failf(ErrConversion, "%q is not hexadecimal", v.s)
		}
	case v.t == TypeGUID:
		g := strings.ReplaceAll(strings.Trim(v.s, "{}"), "-", "")
		raw, _ := hex.DecodeString(g)
		b = []byte{raw[3], raw[2], raw[1], raw[0], raw[5], raw[4], raw[7], raw[6]}
		b = append(b, raw[8:]...)
	case v.t.IsInteger() || v.t == TypeR4:
		b = make([]byte, 8)
		binary.LittleEndian.PutUint64(b, v.n)
		if v.t == TypeR4 {
			binary.LittleEndian.PutUint32(b, math.Float32bits(float32(v.f())))
		}
		b = b[:v.t.bits()/8]
		if v.t == TypeR4 {
			b = b[:4]
		}
	default:
		return Value{}, failf(ErrCast, "cannot cast %s to %s", v.t, s.Type)
	}
	if s.Length > 0 && len(b) > s.Length {
		b = b[:s.Length]
	}
	return Value{t: s.Type, s: string(b)}, nil
}

// units returns s as UTF-16 code units, the unit of LEN, SUBSTRING and
// every other position in the expression language.
func units(s string) []uint16 { return utf16.Encode([]rune(s)) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// unitLen returns the length of s in UTF-16 code units.
func unitLen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// unitSlice returns the code units [from, to) of s as a string. A cut
// through a surrogate pair leaves U+FFFD, as UTF-16 text cannot be split
// there without losing the character.
func unitSlice(s string, from, to int) string {
	if isASCII(s) {
		return s[from:to]
	}
	start, end, u := -1, len(s), 0
	for i, r := range s {
		if u == from {
			start = i
		}
		if u == to {
			end = i
			break
		}
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if u < from && u+w > from || u < to && u+w > to {
			return string(utf16.Decode(units(s)[from:to])) // splits a pair
		}
		u += w
	}
	if start < 0 {
		start = len(s)
	}
	return s[start:end]
}

// compareText compares two strings in UTF-16 code unit order: ordinal and
// case-sensitive.
func compareText(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return cmpInt(int64(firstUnit(ra)), int64(firstUnit(rb)), int64(ra), int64(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmpInt(int64(len(a)), int64(len(b)), 0, 0)
}

func firstUnit(r rune) rune {
	if r >= 0x10000 {
		hi, _ := utf16.EncodeRune(r)
		return hi
	}
	return r
}

// cmpInt compares a with b, then c with d.
func cmpInt(a, b, c, d int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case c < d:
		return -1
	case c > d:
		return 1
	}
	return 0
}
