package builtin_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestCorpusDataFlows builds and validates every Data Flow task of the
// corpus. A task whose components all have factories must validate
// without a warning or an error and be executable; any other is reported
// per component (naming the component, its class and why), not as a task
// that cannot run. testdata/dataflow-corpus.golden lists each task's
// verdict, then each component without a factory with its path and its
// reason class (Script Component, third-party, second wave), and ends with
// the figures (-update rewrites it).
func TestCorpusDataFlows(t *testing.T) {
	var lines, compLines []string
	runs, blocked, comps, missing, reasons := 0, 0, 0, map[string]int{}, map[dftask.Reason]int{}
	for _, ct := range corpusTasksOf(t, map[string]bool{"Microsoft.Pipeline": true}) {
		_, exec := ct.task.(tasks.Executor)
		var classes []string
		for _, d := range ct.diags {
			if d.Code == tasks.CodeNotExecutable {
				t.Errorf("%s: %s: reported as a task that cannot run: %s", ct.file, ct.def.RefID, d.Message)
			}
		}
		pl, _ := pipeline.Read(nil, ct.def)
		for _, c := range pl.Components {
			if dftask.Builtin()[c.ClassName()] != nil {
				continue
			}
			comps++
			classes = append(classes, c.ClassName())
			missing[c.ClassName()]++
			r, why, _ := dftask.Unsupported(c)
			reasons[r]++
			compLines = append(compLines, fmt.Sprintf("%s\t%s\t%s: %s", ct.file, c.RefID, r, why))
			if !hasDiagnostic(ct.diags, dftask.CodeComponent, c.RefID) {
				t.Errorf("%s: %s: no diagnostic names component %s", ct.file, ct.def.RefID, c.RefID)
			}
		}
		verdict := "runs"
		switch {
		case exec && len(ct.diags) > 0:
			t.Errorf("%s: %s: every component has a factory, yet validation says %v", ct.file, ct.def.RefID, ct.diags)
		case !exec && len(classes) == 0:
			t.Errorf("%s: %s: the task does not execute, and validation names no component", ct.file, ct.def.RefID)
		}
		if exec {
			runs++
		} else {
			blocked++
			sort.Strings(classes)
			verdict = "blocked by " + strings.Join(classes, ", ")
		}
		lines = append(lines, fmt.Sprintf("%s\t%s\t%s", ct.file, ct.def.RefID, verdict))
	}
	sort.Strings(lines)
	var names []string
	for c := range missing {
		names = append(names, c)
	}
	sort.Slice(names, func(i, j int) bool {
		if missing[names[i]] != missing[names[j]] {
			return missing[names[i]] > missing[names[j]]
		}
		return names[i] < names[j]
	})
	sort.Strings(compLines)
	lines = append(append(append(lines, "", "components without a factory:"), compLines...), "",
		fmt.Sprintf("tasks: %d; executable: %d; blocked: %d; components without a factory: %d", runs+blocked, runs, blocked, comps))
	for _, r := range []dftask.Reason{dftask.ReasonScript, dftask.ReasonThirdParty, dftask.ReasonSecondWave, dftask.ReasonUnknown} {
		lines = append(lines, fmt.Sprintf("reason\t%s\t%d", r, reasons[r]))
	}
	for _, c := range names {
		lines = append(lines, fmt.Sprintf("missing\t%s\t%d", c, missing[c]))
	}
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join("testdata", "dataflow-corpus.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("the corpus verdicts changed (run with -update and review the diff):\n%s", got)
	}
}

func hasDiagnostic(ds dtsx.Diagnostics, code, path string) bool {
	for _, d := range ds {
		if d.Code == code && d.Path == path {
			return true
		}
	}
	return false
}
