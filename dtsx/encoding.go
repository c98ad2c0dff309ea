package dtsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// transcode returns data as UTF-8. A byte order mark tells UTF-8 or UTF-16
// (little or big endian); without one, UTF-16 is recognised by the first
// characters, "<?" or "<" and a letter, as the XML recommendation's
// appendix F does. Anything else is returned as it is: UTF-8, or an
// encoding the XML declaration names (see charsetReader). enc names the
// UTF-16 form found; bom says a byte order mark was there.
func transcode(file string, data []byte) (out []byte, enc string, bom bool, _ *Error) {
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		return data[len(utf8BOM):], "", true, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		out, err := decodeUTF16(file, data[2:], false)
		return out, "UTF-16LE", true, err
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := decodeUTF16(file, data[2:], true)
		return out, "UTF-16BE", true, err
	case len(data) >= 4 && data[0] == '<' && data[1] == 0 && data[2] != 0 && data[3] == 0:
		out, err := decodeUTF16(file, data, false)
		return out, "UTF-16LE", false, err
	case len(data) >= 4 && data[0] == 0 && data[1] == '<' && data[2] == 0 && data[3] != 0:
		out, err := decodeUTF16(file, data, true)
		return out, "UTF-16BE", false, err
	}
	return data, "", false, nil
}

// decodeUTF16 converts UTF-16 to UTF-8. An odd number of bytes is a file cut
// short; an unpaired surrogate is damage, reported at its line.
func decodeUTF16(file string, b []byte, bigEndian bool) ([]byte, *Error) {
	at := func(i int) rune {
		if bigEndian {
			return rune(b[i])<<8 | rune(b[i+1])
		}
		return rune(b[i+1])<<8 | rune(b[i])
	}
	out := make([]byte, 0, len(b)/2+len(b)/32)
	line := 1
	for i := 0; i+1 < len(b); i += 2 {
		c := at(i)
		switch {
		case c < utf8.RuneSelf:
			if c == '\n' {
				line++
			}
			out = append(out, byte(c))
		case utf16.IsSurrogate(c):
			if c < 0xDC00 && i+3 < len(b) {
				if r := utf16.DecodeRune(c, at(i+2)); r != utf8.RuneError {
					out = utf8.AppendRune(out, r)
					i += 2
					continue
				}
			}
			return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeMalformedXML, File: file, Line: line,
				Message: fmt.Sprintf("not well-formed UTF-16: the surrogate U+%04X has no pair", c), Hint: hintDamagedXML}}
		default:
			out = utf8.AppendRune(out, c)
		}
	}
	if len(b)%2 != 0 {
		return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeTruncatedXML, File: file, Line: line,
			Message: "the file is UTF-16 but ends in the middle of a character (truncated file?)",
			Hint:    "the file was cut short; restore the complete file"}}
	}
	return out, nil
}

// errUnknownEncoding is what charsetReader gives the decoder for an
// encoding it cannot read; the reader reports it with the name.
var errUnknownEncoding = errors.New("dtsx: unknown encoding")

// charsetReader is the decoder's CharsetReader, called for an XML
// declaration naming an encoding other than UTF-8:
//
//   - when a byte order mark told the encoding, or the declaration names
//     UTF-8 or UTF-16, the input is read as it is: UTF-16 was converted
//     already, or, with no mark and "<" one byte, the bytes are UTF-8 that a
//     .NET writer declared utf-16 (as it does when writing to a string);
//   - an encoding golang.org/x/text knows by its IANA name or alias
//     (windows-1252, iso-8859-1, ...) or its WHATWG label (cp1252, ...) is
//     converted to UTF-8 as it is read;
//   - any other is refused: the reader reports it with its name.
func (r *treeReader) charsetReader(label string, in io.Reader) (io.Reader, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	if r.bom || r.encoding != "" || strings.HasPrefix(l, "utf-16") || l == "unicode" || l == "utf8" {
		return in, nil
	}
	enc, err := ianaindex.IANA.Encoding(l)
	if enc == nil || err != nil {
		enc, err = htmlindex.Get(l)
	}
	if enc == nil || err != nil {
		r.errEncoding = label
		return nil, errUnknownEncoding
	}
	if enc == unicode.UTF8 || isUTF16(enc) {
		return in, nil
	}
	r.declared = label
	return enc.NewDecoder().Reader(in), nil
}

// isUTF16 reports the UTF-16 encodings, whatever label named them (the
// WHATWG labels "ucs-2" and "csunicode" among others).
func isUTF16(e encoding.Encoding) bool {
	n, err := ianaindex.IANA.Name(e)
	return err == nil && strings.HasPrefix(n, "UTF-16")
}

// declareUTF8 returns the content of an XML declaration with its encoding,
// if any and not UTF-8, changed to utf-8: the tree holds UTF-8 strings and
// a save writes UTF-8.
func declareUTF8(inst string) string {
	i := strings.Index(inst, "encoding")
	if i < 0 {
		return inst
	}
	j := i + len("encoding")
	for j < len(inst) && (inst[j] == ' ' || inst[j] == '\t' || inst[j] == '\r' || inst[j] == '\n') {
		j++
	}
	if j >= len(inst) || inst[j] != '=' {
		return inst
	}
	for j++; j < len(inst) && (inst[j] == ' ' || inst[j] == '\t' || inst[j] == '\r' || inst[j] == '\n'); j++ {
	}
	if j >= len(inst) || (inst[j] != '"' && inst[j] != '\'') {
		return inst
	}
	end := strings.IndexByte(inst[j+1:], inst[j])
	if end < 0 {
		return inst
	}
	if strings.EqualFold(inst[j+1:j+1+end], "utf-8") {
		return inst
	}
	return inst[:j+1] + "utf-8" + inst[j+1+end:]
}
