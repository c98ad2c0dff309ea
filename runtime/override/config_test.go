package override_test

import (
	"os"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime/override"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

func loadConfig(t *testing.T, path string) *dtsx.ConfigFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := dtsx.LoadConfigFile(path, data)
	if err != nil {
		t.Fatalf("LoadConfigFile(%s): %v", path, err)
	}
	return cf
}

// TestApplyConfigFileHelloMail applies testdata/hello-mail.dtsConfig to
// the sample: it changes the SMTP server, turns STARTTLS on, changes the
// Send Mail subject and recipients and a variable, and warns about the
// entry for a connection manager the package does not have.
func TestApplyConfigFileHelloMail(t *testing.T) {
	p := load(t, helloMail)
	cf := loadConfig(t, "testdata/hello-mail.dtsConfig")
	diags := override.ApplyConfigFile(p, builtinTypes, cf)
	if len(diags) != 1 {
		t.Fatalf("diagnostics: %v, want one warning", diags)
	}
	d := diags[0]
	if d.Severity != dtsx.SeverityWarning || d.Code != override.CodeConfigPathNotFound ||
		d.File != cf.File || d.Path != `\Package.Connections[Old SMTP].Properties[SmtpServer]` ||
		!strings.Contains(d.Message, "configuration 5:") || !strings.Contains(d.Message, `\Package has SMTP Connection Manager`) {
		t.Errorf("diagnostic = %+v", d)
	}
	if diags.HasErrors() {
		t.Errorf("a missing path is an error: %v", diags)
	}
	for i, q := range []*dtsx.Package{p, reload(t, p)} {
		if cs := q.Connections[0].ConnectionString; cs != "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=True;" {
			t.Errorf("%d: ConnectionString = %q", i, cs)
		}
		props, _ := sendmail.ReadProperties(exe(q, "Send Hello"))
		if props.Subject != "Configured subject" || props.ToLine != "team@example.com;boss@example.com" {
			t.Errorf("%d: Send Mail = %+v", i, props)
		}
		// The configured value is used as written: its quotes stay.
		if v := variable(q, nil, "User::Recipient"); v.Value != `"quoted"@example.com` {
			t.Errorf("%d: User::Recipient = %q", i, v.Value)
		}
	}
}

// TestApplyConfigFileProblems checks each kind of problem, in file order,
// and that entries apply in order (the last of two for one path wins).
func TestApplyConfigFileProblems(t *testing.T) {
	p := load(t, targets)
	cf := &dtsx.ConfigFile{File: "problems.dtsConfig", Entries: []dtsx.ConfigEntry{
		{Path: `\Package.Variables[User::Count].Properties[Value]`, Type: "Property", ValueType: "Int32", Value: "1"},
		{Path: `\Package.Variables[User::Count].Properties[Value]`, Type: "Property", ValueType: "Int32", Value: "2"},
		{Path: `Package.Variables[User::Count].Value`, Type: "Property", Value: "3"},
		{Path: `\Package.Variables[User::Count].Properties[Value]`, Type: "Property", ValueType: "Int32", Value: "three"},
		{Path: `\Package.Variables[User::Count].Properties[Value]`, Type: "Registry", Value: "4"},
		{Path: `\Package.Variables[User::Title].Properties[Value]`, Type: "Property", Value: "t"},
		{Path: `\Package\Load.Stage\Send Report.Properties[Subject]`, Type: "Property", Value: "s"},
		{Path: `\Package.Connections[Report File].Properties[ConnectionString]`, Type: "Property", Value: "r.csv"},
		{Path: `\Package.LogProviders[Text].Properties[ConfigString]`, Type: "Property", Value: "x"},
		{Path: `\Package\Gone.Properties[Description]`, Type: "Property", Value: "x"},
		{Path: `\Package.Connections[Mail Server].Properties[Password]`, Type: "Property", Value: "hunter2"},
		{Path: `\Package.Connections[Mail Server].Properties[Timeout]`, Type: "", Value: "5"},
	}}
	diags := override.ApplyConfigFile(p, builtinTypes, cf)
	want := []struct {
		sev  dtsx.Severity
		code string
		n    string
		text string
	}{
		{dtsx.SeverityWarning, override.CodeConfigBadPath, "configuration 3:", "offset 0"},
		{dtsx.SeverityError, override.CodeConfigBadValue, "configuration 4:", `"three" is not a valid Int32`},
		{dtsx.SeverityWarning, override.CodeConfigUnsupported, "configuration 5:", `ConfiguredType "Registry"`},
		{dtsx.SeverityWarning, override.CodeConfigExpressionWins, "configuration 6:", "evaluated as an expression"},
		{dtsx.SeverityWarning, override.CodeConfigExpressionWins, "configuration 7:", "sets Subject at run time"},
		{dtsx.SeverityWarning, override.CodeConfigExpressionWins, "configuration 8:", "sets ConnectionString at run time"},
		{dtsx.SeverityWarning, override.CodeConfigUnsupported, "configuration 9:", "log providers"},
		{dtsx.SeverityWarning, override.CodeConfigPathNotFound, "configuration 10:", `no executable "Gone"`},
	}
	if len(diags) != len(want) {
		t.Fatalf("%d diagnostics, want %d:\n%v", len(diags), len(want), strings.ReplaceAll(strings.Trim(strings.Join(strings.Fields(strings.ReplaceAll(diagsString(diags), " ", "\x00")), "\n"), "\n"), "\x00", " "))
	}
	for i, w := range want {
		d := diags[i]
		if d.Severity != w.sev || d.Code != w.code || !strings.HasPrefix(d.Message, w.n) || !strings.Contains(d.Message, w.text) {
			t.Errorf("diagnostic %d = %v\nwant %v %s %q ... %q", i, d, w.sev, w.code, w.n, w.text)
		}
		if d.File != "problems.dtsConfig" || d.Path == "" {
			t.Errorf("diagnostic %d is not located: %+v", i, d)
		}
	}
	for _, d := range diags {
		if strings.Contains(d.String(), "hunter2") {
			t.Errorf("a diagnostic shows the password: %v", d)
		}
	}
	// Entries 1 and 2 set Count in order; 3 and 4 failed and changed nothing.
	if v := variable(p, nil, "User::Count"); v.Value != "2" {
		t.Errorf("User::Count = %q, want 2 (the last good entry)", v.Value)
	}
	if cs := conn(p, "Mail Server").ConnectionString; cs != "SmtpServer=smtp.old.example;UseWindowsAuthentication=False;EnableSsl=False;Timeout=5;Password=hunter2;" {
		t.Errorf("Mail Server = %q", cs)
	}
	if override.ApplyConfigFile(p, builtinTypes, nil) != nil {
		t.Error("a nil file gives diagnostics")
	}
}

func diagsString(ds dtsx.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteString("\n")
	}
	return b.String()
}
