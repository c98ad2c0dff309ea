package dtsx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// MaxDepth is how deep elements may nest in a file the loader reads: the
// limit etree itself applies. Real packages stay far below it (a data flow
// column inside ten nested containers is about 40 deep); a file that goes
// past it is damaged or hostile and is refused at the element that does.
const MaxDepth = 1024

// xmlFile is a parsed file: its tree, the line of every element read from
// it, and the encoding its bytes were in.
type xmlFile struct {
	doc *etree.Document
	// lines holds the line of each element's start tag, counted by the
	// decoder as it reads (after transcoding, so the lines are those of the
	// file whatever its encoding). Elements added to the tree later, such
	// as decrypted values, have none: lineOf takes their parent's.
	lines map[*etree.Element]int32
	// encoding is the file's encoding when it was not UTF-8 ("UTF-16LE",
	// "UTF-16BE" or the declared name, such as "windows-1252"), else "".
	encoding string
}

// parseXML reads data into an etree document; see readXML.
func parseXML(file string, data []byte) (*etree.Document, *Error) {
	f, err := readXML(file, data)
	if err != nil {
		return nil, err
	}
	return f.doc, nil
}

// readXML reads data into an etree document, keeping the line of each
// element. It reads UTF-8 (with or without a byte order mark), UTF-16 with a
// byte order mark or an XML declaration that tells it, and the encodings an
// XML declaration names that golang.org/x/text knows (windows-1252,
// iso-8859-1 and the other single-byte code pages, Shift_JIS, ...): the tree
// always holds UTF-8 strings, and a declaration of another encoding in it is
// changed to utf-8, so that a save (Package.WriteTo) writes UTF-8 that says
// so. Failures are classified as empty, truncated or malformed XML, too deep,
// or an unknown encoding, with the line where the reading stopped.
//
// The tree is the one etree's ReadFromBytes builds (the same tokens, the
// same duplicate-attribute rule), built here to know where each element
// starts, to stop at MaxDepth with that line, and to share the strings that
// repeat (names, indentation) instead of keeping a copy of each.
func readXML(file string, data []byte) (*xmlFile, *Error) {
	data, enc, bom, lerr := transcode(file, data)
	if lerr != nil {
		return nil, lerr
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeEmptyFile, File: file,
			Message: "the file is empty", Hint: "re-export the file from SSDT or restore it from version control"}}
	}
	r := &treeReader{file: file, encoding: enc, bom: bom}
	f, lerr := r.read(data)
	if lerr != nil {
		return nil, lerr
	}
	return f, nil
}

// treeReader builds one file's tree.
type treeReader struct {
	file     string
	encoding string // what transcode found: "UTF-16LE", "UTF-16BE" or ""
	bom      bool   // a byte order mark said the encoding
	// declared is the encoding the XML declaration names when it was read
	// through x/text; errEncoding the one it names that cannot be read.
	declared    string
	errEncoding string
	names       map[string]string // one copy of each name and white-space run
}

func (r *treeReader) read(data []byte) (*xmlFile, *Error) {
	f := &xmlFile{doc: etree.NewDocument(), lines: map[*etree.Element]int32{}}
	r.names = map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = r.charsetReader
	stack := []*etree.Element{&f.doc.Element}
	for {
		line, _ := dec.InputPos() // where the next token starts
		tok, err := dec.RawToken()
		if err != nil {
			if err == io.EOF && len(stack) > 1 {
				err = io.ErrUnexpectedEOF
			}
			if err == io.EOF {
				break
			}
			return nil, r.syntaxError(dec, err)
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > MaxDepth {
				return nil, r.tooDeep(line, t.Name)
			}
			e := etree.NewElement("")
			e.Space, e.Tag = r.name(t.Name.Space), r.name(t.Name.Local)
			if len(t.Attr) > 0 {
				e.Attr = make([]etree.Attr, 0, len(t.Attr))
			}
			for _, a := range t.Attr {
				addAttr(e, r.name(a.Name.Space), r.name(a.Name.Local), a.Value)
			}
			top.AddChild(e)
			f.lines[e] = int32(line)
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) == 1 {
				return nil, r.malformed(line, "unexpected end element </"+fullName(t.Name)+">")
			}
			if top.Tag != t.Name.Local || top.Space != t.Name.Space {
				return nil, r.malformed(line, "element <"+top.FullTag()+"> closed by </"+fullName(t.Name)+">")
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			var s string
			if len(t) <= 64 && isSpace(t) {
				s = r.nameBytes(t) // indentation repeats: one copy of each
			} else {
				s = string(t)
			}
			c := etree.NewText(s)
			c.SetData(s) // marks white space as etree's reader does
			top.AddChild(c)
		case xml.Comment:
			top.AddChild(etree.NewComment(string(t)))
		case xml.Directive:
			top.AddChild(etree.NewDirective(string(t)))
		case xml.ProcInst:
			inst := string(t.Inst)
			if t.Target == "xml" && len(stack) == 1 {
				inst = declareUTF8(inst)
			}
			top.AddChild(etree.NewProcInst(t.Target, inst))
		}
	}
	if f.doc.Root() == nil {
		return nil, r.truncated(dec)
	}
	f.encoding = firstNonEmpty(r.encoding, r.declared)
	return f, nil
}

// addAttr adds an attribute read from the file to e. A repeated attribute
// keeps its first place and takes the last value, as etree's reader does.
func addAttr(e *etree.Element, space, key, value string) {
	sameKey := false
	for i := range e.Attr {
		if e.Attr[i].Key == key {
			if e.Attr[i].Space == space {
				e.Attr[i].Value = value
				return
			}
			sameKey = true
		}
	}
	if sameKey && space != "" {
		e.CreateAttr(space+":"+key, value) // matches the prefix too
		return
	}
	// CreateAttr sets the attribute's element, which etree needs; no
	// attribute has this key yet, so it appends.
	e.CreateAttr(key, value).Space = space
}

func fullName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// name returns the one copy of s kept for the file.
func (r *treeReader) name(s string) string {
	if s == "" {
		return ""
	}
	if c, ok := r.names[s]; ok {
		return c
	}
	r.names[s] = s
	return s
}

func (r *treeReader) nameBytes(b []byte) string {
	if c, ok := r.names[string(b)]; ok {
		return c
	}
	s := string(b)
	r.names[s] = s
	return s
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// hintDamagedXML is the fix of a file that is not well-formed.
const hintDamagedXML = "the file is damaged; open it in an XML editor at the line shown or restore it from version control"

func (r *treeReader) malformed(line int, msg string) *Error {
	return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeMalformedXML, File: r.file, Line: line,
		Message: "not well-formed XML: " + msg, Hint: hintDamagedXML}}
}

// tooDeep reports an element nested past MaxDepth, in one line whatever the
// nesting: the limit, where, and what to do.
func (r *treeReader) tooDeep(line int, n xml.Name) *Error {
	name := fullName(n)
	if len(name) > 40 {
		name = name[:40] + "..."
	}
	return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeTooDeep, File: r.file, Line: line,
		Message: fmt.Sprintf("elements nest more than %d deep (at <%s>); SSIS files never do", MaxDepth, name),
		Hint:    "the file is damaged or not an SSIS file; restore it from version control or re-export it from SSDT"},
		Err: etree.ErrMaxDepth}
}

// truncated reports input that ends inside an element or a token.
func (r *treeReader) truncated(dec *xml.Decoder) *Error {
	line, _ := dec.InputPos()
	return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeTruncatedXML, File: r.file, Line: line,
		Message: "the XML ends before its root element is closed (truncated file?)",
		Hint:    "the file was cut short; restore the complete file"}, Err: io.ErrUnexpectedEOF}
}

// syntaxError explains a decoder failure.
func (r *treeReader) syntaxError(dec *xml.Decoder, err error) *Error {
	if r.errEncoding != "" {
		return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeUnknownEncoding, File: r.file, Line: 1,
			Message: fmt.Sprintf("the file declares encoding %q, which dtsx cannot read", r.errEncoding),
			Hint: `re-save the file as UTF-8 (SSDT does), or correct the declaration to the encoding the bytes are in, ` +
				`such as <?xml version="1.0" encoding="windows-1252"?>`}, Err: err}
	}
	var se *xml.SyntaxError
	if errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF")) {
		return r.truncated(dec)
	}
	if se == nil {
		line, _ := dec.InputPos()
		e := r.malformed(line, err.Error())
		e.Err = err
		return e
	}
	e := r.malformed(se.Line, se.Msg)
	e.Err = err
	if se.Msg == "invalid UTF-8" && r.declared == "" && !r.bom {
		e.Message = "not well-formed XML: invalid UTF-8"
		e.Hint = `the file is not UTF-8: if it was saved in another encoding, declare it on the first line ` +
			`(<?xml version="1.0" encoding="windows-1252"?>) or re-save it as UTF-8; otherwise it is damaged: restore it from version control`
	}
	return e
}
