package assess

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
)

// TestNeeds assesses a package whose enabled task copies a file named by a
// Windows path and that has a required parameter without a value, beside a
// disabled Script Task and a disabled Execute SQL task on a Windows-login
// database: the disabled tasks block nothing and need nothing, and what
// the command line gives (--param, --path-map) is no longer needed.
func TestNeeds(t *testing.T) {
	pkg := filepath.Join("testdata", "needs.dtsx")
	assessOne := func(job runner.Job) Package {
		t.Helper()
		r, err := Assess(context.Background(), []string{pkg}, Options{Job: job})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Packages) != 1 {
			t.Fatalf("%d packages", len(r.Packages))
		}
		return r.Packages[0]
	}
	kinds := func(p Package) []string {
		var out []string
		for _, n := range p.Needs {
			out = append(out, n.Kind+" "+n.Subject)
		}
		return out
	}
	p := assessOne(runner.Job{})
	want := []string{`parameter $Package::Recipient`, `path C:\AssessData\in.csv`, `path C:\AssessData\out.csv`}
	if p.Verdict != AfterConfiguration || !reflect.DeepEqual(kinds(p), want) || len(p.Blockers) != 0 {
		t.Errorf("verdict %s, needs %q, blockers %+v; want %s, %q, none", p.Verdict, kinds(p), p.Blockers, AfterConfiguration, want)
	}
	if len(p.Connections) != 2 || p.Connections[0].Name != "Input" || p.Connections[1].Name != "Output" {
		t.Errorf("connections %+v, want Input and Output (Warehouse is used only by a disabled task)", p.Connections)
	}

	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "in.csv"), []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	job := runner.Job{Overrides: []runner.Override{{Param: &runner.Param{Name: "$Package::Recipient", Value: "ops@example.com"}}},
		Paths: runtime.PathMap{Rules: []runtime.PathRule{{From: `C:\AssessData`, To: data}}}}
	if p := assessOne(job); p.Verdict != RunsAsIs || len(p.Needs) != 0 {
		t.Errorf("with --param and --path-map: verdict %s, needs %q; want %s and none", p.Verdict, kinds(p), RunsAsIs)
	}
}
