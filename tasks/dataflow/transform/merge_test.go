package transform_test

import (
	"context"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

var (
	leftCols  = []dataflow.Column{col("K", 1, dataflow.KindInt32), col("L", 2, dataflow.KindWString)}
	rightCols = []dataflow.Column{col("K", 1, dataflow.KindInt64), col("R", 2, dataflow.KindWString)}
	sorted1   = transform.SortedInput{IsSorted: true, Keys: []int{1}}
)

// "Merge Join Transformation": inner, left outer and full outer joins of
// two inputs sorted on the join key; rows of a key that repeats on both
// sides join each with each; NULL keys join when TreatNullsAsEqual is set.
func TestMergeJoin(t *testing.T) {
	left := input{leftCols, [][]any{{nil, "ln"}, {1, "l1"}, {2, "l2a"}, {2, "l2b"}, {4, "l4"}}}
	right := input{rightCols, [][]any{{nil, "rn"}, {2, "r2a"}, {2, "r2b"}, {3, "r3"}, {4, "r4"}}}
	out := []transform.MergeJoinColumn{
		{Column: col("LK", 21, dataflow.KindInt32), Input: 0, InputColumnID: 1},
		{Column: col("L", 22, dataflow.KindWString), Input: 0, InputColumnID: 2},
		{Column: col("R", 23, dataflow.KindWString), Input: 1, InputColumnID: 2},
	}
	tests := []struct {
		name    string
		join    transform.JoinType
		nullsEq bool
		inputs  [2]transform.SortedInput
		left    *input
		want    [][]any
		wantErr string
	}{
		{name: "inner", join: transform.InnerJoin, want: [][]any{
			{int64(2), "l2a", "r2a"}, {int64(2), "l2a", "r2b"}, {int64(2), "l2b", "r2a"}, {int64(2), "l2b", "r2b"}, {int64(4), "l4", "r4"}}},
		{name: "inner, NULLs equal", join: transform.InnerJoin, nullsEq: true, want: [][]any{{nil, "ln", "rn"},
			{int64(2), "l2a", "r2a"}, {int64(2), "l2a", "r2b"}, {int64(2), "l2b", "r2a"}, {int64(2), "l2b", "r2b"}, {int64(4), "l4", "r4"}}},
		{name: "left outer", join: transform.LeftOuterJoin, want: [][]any{{nil, "ln", nil}, {int64(1), "l1", nil},
			{int64(2), "l2a", "r2a"}, {int64(2), "l2a", "r2b"}, {int64(2), "l2b", "r2a"}, {int64(2), "l2b", "r2b"}, {int64(4), "l4", "r4"}}},
		{name: "full outer", join: transform.FullOuterJoin, want: [][]any{{nil, "ln", nil}, {nil, nil, "rn"}, {int64(1), "l1", nil},
			{int64(2), "l2a", "r2a"}, {int64(2), "l2a", "r2b"}, {int64(2), "l2b", "r2a"}, {int64(2), "l2b", "r2b"}, {nil, nil, "r3"}, {int64(4), "l4", "r4"}}},
		{name: "input not sorted", join: transform.InnerJoin, inputs: [2]transform.SortedInput{{Keys: []int{1}}, sorted1}, wantErr: "is not sorted: set IsSorted"},
		{name: "rows out of order", join: transform.InnerJoin, left: &input{leftCols, [][]any{{2, "a"}, {1, "b"}}}, wantErr: "a row arrived after a row with a greater key"},
		{name: "bad join type", join: 7, wantErr: "JoinType 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ins := tt.inputs
			if !ins[0].IsSorted && !ins[1].IsSorted && tt.inputs[0].Keys == nil {
				ins = [2]transform.SortedInput{sorted1, sorted1}
			}
			l := left
			if tt.left != nil {
				l = *tt.left
			}
			m := &transform.MergeJoin{Label: "Merge Join", JoinType: tt.join, NumKeyColumns: 1, TreatNullsAsEqual: tt.nullsEq, Columns: out, Inputs: ins}
			got, err := run(t, m, []input{l, right}, 0)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p := project(got[0], 3); !reflect.DeepEqual(p, tt.want) {
				t.Errorf("rows = %v\nwant %v", p, tt.want)
			}
		})
	}
}

// "Merge Transformation": two sorted inputs into one sorted output; on
// equal keys the first input's rows come first.
func TestMerge(t *testing.T) {
	out := []dataflow.Column{col("K", 21, dataflow.KindInt64), col("V", 22, dataflow.KindWString)}
	tests := []struct {
		name    string
		a, b    [][]any
		inputs  [2]transform.SortedInput
		want    [][]any
		wantErr string
	}{
		{name: "interleaved", a: [][]any{{nil, "an"}, {1, "a1"}, {3, "a3"}}, b: [][]any{{2, "b2"}, {3, "b3"}, {5, "b5"}},
			inputs: [2]transform.SortedInput{sorted1, sorted1},
			want:   [][]any{{nil, "an"}, {int64(1), "a1"}, {int64(2), "b2"}, {int64(3), "a3"}, {int64(3), "b3"}, {int64(5), "b5"}}},
		{name: "descending", a: [][]any{{3, "a3"}, {1, "a1"}}, b: [][]any{{2, "b2"}},
			inputs: [2]transform.SortedInput{{IsSorted: true, Keys: []int{1}, Descending: []bool{true}}, {IsSorted: true, Keys: []int{1}, Descending: []bool{true}}},
			want:   [][]any{{int64(3), "a3"}, {int64(2), "b2"}, {int64(1), "a1"}}},
		{name: "one empty", a: nil, b: [][]any{{2, "b2"}}, inputs: [2]transform.SortedInput{sorted1, sorted1}, want: [][]any{{int64(2), "b2"}}},
		{name: "directions differ", a: [][]any{{1, "a"}}, b: [][]any{{1, "b"}},
			inputs:  [2]transform.SortedInput{sorted1, {IsSorted: true, Keys: []int{1}, Descending: []bool{true}}},
			wantErr: "do not have the same type and order"},
		{name: "second not sorted", inputs: [2]transform.SortedInput{sorted1, {Keys: []int{1}}}, wantErr: `input "Source 1 Output" is not sorted`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &transform.Merge{Label: "Merge", Columns: out, InputColumns: [2][]int{{1, 2}, {1, 2}}, Inputs: tt.inputs}
			got, err := run(t, m, []input{{leftCols, tt.a}, {rightCols, tt.b}}, 0)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(project(got[0], 2), tt.want) {
				t.Errorf("rows = %v\nwant %v", got[0], tt.want)
			}
		})
	}
}

// Merge Join and Merge stream: with a slow destination, the rows the
// sources have made and the destination has not written stay within a few
// buffers, whatever the number of rows.
func TestMergeBackPressure(t *testing.T) {
	const rows, perBuffer = 20_000, 100
	for _, name := range []string{"Merge Join", "Merge"} {
		t.Run(name, func(t *testing.T) {
			var made, written, worst atomic.Int64
			p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: perBuffer})
			gen := func(label string) *dataflow.Node {
				return p.Add(&simple.Generator{Label: label, Columns: []dataflow.Column{col("K", 1, dataflow.KindInt64)}, N: rows,
					Fill: func(i int, b *dataflow.Buffer, r int) { made.Add(1); b.SetInt64(0, r, int64(i)) }})
			}
			var c dataflow.Component
			per := int64(2)
			if name == "Merge" {
				per = 1
				c = &transform.Merge{Label: name, Columns: []dataflow.Column{col("K", 11, dataflow.KindInt64)},
					InputColumns: [2][]int{{1}, {1}}, Inputs: [2]transform.SortedInput{sorted1, sorted1}}
			} else {
				c = &transform.MergeJoin{Label: name, JoinType: transform.InnerJoin, NumKeyColumns: 1,
					Columns: []transform.MergeJoinColumn{{Column: col("K", 11, dataflow.KindInt64), InputColumnID: 1}}, Inputs: [2]transform.SortedInput{sorted1, sorted1}}
			}
			n := p.Add(c)
			p.Connect(gen("A"), 0, n, 0)
			p.Connect(gen("B"), 0, n, 1)
			slow := &slowSink{per: per, written: &written, made: &made, worst: &worst}
			p.Connect(n, 0, p.Add(slow), 0)
			if _, err := p.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if want := int64(2*rows) / per; written.Load() != want {
				t.Fatalf("wrote %d rows, want %d", written.Load(), want)
			}
			t.Logf("at most %d rows in flight", worst.Load())
			// Per source: the buffer being filled, two queued, the one
			// being read; the output buffer and the one being written.
			if limit := int64(14 * perBuffer); worst.Load() > limit {
				t.Errorf("up to %d rows were in flight, want at most %d", worst.Load(), limit)
			}
		})
	}
}

// Two unsorted sources, each through a Sort, into a Merge Join on two keys
// (a string compared ignoring case, then an integer): the Sorts' outputs
// say how they are sorted, and the join pairs every row.
func TestSortIntoMergeJoin(t *testing.T) {
	const n = 5000
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 256})
	names := []string{"alpha", "Bravo", "charlie", "Delta"}
	side := func(label string, base int, upper bool) (*dataflow.Node, *transform.Sort) {
		g := &simple.Generator{Label: label, Columns: []dataflow.Column{col("Name", base+1, dataflow.KindWString), col("N", base+2, dataflow.KindInt64)}, N: n,
			Fill: func(i int, b *dataflow.Buffer, r int) {
				k := (i * 7919) % n // a permutation of 0..n-1
				s := names[k%len(names)]
				if upper {
					s = strings.ToUpper(s)
				}
				b.SetString(0, r, s)
				b.SetInt64(1, r, int64(k))
			}}
		s := &transform.Sort{Label: "Sort " + label, Columns: []dataflow.Column{col("Name", base+11, dataflow.KindWString), col("N", base+12, dataflow.KindInt64)},
			SortColumnID: []int{base + 1, base + 2},
			Keys:         []transform.SortKey{{Lineage: base + 1, NewSortKeyPosition: 1, NewComparisonFlags: transform.IgnoreCase}, {Lineage: base + 2, NewSortKeyPosition: 2}}}
		sn := p.Add(s)
		p.Connect(p.Add(g), 0, sn, 0)
		return sn, s
	}
	ln, ls := side("Left", 100, false)
	rn, rs := side("Right", 200, true)
	m := &transform.MergeJoin{Label: "Merge Join", JoinType: transform.InnerJoin, NumKeyColumns: 2, Inputs: [2]transform.SortedInput{ls.SortedOutput(), rs.SortedOutput()},
		Columns: []transform.MergeJoinColumn{
			{Column: col("L", 301, dataflow.KindWString), Input: 0, InputColumnID: 111},
			{Column: col("R", 302, dataflow.KindWString), Input: 1, InputColumnID: 211},
			{Column: col("N", 303, dataflow.KindInt64), Input: 0, InputColumnID: 112},
		}}
	mn := p.Add(m)
	p.Connect(ln, 0, mn, 0)
	p.Connect(rn, 0, mn, 1)
	c := &simple.Collector{Label: "C", Lineage: []int{301, 302, 303}}
	p.Connect(mn, 0, p.Add(c), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows := c.Rows()
	if len(rows) != n {
		t.Fatalf("%d joined rows, want %d", len(rows), n)
	}
	for _, r := range rows {
		if !strings.EqualFold(r[0].(string), r[1].(string)) || r[1] != strings.ToUpper(r[0].(string)) {
			t.Fatalf("row %v joins different names", r)
		}
	}
}
