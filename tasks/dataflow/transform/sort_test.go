package transform_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// "Sort Transformation": rows ordered by the keys in NewSortKeyPosition
// order, ascending or descending, NULLs first, stable, with
// EliminateDuplicates keeping one row per set of equal sort keys, strings
// compared with the comparison flags.
func TestSort(t *testing.T) {
	in := input{
		cols: []dataflow.Column{col("ID", 1, dataflow.KindInt32), col("Name", 2, dataflow.KindWString), col("Score", 3, dataflow.KindFloat64)},
		rows: [][]any{{1, "b", 2.0}, {2, "a", nil}, {3, "B", 1.0}, {4, nil, 3.0}, {5, "a", 1.0}, {6, "A", 2.0}},
	}
	out := []dataflow.Column{col("ID", 11, dataflow.KindInt32), col("Name", 12, dataflow.KindWString), col("Score", 13, dataflow.KindFloat64)}
	ids := func(ns ...int64) [][]any {
		var r [][]any
		for _, n := range ns {
			r = append(r, []any{n})
		}
		return r
	}
	tests := []struct {
		name    string
		keys    []transform.SortKey
		dedupe  bool
		want    [][]any
		wantErr string
	}{
		{name: "one key ascending, NULL first, stable", keys: []transform.SortKey{{Lineage: 2, NewSortKeyPosition: 1}},
			want: ids(4, 2, 5, 6, 1, 3)},
		{name: "one key descending", keys: []transform.SortKey{{Lineage: 3, NewSortKeyPosition: -1}},
			want: ids(4, 1, 6, 3, 5, 2)},
		{name: "string descending, NULL last", keys: []transform.SortKey{{Lineage: 2, NewSortKeyPosition: -1}},
			want: ids(3, 1, 6, 2, 5, 4)},
		{name: "two keys by position", keys: []transform.SortKey{{Lineage: 2, NewSortKeyPosition: 2}, {Lineage: 3, NewSortKeyPosition: 1}},
			want: ids(2, 5, 3, 6, 1, 4)},
		{name: "ignore case", keys: []transform.SortKey{{Lineage: 2, NewSortKeyPosition: 1, NewComparisonFlags: transform.IgnoreCase}},
			want: ids(4, 2, 5, 6, 1, 3)},
		{name: "duplicates removed, case-sensitive", keys: []transform.SortKey{{Lineage: 2, NewSortKeyPosition: 1}}, dedupe: true,
			want: ids(4, 2, 6, 1, 3)},
		{name: "duplicates removed, ignoring case", keys: []transform.SortKey{{Lineage: 2, NewSortKeyPosition: 1, NewComparisonFlags: transform.IgnoreCase}}, dedupe: true,
			want: ids(4, 2, 1)},
		{name: "no key", wantErr: "no sort key"},
		{name: "unknown column", keys: []transform.SortKey{{Lineage: 9, NewSortKeyPosition: 1}}, wantErr: "no column with lineage ID 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &transform.Sort{Label: "Sort", Columns: out, SortColumnID: []int{1, 2, 3}, Keys: tt.keys, EliminateDuplicates: tt.dedupe}
			got, err := run(t, s, []input{in}, 0)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), `"Sort"`) {
					t.Fatalf("err = %v, want %q from Sort", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p := project(got[0], 1); !reflect.DeepEqual(p, tt.want) {
				t.Errorf("IDs = %v, want %v", p, tt.want)
			}
		})
	}
}

// A Sort of 50,000 rows through the engine: every row arrives, in order,
// in buffers of the output's size.
func TestSortPipeline(t *testing.T) {
	const n = 50_000
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 1000})
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]int64, n)
	for i := range vals {
		vals[i] = r.Int64N(1000)
	}
	g := &simple.Generator{Label: "G", Columns: []dataflow.Column{col("K", 1, dataflow.KindInt64), col("I", 2, dataflow.KindInt64)}, N: n,
		Fill: func(i int, b *dataflow.Buffer, row int) { b.SetInt64(0, row, vals[i]); b.SetInt64(1, row, int64(i)) }}
	s := &transform.Sort{Label: "Sort", Columns: []dataflow.Column{col("K", 11, dataflow.KindInt64), col("I", 12, dataflow.KindInt64)},
		SortColumnID: []int{1, 2}, Keys: []transform.SortKey{{Lineage: 1, NewSortKeyPosition: 1}}}
	c := &simple.Collector{Label: "C"}
	sn := p.Add(s)
	p.Connect(p.Add(g), 0, sn, 0)
	p.Connect(sn, 0, p.Add(c), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows := c.Rows()
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	for i := 1; i < n; i++ {
		a, b := rows[i-1], rows[i]
		if a[0].(int64) > b[0].(int64) || (a[0] == b[0] && a[1].(int64) > b[1].(int64)) {
			t.Fatalf("rows %d and %d out of order: %v, %v", i-1, i, a, b)
		}
	}
}
