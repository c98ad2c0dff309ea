package dftask_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"
	_ "modernc.org/sqlite"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

// dbSchema is the reference table of the Lookup and the table the OLE DB
// Destination loads.
const dbSchema = `CREATE TABLE customers (Customer TEXT, Region TEXT);
INSERT INTO customers VALUES ('Ada','North'), ('Bob','South'), ('Cyd','East'), ('Dee','West');
CREATE TABLE orders (customer TEXT NOT NULL, amount INTEGER, region TEXT NOT NULL);
CREATE TABLE payments (customer TEXT NOT NULL, amount INTEGER NOT NULL);`

// loadDB reads testdata/orders-db.dtsx, changed by edit, with its Flat
// File managers pointing into a fresh folder holding the orders and its
// database manager (an ODBC SQLite manager) at a database there holding
// dbSchema, or at the connection string conn when it is not empty. It
// returns the Data Flow task named flow.
func loadDB(t *testing.T, flow, conn string, edit func(root *etree.Element)) (tasks.Task, *tasktest.Env, string) {
	t.Helper()
	return loadDBFile(t, "orders-db.dtsx", flow, conn, edit)
}

// loadDBFile is loadDB with the package file of testdata to read.
func loadDBFile(t *testing.T, pkgFile, flow, conn string, edit func(root *etree.Element)) (tasks.Task, *tasktest.Env, string) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromFile(filepath.Join("testdata", pkgFile)); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(doc.Root())
	}
	dir := t.TempDir()
	path := filepath.Join(dir, pkgFile)
	if err := doc.WriteToFile(path); err != nil {
		t.Fatal(err)
	}
	orders, err := os.ReadFile(filepath.Join("testdata", "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "orders.csv"), orders, 0o644); err != nil {
		t.Fatal(err)
	}
	if conn == "" {
		db := filepath.Join(dir, "orders.db")
		sdb, err := sql.Open("sqlite", db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sdb.Exec(dbSchema); err != nil {
			t.Fatal(err)
		}
		sdb.Close()
		conn = "Driver={SQLite3 ODBC Driver};Database=" + db + ";"
	}
	p, err := dtsx.Options{}.LoadPackageFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env := tasktest.NewEnv(t, p, dir)
	env.Vars["User::Skip"] = expr.Str("West")
	for _, m := range env.Conns.All() {
		switch m := m.(type) {
		case *file.Manager:
			base := filepath.Base(strings.ReplaceAll(m.Paths()[0], `\`, "/"))
			if err := m.SetProperty("ConnectionString", `C:\`+base); err != nil {
				t.Fatal(err)
			}
		case *database.Manager:
			if err := m.SetConnectionString(conn); err != nil {
				t.Fatal(err)
			}
		}
	}
	var x *dtsx.Executable
	p.Walk(func(e *dtsx.Executable) bool {
		if e.Name == flow {
			x = e
		}
		return true
	})
	if x == nil {
		t.Fatalf("no task %q", flow)
	}
	task, err := dftask.New(x)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := task.(*dftask.Task); !ok {
		t.Fatalf("task %q is blocked: %v", flow, task.Validate(context.Background(), env))
	}
	return task, env, dir
}

// validateAndRun validates the task, which must have no diagnostic, and
// executes it, which must succeed.
func validateAndRun(t *testing.T, task tasks.Task, env *tasktest.Env) {
	t.Helper()
	if ds := task.Validate(context.Background(), env); len(ds) != 0 {
		t.Fatalf("validation: %v", ds)
	}
	if err := task.(tasks.Executor).Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
}

// dbRows returns the rows of a query of the SQLite database orders.db in
// dir as text, one line a row.
func dbRows(t *testing.T, dir, query string) string {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "orders.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return tableRows(t, db, query)
}

// tableRows returns the rows of a query as text, one line a row.
func tableRows(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	return scanRows(t, rows)
}

func scanRows(t *testing.T, rows *sql.Rows) string {
	t.Helper()
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			switch v := v.(type) {
			case nil:
				b.WriteString("NULL")
			case []byte:
				b.Write(v)
			default:
				fmt.Fprint(&b, v)
			}
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func setProperty(root *etree.Element, comp, name, value string) {
	for _, p := range component(root, comp).FindElements(`./properties/property`) {
		if p.SelectAttrValue("name", "") == name {
			p.SetText(value)
		}
	}
}

// TestLookupIntoDatabase: the orders of the CSV get their region from the
// customers table by Lookup ("Lookup Transformation": full cache, or a
// query per row with SqlCommandParam in partial and no cache) and are
// loaded by the OLE DB Destination ("OLE DB Destination": fast load, and
// row by row). Eve has no customer row and goes to the unattached no match
// output (NoMatchBehavior 1); Cyd's Amount does not convert and is NULL
// (IgnoreFailure, "Error Handling in Data"). The rows written are the
// rows the database accepted (DTS_I_ROWS_WRITTEN).
func TestLookupIntoDatabase(t *testing.T) {
	for _, tc := range []struct{ name, cache, access string }{
		{"full cache, fast load", "0", "3"},
		{"partial cache, row by row", "1", "0"},
		{"no cache, fast load", "2", "3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, env, dir := loadDB(t, "Load orders", "", func(root *etree.Element) {
				setProperty(root, "Find region", "CacheType", tc.cache)
				setProperty(root, "Write orders", "AccessMode", tc.access)
			})
			validateAndRun(t, task, env)
			got := dbRows(t, dir, "SELECT customer, amount, region FROM orders ORDER BY customer")
			want := "Ada,120,North\nBob,40,South\nCyd,NULL,East\nDee,95,West\n"
			if got != want {
				t.Errorf("orders:\n%s\nwant\n%s", got, want)
			}
			if want := []string{`"Write orders" wrote 4 rows.`}; !slices.Equal(env.Infos, want) {
				t.Errorf("information %q, want %q", env.Infos, want)
			}
		})
	}
}

// TestLookupNoMatchFails: with NoMatchBehavior 0 (treat a row without a
// match as an error) and the match output's FailComponent disposition, Eve
// fails the flow and no row is committed to the table.
func TestLookupNoMatchFails(t *testing.T) {
	task, env, dir := loadDB(t, "Load orders", "", func(root *etree.Element) {
		setProperty(root, "Find region", "NoMatchBehavior", "0")
	})
	err := task.(tasks.Executor).Execute(context.Background(), env)
	if err == nil || !strings.Contains(err.Error(), "Find region") || !strings.Contains(err.Error(), "no match") {
		t.Fatalf("error %v, want Find region failing on a row with no match", err)
	}
	if got := dbRows(t, dir, "SELECT count(*) FROM orders"); got != "0\n" {
		t.Errorf("%s rows in orders, want 0 (the batch rolled back)", got)
	}
}

// TestUnknownParameterVariable: a ParameterMapping that names a DTSID no
// variable of the package has fails the run, naming the DTSID.
func TestUnknownParameterVariable(t *testing.T) {
	task, env, _ := loadDB(t, "Export regions", "", func(root *etree.Element) {
		setProperty(root, "Read regions", "ParameterMapping", `"Parameter0:Input",{D0000015-0000-4000-8000-0000000000FF};`)
	})
	if ds := task.Validate(context.Background(), env); len(ds) != 0 {
		t.Fatalf("validation: %v", ds)
	}
	err := task.(tasks.Executor).Execute(context.Background(), env)
	if err == nil || !strings.Contains(err.Error(), "Read regions") || !strings.Contains(err.Error(), "{D0000015-0000-4000-8000-0000000000FF} is not a variable") {
		t.Fatalf("error %v, want Read regions failing on the unknown DTSID", err)
	}
}

// TestDatabaseToFile: the OLE DB Source runs its SqlCommand with the
// variable its ParameterMapping names (by DTSID) bound to the ? marker
// ("OLE DB Source": Set Query Parameters) and reads each output column
// from its external column (Name from Customer); the Flat File
// Destination writes the rows.
func TestDatabaseToFile(t *testing.T) {
	task, env, dir := loadDB(t, "Export regions", "", nil)
	validateAndRun(t, task, env)
	want := "Customer,Region\r\nAda,North\r\nBob,South\r\nCyd,East\r\n"
	if got := read(t, filepath.Join(dir, "regions.csv")); got != want {
		t.Errorf("regions.csv = %q, want %q", got, want)
	}
}

// TestDatabaseBadConfig: settings that cannot work fail the build with the
// component and the property to fix.
func TestDatabaseBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name, flow, comp, prop, value, want string
	}{
		{"lookup without a reference query", "Load orders", "Find region", "SqlCommand", "", "SqlCommand is empty"},
		{"lookup on a cache manager", "Load orders", "Find region", "ConnectionType", "1", "Cache connection manager"},
		{"destination from an empty SQL command", "Load orders", "Write orders", "AccessMode", "2", "is not SELECT … FROM a table"},
		{"source mode out of range", "Export regions", "Read regions", "AccessMode", "7", "AccessMode 7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, env, _ := loadDB(t, tc.flow, "", func(root *etree.Element) {
				setProperty(root, tc.comp, tc.prop, tc.value)
			})
			ds := task.Validate(context.Background(), env)
			if !ds.HasErrors() || !strings.Contains(fmt.Sprint(ds), tc.want) || !strings.Contains(fmt.Sprint(ds), tc.comp) {
				t.Errorf("validation %v, want an error naming %q and %q", ds, tc.comp, tc.want)
			}
		})
	}
}

// sqlCommandMode sets Write orders to write through the SQL command
// command (AccessMode 2), its external column amount named Total as the
// command names it.
func sqlCommandMode(command string) func(root *etree.Element) {
	return func(root *etree.Element) {
		setProperty(root, "Write orders", "AccessMode", "2")
		setProperty(root, "Write orders", "SqlCommand", command)
		externalColumn(root, "Write orders", "amount").CreateAttr("name", "Total")
	}
}

// TestDestinationSQLCommand: with AccessMode 2 the OLE DB Destination
// inserts into the table its SqlCommand selects from ("OLE DB
// Destination": SQL command), each mapped external column into the table
// column the SELECT returns under that name (Total is amount); a SELECT it
// cannot write through fails validation naming the component and the fix.
func TestDestinationSQLCommand(t *testing.T) {
	const cmd = "SELECT customer, amount AS Total, region FROM [orders] WHERE 1 = 0"
	task, env, dir := loadDB(t, "Load orders", "", sqlCommandMode(cmd))
	validateAndRun(t, task, env)
	got := dbRows(t, dir, "SELECT customer, amount, region FROM orders ORDER BY customer")
	if want := "Ada,120,North\nBob,40,South\nCyd,NULL,East\nDee,95,West\n"; got != want {
		t.Errorf("orders:\n%s\nwant\n%s", got, want)
	}
	for _, bad := range []struct{ cmd, want string }{
		{"SELECT customer, region FROM orders", `mapped to "Total", which SqlCommand`},
		{"SELECT customer, amount AS Total, region FROM orders o JOIN customers c ON 1 = 1", "after the table"},
	} {
		task, env, _ := loadDB(t, "Load orders", "", sqlCommandMode(bad.cmd))
		ds := task.Validate(context.Background(), env)
		if !ds.HasErrors() || !strings.Contains(fmt.Sprint(ds), bad.want) || !strings.Contains(fmt.Sprint(ds), "Write orders") {
			t.Errorf("%s: validation %v, want an error naming Write orders and %q", bad.cmd, ds, bad.want)
		}
	}
}

// addProperty adds a custom property to the component named comp.
func addProperty(root *etree.Element, comp, name, value string) {
	p := component(root, comp).FindElement(`./properties`).CreateElement("property")
	p.CreateAttr("dataType", "System.String")
	p.CreateAttr("name", name)
	p.SetText(value)
}

// managed makes the component named comp the managed component typeName,
// as format 8 persists an ADO NET Source or Destination.
func managed(root *etree.Element, comp, typeName string) *etree.Element {
	c := component(root, comp)
	c.CreateAttr("componentClassID", "Microsoft.ManagedComponentHost")
	addProperty(root, comp, "UserComponentTypeName", typeName)
	return c
}

// TestADONET: the same flows with the ADO NET Destination ("ADO NET
// Custom Properties": TableOrViewName, BatchSize,
// UseBulkInsertWhenPossible) and the ADO NET Source (SqlCommand).
func TestADONET(t *testing.T) {
	t.Run("destination", func(t *testing.T) {
		task, env, dir := loadDB(t, "Load orders", "", func(root *etree.Element) {
			c := managed(root, "Write orders", "Microsoft.ADONETDestination")
			for _, p := range c.FindElements(`./properties/property`) {
				if p.SelectAttrValue("name", "") != "UserComponentTypeName" {
					c.FindElement(`./properties`).RemoveChild(p)
				}
			}
			addProperty(root, "Write orders", "TableOrViewName", `"orders"`)
			addProperty(root, "Write orders", "BatchSize", "2")
			addProperty(root, "Write orders", "UseBulkInsertWhenPossible", "true")
		})
		validateAndRun(t, task, env)
		got := dbRows(t, dir, "SELECT customer, amount, region FROM orders ORDER BY customer")
		if want := "Ada,120,North\nBob,40,South\nCyd,NULL,East\nDee,95,West\n"; got != want {
			t.Errorf("orders:\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("source", func(t *testing.T) {
		task, env, dir := loadDB(t, "Export regions", "", func(root *etree.Element) {
			managed(root, "Read regions", "Microsoft.DataReaderSourceAdapter")
			setProperty(root, "Read regions", "SqlCommand", "SELECT Customer, Region FROM customers ORDER BY Customer DESC")
			setProperty(root, "Read regions", "ParameterMapping", "")
		})
		validateAndRun(t, task, env)
		// The ADO NET Source has no table-name variable mode.
		bad, benv, _ := loadDB(t, "Export regions", "", func(root *etree.Element) {
			managed(root, "Read regions", "Microsoft.DataReaderSourceAdapter")
			setProperty(root, "Read regions", "AccessMode", "1")
		})
		if ds := bad.Validate(context.Background(), benv); !strings.Contains(fmt.Sprint(ds), "AccessMode 1 is not one of 0 (table or view) and 2") {
			t.Errorf("validation %v, want AccessMode 1 refused", ds)
		}
		want := "Customer,Region\r\nDee,West\r\nCyd,East\r\nBob,South\r\nAda,North\r\n"
		if got := read(t, filepath.Join(dir, "regions.csv")); got != want {
			t.Errorf("regions.csv = %q, want %q", got, want)
		}
	})
}
