package transform_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/cache"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// products returns a Cache connection manager of ID (the index) and Name.
func products(t *testing.T) *cache.Manager {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<DTS:CacheConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts">
<DTS:CacheColumn DTS:IndexPosition="1" DTS:DataType="3" DTS:ObjectName="ID" /><DTS:CacheColumn DTS:DataType="130" DTS:Length="20" DTS:ObjectName="Name" />
</DTS:CacheConnectionManager>`); err != nil {
		t.Fatal(err)
	}
	m, err := cache.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "Products", CreationName: "CACHE"}, ObjectData: doc.Root()})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCacheThenLookup: the Cache Transform writes its rows to a Cache
// connection manager ("Cache Transform"; only unique rows: the first of
// each index), and a Lookup in full cache reads them in a later flow.
func TestCacheThenLookup(t *testing.T) {
	m := products(t)
	in := input{cols: []dataflow.Column{col("Name", 1, dataflow.KindWString), col("ID", 2, dataflow.KindInt32)},
		rows: [][]any{{"Pen", 1}, {"Ink", 2}, {"Cup", 1}, {"Nil", nil}}}
	c := &transform.Cache{Label: "Cache Transform", Writer: `Package\Fill\Cache Transform`, Width: 2, Index: []int{0},
		Columns: []transform.CacheColumn{{Lineage: 2, Cache: 0}, {Lineage: 1, Cache: 1}}, Cache: m}
	if _, err := run(t, c, []input{in}); err != nil {
		t.Fatal(err)
	}
	rows, err := m.Rows()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{{int64(1), "Pen"}, {int64(2), "Ink"}, {nil, "Nil"}}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("cache rows %v, want %v", rows, want)
	}

	l := &transform.Lookup{Label: "Lookup", Keys: []transform.LookupKey{{Lineage: 1, JoinToReferenceColumn: "ID"}},
		Columns:         []transform.LookupColumn{{Column: col("Product", 5, dataflow.KindWString), CopyFromReferenceColumn: "Name"}},
		Reference:       transform.Reference{Columns: []string{"ID", "Name"}, Rows: func(context.Context) ([][]any, error) { return m.Rows() }},
		NoMatchBehavior: transform.SendToNoMatchOutput}
	got, err := run(t, l, []input{{cols: []dataflow.Column{col("ProductID", 1, dataflow.KindInt32)}, rows: [][]any{{2}, {1}, {3}}}}, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if m, nm := project(got[0], 2), got[1]; !slices.EqualFunc(m, [][]any{{int64(2), "Ink"}, {int64(1), "Pen"}}, slices.Equal) || len(nm) != 1 {
		t.Errorf("matched %v, not matched %v", m, nm)
	}
}

// TestCacheErrors: a second Cache Transform cannot write a cache that
// another wrote, and a cache column no input column fills is refused.
func TestCacheErrors(t *testing.T) {
	m := products(t)
	in := input{cols: []dataflow.Column{col("Name", 1, dataflow.KindWString), col("ID", 2, dataflow.KindInt32)}, rows: [][]any{{"Pen", 1}}}
	cols := []transform.CacheColumn{{Lineage: 2, Cache: 0}, {Lineage: 1, Cache: 1}}
	if _, err := run(t, &transform.Cache{Label: "First", Writer: "First", Width: 2, Index: []int{0}, Columns: cols, Cache: m}, []input{in}); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, &transform.Cache{Label: "Second", Writer: "Second", Width: 2, Index: []int{0}, Columns: cols, Cache: m}, []input{in})
	if !errors.Is(err, cache.ErrWritten) || !strings.Contains(err.Error(), `component "Second" failed`) {
		t.Errorf("second writer: %v", err)
	}
	_, err = run(t, &transform.Cache{Label: "Short", Writer: "First", Width: 2, Index: []int{0}, Columns: cols[:1], Cache: m}, []input{in})
	if !errors.Is(err, dataflow.ErrInvalid) || !strings.Contains(err.Error(), "cache column 1 is filled by no input column") {
		t.Errorf("unfilled column: %v", err)
	}
}
