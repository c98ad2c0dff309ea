package expr

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF    tokKind = iota
	tInt            // integer literal: mag and ityp, range checked by the parser
	tLit            // any other literal: val
	tIdent          // function, type, TRUE/FALSE, NULL or column name: text
	tVar            // @Name or @[Namespace::Name]: text is the name without @ and brackets
	tColumn         // [Bracketed Column] or #lineage: text
	tOp             // operator or punctuation: text
)

type token struct {
	kind tokKind
	off  int // byte offset of the first character
	text string
	val  Value
	mag  uint64 // tInt: magnitude
	ityp Type   // tInt: type from the suffix
	huge bool   // tInt: magnitude does not fit 64 bits
}

// lexer turns an expression into tokens. It works on bytes and decodes
// UTF-8 where identifiers need it.
type lexer struct {
	src  string
	pos  int
	toks []token
}

func (l *lexer) fail(off int, msg string) *SyntaxError {
	return &SyntaxError{Expr: l.src, Offset: off, Pos: position(l.src, off), Msg: msg}
}

func lex(src string) ([]token, error) {
	l := &lexer{src: src, toks: make([]token, 0, len(src)/3+1)}
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		l.toks = append(l.toks, t)
		if t.kind == tEOF {
			return l.toks, nil
		}
	}
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentPart(r rune) bool {
	return r == '_' || r == '@' || r == '$' || r == '#' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func (l *lexer) peekRune(at int) (rune, int) {
	if at >= len(l.src) {
		return -1, 0
	}
	if c := l.src[at]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(l.src[at:])
}

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) {
		r, n := l.peekRune(l.pos)
		if !unicode.IsSpace(r) {
			break
		}
		l.pos += n
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tEOF, off: start}, nil
	}
	c := l.src[l.pos]
	switch {
	case c == '"':
		return l.str()
	case c >= '0' && c <= '9' || c == '.' && l.pos+1 < len(l.src) && l.src[l.pos+1] >= '0' && l.src[l.pos+1] <= '9':
		return l.number()
	case c == '@':
		return l.variable()
	case c == '[':
		if err := l.columnPart(start); err != nil {
			return token{}, err
		}
		l.dotted(start)
		return token{kind: tColumn, off: start, text: l.src[start:l.pos]}, nil
	case c == '#' && strings.HasPrefix(l.src[l.pos:], "#{"):
		// A format 8 lineage reference: #{Package\Task\Component.Outputs[Output].Columns[Name]}.
		// The path holds brackets, so it ends at the first "]}", or at
		// the first "}" if there is none.
		end := strings.Index(l.src[l.pos:], "]}")
		if end >= 0 {
			end += 2
		} else if end = strings.IndexByte(l.src[l.pos:], '}'); end >= 0 {
			end++
		} else {
			return token{}, l.fail(start, "missing } after the lineage reference #{...")
		}
		if end == 3 {
			return token{}, l.fail(start, "expected a column path between #{ and }")
		}
		l.pos += end
		return token{kind: tColumn, off: start, text: l.src[start:l.pos]}, nil
	case c == '#':
		l.pos++
		for l.pos < len(l.src) && l.src[l.pos] >= '0' && l.src[l.pos] <= '9' {
			l.pos++
		}
		if l.pos == start+1 {
			return token{}, l.fail(start, "expected a lineage number after #")
		}
		return token{kind: tColumn, off: start, text: l.src[start:l.pos]}, nil
	}
	if r, _ := l.peekRune(l.pos); isIdentStart(r) {
		l.ident()
		if l.dotted(start) {
			return token{kind: tColumn, off: start, text: l.src[start:l.pos]}, nil
		}
		return token{kind: tIdent, off: start, text: l.src[start:l.pos]}, nil
	}
	if l.pos+1 < len(l.src) {
		switch op := l.src[l.pos : l.pos+2]; op {
		case "==", "!=", "<=", ">=", "&&", "||":
			l.pos += 2
			return token{kind: tOp, off: start, text: op}, nil
		}
	}
	switch c {
	case '+', '-', '*', '/', '%', '!', '~', '&', '|', '^', '<', '>', '?', ':', '(', ')', ',', '=':
		l.pos++
		return token{kind: tOp, off: start, text: l.src[start:l.pos]}, nil
	}
	r, _ := l.peekRune(l.pos)
	if r == '\'' {
		return token{}, l.fail(start, "string literals are delimited by double quotes (\"), not single quotes")
	}
	return token{}, l.fail(start, "unexpected character "+strconv.QuoteRune(r))
}

// ident reads a regular identifier: a letter or _, then letters, digits,
// _, @, $ and #.
func (l *lexer) ident() {
	_, n := l.peekRune(l.pos)
	l.pos += n
	for {
		r, n := l.peekRune(l.pos)
		if !isIdentPart(r) {
			return
		}
		l.pos += n
	}
}

// columnPart reads a bracketed column name, [Like This].
func (l *lexer) columnPart(start int) error {
	end := strings.IndexByte(l.src[l.pos:], ']')
	if end < 0 {
		return l.fail(start, "missing ] after column name")
	}
	l.pos += end + 1
	return nil
}

// dotted reads the rest of a data flow column in dotted notation,
// Source.Column or [Source].[Column], and reports whether there was any.
func (l *lexer) dotted(start int) bool {
	found := false
	for l.pos+1 < len(l.src) && l.src[l.pos] == '.' {
		r, _ := l.peekRune(l.pos + 1)
		switch {
		case r == '[':
			l.pos++
			if l.columnPart(start) != nil {
				l.pos--
				return found
			}
		case isIdentStart(r):
			l.pos++
			l.ident()
		default:
			return found
		}
		found = true
	}
	return found
}

// variable reads @Name or @[Anything but a bracket].
func (l *lexer) variable() (token, error) {
	start := l.pos
	l.pos++
	if l.pos < len(l.src) && l.src[l.pos] == '[' {
		end := strings.IndexByte(l.src[l.pos:], ']')
		if end < 0 {
			return token{}, l.fail(start, "missing ] after variable name")
		}
		name := l.src[l.pos+1 : l.pos+end]
		l.pos += end + 1
		if name == "" {
			return token{}, l.fail(start, "empty variable name")
		}
		return token{kind: tVar, off: start, text: name}, nil
	}
	r, n := l.peekRune(l.pos)
	if !isIdentStart(r) {
		if unicode.IsSpace(r) {
			return token{}, l.fail(start, "no space is allowed between @ and the variable name")
		}
		return token{}, l.fail(start, "expected a variable name after @")
	}
	l.pos += n
	for {
		r, n := l.peekRune(l.pos)
		if !isIdentPart(r) {
			break
		}
		l.pos += n
	}
	name := l.src[start+1 : l.pos]
	if strings.HasPrefix(l.src[l.pos:], "::") {
		return token{}, l.fail(start, "a namespace-qualified variable must be in brackets: @["+name+"::...]")
	}
	return token{kind: tVar, off: start, text: name}, nil
}

// str reads a string literal with its escapes: \a \b \f \n \r \t \v \" \\
// and \xhhhh (one to four hex digits, a UTF-16 code unit; \x0000 is not
// allowed). Line breaks may appear inside the quotes.
func (l *lexer) str() (token, error) {
	start := l.pos
	l.pos++
	i := strings.IndexAny(l.src[l.pos:], "\"\\")
	if i >= 0 && l.src[l.pos+i] == '"' { // no escapes: the common case
		s := l.src[l.pos : l.pos+i]
		l.pos += i + 1
		return token{kind: tLit, off: start, val: Str(s)}, nil
	}
	var units []uint16
	var b strings.Builder
	flush := func() {
		if len(units) > 0 {
			b.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
	}
	for {
		if l.pos >= len(l.src) {
			return token{}, l.fail(start, "missing closing quote of the string")
		}
		c := l.src[l.pos]
		if c == '"' {
			l.pos++
			flush()
			return token{kind: tLit, off: start, val: Str(b.String())}, nil
		}
		if c != '\\' {
			flush()
			r, n := l.peekRune(l.pos)
			if r == 0 {
				return token{}, l.fail(l.pos, "a string cannot hold the character \\x0000")
			}
			b.WriteString(l.src[l.pos : l.pos+n])
			l.pos += n
			continue
		}
		esc := l.pos
		l.pos++
		if l.pos >= len(l.src) {
			return token{}, l.fail(start, "missing closing quote of the string")
		}
		var u uint16
		switch e := l.src[l.pos]; e {
		case 'a':
			u = 7
		case 'b':
			u = 8
		case 'f':
			u = 12
		case 'n':
			u = '\n'
		case 'r':
			u = '\r'
		case 't':
			u = '\t'
		case 'v':
			u = 11
		case '"':
			u = '"'
		case '\\':
			u = '\\'
		case 'x', 'X':
			j := l.pos + 1
			for j < len(l.src) && j < l.pos+5 && isHex(l.src[j]) {
				j++
			}
			if j == l.pos+1 {
				return token{}, l.fail(esc, "\\x needs one to four hexadecimal digits")
			}
			v, _ := strconv.ParseUint(l.src[l.pos+1:j], 16, 16)
			if v == 0 {
				return token{}, l.fail(esc, "a string cannot hold the character \\x0000")
			}
			u = uint16(v)
			l.pos = j - 1
		default:
			r, _ := l.peekRune(l.pos)
			return token{}, l.fail(esc, "unknown escape sequence \\"+string(r)+"; write \\\\ for a backslash")
		}
		l.pos++
		units = append(units, u)
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number reads a numeric literal:
//
//	457 785u 986L 7945ul          integers: DT_I4, DT_UI4, DT_I8, DT_UI8
//	0xFF0A 0X000010000U           hexadecimal integers, same suffixes
//	4E8l 13e-2f 1.05E+7F 1.E-4f   reals: F → DT_R4, L or none → DT_R8
//	6.45f .89l                    reals with a suffix
//	5.8 .9 6.                     DT_NUMERIC with the written scale
func (l *lexer) number() (token, error) {
	start := l.pos
	s := l.src
	i := l.pos
	if s[i] == '0' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') {
		j := i + 2
		for j < len(s) && isHex(s[j]) {
			j++
		}
		if j == i+2 {
			return token{}, l.fail(start, "0x needs hexadecimal digits")
		}
		digits := s[i+2 : j]
		l.pos = j
		typ, err := l.intSuffix(start)
		if err != nil {
			return token{}, err
		}
		mag, perr := strconv.ParseUint(digits, 16, 64)
		return token{kind: tInt, off: start, mag: mag, ityp: typ, huge: perr != nil, text: s[start:l.pos]}, nil
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	intEnd := j
	dot, exp := false, false
	if j < len(s) && s[j] == '.' {
		dot = true
		j++
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		d := k
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == d {
			return token{}, l.fail(j, "the exponent needs digits")
		}
		exp, j = true, k
	}
	body := s[i:j]
	l.pos = j
	if !dot && !exp {
		typ, err := l.intSuffix(start)
		if err != nil {
			return token{}, err
		}
		mag, perr := strconv.ParseUint(s[i:intEnd], 10, 64)
		return token{kind: tInt, off: start, mag: mag, ityp: typ, huge: perr != nil, text: s[start:l.pos]}, nil
	}
	typ := Type(0)
	if l.pos < len(s) {
		switch s[l.pos] {
		case 'f', 'F':
			typ = TypeR4
			l.pos++
		case 'l', 'L':
			typ = TypeR8
			l.pos++
		}
	}
	if err := l.endOfNumber(start); err != nil {
		return token{}, err
	}
	if typ == 0 && exp {
		typ = TypeR8
	}
	if typ == TypeR4 || typ == TypeR8 {
		f, err := strconv.ParseFloat(body, 64)
		if err != nil || typ == TypeR4 && math.Abs(f) > math.MaxFloat32 {
			return token{}, l.overflow(start, typ)
		}
		return token{kind: tLit, off: start, val: mkFloat(typ, f), text: s[start:l.pos]}, nil
	}
	x, scale, ok := parseDec(body)
	if !ok {
		return token{}, l.fail(start, "bad numeric literal")
	}
	prec := numDigits(x)
	if prec < scale {
		prec = scale
	}
	if prec == 0 {
		prec = 1
	}
	if prec > maxPrecision {
		return token{}, l.overflow(start, TypeNumeric)
	}
	return token{kind: tLit, off: start, val: mkDec(TypeNumeric, x, prec, scale), text: s[start:l.pos]}, nil
}

// intSuffix reads the integer suffix: none, U, L, UL or LU in any case.
func (l *lexer) intSuffix(start int) (Type, error) {
	u, lg := false, false
	for l.pos < len(l.src) {
		switch c := l.src[l.pos] | 0x20; { // lower case
		case c == 'u' && !u:
			u = true
		case c == 'l' && !lg:
			lg = true
		default:
			return l.suffixType(start, u, lg)
		}
		l.pos++
	}
	return l.suffixType(start, u, lg)
}

func (l *lexer) suffixType(start int, u, lg bool) (Type, error) {
	if err := l.endOfNumber(start); err != nil {
		return 0, err
	}
	switch {
	case u && lg:
		return TypeUI8, nil
	case u:
		return TypeUI4, nil
	case lg:
		return TypeI8, nil
	}
	return TypeI4, nil
}

func (l *lexer) endOfNumber(start int) error {
	if r, _ := l.peekRune(l.pos); r >= 0 && (isIdentPart(r) || r == '.') {
		for {
			r, n := l.peekRune(l.pos)
			if r < 0 || !(isIdentPart(r) || r == '.') {
				break
			}
			l.pos += n
		}
		return l.fail(start, "bad numeric literal "+strconv.Quote(l.src[start:l.pos]))
	}
	return nil
}

func (l *lexer) overflow(start int, t Type) *SyntaxError {
	e := l.fail(start, "the literal "+l.src[start:l.pos]+" is too large to fit into type "+t.String())
	e.Err = ErrOverflow
	return e
}
