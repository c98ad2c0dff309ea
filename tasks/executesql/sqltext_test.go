package executesql_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// TestSplitBatches: a GO line (alone, any case, with an optional count
// and comment) splits a SQL Server statement; GO inside a string, a
// bracketed name or a comment, or with other text on its line, does not.
func TestSplitBatches(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		fam  database.Family
		want []executesql.Batch
	}{
		{"none", "SELECT 1", database.FamilySQLServer, []executesql.Batch{{"SELECT 1", 1}}},
		{"two", "SELECT 1\nGO\nSELECT 2", database.FamilySQLServer, []executesql.Batch{{"SELECT 1\n", 1}, {"SELECT 2", 1}}},
		{"lower case, spaces, CRLF", "SELECT 1\r\n  go  \r\nSELECT 2\r\n", database.FamilySQLServer,
			[]executesql.Batch{{"SELECT 1\r\n", 1}, {"SELECT 2\r\n", 1}}},
		{"count", "INSERT t VALUES (1)\nGO 3\n", database.FamilySQLServer, []executesql.Batch{{"INSERT t VALUES (1)\n", 3}}},
		{"comment after", "SELECT 1\nGO -- next\nSELECT 2", database.FamilySQLServer, []executesql.Batch{{"SELECT 1\n", 1}, {"SELECT 2", 1}}},
		{"empty batches dropped", "GO\nSELECT 1\nGO\n\nGO\n", database.FamilySQLServer, []executesql.Batch{{"SELECT 1\n", 1}}},
		{"in a string", "SELECT 'a\nGO\nb'", database.FamilySQLServer, []executesql.Batch{{"SELECT 'a\nGO\nb'", 1}}},
		{"in a block comment", "/* x\nGO\n*/ SELECT 1", database.FamilySQLServer, []executesql.Batch{{"/* x\nGO\n*/ SELECT 1", 1}}},
		{"in a nested comment", "/* /* x */\nGO\n*/ SELECT 1", database.FamilySQLServer, []executesql.Batch{{"/* /* x */\nGO\n*/ SELECT 1", 1}}},
		{"in brackets", "SELECT [a\nGO\nb] FROM t", database.FamilySQLServer, []executesql.Batch{{"SELECT [a\nGO\nb] FROM t", 1}}},
		{"not alone", "SELECT 1\nGO SELECT 2\nGOTO x", database.FamilySQLServer, []executesql.Batch{{"SELECT 1\nGO SELECT 2\nGOTO x", 1}}},
		{"doubled quote", "SELECT 'it''s'\nGO\nSELECT 2", database.FamilySQLServer, []executesql.Batch{{"SELECT 'it''s'\n", 1}, {"SELECT 2", 1}}},
		{"PostgreSQL has no GO", "SELECT 1\nGO\nSELECT 2", database.FamilyPostgreSQL, []executesql.Batch{{"SELECT 1\nGO\nSELECT 2", 1}}},
		{"SQLite has no GO", "SELECT 1\nGO\n", database.FamilySQLite, []executesql.Batch{{"SELECT 1\nGO\n", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := executesql.SplitBatches(tt.sql, tt.fam); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitBatches(%q) = %+v, want %+v", tt.sql, got, tt.want)
			}
		})
	}
}

// TestRewrite: markers become the driver's, and only outside string
// literals, quoted identifiers and comments (Parameters and Return Codes
// in the Execute SQL Task: ? for OLE DB and ODBC, @name for ADO.NET).
func TestRewrite(t *testing.T) {
	bound := map[string]bool{"id": true, "name": true}
	tests := []struct {
		name    string
		fam     database.Family
		named   bool
		sql     string
		want    string
		markers int
		names   []string
	}{
		{"mssql ?", database.FamilySQLServer, false, "SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = @p1 AND b = @p2", 2, nil},
		{"pg ?", database.FamilyPostgreSQL, false, "UPDATE t SET a = ? WHERE b = ?", "UPDATE t SET a = $1 WHERE b = $2", 2, nil},
		{"sqlite ?", database.FamilySQLite, false, "INSERT INTO t VALUES (?, ?)", "INSERT INTO t VALUES (?1, ?2)", 2, nil},
		{"? in literals", database.FamilySQLServer, false, "SELECT '?', N'?''?', \"?\", [?] FROM t WHERE a = ?", "SELECT '?', N'?''?', \"?\", [?] FROM t WHERE a = @p1", 1, nil},
		{"? in comments", database.FamilyPostgreSQL, false, "-- why?\nSELECT /* ? /* ? */ ? */ ?", "-- why?\nSELECT /* ? /* ? */ ? */ $1", 1, nil},
		{"pg dollar quotes", database.FamilyPostgreSQL, false, "SELECT $$ ? $1 $$, $fn$ it's ? $fn$, ?", "SELECT $$ ? $1 $$, $fn$ it's ? $fn$, $1", 1, nil},
		{"pg E string", database.FamilyPostgreSQL, false, `SELECT E'a\' ?', ?`, `SELECT E'a\' ?', $1`, 1, nil},
		{"pg $1 left alone", database.FamilyPostgreSQL, false, "SELECT $1::int", "SELECT $1::int", 0, nil},
		{"sqlite backquotes", database.FamilySQLite, false, "SELECT `?` FROM t WHERE a = ?", "SELECT `?` FROM t WHERE a = ?1", 1, nil},
		{"mssql @name kept", database.FamilySQLServer, true, "SELECT @id, @@ROWCOUNT, @other, '@name'", "SELECT @id, @@ROWCOUNT, @other, '@name'", 1, []string{"id"}},
		{"pg @name numbered", database.FamilyPostgreSQL, true, "SELECT @name, @id, @Name, a @> b, '@id'", "SELECT $1, $2, $1, a @> b, '@id'", 2, []string{"name", "id"}},
		{"sqlite @name numbered", database.FamilySQLite, true, "INSERT INTO t VALUES (@id, @name) -- @id", "INSERT INTO t VALUES (?1, ?2) -- @id", 2, []string{"id", "name"}},
		{"email is not a marker", database.FamilyPostgreSQL, true, "SELECT 'a' || x@name", "SELECT 'a' || x@name", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, markers := executesql.Rewrite(tt.sql, tt.fam, tt.named, bound)
			if got != tt.want || len(markers) != tt.markers {
				t.Errorf("Rewrite(%q) = %q with %d markers, want %q with %d", tt.sql, got, len(markers), tt.want, tt.markers)
			}
			var names []string
			for _, m := range markers {
				if m.Name != "" {
					names = append(names, strings.ToLower(m.Name))
				}
			}
			if tt.names != nil && !reflect.DeepEqual(names, tt.names) {
				t.Errorf("marker names %q, want %q", names, tt.names)
			}
		})
	}
}

// TestMaskStatement: password literals of a statement are not shown.
func TestMaskStatement(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"CREATE LOGIN x WITH PASSWORD = 'S3cret!'", "CREATE LOGIN x WITH PASSWORD = '********'"},
		{"ALTER ROLE r PASSWORD 'it''s'", "ALTER ROLE r PASSWORD '********'"},
		{"alter login x with password=N'p'", "alter login x with password=N'********'"},
		{"SELECT 'password'", "SELECT 'password'"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := executesql.MaskStatement(tt.in); got != tt.want {
				t.Errorf("MaskStatement(%q) = %q", tt.in, got)
			}
		})
	}
}
