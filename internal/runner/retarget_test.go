package runner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/realpg"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// retargeted applies the overrides to a package whose OLE DB manager
// Warehouse is on SQL Server, builds it as the runner does and returns
// the manager.
func retargeted(t *testing.T, overrides ...Override) (*dtsx.Package, *database.Manager) {
	t.Helper()
	rp := dbPackage(t, "sql01")
	pkg := rp.Def
	job := Job{Logger: zaptest.NewLogger(t), Overrides: overrides}
	for _, o := range overrides {
		if _, err := applyOverride(pkg, nil, o, map[string]string{}, job); err != nil {
			t.Fatal(err)
		}
	}
	return pkg, warehouse(t, job, runtime.Build(pkg, runtime.Options{}))
}

func set(t *testing.T, path, value string) Override {
	t.Helper()
	p, err := override.ParsePath(path)
	if err != nil {
		t.Fatal(err)
	}
	return Override{Set: &Set{Path: p, Value: value}}
}

// TestRetargetToSQLite: --conn 'Warehouse;Provider=System.Data.SQLite;Data
// Source=FILE' moves the OLE DB SQL Server manager to the embedded SQLite,
// which the run then reaches (in process, through the fence).
func TestRetargetToSQLite(t *testing.T) {
	file := filepath.Join(t.TempDir(), "warehouse.db")
	_, m := retargeted(t, Override{Conn: &Conn{Name: "Warehouse", ConnectionString: "Provider=System.Data.SQLite;Data Source=" + file + ";"}})
	if ds := m.Validate(); len(ds) > 0 {
		t.Fatalf("diagnostics %v", ds)
	}
	if k, f := m.Config().Provider.Kind, m.Config().Provider.Family; k != database.KindOLEDB || f != database.FamilySQLite {
		t.Fatalf("provider %v %v", k, f)
	}
	ctx := context.Background()
	s, err := m.Acquire(ctx, m.Run)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var v string
	if err := s.Conn.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil || v == "" {
		t.Fatalf("sqlite_version: %q, %v", v, err)
	}
	s.Release()
	if _, err := os.Stat(file); err != nil {
		t.Errorf("the database file: %v", err)
	}
}

// TestRetargetToPostgres (DTSX_REAL_PG=1): --conn to Provider=Npgsql with
// a wrong server, user and password, then /Set of ServerName,
// InitialCatalog, UserName and Password as Npgsql spells them: the run
// reaches the real server with the values /Set gave, and the password
// shows nowhere (the connection string of the manager, its errors, the
// console of a run).
func TestRetargetToPostgres(t *testing.T) {
	env := realpg.Env(t)
	const prefix = `\Package.Connections[Warehouse].Properties[`
	overrides := []Override{
		{Conn: &Conn{Name: "Warehouse", ConnectionString: "Provider=Npgsql;Host=localhost;Port=" + env["DTSX_PG_PORT"] +
			";Database=nope;Username=nobody;Password=wrong-pw;SSL Mode=Disable;Timeout=10;"}},
		set(t, prefix+"ServerName]", env["DTSX_PG_HOST"]),
		set(t, prefix+"InitialCatalog]", env["DTSX_PG_DATABASE"]),
		set(t, prefix+"UserName]", env["DTSX_PG_USER"]),
		set(t, prefix+"Password]", env["DTSX_PG_PASSWORD"]),
	}
	pkg, m := retargeted(t, overrides...)
	cfg := m.Config()
	if cfg.Host != env["DTSX_PG_HOST"] || cfg.User != env["DTSX_PG_USER"] || cfg.Database != env["DTSX_PG_DATABASE"] {
		t.Errorf("settings %s", cfg)
	}
	for _, shown := range []string{cfg.String(), m.String(), fmt.Sprint(cfg)} {
		if strings.Contains(shown, env["DTSX_PG_PASSWORD"]) {
			t.Errorf("the password shows in %q", shown)
		}
	}
	if !strings.Contains(pkg.Connections[0].ConnectionString, "Username="+env["DTSX_PG_USER"]) {
		t.Errorf("the persisted connection string lacks Npgsql's Username: %s", cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := m.Acquire(ctx, m.Run)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var v string
	if err := s.Conn.QueryRowContext(ctx, "SELECT version()").Scan(&v); err != nil || !strings.HasPrefix(v, "PostgreSQL") {
		t.Fatalf("version(): %q, %v", v, err)
	}
	s.Release()

	// A validating run with the same command line never shows the password.
	dir := t.TempDir()
	file := filepath.Join(dir, "fenced.dtsx")
	var b bytes.Buffer
	if _, err := dbPackage(t, "sql01").Def.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := runJob(t, Job{File: file, Overrides: overrides, ValidateOnly: true, Logger: zaptest.NewLogger(t)})
	if code != ExitSuccess {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, env["DTSX_PG_PASSWORD"]) || strings.Contains(out, "wrong-pw") {
		t.Errorf("the password shows in:\n%s", out)
	}
}
