package flatfile

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestWriter compares exact bytes.
func TestWriter(t *testing.T) {
	ctx := context.Background()
	named := func(s *Spec) *Spec { s.ColumnNamesInFirstDataRow = true; return s }
	cp1252 := func(s *Spec) *Spec { s.CodePage = 1252; return s }
	cases := []struct {
		name     string
		spec     *Spec
		quoteAll bool
		rows     [][]string
		want     string
	}{
		{"plain with header", named(delimited(`"`, ",", "\r\n")), false, [][]string{{"1", "a"}}, "a,b\r\n1,a\r\n"},
		{"qualifier where needed", delimited(`"`, ",", "\r\n"), false, [][]string{{"a,b", `say "hi"`}, {`"x`, "two\r\nlines"}},
			"\"a,b\",say \"hi\"\r\n\"\"\"x\",\"two\r\nlines\"\r\n"},
		{"quote all", delimited(`"`, ",", "\r\n"), true, [][]string{{"1", `q"`}}, "\"1\",\"q\"\"\"\r\n"},
		{"ragged right", ragged(3, 2), false, [][]string{{"ab", "c", "tail"}}, "ab c tail\r\n"},
		{"fixed width 1252", cp1252(fixed(2, 3)), false, [][]string{{"1", "äö"}}, "1 \xe4\xf6 "},
		{"fixed width UTF-8 counts bytes", fixed(2, 3), false, [][]string{{"1", "ä"}}, "1 ä "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			w, err := NewWriter(&b, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			w.QuoteAll = tc.quoteAll
			if err := w.WriteHeader(ctx, nil); err != nil {
				t.Fatal(err)
			}
			for _, r := range tc.rows {
				if err := w.WriteStrings(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("wrote %q, want %q", b.String(), tc.want)
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	ctx := context.Background()
	var b bytes.Buffer
	t.Run("too wide", func(t *testing.T) {
		w, _ := NewWriter(&b, fixed(2))
		if err := w.WriteStrings(ctx, []string{"abc"}); !errors.Is(err, ErrTooWide) || !strings.Contains(err.Error(), `column "a"`) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("needs a qualifier", func(t *testing.T) {
		w, _ := NewWriter(&b, delimited("", ",", "\r\n"))
		if err := w.WriteStrings(ctx, []string{"a,b", "c"}); !errors.Is(err, ErrNeedsQualifier) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("wrong count", func(t *testing.T) {
		w, _ := NewWriter(&b, delimited("", ",", "\r\n"))
		if err := w.WriteStrings(ctx, []string{"a"}); err == nil || !strings.Contains(err.Error(), "1 values for 2 columns") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("bad spec", func(t *testing.T) {
		if _, err := NewWriter(&b, delimited("", "", "\r\n")); !errors.Is(err, ErrBadSpec) {
			t.Errorf("err = %v", err)
		}
	})
}

// TestRoundTrip writes rows in each code page and reads them back: text
// the code page can hold survives, qualifiers and delimiters included.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		codePage int
		unicode  bool
		bom      bool
		text     string
		prefix   []byte // the first bytes of the file
	}{
		{"UTF-8", CodePageUTF8, false, false, "naïve, “quoted” 日本", nil},
		{"UTF-8 with BOM", CodePageUTF8, false, true, "naïve, “quoted” 日本", []byte{0xEF, 0xBB, 0xBF}},
		{"UTF-16LE", 1252, true, false, "naïve, \"quoted\" 日本 😀", []byte{0xFF, 0xFE}},
		{"1252", 1252, false, false, "naïve, café “€”", nil},
		{"932", 932, false, false, "日本語のテキスト, ｶﾀｶﾅ", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := delimited(`"`, ",", ",", "\r\n")
			s.CodePage, s.Unicode, s.ColumnNamesInFirstDataRow = tc.codePage, tc.unicode, true
			rows := [][]string{{"1", tc.text, "x\r\ny"}, {"2", "", `"`}}
			var b bytes.Buffer
			w, err := NewWriter(&b, s)
			if err != nil {
				t.Fatal(err)
			}
			w.BOM = tc.bom
			if err := w.WriteHeader(ctx, nil); err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if err := w.WriteStrings(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if tc.prefix != nil && !bytes.HasPrefix(b.Bytes(), tc.prefix) {
				t.Errorf("file starts % x, want % x", b.Bytes()[:4], tc.prefix)
			}
			if tc.codePage != CodePageUTF8 && !tc.unicode && bytes.Contains(b.Bytes(), []byte(tc.text)) {
				t.Errorf("the text was written as UTF-8, not in code page %d", tc.codePage)
			}
			h, got := readAll(t, s, bytes.NewReader(b.Bytes()))
			if strings.Join(h, ",") != "a,b,c" {
				t.Errorf("header = %q", h)
			}
			want := []string{"1|" + tc.text + "|x\r\ny", "2||\""}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("read back %q, want %q", got, want)
			}
		})
	}
}
