package flatfile

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// delimited returns a delimited Spec: one column per delimiter, the last
// delimiter being the row delimiter.
func delimited(qual string, delims ...string) *Spec {
	s := New()
	s.CodePage = CodePageUTF8
	s.TextQualifier = qual
	s.Path = "Package.ConnectionManagers[T]"
	for i, d := range delims {
		s.Columns = append(s.Columns, Column{Name: string(rune('a' + i)), Delimiter: d, TextQualified: true, DataType: 129})
	}
	return s
}

func ragged(widths ...int) *Spec {
	s := New()
	s.Format = RaggedRight
	s.CodePage = CodePageUTF8
	for i, w := range widths {
		s.Columns = append(s.Columns, Column{Name: string(rune('a' + i)), Fixed: true, Width: w})
	}
	s.Columns = append(s.Columns, Column{Name: "last", Delimiter: "\r\n"})
	return s
}

func fixed(widths ...int) *Spec {
	s := ragged(widths...)
	s.Format = FixedWidth
	s.Columns = s.Columns[:len(s.Columns)-1]
	return s
}

// cells renders a row as value|value, with a missing cell as <missing>
// and an error as value!kind.
func cells(r *Row) string {
	var parts []string
	for _, c := range r.Cells {
		switch c.Err {
		case CellOK:
			parts = append(parts, string(c.Value))
		case CellMissing:
			parts = append(parts, "<missing>")
		default:
			parts = append(parts, string(c.Value)+"!"+c.Err.String())
		}
	}
	return strings.Join(parts, "|")
}

func readAll(t *testing.T, s *Spec, in io.Reader) (header []string, rows []string) {
	t.Helper()
	ctx := context.Background()
	r, err := NewReader(ctx, in, s)
	if err != nil {
		t.Fatal(err)
	}
	for {
		row, err := r.Read(ctx)
		if err == io.EOF {
			return r.Header(), rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, cells(row))
	}
}

// TestReader reads the shapes of "Flat File Connection Manager" and
// "Flat File Connection Manager Editor (General Page)".
func TestReader(t *testing.T) {
	withNames := func(s *Spec) *Spec { s.ColumnNamesInFirstDataRow = true; return s }
	noCheck := func(s *Spec) *Spec { s.AlwaysCheckForRowDelimiters = false; return s }
	maxw := func(s *Spec) *Spec { s.Columns[1].MaximumWidth = 3; return s }
	cp := func(n int, s *Spec) *Spec { s.CodePage = n; return s }
	utf16 := func(s *Spec) *Spec { s.Unicode = true; return s }
	skip := func(s *Spec) *Spec {
		s.HeaderRowsToSkip = 2
		s.DataRowsToSkip = 1
		s.ColumnNamesInFirstDataRow = true
		return s
	}
	cases := []struct {
		name   string
		spec   *Spec
		in     string
		header string
		want   []string
	}{
		{"plain", delimited("", ",", ",", "\r\n"), "1,x,y\r\n2,u,v\r\n", "", []string{"1|x|y", "2|u|v"}},
		{"no final row delimiter", delimited("", ",", "\r\n"), "1,x\r\n2,u", "", []string{"1|x", "2|u"}},
		{"per-column delimiters", delimited("", "|", "\t", "\n"), "a|b\tc\n", "", []string{"a|b|c"}},
		{"qualified with embedded delimiters", delimited(`"`, ",", ",", "\r\n"), "\"a,b\",\"line\r\nbreak\",\"say \"\"hi\"\"\"\r\n", "", []string{"a,b|line\r\nbreak|say \"hi\""}},
		{"empty qualified and empty", delimited(`"`, ",", ",", "\r\n"), "\"\",,\"\"\r\n", "", []string{"||"}},
		{"qualifier mid-value is data", delimited(`"`, ",", "\r\n"), "ab\"c,d\r\n", "", []string{"ab\"c|d"}},
		{"unterminated qualifier", delimited(`"`, ",", "\r\n"), "x,\"open\r\n", "", []string{"x|open\r\n!bad text qualifier"}},
		{"text after closing qualifier", delimited(`"`, ",", "\r\n"), "\"ab\"cd,e\r\n", "", []string{"ab\"cd!bad text qualifier|e"}},
		// "Flat File Connection Manager": by default a row delimiter in
		// unquoted data ends the row, so rows missing column fields parse.
		{"short row ends at row delimiter", delimited("", ",", ",", "\r\n"), "1,x\r\n2,u,v\r\n", "", []string{"1|x|<missing>", "2|u|v"}},
		{"delimiter before the end of the file", delimited("", ",", ",", "\r\n"), "1,x,y\r\n2,", "", []string{"1|x|y", "2||<missing>"}},
		{"qualified value before the end of the file", delimited(`"`, ",", ",", "\r\n"), "\"a\",", "", []string{"a||<missing>"}},
		{"short last row", delimited("", ",", ",", "\r\n"), "1,x,y\r\n2", "", []string{"1|x|y", "2|<missing>|<missing>"}},
		// AlwaysCheckForRowDelimiters=False: the column goes on to its own
		// delimiter, across the row delimiter.
		{"short row without the check", noCheck(delimited("", ",", ",", "\r\n")), "1,x\r\n2,u,v\r\n", "", []string{"1|x\r\n2|u,v"}},
		{"header", withNames(delimited(`"`, ",", "\r\n")), "\"id\",name\r\n1,a\r\n", "id,name", []string{"1|a"}},
		{"skip rows", skip(delimited("", ",", "\r\n")), "junk\r\nmore junk\r\nid,name\r\n0,skipped\r\n1,a\r\n", "id,name", []string{"1|a"}},
		// Widths count bytes of the code page, UTF-16 code units in a
		// Unicode file ("Flat File Connection Manager Editor (Advanced
		// Page)").
		{"truncation 1252", cp(1252, maxw(delimited("", ",", "\r\n"))), "1,abcd\r\n2,abc\r\n3,äöü\r\n", "", []string{"1|abcd!truncated", "2|abc", "3|äöü"}},
		{"truncation UTF-8 counts bytes", maxw(delimited("", ",", "\r\n")), "1,aä\r\n2,äö\r\n", "", []string{"1|aä", "2|äö!truncated"}},
		{"truncation 932 counts bytes", cp(932, maxw(delimited("", ",", "\r\n"))), "1,日ｱ\r\n2,日本\r\n", "", []string{"1|日ｱ", "2|日本!truncated"}},
		{"truncation Unicode counts code units", utf16(maxw(delimited("", ",", "\r\n"))), "1,日本語\r\n2,😀😀\r\n", "", []string{"1|日本語", "2|😀😀!truncated"}},
		{"UTF-8 BOM", delimited("", ",", "\r\n"), "\xEF\xBB\xBFa,b\r\n", "", []string{"a|b"}},
		{"ragged right", ragged(2, 3), "01abcrest of line\r\n02xyz\r\n", "", []string{"01|abc|rest of line", "02|xyz|"}},
		// Ragged right: fixed-width columns take their width whatever
		// they hold; only the last column ends at the row delimiter.
		{"ragged right short row", ragged(2, 3), "01\r\n02xyzz\r\n", "", []string{"01|\r\n0|2xyzz"}},
		{"ragged right 1252", cp(1252, ragged(2)), "äöend\r\n", "", []string{"äö|end"}},
		{"ragged right UTF-8 bytes", ragged(2), "äöend\r\n", "", []string{"ä|öend"}},
		{"fixed width 932 bytes", cp(932, fixed(4, 2)), "日本ab日ｱｲ", "", []string{"日本|ab", "日ｱｲ|<missing>"}},
		{"fixed width straddling character", cp(932, fixed(2, 2)), "a日b", "", []string{"a|日", "b!short fixed-width column|<missing>"}},
		{"ragged header", withNames(ragged(4)), "id  name\r\n1   Bob\r\n", "id,name", []string{"1   |Bob"}},
		{"fixed width", fixed(2, 3), "01abc02xyz", "", []string{"01|abc", "02|xyz"}},
		{"fixed width short end", fixed(2, 3), "01abc02x", "", []string{"01|abc", "02|x!short fixed-width column"}},
		{"fixed width missing column", fixed(2, 3), "01abc02", "", []string{"01|abc", "02|<missing>"}},
		{"empty file", delimited("", ",", "\r\n"), "", "", nil},
	}
	for _, tc := range cases {
		for _, mode := range []string{"whole", "one byte at a time"} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				var in io.Reader = strings.NewReader(tc.in)
				if e, _ := tc.spec.Encoding(); e != nil {
					b, err := e.NewEncoder().String(tc.in)
					if err != nil {
						t.Fatal(err)
					}
					in = strings.NewReader(b)
				}
				if mode != "whole" {
					in = iotest.OneByteReader(in)
				}
				h, got := readAll(t, tc.spec, in)
				if strings.Join(h, ",") != tc.header {
					t.Errorf("header = %q, want %q", h, tc.header)
				}
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("rows:\n%q\nwant:\n%q", got, tc.want)
				}
			})
		}
	}
}

func TestReaderErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("header past the end", func(t *testing.T) {
		s := delimited("", ",", "\r\n")
		s.HeaderRowsToSkip = 3
		_, err := NewReader(ctx, strings.NewReader("a\r\n"), s)
		if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "header row") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("bad spec", func(t *testing.T) {
		s := delimited("", "", "\r\n")
		_, err := NewReader(ctx, strings.NewReader(""), s)
		if !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), "FlatFileColumns") && !strings.Contains(err.Error(), "ColumnDelimiter") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		r, err := NewReader(ctx, strings.NewReader("a,b\r\n"), delimited("", ",", "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := r.Read(c); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("row error names the column", func(t *testing.T) {
		s := delimited("", ",", "\r\n")
		s.File = "p.dtsx"
		s.Columns[1].Path = s.Path + ".FlatFileColumns[b]"
		r, _ := NewReader(ctx, strings.NewReader("1\r\n"), s)
		row, err := r.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ce *CellErr
		if err := row.Err(s); !errors.As(err, &ce) || ce.Kind != CellMissing || ce.Column != "b" || ce.Line != 1 {
			t.Errorf("row error = %v", err)
		}
	})
	t.Run("long row grows the buffer", func(t *testing.T) {
		long := bytes.Repeat([]byte("x"), 3*startBuf)
		in := append(append([]byte("1,"), long...), "\r\n2,y\r\n"...)
		_, rows := readAll(t, delimited("", ",", "\r\n"), bytes.NewReader(in))
		if len(rows) != 2 || rows[0] != "1|"+string(long) || rows[1] != "2|y" {
			t.Errorf("got %d rows", len(rows))
		}
	})
}
