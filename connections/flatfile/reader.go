package flatfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// CellError says what is wrong with one value of a row.
type CellError uint8

// Cell errors.
const (
	CellOK CellError = iota
	// CellTruncated: the value is wider than the column's MaximumWidth
	// (in the file's units: bytes of its code page, UTF-16 code units for
	// a Unicode file). Value holds it whole.
	CellTruncated
	// CellMissing: the row ended before the column (a row delimiter in a
	// delimited file, the end of the file otherwise). Value is nil.
	CellMissing
	// CellShort: the file ended inside a fixed-width column.
	CellShort
	// CellBadQualifier: a qualified value has no closing qualifier, or
	// text between its closing qualifier and the delimiter.
	CellBadQualifier
)

// String names the error.
func (e CellError) String() string {
	switch e {
	case CellOK:
		return "ok"
	case CellTruncated:
		return "truncated"
	case CellMissing:
		return "missing column"
	case CellShort:
		return "short fixed-width column"
	case CellBadQualifier:
		return "bad text qualifier"
	}
	return fmt.Sprintf("CellError(%d)", uint8(e))
}

// Cell is one value of a row.
type Cell struct {
	// Value is the text, UTF-8, without qualifiers; it is valid until the
	// next call of Reader.Read.
	Value []byte
	Err   CellError
}

// String returns the value as a string (a copy).
func (c Cell) String() string { return string(c.Value) }

// Truncate returns v cut to column i's MaximumWidth, as SSIS keeps a
// value whose truncation is ignored; a character is not split.
func (rd *Reader) Truncate(i int, v []byte) []byte {
	m := rd.cols[i].maxw
	if m <= 0 || len(v) <= m {
		return v
	}
	n := 0
	for k, r := range string(v) {
		w := 1
		if r >= utf8.RuneSelf {
			w = rd.units(r)
		}
		if n+w > m {
			return v[:k]
		}
		n += w
	}
	return v
}

// Row is one data row: a cell per column of the Spec.
type Row struct {
	Cells []Cell
	// Line is the number of the row in the file, counting every row and
	// header row from 1.
	Line int64
}

// Err returns the first cell error of the row, naming the column, or nil.
func (r *Row) Err(s *Spec) error {
	for i, c := range r.Cells {
		if c.Err != CellOK {
			return &CellErr{File: s.File, Path: s.Columns[i].Path, Column: s.Columns[i].Name, Line: r.Line, Kind: c.Err}
		}
	}
	return nil
}

// CellErr is a cell error as an error.
type CellErr struct {
	File, Path, Column string
	Line               int64
	Kind               CellError
}

func (e *CellErr) Error() string {
	return fmt.Sprintf("%s: row %d: column %q (%s): %s", e.File, e.Line, e.Column, e.Path, e.Kind)
}

// ErrBadSpec is returned for a Spec that Check finds errors in.
var ErrBadSpec = errors.New("flatfile: the connection manager's layout cannot be read")

type colPlan struct {
	fixed     bool
	width     int
	delim     []byte
	maxw      int
	qualified bool
}

type span struct {
	s, e  int
	arena bool
	err   CellError
}

// Reader reads the rows of a flat file as a Spec describes them. The
// header rows and the column-names row are read by NewReader.
type Reader struct {
	spec     *Spec
	src      io.Reader
	buf      []byte
	pos, end int
	eof      bool
	rerr     error

	cols     []colPlan
	rowDelim []byte
	qual     []byte
	check    bool
	units    unitFunc

	spans  []span
	arena  []byte
	row    Row
	line   int64
	header []string
}

// startBuf is the reader's first buffer size; it doubles for a row
// longer than the buffer.
const startBuf = 64 << 10

// NewReader returns a Reader of r. It decodes the Spec's code page (UTF-16LE
// when Unicode is set; a UTF-8 byte order mark is dropped), skips the
// HeaderRowsToSkip rows, reads the column names when
// ColumnNamesInFirstDataRow is set and skips the DataRowsToSkip rows.
func NewReader(ctx context.Context, r io.Reader, s *Spec) (*Reader, error) {
	enc, err := s.usable()
	if err != nil {
		return nil, err
	}
	rd := &Reader{spec: s, src: r, buf: make([]byte, startBuf), check: s.AlwaysCheckForRowDelimiters, units: s.units()}
	if enc != nil {
		rd.src = transform.NewReader(r, enc.NewDecoder())
	}
	for _, c := range s.Columns {
		rd.cols = append(rd.cols, colPlan{fixed: c.Fixed, width: c.Width, delim: []byte(c.Delimiter), maxw: c.MaximumWidth, qualified: c.TextQualified && s.TextQualifier != ""})
	}
	rd.rowDelim = []byte(s.RowEnd())
	rd.qual = []byte(s.TextQualifier)
	rd.spans = make([]span, len(rd.cols))
	rd.row.Cells = make([]Cell, len(rd.cols))

	if enc == nil {
		if err := rd.fill(); err != nil {
			return nil, err
		}
		if bytes.HasPrefix(rd.buf[rd.pos:rd.end], []byte{0xEF, 0xBB, 0xBF}) {
			rd.pos += 3
		}
	}
	hd := []byte(s.HeaderRowDelimiter)
	if len(hd) == 0 {
		hd = rd.rowDelim
	}
	for i := 0; i < s.HeaderRowsToSkip; i++ {
		if _, err := rd.line1(ctx, hd); err != nil {
			return nil, rd.wrap("header row", err)
		}
	}
	if s.ColumnNamesInFirstDataRow {
		names, err := rd.line1(ctx, hd)
		if err != nil {
			return nil, rd.wrap("column names row", err)
		}
		rd.header = rd.splitNames(names)
	}
	for i := 0; i < s.DataRowsToSkip; i++ {
		if _, err := rd.Read(ctx); err != nil {
			return nil, rd.wrap("data row to skip", err)
		}
	}
	return rd, nil
}

func (rd *Reader) wrap(what string, err error) error {
	if err == io.EOF {
		return fmt.Errorf("flatfile: %s: %s (%s): the file ends before the %s: %w", rd.spec.File, rd.spec.Path, rd.spec.Name, what, io.ErrUnexpectedEOF)
	}
	return err
}

// Header returns the column names read from the file, or nil when
// ColumnNamesInFirstDataRow is not set.
func (rd *Reader) Header() []string { return rd.header }

// fill moves the unread bytes to the front of the buffer, grows it when
// full and reads more.
func (rd *Reader) fill() error {
	if rd.eof {
		return nil
	}
	if rd.pos > 0 {
		n := copy(rd.buf, rd.buf[rd.pos:rd.end])
		rd.pos, rd.end = 0, n
	}
	if rd.end == len(rd.buf) {
		nb := make([]byte, 2*len(rd.buf))
		copy(nb, rd.buf[:rd.end])
		rd.buf = nb
	}
	for rd.end < len(rd.buf) {
		n, err := rd.src.Read(rd.buf[rd.end:])
		rd.end += n
		if err == io.EOF {
			rd.eof = true
			return nil
		}
		if err != nil {
			rd.rerr = fmt.Errorf("flatfile: reading %s: %w", rd.spec.Name, err)
			return rd.rerr
		}
		if n > 0 && rd.end-rd.pos >= 4096 {
			return nil
		}
	}
	return nil
}

// line1 returns the text up to the next delim (a header row).
func (rd *Reader) line1(ctx context.Context, delim []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for {
		if i := bytes.Index(rd.buf[rd.pos:rd.end], delim); i >= 0 {
			out := bytes.Clone(rd.buf[rd.pos : rd.pos+i])
			rd.pos += i + len(delim)
			rd.line++
			return out, nil
		}
		if rd.eof {
			if rd.pos == rd.end {
				return nil, io.EOF
			}
			out := bytes.Clone(rd.buf[rd.pos:rd.end])
			rd.pos = rd.end
			rd.line++
			return out, nil
		}
		if err := rd.fill(); err != nil {
			return nil, err
		}
	}
}

// splitNames cuts the column-names row the way data rows are cut, and
// trims the padding of fixed-width names.
func (rd *Reader) splitNames(line []byte) []string {
	sub := &Reader{spec: rd.spec, buf: line, end: len(line), eof: true, cols: rd.cols, rowDelim: rd.rowDelim,
		qual: rd.qual, check: rd.check, units: rd.units, spans: make([]span, len(rd.cols)), row: Row{Cells: make([]Cell, len(rd.cols))}}
	sub.cols = append([]colPlan(nil), rd.cols...)
	for i := range sub.cols {
		sub.cols[i].maxw = 0
		if i == len(sub.cols)-1 && !sub.cols[i].fixed {
			sub.cols[i].delim = []byte{0} // the row ends at the end of the line
		}
	}
	names := make([]string, len(rd.cols))
	if len(line) == 0 {
		return names
	}
	if _, ok := sub.parse(); ok {
		for i, c := range sub.row.Cells {
			names[i] = strings.TrimRight(string(c.Value), " ")
		}
	}
	return names
}

// Read returns the next data row, or io.EOF after the last. The row and
// its values are reused by the next call.
func (rd *Reader) Read(ctx context.Context) (*Row, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for {
		if rd.rerr != nil {
			return nil, rd.rerr
		}
		if rd.pos == rd.end && rd.eof {
			return nil, io.EOF
		}
		if n, ok := rd.parse(); ok {
			rd.pos = n
			rd.line++
			rd.row.Line = rd.line
			return &rd.row, nil
		}
		if err := rd.fill(); err != nil {
			return nil, err
		}
	}
}

// parse cuts one row from buf[pos:end]. It returns false when the row may
// go on past end and the file has not ended: the caller reads more and
// parses the row again from its start.
func (rd *Reader) parse() (next int, ok bool) {
	buf, p, end := rd.buf, rd.pos, rd.end
	rd.arena = rd.arena[:0]
	rowEnd := -1 // the next row delimiter at or after p, when known
	last := len(rd.cols) - 1
	done := false       // the row delimiter has been passed
	afterDelim := false // the previous column ended at its delimiter
	for i := range rd.cols {
		c := &rd.cols[i]
		sp := &rd.spans[i]
		if done {
			*sp = span{err: CellMissing}
			continue
		}
		if p == end && rd.eof {
			// The file ends: after a column delimiter the column is
			// there and empty, otherwise it is missing.
			if i == 0 || afterDelim {
				*sp = span{s: p, e: p}
			} else {
				*sp = span{err: CellMissing}
			}
			afterDelim = false
			if i == last || sp.err == CellMissing {
				done = true
			}
			continue
		}
		afterDelim = false
		if c.fixed {
			// Fixed-width columns take Width characters whatever they
			// hold, row delimiters included: a ragged-right row that is
			// short takes the start of the next line (the designer's
			// "Ragged right" leaves only the last column to the row
			// delimiter).
			e, short, more := fixedEnd(buf[p:end], c.width, rd.units, rd.eof)
			if more {
				return 0, false
			}
			*sp = span{s: p, e: p + e}
			if short {
				sp.err = CellShort
				done = true
			}
			p += e
			continue
		}
		if c.qualified && hasPrefixOrMore(buf[p:end], rd.qual, rd.eof) {
			if end-p < len(rd.qual) {
				return 0, false
			}
			np, endRow, more := rd.quoted(p, i, sp)
			if more {
				return 0, false
			}
			p = np
			done = endRow
			afterDelim = !endRow
			rowEnd = -1
			continue
		}
		// Unquoted: up to the column delimiter, or the row delimiter
		// when the connection manager checks for it, whichever is first.
		var d int
		if i == last {
			d = bytes.Index(buf[p:end], c.delim)
		} else {
			if rd.check && len(rd.rowDelim) > 0 {
				if rowEnd < p {
					rowEnd = -1
					if k := bytes.Index(buf[p:end], rd.rowDelim); k >= 0 {
						rowEnd = p + k
					}
				}
				lim := end
				if rowEnd >= 0 {
					lim = rowEnd
				}
				d = bytes.Index(buf[p:lim], c.delim)
				if d < 0 && rowEnd >= 0 {
					// The row ends before this column's delimiter: the
					// rest of the columns are missing ("Flat File
					// Connection Manager": the connection manager always
					// checks for a row delimiter in unquoted data).
					*sp = span{s: p, e: rowEnd}
					p = rowEnd + len(rd.rowDelim)
					done = true
					continue
				}
			} else {
				d = bytes.Index(buf[p:end], c.delim)
			}
		}
		if d < 0 {
			if !rd.eof {
				return 0, false
			}
			*sp = span{s: p, e: end}
			p = end
			done = true
			continue
		}
		*sp = span{s: p, e: p + d}
		p += d + len(c.delim)
		if i == last {
			done = true
		} else {
			afterDelim = true
		}
	}
	for i := range rd.cols {
		sp := rd.spans[i]
		cell := &rd.row.Cells[i]
		cell.Err = sp.err
		switch {
		case sp.err == CellMissing:
			cell.Value = nil
			continue
		case sp.arena:
			cell.Value = rd.arena[sp.s:sp.e:sp.e]
		default:
			cell.Value = buf[sp.s:sp.e:sp.e]
		}
		if m := rd.cols[i].maxw; m > 0 && len(cell.Value) > m && cell.Err == CellOK && unitCount(cell.Value, rd.units) > m {
			cell.Err = CellTruncated
		}
	}
	return p, true
}

// hasPrefixOrMore reports whether b starts with q, or might once more is
// read.
func hasPrefixOrMore(b, q []byte, eof bool) bool {
	if len(b) >= len(q) {
		return bytes.HasPrefix(b, q)
	}
	return !eof && bytes.HasPrefix(q, b)
}

// quoted reads a qualified value starting at p: doubled qualifiers inside
// stand for one, and delimiters and row delimiters inside are data. It
// returns the position after the column's delimiter and whether the row
// ended there.
func (rd *Reader) quoted(p, col int, sp *span) (next int, endRow, more bool) {
	buf, end, q := rd.buf, rd.end, rd.qual
	delim := rd.cols[col].delim
	isLast := col == len(rd.cols)-1
	j := p + len(q)
	start := j
	inArena := false
	aStart := len(rd.arena)
	for {
		k := bytes.Index(buf[j:end], q)
		if k < 0 {
			if !rd.eof {
				return 0, false, true
			}
			// No closing qualifier before the end of the file.
			if inArena {
				rd.arena = append(rd.arena, buf[j:end]...)
				*sp = span{s: aStart, e: len(rd.arena), arena: true, err: CellBadQualifier}
			} else {
				*sp = span{s: start, e: end, err: CellBadQualifier}
			}
			return end, true, false
		}
		qpos := j + k
		after := qpos + len(q)
		if end-after < len(q) && !rd.eof {
			return 0, false, true
		}
		if bytes.HasPrefix(buf[after:end], q) {
			// A doubled qualifier: one qualifier of data.
			if !inArena {
				inArena = true
				rd.arena = append(rd.arena, buf[start:after]...)
			} else {
				rd.arena = append(rd.arena, buf[j:after]...)
			}
			j = after + len(q)
			continue
		}
		if inArena {
			rd.arena = append(rd.arena, buf[j:qpos]...)
			*sp = span{s: aStart, e: len(rd.arena), arena: true}
		} else {
			*sp = span{s: start, e: qpos}
		}
		// After the closing qualifier: the delimiter, the row delimiter,
		// or the end of the file.
		rest := buf[after:end]
		switch {
		case len(rest) == 0 && rd.eof:
			return after, true, false
		case hasPrefixOrMore(rest, delim, rd.eof) && len(rest) < len(delim):
			return 0, false, true
		case bytes.HasPrefix(rest, delim):
			return after + len(delim), isLast, false
		case !isLast && rd.check && len(rd.rowDelim) > 0 && bytes.HasPrefix(rest, rd.rowDelim):
			return after + len(rd.rowDelim), true, false
		case !isLast && rd.check && len(rest) < len(rd.rowDelim) && !rd.eof:
			return 0, false, true
		}
		// Text after the closing qualifier: keep it, up to the delimiter,
		// and flag the value.
		d := bytes.Index(rest, delim)
		if d < 0 && !rd.eof {
			return 0, false, true
		}
		if d < 0 {
			d = len(rest)
		}
		if !inArena {
			rd.arena = append(rd.arena, buf[start:qpos]...)
		}
		rd.arena = append(rd.arena, q...)
		rd.arena = append(rd.arena, rest[:d]...)
		*sp = span{s: aStart, e: len(rd.arena), arena: true, err: CellBadQualifier}
		if d == len(rest) {
			return end, true, false
		}
		return after + d + len(delim), isLast, false
	}
}
