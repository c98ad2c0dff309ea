package transform_test

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

type discard struct{}

func (discard) Name() string                   { return "Discard" }
func (discard) Outputs() []dataflow.Output     { return nil }
func (discard) Prepare(*dataflow.Layout) error { return nil }
func (discard) Process(context.Context, *dataflow.Buffer, []int, *dataflow.Router) error {
	return nil
}

// BenchmarkSort sorts 200,000 rows on an integer or a string key through
// the engine, beside a baseline that generates the same rows into a Go
// slice and sorts it with slices.SortStableFunc (strings by
// strings.Compare, which knows no locale): compare the ratio, not the
// times.
func BenchmarkSort(b *testing.B) {
	const n = 200_000
	r := rand.New(rand.NewPCG(3, 4))
	keys := make([]int64, n)
	texts := make([]string, n)
	for i := range keys {
		keys[i] = r.Int64N(n)
		texts[i] = "name " + strconv.FormatInt(keys[i], 36)
	}
	for _, kind := range []string{"int", "string"} {
		b.Run(kind+"/engine", func(b *testing.B) {
			for b.Loop() {
				p := dataflow.New(dataflow.Options{})
				g := &simple.Generator{Label: "G", Columns: []dataflow.Column{col("K", 1, dataflow.KindInt64), col("S", 2, dataflow.KindWString)}, N: n,
					Fill: func(i int, b *dataflow.Buffer, row int) { b.SetInt64(0, row, keys[i]); b.SetString(1, row, texts[i]) }}
				key := 1
				if kind == "string" {
					key = 2
				}
				s := p.Add(&transform.Sort{Label: "Sort", Columns: []dataflow.Column{col("K", 11, dataflow.KindInt64), col("S", 12, dataflow.KindWString)},
					SortColumnID: []int{1, 2}, Keys: []transform.SortKey{{Lineage: key, NewSortKeyPosition: 1}}})
				p.Connect(p.Add(g), 0, s, 0)
				p.Connect(s, 0, p.Add(discard{}), 0)
				if _, err := p.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(kind+"/baseline", func(b *testing.B) {
			type row struct {
				k int64
				s string
			}
			for b.Loop() {
				rows := make([]row, n)
				for i := range rows {
					rows[i] = row{keys[i], texts[i]}
				}
				if kind == "int" {
					slices.SortStableFunc(rows, func(x, y row) int { return cmp.Compare(x.k, y.k) })
				} else {
					slices.SortStableFunc(rows, func(x, y row) int { return cmp.Compare(x.s, y.s) })
				}
			}
		})
	}
}
