package runtime_test

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/realpg"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
)

// sqlTask is a task type of these tests that runs one statement on the
// session its connection manager hands out (ObjectData Connection and
// Statement), as the Execute SQL task does.
type sqlTask struct{ def *dtsx.Executable }

func (t *sqlTask) Validate(context.Context, tasks.Env) dtsx.Diagnostics { return nil }

func (t *sqlTask) Execute(ctx context.Context, env tasks.RunEnv) error {
	ref, _ := t.def.ObjectDataAttr("Connection")
	stmt, _ := t.def.ObjectDataAttr("Statement")
	m, err := env.Connection(ref)
	if err != nil {
		return err
	}
	dm, ok := m.(*database.Manager)
	if !ok {
		return fmt.Errorf("%s is not a database connection manager", ref)
	}
	s, err := dm.Acquire(ctx, dm.Run)
	if err != nil {
		return err
	}
	defer s.Release()
	_, err = s.Conn.ExecContext(ctx, stmt)
	return err
}

// txRegistries are the tests' task registry with Test.SQL, and connection
// registry with the database managers (and MSMQ, which is not one).
func txRegistries(l *runLog) (*connections.Registry, *tasks.Registry) {
	tr := registry(l)
	tr.Register("Test.SQL", func(def *dtsx.Executable) (tasks.Task, error) { return &sqlTask{def: def}, nil })
	cr := connections.NewRegistry()
	db := func(def *dtsx.ConnectionManager) (connections.Manager, error) { return database.New(def) }
	for _, k := range []string{"ADO.NET", "OLEDB", "ODBC"} {
		cr.Register(k, db)
	}
	cr.Register("MSMQ", connections.NewGeneric)
	return cr, tr
}

// txConn is a connection manager of a transaction test package: id is the
// last digits of its DTSID.
type txConn struct {
	name, creation, cs string
	retain             bool
	id                 int
}

func (c txConn) xml() string {
	retain := ""
	if c.retain {
		retain = ` DTS:Retain="True"`
	}
	return fmt.Sprintf(`<DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[%s]" DTS:CreationName="%s" DTS:DTSID="{00000000-0000-0000-0000-0000000000%02d}" DTS:ObjectName="%s">
      <DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="%s"%s/></DTS:ObjectData></DTS:ConnectionManager>`,
		c.name, html.EscapeString(c.creation), c.id, c.name, html.EscapeString(c.cs), retain)
}

// sqlExec is a Test.SQL task named name (refId parent\name) that runs stmt
// on the manager with DTSID id; attrs go on its element.
func sqlExec(parent, name string, id int, stmt, attrs string) string {
	return fmt.Sprintf(`<DTS:Executable DTS:refId="%s\%s" DTS:CreationName="Test.SQL" DTS:DTSID="{00000000-0000-0000-0001-%012d}" DTS:ExecutableType="Test.SQL" DTS:ObjectName="%s"%s>
        <DTS:ObjectData><SQL Connection="{00000000-0000-0000-0000-0000000000%02d}" Statement="%s"/></DTS:ObjectData></DTS:Executable>`,
		parent, name, len(parent)*100+len(name)+int(name[len(name)-1]), name, attrs, id, html.EscapeString(stmt))
}

// sequence is a Sequence container named name under parent with attrs, its
// executables body run one after the other (each constrained on success of
// the one before).
func sequence(parent, name, attrs string, names []string, body ...string) string {
	var pcs strings.Builder
	for i := 1; i < len(names); i++ {
		fmt.Fprintf(&pcs, `<DTS:PrecedenceConstraint DTS:refId="%s\%s.PrecedenceConstraints[c%d]" DTS:From="%s\%s\%s" DTS:To="%s\%s\%s" DTS:ObjectName="c%d"/>`,
			parent, name, i, parent, name, names[i-1], parent, name, names[i], i)
	}
	return fmt.Sprintf(`<DTS:Executable DTS:refId="%s\%s" DTS:CreationName="STOCK:SEQUENCE" DTS:DTSID="{00000000-0000-0000-0002-%012d}" DTS:ExecutableType="STOCK:SEQUENCE" DTS:ObjectName="%s"%s>
      <DTS:Executables>%s</DTS:Executables><DTS:PrecedenceConstraints>%s</DTS:PrecedenceConstraints></DTS:Executable>`,
		parent, name, len(parent)*100+len(name)+int(name[0]), name, attrs, strings.Join(body, ""), pcs.String())
}

// txPkg is a package with the connection managers conns, package
// attributes attrs and the executables body.
func txPkg(conns []txConn, attrs string, body ...string) string {
	var cms strings.Builder
	for _, c := range conns {
		cms.WriteString(c.xml())
	}
	return `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="tx"` + attrs + `>
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>` + cms.String() + `</DTS:ConnectionManagers>
  <DTS:Executables>` + strings.Join(body, "") + `</DTS:Executables>
</DTS:Executable>`
}

// runTx builds and runs a transaction test package, and returns its report
// and events; prepare sees the built package before it runs.
func runTx(t *testing.T, xml string, validateOnly bool, prepare func(*runtime.Package)) (*runtime.Report, []runtime.Event) {
	t.Helper()
	p := loadPkg(t, xml)
	l := &runLog{seen: map[string]string{}}
	cr, tr := txRegistries(l)
	rp := runtime.Build(p, runtime.Options{Connections: cr, Tasks: tr})
	if prepare != nil {
		prepare(rp)
	}
	var mu sync.Mutex
	var events []runtime.Event
	rep := rp.Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1, ValidateOnly: validateOnly,
		OnEvent: func(e runtime.Event) { mu.Lock(); events = append(events, e); mu.Unlock() }})
	return rep, events
}

// txDB is the database of a transaction test: a way to run a statement
// and count the rows of its table outside the package.
type txDB struct {
	t     *testing.T
	m     *database.Manager
	opts  database.Options
	table string
}

func (d txDB) exec(stmt string) {
	d.t.Helper()
	ctx := context.Background()
	s, err := d.m.Acquire(ctx, d.opts)
	if err != nil {
		d.t.Fatal(err)
	}
	defer s.Release()
	if _, err := s.Conn.ExecContext(ctx, stmt); err != nil {
		d.t.Fatal(err)
	}
}

func (d txDB) rows() string {
	d.t.Helper()
	ctx := context.Background()
	s, err := d.m.Acquire(ctx, d.opts)
	if err != nil {
		d.t.Fatal(err)
	}
	defer s.Release()
	rs, err := s.Conn.QueryContext(ctx, `SELECT n FROM `+d.table+` ORDER BY n`)
	if err != nil {
		d.t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var n int
		if err := rs.Scan(&n); err != nil {
			d.t.Fatal(err)
		}
		out = append(out, fmt.Sprint(n))
	}
	return strings.Join(out, " ")
}

// openTxDB opens a manager (without RetainSameConnection) on the database
// of conn, outside any package.
func openTxDB(t *testing.T, conn txConn, opts database.Options, table string) txDB {
	t.Helper()
	c := conn
	c.retain = false
	p, err := dtsx.LoadPackage("db.dtsx", []byte(txPkg([]txConn{c}, "")))
	if err != nil {
		t.Fatal(err)
	}
	m, err := database.New(p.Connections[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return txDB{t: t, m: m, opts: opts, table: table}
}

const sqliteADO = "ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite"

// txRunCases are the transactions that run, on a database whose table is
// table, through the manager conn (id 1) and the options opts.
func txRunCases(table string) []struct {
	name, xml string
	status    runtime.Status
	rows      string
	event     string
} {
	ins := func(n int) string { return fmt.Sprintf("INSERT INTO %s (n) VALUES (%d)", table, n) }
	bad := "INSERT INTO no_such_table_here (n) VALUES (1)"
	req := ` DTS:TransactionOption="2"`
	return []struct {
		name, xml string
		status    runtime.Status
		rows      string
		event     string
	}{
		{"Required Sequence, success commits", sequence("Package", "seq", req, []string{"one", "two"},
			sqlExec(`Package\seq`, "one", 1, ins(1), ""), sqlExec(`Package\seq`, "two", 1, ins(2), "")),
			runtime.Success, "1 2", `committed the local transaction on connection manager "Db"`},
		{"Required Sequence, a failing second statement leaves no row of the first", sequence("Package", "seq", req, []string{"one", "two"},
			sqlExec(`Package\seq`, "one", 1, ins(1), ""), sqlExec(`Package\seq`, "two", 1, bad, "")),
			runtime.Failure, "", `rolled back the local transaction on connection manager "Db"`},
		{"Supported (the default) starts none: the first row stays", sequence("Package", "seq", "", []string{"one", "two"},
			sqlExec(`Package\seq`, "one", 1, ins(1), ""), sqlExec(`Package\seq`, "two", 1, bad, "")),
			runtime.Failure, "1", ""},
		{"a nested Supported Sequence joins", sequence("Package", "seq", req, []string{"one", "inner"},
			sqlExec(`Package\seq`, "one", 1, ins(1), ""),
			sequence(`Package\seq`, "inner", ` DTS:TransactionOption="1"`, []string{"two", "three"},
				sqlExec(`Package\seq\inner`, "two", 1, ins(2), ""), sqlExec(`Package\seq\inner`, "three", 1, bad, ""))),
			runtime.Failure, "", "rolled back"},
		{"a nested Required Sequence joins the outer transaction", sequence("Package", "seq", req, []string{"one", "inner"},
			sqlExec(`Package\seq`, "one", 1, ins(1), ""),
			sequence(`Package\seq`, "inner", req, []string{"two"}, sqlExec(`Package\seq\inner`, "two", 1, ins(2), ""))),
			runtime.Success, "1 2", "committed"},
		{"a Required task is a transaction of its own", sqlExec("Package", "one", 1, ins(1), req),
			runtime.Success, "1", "committed"},
		{"a Required Foreach Loop commits all its iterations", itemLoop(req, 3, sqlExec(`Package\loop`, "one", 1, ins(7), "")),
			runtime.Success, "7 7 7", "committed"},
		// The second pass fails: the table its first pass created exists.
		{"a Required Foreach Loop whose second pass fails rolls back the first", itemLoop(req, 2,
			sequence(`Package\loop`, "body", "", []string{"one", "once"}, sqlExec(`Package\loop\body`, "one", 1, ins(7), ""),
				sqlExec(`Package\loop\body`, "once", 1, "CREATE TABLE "+table+"_once (n int)", ""))),
			runtime.Failure, "", "rolled back"},
	}
}

// itemLoop is a Foreach Loop "loop" with attrs whose Item enumerator has n
// items, running body for each.
func itemLoop(attrs string, n int, body string) string {
	items := strings.Repeat(`<FEIEItem><FEIEItemValue Type="3" Value="1"/></FEIEItem>`, n)
	return `<DTS:Executable DTS:refId="Package\loop" DTS:CreationName="STOCK:FOREACHLOOP" DTS:DTSID="{00000000-0000-0000-0003-000000000001}" DTS:ExecutableType="STOCK:FOREACHLOOP" DTS:ObjectName="loop"` + attrs + `>
      <DTS:ForEachEnumerator DTS:CreationName="Microsoft.ForEachItemEnumerator" DTS:DTSID="{00000000-0000-0000-0003-000000000002}" DTS:ObjectName="e">
        <DTS:ObjectData><FEIEItems>` + items + `</FEIEItems></DTS:ObjectData></DTS:ForEachEnumerator>
      <DTS:Executables>` + body + `</DTS:Executables></DTS:Executable>`
}

// TestTransactionSQLite: TransactionOption Required runs as a local
// transaction on the retained session ("Integration Services
// Transactions": Required starts a transaction unless the parent has one,
// Supported joins the parent's), on SQLite in process.
func TestTransactionSQLite(t *testing.T) {
	for _, tt := range txRunCases("t") {
		t.Run(tt.name, func(t *testing.T) {
			conn := txConn{name: "Db", creation: sqliteADO, cs: "Data Source=" + filepath.Join(t.TempDir(), "tx.db") + ";", retain: true, id: 1}
			db := openTxDB(t, conn, database.Options{}, "t")
			db.exec(`CREATE TABLE t (n int)`)
			rep, events := runTx(t, txPkg([]txConn{conn}, "", tt.xml), false, nil)
			checkTx(t, rep, events, tt.status, tt.event)
			if got := db.rows(); got != tt.rows {
				t.Errorf("rows %q, want %q", got, tt.rows)
			}
		})
	}
	t.Run("a Required package rolls back its tasks", func(t *testing.T) {
		conn := txConn{name: "Db", creation: sqliteADO, cs: "Data Source=" + filepath.Join(t.TempDir(), "tx.db") + ";", retain: true, id: 1}
		db := openTxDB(t, conn, database.Options{}, "t")
		db.exec(`CREATE TABLE t (n int)`)
		xml := txPkg([]txConn{conn}, ` DTS:TransactionOption="2"`,
			sqlExec("Package", "one", 1, "INSERT INTO t (n) VALUES (1)", ""),
			sqlExec("Package", "two", 1, "INSERT INTO t (n) VALUES ('x', 'y')", ""))
		// No constraint: both run, the second fails, and so does the package.
		rep, events := runTx(t, xml, false, nil)
		checkTx(t, rep, events, runtime.Failure, "rolled back")
		if got := db.rows(); got != "" {
			t.Errorf("rows %q, want none", got)
		}
	})
}

// checkTx checks a transaction test's status and that an event says event.
func checkTx(t *testing.T, rep *runtime.Report, events []runtime.Event, status runtime.Status, event string) {
	t.Helper()
	if rep.Status != status {
		t.Errorf("status %v, want %v: %+v", rep.Status, status, rep.Errors)
	}
	if event == "" {
		return
	}
	for _, e := range events {
		if strings.Contains(e.Message, event) {
			return
		}
	}
	t.Errorf("no event says %q: %+v", event, events)
}

// TestTransactionValidation: what would need a distributed transaction
// (MSDTC) is a validation error that says so and what to do, and
// validation runs nothing.
func TestTransactionValidation(t *testing.T) {
	dir := t.TempDir()
	cs := "Data Source=" + filepath.Join(dir, "v.db") + ";"
	db := txConn{name: "Db", creation: sqliteADO, cs: cs, retain: true, id: 1}
	other := txConn{name: "Other", creation: sqliteADO, cs: "Data Source=" + filepath.Join(dir, "w.db") + ";", retain: true, id: 2}
	plain := txConn{name: "Db", creation: sqliteADO, cs: cs, id: 1}
	queue := txConn{name: "Queue", creation: "MSMQ", cs: "host\\private$\\q", id: 3}
	ins := "INSERT INTO t (n) VALUES (1)"
	req := ` DTS:TransactionOption="2"`
	tests := []struct {
		name  string
		conns []txConn
		body  string
		want  string // the error, or "" for none
	}{
		{"one retained manager", []txConn{db}, sequence("Package", "seq", req, []string{"one", "two"},
			sqlExec(`Package\seq`, "one", 1, ins, ""), sqlExec(`Package\seq`, "two", 1, ins, "")), ""},
		{"two managers", []txConn{db, other}, sequence("Package", "seq", req, []string{"one", "two"},
			sqlExec(`Package\seq`, "one", 1, ins, ""), sqlExec(`Package\seq`, "two", 2, ins, "")),
			`"seq" starts a transaction (TransactionOption Required) whose tasks use 2 connection managers, "Db" (used by "one"), "Other" (used by "two"): one transaction over several connections is a distributed transaction, which needs MSDTC`},
		{"RetainSameConnection False", []txConn{plain}, sequence("Package", "seq", req, []string{"one"},
			sqlExec(`Package\seq`, "one", 1, ins, "")),
			`whose RetainSameConnection is False: each task opens its own connection, and only a distributed transaction (MSDTC) spans several`},
		{"a manager that would enlist", []txConn{queue}, sequence("Package", "seq", req, []string{"one"},
			sqlExec(`Package\seq`, "one", 3, ins, "")),
			`"Queue" (used by "one") is a MSMQ connection manager, which would enlist in a distributed transaction (MSDTC)`},
		{"a NotSupported task on the transaction's session", []txConn{db}, sequence("Package", "seq", req, []string{"one", "log"},
			sqlExec(`Package\seq`, "one", 1, ins, ""), sqlExec(`Package\seq`, "log", 1, ins, ` DTS:TransactionOption="0"`)),
			`"log" is outside the transaction of "seq" (TransactionOption NotSupported) but uses its connection manager "Db"`},
		{"a NotSupported task on another manager", []txConn{db, other}, sequence("Package", "seq", req, []string{"one", "log"},
			sqlExec(`Package\seq`, "one", 1, ins, ""), sqlExec(`Package\seq`, "log", 2, ins, ` DTS:TransactionOption="0"`)), ""},
		{"a transaction of its own inside another on one session", []txConn{db}, sequence("Package", "seq", req, []string{"one", "apart"},
			sqlExec(`Package\seq`, "one", 1, ins, ""),
			sequence(`Package\seq`, "apart", ` DTS:TransactionOption="0"`, []string{"own"},
				sequence(`Package\seq\apart`, "own", req, []string{"two"}, sqlExec(`Package\seq\apart\own`, "two", 1, ins, "")))),
			`"own" starts a transaction (TransactionOption Required) of its own inside the transaction of "seq", on the same connection manager "Db"`},
		{"an Execute Package Task in the transaction", []txConn{db}, sequence("Package", "seq", req, []string{"one", "child"},
			sqlExec(`Package\seq`, "one", 1, ins, ""),
			`<DTS:Executable DTS:refId="Package\seq\child" DTS:CreationName="Microsoft.ExecutePackageTask" DTS:DTSID="{00000000-0000-0000-0004-000000000001}" DTS:ExecutableType="Microsoft.ExecutePackageTask" DTS:ObjectName="child">
			  <DTS:ObjectData><ExecutePackageTask><UseProjectReference>True</UseProjectReference><PackageName>child.dtsx</PackageName></ExecutePackageTask></DTS:ObjectData></DTS:Executable>`),
			`Execute Package Task "child" runs in the transaction of "seq": a child package's connections join it only through MSDTC`},
		{"an unreadable TransactionOption", []txConn{db}, sequence("Package", "seq", ` DTS:TransactionOption="7"`, []string{"one"},
			sqlExec(`Package\seq`, "one", 1, ins, "")), `"seq": TransactionOption "7" is not 0 (NotSupported), 1 (Supported) or 2 (Required)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _ := runTx(t, txPkg(tt.conns, "", tt.body), true, nil)
			if _, err := os.Stat(filepath.Join(dir, "v.db")); err == nil {
				t.Error("validation opened the database")
			}
			if tt.want == "" {
				if rep.Status != runtime.Success {
					t.Errorf("status %v: %+v", rep.Status, rep.Errors)
				}
				return
			}
			if rep.Status != runtime.Failure {
				t.Errorf("status %v, want Failure", rep.Status)
			}
			for _, e := range rep.Errors {
				if strings.Contains(e.Message, tt.want) {
					return
				}
			}
			t.Errorf("no error says %q: %+v", tt.want, rep.Errors)
		})
	}
}

// TestTransactionPostgres runs the same transactions on the real
// PostgreSQL server (DTSX_REAL_PG=1, scripts/postgres/start.sh), through
// an ADO.NET Npgsql manager.
func TestTransactionPostgres(t *testing.T) {
	env := realpg.Env(t)
	loopback := database.Options{Allow: realpg.Loopback}
	cs := realpg.Npgsql(env)
	conn := txConn{name: "Db", creation: "ADO.NET:Npgsql.NpgsqlConnection, Npgsql, Version=4.1.3.0, Culture=neutral, PublicKeyToken=5d8b90d52f46fda7",
		cs: cs, retain: true, id: 1}
	table := fmt.Sprintf("dtsx_rt_tx_%d_%d", os.Getpid(), time.Now().UnixNano())
	for _, tt := range txRunCases(table) {
		t.Run(tt.name, func(t *testing.T) {
			db := openTxDB(t, conn, loopback, table)
			db.exec(`CREATE TABLE ` + table + ` (n int)`)
			defer db.exec(`DROP TABLE ` + table)
			rep, events := runTx(t, txPkg([]txConn{conn}, "", tt.xml), false, func(p *runtime.Package) {
				m, err := p.Connection("Db")
				if err != nil {
					t.Fatal(err)
				}
				m.(*database.Manager).Run = loopback
			})
			checkTx(t, rep, events, tt.status, tt.event)
			if got := db.rows(); got != tt.rows {
				t.Errorf("rows %q, want %q", got, tt.rows)
			}
			for _, e := range events {
				if strings.Contains(e.Message, env["DTSX_PG_PASSWORD"]) {
					t.Errorf("an event holds the password: %s", e.Message)
				}
			}
		})
	}
}
