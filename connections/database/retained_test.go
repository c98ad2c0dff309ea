package database_test

import (
	"testing"
	"time"
)

// TestRetainedSessionIdlePing (real PostgreSQL): a retained session used
// within the last half minute is handed out again with no round trip, so a
// statement in a loop costs one round trip, not two; one idle for longer
// is pinged first, and a session the server ended is replaced by a new one.
func TestRetainedSessionIdlePing(t *testing.T) {
	m, env, ctx := realRetained(t)
	pid := func() int {
		t.Helper()
		s, err := m.Acquire(ctx, loopbackOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Release()
		var n int
		if err := s.Conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&n); err != nil {
			return -1
		}
		return n
	}
	first := pid()
	if first <= 0 {
		t.Fatalf("backend pid %d", first)
	}
	if again := pid(); again != first {
		t.Fatalf("the retained session changed: backend %d, then %d", first, again)
	}
	killer := newManager(t, "ADO.NET:Npgsql.NpgsqlConnection, Npgsql", npgsqlString(env, env["DTSX_PG_PASSWORD"]), "")
	defer killer.Close()
	kill := func(backend int) {
		t.Helper()
		k, err := killer.Acquire(ctx, loopbackOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer k.Release()
		if _, err := k.Conn.ExecContext(ctx, "SELECT pg_terminate_backend($1)", backend); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Idle past the limit: the ping finds the ended session gone and a new
	// one is made.
	kill(first)
	m.AgeRetained(time.Minute)
	second := pid()
	if second <= 0 || second == first {
		t.Fatalf("after the idle ping: backend %d, want a new session (not %d)", second, first)
	}
	// Used within the limit: no ping, so the next statement meets the
	// ended session (as a task would in SSIS too) ...
	kill(second)
	if got := pid(); got != -1 {
		t.Fatalf("a recently used session was pinged (backend %d): want the ended session handed out with no round trip", got)
	}
	// ... and the driver, having seen it fail, says so: the next
	// acquisition makes a new session without a ping.
	if got := pid(); got <= 0 || got == second {
		t.Fatalf("after the failure: backend %d, want a new session (not %d)", got, second)
	}
}
