package database_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
)

func TestClassify(t *testing.T) {
	const sqlClient = "ADO.NET:System.Data.SqlClient.SqlConnection, System.Data, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"
	tests := []struct {
		creation, provider string
		kind               database.Kind
		family             database.Family
		name               string
	}{
		{"OLEDB", "SQLNCLI11.1", database.KindOLEDB, database.FamilySQLServer, "SQLNCLI11.1"},
		{"OLEDB", "SQLNCLI.1", database.KindOLEDB, database.FamilySQLServer, "SQLNCLI.1"},
		{"OLEDB", "sqlncli10", database.KindOLEDB, database.FamilySQLServer, "sqlncli10"},
		{"OLEDB", "SQLOLEDB.1", database.KindOLEDB, database.FamilySQLServer, "SQLOLEDB.1"},
		{"OLEDB", "MSOLEDBSQL", database.KindOLEDB, database.FamilySQLServer, "MSOLEDBSQL"},
		{"oledb", "MSOLEDBSQL19.1", database.KindOLEDB, database.FamilySQLServer, "MSOLEDBSQL19.1"},
		{"OLEDB", "PGNP.1", database.KindOLEDB, database.FamilyPostgreSQL, "PGNP.1"},
		{"OLEDB", "MSDAORA.1", database.KindOLEDB, database.FamilyUnsupported, "MSDAORA.1"},
		{"OLEDB", "Microsoft.Jet.OLEDB.4.0", database.KindOLEDB, database.FamilyUnsupported, "Microsoft.Jet.OLEDB.4.0"},
		{"OLEDB", "Microsoft.ACE.OLEDB.12.0", database.KindOLEDB, database.FamilyUnsupported, "Microsoft.ACE.OLEDB.12.0"},
		{"OLEDB", "MSOLAP.4", database.KindOLEDB, database.FamilyUnsupported, "MSOLAP.4"},
		{"OLEDB", "IBMDADB2", database.KindOLEDB, database.FamilyUnsupported, "IBMDADB2"},
		{"OLEDB", "", database.KindOLEDB, database.FamilyUnsupported, ""},
		{sqlClient, "", database.KindADONET, database.FamilySQLServer, "System.Data.SqlClient.SqlConnection"},
		{"ADO.NET:Microsoft.Data.SqlClient.SqlConnection, Microsoft.Data.SqlClient", "", database.KindADONET, database.FamilySQLServer, "Microsoft.Data.SqlClient.SqlConnection"},
		{"ADO.NET:SQL", "", database.KindADONET, database.FamilySQLServer, "SQL"},
		{"ADO.NET:Npgsql.NpgsqlConnection, Npgsql, Version=4.1.3.0, Culture=neutral, PublicKeyToken=5d8b90d52f46fda7", "", database.KindADONET, database.FamilyPostgreSQL, "Npgsql.NpgsqlConnection"},
		{"ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite", "", database.KindADONET, database.FamilySQLite, "System.Data.SQLite.SQLiteConnection"},
		{"ADO.NET:System.Data.OracleClient.OracleConnection, System.Data.OracleClient, Version=4.0.0.0", "", database.KindADONET, database.FamilyUnsupported, "System.Data.OracleClient.OracleConnection"},
		{"ADO.NET:System.Data.Odbc.OdbcConnection, System.Data", "", database.KindADONET, database.FamilyUnsupported, "System.Data.Odbc.OdbcConnection"},
		{"ADO.NET:System.Data.Odbc.OdbcConnection, System.Data", "{PostgreSQL Unicode}", database.KindADONET, database.FamilyPostgreSQL, "System.Data.Odbc.OdbcConnection"},
		{"ADO.NET:System.Data.OleDb.OleDbConnection, System.Data", "SQLNCLI11.1", database.KindADONET, database.FamilySQLServer, "System.Data.OleDb.OleDbConnection"},
		{"ADO.NET:System.Data.OleDb.OleDbConnection, System.Data", "Microsoft.ACE.OLEDB.12.0", database.KindADONET, database.FamilyUnsupported, "System.Data.OleDb.OleDbConnection"},
		{"ODBC", "{ODBC Driver 17 for SQL Server}", database.KindODBC, database.FamilySQLServer, "ODBC Driver 17 for SQL Server"},
		{"ODBC", "{ODBC Driver 18 for SQL Server}", database.KindODBC, database.FamilySQLServer, "ODBC Driver 18 for SQL Server"},
		{"ODBC", "{SQL Server Native Client 11.0}", database.KindODBC, database.FamilySQLServer, "SQL Server Native Client 11.0"},
		{"ODBC", "{SQL Server}", database.KindODBC, database.FamilySQLServer, "SQL Server"},
		{"ODBC", "{PostgreSQL Unicode}", database.KindODBC, database.FamilyPostgreSQL, "PostgreSQL Unicode"},
		{"ODBC", "{PostgreSQL ANSI(x64)}", database.KindODBC, database.FamilyPostgreSQL, "PostgreSQL ANSI(x64)"},
		{"ODBC", "{PostgreSQL Unicode(x64)}", database.KindODBC, database.FamilyPostgreSQL, "PostgreSQL Unicode(x64)"},
		{"ODBC", "{SQLite3 ODBC Driver}", database.KindODBC, database.FamilySQLite, "SQLite3 ODBC Driver"},
		{"ODBC", "{IBM DB2 ODBC DRIVER}", database.KindODBC, database.FamilyUnsupported, "IBM DB2 ODBC DRIVER"},
		{"ODBC", "", database.KindODBC, database.FamilyUnsupported, ""},
		{"SMTP", "", database.KindUnknown, database.FamilyUnsupported, ""},
		// Provider=<ADO.NET invariant name> retargets a manager of any kind.
		{"OLEDB", "Npgsql", database.KindOLEDB, database.FamilyPostgreSQL, "Npgsql"},
		{"OLEDB", "System.Data.SQLite", database.KindOLEDB, database.FamilySQLite, "System.Data.SQLite"},
		{"OLEDB", "microsoft.data.sqlite", database.KindOLEDB, database.FamilySQLite, "microsoft.data.sqlite"},
		{"ODBC", "Npgsql", database.KindODBC, database.FamilyPostgreSQL, "Npgsql"},
		{sqlClient, "Npgsql", database.KindADONET, database.FamilyPostgreSQL, "System.Data.SqlClient.SqlConnection"},
		{"ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite", "Microsoft.Data.SqlClient", database.KindADONET, database.FamilySQLServer, "System.Data.SQLite.SQLiteConnection"},
		{"SMTP", "Npgsql", database.KindUnknown, database.FamilyUnsupported, "Npgsql"},
	}
	for _, tt := range tests {
		t.Run(tt.creation+"|"+tt.provider, func(t *testing.T) {
			p := database.Classify(tt.creation, tt.provider)
			if p.Kind != tt.kind || p.Family != tt.family || p.Name != tt.name {
				t.Errorf("Classify = {%v %v %q}, want {%v %v %q}", p.Kind, p.Family, p.Name, tt.kind, tt.family, tt.name)
			}
		})
	}
}

func TestUnsupportedProviderDiagnostic(t *testing.T) {
	tests := []struct{ creation, cs, want string }{
		{"OLEDB", "Data Source=ORA_Server;User ID=scott;Provider=MSDAORA.1;Persist Security Info=True;", "Oracle"},
		{"OLEDB", `Provider=Microsoft.Jet.OLEDB.4.0;Data Source=C:\x.xls;Extended Properties="EXCEL 8.0;HDR=YES";`, "Jet/ACE"},
		{"ADO.NET:System.Data.OracleClient.OracleConnection, System.Data.OracleClient", "Data Source=HSCP;User ID=xxbi;", "Oracle"},
		{"ODBC", "uid=MSEXTRACT;Dsn=JDE;", "DSN"},
		{"OLEDB", "Provider=MSOLAP.4;Data Source=x;", "MSOLAP"},
		{"OLEDB", "Provider=IBMDADB2;Database=x;", "supported:"},
	}
	for _, tt := range tests {
		t.Run(tt.cs, func(t *testing.T) {
			c := database.ParseConfig(tt.creation, tt.cs)
			if len(c.Errors) != 1 || c.Errors[0].Code != database.CodeUnsupported {
				t.Fatalf("Errors = %+v, want one %s", c.Errors, database.CodeUnsupported)
			}
			if got := c.Errors[0].Msg + " " + c.Errors[0].Hint; !contains(got, tt.want) {
				t.Errorf("problem %q does not say %q", got, tt.want)
			}
		})
	}
}

func TestBridgedProviderNamed(t *testing.T) {
	c := database.ParseConfig("ADO.NET:System.Data.OleDb.OleDbConnection, System.Data", "Provider=MSOLAP.5;Data Source=cube;")
	if len(c.Errors) != 1 || !contains(c.Errors[0].Msg, "(MSOLAP.5)") || !contains(c.Errors[0].Hint, "Analysis Services") {
		t.Errorf("Errors = %+v", c.Errors)
	}
}
