package simple_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

var (
	id   = dataflow.Column{Name: "ID", LineageID: 1, Kind: dataflow.KindInt32}
	name = dataflow.Column{Name: "Name", LineageID: 2, Kind: dataflow.KindString, Length: 10}
)

type vars struct {
	got map[string]any
	err error
}

func (v *vars) SetVariable(_ context.Context, n string, value any) error {
	if v.err != nil {
		return v.err
	}
	v.got[n] = value
	return nil
}

// "Row Count Transformation": the count of the rows that went through, in
// the variable, once the input ends; zero rows is a count too.
func TestRowCount(t *testing.T) {
	tests := []struct {
		name    string
		rows    int
		varName string
		setErr  error
		want    any
		wantErr string
	}{
		{name: "thousands", rows: 25_001, varName: "User::Count", want: int64(25_001)},
		{name: "none", rows: 0, varName: "User::Count", want: int64(0)},
		{name: "no variable", rows: 3, wantErr: "VariableName"},
		{name: "read-only variable", rows: 3, varName: "System::X", setErr: errors.New("read-only"), wantErr: "row count into System::X: read-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &vars{got: map[string]any{}, err: tt.setErr}
			p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 1000})
			g := &simple.Generator{Label: "G", Columns: []dataflow.Column{id}, N: tt.rows,
				Fill: func(i int, b *dataflow.Buffer, r int) { b.SetInt64(0, r, int64(i)) }}
			rc := p.Add(&simple.RowCount{Label: "Row Count", Variable: tt.varName, Vars: v})
			p.Connect(p.Add(g), 0, rc, 0)
			_, err := p.Run(context.Background())
			if tt.wantErr != "" {
				var ce *dataflow.ComponentError
				if !errors.As(err, &ce) || ce.Component != "Row Count" || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want the Row Count's %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := v.got[tt.varName]; got != tt.want {
				t.Errorf("%s = %v, want %v", tt.varName, got, tt.want)
			}
		})
	}
}

func TestSource(t *testing.T) {
	tests := []struct {
		name    string
		rows    [][]any
		want    [][]any
		wantErr string
	}{
		{name: "values and NULLs", rows: [][]any{{1, "a"}, {nil, nil}}, want: [][]any{{int64(1), "a"}, {nil, nil}}},
		{name: "short row", rows: [][]any{{1}}, wantErr: "row 0 has 1 values for 2 columns"},
		{name: "wrong type", rows: [][]any{{1, 2}}, wantErr: `row 0: dataflow: invalid pipeline: column "Name" (string) cannot hold a int`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := dataflow.New(dataflow.Options{})
			c := &simple.Collector{Label: "C"}
			p.Connect(p.Add(&simple.Source{Label: "S", Columns: []dataflow.Column{id, name}, Rows: tt.rows}), 0, p.Add(c), 0)
			_, err := p.Run(context.Background())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), `component "S"`) {
					t.Fatalf("err = %v, want %q from S", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Rows(), tt.want) {
				t.Errorf("rows = %v, want %v", c.Rows(), tt.want)
			}
		})
	}
}

// "Union All Transformation": rows of every input in one output; an input
// column of another type cannot feed an output column.
func TestUnionAllMapping(t *testing.T) {
	out := dataflow.Column{Name: "Out", LineageID: 50, Kind: dataflow.KindInt64}
	tests := []struct {
		name    string
		mapping [][]int
		want    []string
		wantErr string
	}{
		{name: "both mapped", mapping: [][]int{{1}, {1}}, want: []string{"[1]", "[1]", "[2]", "[2]"}},
		{name: "second unmapped", mapping: [][]int{{1}}, want: []string{"[1]", "[2]", "[<nil>]", "[<nil>]"}},
		{name: "string into integer", mapping: [][]int{{2}}, wantErr: `column "Name" (string) cannot feed output column "Out" (int64)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := dataflow.New(dataflow.Options{})
			rows := [][]any{{1, "a"}, {2, "b"}}
			a := p.Add(&simple.Source{Label: "A", Columns: []dataflow.Column{id, name}, Rows: rows})
			u := p.Add(&simple.UnionAll{Label: "Union All", Columns: []dataflow.Column{out}, Map: tt.mapping})
			c := &simple.Collector{Label: "C"}
			p.Connect(a, 0, u, 0)
			b := p.Add(&simple.Source{Label: "B", Columns: []dataflow.Column{id, name}, Rows: rows})
			p.Connect(b, 0, u, 1)
			p.Connect(u, 0, p.Add(c), 0)
			_, err := p.Run(context.Background())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// The inputs interleave as they arrive: compare sorted rows.
			var got []string
			for _, row := range c.Rows() {
				got = append(got, fmt.Sprint(row))
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows = %v, want %v", got, tt.want)
			}
		})
	}
}
