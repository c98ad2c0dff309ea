package executesql_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// sqliteConns are the two SQLite connection types of a database file: an
// ADO.NET one (@name markers) and an ODBC one (? markers named 1, 2, ...).
func sqliteConns(t *testing.T) map[string]string {
	db := filepath.Join(t.TempDir(), "it's.db")
	return map[string]string{
		"ado.net": dbConn(adoSQLite, `Data Source="`+db+`";`),
		"odbc":    dbConn("ODBC", `Driver={SQLite3 ODBC Driver};Database="`+db+`";`),
	}
}

// TestSQLiteEndToEnd runs the task against an SQLite file, in process:
// create a table, insert rows with parameters, read a single row into
// variables (by column name and by ordinal), a full result set into an
// Object variable, and a failing statement's error text.
func TestSQLiteEndToEnd(t *testing.T) {
	for _, kind := range []string{"ado.net", "odbc"} {
		t.Run(kind, func(t *testing.T) {
			conn := sqliteConns(t)[kind]
			named := kind == "ado.net"
			db := runner{t: t, conn: conn}
			db.mustRun(sqlData{source: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born DATE, score NUMERIC(9,2), note TEXT);\n" +
				"-- a comment with a ? and @name in it\nCREATE INDEX people_name ON people(name)"}, nil)
			insert := "INSERT INTO people (id, name, born, score, note) VALUES (?, ?, ?, ?, '? stays, @name too')"
			params := []executesql.Parameter{
				{Name: "1", Variable: "User::ID", DataType: 4, Size: -1},    // SQL_INTEGER
				{Name: "2", Variable: "User::Name", DataType: -9, Size: -1}, // SQL_WVARCHAR
				{Name: "3", Variable: "User::Born", DataType: 93, Size: -1}, // SQL_TYPE_TIMESTAMP
				{Name: "4", Variable: "User::Score", DataType: 3, Size: -1}, // SQL_DECIMAL
			}
			if named {
				insert = "INSERT INTO people (id, name, born, score, note) VALUES (@id, @name, @born, @score, '? stays, @name too')"
				params = []executesql.Parameter{
					{Name: "@name", Variable: "User::Name", DataType: 16, Size: -1},  // String
					{Name: "@id", Variable: "User::ID", DataType: 11, Size: -1},      // Int32
					{Name: "@born", Variable: "User::Born", DataType: 6, Size: -1},   // DateTime
					{Name: "@score", Variable: "User::Score", DataType: 7, Size: -1}, // Decimal
				}
			}
			for i, n := range []string{"alice", "bob", "carol"} {
				score, _ := expr.FromDataType(14, []string{"12.50", "7.25", "99.99"}[i])
				f := db.mustRun(sqlData{source: insert, params: params}, map[string]expr.Value{
					"User::ID": expr.I4(int32(i + 1)), "User::Name": expr.Str(n),
					"User::Born": expr.Date(time.Date(1990+i, 1, 2, 0, 0, 0, 0, time.UTC)), "User::Score": score,
				})
				if len(f.env.Infos) != 1 || !strings.HasSuffix(f.env.Infos[0], "(SQLite): 1 rows affected") {
					t.Errorf("information %q", f.env.Infos)
				}
			}
			// A single row, bound by name and by ordinal.
			f := db.mustRun(sqlData{source: "SELECT count(*) AS n, max(name) AS last, sum(score) AS total FROM people", result: "ResultSetType_SingleRow",
				results: []executesql.Result{{Name: "N", Variable: "User::Count"}, {Name: "1", Variable: "User::Last"}}}, nil)
			if v := f.env.Vars["User::Count"]; v.String() != "3" {
				t.Errorf("User::Count = %#v, want 3", v)
			}
			if v := f.env.Vars["User::Last"]; v.String() != "carol" {
				t.Errorf("User::Last = %#v, want carol", v)
			}
			// The note column kept its literal: the markers in it were not markers.
			f = db.mustRun(sqlData{source: "SELECT note FROM people WHERE id = 2", result: "ResultSetType_SingleRow",
				results: []executesql.Result{{Name: "0", Variable: "User::Note"}}}, nil)
			if v := f.env.Vars["User::Note"]; v.String() != "? stays, @name too" {
				t.Errorf("note = %#v", v)
			}
			// The full result set.
			f = db.mustRun(sqlData{source: "SELECT id, name, born, note IS NULL AS nonote FROM people ORDER BY id", result: "ResultSetType_Rowset",
				results: []executesql.Result{{Name: "0", Variable: "User::Rows"}}}, nil)
			rs := fullResult(t, f.env.Vars["User::Rows"], named)
			if got := rs.String(); got != "rowset (id, name, born, nonote): 3 rows" {
				t.Errorf("rowset %s", got)
			}
			if rs.Columns[0].Type != expr.TypeI8 || rs.Columns[1].Type != expr.TypeWStr {
				t.Errorf("column types %v", rs.Columns)
			}
			if v := rs.Rows[1][1]; v.String() != "bob" {
				t.Errorf("row 2 name %#v", v)
			}
			if v := rs.Rows[2][0]; v.Type() != expr.TypeI8 || v.String() != "3" {
				t.Errorf("row 3 id %#v", v)
			}
			// No row for a single row result fails, as in SSIS.
			_, err := db.run(sqlData{source: "SELECT name FROM people WHERE id = 42", result: "ResultSetType_SingleRow",
				results: []executesql.Result{{Name: "0", Variable: "User::X"}}}, nil)
			if !errors.Is(err, executesql.ErrNoRows) {
				t.Errorf("no row: %v", err)
			}
			// A failing statement says what the server said.
			_, err = db.run(sqlData{source: "INSERT INTO nowhere VALUES (1)"}, nil)
			var se *executesql.SQLError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want an SQLError", err, err)
			}
			if !strings.Contains(err.Error(), `Executing the query "INSERT INTO nowhere VALUES (1)" failed with the following error:`) ||
				!strings.Contains(err.Error(), "no such table: nowhere") || se.Number != 1 {
				t.Errorf("error text %q, number %d", err, se.Number)
			}
			// A value that does not convert to its parameter's type.
			_, err = db.run(sqlData{source: insert, params: params}, map[string]expr.Value{
				"User::ID": expr.Str("four"), "User::Name": expr.Str("dave"), "User::Born": expr.Null(expr.TypeDate), "User::Score": expr.Null(expr.TypeDecimal)})
			if !errors.Is(err, executesql.ErrConvert) || !strings.Contains(err.Error(), `"four"`) {
				t.Errorf("conversion error %v", err)
			}
		})
	}
}

// TestSQLiteSources reads the statement from a variable and from a File
// connection, and returns an XML result as the text of its one column.
func TestSQLiteSources(t *testing.T) {
	conn := sqliteConns(t)["ado.net"]
	path := filepath.Join(t.TempDir(), "q.sql")
	if err := os.WriteFile(path, []byte("\xEF\xBB\xBFSELECT 'from a file' AS s"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, conn+fileConn(path), sqlData{source: "SQLFile", sourceType: "FileConnection", result: "ResultSetType_SingleRow",
		results: []executesql.Result{{Name: "s", Variable: "User::S"}}})
	if err := f.run(t); err != nil {
		t.Fatal(err)
	}
	if got := f.env.Vars["User::S"].String(); got != "from a file" {
		t.Errorf("file statement gave %q", got)
	}
	f = newFixture(t, conn, sqlData{source: "User::Query", sourceType: "Variable", result: "ResultSetType_XML",
		results: []executesql.Result{{Name: "0", Variable: "User::XML"}}})
	f.env.Vars["User::Query"] = expr.Str("SELECT '<a>' || 1 || '</a>' UNION ALL SELECT '<b/>'")
	if err := f.run(t); err != nil {
		t.Fatal(err)
	}
	if got := f.env.Vars["User::XML"].String(); got != "<a>1</a><b/>" {
		t.Errorf("XML %q", got)
	}
}

// TestSQLiteTimeOut: TimeOut ends a statement that runs too long, and the
// run's context cancels one.
func TestSQLiteTimeOut(t *testing.T) {
	endless := "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
	f := newFixture(t, sqliteConns(t)["odbc"], sqlData{source: endless, timeout: "1"})
	start := time.Now()
	err := f.run(t)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "TimeOut (1 seconds)") {
		t.Errorf("time-out: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the time-out took %v", d)
	}
	f = newFixture(t, sqliteConns(t)["odbc"], sqlData{source: endless})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := f.task.Execute(ctx, f.env); err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("cancel: %v", err)
	}
}

// TestSQLiteTypeConversionMode: with TypeConversionMode None a single-row
// value of another type than its variable's fails the task; with Allowed
// it is handed to the variable to convert.
func TestSQLiteTypeConversionMode(t *testing.T) {
	conn := sqliteConns(t)["ado.net"]
	for _, tt := range []struct {
		mode string
		fail bool
	}{{"None", true}, {"Allowed", false}} {
		t.Run(tt.mode, func(t *testing.T) {
			f := newFixture(t, conn, sqlData{source: "SELECT 42 AS n", result: "ResultSetType_SingleRow",
				extra:   `SQLTask:TypeConversionMode="` + tt.mode + `"`,
				results: []executesql.Result{{Name: "n", Variable: "User::Small"}}})
			f.env.Vars["User::Small"] = expr.I4(0)
			err := f.run(t)
			if tt.fail != errors.Is(err, executesql.ErrTypeMismatch) {
				t.Fatalf("TypeConversionMode %s: %v", tt.mode, err)
			}
			if !tt.fail && f.env.Vars["User::Small"].String() != "42" {
				t.Errorf("User::Small = %#v", f.env.Vars["User::Small"])
			}
		})
	}
}

// TestSQLiteRetainSameConnection: with RetainSameConnection a temp table
// made by one task is there for the next, on the same session; without
// it each task has a connection of its own, and the table is gone.
func TestSQLiteRetainSameConnection(t *testing.T) {
	for _, retain := range []bool{true, false} {
		t.Run(fmt.Sprintf("Retain=%v", retain), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "retain.db")
			conn := tasktest.Connection("DB", adoSQLite, dbID,
				fmt.Sprintf(`<DTS:ConnectionManager DTS:Retain="%v" DTS:ConnectionString="Data Source=%s;"/>`, retain, db))
			f := newFixture(t, conn, sqlData{source: "CREATE TEMP TABLE scratch (x INTEGER); INSERT INTO scratch VALUES (7)"})
			if err := f.run(t); err != nil {
				t.Fatal(err)
			}
			// The second task runs on the same manager (the same env).
			_, x := tasktest.Package(t, conn, tasktest.Task{Name: "Read", Type: "Microsoft.ExecuteSQLTask",
				Data: sqlData{source: "SELECT x FROM scratch", result: "ResultSetType_SingleRow",
					results: []executesql.Result{{Name: "0", Variable: "User::X"}}}.xml()})
			read, _ := executesql.New(x)
			err := read.(*executesql.Task).Execute(context.Background(), f.env)
			switch {
			case retain && (err != nil || f.env.Vars["User::X"].String() != "7"):
				t.Errorf("retained session: %v, X = %#v", err, f.env.Vars["User::X"])
			case !retain && (err == nil || !strings.Contains(err.Error(), "no such table: scratch")):
				t.Errorf("a new connection per task: %v", err)
			}
		})
	}
}
