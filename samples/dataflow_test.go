package samples_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

// TestCSVSplit runs csv-split.dtsx in a copy of its folder: a Flat File
// Source, a Derived Column, a Conditional Split and three Flat File
// Destinations, one of them on the source's error output. The files it
// writes must be the expected ones beside the sample, and the task must
// report the rows each destination wrote, in SSIS's words.
func TestCSVSplit(t *testing.T) {
	dir := t.TempDir()
	pkgs, pr := openCSVSplit(t, dir)
	var infos []string
	entries := map[string][]string{}
	rp := runtime.Build(pkgs[0], runtime.Options{Project: pr})
	rep := rp.Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1, OnEvent: func(e runtime.Event) {
		switch {
		case e.Name == "OnInformation":
			infos = append(infos, e.Message)
		case dataflow.IsLogEntry(e.Name):
			entries[e.Name] = append(entries[e.Name], e.SourceRef+": "+e.Message)
		}
	}})
	if rep.Status != runtime.Success {
		t.Fatalf("status %v, want success: %v", rep.Status, rep.Errors)
	}
	wantSplitFiles(t, filepath.Join(dir, "data", "orders"))
	slices.Sort(infos)
	want := []string{`"Write big" wrote 3 rows.`, `"Write errors" wrote 1 rows.`, `"Write small" wrote 1 rows.`}
	if strings.Join(infos, "\n") != strings.Join(want, "\n") {
		t.Errorf("information messages %q, want %q", infos, want)
	}
	// The Data Flow task's custom log entries, as SSIS names and words
	// them, one OnPipelineRowsSent per path and one PipelineComponentTime
	// per component.
	task := `Package\Split orders: `
	for _, want := range []struct{ name, text string }{
		{dataflow.LogPrePrimeOutput, `PrimeOutput will be called on a component. :  : Package\Split orders\Read orders : Read orders`},
		{dataflow.LogPostPrimeOutput, `PrimeOutput was called on a component. :  : Package\Split orders\Read orders : Read orders`},
		{dataflow.LogPostEndOfRowset, `A component has finished processing all of its rows. :  : Package\Split orders\Write big : Write big`},
		{dataflow.LogRowsSent, `Rows were provided to a data flow component as input. :  : Package\Split orders.Paths[Big] : Big : Package\Split orders\Write big : Write big : Package\Split orders\Write big.Inputs[Flat File Destination Input] : Flat File Destination Input : 3`},
		{dataflow.LogRowsSent, `Rows were provided to a data flow component as input. :  : Package\Split orders.Paths[Flat File Source Error Output] : Flat File Source Error Output : Package\Split orders\Write errors : Write errors : Package\Split orders\Write errors.Inputs[Flat File Destination Input] : Flat File Destination Input : 1`},
	} {
		if !slices.Contains(entries[want.name], task+want.text) {
			t.Errorf("%s entries %q\nwant %q among them", want.name, entries[want.name], task+want.text)
		}
	}
	if n := len(entries[dataflow.LogRowsSent]); n != 5 {
		t.Errorf("%d OnPipelineRowsSent entries, want one per path (5)", n)
	}
	// The report records what the flow moved.
	var rec map[string]any
	for _, r := range rep.Records {
		if r.Source == `Package\Split orders` && r.Kind == dftask.RecordKind {
			rec = r.Data
		}
	}
	if rec == nil {
		t.Fatalf("no %s record in %+v", dftask.RecordKind, rep.Records)
	}
	got := fmt.Sprint(rec["paths"], rec["written"])
	if !strings.Contains(got, "map[from:Big or small path:Big rows:3 to:Write big]") || !strings.Contains(got, "map[component:Write errors rows:1]") {
		t.Errorf("record paths and written = %s", got)
	}
	if ts, _ := rec["componentTimes"].([]map[string]any); len(ts) != 6 {
		t.Errorf("record componentTimes = %v, want 6 components", rec["componentTimes"])
	}
	times := entries[dataflow.LogComponentTime]
	if len(times) != 6 || !strings.HasPrefix(times[1], task+`The component "Add tax" (Package\Split orders\Add tax) spent `) || !strings.HasSuffix(times[1], " milliseconds in ProcessInput.") {
		t.Errorf("PipelineComponentTime entries %q, want one per component (6), in SSIS's words", times)
	}
}

// TestCSVSplitElsewhere: with each destination's file manager given another
// path (what dtsx run --conn 'Big CSV;…' does), csv-split.dtsx writes its
// files there and nothing beside the package.
func TestCSVSplitElsewhere(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	pkgs, pr := openCSVSplit(t, dir)
	writeElsewhere(t, pkgs[0], pr, splitOutputs, out)
	rep := runtime.Build(pkgs[0], runtime.Options{Project: pr}).Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1})
	if rep.Status != runtime.Success {
		t.Fatalf("status %v, want success: %v", rep.Status, rep.Errors)
	}
	wantSplitFiles(t, out)
	for _, f := range []string{"big.csv", "small.csv", "errors.csv"} {
		if _, err := os.Stat(filepath.Join(dir, "data", "orders", f)); err == nil {
			t.Errorf("%s was written beside the package too", f)
		}
	}
}

// splitOutputs are the file managers csv-split.dtsx writes through, with
// the file each names.
var splitOutputs = map[string]string{"Big CSV": "big.csv", "Small CSV": "small.csv", "Errors CSV": "errors.csv"}

// writeElsewhere points each file manager of outputs at its file in dir,
// as dtsx run --conn 'NAME;PATH' does, so a run writes nothing beside the
// package.
func writeElsewhere(t *testing.T, pkg *dtsx.Package, pr *dtsx.Project, outputs map[string]string, dir string) {
	t.Helper()
	for conn, file := range outputs {
		p, err := override.ParsePath(`\Package.Connections[` + conn + `].Properties[ConnectionString]`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := override.Apply(pkg, pr, runtime.OverrideTypes(runtime.Options{}), p, filepath.Join(dir, file)); err != nil {
			t.Fatal(err)
		}
	}
}

// openCSVSplit copies csv-split.dtsx and its input into dir and opens it.
func openCSVSplit(t *testing.T, dir string) ([]*dtsx.Package, *dtsx.Project) {
	t.Helper()
	copyFile(t, "csv-split.dtsx", filepath.Join(dir, "csv-split.dtsx"))
	if err := os.MkdirAll(filepath.Join(dir, "data", "orders"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join("data", "orders", "orders.csv"), filepath.Join(dir, "data", "orders", "orders.csv"))
	pkgs, pr, err := runtime.Open(filepath.Join(dir, "csv-split.dtsx"), "", dtsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs, pr
}

// wantSplitFiles compares the files csv-split.dtsx wrote into dir with
// data/orders/want-*.csv.
func wantSplitFiles(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"big.csv", "small.csv", "errors.csv"} {
		t.Run(f, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("data", "orders", "want-"+f))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s =\n%q\nwant\n%q", f, got, want)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
