package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestVerifyOptions: /VerifyB[uild], /VerifyP[ackageID] and
// /VerifyV[ersionID] ("dtexec Utility": a package that does not match does
// not execute) through dtexec: a mismatch is exit 5, under /Validate too,
// with the expected and the actual values; a match runs.
func TestVerifyOptions(t *testing.T) {
	testfence.SetFor(t)
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"/VerifyB matches", []string{"/VerifyB", "0;0;1", "/Va"}, 0, "validation returned DTSER_SUCCESS"},
		{"/VerifyBuild another build", []string{"/VerifyBuild", "0;0;7"}, 5,
			`dtexec: /VerifyBuild: package "hello-mail" has VersionMajor;VersionMinor;VersionBuild 0;0;1, not 0;0;7 as required`},
		{"/VerifyB another build, /Va", []string{"/Va", "/VerifyB", "2"}, 5, "0;0;1, not 2 as required"},
		{"/VerifyP matches", []string{"/VerifyP", "{6f0c2b8e-3d5a-4c71-9e2b-1a7f4d9c0e11}", "/Va"}, 0, "DTSER_SUCCESS"},
		{"/VerifyPackageID another", []string{"/VerifyPackageID", "{6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E99}", "/Va"}, 5,
			"/VerifyPackageID: package \"hello-mail\" has DTSID {6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E11}, not {6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E99}"},
		{"/VerifyV matches", []string{"/VerifyV", "0B5E7A9C-2F41-4D8E-A3C6-5E9D1B7F2A40", "/Va"}, 0, "DTSER_SUCCESS"},
		{"/VerifyVersionID another", []string{"/VerifyVersionID", "{0B5E7A9C-2F41-4D8E-A3C6-5E9D1B7F2A4F}", "/Va"}, 5, "has VersionGUID"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out := dtexec(t, append([]string{"/F", helloMail}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tt.code, tt.want, out)
			}
			if tt.code == 5 && strings.Contains(out, "Started:") {
				t.Errorf("a package that did not verify started:\n%s", out)
			}
		})
	}
}

// TestDumpOnErrorOption: /DumpOnError ("dtexec Utility": dump files when
// any error occurs) writes the run's report and its error events to
// dtexec-PACKAGE-TIME-PID.dump.json in the current directory and prints
// its path; without an error there is no dump.
func TestDumpOnErrorOption(t *testing.T) {
	for _, tt := range []struct {
		name string
		file string
		code int
		dump bool
	}{
		{"a failing package", childLoad, 1, true},
		{"a package validating", helloMail, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			file, err := filepath.Abs(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			t.Chdir(dir)
			args := []string{"/F", file, "/DumpOnError"}
			if !tt.dump {
				args = append(args, "/Va")
			}
			code, out := dtexec(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tt.code, out)
			}
			dumps, _ := filepath.Glob(filepath.Join(dir, "dtexec-*.dump.json"))
			if !tt.dump {
				if len(dumps) != 0 {
					t.Errorf("dumps %q", dumps)
				}
				return
			}
			if len(dumps) != 1 || !strings.Contains(out, "Debug dump: dtexec-child-load-") {
				t.Fatalf("dumps %q:\n%s", dumps, out)
			}
			b, err := os.ReadFile(dumps[0])
			if err != nil {
				t.Fatal(err)
			}
			var d struct {
				ExitCode   int `json:"exitCode"`
				ErrorCount int `json:"errorCount"`
			}
			if err := json.Unmarshal(b, &d); err != nil || d.ExitCode != 1 || d.ErrorCount == 0 {
				t.Errorf("dump %+v, %v:\n%s", d, err, b)
			}
		})
	}
}

// TestUsageNeverPromises: /? lists every option that works with what it
// does, and every refused one under "Not supported here" with its reason;
// /? with an option's name shows that option alone.
func TestUsageNeverPromises(t *testing.T) {
	u := usage("")
	works, refusedPart, ok := strings.Cut(u, "\nNot supported here")
	if !ok {
		t.Fatalf("no list of the refused options:\n%s", u)
	}
	for _, tt := range []struct {
		option  string
		refused bool
	}{
		{"/F[ile] file.dtsx", false}, {"/VerifyB[uild]", false}, {"/VerifyP[ackageID]", false}, {"/VerifyV[ersionID]", false},
		{"/DumpOnError", false}, {"/Ca[llerInfo]", false}, {"/W[arnAsError]", false},
		{"/L[ogger]", true}, {"/VLog", true}, {"/Dump code", true}, {"/Su[m]", true}, {"/CheckF[ile]", true},
		{"/CheckP[ointing]", true}, {"/Res[tart]", true}, {"/VerifyS[igned]", true}, {"/SQ[L]", true}, {"/X86", true},
	} {
		t.Run(tt.option, func(t *testing.T) {
			part, other := works, refusedPart
			if tt.refused {
				part, other = refusedPart, works
			}
			line := ""
			for _, l := range strings.Split(part, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), tt.option) {
					line = l
				}
			}
			if line == "" || strings.Contains(other, "  "+tt.option+" ") {
				t.Fatalf("%s is not only in its part of the usage:\n%s", tt.option, u)
			}
			if tt.refused != strings.Contains(line, "not supported: ") {
				t.Errorf("line %q", line)
			}
		})
	}
	if got := usage("Set"); !strings.Contains(got, "/Set [$Sensitive::]propertyPath;value") || strings.Contains(got, "/F[ile]") {
		t.Errorf("usage(Set):\n%s", got)
	}
	if got := usage("Nothing"); got != u {
		t.Errorf("an unknown topic does not show the whole usage:\n%s", got)
	}
}
