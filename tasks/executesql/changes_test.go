package executesql

import (
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
)

func TestChangesRows(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		fam  database.Family
		want bool
	}{
		{"INSERT INTO t VALUES (1)", database.FamilySQLite, true},
		{"  -- load\n/* rows */ update t SET a = 1", database.FamilySQLite, true},
		{"WITH x AS (SELECT 1) DELETE FROM t", database.FamilySQLite, true},
		{"REPLACE INTO t VALUES (1)", database.FamilySQLite, true},
		{"DROP TABLE IF EXISTS t", database.FamilySQLite, false},
		{"CREATE TABLE t (a int)", database.FamilySQLite, false},
		{"-- INSERT in a comment\nCREATE TABLE t (a int)", database.FamilySQLite, false},
		{"", database.FamilySQLite, false},
		{"DROP TABLE t", database.FamilyPostgreSQL, true},
		{"CREATE TABLE t (a int)", database.FamilySQLServer, true},
	} {
		if got := changesRows(tc.sql, tc.fam); got != tc.want {
			t.Errorf("changesRows(%q, %v) = %v, want %v", tc.sql, tc.fam, got, tc.want)
		}
	}
}
