package flatfile

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzReader reads arbitrary input in each layout: it never panics, and
// reading it whole or a byte at a time gives the same rows.
func FuzzReader(f *testing.F) {
	for _, s := range []string{"1,x,y\r\n", "\"a,b\",\"c\"\"d\",e\r\n", "\"open", "01abcrest\r\n", "a\r\n\r\n\"\"\r\n"} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, layout uint8) {
		var s *Spec
		switch layout % 4 {
		case 0:
			s = delimited(`"`, ",", ",", "\r\n")
		case 1:
			s = delimited(`"`, ",", ",", "\r\n")
			s.AlwaysCheckForRowDelimiters = false
		case 2:
			s = ragged(2, 3)
		default:
			s = fixed(2, 3)
		}
		s.Columns[0].MaximumWidth = 4
		read := func(r io.Reader) string {
			ctx := context.Background()
			rd, err := NewReader(ctx, r, s)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for i := 0; ; i++ {
				row, err := rd.Read(ctx)
				if err == io.EOF {
					return strings.Join(out, "\n")
				}
				if err != nil {
					t.Fatal(err)
				}
				if i > len(data)+1 {
					t.Fatalf("more rows than bytes")
				}
				out = append(out, cells(row))
			}
		}
		whole := read(bytes.NewReader(data))
		if bytes := read(iotest.OneByteReader(bytes.NewReader(data))); bytes != whole {
			t.Errorf("whole:\n%q\nbyte by byte:\n%q", whole, bytes)
		}
	})
}

// FuzzRoundTrip writes arbitrary values and reads them back unchanged.
func FuzzRoundTrip(f *testing.F) {
	f.Add("a", "b,c", "d\"e")
	f.Add("\"", "\r\n", "")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		if !utf8.ValidString(a + b + c) {
			t.Skip("the writer takes UTF-8")
		}
		ctx := context.Background()
		s := delimited(`"`, ",", ",", "\r\n")
		var buf bytes.Buffer
		w, err := NewWriter(&buf, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteStrings(ctx, []string{a, b, c}); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r, err := NewReader(ctx, bytes.NewReader(buf.Bytes()), s)
		if err != nil {
			t.Fatal(err)
		}
		row, err := r.Read(ctx)
		if err == io.EOF && a == "" && b == "" && c == "" {
			return
		}
		if err != nil {
			t.Fatalf("%q: %v", buf.String(), err)
		}
		got := []string{row.Cells[0].String(), row.Cells[1].String(), row.Cells[2].String()}
		if got[0] != a || got[1] != b || got[2] != c || row.Err(s) != nil {
			t.Errorf("wrote %q %q %q as %q, read %q (%v)", a, b, c, buf.String(), got, row.Err(s))
		}
		if _, err := r.Read(ctx); err != io.EOF {
			t.Errorf("a second row from %q: %v", buf.String(), err)
		}
	})
}
