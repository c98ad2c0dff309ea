package dftask_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/internal/realpg"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

// TestRealPostgres runs the flows of orders-db.dtsx with their connection
// manager retargeted to the real PostgreSQL server (an ODBC PostgreSQL
// Unicode connection string): the Lookup reads its reference from it, the
// OLE DB Destination loads it (COPY with the fast load, INSERTs row by
// row), and the OLE DB Source reads it with a bound parameter.
func TestRealPostgres(t *testing.T) {
	penv := realpg.Env(t)
	conn := realpg.ODBC(penv)
	ctx := context.Background()
	run := database.Options{Allow: realpg.Loopback}
	// The tables have names of their own, so that other tests on the same
	// server do not meet them.
	rename := func(root *etree.Element) {
		for _, p := range root.FindElements(`//property`) {
			switch p.SelectAttrValue("name", "") {
			case "SqlCommand", "SqlCommandParam", "OpenRowset":
				s := strings.ReplaceAll(p.Text(), "customers", "dftask_customers")
				s = strings.ReplaceAll(s, "[orders]", "[dftask_orders]")
				s = strings.ReplaceAll(s, " payments ", " dftask_payments ")
				p.SetText(strings.NewReplacer("[refTable]", "reftable", "[Customer]", "customer").Replace(s))
			}
		}
	}
	setup := func(t *testing.T, m *database.Manager) {
		t.Helper()
		m.Run = run
		s, err := m.Acquire(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Release()
		for _, q := range []string{
			"DROP TABLE IF EXISTS dftask_customers, dftask_orders, dftask_payments",
			"CREATE TABLE dftask_customers (Customer text, Region text)",
			"INSERT INTO dftask_customers VALUES ('Ada','North'), ('Bob','South'), ('Cyd','East'), ('Dee','West')",
			"CREATE TABLE dftask_orders (customer text NOT NULL, amount integer, region text NOT NULL)",
			"CREATE TABLE dftask_payments (customer text NOT NULL, amount integer NOT NULL)",
		} {
			if _, err := s.Conn.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() {
			if s, err := m.Acquire(ctx, run); err == nil {
				s.Conn.ExecContext(ctx, "DROP TABLE IF EXISTS dftask_customers, dftask_orders, dftask_payments")
				s.Release()
			}
		})
	}
	mode := func(cache, access string) func(root *etree.Element) {
		return func(root *etree.Element) {
			setProperty(root, "Find region", "CacheType", cache)
			setProperty(root, "Write orders", "AccessMode", access)
		}
	}
	for _, tc := range []struct {
		name string
		edit func(root *etree.Element)
	}{
		{"full cache, fast load", mode("0", "3")},
		{"partial cache, row by row", mode("1", "0")},
		// AccessMode 2: the rows go into the table the SELECT reads,
		// amount under the SELECT's alias Total.
		{"destination through a SQL command", sqlCommandMode("SELECT customer, amount AS Total, region FROM [orders] WHERE 1 = 0")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, env, _ := loadDB(t, "Load orders", conn, func(root *etree.Element) {
				tc.edit(root)
				rename(root)
			})
			m := dbOf(t, env.Conns.All())
			setup(t, m)
			if err := task.(tasks.Executor).Execute(ctx, env); err != nil {
				t.Fatal(err)
			}
			got := pgRows(t, m, run, "SELECT customer, amount, region FROM dftask_orders ORDER BY customer")
			if want := "Ada,120,North\nBob,40,South\nCyd,NULL,East\nDee,95,West\n"; got != want {
				t.Errorf("orders:\n%s\nwant\n%s", got, want)
			}
		})
	}
	t.Run("source to file", func(t *testing.T) {
		task, env, dir := loadDB(t, "Export regions", conn, rename)
		setup(t, dbOf(t, env.Conns.All()))
		if err := task.(tasks.Executor).Execute(ctx, env); err != nil {
			t.Fatal(err)
		}
		want := "Customer,Region\r\nAda,North\r\nBob,South\r\nCyd,East\r\n"
		if got := read(t, filepath.Join(dir, "regions.csv")); got != want {
			t.Errorf("regions.csv = %q, want %q", got, want)
		}
	})
	// ValidateExternalMetadata: the destination's external columns are
	// checked against the table, described without reading a row.
	t.Run("external metadata", func(t *testing.T) {
		for _, tc := range []struct {
			name, flow string
			edit       func(root *etree.Element)
			want       string
		}{
			{"matches", "Load orders", func(root *etree.Element) {}, ""},
			{"type does not convert", "Load orders", func(root *etree.Element) {
				externalColumn(root, "Write orders", "amount").CreateAttr("dataType", "dbTimeStamp")
			}, `external column "amount" of its input is DT_DBTIMESTAMP and the column of table or view [dftask_orders] is INT4, which does not convert`},
			// A SELECT is described in a read-only transaction.
			{"source command", "Export regions", func(root *etree.Element) {
				setProperty(root, "Read regions", "SqlCommand", "SELECT Customer, Region AS Area FROM customers")
			}, `external column "Region" of its output is not a column of SqlCommand (it has customer, area)`},
		} {
			task, env, _ := loadDB(t, tc.flow, conn, func(root *etree.Element) {
				tc.edit(root)
				rename(root)
			})
			m := dbOf(t, env.Conns.All())
			setup(t, m)
			ds := task.(*dftask.Task).CheckExternalMetadata(ctx, env, func(ctx context.Context, m *database.Manager) (*database.Session, func(), error) {
				s, err := m.Acquire(ctx, run)
				if err != nil {
					return nil, nil, err
				}
				return s, func() { s.Release() }, nil
			})
			switch {
			case tc.want == "" && len(ds) != 0:
				t.Errorf("%s: diagnostics %v, want none", tc.name, ds)
			case tc.want != "" && (len(ds) != 1 || !strings.Contains(ds[0].Message, tc.want)):
				t.Errorf("%s: diagnostics %v, want %q", tc.name, ds, tc.want)
			}
		}
	})
	// The OLE DB Command runs its INSERT once per row on one prepared
	// statement ($1, $2 for the ? markers); the row PostgreSQL refuses goes
	// to the error output with DTS_E_OLEDBERROR.
	t.Run("OLE DB Command", func(t *testing.T) {
		task, env, dir := loadDBFile(t, "olecmd.dtsx", "Record payments", conn, rename)
		m := dbOf(t, env.Conns.All())
		setup(t, m)
		if err := task.(tasks.Executor).Execute(ctx, env); err != nil {
			t.Fatal(err)
		}
		got := pgRows(t, m, run, "SELECT customer, amount FROM dftask_payments ORDER BY customer")
		if want := "Ada,120\nBob,40\nDee,95\nEve,300\n"; got != want {
			t.Errorf("payments:\n%s\nwant\n%s", got, want)
		}
		if got, want := read(t, filepath.Join(dir, "rejects.csv")), "Customer,ErrorCode,ErrorColumn\r\nCyd,-1071636471,0\r\n"; got != want {
			t.Errorf("rejects.csv = %q, want %q", got, want)
		}
	})
}

func dbOf[T any](t *testing.T, all []T) *database.Manager {
	t.Helper()
	for _, m := range all {
		if d, ok := any(m).(*database.Manager); ok {
			return d
		}
	}
	t.Fatal("no database connection manager")
	return nil
}

// pgRows is connRows on a session of m acquired with run.
func pgRows(t *testing.T, m *database.Manager, run database.Options, query string) string {
	t.Helper()
	s, err := m.Acquire(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	return connRows(t, s.Conn, query)
}

// connRows is tableRows on a session's connection.
func connRows(t *testing.T, c *sql.Conn, query string) string {
	t.Helper()
	rows, err := c.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	return scanRows(t, rows)
}
