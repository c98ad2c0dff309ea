package dftask_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

// TestCorpusRowCount runs the Data Flow task of a real package (format 8,
// a Flat File Source over a Unicode file into a Row Count) over a file
// written here in the layout its connection manager persists (UTF-16
// with a byte order mark, ID and Name, column names in the first row).
func TestCorpusRowCount(t *testing.T) {
	p, err := dtsx.Options{}.LoadPackageFile(testcorpus.Path(t, "shinaly__SSIS_Template/Demo__Packages__MainWithParameter.dtsx"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune("ID,Name\r\n1,Ada\r\n2,Bob\r\n3,Cyd\r\n")) {
		b = append(b, byte(u), byte(u>>8))
	}
	if err := os.WriteFile(filepath.Join(dir, "Customers.txt"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	env := tasktest.NewEnv(t, p, dir)
	m, err := env.Conns.Resolve("Customers Src")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.(*file.Manager).SetProperty("ConnectionString", `C:\Customers.txt`); err != nil {
		t.Fatal(err)
	}
	runFlow(t, p, env, "DFT Convert customer names")
	if n, err := env.Vars["User::CustomerCount"].Int(); err != nil || n != 3 {
		t.Errorf("User::CustomerCount = %v (%v), want 3", env.Vars["User::CustomerCount"], err)
	}
}

// runFlow finds the Data Flow task named name in p, validates it (no
// diagnostic allowed) and runs it in env.
func runFlow(t *testing.T, p *dtsx.Package, env *tasktest.Env, name string) {
	t.Helper()
	var x *dtsx.Executable
	p.Walk(func(e *dtsx.Executable) bool {
		if e.Name == name {
			x = e
		}
		return true
	})
	if x == nil {
		t.Fatalf("no Data Flow task %q", name)
	}
	task, err := dftask.New(x)
	if err != nil {
		t.Fatal(err)
	}
	if ds := task.Validate(context.Background(), env); len(ds) != 0 {
		t.Fatalf("validation: %v", ds)
	}
	if err := task.(tasks.Executor).Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
}
