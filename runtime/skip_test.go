package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
)

// slashSkip spells the skip option as dtexec does.
func slashSkip(spelling string) runtime.Spelling {
	return func(o string) string {
		if o == runtime.OptSkipUnsupported {
			return spelling
		}
		return o
	}
}

func runSkipping(t *testing.T, xml string, spell runtime.Spelling) (*runtime.Report, *runLog) {
	t.Helper()
	p, err := dtsx.LoadPackage("t.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	l := &runLog{seen: map[string]string{}}
	rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(),
		runtime.RunOptions{MaxConcurrent: 1, SkipUnsupported: true, Spelling: spell})
	return rep, l
}

// TestSkippedTaskSucceedsForItsConstraintsAsADisabledTaskDoes: with
// SkipUnsupported, a task that cannot execute here completes with Success,
// so its Success and Completion constraints are followed and its Failure
// constraints are not. SSIS's analogue is the disabled task, whose TaskHost
// posts "no errors occurred" without executing it, so the workflow goes on
// (sqlis.com, "Meaning of the On Success Workflow Constraint").
func TestSkippedTaskSucceedsForItsConstraintsAsADisabledTaskDoes(t *testing.T) {
	for _, first := range []string{"unsupported1", "disabled1"} {
		t.Run(first, func(t *testing.T) {
			rep, l := runSkipping(t, pkgXML([]string{first, "onok", "onfail", "always"},
				[]string{first + ">onok:S", first + ">onfail:F", first + ">always:C"}, "", ""), nil)
			got := statuses(rep)
			want := map[string]string{first: "Success", "onok": "Success", "onfail": "NotRun", "always": "Success"}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %s, want %s (all: %v)", k, got[k], v, got)
				}
			}
			if o := strings.Join(l.order, " "); o != "onok always" {
				t.Errorf("ran %q, want %q", o, "onok always")
			}
			if rep.Status != runtime.Success {
				t.Errorf("package %v, want Success (errors %v)", rep.Status, rep.Errors)
			}
		})
	}
}

// TestSkippedTasksAreListed: the report lists each skipped task once, with
// its name, type and path; its result says why it did not run; the warning
// names the option in the command's spelling. A disabled task is not
// among the skipped tasks: the package asked for that.
func TestSkippedTasksAreListed(t *testing.T) {
	spell := slashSkip("/Unsupported skip")
	rep, l := runSkipping(t, pkgXML([]string{"unsupported2", "a", "unsupported1", "disabled1"},
		[]string{"unsupported2>a:S", "a>unsupported1:S"}, "", ""), spell)
	if rep.Status != runtime.Success || strings.Join(l.order, " ") != "a" {
		t.Fatalf("status %v, ran %v, errors %v", rep.Status, l.order, rep.Errors)
	}
	want := []runtime.SkippedTask{
		{RefID: `Package\unsupported1`, Name: "unsupported1", Type: "Test.Unsupported", Times: 1},
		{RefID: `Package\unsupported2`, Name: "unsupported2", Type: "Test.Unsupported", Times: 1},
	}
	if len(rep.Skipped) != len(want) {
		t.Fatalf("skipped %+v, want %+v", rep.Skipped, want)
	}
	for i := range want {
		if rep.Skipped[i] != want[i] {
			t.Errorf("skipped[%d] = %+v, want %+v", i, rep.Skipped[i], want[i])
		}
	}
	for _, r := range rep.Results {
		if strings.HasPrefix(r.Name, "unsupported") && r.Skipped != "not executable here" {
			t.Errorf("%s: skipped %q", r.Name, r.Skipped)
		}
	}
	warned := 0
	for _, w := range rep.Warnings {
		if strings.Contains(w.Message, "skipped (/Unsupported skip)") {
			warned++
		}
		if strings.Contains(w.Message, "--unsupported") {
			t.Errorf("warning names dtsx's option: %s", w.Message)
		}
	}
	if warned != 2 {
		t.Errorf("%d warnings say the task was skipped, want 2: %+v", warned, rep.Warnings)
	}
}

// TestRefusalSpellsTheCommandsOption: a run refused for a task that cannot
// execute tells how to skip it in the command's own spelling.
func TestRefusalSpellsTheCommandsOption(t *testing.T) {
	for _, tt := range []struct {
		spell     runtime.Spelling
		want, not string
	}{
		{nil, "--unsupported skip", "/Un"},
		{slashSkip("/Un[supported] skip"), "/Un[supported] skip", "--unsupported"},
	} {
		p, err := dtsx.LoadPackage("t.dtsx", []byte(pkgXML([]string{"unsupported1"}, nil, "", "")))
		if err != nil {
			t.Fatal(err)
		}
		l := &runLog{seen: map[string]string{}}
		rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(), runtime.RunOptions{Spelling: tt.spell})
		if rep.Status != runtime.Failure || len(rep.Errors) != 1 {
			t.Fatalf("status %v, errors %+v", rep.Status, rep.Errors)
		}
		if msg := rep.Errors[0].Message; !strings.Contains(msg, tt.want) || strings.Contains(msg, tt.not) {
			t.Errorf("error %q: want %q, not %q", msg, tt.want, tt.not)
		}
	}
}
