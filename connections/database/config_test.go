package database_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

const (
	oledb   = "OLEDB"
	sqlCli  = "ADO.NET:System.Data.SqlClient.SqlConnection, System.Data, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"
	mdsCli  = "ADO.NET:Microsoft.Data.SqlClient.SqlConnection, Microsoft.Data.SqlClient"
	npgsql  = "ADO.NET:Npgsql.NpgsqlConnection, Npgsql"
	sqliteN = "ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite"
	odbc    = "ODBC"
)

// want lists the Config fields a case checks; a zero field is checked too.
type want struct {
	host, inst string
	port       int
	db, user   string
	pass       bool
	integrated bool
	encrypt    string
	trust      bool
	sslmode    string
	app        string
	timeout    time.Duration
	path       string
}

func TestParseConfigKeywords(t *testing.T) {
	base := want{timeout: 15 * time.Second}
	w := func(f func(*want)) want { x := base; f(&x); return x }
	tests := []struct {
		name, creation, cs string
		want               want
	}{
		// SQL Server through OLE DB.
		{"oledb host", oledb, "Data Source=db-01;Initial Catalog=msdb;Provider=SQLNCLI11.1;User ID=sa;Password=x;Auto Translate=False;",
			w(func(x *want) { x.host, x.db, x.user, x.pass, x.encrypt = "db-01", "msdb", "sa", true, "false" })},
		{"oledb instance", oledb, `Data Source=.\SQL2017;Initial Catalog=t;Provider=SQLNCLI11.1;Integrated Security=SSPI;`,
			w(func(x *want) {
				x.host, x.inst, x.db, x.integrated, x.encrypt = "localhost", "SQL2017", "t", true, "false"
			})},
		{"oledb (local)", oledb, "Data Source=(local);Provider=SQLOLEDB.1;Integrated Security=SSPI;",
			w(func(x *want) { x.host, x.integrated, x.encrypt = "localhost", true, "false" })},
		{"oledb dot", oledb, "Data Source=.;Provider=SQLNCLI10.1;User ID=u;",
			w(func(x *want) { x.host, x.user, x.encrypt = "localhost", "u", "false" })},
		{"oledb host,port tcp:", oledb, "Data Source=tcp:10.0.0.5,14330;Provider=MSOLEDBSQL;User ID=u;PWD=p;",
			w(func(x *want) { x.host, x.port, x.user, x.pass, x.encrypt = "10.0.0.5", 14330, "u", true, "false" })},
		{"oledb use encryption", oledb, "Data Source=h;Provider=MSOLEDBSQL;Use Encryption for Data=True;Trust Server Certificate=True;",
			w(func(x *want) { x.host, x.encrypt, x.trust = "h", "true", true })},
		{"oledb msoledbsql19 encrypts by default", oledb, "Data Source=h;Provider=MSOLEDBSQL19;",
			w(func(x *want) { x.host, x.encrypt = "h", "true" })},
		{"oledb optional", oledb, "Data Source=h;Provider=MSOLEDBSQL19;Use Encryption for Data=Optional;",
			w(func(x *want) { x.host, x.encrypt = "h", "false" })},
		{"oledb app and timeout", oledb, "Data Source=h;Provider=SQLNCLI11;Application Name=SSIS-P-{1}h.db;Connect Timeout=30;",
			w(func(x *want) { x.host, x.app, x.timeout, x.encrypt = "h", "SSIS-P-{1}h.db", 30*time.Second, "false" })},
		{"oledb port key", oledb, "Data Source=h;Provider=SQLNCLI11;Port=1500;",
			w(func(x *want) { x.host, x.port, x.encrypt = "h", 1500, "false" })},
		// SQL Server through ADO.NET.
		{"sqlclient", sqlCli, "Data Source=db-01;Initial Catalog=msdb;Integrated Security=True;Application Name=A;",
			w(func(x *want) { x.host, x.db, x.integrated, x.app, x.encrypt = "db-01", "msdb", true, "A", "false" })},
		{"sqlclient server synonyms", sqlCli, "Server=h\\I;Database=d;User ID=u;Password='a;b';Encrypt=True;TrustServerCertificate=True;Connection Timeout=0;",
			w(func(x *want) {
				x.host, x.inst, x.db, x.user, x.pass, x.encrypt, x.trust, x.timeout = "h", "I", "d", "u", true, "true", true, 0
			})},
		{"sqlclient strict", sqlCli, "Data Source=h;Encrypt=Strict;Timeout=5;",
			w(func(x *want) { x.host, x.encrypt, x.timeout = "h", "strict", 5*time.Second })},
		{"microsoft.data.sqlclient encrypts", mdsCli, "Data Source=h;",
			w(func(x *want) { x.host, x.encrypt = "h", "true" })},
		{"sqlclient trusted_connection", sqlCli, "Server=h;Trusted_Connection=yes;",
			w(func(x *want) { x.host, x.integrated, x.encrypt = "h", true, "false" })},
		// SQL Server through ODBC.
		{"odbc 17", odbc, "Driver={ODBC Driver 17 for SQL Server};Server=h,1444;Database=d;UID=u;PWD=p;APP=a;",
			w(func(x *want) {
				x.host, x.port, x.db, x.user, x.pass, x.app, x.encrypt = "h", 1444, "d", "u", true, "a", "false"
			})},
		{"odbc 18 encrypts", odbc, "Driver={ODBC Driver 18 for SQL Server};Server=h;Trusted_Connection=Yes;",
			w(func(x *want) { x.host, x.integrated, x.encrypt = "h", true, "true" })},
		{"odbc sql server", odbc, "Driver={SQL Server};Server=(local);Encrypt=no;",
			w(func(x *want) { x.host, x.encrypt = "localhost", "false" })},
		// PostgreSQL.
		{"npgsql", npgsql, "Host=127.0.0.1;Port=55432;Database=dtsx;Username=dtsx;Password=pw;SSL Mode=Disable;Timeout=3;Application Name=a;",
			w(func(x *want) {
				x.host, x.port, x.db, x.user, x.pass, x.sslmode, x.timeout, x.app = "127.0.0.1", 55432, "dtsx", "dtsx", true, "disable", 3*time.Second, "a"
			})},
		{"npgsql host:port and defaults", npgsql, "Server=pg:5433;User Id=u;",
			w(func(x *want) { x.host, x.port, x.user, x.sslmode = "pg", 5433, "u", "prefer" })},
		{"npgsql verify", npgsql, "Host=pg;SslMode=VerifyFull;Trust Server Certificate=true;",
			w(func(x *want) { x.host, x.sslmode, x.trust = "pg", "verify-full", true })},
		{"npgsql require", npgsql, "Host=pg;SSL Mode=Require;",
			w(func(x *want) { x.host, x.sslmode = "pg", "require" })},
		{"psqlodbc", odbc, "Driver={PostgreSQL Unicode};Server=pg;Port=5432;Database=d;UID=u;PWD=p;SSLmode=verify-ca;",
			w(func(x *want) {
				x.host, x.port, x.db, x.user, x.pass, x.sslmode = "pg", 5432, "d", "u", true, "verify-ca"
			})},
		{"pgnp", oledb, "Provider=PGNP.1;Data Source=pg;Initial Catalog=d;User ID=u;Password=p;",
			w(func(x *want) { x.host, x.db, x.user, x.pass, x.sslmode = "pg", "d", "u", true, "prefer" })},
		// SQLite.
		{"system.data.sqlite", sqliteN, "Data Source=/tmp/x.db;Version=3;New=True;",
			w(func(x *want) { x.path = "/tmp/x.db" })},
		{"sqlite odbc", odbc, "Driver={SQLite3 ODBC Driver};Database=/tmp/y.db;",
			w(func(x *want) { x.path = "/tmp/y.db" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := database.ParseConfig(tt.creation, tt.cs)
			if len(c.Errors) > 0 {
				t.Fatalf("Errors: %+v", c.Errors)
			}
			got := want{c.Host, c.Instance, c.Port, c.Database, c.User, c.HasPassword(), c.Integrated, c.Encrypt,
				c.TrustServerCertificate, c.SSLMode, c.AppName, c.ConnectTimeout, c.Path}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseConfigSQLiteOptions(t *testing.T) {
	c := database.ParseConfig(sqliteN, "Data Source=a.db;Read Only=True;FailIfMissing=True;Foreign Keys=True;Journal Mode=Wal;Default Timeout=2;")
	if len(c.Errors)+len(c.Warnings) > 0 {
		t.Fatalf("problems: %+v %+v", c.Errors, c.Warnings)
	}
	if !c.ReadOnly || !c.FailIfMissing || !c.ForeignKeys || c.JournalMode != "wal" || c.BusyTimeout != 2*time.Second {
		t.Errorf("got %+v", *c)
	}
	o := database.ParseConfig(odbc, "Driver={SQLite3 ODBC Driver};Database=a.db;Timeout=2500;NoCreat=1;FKSupport=1;")
	if len(o.Errors) > 0 || o.BusyTimeout != 2500*time.Millisecond || !o.FailIfMissing || !o.ForeignKeys {
		t.Errorf("odbc: %+v", o)
	}
}

func TestParseConfigProblems(t *testing.T) {
	tests := []struct {
		name, creation, cs string
		code               string
		warning            bool
	}{
		{"unknown key warns", sqlCli, "Data Source=h;Frobnicate=1;", database.CodeUnknownKey, true},
		{"integrated warns on PostgreSQL", npgsql, "Host=h;Integrated Security=true;", database.CodeIntegratedSec, true},
		{"authentication is security", sqlCli, "Data Source=h;Authentication=ActiveDirectoryPassword;", database.CodeSecurityKey, false},
		{"column encryption is security", sqlCli, "Data Source=h;Column Encryption Setting=Enabled;", database.CodeSecurityKey, false},
		{"host name in certificate is security", oledb, "Data Source=h;Provider=MSOLEDBSQL;HostNameInCertificate=x;", database.CodeSecurityKey, false},
		{"sslcert is security", npgsql, "Host=h;SSL Certificate=/c.pem;", database.CodeSecurityKey, false},
		{"sqlite password is security", sqliteN, "Data Source=a.db;Password=x;", database.CodeSecurityKey, false},
		{"bad port", npgsql, "Host=h;Port=99999;", database.CodeBadValue, false},
		{"bad host,port", sqlCli, "Data Source=h,x;", database.CodeBadValue, false},
		{"named pipes", sqlCli, `Data Source=np:\\h\pipe\sql\query;`, database.CodeBadValue, false},
		{"localdb", sqlCli, `Data Source=(localdb)\MSSQLLocalDB;`, database.CodeBadValue, false},
		{"bad encrypt", sqlCli, "Data Source=h;Encrypt=maybe;", database.CodeBadValue, false},
		{"bad sslmode", npgsql, "Host=h;SSL Mode=Sometimes;", database.CodeBadValue, false},
		{"bad timeout", oledb, "Data Source=h;Provider=SQLNCLI11;Connect Timeout=-1;", database.CodeBadValue, false},
		{"bad integrated", sqlCli, "Data Source=h;Integrated Security=Maybe;", database.CodeBadValue, false},
		{"instance on postgres", npgsql, `Host=h\i;`, database.CodeBadValue, false},
		{"several postgres hosts", npgsql, "Host=a,b;", database.CodeBadValue, false},
		{"no server", sqlCli, "Initial Catalog=d;", database.CodeNoServer, false},
		{"no sqlite file", sqliteN, "Version=3;", database.CodeNoFile, false},
		{"syntax", sqlCli, `Data Source="h;`, database.CodeSyntax, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := database.ParseConfig(tt.creation, tt.cs)
			list := c.Errors
			if tt.warning {
				list = c.Warnings
				if len(c.Errors) > 0 {
					t.Errorf("unexpected errors %+v", c.Errors)
				}
			}
			for _, p := range list {
				if p.Code == tt.code {
					return
				}
			}
			t.Errorf("no %s in errors %+v warnings %+v", tt.code, c.Errors, c.Warnings)
		})
	}
}
