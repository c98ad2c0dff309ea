package database

import (
	"testing"
	"time"

	"github.com/microsoft/go-mssqldb/msdsn"
)

// These tests check the translation into each driver's own settings,
// which the drivers then use as they are.

func TestSQLServerTranslation(t *testing.T) {
	const cli = "ADO.NET:System.Data.SqlClient.SqlConnection, System.Data"
	type want struct {
		host, inst       string
		port             uint64
		db, user, pass   string
		enc              msdsn.Encryption
		trust            bool
		app              string // go-mssqldb names itself when no Application Name is given
		dial, conn       time.Duration
		tlsServerNameSet bool
	}
	tests := []struct {
		name, creation, cs string
		want               want
	}{
		{"oledb", "OLEDB", "Data Source=db-01;Initial Catalog=msdb;Provider=SQLNCLI11.1;User ID=sa;Password='p;w';Application Name=A B;Connect Timeout=30;",
			want{"db-01", "", 0, "msdb", "sa", "p;w", msdsn.EncryptionOff, false, "A B", 30 * time.Second, 30 * time.Second, true}},
		{"instance", cli, `Data Source=(local)\SQLEXPRESS;User ID=u;Password=x;`,
			want{"localhost", "SQLEXPRESS", 0, "", "u", "x", msdsn.EncryptionOff, false, "go-mssqldb", 15 * time.Second, 15 * time.Second, true}},
		{"port and encrypt", cli, "Data Source=tcp:10.1.2.3,14330;User ID=u;Encrypt=True;TrustServerCertificate=True;Connect Timeout=0;",
			want{"10.1.2.3", "", 14330, "", "u", "", msdsn.EncryptionRequired, true, "go-mssqldb", 0, 0, true}},
		{"strict", cli, "Server=h;Encrypt=Strict;Port=1500;",
			want{"h", "", 1500, "", "", "", msdsn.EncryptionStrict, false, "go-mssqldb", 15 * time.Second, 15 * time.Second, true}},
		{"odbc 18 default", "ODBC", "Driver={ODBC Driver 18 for SQL Server};Server=h;UID=u;PWD={x}}y};Database=d;",
			want{"h", "", 0, "d", "u", "x}y", msdsn.EncryptionRequired, false, "go-mssqldb", 15 * time.Second, 15 * time.Second, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ParseConfig(tt.creation, tt.cs)
			if len(cfg.Errors) > 0 {
				t.Fatal(cfg.Errors)
			}
			d, err := sqlServerConfig(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := want{d.Host, d.Instance, d.Port, d.Database, d.User, d.Password, d.Encryption,
				d.TLSConfig != nil && d.TLSConfig.InsecureSkipVerify, d.AppName, d.DialTimeout, d.ConnTimeout,
				d.TLSConfig != nil && d.TLSConfig.ServerName == tt.want.host}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestPostgresTranslation(t *testing.T) {
	const npg = "ADO.NET:Npgsql.NpgsqlConnection, Npgsql"
	type want struct {
		host           string
		port           uint16
		db, user, pass string
		tls, skip      bool
		fallbacks      int
		app            string
		timeout        time.Duration
	}
	tests := []struct {
		name, creation, cs string
		want               want
	}{
		{"disable", npg, "Host=127.0.0.1;Port=55432;Database=d b;Username=o'neil;Password=p\\w';SSL Mode=Disable;Timeout=3;Application Name=x y;",
			want{"127.0.0.1", 55432, "d b", "o'neil", "p\\w'", false, false, 0, "x y", 3 * time.Second}},
		{"prefer by default", npg, "Host=pg;Username=u;",
			want{"pg", 5432, "", "u", "", true, true, 1, "", 15 * time.Second}},
		{"require trusts", "ODBC", "Driver={PostgreSQL Unicode};Server=pg;UID=u;PWD=x;SSLmode=require;",
			want{"pg", 5432, "", "u", "x", true, true, 0, "", 15 * time.Second}},
		{"verify-full", npg, "Host=pg;SSL Mode=VerifyFull;Timeout=0;",
			want{"pg", 5432, "", "", "", true, false, 0, "", 0}},
		{"verify-full trusted", npg, "Host=pg;SSL Mode=VerifyFull;Trust Server Certificate=True;",
			want{"pg", 5432, "", "", "", true, true, 0, "", 15 * time.Second}},
		{"pgnp", "OLEDB", "Provider=PGNP.1;Data Source=pg:5433;Initial Catalog=d;User ID=u;Password=x;",
			want{"pg", 5433, "d", "u", "x", true, true, 1, "", 15 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ParseConfig(tt.creation, tt.cs)
			if len(cfg.Errors) > 0 {
				t.Fatal(cfg.Errors)
			}
			pc, err := postgresConfig(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := want{pc.Host, pc.Port, pc.Database, pc.User, pc.Password, pc.TLSConfig != nil,
				pc.TLSConfig != nil && pc.TLSConfig.InsecureSkipVerify, len(pc.Fallbacks), pc.RuntimeParams["application_name"], pc.ConnectTimeout}
			if tt.want.user == "" {
				got.user = "" // pgx defaults to the OS user
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSQLiteTranslation(t *testing.T) {
	const lite = "ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite"
	tests := []struct{ creation, cs, want string }{
		{lite, "Data Source=/tmp/a.db;Version=3;", "file:/tmp/a.db"},
		{lite, "Data Source=:memory:;", "file::memory:"},
		{lite, "Data Source=/tmp/a?b#c%d.db;", "file:/tmp/a%3fb%23c%25d.db"},
		{lite, "Data Source=a.db;Read Only=True;Foreign Keys=True;", "file:a.db?mode=ro&_pragma=foreign_keys(1)"},
		{lite, "Data Source=a.db;FailIfMissing=True;Journal Mode=WAL;Default Timeout=2;", "file:a.db?mode=rw&_pragma=journal_mode(wal)&_pragma=busy_timeout(2000)"},
		{"ODBC", "Driver={SQLite3 ODBC Driver};Database=a.db;Timeout=100;", "file:a.db?_pragma=busy_timeout(100)"},
	}
	for _, tt := range tests {
		t.Run(tt.cs, func(t *testing.T) {
			cfg := ParseConfig(tt.creation, tt.cs)
			if len(cfg.Errors) > 0 {
				t.Fatal(cfg.Errors)
			}
			if got := sqliteDSN(cfg); got != tt.want {
				t.Errorf("sqliteDSN = %q, want %q", got, tt.want)
			}
		})
	}
}
