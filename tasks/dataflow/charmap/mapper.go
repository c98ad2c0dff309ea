package charmap

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Mapper applies one column's operations to its strings.
type Mapper struct {
	flags Flags
	// turkish is the casing of the Turkish and Azeri i, under linguistic
	// casing in a tr or az locale.
	turkish bool
}

// New returns the Mapper of operations that Check accepts (with unicode
// true, as byte reversal is only checked for the column), in the locale of
// the BCP 47 tag (the component's LocaleID; "" for none), which only
// linguistic casing reads.
func New(f Flags, locale string) (*Mapper, error) {
	if err := f.Check(true); err != nil {
		return nil, err
	}
	lang, _, _ := strings.Cut(strings.ToLower(locale), "-")
	return &Mapper{flags: f, turkish: f&LinguisticCasing != 0 && (lang == "tr" || lang == "az")}, nil
}

// Flags returns the operations.
func (m *Mapper) Flags() Flags { return m.flags }

// LoneSurrogateError is the error of a byte reversal whose result has a
// UTF-16 code unit that is half of a surrogate pair with no other half,
// which no string holds.
type LoneSurrogateError struct {
	// From is the UTF-16 code unit whose bytes were reversed; Unit is
	// the code unit it gave.
	From, Unit uint16
}

// Error names the character and the code unit.
func (e *LoneSurrogateError) Error() string {
	return fmt.Sprintf("byte reversal of U+%04X gives U+%04X, half of a surrogate pair, which a string cannot hold", e.From, e.Unit)
}

// Map applies the operations to s, in this order: full width, kana, half
// width (so that half-width katakana reach hiragana, and hiragana
// half-width katakana), case, byte reversal.
func (m *Mapper) Map(s string) (string, error) {
	f := m.flags
	if f&FullWidth != 0 {
		s = joinVoiced(width.Widen.String(s))
	}
	switch {
	case f&Hiragana != 0:
		s = strings.Map(toHiragana, s)
	case f&Katakana != 0:
		s = strings.Map(toKatakana, s)
	}
	if f&HalfWidth != 0 {
		s = width.Narrow.String(splitVoiced(s))
	}
	switch {
	case f&Uppercase != 0 && m.turkish:
		s = strings.Map(unicode.TurkishCase.ToUpper, s)
	case f&Uppercase != 0:
		s = strings.Map(unicode.ToUpper, s)
	case f&Lowercase != 0 && m.turkish:
		s = strings.Map(unicode.TurkishCase.ToLower, s)
	case f&Lowercase != 0:
		s = strings.Map(unicode.ToLower, s)
	}
	if f&ByteReversal != 0 {
		return reverseBytes(s)
	}
	return s, nil
}

// The hiragana and katakana that correspond one to one: U+3041 to U+3096
// and U+30A1 to U+30F6 (small a to small ke), and the iteration marks
// U+309D, U+309E and U+30FD, U+30FE.
const kanaOffset = 0x60

func toKatakana(r rune) rune {
	if (r >= 0x3041 && r <= 0x3096) || r == 0x309D || r == 0x309E {
		return r + kanaOffset
	}
	return r
}

func toHiragana(r rune) rune {
	if (r >= 0x30A1 && r <= 0x30F6) || r == 0x30FD || r == 0x30FE {
		return r - kanaOffset
	}
	return r
}

// The sound marks: combining (U+3099, U+309A), spacing (U+309B,
// U+309C) and half-width (U+FF9E, U+FF9F).
const (
	voicedMark     = 0x3099
	semiVoicedMark = 0x309A
	halfVoiced     = 0xFF9E
	halfSemiVoiced = 0xFF9F
)

// splitVoiced writes each katakana with a voiced or semi-voiced sound mark
// (ガ, パ) as its letter and the half-width mark, and each spacing mark as
// its half-width form, so that width.Narrow, which has neither, gives ｶﾞ
// and ﾊﾟ as LCMAP_HALFWIDTH does; a letter without a half-width form is
// kept whole.
func splitVoiced(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 0x309B:
			r = halfVoiced
		case r == 0x309C:
			r = halfSemiVoiced
		case r >= 0x30A1 && r <= 0x30FA:
			d := []rune(norm.NFD.String(string(r)))
			if len(d) == 2 && (d[1] == voicedMark || d[1] == semiVoicedMark) && width.LookupRune(d[0]).Narrow() != 0 {
				b.WriteRune(d[0])
				r = halfVoiced + d[1] - voicedMark
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// joinVoiced composes each letter that width.Widen left followed by a
// combining sound mark (ガ from ｶﾞ) into one character (ガ), as
// LCMAP_FULLWIDTH does, where Unicode has one; other text is left as it
// is (no normalization).
func joinVoiced(s string) string {
	rs := []rune(s)
	out := rs[:0]
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) && (rs[i+1] == voicedMark || rs[i+1] == semiVoicedMark) {
			if c := []rune(norm.NFC.String(string(rs[i : i+2]))); len(c) == 1 {
				out = append(out, c[0])
				i++
				continue
			}
		}
		out = append(out, rs[i])
	}
	return string(out)
}

// reverseBytes swaps the bytes of each UTF-16 code unit of s
// (LCMAP_BYTEREV).
func reverseBytes(s string) (string, error) {
	units := utf16.Encode([]rune(s))
	for i, u := range units {
		units[i] = u<<8 | u>>8
	}
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case u >= 0xD800 && u <= 0xDBFF && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF:
			i++
		case u >= 0xD800 && u <= 0xDFFF:
			return "", &LoneSurrogateError{From: u<<8 | u>>8, Unit: u}
		}
	}
	return string(utf16.Decode(units)), nil
}
