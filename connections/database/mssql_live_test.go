package database_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/dtsx-run/dtsx/connections/database"
)

// Environment of the SQL Server live suite.
const (
	// envMSSQLDSN is a SQL Server connection string in SSIS form (OLE DB
	// with Provider=, or else ADO.NET SqlClient keywords), such as
	// "Data Source=db.corp.example,1433;Provider=MSOLEDBSQL;User ID=dtsx;Password=…;TrustServerCertificate=True"
	// or, for a Windows login, "…;Integrated Security=SSPI".
	envMSSQLDSN = "DTSX_MSSQL_DSN"
	// envMSSQLCredentials names a credentials file for a Windows login
	// (the DTSX_DB_ variables are read as well).
	envMSSQLCredentials = "DTSX_MSSQL_CREDENTIALS"
	// envMSSQLAllow lists other hosts the suite may reach, comma
	// separated: the KDCs of a Kerberos login.
	envMSSQLAllow = "DTSX_MSSQL_ALLOW"
)

// TestLiveSQLServer is the SQL Server live suite: it opens the manager of
// DTSX_MSSQL_DSN, reads @@VERSION and the connection's auth_scheme (which
// must be the login Login chose), runs a parameterised query, and checks
// that a failing statement reports the server's error number and line.
// No SQL Server runs on the machines this project is built on, so without
// DTSX_MSSQL_DSN the suite reports that it did not run.
func TestLiveSQLServer(t *testing.T) {
	dsn := os.Getenv(envMSSQLDSN)
	if dsn == "" {
		t.Skip(envMSSQLDSN + " is not set: the SQL Server live suite did not run (set it to an SSIS connection string of a SQL Server to run it)")
	}
	creation := "ADO.NET:System.Data.SqlClient.SqlConnection, System.Data"
	if strings.Contains(strings.ToLower(dsn), "provider=") {
		creation = "OLEDB"
	}
	m := newManager(t, creation, dsn, "")
	cfg := m.Config()
	if cfg.Provider.Family != database.FamilySQLServer || len(cfg.Errors) > 0 {
		t.Fatalf("%s is not a usable SQL Server connection string: %s %v", envMSSQLDSN, cfg.Provider, cfg.Errors)
	}
	allowed := map[string]bool{strings.ToLower(cfg.Host): true}
	for _, h := range strings.Split(os.Getenv(envMSSQLAllow), ",") {
		allowed[strings.ToLower(strings.TrimSpace(h))] = true
	}
	creds, err := database.DefaultCredentials(nil, os.Getenv(envMSSQLCredentials))
	if err != nil {
		t.Fatal(err)
	}
	opts := database.Options{Credentials: creds, Allow: func(h string) error {
		if allowed[strings.ToLower(h)] {
			return nil
		}
		return errors.New("not the server of " + envMSSQLDSN + " nor in " + envMSSQLAllow)
	}}
	login, err := m.Login(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("login: %v", login)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := m.Acquire(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	defer s.Release()

	t.Run("version and login", func(t *testing.T) {
		var version, scheme string
		if err := s.Conn.QueryRowContext(ctx, "SELECT @@VERSION").Scan(&version); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(version, "SQL Server") {
			t.Errorf("@@VERSION = %q", version)
		}
		t.Logf("@@VERSION: %s", strings.Fields(version))
		if err := s.Conn.QueryRowContext(ctx, "SELECT auth_scheme FROM sys.dm_exec_connections WHERE session_id = @@SPID").Scan(&scheme); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{database.LoginSQL: "SQL", database.LoginNTLM: "NTLM", database.LoginKerberos: "KERBEROS"}[login.Kind]
		if !strings.EqualFold(scheme, want) {
			t.Errorf("auth_scheme = %q, want %q for a %s login", scheme, want, login.Kind)
		}
	})
	t.Run("parameterised query", func(t *testing.T) {
		var n int
		var s2 string
		if err := s.Conn.QueryRowContext(ctx, "SELECT @p1 + 1, @p2 + N'!'", 41, "dtsx").Scan(&n, &s2); err != nil {
			t.Fatal(err)
		}
		if n != 42 || s2 != "dtsx!" {
			t.Errorf("got %d, %q; want 42, \"dtsx!\"", n, s2)
		}
	})
	t.Run("error number and line", func(t *testing.T) {
		_, err := s.Conn.ExecContext(ctx, "SELECT 1;\nSELECT * FROM dbo.dtsx_no_such_table_4711;")
		var me mssql.Error
		if !errors.As(err, &me) {
			t.Fatalf("err = %v, want a mssql.Error", err)
		}
		if me.Number != 208 || me.LineNo != 2 || !strings.Contains(me.Message, "dtsx_no_such_table_4711") {
			t.Errorf("error %d at line %d: %q; want 208 (invalid object name) at line 2", me.Number, me.LineNo, me.Message)
		}
	})
}
