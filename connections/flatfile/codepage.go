package flatfile

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// Code pages with a special meaning.
const (
	CodePageUTF16LE = 1200
	CodePageUTF16BE = 1201
	CodePageUTF8    = 65001
)

// codePages maps the Windows code pages a flat file can use to their
// encodings. UTF-8 (65001) is absent: it is read and written without
// transcoding.
var codePages = map[int]encoding.Encoding{
	437:             charmap.CodePage437,
	850:             charmap.CodePage850,
	852:             charmap.CodePage852,
	866:             charmap.CodePage866,
	874:             charmap.Windows874,
	932:             japanese.ShiftJIS,
	936:             simplifiedchinese.GBK,
	949:             korean.EUCKR,
	950:             traditionalchinese.Big5,
	1250:            charmap.Windows1250,
	1251:            charmap.Windows1251,
	1252:            charmap.Windows1252,
	1253:            charmap.Windows1253,
	1254:            charmap.Windows1254,
	1255:            charmap.Windows1255,
	1256:            charmap.Windows1256,
	1257:            charmap.Windows1257,
	1258:            charmap.Windows1258,
	20127:           charmap.Windows1252, // US-ASCII is a subset
	20866:           charmap.KOI8R,
	28591:           charmap.ISO8859_1,
	28592:           charmap.ISO8859_2,
	28605:           charmap.ISO8859_15,
	54936:           simplifiedchinese.GB18030,
	CodePageUTF16LE: unicode.UTF16(unicode.LittleEndian, unicode.UseBOM),
	CodePageUTF16BE: unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
}

// knownCodePage reports whether the package can read and write cp.
func knownCodePage(cp int) bool {
	_, ok := codePages[cp]
	return ok || cp == CodePageUTF8
}
