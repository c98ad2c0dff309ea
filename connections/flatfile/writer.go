package flatfile

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/text/transform"
)

// Writer writes rows in the layout of a Spec: delimiters, the text
// qualifier where a value needs it, fixed widths padded with spaces, the
// column-names row, and the code page (UTF-16LE with a byte order mark
// when Unicode is set).
type Writer struct {
	spec  *Spec
	out   *bufio.Writer
	close io.Closer // the encoder, when there is one
	cols  []colPlan
	qual  []byte
	row   []byte
	pad   []byte
	// QuoteAll encloses every value of a text-qualified column in the
	// qualifier, as the Flat File destination does; by default only
	// values that hold a delimiter or the qualifier, or start or end with
	// a space, are enclosed.
	QuoteAll bool
	// BOM writes a UTF-8 byte order mark before the first row of a
	// code page 65001 file (a Unicode file always starts with the UTF-16
	// one).
	BOM      bool
	started  bool
	line     int64
	wroteHdr bool
	units    unitFunc
}

// ErrNeedsQualifier is returned for a value that holds a delimiter in a
// column that cannot be qualified.
var ErrNeedsQualifier = errors.New("flatfile: the value holds a delimiter and the column has no text qualifier")

// ErrTooWide is returned for a value longer than its fixed-width column.
var ErrTooWide = errors.New("flatfile: the value is wider than the column")

// NewWriter returns a Writer to w. Call Flush at the end.
func NewWriter(w io.Writer, s *Spec) (*Writer, error) {
	enc, err := s.usable()
	if err != nil {
		return nil, err
	}
	wr := &Writer{spec: s, qual: []byte(s.TextQualifier), units: s.units()}
	if enc != nil {
		tw := transform.NewWriter(w, enc.NewEncoder())
		wr.close = tw
		w = tw
	}
	wr.out = bufio.NewWriterSize(w, 256<<10)
	for _, c := range s.Columns {
		wr.cols = append(wr.cols, colPlan{fixed: c.Fixed, width: c.Width, delim: []byte(c.Delimiter), qualified: c.TextQualified && s.TextQualifier != ""})
	}
	return wr, nil
}

// WriteHeader writes the column-names row (the Spec's column names when
// names is nil), ended by the HeaderRowDelimiter. It writes nothing when
// ColumnNamesInFirstDataRow is not set.
func (w *Writer) WriteHeader(ctx context.Context, names []string) error {
	if !w.spec.ColumnNamesInFirstDataRow || w.wroteHdr {
		return nil
	}
	w.wroteHdr = true
	if names == nil {
		for _, c := range w.spec.Columns {
			names = append(names, c.Name)
		}
	}
	vals := make([][]byte, len(names))
	for i, n := range names {
		vals[i] = []byte(n)
	}
	hd := w.spec.HeaderRowDelimiter
	if hd == "" {
		hd = w.spec.RowEnd()
	}
	return w.write(ctx, vals, []byte(hd))
}

// Write writes one row; values has one entry per column.
func (w *Writer) Write(ctx context.Context, values [][]byte) error {
	return w.write(ctx, values, nil)
}

// WriteStrings writes one row of strings.
func (w *Writer) WriteStrings(ctx context.Context, values []string) error {
	vals := make([][]byte, len(values))
	for i, v := range values {
		vals[i] = []byte(v)
	}
	return w.write(ctx, vals, nil)
}

func (w *Writer) write(ctx context.Context, values [][]byte, lastDelim []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(values) != len(w.cols) {
		return fmt.Errorf("flatfile: %s: a row of %d values for %d columns", w.spec.Path, len(values), len(w.cols))
	}
	w.line++
	b := w.row[:0]
	if !w.started {
		w.started = true
		if w.BOM && !w.spec.Unicode && w.spec.CodePage == CodePageUTF8 {
			b = append(b, 0xEF, 0xBB, 0xBF)
		}
	}
	rowEnd := []byte(w.spec.RowEnd())
	for i, v := range values {
		c := &w.cols[i]
		if c.fixed {
			n := unitCount(v, w.units)
			if n > c.width {
				return fmt.Errorf("%w: %s: row %d, column %q: %d units in %d (bytes of the code page, UTF-16 code units for Unicode)", ErrTooWide, w.spec.Columns[i].Path, w.line, w.spec.Columns[i].Name, n, c.width)
			}
			b = append(b, v...)
			for ; n < c.width; n++ {
				b = append(b, ' ')
			}
			continue
		}
		delim := c.delim
		if i == len(values)-1 && lastDelim != nil {
			delim = lastDelim
		}
		if w.needsQuote(v, c, rowEnd) {
			if !c.qualified {
				return fmt.Errorf("%w: %s: row %d, column %q: %q", ErrNeedsQualifier, w.spec.Columns[i].Path, w.line, w.spec.Columns[i].Name, truncateForMsg(v))
			}
			b = append(b, w.qual...)
			for {
				k := bytes.Index(v, w.qual)
				if k < 0 {
					break
				}
				b = append(b, v[:k+len(w.qual)]...)
				b = append(b, w.qual...)
				v = v[k+len(w.qual):]
			}
			b = append(b, v...)
			b = append(b, w.qual...)
		} else {
			b = append(b, v...)
		}
		b = append(b, delim...)
	}
	w.row = b
	if _, err := w.out.Write(b); err != nil {
		return fmt.Errorf("flatfile: writing %s: %w", w.spec.Name, err)
	}
	return nil
}

func (w *Writer) needsQuote(v []byte, c *colPlan, rowEnd []byte) bool {
	if c.qualified && w.QuoteAll {
		return true
	}
	if len(w.qual) > 0 && c.qualified && bytes.HasPrefix(v, w.qual) {
		return true
	}
	return bytes.Contains(v, c.delim) || (len(rowEnd) > 0 && bytes.Contains(v, rowEnd))
}

func truncateForMsg(v []byte) string {
	if len(v) > 40 {
		return string(v[:40]) + "..."
	}
	return string(v)
}

// Flush writes what is buffered and, for an encoded file, the encoder's
// last bytes. The Writer cannot be used after it.
func (w *Writer) Flush() error {
	if err := w.out.Flush(); err != nil {
		return fmt.Errorf("flatfile: writing %s: %w", w.spec.Name, err)
	}
	if w.close != nil {
		if err := w.close.Close(); err != nil {
			return fmt.Errorf("flatfile: writing %s: %w", w.spec.Name, err)
		}
	}
	return nil
}
