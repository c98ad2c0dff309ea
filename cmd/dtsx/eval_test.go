package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// evalTestPackage has a sensitive parameter and a variable whose cached value
// is not what its expression gives.
const evalTestPackage = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{11111111-1111-1111-1111-111111111111}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="wrong" DTS:ProtectionLevel="0">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{44444444-4444-4444-4444-444444444444}"
      DTS:ObjectName="ApiKey" DTS:Sensitive="True">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue">Param-secret-7</DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters>
  <DTS:Variables>
    <DTS:Variable DTS:DTSID="{22222222-2222-2222-2222-222222222222}" DTS:Namespace="User" DTS:ObjectName="Count">
      <DTS:VariableValue DTS:DataType="3">20</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{33333333-3333-3333-3333-333333333333}" DTS:Namespace="User" DTS:ObjectName="Label"
      DTS:EvaluateAsExpression="True" DTS:Expression="&quot;rows: &quot; + (DT_WSTR,10)(@[User::Count] + 1)">
      <DTS:VariableValue DTS:DataType="8">rows: 20</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{55555555-5555-5555-5555-555555555555}" DTS:Namespace="User" DTS:ObjectName="Auth"
      DTS:EvaluateAsExpression="True" DTS:Expression="&quot;Bearer &quot; + @[$Package::ApiKey]">
      <DTS:VariableValue DTS:DataType="8">Bearer Param-secret-6</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
</DTS:Executable>`

// evalCase is a command line and what it must print.
type evalCase struct {
	name   string
	args   []string
	code   int
	stdout []string // each must be in stdout
	stderr []string // each must be in stderr
}

func runEvalCases(t *testing.T, tests []evalCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			for _, secret := range []string{"Param-secret-7", "Param-secret-6"} {
				if strings.Contains(out+errOut, secret) {
					t.Errorf("printed the secret %q:\n%s%s", secret, out, errOut)
				}
			}
		})
	}
}

// TestEval runs dtsx eval on the samples and on packages of its own.
func TestEval(t *testing.T) {
	dir := t.TempDir()
	wrong := writeFile(t, dir, "wrong.dtsx", evalTestPackage)
	bad := writeFile(t, dir, "bad.dtsx", "<DTS:Executable xmlns:DTS=\"www.microsoft.com/SqlServer/Dts\">\n<oops")
	runEvalCases(t, []evalCase{
		{name: "a variable of a sample", args: []string{"eval", "--package", "../../samples/hello-mail.dtsx", "@[User::Recipient]"},
			stdout: []string{`"ops@example.com" (DT_WSTR)` + "\n"}},
		{name: "System variables", args: []string{"eval", "--package", "../../samples/japanese-notice.dtsx",
			`@[System::PackageName] + ": " + SUBSTRING(@Body, 1, 4) + " " + (DT_WSTR,4)YEAR(@[System::StartTime])`},
			stdout: []string{`"japanese-notice: 本日の夜 `}},
		{name: "a number", args: []string{"eval", "--package", "../../samples/japanese-notice.dtsx", "LEN(@[User::Body])"},
			stdout: []string{"28 (DT_I4)\n"}},
		{name: "no package", args: []string{"eval", "(DT_NUMERIC,5,2)1.5 * 2"}, stdout: []string{"3.00 (DT_NUMERIC)\n"}},
		{name: "NULL", args: []string{"eval", "NULL(DT_WSTR,5)"}, stdout: []string{"NULL (DT_WSTR)\n"}},
		{name: "--var sets a variable", args: []string{"eval", "--package", "../../samples/hello-mail.dtsx", "--var", "User::Recipient=team@example.com", "@[User::Recipient]"},
			stdout: []string{`"team@example.com" (DT_WSTR)`}},
		{name: "--var replaces an expression", args: []string{"eval", "--package", wrong, "--var", "Label=x", "--var", "Count=1", "@Label + (DT_WSTR,2)@Count"},
			stdout: []string{`"x1" (DT_WSTR)`}},
		{name: "--var sets a System variable", args: []string{"eval", "--var", "System::StartTime=11/27/2026 8:00:00 AM",
			`"Daily report " + (DT_WSTR,10)(DT_DATE)(DT_DBDATE)@[System::StartTime]`}, stdout: []string{`"Daily report 11/27/2026" (DT_WSTR)`}},
		{name: "sensitive", args: []string{"eval", "--package", wrong, "@[User::Auth]"}, stdout: []string{"(sensitive) (DT_WSTR)\n"}},
		{name: "sensitive error", args: []string{"eval", "--package", wrong, "(DT_I4)@[$Package::ApiKey]"}, code: 1,
			stderr: []string{"(DT_I4) at column 1", "sensitive parameter"}},
		{name: "syntax error", args: []string{"eval", "--package", "../../samples/hello-mail.dtsx", `"a" + `}, code: 1,
			stderr: []string{"syntax error at column 7", "\t\"a\" + \n\t      ^"}},
		{name: "type error", args: []string{"eval", `"a" + 1`}, code: 1, stderr: []string{"incompatible data types", "^"}},
		{name: "unknown variable", args: []string{"eval", "@[User::Nope]"}, code: 1, stderr: []string{"User::Nope"}},
		{name: "no expression", args: []string{"eval"}, code: 6, stderr: []string{"usage: dtsx eval"}},
		{name: "two expressions", args: []string{"eval", "1", "2"}, code: 6},
		{name: "bad --var", args: []string{"eval", "--var", "X", "1"}, code: 6, stderr: []string{"NAME=VALUE"}},
		{name: "--var of nothing", args: []string{"eval", "--package", "../../samples/hello-mail.dtsx", "--var", "User::Nope=1", "1"}, code: 6,
			stderr: []string{"User::Nope"}},
		{name: "--var of the wrong type", args: []string{"eval", "--package", wrong, "--var", "Count=many", "1"}, code: 6,
			stderr: []string{`"many" is not a Int32`}},
		{name: "package not found", args: []string{"eval", "--package", filepath.Join(dir, "nope.dtsx"), "1"}, code: 4},
		{name: "package malformed", args: []string{"eval", "--package", bad, "1"}, code: 5},
		{name: "check a wrong cached value", args: []string{"eval", "--check", wrong}, code: 1, stdout: []string{
			"# " + wrong + " (wrong)\n",
			`MISMATCH Package User::Label: SSIS "rows: 20" here "rows: 21"` + "\n",
			"MISMATCH Package User::Auth: SSIS (sensitive) here (sensitive)\n",
			"expressions: 0 of 2 match, 0 skipped\n"}},
		{name: "check takes no --var", args: []string{"eval", "--check", "--var", "X=1", wrong}, code: 6},
		{name: "check needs a file", args: []string{"eval", "--check"}, code: 6},
	})
}

// TestEvalCorpus runs dtsx eval and dtsx eval --check on corpus packages.
func TestEvalCorpus(t *testing.T) {
	dir := t.TempDir()
	wrong := writeFile(t, dir, "wrong.dtsx", evalTestPackage)
	bad := writeFile(t, dir, "bad.dtsx", "<DTS:Executable xmlns:DTS=\"www.microsoft.com/SqlServer/Dts\">\n<oops")
	vars := testcorpus.Path(t, "BartekR__ssisUnitLearning/ssisUnitLearning__01_OnlyParametersAndVariables.dtsx")
	corpusCheck := testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c05_download__850879_ch05_download__Code__Ch05_ProSSIS__04Expression Package.dtsx")
	runEvalCases(t, []evalCase{
		{name: "an expression variable", args: []string{"eval", "--package", vars, "@[User::GlobalVariableWithExpression]"},
			stdout: []string{`"E10" (DT_WSTR)`}},
		{name: "--var sets a parameter", args: []string{"eval", "--package", vars, "--var", "$Package::pPackageParameter=7", "@GlobalVariableWithExpression"},
			stdout: []string{`"E7" (DT_WSTR)`}},
		{name: "a project parameter without a package", args: []string{"eval", "--project", testcorpus.Path(t, "jbernier51__SSIS_Projects"),
			"@[$Project::JDEConnectionString]"}, stdout: []string{`"uid=BIEXTRACT;Dsn=JDE;" (DT_WSTR)`}},
		{name: "check a corpus package", args: []string{"eval", "--check", corpusCheck}, stdout: []string{
			"\nMATCH Package\\Foreach Loop Container UserExp::BankFileDestinationFolder\n",
			"\nMATCH Package\\Foreach Loop Container UserExp::BankFileSourceFile\n",
			"\nSKIP Package\\Foreach Loop Container UserExp::BankFileDestinationFile: reads the clock\n",
			"\nexpressions: 2 of 2 match, 1 skipped\n"}},
		{name: "check worst code wins", args: []string{"eval", "--check", wrong, corpusCheck, bad}, code: 5, stdout: []string{
			"expressions: 2 of 4 match, 1 skipped\n"}, stderr: []string{"bad.dtsx"}},
	})
}

func TestEvalJSON(t *testing.T) {
	dir := t.TempDir()
	wrong := writeFile(t, dir, "wrong.dtsx", evalTestPackage)

	code, out, _ := runCLI(t, "eval", "--json", "--package", wrong, "@Label")
	var rep struct {
		Expression string
		Value      *string
		Type       string
		Sensitive  bool
		Error      string
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if rep.Expression != "@Label" || rep.Value == nil || *rep.Value != "rows: 21" || rep.Type != "DT_WSTR" || rep.Sensitive {
		t.Errorf("report %+v", rep)
	}
	code, out, _ = runCLI(t, "eval", "--json", "--package", wrong, "@Auth")
	rep.Value = nil
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || !rep.Sensitive || rep.Value == nil || *rep.Value != masked {
		t.Errorf("sensitive: exit %d, %v, %+v", code, err, rep)
	}

	code, out, _ = runCLI(t, "eval", "--check", "--json", wrong)
	var check struct {
		Files []struct {
			File, Package string
			Loaded        bool
			Results       []struct {
				Path, Name, Kind, Expression, Status, Want, Got, Reason string
				Sensitive                                               bool
			}
		}
		Summary struct{ Checked, Match, Mismatch, Skipped, ExitCode int }
	}
	if err := json.Unmarshal([]byte(out), &check); err != nil || code != 1 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if len(check.Files) != 1 || !check.Files[0].Loaded || len(check.Files[0].Results) != 2 {
		t.Fatalf("files %+v", check.Files)
	}
	r := check.Files[0].Results[0]
	if r.Path != "Package" || r.Name != "User::Label" || r.Kind != "variable" || r.Status != "MISMATCH" || r.Want != "rows: 20" || r.Got != "rows: 21" {
		t.Errorf("result %+v", r)
	}
	if s := check.Files[0].Results[1]; !s.Sensitive || s.Want != masked || s.Got != masked {
		t.Errorf("sensitive result %+v", s)
	}
	if check.Summary.Checked != 2 || check.Summary.Mismatch != 2 || check.Summary.ExitCode != 1 {
		t.Errorf("summary %+v", check.Summary)
	}
	if strings.Contains(out, "Param-secret") {
		t.Errorf("a secret in the JSON:\n%s", out)
	}
}
