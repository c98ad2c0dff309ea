package flatfile

import "unicode/utf8"

// A width unit says what ColumnWidth and MaximumWidth count. The Flat
// File Connection Manager Editor's Advanced page gives both "in bytes;
// for Unicode files, this value corresponds to characters": bytes of the
// file's code page, or UTF-16 code units for a Unicode file. The reader
// cuts decoded UTF-8 text, so each character is counted as the number of
// units it takes in the file.
type unitFunc func(r rune) int

// units returns the width unit of s's encoding.
func (s *Spec) units() unitFunc {
	cp := s.CodePage
	if s.Unicode {
		cp = CodePageUTF16LE
	}
	switch cp {
	case CodePageUTF16LE, CodePageUTF16BE:
		return utf16Units
	case CodePageUTF8:
		return utf8.RuneLen
	case 932:
		return shiftJISUnits
	case 936, 949, 950:
		return dbcsUnits
	case 54936:
		return gb18030Units
	}
	return oneUnit
}

func oneUnit(rune) int { return 1 }

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// shiftJISUnits: ASCII and the half-width katakana take one byte in
// Shift JIS, every other character two.
func shiftJISUnits(r rune) int {
	if r < 0x80 || (r >= 0xFF61 && r <= 0xFF9F) {
		return 1
	}
	return 2
}

func dbcsUnits(r rune) int {
	if r < 0x80 {
		return 1
	}
	return 2
}

func gb18030Units(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case r >= 0x10000:
		return 4
	}
	return 2
}

// unitCount returns the width of b in units.
func unitCount(b []byte, u unitFunc) int {
	n := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, sz := utf8.DecodeRune(b[i:])
		n += u(r)
		i += sz
	}
	return n
}

// fixedEnd returns the length in bytes of the first width units of b;
// short is true when the file ends first, more when b may go on. A
// character that would straddle the end of the column is left to the
// next one, unless it is the column's first: a character wider than the
// column fills it.
func fixedEnd(b []byte, width int, u unitFunc, eof bool) (n int, short, more bool) {
	if len(b) >= width {
		ascii := true
		for _, x := range b[:width] {
			if x >= utf8.RuneSelf {
				ascii = false
				break
			}
		}
		if ascii {
			return width, false, false
		}
	}
	units := 0
	for n < len(b) && units < width {
		if b[n] < utf8.RuneSelf {
			n++
			units++
			continue
		}
		if !eof && !utf8.FullRune(b[n:]) {
			return 0, false, true
		}
		r, sz := utf8.DecodeRune(b[n:])
		w := u(r)
		if units+w > width && units > 0 {
			return n, false, false
		}
		n += sz
		units += w
	}
	if units == width {
		return n, false, false
	}
	if !eof {
		return 0, false, true
	}
	return n, true, false
}
