package runner

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeIspac writes an .ispac holding the samples hello-mail.dtsx and
// child-load.dtsx.
func writeIspac(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Samples.ispac")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, src := range []string{helloMail, childLoad} {
		w, err := zw.Create(filepath.Base(src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(mustRead(t, src))); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestProjectPackage: the package of an .ispac that dtexec's /Proj and
// /Pack name, by file name or package name; one the project does not hold
// is not found (exit 4, the project's packages named); none named in a
// project of several is a command-line error (exit 6).
func TestProjectPackage(t *testing.T) {
	ispac := writeIspac(t)
	for _, tt := range []struct {
		name, pkg string
		code      int
		want      string
	}{
		{"by file name", "hello-mail.dtsx", ExitSuccess, "Package:  hello-mail ("},
		{"by name, another case", "Hello-Mail", ExitSuccess, "Package:  hello-mail ("},
		{"the other package", "child-load", ExitSuccess, "Package:  child-load ("},
		{"not in the project", "none.dtsx", ExitNotFound, `has no package "none.dtsx"; it has child-load.dtsx, hello-mail.dtsx`},
		{"none named", "", ExitSyntax, "holds 2 packages (child-load.dtsx, hello-mail.dtsx); name the one to run with --package NAME"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runJob(t, Job{File: ispac, Package: tt.pkg, ValidateOnly: true})
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tt.code, tt.want, out)
			}
		})
	}
}
