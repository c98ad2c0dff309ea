package database_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
)

// TestSQLite opens an ADO.NET SQLite manager on a temporary file, creates
// a table, inserts and selects, in process.
func TestSQLite(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ name, creation, key string }{
		{"ado.net", sqliteN, "Data Source"},
		{"odbc", odbc, "Driver={SQLite3 ODBC Driver};Database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "it's a; test.db")
			m := newManager(t, tc.creation, tc.key+"=\""+file+"\";Foreign Keys=True;", "")
			if ds := m.Validate(); len(ds) > 0 {
				t.Fatal(ds)
			}
			defer m.Close()
			s, err := m.Acquire(ctx, database.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Retained() {
				t.Error("a session retained without RetainSameConnection")
			}
			if _, err := s.Conn.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			for i, n := range []string{"alice", "bob"} {
				if _, err := s.Conn.ExecContext(ctx, `INSERT INTO t (id, name) VALUES (?, ?)`, i+1, n); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Release(); err != nil {
				t.Fatal(err)
			}
			// A new session sees the committed rows in the same file.
			s2, err := m.Acquire(ctx, database.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Release()
			var n int
			var names string
			if err := s2.Conn.QueryRowContext(ctx, `SELECT count(*), group_concat(name, ',') FROM t`).Scan(&n, &names); err != nil {
				t.Fatal(err)
			}
			if n != 2 || names != "alice,bob" {
				t.Errorf("got %d rows %q", n, names)
			}
			var fk int
			if err := s2.Conn.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
				t.Errorf("foreign_keys = %d, %v", fk, err)
			}
		})
	}
}

// TestSQLiteRetainSameConnection checks that a temp table, which lives
// only in its session, survives between acquisitions with
// RetainSameConnection and not without it.
func TestSQLiteRetainSameConnection(t *testing.T) {
	ctx := context.Background()
	for _, retain := range []bool{true, false} {
		name := map[bool]string{true: "retained", false: "not retained"}[retain]
		t.Run(name, func(t *testing.T) {
			extra := ""
			if retain {
				extra = `DTS:Retain="True"`
			}
			m := newManager(t, sqliteN, "Data Source="+filepath.Join(t.TempDir(), "r.db")+";", extra)
			defer m.Close()
			s, err := m.Acquire(ctx, database.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Retained() != retain {
				t.Errorf("Retained = %v", s.Retained())
			}
			if _, err := s.Conn.ExecContext(ctx, `CREATE TEMP TABLE scratch (x)`); err != nil {
				t.Fatal(err)
			}
			s.Release()
			s2, err := m.Acquire(ctx, database.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Release()
			_, err = s2.Conn.ExecContext(ctx, `INSERT INTO scratch VALUES (1)`)
			if retain && err != nil {
				t.Errorf("the temp table did not survive: %v", err)
			}
			if !retain && err == nil {
				t.Error("the temp table survived without RetainSameConnection")
			}
			if retain && s2.Conn != s.Conn {
				t.Error("a retained manager handed out another connection")
			}
		})
	}
}
