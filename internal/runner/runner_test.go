package runner

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/guardtest"
)

func runJob(t *testing.T, job Job) (int, string) {
	t.Helper()
	t.Setenv("DTSX_SMTP_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	if job.Name == "" {
		job.Name = "dtsx run"
	}
	var out, errOut bytes.Buffer
	code := Run(job, &out, &errOut)
	return code, out.String() + errOut.String()
}

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
