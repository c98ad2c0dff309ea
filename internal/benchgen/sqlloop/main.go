// Command sqlloop is the two sides of bench/executesql.sh: gen writes a
// package whose For Loop runs a single-row Execute SQL task N times on one
// retained ADO.NET (Npgsql) connection, and pgx runs the same statement N
// times on one bare pgx connection, the baseline measured beside it.
//
//	sqlloop gen N FILE   write the package
//	sqlloop pgx N        run the baseline against $DTSX_PG_DSN
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: sqlloop gen N FILE | sqlloop pgx N")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "sqlloop: N must be a whole number above 0")
		os.Exit(2)
	}
	switch {
	case os.Args[1] == "gen" && len(os.Args) == 4:
		err = os.WriteFile(os.Args[3], []byte(Package(n)), 0o644)
	case os.Args[1] == "pgx":
		err = baseline(context.Background(), os.Getenv("DTSX_PG_DSN"), n)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqlloop:", err)
		os.Exit(1)
	}
}

// Statement is the statement both sides run, in each one's marker syntax:
// ADO.NET's @name for the package, PostgreSQL's $1 for bare pgx.
const (
	Statement    = "SELECT @n + 1 AS next"
	PgxStatement = "SELECT $1::int + 1 AS next"
	adonetInt32  = 11 // System.Data.DbType.Int32
)

// baseline runs the statement n times on one pgx connection, scanning the
// single row each time, and checks the last answer.
func baseline(ctx context.Context, dsn string, n int) error {
	if dsn == "" {
		return fmt.Errorf("DTSX_PG_DSN is not set (start scripts/postgres/start.sh and source its env)")
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	start := time.Now()
	var next int32
	for i := 1; i <= n; i++ {
		if err := conn.QueryRow(ctx, PgxStatement, i).Scan(&next); err != nil {
			return err
		}
	}
	if int(next) != n+1 {
		return fmt.Errorf("the last row said %d, want %d", next, n+1)
	}
	fmt.Printf("pgx: %d statements in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// Package returns the benchmark package: a For Loop from 1 to n whose Execute
// SQL task binds User::I to @n and reads the single row's next into
// User::Next. Its "Bench
// DB" manager is retargeted with --conn; it retains its connection.
func Package(n int) string {
	return fmt.Sprintf(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{6B1C0E2A-0000-4000-8000-000000000001}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="executesql-loop"
  DTS:ProtectionLevel="0" DTS:VersionGUID="{6B1C0E2A-0000-4000-8000-000000000002}">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Bench DB]" DTS:CreationName="ADO.NET:Npgsql.NpgsqlConnection, Npgsql"
      DTS:DTSID="{6B1C0E2A-0000-4000-8000-000000000003}" DTS:ObjectName="Bench DB">
      <DTS:ObjectData>
        <DTS:ConnectionManager DTS:Retain="True" DTS:ConnectionString="Host=127.0.0.1;Port=5432;Database=dtsx;Username=dtsx;" />
      </DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{6B1C0E2A-0000-4000-8000-000000000004}" DTS:Namespace="User" DTS:ObjectName="I">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue>
    </DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{6B1C0E2A-0000-4000-8000-000000000005}" DTS:Namespace="User" DTS:ObjectName="Next">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue>
    </DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Loop" DTS:CreationName="STOCK:FORLOOP" DTS:DTSID="{6B1C0E2A-0000-4000-8000-000000000006}"
      DTS:ExecutableType="STOCK:FORLOOP" DTS:ObjectName="Loop" DTS:InitExpression="@[User::I] = 1"
      DTS:EvalExpression="@[User::I] &lt;= %d" DTS:AssignExpression="@[User::I] = @[User::I] + 1">
      <DTS:Variables />
      <DTS:Executables>
        <DTS:Executable DTS:refId="Package\Loop\Next" DTS:CreationName="Microsoft.ExecuteSQLTask"
          DTS:DTSID="{6B1C0E2A-0000-4000-8000-000000000007}" DTS:ExecutableType="Microsoft.ExecuteSQLTask" DTS:ObjectName="Next">
          <DTS:Variables />
          <DTS:ObjectData>
            <SQLTask:SqlTaskData SQLTask:Connection="{6B1C0E2A-0000-4000-8000-000000000003}" SQLTask:ResultType="ResultSetType_SingleRow"
              SQLTask:SqlStatementSource="%s" xmlns:SQLTask="www.microsoft.com/sqlserver/dts/tasks/sqltask">
              <SQLTask:ParameterBinding SQLTask:ParameterName="@n" SQLTask:DtsVariableName="User::I" SQLTask:ParameterDirection="Input"
                SQLTask:DataType="%d" SQLTask:ParameterSize="-1" />
              <SQLTask:ResultBinding SQLTask:ResultName="next" SQLTask:DtsVariableName="User::Next" />
            </SQLTask:SqlTaskData>
          </DTS:ObjectData>
        </DTS:Executable>
      </DTS:Executables>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>
`, n, Statement, adonetInt32)
}
