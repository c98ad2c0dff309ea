package executesql_test

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/realpg"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

const (
	dbID   = "{20000000-0000-0000-0000-000000000001}"
	fileID = "{20000000-0000-0000-0000-000000000002}"

	adoSQLite = "ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite, Version=1.0.118.0, Culture=neutral, PublicKeyToken=db937bc2d44ff139"
	adoNpgsql = "ADO.NET:Npgsql.NpgsqlConnection, Npgsql, Version=4.0.0.0, Culture=neutral, PublicKeyToken=5d8b90d52f46fda7"
	adoSQL    = "ADO.NET:System.Data.SqlClient.SqlConnection, System.Data, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"
)

// registry is the connection registry of the tests: the database managers
// and File, whatever connections/builtin registers today.
func registry() *connections.Registry {
	r := connections.NewRegistry()
	db := func(def *dtsx.ConnectionManager) (connections.Manager, error) { return database.New(def) }
	r.Register("OLEDB", db)
	r.Register("ADO.NET", db)
	r.Register("ODBC", db)
	r.Register("FILE", func(def *dtsx.ConnectionManager) (connections.Manager, error) { return file.New(def) })
	r.Register("SMTP", connections.NewGeneric)
	r.Register("EXCEL", connections.NewGeneric)
	return r
}

// dbConn is the XML of a database connection manager named DB.
func dbConn(creation, cs string) string {
	return tasktest.Connection("DB", creation, dbID,
		fmt.Sprintf(`<DTS:ConnectionManager DTS:ConnectionString="%s"/>`, html.EscapeString(cs)))
}

// fileConn is the XML of a File connection manager named SQLFile.
func fileConn(path string) string {
	return tasktest.Connection("SQLFile", "FILE", fileID,
		fmt.Sprintf(`<DTS:ConnectionManager DTS:ConnectionString="%s"/>`, html.EscapeString(path)))
}

// sqlData is an SqlTaskData payload.
type sqlData struct {
	conn, source, sourceType, result, timeout string
	storedProc                                bool
	params                                    []executesql.Parameter
	results                                   []executesql.Result
	extra                                     string // more attributes
	expressions                               string // property expressions of the task (XML)
}

func (d sqlData) xml() string {
	var b strings.Builder
	conn := d.conn
	if conn == "" {
		conn = dbID
	}
	fmt.Fprintf(&b, `<SQLTask:SqlTaskData xmlns:SQLTask="www.microsoft.com/sqlserver/dts/tasks/sqltask" SQLTask:Connection="%s" SQLTask:SqlStatementSource="%s"`,
		html.EscapeString(conn), html.EscapeString(d.source))
	if d.sourceType != "" {
		fmt.Fprintf(&b, ` SQLTask:SqlStmtSourceType="%s"`, d.sourceType)
	}
	if d.result != "" {
		fmt.Fprintf(&b, ` SQLTask:ResultType="%s"`, d.result)
	}
	if d.timeout != "" {
		fmt.Fprintf(&b, ` SQLTask:TimeOut="%s"`, d.timeout)
	}
	if d.storedProc {
		b.WriteString(` SQLTask:IsStoredProc="True"`)
	}
	b.WriteString(" " + d.extra + ">")
	for _, p := range d.params {
		fmt.Fprintf(&b, `<SQLTask:ParameterBinding SQLTask:ParameterName="%s" SQLTask:DtsVariableName="%s" SQLTask:ParameterDirection="%s" SQLTask:DataType="%d" SQLTask:ParameterSize="%d"/>`,
			html.EscapeString(p.Name), p.Variable, p.Direction, p.DataType, p.Size)
	}
	for _, r := range d.results {
		fmt.Fprintf(&b, `<SQLTask:ResultBinding SQLTask:ResultName="%s" SQLTask:DtsVariableName="%s"/>`, html.EscapeString(r.Name), r.Variable)
	}
	b.WriteString("</SQLTask:SqlTaskData>")
	return b.String()
}

// variables is the XML of task-scoped String variables User::name.
func variables(names ...string) string {
	var b strings.Builder
	b.WriteString("<DTS:Variables>")
	for i, n := range names {
		fmt.Fprintf(&b, `<DTS:Variable DTS:CreationName="" DTS:DTSID="{40000000-0000-0000-0000-%012d}" DTS:Namespace="User" DTS:ObjectName="%s"><DTS:VariableValue DTS:DataType="8"></DTS:VariableValue></DTS:Variable>`, i, n)
	}
	b.WriteString("</DTS:Variables>")
	return b.String()
}

// fixture is a package holding the connections and one Execute SQL task,
// its task and a run environment over it.
type fixture struct {
	x    *dtsx.Executable
	task *executesql.Task
	env  *tasktest.Env
}

func newFixture(t *testing.T, conns string, d sqlData, vars ...string) *fixture {
	t.Helper()
	p, x := tasktest.Package(t, conns, tasktest.Task{Name: "Run SQL", Type: "Microsoft.ExecuteSQLTask",
		Extra: d.expressions + variables(vars...), Data: d.xml()})
	task, err := executesql.New(x)
	if err != nil {
		t.Fatal(err)
	}
	c, diags := connections.NewCollection(registry(), p.Connections, nil)
	if len(diags) > 0 {
		t.Fatalf("connections: %v", diags)
	}
	for _, m := range c.All() {
		if dm, ok := m.(*database.Manager); ok {
			dm.Run = loopbackOnly
			t.Cleanup(func() { dm.Close() })
		}
	}
	env := &tasktest.Env{T: t, Root: t.TempDir(), Conns: c, Vars: map[string]expr.Value{}}
	return &fixture{x: x, task: task.(*executesql.Task), env: env}
}

// loopbackOnly is the fence of the tests.
var loopbackOnly = database.Options{Allow: realpg.Loopback}

// run executes the task.
func (f *fixture) run(t *testing.T) error {
	t.Helper()
	return f.task.Execute(context.Background(), f.env)
}

// runner runs Execute SQL tasks, one a fixture, on one connection.
type runner struct {
	t    *testing.T
	conn string // the XML of the connection managers
}

// run runs the task of d with the variables vars set.
func (r runner) run(d sqlData, vars map[string]expr.Value) (*fixture, error) {
	r.t.Helper()
	f := newFixture(r.t, r.conn, d)
	for k, v := range vars {
		f.env.Vars[k] = v
	}
	return f, f.run(r.t)
}

// mustRun runs the task of d as run does, and fails the test when it fails.
func (r runner) mustRun(d sqlData, vars map[string]expr.Value) *fixture {
	r.t.Helper()
	f, err := r.run(d, vars)
	if err != nil {
		r.t.Fatal(err)
	}
	return f
}

// fullResult returns the table of the full result set that v holds: for
// an ADO.NET connection (ado) a DataSet of one table, shown as a .NET
// DataSet is; for the others a Rowset.
func fullResult(t *testing.T, v expr.Value, ado bool) *expr.Rowset {
	t.Helper()
	held := v.Held()
	if !ado {
		rs, ok := held.(*expr.Rowset)
		if !ok {
			t.Fatalf("full result set holds %T, want a Rowset", held)
		}
		return rs
	}
	ds, ok := held.(*expr.DataSet)
	if !ok || len(ds.Tables) != 1 {
		t.Fatalf("ADO.NET full result set holds %T %v, want a DataSet of one table", held, held)
	}
	if v.String() != expr.DataSetText {
		t.Errorf("text %q, want %q", v.String(), expr.DataSetText)
	}
	return ds.Tables[0]
}

// validate validates the task against its package's connections.
func (f *fixture) validate() dtsx.Diagnostics {
	return f.task.Validate(context.Background(), f.env)
}

var _ tasks.RunEnv = (*tasktest.Env)(nil)

// objectVariable is the XML of a task-scoped Object variable User::name,
// to put in sqlData.expressions (the XML before the task's variables).
func objectVariable(name string) string {
	return fmt.Sprintf(`<DTS:Variables><DTS:Variable DTS:CreationName="" DTS:DTSID="{41000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="%s"><DTS:VariableValue DTS:DataType="13">System.Object</DTS:VariableValue></DTS:Variable></DTS:Variables>`, name)
}
