package flatfile

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// TestParseCorpus reads every Flat File connection manager of the corpus:
// none has an error, and the shapes below read as the designer shows them.
func TestParseCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	type want struct {
		format   Format
		unicode  bool
		codePage int
		names    bool
		qual     string
		cols     int
		first    Column // compared field by field where set
		lastDel  string
		skipHead int
	}
	cases := []struct {
		file, cm string
		want     want
	}{
		// Format 2: DTS:Property children, columns directly inside.
		{"sreeman2__SSISPackages/PES_WEEKLY_REJECTS.dtsx", "OUTPUT_DWSTG",
			want{format: RaggedRight, codePage: 1252, names: true, cols: 5, first: Column{Name: "BOL_ID", Fixed: true, Width: 12, DataType: 129}, lastDel: "\r\n"}},
		// Format 8: attributes, DTS:FlatFileColumns.
		{"shinaly__SSIS_Template/Demo__Packages__CopyCustomers.dtsx", "Convert Customers Dst",
			want{format: Delimited, unicode: true, codePage: 1252, names: true, cols: 2, first: Column{Name: "id", Delimiter: ",", MaximumWidth: 50, DataType: 130, TextQualified: true}, lastDel: "\r\n"}},
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.file)+"/"+tc.cm, func(t *testing.T) {
			pkg, err := dtsx.LoadPackageFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var def *dtsx.ConnectionManager
			for _, c := range pkg.Connections {
				if c.Name == tc.cm {
					def = c
				}
			}
			if def == nil {
				t.Fatalf("no connection manager %q", tc.cm)
			}
			s, ds := Parse(def)
			if ds.HasErrors() {
				t.Fatalf("diagnostics: %v", ds)
			}
			w := tc.want
			if s.Format != w.format || s.Unicode != w.unicode || s.CodePage != w.codePage || s.ColumnNamesInFirstDataRow != w.names || s.TextQualifier != w.qual || len(s.Columns) != w.cols || s.HeaderRowsToSkip != w.skipHead {
				t.Fatalf("spec = %+v, want %+v", s, w)
			}
			f := s.Columns[0]
			if f.Name != w.first.Name || f.Fixed != w.first.Fixed || f.Width != w.first.Width || f.Delimiter != w.first.Delimiter || f.MaximumWidth != w.first.MaximumWidth || f.DataType != w.first.DataType || f.TextQualified != w.first.TextQualified {
				t.Errorf("first column = %+v, want %+v", f, w.first)
			}
			if !strings.Contains(f.Path, "FlatFileColumns["+f.Name+"]") {
				t.Errorf("column path %q", f.Path)
			}
			if got := s.RowEnd(); got != w.lastDel {
				t.Errorf("RowEnd = %q, want %q", got, w.lastDel)
			}
		})
	}

	// Every FLATFILE connection manager of the corpus parses without errors.
	n := 0
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".dtsx") {
			return err
		}
		pkg, err := dtsx.LoadPackageFile(p)
		if err != nil {
			return nil // loading is tested in dtsx
		}
		for _, c := range pkg.Connections {
			if !strings.EqualFold(c.CreationName, "FLATFILE") {
				continue
			}
			n++
			if _, ds := Parse(c); ds.HasErrors() {
				t.Errorf("%s: %s: %v", filepath.Base(p), c.Name, ds)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("found %d flat file connection managers in the corpus, want at least 20", n)
	}
}

// TestParseBad checks the diagnostics for what is wrong, with the path of
// the manager or the column.
func TestParseBad(t *testing.T) {
	const path = `Package.ConnectionManagers[F]`
	cases := []struct {
		name, xml, code, where, msg string
	}{
		{"format", `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:Format="Wavy"><DTS:FlatFileColumns><DTS:FlatFileColumn DTS:ColumnDelimiter="_x002C_" DTS:ObjectName="a"/></DTS:FlatFileColumns></DTS:ConnectionManager>`,
			dtsx.CodeBadValue, path, `Format is "Wavy"`},
		{"code page", `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:CodePage="4242"><DTS:FlatFileColumns><DTS:FlatFileColumn DTS:ColumnDelimiter="_x002C_" DTS:ObjectName="a"/></DTS:FlatFileColumns></DTS:ConnectionManager>`,
			dtsx.CodeBadValue, path, "CodePage 4242"},
		{"no delimiter", `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts"><DTS:FlatFileColumns><DTS:FlatFileColumn DTS:ObjectName="a"/></DTS:FlatFileColumns></DTS:ConnectionManager>`,
			CodeBadLayout, path + ".FlatFileColumns[a]", "no ColumnDelimiter"},
		{"fixed without width", `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:Format="FixedWidth"><DTS:FlatFileColumns><DTS:FlatFileColumn DTS:ColumnType="FixedWidth" DTS:ObjectName="a"/></DTS:FlatFileColumns></DTS:ConnectionManager>`,
			CodeBadLayout, path + ".FlatFileColumns[a]", "ColumnWidth 0"},
		{"ragged last fixed", `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:Format="RaggedRight"><DTS:FlatFileColumns><DTS:FlatFileColumn DTS:ColumnType="FixedWidth" DTS:ColumnWidth="3" DTS:ObjectName="a"/></DTS:FlatFileColumns></DTS:ConnectionManager>`,
			CodeBadLayout, path + ".FlatFileColumns[a]", "last column"},
		{"bool format 2", `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts"><DTS:Property DTS:Name="Unicode">maybe</DTS:Property><DTS:FlatFileColumn><DTS:Property DTS:Name="ColumnDelimiter">_x000A_</DTS:Property><DTS:Property DTS:Name="ObjectName">a</DTS:Property></DTS:FlatFileColumn></DTS:ConnectionManager>`,
			dtsx.CodeBadValue, path, `Unicode is "maybe"`},
		{"negative skip", `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:HeaderRowsToSkip="-2"><DTS:FlatFileColumns><DTS:FlatFileColumn DTS:ColumnDelimiter="_x002C_" DTS:ObjectName="a"/></DTS:FlatFileColumns></DTS:ConnectionManager>`,
			dtsx.CodeBadValue, path, "HeaderRowsToSkip is -2"},
		{"no columns", `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts"/>`,
			CodeNoColumns, path, "no columns"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := etree.NewDocument()
			if err := doc.ReadFromString(tc.xml); err != nil {
				t.Fatal(err)
			}
			_, ds := ParseElement("p.dtsx", path, "F", doc.Root())
			for _, d := range ds {
				if d.Code == tc.code && d.Path == tc.where && strings.Contains(d.Message, tc.msg) && d.Hint != "" && d.File == "p.dtsx" {
					return
				}
			}
			t.Errorf("no %s diagnostic at %s with %q and a hint; got %v", tc.code, tc.where, tc.msg, ds)
		})
	}
}

func TestQualifierAndEscapes(t *testing.T) {
	for in, want := range map[string]string{"_x003C_none_x003E_": "", "<none>": "", "none": "", "_x0022_": `"`, "'": "'"} {
		t.Run(in, func(t *testing.T) {
			if got := qualifier(in); got != want {
				t.Errorf("qualifier(%q) = %q, want %q", in, got, want)
			}
		})
	}
	if got := decodeEscapes("_x000D__x000A_"); got != "\r\n" {
		t.Errorf("decode CR LF = %q", got)
	}
	if got := decodeEscapes(EncodeEscapes("|\t")); got != "|\t" {
		t.Errorf("escape round trip = %q", got)
	}
}

// TestCorpusLayoutsRoundTrip writes and reads back a file in the layout of
// corpus connection managers: a format-2 ragged-right file with column
// names, and a format-8 Unicode delimited one.
func TestCorpusLayoutsRoundTrip(t *testing.T) {
	dir := testcorpus.Dir(t)
	cases := []struct{ file, cm string }{
		{"sreeman2__SSISPackages/PES_WEEKLY_REJECTS.dtsx", "OUTPUT_DWSTG"},
		{"shinaly__SSIS_Template/Demo__Packages__CopyCustomers.dtsx", "Customers Dst"},
	}
	for _, tc := range cases {
		t.Run(tc.cm, func(t *testing.T) {
			pkg, err := dtsx.LoadPackageFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var s *Spec
			for _, c := range pkg.Connections {
				if c.Name == tc.cm {
					var ds dtsx.Diagnostics
					if s, ds = Parse(c); ds.HasErrors() {
						t.Fatal(ds)
					}
				}
			}
			if s == nil {
				t.Fatalf("no connection manager %q", tc.cm)
			}
			ctx := context.Background()
			var b bytes.Buffer
			w, err := NewWriter(&b, s)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteHeader(ctx, nil); err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(s.Columns))
			for i := range row {
				row[i] = strings.Repeat(string(rune('a'+i)), 1+i)
			}
			for range 2 {
				if err := w.WriteStrings(ctx, row); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(ctx, bytes.NewReader(b.Bytes()), s)
			if err != nil {
				t.Fatal(err)
			}
			for i, h := range r.Header() {
				if h != s.Columns[i].Name {
					t.Errorf("header %d = %q, want %q", i, h, s.Columns[i].Name)
				}
			}
			n := 0
			for {
				got, err := r.Read(ctx)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
				for i, c := range got.Cells {
					v := string(c.Value)
					if s.Columns[i].Fixed {
						v = strings.TrimRight(v, " ")
					}
					if v != row[i] || c.Err != CellOK {
						t.Errorf("row %d column %d = %q (%s), want %q", n, i, c.Value, c.Err, row[i])
					}
				}
			}
			if n != 2 {
				t.Errorf("read %d rows, want 2", n)
			}
		})
	}
}
