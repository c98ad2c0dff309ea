package flatfile

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/beevik/etree"
	"github.com/dtsx-run/dtsx/dtsx"
	"golang.org/x/text/encoding"
)

// Diagnostic codes of this package.
const (
	CodeNoColumns   = "flatfile-no-columns"
	CodeBadLayout   = "flatfile-bad-layout"
	CodeDuplicate   = "flatfile-duplicate-column"
	CodeNoObjectDef = "flatfile-no-definition"
)

// Format is the layout of a flat file: the connection manager's Format.
type Format int

// Formats, as "Flat File Connection Manager Editor (General Page)"
// describes them.
const (
	// Delimited columns are separated by delimiters.
	Delimited Format = iota
	// FixedWidth columns have a fixed width.
	FixedWidth
	// RaggedRight columns have a fixed width, except the last, which ends
	// at the row delimiter.
	RaggedRight
)

// String returns the format's persisted name.
func (f Format) String() string {
	switch f {
	case Delimited:
		return "Delimited"
	case FixedWidth:
		return "FixedWidth"
	case RaggedRight:
		return "RaggedRight"
	}
	return strconv.Itoa(int(f))
}

func parseFormat(s string) (Format, bool) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) {
	case "delimited", "":
		return Delimited, true
	case "fixedwidth":
		return FixedWidth, true
	case "raggedright":
		return RaggedRight, true
	}
	return Delimited, false
}

// Column is one FlatFileColumn: how it is cut out of a row and the type
// the connection manager gives it.
type Column struct {
	Name  string
	DTSID string
	// Path locates the column in diagnostics.
	Path string
	// Fixed is true for a FixedWidth column (ColumnType), false for a
	// Delimited one.
	Fixed bool
	// Delimiter is the ColumnDelimiter, decoded: the text that ends a
	// delimited column. The last column's delimiter is the row delimiter.
	Delimiter string
	// Width is the ColumnWidth of a fixed-width column, in characters.
	Width int
	// MaximumWidth is the longest value the column takes, in characters;
	// 0 means no limit.
	MaximumWidth int
	// DataType is the SSIS data type number (129 DT_STR, 130 DT_WSTR, 3
	// DT_I4, ...).
	DataType  int
	Precision int
	Scale     int
	// TextQualified is true when the column's values may be enclosed in
	// the text qualifier.
	TextQualified bool
}

// Spec is the persisted definition of a Flat File connection manager.
type Spec struct {
	// Name, File and Path locate the connection manager in diagnostics.
	Name string
	File string
	Path string

	Format   Format
	LocaleID int
	// Unicode is true for a UTF-16 little-endian file; CodePage is then
	// not used ("If you use Unicode, you cannot specify a code page").
	Unicode  bool
	CodePage int
	// HeaderRowDelimiter ends each of the HeaderRowsToSkip rows and the
	// column-names row.
	HeaderRowDelimiter string
	HeaderRowsToSkip   int
	// ColumnNamesInFirstDataRow is true when the first row after the
	// skipped header rows holds the column names.
	ColumnNamesInFirstDataRow bool
	// RowDelimiter is the connection manager's own RowDelimiter; the row
	// delimiter in effect is the last column's delimiter (see
	// Spec.RowEnd).
	RowDelimiter   string
	DataRowsToSkip int
	// TextQualifier is the qualifier, decoded; empty for <none>.
	TextQualifier string
	// AlwaysCheckForRowDelimiters is true (the default) when a row
	// delimiter in unquoted data ends the row even where a column
	// delimiter was expected ("Flat File Connection Manager").
	AlwaysCheckForRowDelimiters bool
	Columns                     []Column
}

// New returns a Spec with the defaults of a new Flat File connection
// manager: delimited, code page 1252, CR LF header rows, no qualifier.
func New() *Spec {
	return &Spec{Format: Delimited, LocaleID: 1033, CodePage: 1252, HeaderRowDelimiter: "\r\n",
		AlwaysCheckForRowDelimiters: true}
}

// RowEnd returns the row delimiter in effect: the last column's
// delimiter for a delimited or ragged-right file, the connection
// manager's RowDelimiter otherwise (usually empty for fixed width).
func (s *Spec) RowEnd() string {
	if n := len(s.Columns); n > 0 && !s.Columns[n-1].Fixed {
		return s.Columns[n-1].Delimiter
	}
	return s.RowDelimiter
}

// Encoding returns the file's text encoding, or nil for UTF-8.
func (s *Spec) Encoding() (encoding.Encoding, error) {
	cp := s.CodePage
	if s.Unicode {
		cp = CodePageUTF16LE
	}
	if cp == CodePageUTF8 {
		return nil, nil
	}
	e, ok := codePages[cp]
	if !ok {
		return nil, fmt.Errorf("flatfile: %s: code page %d is not supported (%s)", s.Path, cp, codePageList())
	}
	return e, nil
}

func codePageList() string {
	var cps []int
	for cp := range codePages {
		cps = append(cps, cp)
	}
	cps = append(cps, CodePageUTF8)
	sort.Ints(cps)
	var b strings.Builder
	for i, cp := range cps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(cp))
	}
	return b.String()
}

// Parse reads the Flat File connection manager def's ObjectData into a
// Spec. The diagnostics name the manager's file and path and, for a
// column, the column; a Spec is returned even with errors, with defaults
// where a value could not be read.
func Parse(def *dtsx.ConnectionManager) (*Spec, dtsx.Diagnostics) {
	path := def.RefID
	if path == "" {
		path = "Package.ConnectionManagers[" + def.Name + "]"
	}
	if def.ObjectData == nil {
		s := New()
		s.Name, s.File, s.Path = def.Name, def.File, path
		return s, dtsx.Diagnostics{{Severity: dtsx.SeverityError, Code: CodeNoObjectDef, File: def.File, Path: path,
			Message: fmt.Sprintf("flat file connection manager %q has no ObjectData", def.Name),
			Hint:    "open the package in the designer and save the connection manager's columns"}}
	}
	return ParseElement(def.File, path, def.Name, def.ObjectData)
}

// ParseElement reads a Flat File connection manager's inner
// DTS:ConnectionManager element (attributes in formats 6 and 8,
// DTS:Property children in formats 2 and 3).
func ParseElement(file, path, name string, e *etree.Element) (*Spec, dtsx.Diagnostics) {
	s := New()
	s.Name, s.File, s.Path = name, file, path
	p := parser{file: file}
	o := &dtsx.Object{Element: e}

	if v, ok := o.Property("Format"); ok {
		f, ok := parseFormat(v)
		if !ok {
			p.bad(path, fmt.Sprintf("Format is %q", v), "use Delimited, FixedWidth or RaggedRight")
		}
		s.Format = f
	}
	s.LocaleID = p.int(o, path, "LocaleID", s.LocaleID)
	s.Unicode = p.bool(o, path, "Unicode", false)
	s.CodePage = p.int(o, path, "CodePage", s.CodePage)
	if v, ok := o.Property("HeaderRowDelimiter"); ok {
		s.HeaderRowDelimiter = decodeEscapes(v)
	}
	s.HeaderRowsToSkip = p.count(o, path, "HeaderRowsToSkip")
	s.ColumnNamesInFirstDataRow = p.bool(o, path, "ColumnNamesInFirstDataRow", false)
	if v, ok := o.Property("RowDelimiter"); ok {
		s.RowDelimiter = decodeEscapes(v)
	}
	s.DataRowsToSkip = p.count(o, path, "DataRowsToSkip")
	if v, ok := o.Property("TextQualifier"); ok {
		s.TextQualifier = qualifier(v)
	}
	s.AlwaysCheckForRowDelimiters = p.bool(o, path, "AlwaysCheckForRowDelimiters", true)
	if !s.Unicode && !knownCodePage(s.CodePage) {
		p.bad(path, fmt.Sprintf("CodePage %d is not supported", s.CodePage), "use one of "+codePageList()+", or set Unicode")
	}

	for _, ce := range columnElements(e) {
		s.Columns = append(s.Columns, p.column(path, ce))
	}
	p.diags = append(p.diags, s.Check()...)
	return s, p.diags
}

// Check reports what makes the layout unreadable: no columns, a
// delimited column without a delimiter, a fixed-width column without a
// width, columns that do not fit the Format, duplicate column names.
func (s *Spec) Check() dtsx.Diagnostics {
	p := parser{file: s.File}
	if len(s.Columns) == 0 {
		p.diags = append(p.diags, dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: CodeNoColumns, File: s.File, Path: s.Path,
			Message: fmt.Sprintf("flat file connection manager %q has no columns", s.Name),
			Hint:    "define the columns on the Columns page, or the Flat File source cannot read the file"})
		return p.diags
	}
	seen := map[string]bool{}
	last := len(s.Columns) - 1
	for i, c := range s.Columns {
		switch {
		case !c.Fixed && c.Delimiter == "":
			p.layout(c.Path, fmt.Sprintf("delimited column %q has no ColumnDelimiter", c.Name), "set its ColumnDelimiter (the last column's is the row delimiter)")
		case c.Fixed && c.Width <= 0:
			p.layout(c.Path, fmt.Sprintf("fixed-width column %q has ColumnWidth %d", c.Name, c.Width), "set a ColumnWidth of at least 1")
		}
		switch s.Format {
		case Delimited:
			if c.Fixed {
				p.layout(c.Path, fmt.Sprintf("column %q is FixedWidth in a Delimited file", c.Name), "set its ColumnType to Delimited, or the Format to FixedWidth or RaggedRight")
			}
		case FixedWidth:
			if !c.Fixed {
				p.layout(c.Path, fmt.Sprintf("column %q is Delimited in a FixedWidth file", c.Name), "set its ColumnType to FixedWidth, or the Format to RaggedRight or Delimited")
			}
		case RaggedRight:
			if i < last && !c.Fixed {
				p.layout(c.Path, fmt.Sprintf("column %q is Delimited in a RaggedRight file but is not the last column", c.Name), "only the last column of a ragged-right file is delimited")
			}
			if i == last && c.Fixed {
				p.layout(c.Path, fmt.Sprintf("the last column %q of a RaggedRight file is FixedWidth", c.Name), "make the last column Delimited by the row delimiter, or set the Format to FixedWidth")
			}
		}
		k := strings.ToLower(c.Name)
		if seen[k] && c.Name != "" {
			p.diags = append(p.diags, dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: CodeDuplicate, File: s.File, Path: c.Path,
				Message: fmt.Sprintf("two columns are named %q", c.Name), Hint: "rename one of them; sources and destinations map columns by name"})
		}
		seen[k] = true
	}
	return p.diags
}

// columnElements returns the FlatFileColumn elements: inside
// DTS:FlatFileColumns in formats 6 and 8, direct children in 2 and 3.
func columnElements(e *etree.Element) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		switch c.Tag {
		case "FlatFileColumns":
			for _, cc := range c.ChildElements() {
				if cc.Tag == "FlatFileColumn" {
					out = append(out, cc)
				}
			}
		case "FlatFileColumn":
			out = append(out, c)
		}
	}
	return out
}

// qualifier decodes a TextQualifier: <none> (in any of its spellings) is
// no qualifier.
func qualifier(v string) string {
	d := decodeEscapes(v)
	switch strings.ToLower(strings.TrimSpace(d)) {
	case "", "<none>", "none":
		return ""
	}
	return d
}

type parser struct {
	file  string
	diags dtsx.Diagnostics
}

func (p *parser) bad(path, msg, hint string) {
	p.diags = append(p.diags, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: dtsx.CodeBadValue, File: p.file, Path: path, Message: msg, Hint: hint})
}

func (p *parser) layout(path, msg, hint string) {
	p.diags = append(p.diags, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: CodeBadLayout, File: p.file, Path: path, Message: msg, Hint: hint})
}

func (p *parser) int(o *dtsx.Object, path, name string, def int) int {
	v, ok := o.Property(name)
	if !ok || strings.TrimSpace(v) == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		p.bad(path, fmt.Sprintf("%s is %q", name, v), "use a whole number")
		return def
	}
	return n
}

func (p *parser) count(o *dtsx.Object, path, name string) int {
	n := p.int(o, path, name, 0)
	if n < 0 {
		p.bad(path, fmt.Sprintf("%s is %d", name, n), "use 0 or more")
		return 0
	}
	return n
}

func (p *parser) bool(o *dtsx.Object, path, name string, def bool) bool {
	v, ok := o.Property(name)
	if !ok {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "-1", "1":
		return true
	case "false", "0":
		return false
	}
	p.bad(path, fmt.Sprintf("%s is %q", name, v), "use True or False (-1 or 0 in formats 2 and 3)")
	return def
}

func (p *parser) column(path string, e *etree.Element) Column {
	o := &dtsx.Object{Element: e}
	c := Column{DataType: 129}
	c.Name, _ = o.Property("ObjectName")
	c.DTSID, _ = o.Property("DTSID")
	c.Path = path + ".FlatFileColumns[" + c.Name + "]"
	if v, ok := o.Property("ColumnType"); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "delimited", "":
		case "fixedwidth":
			c.Fixed = true
		default:
			p.bad(c.Path, fmt.Sprintf("ColumnType is %q", v), "use Delimited or FixedWidth")
		}
	}
	if v, ok := o.Property("ColumnDelimiter"); ok {
		c.Delimiter = decodeEscapes(v)
	}
	c.Width = p.count(o, c.Path, "ColumnWidth")
	c.MaximumWidth = p.count(o, c.Path, "MaximumWidth")
	c.DataType = p.int(o, c.Path, "DataType", c.DataType)
	c.Precision = p.count(o, c.Path, "DataPrecision")
	c.Scale = p.count(o, c.Path, "DataScale")
	c.TextQualified = p.bool(o, c.Path, "TextQualified", false)
	return c
}

// usable returns the Spec's encoding (nil for UTF-8), or an ErrBadSpec
// error for the Spec's first error or when it has no columns.
func (s *Spec) usable() (encoding.Encoding, error) {
	if ds := s.Check(); ds.HasErrors() {
		for _, d := range ds {
			if d.Severity == dtsx.SeverityError {
				return nil, fmt.Errorf("%w: %s", ErrBadSpec, d.String())
			}
		}
	}
	if len(s.Columns) == 0 {
		return nil, fmt.Errorf("%w: %s: no columns", ErrBadSpec, s.Path)
	}
	return s.Encoding()
}
