package dbflow_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/internal/realpg"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dbflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

const adoNpgsql = "ADO.NET:Npgsql.NpgsqlConnection, Npgsql, Version=4.0.0.0, Culture=neutral, PublicKeyToken=5d8b90d52f46fda7"

// "OLE DB Destination" fast load into PostgreSQL goes through COPY, commits
// every FastLoadMaxInsertCommitSize rows, takes the table lock with TABLOCK;
// "OLE DB Source" reads the rows back with a parameterised command.
func TestRealPostgres(t *testing.T) {
	env := realpg.Env(t)
	m := manager(t, adoNpgsql, realpg.Npgsql(env))
	opts := database.Options{Allow: realpg.Loopback}
	table := fmt.Sprintf("dbflow_%d", len(t.Name()))
	s, err := m.Acquire(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DROP TABLE IF EXISTS " + table,
		"CREATE TABLE " + table + ` (b boolean, i16 smallint, i32 integer, i64 bigint, f32 real, f64 double precision,
			dec numeric(18,2), s varchar(50), ws text, bin bytea, g uuid, t timestamptz)`,
	} {
		if _, err := s.Conn.ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	s.Release()
	t.Cleanup(func() {
		if s, err := m.Acquire(context.Background(), opts); err == nil {
			s.Conn.ExecContext(context.Background(), "DROP TABLE "+table)
			s.Release()
		}
	})
	pick := map[string]bool{"b": true, "i16": true, "i32": true, "i64": true, "f32": true, "f64": true,
		"dec": true, "s": true, "ws": true, "bin": true, "g": true, "t": true}
	var cols []dataflow.Column
	var idx []int
	for i, c := range columns {
		if pick[c.Name] {
			cols, idx = append(cols, c), append(idx, i)
		}
	}
	var in [][]any
	for k := 0; k < 2500; k++ {
		r := rows[k%len(rows)]
		row := make([]any, len(idx))
		for j, i := range idx {
			row[j] = r[i]
		}
		if k%len(rows) != len(rows)-1 {
			row[3] = int64(k) // i64 tells the rows apart
		}
		in = append(in, row)
	}
	d := &dbflow.Destination{Label: "Dest", Connection: m, ConnectOptions: opts, AccessMode: dbflow.AccessOpenRowsetFastLoad,
		OpenRowset: table, Columns: mappings(cols), FastLoadOptions: "TABLOCK", FastLoadMaxInsertCommitSize: 1000}
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 300})
	p.Connect(p.Add(&simple.Source{Label: "Rows", Columns: cols, Rows: in}), 0, p.Add(d), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if d.Written() != int64(len(in)) {
		t.Errorf("Written = %d, want %d", d.Written(), len(in))
	}
	v := vars{"User::From": int64(10), "User::To": int64(12)}
	got, err := read(t, &dbflow.Source{Label: "Src", Connection: m, ConnectOptions: opts, AccessMode: dbflow.AccessSqlCommand,
		SqlCommand:       "SELECT * FROM " + table + " WHERE i64 BETWEEN ? AND ? ORDER BY i64",
		ParameterMapping: []dbflow.Parameter{{Ordinal: 0, Variable: "User::From"}, {Ordinal: 1, Variable: "User::To"}},
		Columns:          cols, Vars: v})
	if err != nil {
		t.Fatal(err)
	}
	if want := norm([][]any{in[10], in[12]}); !reflect.DeepEqual(norm(got), want) {
		t.Errorf("read back\n%v\nwant\n%v", norm(got), want)
	}
	n, err := read(t, &dbflow.Source{Label: "Count", Connection: m, ConnectOptions: opts, AccessMode: dbflow.AccessSqlCommand,
		SqlCommand: "SELECT count(*) AS n, count(*) FILTER (WHERE b IS NULL) AS nulls FROM " + table,
		Columns:    []dataflow.Column{{Name: "n", LineageID: 1, Kind: dataflow.KindInt64}, {Name: "nulls", LineageID: 2, Kind: dataflow.KindInt64}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]any{{int64(2500), int64(2500 / 3)}}; !reflect.DeepEqual(n, want) {
		t.Errorf("count, nulls = %v, want %v", n, want)
	}
}

// A row PostgreSQL refuses ends the COPY of its batch: the batches
// committed before it stay written, the rest is rolled back, and the error
// names the table. Row by row, the refused row goes to the error output.
func TestRealPostgresRefused(t *testing.T) {
	env := realpg.Env(t)
	m := manager(t, adoNpgsql, realpg.Npgsql(env))
	opts := database.Options{Allow: realpg.Loopback}
	cols := []dataflow.Column{{Name: "id", LineageID: 1, Kind: dataflow.KindInt64}, {Name: "name", LineageID: 2, Kind: dataflow.KindWString, Length: 20}}
	var in [][]any
	for i := 1; i <= 2500; i++ {
		var name any = fmt.Sprintf("row\t%d\\", i)
		if i == 1500 {
			name = nil
		}
		in = append(in, []any{int64(i), name})
	}
	for _, tt := range []struct {
		name       string
		mode       int
		wantErr    bool
		want       int64
		wantErrors int
	}{
		{name: "fast load", mode: dbflow.AccessOpenRowsetFastLoad, wantErr: true, want: 1000},
		{name: "row by row", mode: dbflow.AccessOpenRowset, want: 2499, wantErrors: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			table := "dbflow_refused"
			s, err := m.Acquire(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Release()
			for _, q := range []string{"DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id bigint, name text NOT NULL)"} {
				if _, err := s.Conn.ExecContext(context.Background(), q); err != nil {
					t.Fatal(err)
				}
			}
			defer s.Conn.ExecContext(context.Background(), "DROP TABLE "+table)
			d := &dbflow.Destination{Label: "Dest", Connection: m, ConnectOptions: opts, AccessMode: tt.mode, OpenRowset: table,
				Columns: mappings(cols), FastLoadMaxInsertCommitSize: 1000, ErrorRowDisposition: dataflow.DispositionRedirectRow}
			errOut := &simple.Collector{Label: "Errors"}
			p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 300})
			dst := p.Add(d)
			p.Connect(p.Add(&simple.Source{Label: "Rows", Columns: cols, Rows: in}), 0, dst, 0)
			p.Connect(dst, 0, p.Add(errOut), 0)
			_, err = p.Run(context.Background())
			if cerr := d.Close(); cerr != nil {
				t.Errorf("Close: %v", cerr)
			}
			if tt.wantErr != (err != nil) {
				t.Fatalf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), `fast load into "dbflow_refused"`) {
				t.Errorf("err = %v, want it to name the table", err)
			}
			var n int64
			var names int64
			if err := s.Conn.QueryRowContext(context.Background(), "SELECT count(*), count(*) FILTER (WHERE name = 'row'||chr(9)||id||'\\') FROM "+table).Scan(&n, &names); err != nil {
				t.Fatal(err)
			}
			if n != tt.want || names != tt.want || d.Written() != tt.want {
				t.Errorf("table %d rows (%d names intact), Written %d; want %d", n, names, d.Written(), tt.want)
			}
			if got := len(errOut.Rows()); got != tt.wantErrors {
				t.Errorf("%d rows on the error output, want %d", got, tt.wantErrors)
			}
		})
	}
}

// A flow cancelled during a COPY stops, and Close rolls the batch back.
func TestRealPostgresCancel(t *testing.T) {
	env := realpg.Env(t)
	m := manager(t, adoNpgsql, realpg.Npgsql(env))
	opts := database.Options{Allow: realpg.Loopback}
	table := "dbflow_cancel"
	s, err := m.Acquire(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	for _, q := range []string{"DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id bigint)"} {
		if _, err := s.Conn.ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	defer s.Conn.ExecContext(context.Background(), "DROP TABLE "+table)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cols := []dataflow.Column{{Name: "id", LineageID: 1, Kind: dataflow.KindInt64}}
	buffers := 0
	g := &simple.Generator{Label: "Rows", Columns: cols, N: 10_000_000,
		Fill: func(i int, b *dataflow.Buffer, r int) { b.SetInt64(0, r, int64(i)) },
		Created: func() {
			if buffers++; buffers == 5 {
				cancel()
			}
		}}
	d := &dbflow.Destination{Label: "Dest", Connection: m, ConnectOptions: opts, AccessMode: dbflow.AccessOpenRowsetFastLoad,
		OpenRowset: table, Columns: mappings(cols)}
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 1000})
	p.Connect(p.Add(g), 0, p.Add(d), 0)
	if _, err := p.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	d.Close()
	var n int64
	if err := s.Conn.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 || d.Written() != 0 {
		t.Errorf("%d rows in the table, Written %d, want none", n, d.Written())
	}
}

// "OLE DB Destination Editor (Connection Manager Page)": without Keep
// identity the database assigns the identity values; with it the input's
// are kept.
func TestRealPostgresKeepIdentity(t *testing.T) {
	env := realpg.Env(t)
	m := manager(t, adoNpgsql, realpg.Npgsql(env))
	opts := database.Options{Allow: realpg.Loopback}
	cols := []dataflow.Column{{Name: "id", LineageID: 1, Kind: dataflow.KindInt64}, {Name: "name", LineageID: 2, Kind: dataflow.KindWString, Length: 20}}
	in := [][]any{{int64(100), "a"}, {int64(200), "b"}}
	for _, tt := range []struct {
		keep bool
		want string
	}{{false, "1,2"}, {true, "100,200"}} {
		t.Run(fmt.Sprint(tt.keep), func(t *testing.T) {
			table := "dbflow_identity"
			s, err := m.Acquire(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Release()
			for _, q := range []string{"DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id bigint GENERATED BY DEFAULT AS IDENTITY, name text)"} {
				if _, err := s.Conn.ExecContext(context.Background(), q); err != nil {
					t.Fatal(err)
				}
			}
			defer s.Conn.ExecContext(context.Background(), "DROP TABLE "+table)
			d := &dbflow.Destination{Label: "Dest", Connection: m, ConnectOptions: opts, AccessMode: dbflow.AccessOpenRowsetFastLoad,
				OpenRowset: table, Columns: mappings(cols), FastLoadKeepIdentity: tt.keep}
			if _, err := write(t, d, cols, in, nil); err != nil {
				t.Fatal(err)
			}
			var got string
			if err := s.Conn.QueryRowContext(context.Background(), "SELECT string_agg(id::text, ',' ORDER BY id) FROM "+table).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ids %s, want %s", got, tt.want)
			}
		})
	}
}
