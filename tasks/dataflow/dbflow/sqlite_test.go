package dbflow_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dbflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

const adoSQLite = "ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite"

// manager returns a database connection manager of the creation name and
// connection string.
func manager(t *testing.T, creation, cs string) *database.Manager {
	t.Helper()
	x := fmt.Sprintf(`<?xml version="1.0"?>
<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:ObjectName="Db" DTS:DTSID="{EDAB9F40-E2C8-49D0-ACCC-2E2D942F9F4C}" DTS:CreationName="%s">
  <DTS:ObjectData>
    <DTS:ConnectionManager DTS:ConnectionString="%s"/>
  </DTS:ObjectData>
</DTS:ConnectionManager>`, html.EscapeString(creation), html.EscapeString(cs))
	d, _, err := dtsx.LoadConnectionManager("Db.conmgr", []byte(x))
	if err != nil {
		t.Fatal(err)
	}
	m, err := database.New(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func sqliteManager(t *testing.T) *database.Manager {
	return manager(t, adoSQLite, "Data Source="+filepath.Join(t.TempDir(), "flow.db")+";")
}

func exec(t *testing.T, m *database.Manager, stmts ...string) {
	t.Helper()
	s, err := m.Acquire(context.Background(), database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	for _, q := range stmts {
		if _, err := s.Conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// columns are one column of each kind.
var columns = []dataflow.Column{
	{Name: "b", LineageID: 1, Kind: dataflow.KindBool},
	{Name: "i8", LineageID: 2, Kind: dataflow.KindInt8},
	{Name: "i16", LineageID: 3, Kind: dataflow.KindInt16},
	{Name: "i32", LineageID: 4, Kind: dataflow.KindInt32},
	{Name: "i64", LineageID: 5, Kind: dataflow.KindInt64},
	{Name: "u8", LineageID: 6, Kind: dataflow.KindUint8},
	{Name: "u16", LineageID: 7, Kind: dataflow.KindUint16},
	{Name: "u32", LineageID: 8, Kind: dataflow.KindUint32},
	{Name: "f32", LineageID: 9, Kind: dataflow.KindFloat32},
	{Name: "f64", LineageID: 10, Kind: dataflow.KindFloat64},
	{Name: "dec", LineageID: 11, Kind: dataflow.KindDecimal, Precision: 18, Scale: 2},
	{Name: "s", LineageID: 12, Kind: dataflow.KindString, Length: 50},
	{Name: "ws", LineageID: 13, Kind: dataflow.KindWString, Length: 50},
	{Name: "bin", LineageID: 14, Kind: dataflow.KindBytes, Length: 16},
	{Name: "g", LineageID: 15, Kind: dataflow.KindGUID},
	{Name: "t", LineageID: 16, Kind: dataflow.KindTime},
}

const allTypes = `CREATE TABLE "all types" (b BOOLEAN, i8 INTEGER, i16 INTEGER, i32 INTEGER, i64 INTEGER,
	u8 INTEGER, u16 INTEGER, u32 INTEGER, f32 REAL, f64 REAL, dec TEXT, s TEXT, ws TEXT, bin BLOB, g TEXT, t DATETIME)`

var (
	when = time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	guid = []byte{0x6f, 0x9a, 0x1b, 0x2c, 0x3d, 0x4e, 0x4f, 0x50, 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8}
	rows = [][]any{
		{true, int64(-128), int64(-32768), int64(-2147483648), int64(-1 << 62), uint8(255), uint16(65535), uint32(4294967295),
			float32(1.5), 3.25, dataflow.NewDecimal(-123456, 2), "plain", "wide é ü 漢", []byte{0, 1, 2, 255}, guid, when},
		{false, int64(127), int64(32767), int64(2147483647), int64(1 << 62), uint8(0), uint16(0), uint32(0),
			float32(-0.25), -1e300, dataflow.NewDecimal(5, 2), "it's \"quoted\"", "", []byte{}, guid, when.Add(-24 * time.Hour)},
		make([]any, len(columns)), // all NULL
	}
)

// norm makes values comparable: integers as int64, times in UTC.
func norm(rs [][]any) [][]any {
	out := make([][]any, len(rs))
	for i, r := range rs {
		out[i] = make([]any, len(r))
		for j, v := range r {
			switch x := v.(type) {
			case uint8:
				v = int64(x)
			case uint16:
				v = int64(x)
			case uint32:
				v = int64(x)
			case float32:
				v = float64(x)
			case time.Time:
				v = x.UTC().Format(time.RFC3339Nano)
			}
			out[i][j] = v
		}
	}
	return out
}

func mappings(cols []dataflow.Column) []dbflow.Mapping {
	var m []dbflow.Mapping
	for _, c := range cols {
		m = append(m, dbflow.Mapping{LineageID: c.LineageID, Column: c.Name})
	}
	return m
}

// write runs a flow of the rows into the destination.
func write(t *testing.T, d *dbflow.Destination, cols []dataflow.Column, rs [][]any, errOut *simple.Collector) (*dataflow.Result, error) {
	t.Helper()
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 2})
	src := p.Add(&simple.Source{Label: "Rows", Columns: cols, Rows: rs})
	dst := p.Add(d)
	p.Connect(src, 0, dst, 0)
	if errOut != nil {
		p.Connect(dst, 0, p.Add(errOut), 0)
	}
	res, err := p.Run(context.Background())
	if cerr := d.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	return res, err
}

// read runs a flow of the source into a collector.
func read(t *testing.T, s *dbflow.Source) ([][]any, error) {
	t.Helper()
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 2})
	c := &simple.Collector{Label: "Rows"}
	p.Connect(p.Add(s), 0, p.Add(c), 0)
	_, err := p.Run(context.Background())
	return c.Rows(), err
}

// "OLE DB Destination" and "OLE DB Source": every column type and NULLs
// survive a round trip through SQLite, row by row and with fast load.
func TestSQLiteRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mode   int
		commit int
	}{
		{"row by row", dbflow.AccessOpenRowset, 0},
		{"fast load", dbflow.AccessOpenRowsetFastLoad, 0},
		{"fast load commit 1", dbflow.AccessOpenRowsetFastLoad, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := sqliteManager(t)
			exec(t, m, allTypes)
			d := &dbflow.Destination{Label: "Dest", Connection: m, AccessMode: tc.mode, OpenRowset: `"all types"`,
				Columns: mappings(columns), FastLoadMaxInsertCommitSize: tc.commit}
			if _, err := write(t, d, columns, rows, nil); err != nil {
				t.Fatal(err)
			}
			if d.Written() != int64(len(rows)) {
				t.Errorf("Written = %d, want %d", d.Written(), len(rows))
			}
			got, err := read(t, &dbflow.Source{Label: "Src", Connection: m, AccessMode: dbflow.AccessOpenRowset,
				OpenRowset: `[all types]`, Columns: columns})
			if err != nil {
				t.Fatal(err)
			}
			if want := norm(rows); !reflect.DeepEqual(norm(got), want) {
				t.Errorf("read back\n%v\nwant\n%v", norm(got), want)
			}
		})
	}
}

type vars map[string]any

func (v vars) Variable(_ context.Context, name string) (any, error) {
	x, ok := v[name]
	if !ok {
		return nil, fmt.Errorf("no variable %s", name)
	}
	return x, nil
}

// "OLE DB Source": the four access modes, a parameterised command and the
// errors of a bad configuration.
func TestSQLiteSource(t *testing.T) {
	m := sqliteManager(t)
	exec(t, m, `CREATE TABLE t (id INTEGER, name TEXT)`, `INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL)`)
	cols := []dataflow.Column{{Name: "id", LineageID: 1, Kind: dataflow.KindInt32}, {Name: "name", LineageID: 2, Kind: dataflow.KindWString, Length: 10}}
	v := vars{"User::Table": "t", "User::Query": "SELECT id, name FROM t WHERE id >= ? AND name <> '?' ORDER BY id", "User::Min": int64(2), "User::N": int64(7)}
	tests := []struct {
		name    string
		src     dbflow.Source
		want    [][]any
		wantErr string
	}{
		{name: "table", src: dbflow.Source{AccessMode: dbflow.AccessOpenRowset, OpenRowset: "t"},
			want: [][]any{{int64(1), "a"}, {int64(2), "b"}, {int64(3), nil}}},
		{name: "table from variable", src: dbflow.Source{AccessMode: dbflow.AccessOpenRowsetVariable, OpenRowsetVariable: "User::Table"},
			want: [][]any{{int64(1), "a"}, {int64(2), "b"}, {int64(3), nil}}},
		{name: "command with a parameter", src: dbflow.Source{AccessMode: dbflow.AccessSqlCommand,
			SqlCommand:       "SELECT name, id FROM t WHERE id >= ? ORDER BY id",
			ParameterMapping: []dbflow.Parameter{{Ordinal: 0, Variable: "User::Min"}}},
			want: [][]any{{int64(2), "b"}, {int64(3), nil}}},
		{name: "command from variable", src: dbflow.Source{AccessMode: dbflow.AccessSqlCommandVariable, SqlCommandVariable: "User::Query",
			ParameterMapping: []dbflow.Parameter{{Ordinal: 0, Variable: "User::Min"}}},
			want: [][]any{{int64(2), "b"}}},
		{name: "external names", src: dbflow.Source{AccessMode: dbflow.AccessSqlCommand, SqlCommand: "SELECT id AS k, name AS v FROM t WHERE id = 1",
			ExternalColumns: []string{"K", "V"}},
			want: [][]any{{int64(1), "a"}}},
		{name: "unmapped marker", src: dbflow.Source{AccessMode: dbflow.AccessSqlCommand, SqlCommand: "SELECT * FROM t WHERE id = ?"},
			wantErr: "ParameterMapping maps no variable to Parameter0"},
		{name: "missing column", src: dbflow.Source{AccessMode: dbflow.AccessSqlCommand, SqlCommand: "SELECT id FROM t"},
			wantErr: `output column "name" reads the column "name", which the command does not return (it returns id)`},
		{name: "variable not a string", src: dbflow.Source{AccessMode: dbflow.AccessOpenRowsetVariable, OpenRowsetVariable: "User::N"},
			wantErr: "OpenRowsetVariable User::N holds 7 (int64)"},
		{name: "value out of range", src: dbflow.Source{AccessMode: dbflow.AccessSqlCommand, SqlCommand: "SELECT 3000000000 AS id, 'x' AS name"},
			wantErr: `row 1, output column "id": the value 3000000000 (int64) does not convert to int32`},
		{name: "bad access mode", src: dbflow.Source{AccessMode: 7}, wantErr: "AccessMode 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.src
			s.Label, s.Connection, s.Columns, s.Vars = "Src", m, cols, v
			got, err := read(t, &s)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// "Error Handling in Data": a row the database refuses fails the component,
// is ignored or goes to the error output with DTS_E_OLEDBERROR; the rows
// before it stay written. A refused fast-load batch fails and rolls back.
func TestSQLiteInsertError(t *testing.T) {
	cols := []dataflow.Column{{Name: "id", LineageID: 1, Kind: dataflow.KindInt32}, {Name: "name", LineageID: 2, Kind: dataflow.KindString, Length: 10}}
	in := [][]any{{int64(1), "a"}, {int64(2), nil}, {int64(3), "c"}}
	tests := []struct {
		name       string
		mode       int
		disp       dataflow.Disposition
		wantErr    string
		wantRows   int64
		wantErrors [][]any
	}{
		{name: "fail", mode: dbflow.AccessOpenRowset, disp: dataflow.DispositionFailComponent, wantErr: "NOT NULL", wantRows: 1},
		{name: "ignore", mode: dbflow.AccessOpenRowset, disp: dataflow.DispositionIgnoreFailure, wantRows: 2},
		{name: "redirect", mode: dbflow.AccessOpenRowset, disp: dataflow.DispositionRedirectRow, wantRows: 2,
			wantErrors: [][]any{{int64(2), nil, int64(dbflow.CodeOLEDBError), int64(0)}}},
		{name: "fast load", mode: dbflow.AccessOpenRowsetFastLoad, disp: dataflow.DispositionRedirectRow, wantErr: "fast load into", wantRows: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := sqliteManager(t)
			exec(t, m, `CREATE TABLE t (id INTEGER, name TEXT NOT NULL)`)
			d := &dbflow.Destination{Label: "Dest", Connection: m, AccessMode: tt.mode, OpenRowset: "t",
				Columns: mappings(cols), ErrorRowDisposition: tt.disp}
			errOut := &simple.Collector{Label: "Errors"}
			_, err := write(t, d, cols, in, errOut)
			if tt.wantErr != "" {
				var ce *dataflow.ComponentError
				if !errors.As(err, &ce) || ce.Component != "Dest" || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want Dest's %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if d.Written() != tt.wantRows {
				t.Errorf("Written = %d, want %d", d.Written(), tt.wantRows)
			}
			var n int64
			s, err := m.Acquire(context.Background(), database.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Release()
			if err := s.Conn.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != tt.wantRows {
				t.Errorf("the table has %d rows, want %d", n, tt.wantRows)
			}
			if got := errOut.Rows(); !reflect.DeepEqual(got, tt.wantErrors) {
				t.Errorf("error output %v, want %v", got, tt.wantErrors)
			}
		})
	}
}

// The destination's configuration errors name the property to fix.
func TestDestinationConfig(t *testing.T) {
	m := sqliteManager(t)
	exec(t, m, `CREATE TABLE t (id INTEGER)`)
	cols := []dataflow.Column{{Name: "id", LineageID: 1, Kind: dataflow.KindInt32}}
	tests := []struct {
		name    string
		d       dbflow.Destination
		wantErr string
	}{
		{"sql command mode without a command", dbflow.Destination{AccessMode: dbflow.AccessSqlCommand, OpenRowset: "t", Columns: mappings(cols)}, `SqlCommand "" is not SELECT`},
		{"sql command without the mapped column", dbflow.Destination{AccessMode: dbflow.AccessSqlCommand, SqlCommand: "SELECT other FROM t", Columns: mappings(cols)}, `mapped to "id", which SqlCommand`},
		{"mode out of range", dbflow.Destination{AccessMode: 5, OpenRowset: "t", Columns: mappings(cols)}, "AccessMode 5"},
		{"no mapping", dbflow.Destination{OpenRowset: "t"}, "no input column is mapped"},
		{"bad option", dbflow.Destination{AccessMode: dbflow.AccessOpenRowsetFastLoad, OpenRowset: "t", Columns: mappings(cols), FastLoadOptions: "TABLOCK,FAST"}, `unknown option "FAST"`},
		{"empty table", dbflow.Destination{Columns: mappings(cols)}, "OpenRowset is empty"},
		{"unknown lineage", dbflow.Destination{OpenRowset: "t", Columns: []dbflow.Mapping{{LineageID: 9, Column: "id"}}}, "no column with lineage ID 9"},
		{"unclosed name", dbflow.Destination{OpenRowset: "[t", Columns: mappings(cols)}, "unclosed ["},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d
			d.Label, d.Connection = "Dest", m
			_, err := write(t, &d, cols, [][]any{{int64(1)}}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// A cancelled flow stops the source and rolls the open batch back.
func TestSQLiteCancel(t *testing.T) {
	m := sqliteManager(t)
	exec(t, m, `CREATE TABLE t (id INTEGER)`, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5000) INSERT INTO t SELECT i FROM n`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 100})
	cols := []dataflow.Column{{Name: "id", LineageID: 1, Kind: dataflow.KindInt64}}
	seen := 0
	c := &simple.Collector{Label: "Rows", Wait: func(context.Context) error {
		if seen++; seen == 3 {
			cancel()
		}
		return nil
	}}
	p.Connect(p.Add(&dbflow.Source{Label: "Src", Connection: m, OpenRowset: "t", Columns: cols}), 0, p.Add(c), 0)
	_, err := p.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	if n := len(c.Rows()); n >= 5000 {
		t.Errorf("the collector got all %d rows", n)
	}
}
