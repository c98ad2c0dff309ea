package database_test

import (
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
)

// TestRetargetByProviderInvariantName: a connection string whose Provider=
// is an ADO.NET invariant name (Npgsql, System.Data.SQLite) moves an OLE DB
// SQL Server manager to that provider, read with its keywords; the
// manager keeps its kind, and ServerName, UserName and Password are then
// that provider's keywords.
func TestRetargetByProviderInvariantName(t *testing.T) {
	m, err := database.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "Warehouse", CreationName: "OLEDB"},
		ConnectionString: "Data Source=dw01;Initial Catalog=dw;Provider=SQLNCLI11.1;User ID=etl;Password=s3cret-pw;"})
	if err != nil {
		t.Fatal(err)
	}
	if f := m.Config().Provider.Family; f != database.FamilySQLServer {
		t.Fatalf("family %v", f)
	}
	tests := []struct {
		name, cs string
		family   database.Family
		set      map[string]string // SetProperty after the retarget
		want     string            // the masked connection string then
		check    func(*database.Config) string
	}{
		{"Npgsql", "Provider=Npgsql;Host=127.0.0.1;Port=5433;Database=app;Username=etl;Password=pg-pw-1;",
			database.FamilyPostgreSQL,
			map[string]string{"ServerName": "db.internal", "UserName": "loader", "InitialCatalog": "sales", "Password": "pg-pw-2"},
			"Provider=Npgsql;Host=db.internal;Port=5433;Database=sales;Username=loader;Password=********;",
			func(c *database.Config) string {
				if c.Host != "db.internal" || c.Port != 5433 || c.User != "loader" || c.Database != "sales" {
					return "settings " + c.String()
				}
				return ""
			}},
		{"SQLite", "Provider=System.Data.SQLite;Data Source=/tmp/a.db;",
			database.FamilySQLite, map[string]string{"ServerName": "/tmp/b.db"},
			"Provider=System.Data.SQLite;Data Source=/tmp/b.db;",
			func(c *database.Config) string {
				if c.Path != "/tmp/b.db" {
					return "path " + c.Path
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := m.SetConnectionString(tt.cs); err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.set {
				if err := m.SetProperty(k, v); err != nil {
					t.Fatalf("SetProperty(%s): %v", k, err)
				}
			}
			cfg := m.Config()
			if cfg.Provider.Family != tt.family || cfg.Provider.Kind != database.KindOLEDB {
				t.Fatalf("provider %v %v", cfg.Provider.Kind, cfg.Provider.Family)
			}
			if len(cfg.Errors) > 0 || len(cfg.Warnings) > 0 {
				t.Errorf("problems %v %v", cfg.Errors, cfg.Warnings)
			}
			if got := cfg.String(); got != tt.want {
				t.Errorf("String = %q, want %q", got, tt.want)
			}
			if msg := tt.check(cfg); msg != "" {
				t.Error(msg)
			}
			if strings.Contains(m.String(), "pg-pw") || strings.Contains(m.String(), "s3cret") {
				t.Errorf("password shown: %s", m)
			}
		})
	}
}

// TestPropertiesFollowTheProvider: Properties lists the keyword spellings
// of the provider of the moment (Persisted first, then Aliases), and
// SetProperty takes every one of them.
func TestPropertiesFollowTheProvider(t *testing.T) {
	tests := []struct {
		creation, cs, prop string
		keys               []string
	}{
		{"OLEDB", "Provider=SQLNCLI11.1;Data Source=x;", "ServerName", []string{"Data Source", "Server", "Host", "Address", "Addr", "Network Address"}},
		{"ADO.NET:Npgsql.NpgsqlConnection, Npgsql", "Host=x;", "ServerName", []string{"Host", "Server", "Data Source"}},
		{"ADO.NET:Npgsql.NpgsqlConnection, Npgsql", "Host=x;", "UserName", []string{"Username", "User Name", "User ID", "UserID", "User", "UID"}},
		{"ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite", "Data Source=a.db;", "ServerName", []string{"Data Source", "DataSource", "Database"}},
		{"ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite", "Data Source=a.db;", "InitialCatalog", []string{"Initial Catalog"}},
		{"ODBC", "Driver={ODBC Driver 18 for SQL Server};Server=x;", "Password", []string{"PWD", "Password"}},
		{"OLEDB", "Provider=Npgsql;Host=x;", "UserName", []string{"Username", "User Name", "User ID", "UserID", "User", "UID"}},
	}
	for _, tt := range tests {
		t.Run(tt.creation+"/"+tt.prop, func(t *testing.T) {
			m, _ := database.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "m", CreationName: tt.creation}, ConnectionString: tt.cs})
			p, ok := dtsx.FindProperty(m.Properties(), tt.prop)
			if !ok || !p.Key {
				t.Fatalf("no key property %s in %v", tt.prop, m.Properties())
			}
			got := append([]string{p.Stored()}, p.Aliases...)
			if strings.Join(got, "|") != strings.Join(tt.keys, "|") {
				t.Errorf("keys %q, want %q", got, tt.keys)
			}
			if p.Sensitive != (tt.prop == "Password") {
				t.Errorf("Sensitive = %v", p.Sensitive)
			}
			for _, k := range got {
				if err := m.SetProperty(k, "v1"); err != nil {
					t.Errorf("SetProperty(%q): %v", k, err)
				}
			}
		})
	}
}
