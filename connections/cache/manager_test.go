package cache_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/cache"
	"github.com/dtsx-run/dtsx/dtsx"
)

// def returns a Cache connection manager whose ObjectData is the XML
// given.
func def(t *testing.T, objectData string) *dtsx.ConnectionManager {
	t.Helper()
	d := &dtsx.ConnectionManager{Object: dtsx.Object{Name: "Products", CreationName: "CACHE", RefID: "Package.ConnectionManagers[Products]"}}
	if objectData != "" {
		doc := etree.NewDocument()
		if err := doc.ReadFromString(`<DTS:ObjectData xmlns:DTS="www.microsoft.com/SqlServer/Dts">` + objectData + `</DTS:ObjectData>`); err != nil {
			t.Fatal(err)
		}
		d.ObjectData = doc.Root().ChildElements()[0]
	}
	return d
}

const twoColumns = `<DTS:CacheConnectionManager DTS:UseFile="False">
  <DTS:CacheColumn DTS:IndexPosition="1" DTS:DataType="3" DTS:ObjectName="ID" />
  <DTS:CacheColumn DTS:IndexPosition="0" DTS:DataType="130" DTS:Length="50" DTS:ObjectName="Name" />
</DTS:CacheConnectionManager>`

// TestColumns: the columns and the index of a Cache connection manager
// ("Cache Connection Manager Editor", Columns page), in the attributes of
// format 8 and the DTS:Property children of format 3.
func TestColumns(t *testing.T) {
	for name, od := range map[string]string{
		"format 8": twoColumns,
		"format 3": `<CacheConnectionManager><DTS:Property DTS:Name="UseFile">0</DTS:Property>
  <DTS:CacheColumn><DTS:Property DTS:Name="IndexPosition">1</DTS:Property><DTS:Property DTS:Name="DataType">3</DTS:Property><DTS:Property DTS:Name="ObjectName">ID</DTS:Property></DTS:CacheColumn>
  <DTS:CacheColumn><DTS:Property DTS:Name="DataType">130</DTS:Property><DTS:Property DTS:Name="Length">50</DTS:Property><DTS:Property DTS:Name="ObjectName">Name</DTS:Property></DTS:CacheColumn>
</CacheConnectionManager>`,
	} {
		t.Run(name, func(t *testing.T) {
			m, err := cache.New(def(t, od))
			if err != nil {
				t.Fatal(err)
			}
			if ds := m.Validate(); len(ds) != 0 {
				t.Fatalf("validation: %v", ds)
			}
			want := []cache.Column{{Name: "ID", IndexPosition: 1, DataType: 3}, {Name: "Name", DataType: 130, Length: 50}}
			if !slices.Equal(m.Columns, want) || m.UseFile {
				t.Errorf("columns %+v, UseFile %v; want %+v and false", m.Columns, m.UseFile, want)
			}
			if got := m.Index(); !slices.Equal(got, []string{"ID"}) {
				t.Errorf("index %q, want ID", got)
			}
			if m.Column("name") != 1 || m.Column("City") != -1 {
				t.Errorf("Column: name at %d, City at %d", m.Column("name"), m.Column("City"))
			}
		})
	}
}

// TestValidate: a file cache (its .caw format is not supported), and the
// index positions SSIS refuses (DTS_E_CACHE_TOO_FEW_INDEX_COLUMNS,
// DTS_E_CACHE_DUPLICATE_INDEXPOS), are errors naming the manager and what
// to change; such a manager is neither written nor read.
func TestValidate(t *testing.T) {
	tests := []struct {
		name, od, code, want string
	}{
		{"file", `<DTS:CacheConnectionManager DTS:UseFile="True" DTS:FileName="C:\cache\products.caw"><DTS:CacheColumn DTS:IndexPosition="1" DTS:DataType="3" DTS:ObjectName="ID" /></DTS:CacheConnectionManager>`,
			cache.CodeCacheFile, `keeps its cache in the file "C:\cache\products.caw" (Use file cache), whose .caw format is proprietary`},
		{"no index", `<DTS:CacheConnectionManager><DTS:CacheColumn DTS:DataType="3" DTS:ObjectName="ID" /></DTS:CacheConnectionManager>`,
			cache.CodeColumns, "at least one index column should be specified"},
		{"duplicate position", `<DTS:CacheConnectionManager><DTS:CacheColumn DTS:IndexPosition="1" DTS:ObjectName="A" /><DTS:CacheColumn DTS:IndexPosition="1" DTS:ObjectName="B" /></DTS:CacheConnectionManager>`,
			cache.CodeColumns, `the index position 1 of columns "A" and "B" is a duplicate`},
		{"gap", `<DTS:CacheConnectionManager><DTS:CacheColumn DTS:IndexPosition="2" DTS:ObjectName="A" /></DTS:CacheConnectionManager>`,
			cache.CodeColumns, "no column has the position 1"},
		{"bad number", `<DTS:CacheConnectionManager><DTS:CacheColumn DTS:IndexPosition="one" DTS:ObjectName="A" /></DTS:CacheConnectionManager>`,
			dtsx.CodeBadValue, `cache column "A": IndexPosition is "one"`},
		{"no object data", "", cache.CodeColumns, "it has no columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := cache.New(def(t, tt.od))
			if err != nil {
				t.Fatal(err)
			}
			ds := m.Validate()
			found := false
			for _, d := range ds {
				if d.Code == tt.code && strings.Contains(d.Message, tt.want) && strings.Contains(d.Message, `cache connection manager "Products"`) &&
					d.Path == "Package.ConnectionManagers[Products]" && d.Hint != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("validation %v, want a %s saying %q", ds, tt.code, tt.want)
			}
			if err := m.Write("Package\\Fill\\Cache", nil); !errors.Is(err, cache.ErrUnusable) {
				t.Errorf("Write: %v, want ErrUnusable", err)
			}
			if _, err := m.Rows(); !errors.Is(err, cache.ErrUnusable) {
				t.Errorf("Rows: %v, want ErrUnusable", err)
			}
		})
	}
}

// TestWriteRead: the rows a Cache Transform writes are read back; before
// they are written, reading fails; a second Cache Transform cannot write
// the same manager ("Cache Transform"), the first can write again.
func TestWriteRead(t *testing.T) {
	m, err := cache.New(def(t, twoColumns))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Rows(); !errors.Is(err, cache.ErrNotWritten) || !strings.Contains(err.Error(), `cache "Products" is empty`) {
		t.Errorf("Rows before a write: %v", err)
	}
	rows := [][]any{{int64(1), "Pen"}, {int64(2), "Ink"}}
	if err := m.Write(`Package\Fill\Cache`, rows); err != nil {
		t.Fatal(err)
	}
	got, err := m.Rows()
	if err != nil || len(got) != 2 || got[1][1] != "Ink" {
		t.Errorf("Rows = %v, %v", got, err)
	}
	if err := m.Write(`Package\Other\Cache`, rows); !errors.Is(err, cache.ErrWritten) || !strings.Contains(err.Error(), `written by Package\Fill\Cache`) {
		t.Errorf("second writer: %v, want ErrWritten naming the first", err)
	}
	if err := m.Write(`Package\Fill\Cache`, rows[:1]); err != nil {
		t.Errorf("the first writer again: %v", err)
	}
	if got, _ := m.Rows(); len(got) != 1 {
		t.Errorf("after the second write, %d rows, want 1", len(got))
	}
	if err := m.Write(`Package\Fill\Cache`, [][]any{{int64(1)}}); err == nil || !strings.Contains(err.Error(), "row 0 has 1 values for 2 columns") {
		t.Errorf("short row: %v", err)
	}
}
