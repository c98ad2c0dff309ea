package runner

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/runtime"
)

// TestLoadErrorsExitCodes: what both commands return before anything runs
// ("Exit Codes Returned from dtexec Utility": 4 the package cannot be
// found, 5 it cannot be loaded, 6 the command line is wrong).
func TestLoadErrorsExitCodes(t *testing.T) {
	notXML := writeFile(t, "broken.dtsx", "this is not a package")
	for _, tt := range []struct {
		name string
		job  Job
		code int
		want string
	}{
		{"no such file", Job{File: filepath.Join(t.TempDir(), "none.dtsx")}, ExitNotFound, "none.dtsx"},
		{"not a package", Job{File: notXML}, ExitNotLoad, "broken.dtsx"},
		{"a bad DTSX_PATH_MAP", Job{File: helloMail, Env: func(k string) (string, bool) {
			if k == runtime.EnvPathMap {
				return "no equals sign", true
			}
			return "", false
		}}, ExitSyntax, runtime.EnvPathMap},
		{"a /Set that names nothing", Job{File: helloMail, ValidateOnly: true,
			Overrides: []Override{setOverride(t, `\Package.Variables[User::Nope].Properties[Value]`, "x")}}, ExitSyntax, "Nope"},
		{"a /Conn that names nothing", Job{File: helloMail, ValidateOnly: true,
			Overrides: []Override{{Conn: &Conn{Name: "No Such Manager", ConnectionString: "SmtpServer=x;"}}}}, ExitSyntax, "No Such Manager"},
		{"a configuration file that is not there", Job{File: helloMail, ValidateOnly: true,
			Overrides: []Override{{ConfigFile: filepath.Join(t.TempDir(), "none.dtsConfig")}}}, ExitSyntax, "configuration file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runJob(t, tt.job)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tt.code, tt.want, out)
			}
			if tt.code != ExitSyntax && strings.Contains(out, "Started:") {
				t.Errorf("a package that did not load started:\n%s", out)
			}
		})
	}
}

// TestOverridesApplied: configuration files and /Set, /Conn apply in
// command-line order, the last one winning, as the mail capture mode keeps
// shows; the JSON report names the captured file and the exit code.
func TestOverridesApplied(t *testing.T) {
	config := writeFile(t, "subject.dtsConfig", `<?xml version="1.0"?>
<DTSConfiguration>
  <Configuration ConfiguredType="Property" Path="\Package\Send Hello.Properties[Subject]" ValueType="String">
    <ConfiguredValue>from the configuration</ConfiguredValue>
  </Configuration>
</DTSConfiguration>`)
	subject := func(v string) Override { return setOverride(t, `\Package\Send Hello.Properties[Subject]`, v) }
	for _, tt := range []struct {
		name      string
		overrides []Override
		want      string
	}{
		{"none", nil, "Hello from dtsx"},
		{"a /Set", []Override{subject("from /Set")}, "from /Set"},
		{"a configuration file", []Override{{ConfigFile: config}}, "from the configuration"},
		{"/Set, then the configuration", []Override{subject("from /Set"), {ConfigFile: config}}, "from the configuration"},
		{"the configuration, then /Set", []Override{{ConfigFile: config}, subject("from /Set")}, "from /Set"},
		{"a /Conn to the same server", []Override{{Conn: &Conn{Name: "SMTP Connection Manager",
			ConnectionString: "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;"}}, subject("after /Conn")}, "after /Conn"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			outbox, report := filepath.Join(dir, "outbox"), filepath.Join(dir, "report.json")
			code, out := runJob(t, Job{File: helloMail, Overrides: tt.overrides, Capture: outbox, JSON: report})
			if code != ExitSuccess {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			if !strings.Contains(out, "Capture mode: mail stays in this process") {
				t.Errorf("capture mode not announced:\n%s", out)
			}
			b, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			var rep struct {
				ExitCode     int      `json:"exitCode"`
				CaptureFiles []string `json:"captureFiles"`
			}
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			if rep.ExitCode != ExitSuccess || len(rep.CaptureFiles) != 1 {
				t.Fatalf("report: exit code %d, captured %q", rep.ExitCode, rep.CaptureFiles)
			}
			mail, err := os.ReadFile(rep.CaptureFiles[0])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(mail, []byte("Subject: "+tt.want+"\r\n")) {
				t.Errorf("subject is not %q:\n%s", tt.want, mail)
			}
		})
	}
}

// TestParamOverride: a parameter's value from the command line reaches the
// run: a required parameter without a value fails validation, given one it
// validates.
func TestParamOverride(t *testing.T) {
	pkg := writeFile(t, "param.dtsx", strings.Replace(mustRead(t, helloMail), "<DTS:Variables>", `<DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{00000000-0000-0000-0000-0000000000C1}" DTS:ObjectName="Target" DTS:Required="True">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue"></DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters>
  <DTS:Variables>`, 1))
	for _, tt := range []struct {
		name      string
		overrides []Override
		code      int
		want      string
	}{
		{"no value", nil, ExitFailure, "--param '$Package::Target=VALUE'"},
		{"$Package::Target", []Override{{Param: &Param{Name: "$Package::Target", Value: "x"}}}, ExitSuccess, "DTSER_SUCCESS"},
		{"a bare name", []Override{{Param: &Param{Name: "Target", Value: "x"}}}, ExitSuccess, "DTSER_SUCCESS"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runJob(t, Job{File: pkg, ValidateOnly: true, Overrides: tt.overrides})
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tt.code, tt.want, out)
			}
		})
	}
}

// TestPrintSkipped: the skipped-task lines both commands end with, in each
// command's spelling.
func TestPrintSkipped(t *testing.T) {
	dtexec := runtime.Spelling(func(o string) string { return strings.ReplaceAll(o, "--unsupported skip", "/Unsupported skip") })
	for _, tt := range []struct {
		name    string
		skipped []runtime.SkippedTask
		spell   runtime.Spelling
		want    string
	}{
		{"nothing skipped", nil, nil, ""},
		{"one task", []runtime.SkippedTask{{RefID: `Package\Load`, Name: "Load", Type: "Microsoft.ExecuteSQLTask", Times: 1}}, nil,
			"Skipped:  Package\\Load (\"Load\", Microsoft.ExecuteSQLTask): not executable here\nSkipped:  1 task not executed (--unsupported skip)\n"},
		{"in a loop, in a child, dtexec", []runtime.SkippedTask{
			{RefID: `Package\Loop\Load`, Name: "Load", Type: "Microsoft.ExecuteSQLTask", Times: 3},
			{Package: "child.dtsx", RefID: `Package\Script`, Name: "Script", Type: "Microsoft.ScriptTask", Times: 1}}, dtexec,
			"Skipped:  Package\\Loop\\Load (\"Load\", Microsoft.ExecuteSQLTask, reached 3 times): not executable here\n" +
				"Skipped:  child.dtsx: Package\\Script (\"Script\", Microsoft.ScriptTask): not executable here\n" +
				"Skipped:  2 tasks not executed (/Unsupported skip)\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			printSkipped(&b, tt.skipped, tt.spell)
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}

// TestShows: the console's /Reporting levels.
func TestShows(t *testing.T) {
	events := []string{"OnError", "OnTaskFailed", "OnWarning", "OnInformation", "OnProgress", "OnPostExecute", "OnPreExecute", "OnPipelineRowsSent", "PipelineComponentTime"}
	for _, tt := range []struct {
		levels string
		want   string // one letter per event: y shown, n not
	}{
		{"N", "nnnnnnnnn"},
		{"E", "yynnnnnnn"},
		{"EWP", "yyynyynnn"},
		{"i", "nnnynnnnn"},
		{"D", "nnnnnnnyy"},
		{"V", "yyyyyyyyy"},
	} {
		t.Run(tt.levels, func(t *testing.T) {
			shows := Shows(tt.levels)
			got := ""
			for _, e := range events {
				if shows(runtime.Event{Name: e}) {
					got += "y"
				} else {
					got += "n"
				}
			}
			if got != tt.want {
				t.Errorf("Shows(%q) = %s over %v, want %s", tt.levels, got, events, tt.want)
			}
		})
	}
}
