package transform_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// "Aggregate Transformation": groups by the Group by columns (NULL is a
// group), Count and Count distinct skip NULLs, Count all counts rows, Sum,
// Average, Minimum and Maximum skip NULLs and are NULL for a group without
// values; results have the documented types.
func TestAggregate(t *testing.T) {
	in := input{
		cols: []dataflow.Column{col("G", 1, dataflow.KindWString), col("N", 2, dataflow.KindInt32), col("F", 3, dataflow.KindFloat64),
			{Name: "D", LineageID: 4, Kind: dataflow.KindDecimal, Precision: 10, Scale: 2}},
		rows: [][]any{
			{"a", 1, 1.5, dataflow.NewDecimal(150, 2)},
			{"b", 5, nil, nil},
			{"a", 3, 2.5, dataflow.NewDecimal(-25, 2)},
			{nil, nil, nil, nil},
			{"a", 3, nil, dataflow.NewDecimal(100, 2)},
			{"A", nil, 4.0, nil},
		},
	}
	dec := func(c int64, s uint8) dataflow.Decimal { return dataflow.NewDecimal(c, s) }
	agg := func(name string, id int, k dataflow.Kind, t transform.AggregationType, from int) transform.AggregateColumn {
		return transform.AggregateColumn{Column: col(name, id, k), AggregationType: t, AggregationColumnID: from}
	}
	tests := []struct {
		name    string
		cols    []transform.AggregateColumn
		want    [][]any
		wantErr string
	}{
		{name: "counts by group", cols: []transform.AggregateColumn{
			agg("G", 11, dataflow.KindWString, transform.GroupBy, 1),
			agg("Count", 12, dataflow.KindUint64, transform.Count, 2),
			agg("All", 13, dataflow.KindUint64, transform.CountAll, 0),
			agg("Distinct", 14, dataflow.KindUint64, transform.CountDistinct, 2),
		}, want: [][]any{{"a", uint64(3), uint64(3), uint64(2)}, {"b", uint64(1), uint64(1), uint64(1)}, {nil, uint64(0), uint64(1), uint64(0)}, {"A", uint64(0), uint64(1), uint64(0)}}},
		{name: "sums and averages", cols: []transform.AggregateColumn{
			agg("G", 11, dataflow.KindWString, transform.GroupBy, 1),
			agg("SumN", 12, dataflow.KindInt64, transform.Sum, 2),
			agg("AvgN", 13, dataflow.KindFloat64, transform.Average, 2),
			agg("SumF", 14, dataflow.KindFloat64, transform.Sum, 3),
			agg("SumD", 15, dataflow.KindDecimal, transform.Sum, 4),
		}, want: [][]any{{"a", int64(7), 7.0 / 3, 4.0, dec(225, 2)}, {"b", int64(5), 5.0, nil, nil}, {nil, nil, nil, nil, nil}, {"A", nil, nil, 4.0, nil}}},
		{name: "minimum and maximum", cols: []transform.AggregateColumn{
			agg("G", 11, dataflow.KindWString, transform.GroupBy, 1),
			agg("MinN", 12, dataflow.KindInt32, transform.Minimum, 2),
			agg("MaxD", 13, dataflow.KindDecimal, transform.Maximum, 4),
		}, want: [][]any{{"a", int64(1), dec(150, 2)}, {"b", int64(5), nil}, {nil, nil, nil}, {"A", nil, nil}}},
		{name: "group by ignoring case", cols: []transform.AggregateColumn{
			{Column: col("G", 11, dataflow.KindWString), AggregationType: transform.GroupBy, AggregationColumnID: 1, AggregationComparisonFlags: transform.IgnoreCase},
			agg("All", 12, dataflow.KindUint64, transform.CountAll, 0),
		}, want: [][]any{{"a", uint64(4)}, {"b", uint64(1)}, {nil, uint64(1)}}},
		{name: "no group: one row", cols: []transform.AggregateColumn{
			agg("All", 11, dataflow.KindUint64, transform.CountAll, 0),
			agg("Max", 12, dataflow.KindFloat64, transform.Maximum, 3),
		}, want: [][]any{{uint64(6), 4.0}}},
		{name: "sum of a string", cols: []transform.AggregateColumn{agg("S", 11, dataflow.KindWString, transform.Sum, 1)}, wantErr: "Sum does not apply"},
		{name: "sum into the wrong type", cols: []transform.AggregateColumn{agg("S", 11, dataflow.KindWString, transform.Sum, 2)}, wantErr: "gives int64"},
		{name: "no input column", cols: []transform.AggregateColumn{agg("S", 11, dataflow.KindInt64, transform.Sum, 0)}, wantErr: "AggregationColumnId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &transform.Aggregate{Label: "Aggregate", AggregateOutputs: []transform.AggregateOutput{{Columns: tt.cols}}}
			got, err := run(t, a, []input{in}, 0)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p := project(got[0], len(tt.cols)); !reflect.DeepEqual(p, tt.want) {
				t.Errorf("rows = %v\nwant %v", p, tt.want)
			}
		})
	}
}

// An empty input gives no group rows, and one row of zero counts without
// Group by columns.
func TestAggregateEmpty(t *testing.T) {
	in := input{cols: []dataflow.Column{col("G", 1, dataflow.KindInt32)}}
	a := &transform.Aggregate{Label: "Aggregate", AggregateOutputs: []transform.AggregateOutput{
		{Columns: []transform.AggregateColumn{{Column: col("G", 11, dataflow.KindInt32), AggregationType: transform.GroupBy, AggregationColumnID: 1}}},
		{Columns: []transform.AggregateColumn{{Column: col("N", 12, dataflow.KindUint64), AggregationType: transform.CountAll}}},
	}}
	got, err := run(t, a, []input{in}, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0]) != 0 || !reflect.DeepEqual(project(got[1], 1), [][]any{{uint64(0)}}) {
		t.Errorf("outputs = %v, %v; want no row, then one row of 0", got[0], got[1])
	}
}

func TestOutputKind(t *testing.T) {
	tests := []struct {
		op   transform.AggregationType
		in   dataflow.Kind
		want dataflow.Kind
		ok   bool
	}{
		{transform.Count, dataflow.KindWString, dataflow.KindUint64, true},
		{transform.Sum, dataflow.KindInt16, dataflow.KindInt64, true},
		{transform.Sum, dataflow.KindUint32, dataflow.KindUint64, true},
		{transform.Sum, dataflow.KindFloat32, dataflow.KindFloat64, true},
		{transform.Average, dataflow.KindInt32, dataflow.KindFloat64, true},
		{transform.Average, dataflow.KindDecimal, dataflow.KindDecimal, true},
		{transform.Maximum, dataflow.KindTime, dataflow.KindTime, true},
		{transform.Minimum, dataflow.KindBool, dataflow.KindBool, false},
		{transform.Sum, dataflow.KindString, dataflow.KindInvalid, false},
	}
	for _, tt := range tests {
		t.Run(tt.op.String()+" of "+tt.in.String(), func(t *testing.T) {
			got, ok := transform.OutputKind(tt.op, tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("OutputKind = %s, %v; want %s, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// 30,000 rows in 1,000 groups through the engine.
func TestAggregatePipeline(t *testing.T) {
	const n, groups = 30_000, 1000
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 500})
	g := &simple.Generator{Label: "G", Columns: []dataflow.Column{col("K", 1, dataflow.KindInt64), col("V", 2, dataflow.KindInt64)}, N: n,
		Fill: func(i int, b *dataflow.Buffer, r int) { b.SetInt64(0, r, int64(i%groups)); b.SetInt64(1, r, int64(i)) }}
	a := &transform.Aggregate{Label: "Aggregate", AggregateOutputs: []transform.AggregateOutput{{Columns: []transform.AggregateColumn{
		{Column: col("K", 11, dataflow.KindInt64), AggregationType: transform.GroupBy, AggregationColumnID: 1},
		{Column: col("Sum", 12, dataflow.KindInt64), AggregationType: transform.Sum, AggregationColumnID: 2},
	}}}}
	c := &simple.Collector{Label: "C"}
	an := p.Add(a)
	p.Connect(p.Add(g), 0, an, 0)
	p.Connect(an, 0, p.Add(c), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows := c.Rows()
	if len(rows) != groups {
		t.Fatalf("%d groups, want %d", len(rows), groups)
	}
	for _, r := range rows {
		k := r[0].(int64)
		// k + (k+1000) + ... + (k+29000): 30 terms.
		if want := 30*k + 1000*(29*30/2); r[1] != want {
			t.Fatalf("group %d: sum %v, want %d", k, r[1], want)
		}
	}
}
