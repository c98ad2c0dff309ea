package executesql_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// TestReadProperties reads every attribute and binding of a payload as
// SSIS persists it.
func TestReadProperties(t *testing.T) {
	_, x := tasktest.Package(t, "", tasktest.Task{Name: "t", Type: "Microsoft.ExecuteSQLTask", Data: `
	<SQLTask:SqlTaskData xmlns:SQLTask="www.microsoft.com/sqlserver/dts/tasks/sqltask" SQLTask:Connection="{C}"
	  SQLTask:TimeOut="30" SQLTask:IsStoredProc="True" SQLTask:BypassPrepare="False" SQLTask:SqlStmtSourceType="Variable"
	  SQLTask:SqlStatementSource="User::Q" SQLTask:CodePage="1252" SQLTask:ResultType="ResultSetType_SingleRow"
	  SQLTask:TypeConversionMode="None">
	  <SQLTask:ResultBinding SQLTask:ResultName="Total" SQLTask:DtsVariableName="User::Total"/>
	  <SQLTask:ParameterBinding SQLTask:ParameterName="0" SQLTask:DtsVariableName="User::A" SQLTask:ParameterDirection="Input" SQLTask:DataType="3" SQLTask:ParameterSize="-1"/>
	  <SQLTask:ParameterBinding SQLTask:ParameterName="1" SQLTask:DtsVariableName="User::B" SQLTask:ParameterDirection="Output" SQLTask:DataType="130" SQLTask:ParameterSize="50"/>
	  <SQLTask:ParameterBinding SQLTask:ParameterName="2" SQLTask:DtsVariableName="User::R" SQLTask:ParameterDirection="ReturnValue" SQLTask:DataType="3"/>
	</SQLTask:SqlTaskData>`})
	p, problems := executesql.ReadProperties(x)
	want := executesql.Properties{Connection: "{C}", SqlStatementSourceType: executesql.Variable, SqlStatementSource: "User::Q",
		TimeOut: 30, ResultSetType: executesql.ResultSingleRow, IsQueryStoredProcedure: true, CodePage: 1252,
		TypeConversionMode: executesql.ConversionNone,
		Parameters: []executesql.Parameter{
			{Name: "0", Variable: "User::A", Direction: executesql.Input, DataType: 3, Size: -1},
			{Name: "1", Variable: "User::B", Direction: executesql.Output, DataType: 130, Size: 50},
			{Name: "2", Variable: "User::R", Direction: executesql.ReturnValue, DataType: 3, Size: -1},
		},
		Results: []executesql.Result{{Name: "Total", Variable: "User::Total"}},
	}
	if len(problems) != 0 || !reflect.DeepEqual(p, want) {
		t.Errorf("ReadProperties =\n%+v, %v\nwant\n%+v", p, problems, want)
	}
}

// TestEnums reads the enumerations by name and by the numbers of their
// .NET types, as property expressions give them.
func TestEnums(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want executesql.ResultSetType
		ok   bool
	}{
		{"", executesql.ResultNone, true}, {"ResultSetType_None", executesql.ResultNone, true}, {"1", executesql.ResultNone, true},
		{"resultsettype_singlerow", executesql.ResultSingleRow, true}, {"2", executesql.ResultSingleRow, true},
		{"ResultSetType_Rowset", executesql.ResultFull, true}, {"Full", executesql.ResultFull, true}, {"3", executesql.ResultFull, true},
		{"XML", executesql.ResultXML, true}, {"4", executesql.ResultXML, true}, {"5", 0, false}, {"Many", 0, false},
	} {
		t.Run("ResultSetType "+tt.in, func(t *testing.T) {
			if got, ok := executesql.ParseResultSetType(tt.in); got != tt.want || ok != tt.ok {
				t.Errorf("ParseResultSetType(%q) = %v, %v", tt.in, got, ok)
			}
		})
	}
	for _, tt := range []struct {
		in   string
		want executesql.Direction
		ok   bool
	}{{"", executesql.Input, true}, {"Output", executesql.Output, true}, {"2", executesql.Output, true}, {"4", executesql.ReturnValue, true}, {"3", 0, false}} {
		t.Run("Direction "+tt.in, func(t *testing.T) {
			if got, ok := executesql.ParseDirection(tt.in); got != tt.want || ok != tt.ok {
				t.Errorf("ParseDirection(%q) = %v, %v", tt.in, got, ok)
			}
		})
	}
}

// TestBadValues: an unreadable persisted value is a problem that
// validation reports, unless a property expression sets it.
func TestBadValues(t *testing.T) {
	conns := dbConn(adoSQLite, "Data Source=x.db;")
	f := newFixture(t, conns, sqlData{source: "SELECT 1", timeout: "soon", result: "Many"})
	ds := f.validate()
	tasktest.WantDiagnostic(t, ds, f.x, executesql.CodeBadProperty, dtsx.SeverityError)
	if len(ds) != 2 {
		t.Errorf("want TimeOut and ResultSetType reported, got %v", ds)
	}
	if err := f.run(t); err == nil {
		t.Error("a task with a bad persisted value ran")
	}
	f = newFixture(t, conns, sqlData{source: "SELECT 1", timeout: "soon",
		expressions: `<DTS:PropertyExpression DTS:Name="TimeOut">@[User::T]</DTS:PropertyExpression>`})
	tasktest.WantDiagnostic(t, f.validate(), f.x, "", 0)
	if err := f.task.SetProperty("TimeOut", "5"); err != nil || f.task.Props.TimeOut != 5 || f.task.ProblemError() != nil {
		t.Errorf("SetProperty(TimeOut) = %v, TimeOut %d, problem %v", err, f.task.Props.TimeOut, f.task.ProblemError())
	}
	if err := f.task.SetProperty("Nothing", "x"); !errors.Is(err, tasks.ErrUnknownProperty) {
		t.Errorf("SetProperty(Nothing) = %v", err)
	}
	if err := f.task.SetProperty("ResultSetType", "9"); err == nil || f.task.Props.ResultSetType != executesql.ResultNone {
		t.Errorf("SetProperty(ResultSetType, 9) = %v", err)
	}
	for _, kv := range [][2]string{{"SqlStatementSource", "SELECT 2"}, {"ResultType", "ResultSetType_XML"}, {"IsStoredProc", "-1"},
		{"SqlStmtSourceType", "3"}, {"Connection", "Other"}, {"CodePage", "65001"}, {"BypassPrepare", "True"}, {"TypeConversionMode", "None"}} {
		if err := f.task.SetProperty(kv[0], kv[1]); err != nil {
			t.Errorf("SetProperty(%s, %s): %v", kv[0], kv[1], err)
		}
	}
	want := executesql.Properties{Connection: "Other", SqlStatementSourceType: executesql.Variable, SqlStatementSource: "SELECT 2",
		TimeOut: 5, ResultSetType: executesql.ResultXML, IsQueryStoredProcedure: true, BypassPrepare: true, CodePage: 65001,
		TypeConversionMode: executesql.ConversionNone}
	if !reflect.DeepEqual(f.task.Props, want) {
		t.Errorf("after SetProperty: %+v", f.task.Props)
	}
	for _, p := range f.task.Properties() {
		if p.Check != nil && p.Check("") != nil {
			t.Errorf("%s refuses the empty value that means its default", p.Name)
		}
	}
}

// TestValidate checks the rules of the connection, the statement, the
// parameter names per connection type (Parameters and Return Codes in the
// Execute SQL Task) and the result names (Result Sets in the Execute SQL
// Task), offline.
func TestValidate(t *testing.T) {
	sqlite := dbConn(adoSQLite, "Data Source=x.db;")
	odbc := dbConn("ODBC", "Driver={SQLite3 ODBC Driver};Database=x.db;")
	mssql := dbConn("OLEDB", "Provider=SQLNCLI11.1;Data Source=db.example.com;Initial Catalog=x;User ID=u;Password=secret;")
	pg := dbConn(adoNpgsql, "Host=127.0.0.1;Database=x;Username=u;Password=secret;")
	oracle := dbConn("OLEDB", "Provider=OraOLEDB.Oracle.1;Data Source=orcl;User ID=u;Password=secret;")
	smtp := tasktest.Connection("DB", "SMTP", dbID, `<SmtpConnectionManager ConnectionString="SmtpServer=h;"/>`)
	in := func(name, variable string, code int) executesql.Parameter {
		return executesql.Parameter{Name: name, Variable: variable, DataType: code, Size: -1}
	}
	tests := []struct {
		name  string
		conns string
		d     sqlData
		vars  []string
		code  string
		sev   dtsx.Severity
	}{
		{"valid", sqlite, sqlData{source: "SELECT 1"}, nil, "", 0},
		{"valid OLE DB parameters", mssql, sqlData{source: "UPDATE t SET a = ? WHERE b = ?", params: []executesql.Parameter{in("1", "User::B", 3), in("0", "User::A", 129)}},
			[]string{"A", "B"}, "", 0},
		{"valid ODBC parameters", odbc, sqlData{source: "SELECT ?", params: []executesql.Parameter{in("1", "User::A", 4)}}, []string{"A"}, "", 0},
		{"valid ADO.NET parameters", pg, sqlData{source: "SELECT @a", params: []executesql.Parameter{in("@a", "User::A", 11)}}, []string{"A"}, "", 0},
		{"valid single row", sqlite, sqlData{source: "SELECT 1 AS n", result: "ResultSetType_SingleRow", results: []executesql.Result{{Name: "n", Variable: "User::N"}, {Name: "0", Variable: "User::M"}}},
			[]string{"N", "M"}, "", 0},
		{"no connection", "", sqlData{conn: " ", source: "SELECT 1"}, nil, executesql.CodeNoConnection, dtsx.SeverityError},
		{"expression sets the connection", "", sqlData{conn: " ", source: "SELECT 1",
			expressions: `<DTS:PropertyExpression DTS:Name="Connection">@[User::C]</DTS:PropertyExpression>`}, nil, "", 0},
		{"dangling connection", sqlite, sqlData{conn: "{99999999-0000-0000-0000-000000000000}", source: "SELECT 1"}, nil, connections.CodeDanglingRef, dtsx.SeverityError},
		{"connection by name", sqlite, sqlData{conn: "DB", source: "SELECT 1"}, nil, "", 0},
		{"not a database connection", smtp, sqlData{source: "SELECT 1"}, nil, executesql.CodeWrongConnection, dtsx.SeverityError},
		{"Excel", tasktest.Connection("DB", "EXCEL", dbID, `<DTS:ConnectionManager DTS:ConnectionString="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=x.xlsx;"/>`),
			sqlData{source: "SELECT * FROM [Sheet1$]"}, nil, executesql.CodeUnsupported, dtsx.SeverityError},
		{"unsupported provider", oracle, sqlData{source: "SELECT 1 FROM dual"}, nil, executesql.CodeUnsupported, dtsx.SeverityError},
		{"no statement", sqlite, sqlData{source: "  "}, nil, executesql.CodeNoStatement, dtsx.SeverityError},
		{"no statement file", sqlite, sqlData{source: "", sourceType: "FileConnection"}, nil, executesql.CodeNoStatement, dtsx.SeverityError},
		{"statement file is not a file", sqlite, sqlData{source: "DB", sourceType: "FileConnection"}, nil, executesql.CodeBadSource, dtsx.SeverityError},
		{"statement variable not in scope", sqlite, sqlData{source: "User::Q", sourceType: "Variable"}, nil, executesql.CodeNoVariable, dtsx.SeverityWarning},
		{"statement variable in scope", sqlite, sqlData{source: "User::Q", sourceType: "Variable"}, []string{"Q"}, "", 0},
		{"ODBC parameter named 0", odbc, sqlData{source: "SELECT ?", params: []executesql.Parameter{in("0", "User::A", 4)}}, []string{"A"}, executesql.CodeBadParameter, dtsx.SeverityError},
		{"ADO.NET parameter named 0", sqlite, sqlData{source: "SELECT @a", params: []executesql.Parameter{in("0", "User::A", 11)}}, []string{"A"}, executesql.CodeBadParameter, dtsx.SeverityError},
		{"a ? without its mapping", mssql, sqlData{source: "SELECT ?, ?", params: []executesql.Parameter{in("0", "User::A", 3)}}, []string{"A"}, executesql.CodeBadParameter, dtsx.SeverityError},
		{"a ? in a literal needs none", mssql, sqlData{source: "SELECT '?' -- ?"}, nil, "", 0},
		{"repeated parameter name", mssql, sqlData{source: "SELECT ?", params: []executesql.Parameter{in("0", "User::A", 3), in("0", "User::A", 3)}}, []string{"A"}, executesql.CodeBadParameter, dtsx.SeverityError},
		{"output on PostgreSQL", pg, sqlData{source: "SELECT @a", params: []executesql.Parameter{{Name: "@a", Variable: "User::A", Direction: executesql.Output, DataType: 11}}},
			[]string{"A"}, executesql.CodeNotSupported, dtsx.SeverityError},
		{"output on SQL Server", mssql, sqlData{source: "EXEC p ? OUTPUT", params: []executesql.Parameter{{Name: "0", Variable: "User::A", Direction: executesql.Output, DataType: 3}}},
			[]string{"A"}, "", 0},
		{"stored procedure on SQLite", sqlite, sqlData{source: "p", storedProc: true}, nil, executesql.CodeNotSupported, dtsx.SeverityError},
		{"unknown data type", mssql, sqlData{source: "SELECT ?", params: []executesql.Parameter{in("0", "User::A", 999)}}, []string{"A"}, executesql.CodeBadParameter, dtsx.SeverityWarning},
		{"full result named 1", sqlite, sqlData{source: "SELECT 1", result: "ResultSetType_Rowset", results: []executesql.Result{{Name: "1", Variable: "User::R"}}},
			[]string{"R"}, executesql.CodeBadResult, dtsx.SeverityError},
		{"XML result named x", sqlite, sqlData{source: "SELECT 1", result: "ResultSetType_XML", results: []executesql.Result{{Name: "x", Variable: "User::R"}}},
			[]string{"R"}, executesql.CodeBadResult, dtsx.SeverityError},
		{"result binding unused", sqlite, sqlData{source: "SELECT 1", results: []executesql.Result{{Name: "0", Variable: "User::R"}}},
			[]string{"R"}, executesql.CodeBadResult, dtsx.SeverityWarning},
		{"single row bound twice", sqlite, sqlData{source: "SELECT 1 AS n", result: "ResultSetType_SingleRow", results: []executesql.Result{{Name: "n", Variable: "User::N"}, {Name: "N", Variable: "User::M"}}},
			[]string{"N", "M"}, executesql.CodeBadResult, dtsx.SeverityError},
		{"result variable not in scope", sqlite, sqlData{source: "SELECT 1", result: "ResultSetType_SingleRow", results: []executesql.Result{{Name: "0", Variable: "User::Gone"}}},
			nil, executesql.CodeNoVariable, dtsx.SeverityWarning},
		{"full result into a String variable", sqlite, sqlData{source: "SELECT 1", result: "ResultSetType_Rowset", results: []executesql.Result{{Name: "0", Variable: "User::R"}}},
			[]string{"R"}, executesql.CodeBadResult, dtsx.SeverityError},
		{"XML result into a String variable", sqlite, sqlData{source: "SELECT 1", result: "ResultSetType_XML", results: []executesql.Result{{Name: "0", Variable: "User::R"}}},
			[]string{"R"}, "", 0},
		{"full result into an Object variable", sqlite, sqlData{source: "SELECT 1", result: "ResultSetType_Rowset", results: []executesql.Result{{Name: "0", Variable: "User::O"}},
			expressions: objectVariable("O")}, nil, "", 0},
		{"system variable", sqlite, sqlData{source: "SELECT ?1", params: []executesql.Parameter{in("@x", "System::PackageName", 16)}}, nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.conns, tt.d, tt.vars...)
			tasktest.WantDiagnostic(t, f.validate(), f.x, tt.code, tt.sev)
		})
	}
}

// TestValidateExecutesNothing: validating a task whose statement drops a
// table leaves the table there (validation never runs SQL).
func TestValidateExecutesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keep.db")
	conn := dbConn(adoSQLite, "Data Source="+db+";")
	create := newFixture(t, conn, sqlData{source: "CREATE TABLE keep (x INTEGER)"})
	if err := create.run(t); err != nil {
		t.Fatal(err)
	}
	drop := newFixture(t, conn, sqlData{source: "DROP TABLE keep"})
	if ds := drop.task.Validate(context.Background(), drop.env); len(ds) != 0 {
		t.Fatal(ds)
	}
	check := newFixture(t, conn, sqlData{source: "SELECT count(*) FROM keep", result: "ResultSetType_SingleRow",
		results: []executesql.Result{{Name: "0", Variable: "User::N"}}})
	if err := check.run(t); err != nil {
		t.Fatalf("the table is gone after validation: %v", err)
	}
}

// TestConnectionFailure: a connection that cannot be opened fails the task
// with the manager and the server named, never the password, and quickly.
func TestConnectionFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens: the connection is refused
	const password = "Secret-Pa55word"
	conn := dbConn(adoNpgsql, fmt.Sprintf("Host=127.0.0.1;Port=%d;Database=x;Username=u;Password=%s;Timeout=5;", port, password))
	f := newFixture(t, conn, sqlData{source: "SELECT 1"})
	start := time.Now()
	err = f.run(t)
	if err == nil {
		t.Fatal("the task ran without its server")
	}
	msg := err.Error()
	if !strings.Contains(msg, `Execute SQL task "Run SQL"`) || !strings.Contains(msg, `connection manager "DB"`) ||
		!strings.Contains(msg, "127.0.0.1") || !errors.Is(err, database.ErrConnect) {
		t.Errorf("error %q: want the task, the manager and the server", msg)
	}
	if strings.Contains(msg, password) {
		t.Errorf("the error shows the password: %q", msg)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("failing took %v", d)
	}
	// A host the fence refuses is not dialed.
	conn = dbConn(adoNpgsql, "Host=10.1.2.3;Database=x;Username=u;Password="+password+";")
	f = newFixture(t, conn, sqlData{source: "SELECT 1"})
	if err := f.run(t); !errors.Is(err, database.ErrRefused) || strings.Contains(err.Error(), password) {
		t.Errorf("fenced host: %v", err)
	}
}
