package executesql_test

// The real-server suite: with DTSX_REAL_PG=1 these tests run the task
// against the PostgreSQL that scripts/postgres/start.sh runs on loopback
// (its env file gives DTSX_PG_HOST, ...). With the flag set, missing
// settings fail the tests; they are never skipped.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/realpg"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// realPG returns the connections of the real server (ADO.NET Npgsql and
// ODBC PostgreSQL Unicode), or skips the test when DTSX_REAL_PG is not 1.
func realPG(t *testing.T) map[string]string {
	t.Helper()
	env := realpg.Env(t)
	return map[string]string{
		"ado.net": dbConn(adoNpgsql, realpg.Npgsql(env)),
		"odbc":    dbConn("ODBC", realpg.ODBC(env)),
	}
}

// table returns a table name of this test alone: others share the server.
func table(t *testing.T) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "dtsx_sqltask_" + hex.EncodeToString(b)
}

// TestRealPostgres runs the SQLite end-to-end cases against PostgreSQL:
// create, parameterised insert (markers in literals and dollar quotes
// left alone), a single row into variables, a full result set into an
// Object, XML, a failing statement's PgError, Output refused, TimeOut.
func TestRealPostgres(t *testing.T) {
	for _, kind := range []string{"ado.net", "odbc"} {
		t.Run(kind, func(t *testing.T) {
			conn := realPG(t)[kind]
			named := kind == "ado.net"
			tbl := table(t)
			db := runner{t: t, conn: conn}
			db.mustRun(sqlData{source: fmt.Sprintf("CREATE TABLE %s (id int PRIMARY KEY, name text NOT NULL, born date, score numeric(9,2), ok boolean, note text);\n"+
				"COMMENT ON TABLE %[1]s IS 'a ? that is no marker'", tbl)}, nil)
			t.Cleanup(func() {
				f := newFixture(t, conn, sqlData{source: "DROP TABLE IF EXISTS " + tbl})
				if err := f.run(t); err != nil {
					t.Errorf("cleanup: %v", err)
				}
			})
			insert := fmt.Sprintf("INSERT INTO %s (id, name, born, score, ok, note) VALUES (?, ?, ?, ?, ?, $$ ? $1 @id $$ || '?')", tbl)
			params := []executesql.Parameter{
				{Name: "1", Variable: "User::ID", DataType: 4, Size: -1},
				{Name: "2", Variable: "User::Name", DataType: -9, Size: -1},
				{Name: "3", Variable: "User::Born", DataType: 93, Size: -1},
				{Name: "4", Variable: "User::Score", DataType: 3, Size: -1},
				{Name: "5", Variable: "User::OK", DataType: -7, Size: -1},
			}
			if named {
				insert = fmt.Sprintf("INSERT INTO %s (id, name, born, score, ok, note) VALUES (@id, @name, @born, @score, @ok, $$ ? $1 @id $$ || '?')", tbl)
				params = []executesql.Parameter{
					{Name: "@name", Variable: "User::Name", DataType: 16, Size: -1},
					{Name: "@id", Variable: "User::ID", DataType: 11, Size: -1},
					{Name: "@born", Variable: "User::Born", DataType: 6, Size: -1},
					{Name: "@score", Variable: "User::Score", DataType: 7, Size: -1},
					{Name: "@ok", Variable: "User::OK", DataType: 3, Size: -1},
				}
			}
			for i, n := range []string{"alice", "bob", "carol"} {
				score, _ := expr.FromDataType(14, []string{"12.50", "7.25", "99.99"}[i])
				db.mustRun(sqlData{source: insert, params: params}, map[string]expr.Value{
					"User::ID": expr.I4(int32(i + 1)), "User::Name": expr.Str(n), "User::OK": expr.Bool(i != 1),
					"User::Born": expr.Date(time.Date(1990+i, 1, 2, 0, 0, 0, 0, time.UTC)), "User::Score": score,
				})
			}
			f := db.mustRun(sqlData{source: "SELECT count(*) AS n, max(name) AS last, sum(score) AS total, min(note) AS note FROM " + tbl,
				result: "ResultSetType_SingleRow", results: []executesql.Result{{Name: "N", Variable: "User::Count"}, {Name: "1", Variable: "User::Last"},
					{Name: "total", Variable: "User::Total"}, {Name: "note", Variable: "User::Note"}}}, nil)
			if v := f.env.Vars["User::Count"]; v.Type() != expr.TypeI8 || v.String() != "3" {
				t.Errorf("User::Count = %#v", v)
			}
			if v := f.env.Vars["User::Last"]; v.String() != "carol" {
				t.Errorf("User::Last = %#v", v)
			}
			if r, ok := f.env.Vars["User::Total"].Go().(*big.Rat); !ok || r.Cmp(big.NewRat(11974, 100)) != 0 {
				t.Errorf("User::Total = %#v, want the exact decimal 119.74", f.env.Vars["User::Total"])
			}
			if v := f.env.Vars["User::Note"]; v.String() != " ? $1 @id ?" {
				t.Errorf("note %q: the markers in literals were rewritten", v.String())
			}
			f = db.mustRun(sqlData{source: "SELECT id, name, born, score, ok FROM " + tbl + " ORDER BY id", result: "ResultSetType_Rowset",
				results: []executesql.Result{{Name: "0", Variable: "User::Rows"}}}, nil)
			rs := fullResult(t, f.env.Vars["User::Rows"], named)
			wantTypes := []expr.Type{expr.TypeI4, expr.TypeWStr, expr.TypeDBDate, expr.TypeNumeric, expr.TypeBool}
			for i, c := range rs.Columns {
				if c.Type != wantTypes[i] {
					t.Errorf("column %s is %s, want %s", c.Name, c.Type, wantTypes[i])
				}
			}
			if len(rs.Rows) != 3 || rs.Rows[1][1].String() != "bob" || rs.Rows[2][0].Type() != expr.TypeI4 {
				t.Errorf("rows %v", rs.Rows)
			}
			if tm, ok := rs.Rows[0][2].Time(); !ok || tm.Year() != 1990 {
				t.Errorf("born %#v", rs.Rows[0][2])
			}
			if b, err := rs.Rows[1][4].Bool(); err != nil || b {
				t.Errorf("ok %#v", rs.Rows[1][4])
			}
			f = db.mustRun(sqlData{source: "SELECT xmlelement(name person, xmlattributes(name AS name)) FROM " + tbl + " ORDER BY id",
				result: "ResultSetType_XML", results: []executesql.Result{{Name: "0", Variable: "User::XML"}}}, nil)
			if got := f.env.Vars["User::XML"].String(); got != `<person name="alice"/><person name="bob"/><person name="carol"/>` {
				t.Errorf("XML %q", got)
			}
			// The server's error, with its SQLSTATE and position.
			_, err := db.run(sqlData{source: "SELECT nothing FROM " + tbl}, nil)
			var se *executesql.SQLError
			var pe *pgconn.PgError
			if !errors.As(err, &se) || !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want an SQLError over a PgError", err, err)
			}
			if pe.Code != "42703" || se.SQLState != "42703" || se.Position != 8 ||
				!strings.Contains(err.Error(), `column "nothing" does not exist`) || !strings.Contains(err.Error(), "SQLSTATE 42703") {
				t.Errorf("error %q (code %s, position %d)", err, pe.Code, se.Position)
			}
			_, err = db.run(sqlData{source: "INSERT INTO " + tbl + " (id, name) VALUES (1, 'again')"}, nil)
			if !errors.As(err, &pe) || pe.Code != "23505" || !strings.Contains(err.Error(), "DETAIL: Key (id)=(1) already exists.") {
				t.Errorf("duplicate key: %v", err)
			}
			// Output parameters are SQL Server's; here they are refused plainly.
			out := []executesql.Parameter{{Name: "1", Variable: "User::X", Direction: executesql.Output, DataType: 4, Size: -1}}
			if named {
				out[0].Name = "@x"
			}
			fo := newFixture(t, conn, sqlData{source: "SELECT @x, ?", params: out}, "X")
			if err := fo.run(t); err == nil || !strings.Contains(err.Error(), "SQL Server only") {
				t.Errorf("output parameter: %v", err)
			}
			// TimeOut ends a statement that takes too long.
			start := time.Now()
			_, err = db.run(sqlData{source: "SELECT pg_sleep(10)", timeout: "1"}, nil)
			if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 8*time.Second {
				t.Errorf("time-out after %v: %v", time.Since(start), err)
			}
		})
	}
}
