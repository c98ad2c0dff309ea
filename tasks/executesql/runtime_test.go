package executesql_test

import (
	"context"
	"fmt"
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
// runtime against SQLite (and, with DTSX_REAL_PG=1, PostgreSQL): tasks in
// sequence create tables, insert with a parameter, read a count into an
// Int32 variable (a single row) and insert it again, and a failing
// statement's OnError handler writes System::ErrorDescription into a
// table: what the handler sees is the server's message.
func TestRuntimeOnErrorGetsTheServerMessage(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "run.db")
		runOnError(t, dbConn(adoSQLite, "Data Source="+db+";"), "no such table: nowhere_")
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		runOnError(t, realPG(t)["ado.net"], `relation "nowhere_`)
	})
}

func runOnError(t *testing.T, conn, wantMsg string) {
	tbl := table(t)
	people, counts, errs, nowhere := tbl+"_people", tbl+"_counts", tbl+"_errors", "nowhere_"+tbl
	id := func(n int) string { return fmt.Sprintf("{50000000-0000-0000-0000-%012d}", n) }
	tasksXML := []string{
		sqlTask(`Package\Create`, id(1), "Create", sqlData{source: fmt.Sprintf("CREATE TABLE %s (id INTEGER, name TEXT); CREATE TABLE %s (n INTEGER); CREATE TABLE %s (msg TEXT)", people, counts, errs)}),
		sqlTask(`Package\Insert`, id(2), "Insert", sqlData{source: "INSERT INTO " + people + " VALUES (1, @name), (2, @name || '2')",
			params: []executesql.Parameter{{Name: "@name", Variable: "User::Name", DataType: 16, Size: -1}}}),
		sqlTask(`Package\Count`, id(3), "Count", sqlData{source: "SELECT count(*) AS n FROM " + people, result: "ResultSetType_SingleRow",
			results: []executesql.Result{{Name: "n", Variable: "User::N"}}}),
		sqlTask(`Package\Keep Count`, id(4), "Keep Count", sqlData{source: "INSERT INTO " + counts + " VALUES (@n)",
			params: []executesql.Parameter{{Name: "@n", Variable: "User::N", DataType: 11, Size: -1}}}),
		sqlTask(`Package\Fail`, id(5), "Fail", sqlData{source: "INSERT INTO " + nowhere + " VALUES (1)"}),
	}
	var constraints strings.Builder
	names := []string{"Create", "Insert", "Count", "Keep Count", "Fail"}
	for i := 1; i < len(names); i++ {
		fmt.Fprintf(&constraints, `<DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[C%d]" DTS:From="Package\%s" DTS:To="Package\%s" DTS:LogicalAnd="True" DTS:ObjectName="C%d"/>`,
			i, names[i-1], names[i], i)
	}
	handler := fmt.Sprintf(`<DTS:EventHandlers><DTS:EventHandler DTS:refId="Package.EventHandlers[OnError]" DTS:CreationName="OnError" DTS:DTSID="%s" DTS:EventID="0" DTS:EventName="OnError">
    <DTS:Executables>%s</DTS:Executables></DTS:EventHandler></DTS:EventHandlers>`, id(9),
		sqlTask(`Package.EventHandlers[OnError]\Log Error`, id(10), "Log Error", sqlData{source: "INSERT INTO " + errs + " VALUES (@msg)",
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
</DTS:Executable>`, conn, id(20), id(21), strings.Join(tasksXML, "\n"), constraints.String(), handler)
	def, err := dtsx.LoadPackage("run.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	p := runtime.Build(def, runtime.Options{Connections: registry()})
	var dm *database.Manager
	for _, m := range p.Connections.All() {
		if m, ok := m.(*database.Manager); ok {
			dm = m
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
	ctx := context.Background()
	s, err := dm.Acquire(ctx, loopbackOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	t.Cleanup(func() {
		for _, x := range []string{people, counts, errs} {
			s.Conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+x)
		}
	})
	var n int
	if err := s.Conn.QueryRowContext(ctx, "SELECT n FROM "+counts).Scan(&n); err != nil || n != 2 {
		t.Errorf("counts: %d, %v; want the single row's 2 passed on through User::N", n, err)
	}
	var got []string
	rows, err := s.Conn.QueryContext(ctx, "SELECT name FROM "+people+" ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		got = append(got, name)
	}
	rows.Close()
	if strings.Join(got, ",") != "alice,alice2" {
		t.Errorf("people: %q", got)
	}
	var msg string
	if err := s.Conn.QueryRowContext(ctx, "SELECT msg FROM "+errs).Scan(&msg); err != nil {
		t.Fatalf("the OnError handler wrote nothing: %v", err)
	}
	t.Logf("System::ErrorDescription: %s", msg)
	if !strings.Contains(msg, `Executing the query "INSERT INTO `+nowhere+` VALUES (1)" failed with the following error:`) || !strings.Contains(msg, wantMsg) {
		t.Errorf("System::ErrorDescription was %q", msg)
	}
}
