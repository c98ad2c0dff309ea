package executesql_test

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// sqlTask is the XML of an Execute SQL task of the runtime test's package.
func sqlTask(ref, id, name string, d sqlData) string {
	return fmt.Sprintf(`<DTS:Executable DTS:refId="%s" DTS:CreationName="Microsoft.ExecuteSQLTask" DTS:DTSID="%s"
      DTS:ExecutableType="Microsoft.ExecuteSQLTask" DTS:ObjectName="%s"><DTS:ObjectData>%s</DTS:ObjectData></DTS:Executable>`,
		ref, id, name, d.xml())
}

// TestRuntimeOnErrorGetsTheServerMessage runs a package through the
// runtime against SQLite: tasks in sequence create tables, insert with a
// parameter, read a count into an Int32 variable (a single row) and
// insert it again, and a failing statement's OnError handler writes
// System::ErrorDescription into a table: what the handler sees is the
// server's message.
func TestRuntimeOnErrorGetsTheServerMessage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "run.db")
	id := func(n int) string { return fmt.Sprintf("{50000000-0000-0000-0000-%012d}", n) }
	tasksXML := []string{
		sqlTask(`Package\Create`, id(1), "Create", sqlData{source: "CREATE TABLE people (id INTEGER, name TEXT); CREATE TABLE counts (n INTEGER); CREATE TABLE errors (msg TEXT)"}),
		sqlTask(`Package\Insert`, id(2), "Insert", sqlData{source: "INSERT INTO people VALUES (1, @name), (2, @name || '2')",
			params: []executesql.Parameter{{Name: "@name", Variable: "User::Name", DataType: 16, Size: -1}}}),
		sqlTask(`Package\Count`, id(3), "Count", sqlData{source: "SELECT count(*) AS n FROM people", result: "ResultSetType_SingleRow",
			results: []executesql.Result{{Name: "n", Variable: "User::N"}}}),
		sqlTask(`Package\Keep Count`, id(4), "Keep Count", sqlData{source: "INSERT INTO counts VALUES (@n)",
			params: []executesql.Parameter{{Name: "@n", Variable: "User::N", DataType: 11, Size: -1}}}),
		sqlTask(`Package\Fail`, id(5), "Fail", sqlData{source: "INSERT INTO nowhere VALUES (1)"}),
	}
	var constraints strings.Builder
	names := []string{"Create", "Insert", "Count", "Keep Count", "Fail"}
	for i := 1; i < len(names); i++ {
		fmt.Fprintf(&constraints, `<DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[C%d]" DTS:From="Package\%s" DTS:To="Package\%s" DTS:LogicalAnd="True" DTS:ObjectName="C%d"/>`,
			i, names[i-1], names[i], i)
	}
	handler := fmt.Sprintf(`<DTS:EventHandlers><DTS:EventHandler DTS:refId="Package.EventHandlers[OnError]" DTS:CreationName="OnError" DTS:DTSID="%s" DTS:EventID="0" DTS:EventName="OnError">
    <DTS:Executables>%s</DTS:Executables></DTS:EventHandler></DTS:EventHandlers>`, id(9),
		sqlTask(`Package.EventHandlers[OnError]\Log Error`, id(10), "Log Error", sqlData{source: "INSERT INTO errors VALUES (@msg)",
			params: []executesql.Parameter{{Name: "@msg", Variable: "System::ErrorDescription", DataType: 16, Size: -1}}}))
	xml := fmt.Sprintf(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="run">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>%s</DTS:ConnectionManagers>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="%s" DTS:Namespace="User" DTS:ObjectName="Name"><DTS:VariableValue DTS:DataType="8">alice</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="%s" DTS:Namespace="User" DTS:ObjectName="N"><DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>%s</DTS:Executables>
  <DTS:PrecedenceConstraints>%s</DTS:PrecedenceConstraints>
  %s
</DTS:Executable>`, dbConn(adoSQLite, "Data Source="+html.EscapeString(db)+";"), id(20), id(21), strings.Join(tasksXML, "\n"), constraints.String(), handler)
	def, err := dtsx.LoadPackage("run.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	p := runtime.Build(def, runtime.Options{Connections: registry()})
	for _, m := range p.Connections.All() {
		if dm, ok := m.(*database.Manager); ok {
			dm.Run = loopbackOnly
			defer dm.Close()
		}
	}
	if ds := p.Validate(context.Background()); ds.HasErrors() {
		t.Fatal(ds)
	}
	rep := p.Execute(context.Background(), runtime.RunOptions{})
	if rep.Status != runtime.Failure {
		t.Errorf("status %s, want Failure", rep.Status)
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow("SELECT n FROM counts").Scan(&n); err != nil || n != 2 {
		t.Errorf("counts: %d, %v; want the single row's 2 passed on through User::N", n, err)
	}
	var names2 string
	if err := conn.QueryRow("SELECT group_concat(name, ',') FROM people").Scan(&names2); err != nil || names2 != "alice,alice2" {
		t.Errorf("people: %q, %v", names2, err)
	}
	var msg string
	if err := conn.QueryRow("SELECT msg FROM errors").Scan(&msg); err != nil {
		t.Fatalf("the OnError handler wrote nothing: %v", err)
	}
	if !strings.Contains(msg, `Executing the query "INSERT INTO nowhere VALUES (1)" failed with the following error:`) || !strings.Contains(msg, "no such table: nowhere") {
		t.Errorf("System::ErrorDescription was %q", msg)
	}
}
