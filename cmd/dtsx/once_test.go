package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProjectProblemOnce: a bad .conmgr beside two packages is one
// problem of their project: validate and inspect of both report it once,
// with the first package, not once per package.
func TestProjectProblemOnce(t *testing.T) {
	dir := t.TempDir()
	sample, err := os.ReadFile("../../samples/hello-mail.dtsx")
	if err != nil {
		t.Fatal(err)
	}
	a := writeFile(t, dir, "a.dtsx", string(sample))
	b := writeFile(t, dir, "b.dtsx", string(sample))
	writeFile(t, dir, "Broken.conmgr", "<DTS:ConnectionManager xmlns:DTS=\"www.microsoft.com/SqlServer/Dts\">\n<oops")
	count := func(text string) int { return strings.Count(text, "Broken.conmgr") }

	code, out, errOut := runCLI(t, "validate", a, b)
	if n := count(out); n != 1 {
		t.Errorf("validate: the .conmgr named %d times, want 1 (exit %d):\n%s%s", n, code, out, errOut)
	}
	code, out, _ = runCLI(t, "validate", "--json", a, b)
	var rep validateReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Files) != 2 {
		t.Fatalf("validate --json: %v, %d files\n%s", err, len(rep.Files), out)
	}
	if count(out) != 1 || rep.Summary.Errors != 1 || code != 1 {
		t.Errorf("validate --json: exit %d, summary %+v, the .conmgr named %d times:\n%s", code, rep.Summary, count(out), out)
	}

	code, out, errOut = runCLI(t, "inspect", a, b)
	if n := count(out); code != 0 || n != 1 || strings.Count(out, "Package hello-mail ") != 2 {
		t.Errorf("inspect: exit %d, the .conmgr named %d times, want 1:\n%s%s", code, n, out, errOut)
	}
	code, out, _ = runCLI(t, "inspect", "--json", a, b)
	var reps []inspectReport
	if err := json.Unmarshal([]byte(out), &reps); err != nil || len(reps) != 2 {
		t.Fatalf("inspect --json: exit %d, %v\n%s", code, err, out)
	}
	if len(reps[0].ProjectDiagnostics) != 1 || len(reps[1].ProjectDiagnostics) != 0 || filepath.Base(reps[0].ProjectDiagnostics[0].File) != "Broken.conmgr" {
		t.Errorf("inspect --json: project diagnostics %+v and %+v", reps[0].ProjectDiagnostics, reps[1].ProjectDiagnostics)
	}
}
