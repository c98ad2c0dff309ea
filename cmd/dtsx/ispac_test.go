package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestRunPackageOfIspac: dtsx run PROJECT.ispac --package NAME runs that
// package of the project (the flag after the file, as cobra allows), and
// --json - writes the report on stdout with the console on stderr. An
// .ispac of several packages without --package is a command-line error
// that names the flag; a package it does not hold is not found.
func TestRunPackageOfIspac(t *testing.T) {
	testfence.SetFor(t)
	ispac := testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__bin__Development__Chapter3.ispac")
	outbox := filepath.Join(t.TempDir(), "outbox")
	code, out, errOut := runCLI(t, "run", "--capture", outbox, "--json", "-", ispac, "--package", "SendMailTask")
	if code != runner.ExitSuccess {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	var rep struct {
		Package      string   `json:"package"`
		Status       string   `json:"status"`
		ExitCode     int      `json:"exitCode"`
		CaptureFiles []string `json:"captureFiles"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, out)
	}
	if rep.Package != "SendMailTask" || rep.Status != "Success" || rep.ExitCode != 0 || len(rep.CaptureFiles) != 1 {
		t.Errorf("report = %+v", rep)
	}
	if !strings.Contains(errOut, "Package:  SendMailTask (") || !strings.Contains(errOut, "DTSER_SUCCESS (0)") {
		t.Errorf("the console is not on stderr:\n%s", errOut)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"none named", []string{"run", "--validate-only", ispac}, runner.ExitSyntax, "holds 15 packages (BulkInsertTask.dtsx, "},
		{"none named, the flag", []string{"run", "--validate-only", ispac}, runner.ExitSyntax, "name the one to run with --package NAME"},
		{"not in the project", []string{"run", "--validate-only", "--package", "Nope.dtsx", ispac}, runner.ExitNotFound, `has no package "Nope.dtsx"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, want %d and %q in stderr:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
		})
	}
}
