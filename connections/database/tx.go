package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Errors of Begin, Commit and Rollback.
var (
	// ErrNotRetained is matched when a local transaction is asked of a
	// manager without RetainSameConnection: each task would get its own
	// session, which only a distributed transaction can join.
	ErrNotRetained = errors.New("database: a local transaction needs RetainSameConnection=True")
	// ErrTxLost is matched when the retained session a transaction began
	// on was closed or replaced before it ended (new settings, a broken
	// connection): the server rolled its work back.
	ErrTxLost = errors.New("database: the session of the transaction was lost")
	// ErrTxDone is matched when a transaction already ended.
	ErrTxDone = errors.New("database: the transaction has already ended")
)

// Tx is a local transaction on a manager's retained session. It is begun
// and ended with statements on the session itself (BEGIN TRANSACTION,
// COMMIT TRANSACTION, ROLLBACK TRANSACTION, which SQL Server, PostgreSQL
// and SQLite all accept), not with database/sql's Tx: the tasks acquire the
// session from the manager and run their statements on its Conn, and so,
// with nothing else to change, inside the transaction.
type Tx struct {
	m    *Manager
	conn *sql.Conn
	cfg  *Config
	done bool
}

// Begin acquires the retained session (see Acquire) and begins a
// transaction on it. The manager must have RetainSameConnection: without it,
// ErrNotRetained.
func (m *Manager) Begin(ctx context.Context, opts Options) (*Tx, error) {
	if !m.RetainSameConnection() {
		return nil, fmt.Errorf("connection manager %q: %w", m.Def.Name, ErrNotRetained)
	}
	s, err := m.Acquire(ctx, opts)
	if err != nil {
		return nil, err
	}
	if _, err := s.Conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, m.txError(s.Config, "BEGIN TRANSACTION", err)
	}
	return &Tx{m: m, conn: s.Conn, cfg: s.Config}, nil
}

// txError wraps a failed transaction statement with the manager and the
// driver's message, without the password.
func (m *Manager) txError(cfg *Config, stmt string, err error) error {
	return &scrubbedError{msg: fmt.Sprintf("connection manager %q (%s, %s): %s: %s", m.Def.Name, cfg.Provider.Family, cfg.Server(),
		stmt, scrub(err.Error(), cfg)), err: err}
}

// current reports whether the transaction's session is still the one the
// manager retains.
func (t *Tx) current() bool {
	t.m.poolMu.Lock()
	defer t.m.poolMu.Unlock()
	return t.m.kept == t.conn
}

// Commit commits the transaction. If its session was lost meanwhile the
// server has rolled the work back, and the error (ErrTxLost) says so.
func (t *Tx) Commit(ctx context.Context) error {
	if t.done {
		return ErrTxDone
	}
	t.done = true
	if !t.current() {
		return fmt.Errorf("connection manager %q: %w before the commit: the server rolled its statements back", t.m.Def.Name, ErrTxLost)
	}
	if _, err := t.conn.ExecContext(ctx, "COMMIT TRANSACTION"); err != nil {
		return t.m.txError(t.cfg, "COMMIT TRANSACTION", err)
	}
	return nil
}

// Rollback rolls the transaction back. A transaction the server already
// ended (SQL Server's XACT_ABORT, SQLite's ON CONFLICT ROLLBACK), or whose
// session was lost, is rolled back already: that is not an error. When the
// statement fails, the session is closed, which rolls back too.
func (t *Tx) Rollback(ctx context.Context) error {
	if t.done {
		return ErrTxDone
	}
	t.done = true
	if !t.current() {
		return nil
	}
	stmt := "ROLLBACK TRANSACTION"
	if t.cfg.Provider.Family == FamilySQLServer {
		stmt = "IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION"
	}
	if _, err := t.conn.ExecContext(ctx, stmt); err != nil {
		if t.cfg.Provider.Family == FamilySQLite && strings.Contains(err.Error(), "no transaction is active") {
			return nil
		}
		t.discard()
		return fmt.Errorf("%w (the session was closed, which rolls the transaction back)", t.m.txError(t.cfg, "ROLLBACK TRANSACTION", err))
	}
	return nil
}

// discard closes the transaction's session, if the manager still retains
// it, so that no later statement runs inside a transaction that could not
// be rolled back: the server rolls it back when the session ends.
func (t *Tx) discard() {
	t.m.poolMu.Lock()
	defer t.m.poolMu.Unlock()
	if t.m.kept == t.conn {
		t.m.kept.Close()
		t.m.kept = nil
	}
}
