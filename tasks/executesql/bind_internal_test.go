package executesql

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/tasktest"
)

// sqlServerTask builds a task on an OLE DB or ADO.NET SQL Server
// connection (nothing is dialed) and a run environment with User::A = 7,
// User::B = "b".
func sqlServerTask(t *testing.T, creation, stmt string, proc bool, params ...Parameter) (*Task, *tasktest.Env, database.Kind) {
	t.Helper()
	var b strings.Builder
	for _, p := range params {
		fmt.Fprintf(&b, `<SQLTask:ParameterBinding SQLTask:ParameterName="%s" SQLTask:DtsVariableName="%s" SQLTask:ParameterDirection="%s" SQLTask:DataType="%d"/>`,
			p.Name, p.Variable, p.Direction, p.DataType)
	}
	data := fmt.Sprintf(`<SQLTask:SqlTaskData xmlns:SQLTask="www.microsoft.com/sqlserver/dts/tasks/sqltask" SQLTask:Connection="DB" SQLTask:SqlStatementSource="%s" SQLTask:IsStoredProc="%v">%s</SQLTask:SqlTaskData>`,
		stmt, proc, b.String())
	conn := tasktest.Connection("DB", creation, "{20000000-0000-0000-0000-000000000001}",
		`<DTS:ConnectionManager DTS:ConnectionString="Provider=SQLNCLI11;Data Source=db.example.com;Initial Catalog=x;User ID=u;Password=p;"/>`)
	p, x := tasktest.Package(t, conn, tasktest.Task{Name: "t", Type: "Microsoft.ExecuteSQLTask", Data: data})
	reg := connections.NewRegistry()
	db := func(def *dtsx.ConnectionManager) (connections.Manager, error) { return database.New(def) }
	reg.Register("OLEDB", db)
	reg.Register("ADO.NET", db)
	c, _ := connections.NewCollection(reg, p.Connections, nil)
	task, _ := New(x)
	env := &tasktest.Env{T: t, Conns: c, Vars: map[string]expr.Value{"User::A": expr.I4(7), "User::B": expr.Str("b")}}
	kind, _ := database.ParseKind(creation)
	return task.(*Task), env, kind
}

// TestBindSQLServer: the statement and arguments go-mssqldb gets for
// each connection type: @p1, @p2 for ? markers in marker order (with the
// return code of "? = EXEC" first), sql.Named for ADO.NET's @names,
// sql.Out for Output and ReturnValue, an RPC call with ReturnStatus for a
// stored procedure by name.
func TestBindSQLServer(t *testing.T) {
	t.Run("OLE DB return code and output", func(t *testing.T) {
		task, env, kind := sqlServerTask(t, "OLEDB", "? = EXEC dbo.p ?, ? OUTPUT", false,
			Parameter{Name: "2", Variable: "User::B", Direction: Output, DataType: 130},
			Parameter{Name: "0", Variable: "User::R", Direction: ReturnValue, DataType: 3},
			Parameter{Name: "1", Variable: "User::A", Direction: Input, DataType: 3})
		calls, err := task.calls(env, task.Props.SqlStatementSource, database.FamilySQLServer, kind)
		if err != nil {
			t.Fatal(err)
		}
		c := calls[0]
		if c.sql != "EXEC @p1 = dbo.p @p2, @p3 OUTPUT" || len(c.args) != 3 || len(c.outs) != 2 {
			t.Fatalf("call %q %#v", c.sql, c.args)
		}
		if o, ok := c.args[0].(sql.Out); !ok || o.In {
			t.Errorf("return code argument %#v", c.args[0])
		}
		if c.args[1] != int64(7) {
			t.Errorf("input argument %#v", c.args[1])
		}
		if o, ok := c.args[2].(sql.Out); !ok || !o.In || *(o.Dest.(*any)) != "b" {
			t.Errorf("output argument %#v", c.args[2])
		}
		if c.outs[0].variable != "User::R" || c.outs[1].variable != "User::B" {
			t.Errorf("outs %+v", c.outs)
		}
	})
	t.Run("OLE DB GO batches number their markers on", func(t *testing.T) {
		task, env, kind := sqlServerTask(t, "OLEDB", "INSERT t VALUES (?)&#xA;GO 2&#xA;SELECT ?", false,
			Parameter{Name: "0", Variable: "User::A", DataType: 3}, Parameter{Name: "1", Variable: "User::B", DataType: 129})
		calls, err := task.calls(env, task.Props.SqlStatementSource, database.FamilySQLServer, kind)
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != 3 || calls[0].sql != "INSERT t VALUES (@p1)\n" || calls[1].sql != calls[0].sql ||
			calls[2].sql != "SELECT @p1" || !reflect.DeepEqual(calls[2].args, []any{"b"}) {
			t.Errorf("calls %+v", calls)
		}
	})
	t.Run("ADO.NET named", func(t *testing.T) {
		task, env, kind := sqlServerTask(t, "ADO.NET:System.Data.SqlClient.SqlConnection, System.Data", "UPDATE t SET b = @b WHERE a = @a OR a = @a", false,
			Parameter{Name: "@a", Variable: "User::A", DataType: 11}, Parameter{Name: "@b", Variable: "User::B", DataType: 16})
		calls, err := task.calls(env, task.Props.SqlStatementSource, database.FamilySQLServer, kind)
		if err != nil {
			t.Fatal(err)
		}
		want := []any{sql.Named("b", "b"), sql.Named("a", int64(7))}
		if c := calls[0]; c.sql != task.Props.SqlStatementSource || !reflect.DeepEqual(c.args, want) {
			t.Errorf("call %q %#v", c.sql, c.args)
		}
	})
	t.Run("stored procedure by name", func(t *testing.T) {
		task, env, kind := sqlServerTask(t, "ADO.NET:System.Data.SqlClient.SqlConnection, System.Data", "dbo.p", true,
			Parameter{Name: "@RETURN_VALUE", Variable: "User::R", Direction: ReturnValue, DataType: 11},
			Parameter{Name: "@a", Variable: "User::A", DataType: 11})
		calls, err := task.calls(env, "dbo.p", database.FamilySQLServer, kind)
		if err != nil {
			t.Fatal(err)
		}
		c := calls[0]
		if _, ok := c.args[0].(*mssql.ReturnStatus); !ok || c.sql != "dbo.p" || !reflect.DeepEqual(c.args[1], sql.Named("a", int64(7))) {
			t.Errorf("call %q %#v", c.sql, c.args)
		}
	})
	t.Run("a marker without its mapping", func(t *testing.T) {
		task, env, kind := sqlServerTask(t, "OLEDB", "SELECT ?, ?", false, Parameter{Name: "0", Variable: "User::A", DataType: 3})
		if _, err := task.calls(env, task.Props.SqlStatementSource, database.FamilySQLServer, kind); err == nil ||
			!strings.Contains(err.Error(), "marker 2 has no parameter mapping named 1") {
			t.Errorf("err %v", err)
		}
	})
}

// TestSQLServerError: a SQL Server error keeps its number, line and
// procedure in the error SSIS shows as System::ErrorDescription.
func TestSQLServerError(t *testing.T) {
	me := mssql.Error{Number: 208, Class: 16, LineNo: 3, ProcName: "dbo.load", Message: "Invalid object name 'dbo.nowhere'."}
	err := sqlError("EXEC dbo.load", fmt.Errorf("wrapped: %w", me))
	var se *SQLError
	if !errors.As(err, &se) || se.Number != 208 || se.Line != 3 {
		t.Fatalf("%#v", err)
	}
	want := `Executing the query "EXEC dbo.load" failed with the following error: "Invalid object name 'dbo.nowhere'." (procedure dbo.load) (error 208, line 3)`
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
	var back mssql.Error
	if !errors.As(err, &back) || back.Number != 208 {
		t.Error("the driver's error is not kept")
	}
}
