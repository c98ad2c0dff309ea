package database_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
)

// txCase runs the transaction suite on a retained manager m whose database
// has a table (n int) named table: statements on sessions acquired after Begin are
// covered by it, a rollback leaves none of them, a commit keeps them.
func txCase(t *testing.T, m *database.Manager, opts database.Options, table string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	count := func() int {
		t.Helper()
		s, err := m.Acquire(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Release()
		var n int
		if err := s.Conn.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	insert := func(n int) {
		t.Helper()
		s, err := m.Acquire(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Release()
		if _, err := s.Conn.ExecContext(ctx, `INSERT INTO `+table+` (n) VALUES ($1)`, n); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("rollback leaves no row", func(t *testing.T) {
		before := count()
		tx, err := m.Begin(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		insert(1)
		insert(2)
		if got := count(); got != before+2 {
			t.Errorf("inside the transaction %d rows, want %d", got, before+2)
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != before {
			t.Errorf("after the rollback %d rows, want %d", got, before)
		}
		if err := tx.Commit(ctx); !errors.Is(err, database.ErrTxDone) {
			t.Errorf("commit after rollback: %v, want ErrTxDone", err)
		}
	})
	t.Run("commit keeps the rows", func(t *testing.T) {
		before := count()
		tx, err := m.Begin(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		insert(3)
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != before+1 {
			t.Errorf("after the commit %d rows, want %d", got, before+1)
		}
	})
	t.Run("new settings lose the session", func(t *testing.T) {
		before := count()
		tx, err := m.Begin(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		insert(4)
		// The same settings written anew: a new pool all the same, as
		// a property expression that sets ConnectionString would do.
		cs := m.Config().ConnectionString()
		if err := m.SetConnectionString(cs + ";"); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != before {
			t.Errorf("after the session was lost %d rows, want %d", got, before)
		}
		if err := tx.Commit(ctx); !errors.Is(err, database.ErrTxLost) {
			t.Errorf("commit: %v, want ErrTxLost", err)
		}
	})
}

// TestSQLiteTx runs the transaction suite on SQLite, and refuses a manager
// without RetainSameConnection.
func TestSQLiteTx(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tx.db")
	m := newManager(t, sqliteN, "Data Source="+path+";", `DTS:Retain="True"`)
	defer m.Close()
	ctx := context.Background()
	s, err := m.Acquire(ctx, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Conn.ExecContext(ctx, `CREATE TABLE tx_t (n int)`); err != nil {
		t.Fatal(err)
	}
	txCase(t, m, database.Options{}, "tx_t")

	plain := newManager(t, sqliteN, "Data Source="+path+";", "")
	defer plain.Close()
	if _, err := plain.Begin(ctx, database.Options{}); !errors.Is(err, database.ErrNotRetained) {
		t.Errorf("Begin without RetainSameConnection: %v, want ErrNotRetained", err)
	}
}

// TestRealPostgresTx runs the transaction suite on the real server, and
// checks that a failed statement (which leaves a PostgreSQL transaction
// aborted) does not lose the session: the rollback ends it, and the
// session works afterwards.
func TestRealPostgresTx(t *testing.T) {
	m, _, ctx := realRetained(t)
	s, err := m.Acquire(ctx, loopbackOnly)
	if err != nil {
		t.Fatal(err)
	}
	// A table of this test only: tests of other packages may share the
	// server.
	table := fmt.Sprintf("dtsx_tx_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := s.Conn.ExecContext(ctx, `CREATE TABLE `+table+` (n int)`); err != nil {
		t.Fatal(err)
	}
	defer func() {
		s, err := m.Acquire(context.Background(), loopbackOnly)
		if err == nil {
			s.Conn.ExecContext(context.Background(), `DROP TABLE `+table)
		}
	}()
	txCase(t, m, loopbackOnly, table)

	s, err = m.Acquire(ctx, loopbackOnly)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Conn.ExecContext(ctx, `CREATE TEMP TABLE tx_u (n int)`); err != nil {
		t.Fatal(err)
	}
	tx, err := m.Begin(ctx, loopbackOnly)
	if err != nil {
		t.Fatal(err)
	}
	s, _ = m.Acquire(ctx, loopbackOnly)
	if _, err := s.Conn.ExecContext(ctx, `INSERT INTO tx_u VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Conn.ExecContext(ctx, `INSERT INTO tx_u VALUES ('not a number')`); err == nil {
		t.Fatal("the failing statement succeeded")
	}
	s2, err := m.Acquire(ctx, loopbackOnly)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Conn != s.Conn {
		t.Error("the aborted transaction's session was replaced")
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s2.Conn.QueryRowContext(ctx, `SELECT count(*) FROM tx_u`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after the rollback: %d rows, %v; want 0", n, err)
	}
}
