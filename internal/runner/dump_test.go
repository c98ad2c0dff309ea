package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/runtime"
)

// TestDumpOnError: dtexec /DumpOnError ("dtexec Utility": debug dump files
// when any error occurs). Here the dump is a text report, the run's JSON
// report and its error events, written to DumpDir with its path printed;
// a run without errors writes none.
func TestDumpOnError(t *testing.T) {
	for _, tt := range []struct {
		name string
		job  Job
		code int
		dump bool
	}{
		{"a failing run", Job{File: childLoad, DumpOnError: true}, ExitFailure, true},
		{"a failing run, no /DumpOnError", Job{File: childLoad}, ExitFailure, false},
		{"a run without errors", Job{File: helloMail, DumpOnError: true}, ExitSuccess, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.job.DumpDir = dir
			if tt.job.File == helloMail {
				tt.job.Capture = filepath.Join(t.TempDir(), "outbox")
			}
			code, out := runJob(t, tt.job)
			if code != tt.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tt.code, out)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.dump.json"))
			if !tt.dump {
				if len(files) != 0 || strings.Contains(out, "Debug dump") {
					t.Errorf("dumps %q:\n%s", files, out)
				}
				return
			}
			if len(files) != 1 {
				t.Fatalf("dumps %q:\n%s", files, out)
			}
			if !strings.Contains(out, "Debug dump: "+files[0]) || !strings.HasPrefix(filepath.Base(files[0]), "dtsx-run-child-load-") {
				t.Errorf("dump %s not printed:\n%s", files[0], out)
			}
			st, err := os.Stat(files[0])
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("dump mode %v, %v", st.Mode(), err)
			}
			var d struct {
				ExitCode    int             `json:"exitCode"`
				Package     string          `json:"package"`
				ErrorEvents []runtime.Event `json:"errorEvents"`
				ErrorCount  int             `json:"errorCount"`
			}
			if err := json.Unmarshal([]byte(mustRead(t, files[0])), &d); err != nil {
				t.Fatal(err)
			}
			if d.ExitCode != ExitFailure || d.Package != "child-load" || d.ErrorCount == 0 || len(d.ErrorEvents) != d.ErrorCount {
				t.Errorf("dump: %+v", d)
			}
			for _, e := range d.ErrorEvents {
				if e.Name != "OnError" || e.Message == "" {
					t.Errorf("error event %+v", e)
				}
			}
		})
	}
}
