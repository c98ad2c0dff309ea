package runtime_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/executepackage"
)

// tempTableTask fills a temporary table on the retained session of the
// database manager DB, and remembers the manager.
type tempTableTask struct {
	def  *dtsx.Executable
	seen *managers
}

type managers struct {
	sync.Mutex
	list []*database.Manager
}

func (t *tempTableTask) Validate(context.Context, tasks.Env) dtsx.Diagnostics { return nil }

func (t *tempTableTask) Execute(ctx context.Context, env tasks.RunEnv) error {
	c, err := env.Connection("DB")
	if err != nil {
		return err
	}
	m := c.(*database.Manager)
	t.seen.Lock()
	t.seen.list = append(t.seen.list, m)
	t.seen.Unlock()
	s, err := m.Acquire(ctx, m.Run)
	if err != nil {
		return err
	}
	defer s.Release()
	if _, err := s.Conn.ExecContext(ctx, "CREATE TEMP TABLE kept (x INTEGER)"); err != nil {
		return err
	}
	_, err = s.Conn.ExecContext(ctx, "INSERT INTO kept VALUES (1)")
	return err
}

// dbPkg is a package with a retained SQLite manager DB on file, a task
// that fills a temporary table on it, and, with child set, an Execute
// Package Task that runs child.dtsx.
func dbPkg(name, file string, child bool) string {
	x := `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="` + name + `">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers><DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[DB]" DTS:CreationName="ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite"
    DTS:DTSID="{00000000-0000-0000-0000-0000000000D1}" DTS:ObjectName="DB"><DTS:ObjectData><DTS:ConnectionManager DTS:Retain="True" DTS:ConnectionString="Data Source=` + file + `;" /></DTS:ObjectData></DTS:ConnectionManager></DTS:ConnectionManagers>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\fill" DTS:CreationName="Test.TempTable" DTS:DTSID="{00000000-0000-0000-0000-000000000001}" DTS:ExecutableType="Test.TempTable" DTS:ObjectName="fill"/>`
	if child {
		x += `
    <DTS:Executable DTS:refId="Package\Run child" DTS:CreationName="Microsoft.ExecutePackageTask" DTS:DTSID="{00000000-0000-0000-0000-000000000002}"
      DTS:ExecutableType="Microsoft.ExecutePackageTask" DTS:ObjectName="Run child">
      <DTS:ObjectData><ExecutePackageTask><UseProjectReference>True</UseProjectReference><PackageName>child.dtsx</PackageName></ExecutePackageTask></DTS:ObjectData>
    </DTS:Executable>`
	}
	return x + `
  </DTS:Executables>
</DTS:Executable>`
}

// TestDatabaseManagersClosedWhenTheRunEnds: the session a
// RetainSameConnection manager keeps through a run (its temporary table
// lives in it) is closed when the run ends, the child package's as well as
// the parent's: acquiring again afterwards opens a new session, without
// the table.
func TestDatabaseManagersClosedWhenTheRunEnds(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "parent.dtsx"), []byte(dbPkg("parent", filepath.Join(dir, "parent.db"), true)), 0o644)
	os.WriteFile(filepath.Join(dir, "child.dtsx"), []byte(dbPkg("child", filepath.Join(dir, "child.db"), false)), 0o644)
	p, err := dtsx.LoadPackageFile(filepath.Join(dir, "parent.dtsx"))
	if err != nil {
		t.Fatal(err)
	}
	seen := &managers{}
	reg := tasks.NewRegistry()
	reg.Register("Test.TempTable", func(def *dtsx.Executable) (tasks.Task, error) { return &tempTableTask{def: def, seen: seen}, nil })
	reg.Register("Microsoft.ExecutePackageTask", executepackage.New)
	rep := runtime.Build(p, runtime.Options{Tasks: reg}).Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1})
	if rep.Status != runtime.Success {
		t.Fatalf("status %v, errors %+v", rep.Status, rep.Errors)
	}
	if len(seen.list) != 2 || seen.list[0] == seen.list[1] {
		t.Fatalf("%d managers seen, want the parent's and the child's", len(seen.list))
	}
	ctx := context.Background()
	for i, m := range seen.list {
		s, err := m.Acquire(ctx, m.Run)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		err = s.Conn.QueryRowContext(ctx, "SELECT count(*) FROM kept").Scan(&n)
		if err == nil || !strings.Contains(err.Error(), "no such table") {
			t.Errorf("manager %d: the temporary table survived the run (%d rows, %v): its session was not closed", i, n, err)
		}
		s.Release()
		m.Close()
	}
}

// TestDatabasePropertyExpressions: property expressions retarget a
// database manager as they do an SMTP one: an OLE DB SQL Server manager
// whose ConnectionString expression names an embedded SQLite file, and an
// Npgsql one whose ServerName and UserName expressions set Host and
// Username, hold the evaluated values when the run has started.
func TestDatabasePropertyExpressions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "expr.db")
	xml := `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Sql]" DTS:CreationName="OLEDB" DTS:DTSID="{00000000-0000-0000-0000-0000000000D1}" DTS:ObjectName="Sql">
      <DTS:PropertyExpression DTS:Name="ConnectionString">"Provider=System.Data.SQLite;Data Source=" + @[User::File] + ";"</DTS:PropertyExpression>
      <DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Data Source=sql01;Initial Catalog=dw;Provider=SQLNCLI11.1;User ID=etl;Password=x;" /></DTS:ObjectData>
    </DTS:ConnectionManager>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Pg]" DTS:CreationName="ADO.NET:Npgsql.NpgsqlConnection, Npgsql" DTS:DTSID="{00000000-0000-0000-0000-0000000000D2}" DTS:ObjectName="Pg">
      <DTS:PropertyExpression DTS:Name="ServerName">@[User::Host]</DTS:PropertyExpression>
      <DTS:PropertyExpression DTS:Name="UserName">"etl_" + @[User::Host]</DTS:PropertyExpression>
      <DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Server=old;Database=dw;User ID=nobody;" /></DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C1}" DTS:Namespace="User" DTS:ObjectName="File"><DTS:VariableValue DTS:DataType="8">` + file + `</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C2}" DTS:Namespace="User" DTS:ObjectName="Host"><DTS:VariableValue DTS:DataType="8">pg02</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables/>
</DTS:Executable>`
	p, err := dtsx.LoadPackage("expr.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	rp := runtime.Build(p, runtime.Options{})
	rep := rp.Execute(context.Background(), runtime.RunOptions{})
	if rep.Status != runtime.Success {
		t.Fatalf("status %v, errors %+v", rep.Status, rep.Errors)
	}
	sqlM, _ := rp.Connection("Sql")
	if c := sqlM.(*database.Manager).Config(); c.Provider.Family != database.FamilySQLite || c.Path != file {
		t.Errorf("Sql: %v %q, want SQLite on %s", c.Provider.Family, c.Path, file)
	}
	pgM, _ := rp.Connection("Pg")
	if c := pgM.(*database.Manager).Config(); c.Host != "pg02" || c.User != "etl_pg02" {
		t.Errorf("Pg: host %q user %q (%s)", c.Host, c.User, c)
	}
}
