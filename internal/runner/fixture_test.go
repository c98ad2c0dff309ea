package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dtsx-run/dtsx/internal/testfence"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// The samples the tests run.
const (
	helloMail = "../../samples/hello-mail.dtsx" // DTSID …0E11, VersionGUID …2A40, VersionBuild 1
	childLoad = "../../samples/child-load.dtsx" // a File System task copying a file that is not there
)

// writeFile writes data to name in a new temporary folder and returns its
// path.
func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// setOverride returns the /Set override of the property at path.
func setOverride(t *testing.T, path, value string) Override {
	t.Helper()
	p, err := override.ParsePath(path)
	if err != nil {
		t.Fatal(err)
	}
	return Override{Set: &Set{Path: p, Value: value}}
}

// runJob runs job, named as dtsx run unless it has a name, with loopback
// SMTP servers allowed, and returns its exit code and its stdout and stderr
// together.
func runJob(t *testing.T, job Job) (int, string) {
	t.Helper()
	testfence.SetFor(t)
	if job.Name == "" {
		job.Name = "dtsx run"
	}
	var out, errOut bytes.Buffer
	code := Run(job, &out, &errOut)
	return code, out.String() + errOut.String()
}

// mustRead returns the contents of the file at path.
func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
