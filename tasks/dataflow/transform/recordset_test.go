package transform_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// "Recordset Destination": the rows, with the chosen input columns, in an
// Object variable holding an ADO recordset (a *expr.Rowset, what the
// Foreach ADO enumerator walks); NULLs stay NULL of the column's type.
func TestRecordset(t *testing.T) {
	when := time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC)
	in := input{
		cols: []dataflow.Column{col("ID", 1, dataflow.KindInt32), col("Name", 2, dataflow.KindWString), col("Amount", 3, dataflow.KindDecimal),
			col("At", 4, dataflow.KindTime), col("Ratio", 5, dataflow.KindFloat64), col("Flag", 6, dataflow.KindBool)},
		rows: [][]any{{1, "a", dataflow.NewDecimal(1250, 2), when, 0.5, true}, {nil, nil, nil, nil, nil, nil}},
	}
	all := []transform.RecordsetColumn{{1, "ID"}, {2, "Name"}, {3, "Amount"}, {4, "At"}, {5, "Ratio"}, {6, "Flag"}}
	tests := []struct {
		name    string
		cols    []transform.RecordsetColumn
		varName string
		want    []string
		types   []expr.Type
		wantErr string
	}{
		{name: "every column", cols: all, varName: "User::Rows",
			want:  []string{"1|a|12.50|2024-03-01 10:30:00|0.5|True", "NULL|NULL|NULL|NULL|NULL|NULL"},
			types: []expr.Type{expr.TypeI4, expr.TypeWStr, expr.TypeNumeric, expr.TypeDBTimestamp, expr.TypeR8, expr.TypeBool}},
		{name: "some columns", cols: []transform.RecordsetColumn{{2, "Name"}}, varName: "User::Rows",
			want: []string{"a", "NULL"}, types: []expr.Type{expr.TypeWStr}},
		{name: "no variable", cols: all, wantErr: "VariableName"},
		{name: "unknown column", cols: []transform.RecordsetColumn{{9, "X"}}, varName: "User::Rows", wantErr: `input column "X"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &vars{got: map[string]any{}}
			d := &transform.Recordset{Label: "Recordset Destination", VariableName: tt.varName, Columns: tt.cols, Vars: v}
			_, err := run(t, d, []input{in})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			val, ok := v.got[tt.varName].(expr.Value)
			if !ok || val.Type() != expr.TypeObject || val.String() != expr.RowsetText {
				t.Fatalf("%s = %#v, want an Object holding a rowset", tt.varName, v.got[tt.varName])
			}
			rs, ok := val.Held().(*expr.Rowset)
			if !ok {
				t.Fatalf("%s holds %T, want *expr.Rowset", tt.varName, val.Held())
			}
			for i, c := range rs.Columns {
				if c.Name != tt.cols[i].Name || c.Type != tt.types[i] {
					t.Errorf("column %d = %s %s, want %s %s", i, c.Name, c.Type, tt.cols[i].Name, tt.types[i])
				}
			}
			var got []string
			for _, row := range rs.Rows {
				cells := make([]string, len(row))
				for i, c := range row {
					cells[i] = c.String()
					if c.IsNull() {
						cells[i] = "NULL"
						if c.Type() != tt.types[i] {
							t.Errorf("NULL of %s in column %d, want %s", c.Type(), i, tt.types[i])
						}
					}
				}
				got = append(got, strings.Join(cells, "|"))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// 20,000 rows into a recordset through the engine.
func TestRecordsetPipeline(t *testing.T) {
	const n = 20_000
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 700})
	g := &simple.Generator{Label: "G", Columns: []dataflow.Column{col("K", 1, dataflow.KindInt64)}, N: n,
		Fill: func(i int, b *dataflow.Buffer, r int) { b.SetInt64(0, r, int64(i)) }}
	v := &vars{got: map[string]any{}}
	d := &transform.Recordset{Label: "Recordset Destination", VariableName: "User::Rows", Columns: []transform.RecordsetColumn{{1, "K"}}, Vars: v}
	p.Connect(p.Add(g), 0, p.Add(d), 0)
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rs := v.got["User::Rows"].(expr.Value).Held().(*expr.Rowset)
	if len(rs.Rows) != n || len(res.Written) != 1 || res.Written[0].Rows != n {
		t.Fatalf("%d rows in the rowset, written %v; want %d", len(rs.Rows), res.Written, n)
	}
	for i, row := range rs.Rows {
		if k, err := row[0].Int(); err != nil || k != int64(i) {
			t.Fatalf("row %d = %v, want %d", i, row[0], i)
		}
	}
}
