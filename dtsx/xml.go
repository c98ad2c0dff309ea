package dtsx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// XML namespaces of the SSIS file formats.
const (
	NamespaceDTS  = "www.microsoft.com/SqlServer/Dts"  // packages and .conmgr
	NamespaceSSIS = "www.microsoft.com/SqlServer/SSIS" // .params, manifests
	NamespaceEnc  = "http://www.w3.org/2001/04/xmlenc#"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parseXML reads data into an etree document. It strips a UTF-8 BOM and
// classifies failures as empty, truncated or malformed XML.
func parseXML(file string, data []byte) (*etree.Document, *Error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeEmptyFile, File: file,
			Message: "the file is empty", Hint: "re-export the file from SSDT or restore it from version control"}}
	}
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{
		// SSIS writes no encoding attribute but CDATA blocks inside may name
		// utf-16; the bytes are UTF-8 in every real file.
		CharsetReader: func(_ string, r io.Reader) (io.Reader, error) { return r, nil },
	}
	err := doc.ReadFromBytes(data)
	if err == nil && doc.Root() == nil {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, xmlError(file, data, err)
	}
	return doc, nil
}

// xmlError explains a parse failure. Etree reports some failures without a
// position, so the bytes are scanned again with encoding/xml, which gives
// the line and the reason, and tells a file cut short from a damaged one.
func xmlError(file string, data []byte, err error) *Error {
	d := Diagnostic{Severity: SeverityError, Code: CodeMalformedXML, File: file,
		Message: "not well-formed XML: " + err.Error(),
		Hint:    "the file is damaged; open it in an XML editor at the line shown or restore it from version control"}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		_, terr := dec.Token()
		if terr == nil {
			continue
		}
		var se *xml.SyntaxError
		switch {
		case errors.As(terr, &se) && !strings.Contains(se.Msg, "unexpected EOF"):
			d.Line, d.Message = se.Line, "not well-formed XML: "+se.Msg
		case errors.Is(terr, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF):
			d.Line = lineOfEnd(data) // encoding/xml found nothing wrong
		default: // the input ends inside an element or a token
			d.Code = CodeTruncatedXML
			d.Line = lineOfEnd(data)
			d.Message = "the XML ends before its root element is closed (truncated file?)"
			d.Hint = "the file was cut short; restore the complete file"
		}
		return &Error{Diagnostic: d, Err: err}
	}
}

func lineOfEnd(data []byte) int { return bytes.Count(data, []byte{'\n'}) + 1 }

// attr returns the value of e's attribute named key, whatever its prefix
// (SSIS writes DTS:ObjectName, IDREF, Sensitive, SendMailTask:To ...).
func attr(e *etree.Element, key string) (string, bool) {
	for _, a := range e.Attr {
		if a.Key == key && a.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
}

// attrValue is attr without the presence flag.
func attrValue(e *etree.Element, key string) string {
	v, _ := attr(e, key)
	return v
}

// firstChild returns e's first child element with the local name tag, or nil.
func firstChild(e *etree.Element, tag string) *etree.Element {
	for _, c := range e.Child {
		if ce, ok := c.(*etree.Element); ok && ce.Tag == tag {
			return ce
		}
	}
	return nil
}

// firstElement returns e's first child element, or nil.
func firstElement(e *etree.Element) *etree.Element {
	if e == nil {
		return nil
	}
	for _, c := range e.Child {
		if ce, ok := c.(*etree.Element); ok {
			return ce
		}
	}
	return nil
}

// parseBool reads an SSIS boolean: True/False in formats 6 and 8, -1/0 in
// formats 2 and 3 (and 1 in some hand-written files).
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "-1", "1":
		return true, true
	case "false", "0", "":
		return false, true
	}
	return false, false
}

// parseInt reads an integer property, reporting whether it was one.
func parseInt(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// lineOf returns the 1-based line of the first occurrence of needle in data,
// or 0. Etree keeps no positions, so diagnostics find their element's line
// by a distinctive string (its DTSID or name) only when they are reported.
func lineOf(data []byte, needle string) int { return lineOfNth(data, needle, 1) }

// lineOfNth returns the line of the nth occurrence of needle, or 0.
func lineOfNth(data []byte, needle string, n int) int {
	if needle == "" || data == nil {
		return 0
	}
	off := 0
	for ; n > 0; n-- {
		i := bytes.Index(data[off:], []byte(needle))
		if i < 0 {
			return 0
		}
		off += i + len(needle)
	}
	return bytes.Count(data[:off-len(needle)], []byte{'\n'}) + 1
}

// quote puts s in double quotes without escaping backslashes, so that
// element paths (Package\Task) read as they are written.
func quote(s string) string { return `"` + s + `"` }
