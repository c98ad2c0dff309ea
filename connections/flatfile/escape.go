package flatfile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeEscapes replaces the _xHHHH_ escapes SSIS persists delimiters and
// qualifiers with (_x000D__x000A_ is CR LF, _x002C_ a comma) by the
// characters they stand for. Text that is not an escape is kept as it is.
func decodeEscapes(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 32); err == nil {
				b.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// EncodeEscapes returns s as SSIS persists a delimiter or qualifier: every
// character as an _xHHHH_ escape.
func EncodeEscapes(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "_x%04X_", r)
	}
	return b.String()
}

// visible returns s with control characters shown as {CR}, {LF} and {t},
// as the Flat File Connection Manager Editor shows delimiters.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\r':
			b.WriteString("{CR}")
		case '\n':
			b.WriteString("{LF}")
		case '\t':
			b.WriteString("{t}")
		default:
			if r < 0x20 || r == utf8.RuneError {
				fmt.Fprintf(&b, "{U+%04X}", r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
