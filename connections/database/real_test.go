package database_test

// The real-server suite: with DTSX_REAL_PG=1 these tests reach the
// PostgreSQL that scripts/postgres/start.sh runs on loopback, whose
// settings .ci/run exports (DTSX_PG_HOST, ...). With the flag set, missing
// settings fail the tests; they are never skipped.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/internal/realpg"
)

// loopbackOnly is the fence of the suite.
var loopbackOnly = database.Options{Allow: realpg.Loopback}

// npgsqlCN is the creation name of the suite's ADO.NET Npgsql manager.
const npgsqlCN = "ADO.NET:Npgsql.NpgsqlConnection, Npgsql, Version=4.1.3.0, Culture=neutral, PublicKeyToken=5d8b90d52f46fda7"

// npgsqlString is the Npgsql connection string of the real server that
// logs in with password.
func npgsqlString(env map[string]string, password string) string {
	return realpg.Npgsql(realpg.WithPassword(env, password)) + "Application Name=dtsx-test;"
}

// realRetained returns a manager of the real server that retains its
// session, the server's settings and a context that ends in 30 s; the
// test is skipped when DTSX_REAL_PG is not 1.
func realRetained(t *testing.T) (*database.Manager, map[string]string, context.Context) {
	t.Helper()
	env := realpg.Env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	m := newManager(t, npgsqlCN, npgsqlString(env, env["DTSX_PG_PASSWORD"]), `DTS:Retain="True"`)
	t.Cleanup(func() { m.Close() })
	return m, env, ctx
}

func TestRealPostgres(t *testing.T) {
	m, env, ctx := realRetained(t)
	if ds := m.Validate(); len(ds) > 0 {
		t.Fatal(ds)
	}
	s, err := m.Acquire(ctx, loopbackOnly)
	if err != nil {
		t.Fatal(err)
	}
	var version string
	var num int
	if err := s.Conn.QueryRowContext(ctx, `SELECT version(), current_setting('server_version_num')::int`).Scan(&version, &num); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(version, "PostgreSQL 15.") || num < 150000 || num >= 160000 {
		t.Errorf("server version %q (%d), want PostgreSQL 15", version, num)
	}
	var user, app string
	if err := s.Conn.QueryRowContext(ctx, `SELECT current_user, current_setting('application_name')`).Scan(&user, &app); err != nil {
		t.Fatal(err)
	}
	if user != env["DTSX_PG_USER"] || app != "dtsx-test" {
		t.Errorf("current_user %q, application_name %q", user, app)
	}
	// A statement, and a temp table that the retained session keeps.
	if _, err := s.Conn.ExecContext(ctx, `CREATE TEMP TABLE t (id int, name text)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Conn.ExecContext(ctx, `INSERT INTO t VALUES ($1, $2)`, 1, "alice"); err != nil {
		t.Fatal(err)
	}
	s.Release()
	s2, err := m.Acquire(ctx, loopbackOnly)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	if err := s2.Conn.QueryRowContext(ctx, `SELECT name FROM t WHERE id = $1`, 1).Scan(&name); err != nil || name != "alice" {
		t.Errorf("the retained session lost its temp table: %q, %v", name, err)
	}
}

func TestRealPostgresWrongPassword(t *testing.T) {
	env := realpg.Env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const wrong = "Wr0ng-pa55;word"
	m := newManager(t, "ADO.NET:Npgsql.NpgsqlConnection", npgsqlString(env, `"`+wrong+`"`), "")
	defer m.Close()
	_, err := m.Acquire(ctx, loopbackOnly)
	if err == nil {
		t.Fatal("a wrong password was accepted")
	}
	msg := err.Error()
	if !errors.Is(err, database.ErrConnect) || !strings.Contains(msg, "password authentication failed") ||
		!strings.Contains(msg, `"Db"`) || !strings.Contains(msg, env["DTSX_PG_HOST"]) {
		t.Errorf("error %q: want the manager, the server and the server's reason", msg)
	}
	t.Logf("wrong password: %s", msg)
	if strings.Contains(msg, wrong) || strings.Contains(msg, env["DTSX_PG_PASSWORD"]) {
		t.Errorf("error shows a password: %q", msg)
	}
	// The right password set as the SSIS Password property logs in.
	if err := m.SetProperty("Password", env["DTSX_PG_PASSWORD"]); err != nil {
		t.Fatal(err)
	}
	s, err := m.Acquire(ctx, loopbackOnly)
	if err != nil {
		t.Fatalf("after SetProperty(Password): %v", err)
	}
	s.Release()
}

func TestRealPostgresODBC(t *testing.T) {
	env := realpg.Env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The 64-bit driver's name, as packages saved on 64-bit Windows have it.
	cs := strings.Replace(realpg.ODBC(env), "{PostgreSQL Unicode}", "{PostgreSQL Unicode(x64)}", 1)
	m := newManager(t, "ODBC", cs, "")
	defer m.Close()
	db, err := m.Open(ctx, loopbackOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var one int
	if err := db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil || one != 1 {
		t.Errorf("SELECT 1 = %d, %v", one, err)
	}
}
