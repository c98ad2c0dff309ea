package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/guardtest"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestValidateExecutesNothing: `dtsx validate` and `dtsx run
// --validate-only` of a package whose task fails validation, or cannot
// execute here, and whose event handlers would mail the package's SMTP
// server (a loopback test server) and start a process, make no SMTP
// connection, start no process and capture no mail; so does a run refused
// for a task that cannot execute.
func TestValidateExecutesNothing(t *testing.T) {
	testfence.SetFor(t)
	for _, tt := range []struct {
		name, kind string
		args       []string // before the file; "CAPTURE" is a capture folder
		code       int
		want       string
	}{
		{"validate, invalid task", guardtest.Invalid, []string{"validate"}, runner.ExitFailure, "sendmail-no-recipient"},
		// validate gives the run's verdict: a task this runtime cannot
		// execute blocks the package, as it stops the run.
		{"validate, unsupported task", guardtest.Unsupported, []string{"validate"}, runner.ExitFailure, "error[task-not-executable]"},
		{"run --validate-only, invalid task", guardtest.Invalid, []string{"run", "--validate-only"}, runner.ExitFailure, "sendmail-no-recipient"},
		{"run --validate-only --capture, invalid task", guardtest.Invalid, []string{"run", "--validate-only", "--capture", "CAPTURE"}, runner.ExitFailure, "sendmail-no-recipient"},
		{"run --validate-only, unsupported task", guardtest.Unsupported, []string{"run", "--validate-only"}, runner.ExitFailure, "--unsupported skip"},
		{"run, unsupported task refused", guardtest.Unsupported, []string{"run", "--capture", "CAPTURE"}, runner.ExitFailure, "--unsupported skip"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := guardtest.Write(t, tt.kind)
			capture := ""
			var args []string
			for _, a := range tt.args {
				if a == "CAPTURE" {
					capture = filepath.Join(t.TempDir(), "outbox")
					a = capture
				}
				args = append(args, a)
			}
			code, out, errOut := runCLI(t, append(args, g.File)...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
			g.AssertNothingRan(t, capture)
		})
	}
}
