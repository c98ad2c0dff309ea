package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerify: dtexec's /VerifyBuild, /VerifyPackageID and /VerifyVersionID
// ("dtexec Utility": on a mismatch the package does not execute): a package
// that is not the one required is not loaded, exit 5, nothing starts, under
// validation too; one that is runs.
func TestVerify(t *testing.T) {
	for _, tt := range []struct {
		name   string
		verify Verify
		code   int
		want   string
	}{
		{"nothing required", Verify{}, ExitSuccess, "DTSER_SUCCESS"},
		{"major 0 (not persisted)", Verify{Build: []int64{0}}, ExitSuccess, "DTSER_SUCCESS"},
		{"major;minor;build", Verify{Build: []int64{0, 0, 1}}, ExitSuccess, "DTSER_SUCCESS"},
		{"another build", Verify{Build: []int64{0, 0, 2}}, ExitNotLoad,
			`/VerifyBuild: package "hello-mail" has VersionMajor;VersionMinor;VersionBuild 0;0;1, not 0;0;2 as required; the package is not loaded`},
		{"another major", Verify{Build: []int64{1}}, ExitNotLoad, "0;0;1, not 1 as required"},
		{"another minor", Verify{Build: []int64{0, 3}}, ExitNotLoad, "0;0;1, not 0;3 as required"},
		{"package ID, another case, no braces", Verify{PackageID: "6f0c2b8e-3d5a-4c71-9e2b-1a7f4d9c0e11"}, ExitSuccess, "DTSER_SUCCESS"},
		{"another package ID", Verify{PackageID: "{6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E12}"}, ExitNotLoad,
			`/VerifyPackageID: package "hello-mail" has DTSID {6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E11}, not {6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E12} as required`},
		{"version ID", Verify{VersionID: "{0B5E7A9C-2F41-4D8E-A3C6-5E9D1B7F2A40}"}, ExitSuccess, "DTSER_SUCCESS"},
		{"another version ID", Verify{VersionID: "{0B5E7A9C-2F41-4D8E-A3C6-5E9D1B7F2A41}"}, ExitNotLoad, "/VerifyVersionID: "},
		{"all three, the build wrong", Verify{Build: []int64{0, 0, 9}, PackageID: "{6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E11}",
			VersionID: "{0B5E7A9C-2F41-4D8E-A3C6-5E9D1B7F2A40}"}, ExitNotLoad, "/VerifyBuild: "},
	} {
		for _, validate := range []bool{true, false} {
			name := tt.name + ", run"
			if validate {
				name = tt.name + ", validate"
			}
			t.Run(name, func(t *testing.T) {
				outbox := filepath.Join(t.TempDir(), "outbox")
				code, out := runJob(t, Job{File: helloMail, Verify: tt.verify, ValidateOnly: validate, Capture: outbox})
				if code != tt.code || !strings.Contains(out, tt.want) {
					t.Errorf("exit %d, want %d and %q in:\n%s", code, tt.code, tt.want, out)
				}
				if tt.code == ExitNotLoad && strings.Contains(out, "Started:") {
					t.Errorf("a package that did not verify started:\n%s", out)
				}
				files, _ := os.ReadDir(outbox)
				if sent := len(files) > 0; sent != (tt.code == ExitSuccess && !validate) {
					t.Errorf("%d files in the outbox", len(files))
				}
			})
		}
	}
}
