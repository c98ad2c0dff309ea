package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/guardtest"
	"github.com/dtsx-run/dtsx/runtime"
)

// TestNothingRunsBeforeTheRun: a validate-only run, and a run refused
// because validation failed or because a task cannot execute here, run no
// task and no event handler: the package's OnError, OnWarning,
// OnPreValidate and OnPostValidate handlers would mail its SMTP server
// and start a process; the server sees no connection, the process does not
// run, and capture mode writes nothing.
func TestNothingRunsBeforeTheRun(t *testing.T) {
	for _, tt := range []struct {
		name, kind         string
		validateOnly, skip bool
		capture            bool
		code               int
		want               string
	}{
		{"validate only, invalid task", guardtest.Invalid, true, false, false, ExitFailure, "sendmail-no-recipient"},
		{"validate only, invalid task, capture", guardtest.Invalid, true, false, true, ExitFailure, "sendmail-no-recipient"},
		{"validate only, unsupported task", guardtest.Unsupported, true, false, false, ExitFailure, "cannot be executed here"},
		{"validate only, unsupported task skipped", guardtest.Unsupported, true, true, true, ExitSuccess, "validation returned DTSER_SUCCESS"},
		{"run, invalid task", guardtest.Invalid, false, false, false, ExitFailure, "sendmail-no-recipient"},
		{"run, invalid task, capture", guardtest.Invalid, false, false, true, ExitFailure, "sendmail-no-recipient"},
		{"run refused, unsupported task", guardtest.Unsupported, false, false, false, ExitFailure, "cannot be executed here"},
		{"run refused, unsupported task, capture", guardtest.Unsupported, false, false, true, ExitFailure, "cannot be executed here"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := guardtest.Write(t, tt.kind)
			job := Job{File: g.File, ValidateOnly: tt.validateOnly, SkipUnsupported: tt.skip}
			capture := ""
			if tt.capture {
				capture = filepath.Join(t.TempDir(), "outbox")
				job.Capture = capture
			}
			code, out := runJob(t, job)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tt.code, tt.want, out)
			}
			g.AssertNothingRan(t, capture)
		})
	}
}

// TestSkippedTasksEndTheConsole: with the unsupported tasks skipped, the
// rest runs (a skipped task is a Success for its constraints); the
// console's last lines list each skipped task with its path, name and
// type, the last one says how many, in the command's spelling; the JSON
// report lists them.
func TestSkippedTasksEndTheConsole(t *testing.T) {
	for _, tt := range []struct {
		name  string
		spell runtime.Spelling
		opt   string
	}{
		{"dtsx run", nil, "--unsupported skip"},
		{"dtexec", func(o string) string { return strings.ReplaceAll(o, "--unsupported skip", "/Unsupported skip") }, "/Unsupported skip"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := guardtest.Write(t, guardtest.Unsupported)
			report := filepath.Join(t.TempDir(), "report.json")
			code, out := runJob(t, Job{File: g.File, SkipUnsupported: true, JSON: report, Name: tt.name, Spelling: tt.spell})
			if code != ExitSuccess {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			if n := len(g.Server.Messages()); n != 1 {
				t.Errorf("%d messages, want the one of Mail After Load", n)
			}
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			last := lines[len(lines)-2:]
			want := []string{`Skipped:  Package\Load Staging ("Load Staging", Microsoft.ScriptTask): not executable here`,
				"Skipped:  1 task not executed (" + tt.opt + ")"}
			if strings.Join(last, "\n") != strings.Join(want, "\n") {
				t.Errorf("last lines\n%s\nwant\n%s", strings.Join(last, "\n"), strings.Join(want, "\n"))
			}
			if other := map[string]string{"dtsx run": "/Unsupported", "dtexec": "--unsupported"}[tt.name]; strings.Contains(out, other) {
				t.Errorf("%s output names %s:\n%s", tt.name, other, out)
			}
			b, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			var rep struct {
				Skipped []runtime.SkippedTask `json:"skippedTasks"`
			}
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Skipped) != 1 || rep.Skipped[0] != (runtime.SkippedTask{RefID: `Package\Load Staging`, Name: "Load Staging",
				Type: "Microsoft.ScriptTask", Times: 1}) {
				t.Errorf("skippedTasks %+v", rep.Skipped)
			}
		})
	}
}

// TestNoSkipNoSkippedLines: a run that skips nothing ends with dtexec's
// lines, no skipped-task summary.
func TestNoSkipNoSkippedLines(t *testing.T) {
	g := guardtest.Write(t, guardtest.Unsupported)
	code, out := runJob(t, Job{File: g.File})
	if code != ExitFailure || strings.Contains(out, "Skipped:") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
