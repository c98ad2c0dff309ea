package file_test

import (
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
)

// TestFlatFile: a FLATFILE manager gives the layout its ObjectData
// persists; a FILE manager is not a flat file, and a FLATFILE manager
// without ObjectData says so.
func TestFlatFile(t *testing.T) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:Format="Delimited" DTS:ColumnNamesInFirstDataRow="True" DTS:CodePage="1252">
  <DTS:FlatFileColumns>
    <DTS:FlatFileColumn DTS:ColumnType="Delimited" DTS:ColumnDelimiter="_x002C_" DTS:DataType="129" DTS:MaximumWidth="50" DTS:ObjectName="A" />
    <DTS:FlatFileColumn DTS:ColumnType="Delimited" DTS:ColumnDelimiter="_x000D__x000A_" DTS:DataType="3" DTS:ObjectName="B" />
  </DTS:FlatFileColumns>
</DTS:ConnectionManager>`); err != nil {
		t.Fatal(err)
	}
	def := &dtsx.ConnectionManager{Object: dtsx.Object{Name: "Orders", CreationName: "FLATFILE"}, ConnectionString: `data\orders.csv`, ObjectData: doc.Root()}
	m, err := file.New(def)
	if err != nil {
		t.Fatal(err)
	}
	if !m.IsFlatFile() {
		t.Fatal("a FLATFILE manager is not a flat file")
	}
	s, ds := m.FlatFile()
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if len(s.Columns) != 2 || s.Columns[0].Name != "A" || s.Columns[1].Name != "B" || s.Columns[1].Delimiter != "\r\n" || !s.ColumnNamesInFirstDataRow {
		t.Errorf("spec = %+v", s)
	}
	if got := m.Paths(); len(got) != 1 || got[0] != `data\orders.csv` {
		t.Errorf("Paths() = %q", got)
	}
	plain, _ := file.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "F", CreationName: "FILE"}})
	if plain.IsFlatFile() {
		t.Error("a FILE manager is a flat file")
	}
	empty, _ := file.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "E", CreationName: "FLATFILE"}})
	if _, ds := empty.FlatFile(); !ds.HasErrors() {
		t.Error("a FLATFILE manager without ObjectData gives no error")
	}
}
