package builtin_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/runtime"
	tasksbuiltin "github.com/dtsx-run/dtsx/tasks/builtin"
)

// TestCorpusDatabaseManagers: every OLEDB, ADO.NET and ODBC manager of the
// real packages is a database.Manager, and validating the packages (as
// dtsx validate does, offline) gives the database package's diagnostics:
// none for the 56 Windows logins to SQL Server, which log in with Kerberos
// or NTLM from Linux, and an error for the three with no Go driver (an ODBC DSN, Oracle's
// OracleClient and MSDAORA). The figures are the corpus's; a change to them is a
// change of behaviour to look at.
func TestCorpusDatabaseManagers(t *testing.T) {
	dir := testcorpus.Dir(t)
	conns, tasks := builtin.Connections(), tasksbuiltin.Tasks()
	managers, packages := 0, 0
	codes := map[string]int{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".dtsx") {
			return err
		}
		pkgs, pr, err := runtime.Open(path, "", dtsx.Options{})
		if err != nil {
			return nil // reported by the load tests (an encrypted package, say)
		}
		for _, p := range pkgs {
			packages++
			rp := runtime.Build(p, runtime.Options{Project: pr, Connections: conns, Tasks: tasks})
			for _, m := range rp.Connections.All() {
				if k, _ := database.ParseKind(m.Definition().CreationName); k == database.KindUnknown {
					continue
				}
				managers++
				if _, ok := m.(*database.Manager); !ok {
					t.Errorf("%s: %s %q is a %T", path, m.Definition().CreationName, m.Definition().Name, m)
				}
			}
			for _, d := range rp.Validate(context.Background()) {
				if strings.HasPrefix(d.Code, "db-") {
					codes[d.Severity.String()+":"+d.Code]++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d packages, %d database managers, diagnostics %v", packages, managers, codes)
	want := map[string]int{"error:" + database.CodeUnsupported: 3}
	for k, n := range want {
		if codes[k] != n {
			t.Errorf("%s: %d, want %d", k, codes[k], n)
		}
	}
	for k, n := range codes {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected %s: %d", k, n)
		}
	}
	if managers == 0 {
		t.Error("no database manager in the corpus")
	}
}
