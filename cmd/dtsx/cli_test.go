package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestValidateExitCodes checks dtexec's exit codes: 0 valid, 1 invalid,
// 4 not found, 5 cannot be loaded, 6 bad command line.
func TestValidateExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.dtsx", "<DTS:Executable xmlns:DTS=\"www.microsoft.com/SqlServer/Dts\">\n<oops")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"sample is valid", []string{"validate", "../../samples/hello-mail.dtsx"}, 0, "runs after configuration (0 errors, 0 warnings)"},
		{"sample in capture mode", []string{"validate", "--capture", "../../samples/hello-mail.dtsx"}, 0, "runs as is (0 errors, 0 warnings)"},
		{"a folder", []string{"validate", "--capture", "../../samples"}, 0, "samples/csv-split.dtsx: runs as is"},
		{"blocked", []string{"validate", testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__FTPTask.dtsx")}, 1, "error[task-not-executable]"},
		{"dangling reference", []string{"validate", testcorpus.Path(t, "jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__StagingExcel-UserMaster.dtsx")}, 1, "error[dangling-connection-reference]"},
		{"not found", []string{"validate", filepath.Join(dir, "nope.dtsx")}, 4, "error[file-not-found]"},
		{"malformed", []string{"validate", bad}, 5, "error[truncated-xml]"},
		{"encrypted", []string{"validate", testcorpus.Path(t, "shirashiki__ssis/template__template__security_test_pass_is_banana.dtsx")}, 5, "encrypted-package"},
		{"worst code wins", []string{"validate", "../../samples/hello-mail.dtsx", filepath.Join(dir, "nope.dtsx"), bad}, 5, "validated 3 packages"},
		{"no file", []string{"validate"}, 6, ""},
		{"unknown flag", []string{"validate", "--nope", "x.dtsx"}, 6, ""},
		{"unknown command", []string{"frobnicate"}, 6, ""},
		{"no command", nil, 6, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("stdout lacks %q:\n%s", tt.want, out)
			}
		})
	}
}

// TestValidateJSON checks the stable JSON shape of docs/json.md.
func TestValidateJSON(t *testing.T) {
	code, out, _ := runCLI(t, "validate", "--json",
		testcorpus.Path(t, "jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__StagingExcel-UserMaster.dtsx"))
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var rep struct {
		Files []struct {
			File        string `json:"file"`
			Package     string `json:"package"`
			Loaded      bool   `json:"loaded"`
			Verdict     string `json:"verdict"`
			Diagnostics []struct {
				Severity, Code, File, Path, Message, Hint string
				Line                                      int
			} `json:"diagnostics"`
		} `json:"files"`
		Summary struct{ Files, Errors, Warnings, ExitCode int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(rep.Files) != 1 || !rep.Files[0].Loaded || rep.Files[0].Package != "StagingExcel-UserMaster" {
		t.Fatalf("files = %+v", rep.Files)
	}
	// Three dangling references (the Send Mail task's SMTP connection and
	// the two Execute SQL tasks' OLE DB connection, none of them in the
	// package or its project) and two Script Tasks, which a run refuses.
	if rep.Summary.Errors != 5 || rep.Summary.ExitCode != 1 || rep.Summary.Files != 1 {
		t.Errorf("summary = %+v, want 5 errors, exit 1", rep.Summary)
	}
	if rep.Files[0].Verdict != "blocked" {
		t.Errorf("verdict %q, want blocked", rep.Files[0].Verdict)
	}
	found := false
	for _, d := range rep.Files[0].Diagnostics {
		if d.Code == "dangling-connection-reference" {
			found = d.Severity == "error" && d.Line > 0 && d.Path != "" && d.Hint != "" && strings.HasSuffix(d.File, ".dtsx")
		}
	}
	if !found {
		t.Errorf("no complete dangling-connection-reference diagnostic in %s", out)
	}
}

// TestInspectMasksSecrets checks that no password of a connection string or
// value of a sensitive parameter reaches inspect's output.
func TestInspectMasksSecrets(t *testing.T) {
	dir := t.TempDir()
	pkg := writeFile(t, dir, "p.dtsx", `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{11111111-1111-1111-1111-111111111111}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p" DTS:ProtectionLevel="0">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Mail]" DTS:CreationName="SMTP"
      DTS:DTSID="{22222222-2222-2222-2222-222222222222}" DTS:ObjectName="Mail">
      <DTS:ObjectData><SmtpConnectionManager ConnectionString="SmtpServer=127.0.0.1;UseWindowsAuthentication=True;EnableSsl=True;UserName=alice;Password=Hunter2-secret;" /></DTS:ObjectData>
    </DTS:ConnectionManager>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[DB]" DTS:CreationName="OLEDB"
      DTS:DTSID="{33333333-3333-3333-3333-333333333333}" DTS:ObjectName="DB">
      <DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Data Source=db;User ID=sa;Password=Db-secret-9;" /></DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
  <DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{44444444-4444-4444-4444-444444444444}"
      DTS:ObjectName="ApiKey" DTS:Sensitive="True">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue">Param-secret-7</DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters>
</DTS:Executable>`)
	for _, args := range [][]string{{"inspect", pkg}, {"inspect", "--json", pkg}} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		for _, secret := range []string{"Hunter2-secret", "Db-secret-9", "Param-secret-7"} {
			if strings.Contains(out+errOut, secret) {
				t.Errorf("%v printed the secret %q:\n%s", args, secret, out)
			}
		}
		if !strings.Contains(out, "********") || !strings.Contains(out, "SmtpServer=127.0.0.1") {
			t.Errorf("%v: no masked value or connection string shown:\n%s", args, out)
		}
	}
}

// TestInspectTree checks the executable tree and project connections of a
// real format-8 package.
func TestInspectTree(t *testing.T) {
	code, out, _ := runCLI(t, "inspect", "--json",
		testcorpus.Path(t, "jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__Email-Start.dtsx"))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep inspectReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Format != 8 || rep.Name != "Email-Start" || rep.Executable == nil || len(rep.Executable.Executables) != 1 {
		t.Fatalf("unexpected report: %+v", rep)
	}
	seq := rep.Executable.Executables[0]
	if len(seq.Executables) != 1 || seq.Executables[0].RefID != `Package\Sequence Container\Send Start e-Mail` ||
		seq.Executables[0].Type != "Microsoft.SendMailTask" || len(seq.Executables[0].Expressions) != 4 {
		t.Errorf("Send Mail task not where expected: %+v", seq)
	}
	var smtp *connJSON
	for i := range rep.Connections {
		if rep.Connections[i].Name == "SMTP" {
			smtp = &rep.Connections[i]
		}
	}
	if smtp == nil || smtp.Scope != "project" || smtp.DTSID != "{E826453B-5A5C-4217-BE0C-1DF882C1E087}" ||
		len(smtp.Expressions) != 1 || smtp.Expressions[0].Property != "SmtpServer" {
		t.Errorf("project SMTP manager = %+v", smtp)
	}
}
