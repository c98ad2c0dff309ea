package override_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime/override"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

// load reads a package of testdata (or of the project's samples) and fails
// on any load diagnostic, so that a test starts from a clean package.
func load(t *testing.T, path string) *dtsx.Package {
	t.Helper()
	p, err := dtsx.LoadPackageFile(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	if len(p.Diagnostics) > 0 {
		t.Fatalf("load %s: %v", path, p.Diagnostics)
	}
	return p
}

var helloMail = filepath.Join("..", "..", "samples", "hello-mail.dtsx")

// reload writes p and loads the result again: what Set wrote must survive a
// save.
func reload(t *testing.T, p *dtsx.Package) *dtsx.Package {
	t.Helper()
	var b bytes.Buffer
	if _, err := p.WriteTo(&b); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	q, err := dtsx.LoadPackage(p.File, b.Bytes())
	if err != nil {
		t.Fatalf("re-load: %v\n%s", err, b.String())
	}
	// The re-loaded package has the problems the original had, no more.
	codes := func(ds dtsx.Diagnostics) string {
		var cs []string
		for _, d := range ds {
			cs = append(cs, d.Severity.String()+":"+d.Code)
		}
		sort.Strings(cs)
		return strings.Join(cs, " ")
	}
	if codes(q.Diagnostics) != codes(p.Diagnostics) {
		t.Fatalf("re-load: %v\nwhile the original had %v", q.Diagnostics, p.Diagnostics)
	}
	return q
}

func set(t *testing.T, p *dtsx.Package, path, value string) error {
	t.Helper()
	pp, err := override.ParsePath(path)
	if err != nil {
		t.Fatalf("ParsePath(%q): %v", path, err)
	}
	return override.Set(p, builtinTypes, pp, value)
}

func variable(p *dtsx.Package, x *dtsx.Executable, qname string) *dtsx.Variable {
	if x == nil {
		x = p.Executable
	}
	for _, v := range x.Variables {
		if v.QualifiedName() == qname {
			return v
		}
	}
	return nil
}

func conn(p *dtsx.Package, name string) *dtsx.ConnectionManager {
	for _, c := range p.Connections {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// exe follows names from the package down; "OnError" steps into an event
// handler.
func exe(p *dtsx.Package, names ...string) *dtsx.Executable {
	x := p.Executable
next:
	for _, n := range names {
		for _, c := range x.Executables {
			if c.Name == n {
				x = c
				continue next
			}
		}
		for _, h := range x.EventHandlers {
			if h.EventName == n {
				x = h
				continue next
			}
		}
		return nil
	}
	return x
}

func prop(o dtsx.Object, name string) string {
	v, _ := o.Property(name)
	return v
}

func odAttr(x *dtsx.Executable, key string) string {
	if x == nil {
		return "<no executable>"
	}
	v, ok := x.ObjectDataAttr(key)
	if !ok {
		return "<absent>"
	}
	return v
}

// TestSetHelloMail changes the SMTP server and the subject of the sample
// and checks the model, the tree, the Send Mail properties the task reads
// and a save and re-load.
func TestSetHelloMail(t *testing.T) {
	p := load(t, helloMail)
	for _, s := range []struct{ path, value string }{
		{`\Package.Connections[SMTP Connection Manager].Properties[SmtpServer]`, "mail.example.com"},
		{`\Package.Connections[{2C9A4E71-8B3D-4F60-9A15-7D2E6C0B8F34}].Properties[EnableSsl]`, "True"},
		{`\Package\Send Hello.Properties[Subject]`, "Set from the command line"},
		{`\Package\Send Hello.Properties[ToLine]`, "a@example.com;b@example.com"},
		{`\Package.Variables[User::Recipient].Properties[Value]`, "c@example.com"},
	} {
		if err := set(t, p, s.path, s.value); err != nil {
			t.Fatalf("Set(%s, %q): %v", s.path, s.value, err)
		}
	}
	for i, q := range []*dtsx.Package{p, reload(t, p)} {
		t.Run(fmt.Sprint([]string{"set", "reloaded"}[i]), func(t *testing.T) {
			cm := conn(q, "SMTP Connection Manager")
			const want = "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=True;"
			if cm.ConnectionString != want {
				t.Errorf("ConnectionString = %q, want %q", cm.ConnectionString, want)
			}
			if a := cm.ObjectData.SelectAttrValue("ConnectionString", ""); a != want {
				t.Errorf("SmtpConnectionManager ConnectionString attribute = %q", a)
			}
			props, probs := sendmail.ReadProperties(exe(q, "Send Hello"))
			if len(probs) > 0 {
				t.Errorf("ReadProperties: %v", probs)
			}
			if props.Subject != "Set from the command line" || props.ToLine != "a@example.com;b@example.com" {
				t.Errorf("Send Mail properties = %+v", props)
			}
			if props.FromLine != "dtsx@example.com" {
				t.Errorf("FromLine changed: %q", props.FromLine)
			}
			if v := variable(q, nil, "User::Recipient"); v == nil || v.Value != "c@example.com" || v.DataType != dtsx.TypeString {
				t.Errorf("User::Recipient = %+v", v)
			}
		})
	}
}

// setCase is one Set on a freshly loaded package: either check passes on
// the package after Set and after a save and re-load, or the error matches.
type setCase struct {
	path, value string
	check       func(p *dtsx.Package) string // "" when right, else what is wrong
	err         error                        // the sentinel the error matches
	msg         []string                     // substrings of the error
	notMsg      string                       // a substring the error must not hold
}

func runSetCases(t *testing.T, file string, cases []setCase) {
	for _, tt := range cases {
		t.Run(tt.path+"="+tt.value, func(t *testing.T) {
			p := load(t, file)
			err := set(t, p, tt.path, tt.value)
			if tt.err != nil {
				if err == nil {
					t.Fatalf("Set succeeded, want an error matching %v", tt.err)
				}
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v (%T) does not match %v", err, err, tt.err)
				}
				for _, m := range tt.msg {
					if !strings.Contains(err.Error(), m) {
						t.Errorf("error %q does not contain %q", err, m)
					}
				}
				if tt.notMsg != "" && strings.Contains(err.Error(), tt.notMsg) {
					t.Errorf("error %q shows %q", err, tt.notMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("Set: %v", err)
			}
			if msg := tt.check(p); msg != "" {
				t.Errorf("after Set: %s", msg)
			}
			if msg := tt.check(reload(t, p)); msg != "" {
				t.Errorf("after a save and re-load: %s", msg)
			}
		})
	}
}

func want(what, got, expected string) string {
	if got == expected {
		return ""
	}
	return fmt.Sprintf("%s = %q, want %q", what, got, expected)
}

func varValue(qname, expected string, path ...string) func(p *dtsx.Package) string {
	return func(p *dtsx.Package) string {
		v := variable(p, exe(p, path...), qname)
		if v == nil {
			return "no variable " + qname
		}
		return want(qname, v.Value, expected)
	}
}

func connString(name, expected string) func(p *dtsx.Package) string {
	return func(p *dtsx.Package) string {
		return want(name+" ConnectionString", conn(p, name).ConnectionString, expected)
	}
}

func taskAttr(key, expected string, path ...string) func(p *dtsx.Package) string {
	return func(p *dtsx.Package) string { return want(key, odAttr(exe(p, path...), key), expected) }
}

func all(checks ...func(p *dtsx.Package) string) func(p *dtsx.Package) string {
	return func(p *dtsx.Package) string {
		for _, c := range checks {
			if m := c(p); m != "" {
				return m
			}
		}
		return ""
	}
}

const targets = "testdata/targets.dtsx"

func TestSetVariables(t *testing.T) {
	runSetCases(t, targets, []setCase{
		{path: `\Package.Variables[User::Count].Properties[Value]`, value: "42", check: varValue("User::Count", "42")},
		{path: `\Package.Variables[User::Count].Value`, value: " -7 ", check: varValue("User::Count", "-7")},
		{path: `\Package.Variables[User::Count].Value`, value: "abc", err: override.ErrBadValue,
			msg: []string{`"abc" is not a valid Int32`, "User::Count is of type Int32"}},
		{path: `\Package.Variables[User::Count].Value`, value: "3000000000", err: override.ErrBadValue,
			msg: []string{"out of range", "-2147483648 to 2147483647"}},
		{path: `\Package.Variables[User::Count].Value`, value: "1.5", err: override.ErrBadValue, msg: []string{"whole number"}},
		{path: `\Package.Variables[User::Flag].Value`, value: "True", check: varValue("User::Flag", "-1")},
		{path: `\Package.Variables[User::Flag].Value`, value: "1", check: varValue("User::Flag", "-1")},
		{path: `\Package.Variables[User::Flag].Value`, value: "false", check: varValue("User::Flag", "0")},
		{path: `\Package.Variables[User::Flag].Value`, value: "yes", err: override.ErrBadValue, msg: []string{"Boolean"}},
		{path: `\Package.Variables[User::When].Value`, value: "2026-03-04T05:06:07", check: varValue("User::When", "3/4/2026 5:06:07 AM")},
		{path: `\Package.Variables[User::When].Value`, value: "12/31/2026", check: varValue("User::When", "12/31/2026")},
		{path: `\Package.Variables[User::When].Value`, value: "tomorrow", err: override.ErrBadValue, msg: []string{"DateTime"}},
		// ReadOnly restricts tasks, not configurations.
		{path: `\Package.Variables[User::Region].Value`, value: "US", check: varValue("User::Region", "US")},
		// No namespace: User:: first, then the only one of that name.
		{path: `\package.variables[region].value`, value: "APAC", check: all(varValue("User::Region", "APAC"), varValue("Audit::Region", "audit"))},
		{path: `\Package.Variables[Audit::Region].Value`, value: "x", check: all(varValue("Audit::Region", "x"), varValue("User::Region", "EU"))},
		{path: `\Package.Variables[count].Value`, value: "1", check: varValue("User::Count", "1")},
		{path: `\Package.Variables[User::Title].Value`, value: "fixed", check: varValue("User::Title", "fixed")},
		{path: `\Package.Variables[User::Y].Value`, value: "1", err: override.ErrNotFound,
			msg: []string{`no variable User::Y in \Package; \Package has User::Count, User::Flag, User::When, User::Title, User::Region, User::ReportPath, Audit::Region`}},
		{path: `\Package.Variables[User::Attempts].Value`, value: "1", err: override.ErrNotFound,
			msg: []string{`\Package\Container.Variables[User::X]`}},
		{path: `\Package\Load.Stage\Send Report.Variables[User::Attempts].Properties[Value]`, value: "3",
			check: varValue("User::Attempts", "3", "Load.Stage", "Send Report")},
		{path: `\Package\Load.Stage.Variables[User::Attempts].Value`, value: "3", err: override.ErrNotFound,
			msg: []string{`\Package\Load.Stage has no variables`}},
		{path: `\Package.EventHandlers[OnError].Variables[System::Propagate].Value`, value: "False", err: override.ErrUnsupported,
			msg: []string{"System variables"}},
		{path: `\Package.Variables[User::Title].Properties[EvaluateAsExpression]`, value: "0",
			check: func(p *dtsx.Package) string {
				v := variable(p, nil, "User::Title")
				if v.EvaluateAsExpression {
					return "EvaluateAsExpression still true"
				}
				return want("EvaluateAsExpression attribute", prop(v.Object, "EvaluateAsExpression"), "False")
			}},
		{path: `\Package.Variables[User::Title].Properties[Expression]`, value: `"Daily"`,
			check: func(p *dtsx.Package) string {
				return want("Expression", variable(p, nil, "User::Title").Expression, `"Daily"`)
			}},
		{path: `\Package.Variables[User::Count].Properties[Description]`, value: "rows to load",
			check: func(p *dtsx.Package) string {
				return want("Description", variable(p, nil, "User::Count").Description, "rows to load")
			}},
		{path: `\Package.Variables[User::Count].Properties[IncludeInDebugDump]`, value: "0",
			check: func(p *dtsx.Package) string {
				return want("IncludeInDebugDump", prop(variable(p, nil, "User::Count").Object, "IncludeInDebugDump"), "2345")
			}},
		{path: `\Package.Variables[User::Region].Properties[ReadOnly]`, value: "False",
			check: func(p *dtsx.Package) string {
				if variable(p, nil, "User::Region").ReadOnly {
					return "still ReadOnly"
				}
				return ""
			}},
		{path: `\Package.Variables[User::Count].Properties[Colour]`, value: "red", err: override.ErrNotFound,
			msg: []string{"no property Colour", "Value, Description, EvaluateAsExpression"}},
	})
}

func TestSetParameters(t *testing.T) {
	runSetCases(t, targets, []setCase{
		{path: `\Package.Variables[$Package::BatchSize]`, value: "25",
			check: func(p *dtsx.Package) string { return want("BatchSize", p.Parameters[0].Value, "25") }},
		{path: `\Package.Variables[$Package::batchsize].Properties[Value]`, value: "30",
			check: func(p *dtsx.Package) string { return want("BatchSize", p.Parameters[0].Value, "30") }},
		{path: `\Package.Variables[$Package::BatchSize]`, value: "many", err: override.ErrBadValue, msg: []string{"$Package::BatchSize is of type Int32"}},
		{path: `\Package.Variables[$Package::Nope]`, value: "1", err: override.ErrNotFound, msg: []string{"no parameter $Package::Nope", "$Package::BatchSize"}},
		{path: `\Package.Variables[$Project::Env]`, value: "prod", err: override.ErrUnsupported, msg: []string{"no project was given"}},
		{path: `\Package.Variables[$Package::BatchSize].Properties[Required]`, value: "True", err: override.ErrUnsupported},
	})
}

func TestSetConnections(t *testing.T) {
	const smtpCS = "UseWindowsAuthentication=False;EnableSsl=False;Timeout=20;"
	runSetCases(t, targets, []setCase{
		{path: `\Package.Connections[Mail Server].Properties[SmtpServer]`, value: "mail.example.com",
			check: connString("Mail Server", "SmtpServer=mail.example.com;"+smtpCS)},
		{path: `\Package.Connections[mail server].Properties[smtpserver]`, value: "m2",
			check: connString("Mail Server", "SmtpServer=m2;"+smtpCS)},
		{path: `\Package.Connections[{a1b2c3d4-e5f6-4789-abcd-ef0123456789}].Properties[EnableSsl]`, value: "True",
			check: connString("Mail Server", "SmtpServer=smtp.old.example;UseWindowsAuthentication=False;EnableSsl=True;Timeout=20;")},
		{path: `\Package.Connections[A1B2C3D4-E5F6-4789-ABCD-EF0123456789].Properties[Timeout]`, value: "45",
			check: connString("Mail Server", "SmtpServer=smtp.old.example;UseWindowsAuthentication=False;EnableSsl=False;Timeout=45;")},
		{path: `\Package.Connections[Mail Server].Properties[Timeout]`, value: "soon", err: override.ErrBadValue, msg: []string{`"soon"`, "Timeout"}},
		{path: `$Sensitive::\Package.Connections[Mail Server].Properties[Timeout]`, value: "s3cret", err: override.ErrBadValue,
			msg: []string{"hidden"}, notMsg: "s3cret"},
		{path: `\Package.Connections[Mail Server].Properties[EnableSsl]`, value: "maybe", err: override.ErrBadValue},
		{path: `\Package.Connections[Mail Server].Properties[Port]`, value: "587",
			check: connString("Mail Server", "SmtpServer=smtp.old.example;"+smtpCS+"Port=587;")},
		{path: `\Package.Connections[Mail Server].Properties[Password]`, value: "p;w",
			check: connString("Mail Server", "SmtpServer=smtp.old.example;"+smtpCS+`Password="p;w";`)},
		{path: `\Package.Connections[Mail Server].Properties[ConnectionString]`, value: "SmtpServer=relay;UseWindowsAuthentication=False;EnableSsl=True;",
			check: connString("Mail Server", "SmtpServer=relay;UseWindowsAuthentication=False;EnableSsl=True;")},
		{path: `\Package.Connections[Mail Server].Properties[Description]`, value: "the relay",
			check: func(p *dtsx.Package) string {
				return want("Description", conn(p, "Mail Server").Description, "the relay")
			}},
		{path: `\Package.Connections[Mail Server].Properties[DelayValidation]`, value: "1",
			check: func(p *dtsx.Package) string {
				return want("DelayValidation", prop(conn(p, "Mail Server").Object, "DelayValidation"), "True")
			}},
		{path: `\Package.Connections[Nope].Properties[SmtpServer]`, value: "x", err: override.ErrNotFound,
			msg: []string{`no connection manager "Nope" in \Package; \Package has Mail Server, localhost.AdventureWorks, Report File`, "by name"}},
		{path: `\Package.Connections[{00000000-0000-0000-0000-000000000000}].Properties[SmtpServer]`, value: "x", err: override.ErrNotFound,
			msg: []string{"by DTSID, then by name"}},
		{path: `\Package.Connections[Mail Server].Properties[Colour]`, value: "x", err: override.ErrNotFound,
			msg: []string{"no property Colour", "SmtpServer, UseWindowsAuthentication, EnableSsl, Timeout"}},
		{path: `\Package.Connections[localhost.AdventureWorks].Properties[ServerName]`, value: "db1",
			check: connString("localhost.AdventureWorks", "Data Source=db1;Initial Catalog=AdventureWorks;Provider=SQLNCLI11.1;Integrated Security=SSPI;")},
		{path: `\Package.Connections[localhost.AdventureWorks].Properties[InitialCatalog]`, value: "Sales",
			check: connString("localhost.AdventureWorks", "Data Source=localhost;Initial Catalog=Sales;Provider=SQLNCLI11.1;Integrated Security=SSPI;")},
		{path: `\Package.Connections[localhost.AdventureWorks].Properties[UserName]`, value: "etl",
			check: connString("localhost.AdventureWorks", "Data Source=localhost;Initial Catalog=AdventureWorks;Provider=SQLNCLI11.1;Integrated Security=SSPI;User ID=etl;")},
		{path: `\Package.Connections[localhost.AdventureWorks].Properties[Password]`, value: "pw",
			check: connString("localhost.AdventureWorks", "Data Source=localhost;Initial Catalog=AdventureWorks;Provider=SQLNCLI11.1;Integrated Security=SSPI;Password=pw;")},
		{path: `\Package.Connections[Report File].Properties[FileUsageType]`, value: "0",
			check: func(p *dtsx.Package) string {
				return want("FileUsageType", conn(p, "Report File").ObjectData.SelectAttrValue("DTS:FileUsageType", ""), "0")
			}},
		{path: `\Package.Connections[Report File].Properties[ConnectionString]`, value: "out.csv", check: connString("Report File", "out.csv")},
		{path: `\Package.Connections[Report File].Properties[ServerName]`, value: "x", err: override.ErrNotFound, msg: []string{"FileUsageType"}},
	})
}

func TestSetExecutables(t *testing.T) {
	sendReport := []string{"Load.Stage", "Send Report"}
	runSetCases(t, targets, []setCase{
		{path: `\Package\Load.Stage\Send Report.Properties[Subject]`, value: "New", check: taskAttr("Subject", "New", sendReport...)},
		{path: `\Package\load.stage\send report.Properties[subject]`, value: "New", check: taskAttr("Subject", "New", sendReport...)},
		{path: `\Package\Load.Stage\Send Report.Properties[ToLine]`, value: "x@example.com", check: taskAttr("To", "x@example.com", sendReport...)},
		{path: `\Package\Load.Stage\Send Report.Properties[FromLine]`, value: "f@example.com", check: taskAttr("From", "f@example.com", sendReport...)},
		{path: `\Package\Load.Stage\Send Report.Properties[CCLine]`, value: "c@example.com", check: taskAttr("CC", "c@example.com", sendReport...)},
		{path: `\Package\Load.Stage\Send Report.Properties[Priority]`, value: "High", check: taskAttr("Priority", "High", sendReport...)},
		{path: `\Package\Load.Stage\Send Report.Properties[Priority]`, value: "Urgent", err: override.ErrBadValue, msg: []string{"High, Normal or Low"}},
		{path: `\Package\Load.Stage\Send Report.Properties[MessageSourceType]`, value: "Variable", check: taskAttr("MessageSourceType", "Variable", sendReport...)},
		{path: `\Package\Load.Stage\Send Report.Properties[SmtpConnection]`, value: "Mail Server", check: taskAttr("SMTPServer", "Mail Server", sendReport...)},
		{path: `\Package\Load.Stage\Send Report.Properties[FileAttachments]`, value: "a.csv|b.csv", check: taskAttr("FileAttachments", "a.csv|b.csv", sendReport...)},
		{path: `\Package\Load.Stage\Send Report.Description`, value: "mails the report",
			check: func(p *dtsx.Package) string {
				return want("Description", exe(p, sendReport...).Description, "mails the report")
			}},
		{path: `\Package.EventHandlers[OnError]\Alert.Properties[Subject]`, value: "Failed!", check: taskAttr("Subject", "Failed!", "OnError", "Alert")},
		{path: `\Package.EventHandlers[onerror]\Alert.Properties[ToLine]`, value: "x@example.com", check: taskAttr("To", "x@example.com", "OnError", "Alert")},
		{path: `\Package.EventHandlers[OnPostExecute]\Alert.Properties[Subject]`, value: "x", err: override.ErrNotFound,
			msg: []string{`no event handler OnPostExecute in \Package; \Package has OnError`}},
		{path: `\Package\Nope.Properties[Description]`, value: "x", err: override.ErrNotFound,
			msg: []string{`no executable "Nope" in \Package; \Package has Load.Stage, Run SQL`}},
		{path: `\Package\Load.Stage\Nope.Properties[Description]`, value: "x", err: override.ErrNotFound,
			msg: []string{`\Package\Load.Stage has Send Report`}},
		{path: `\Package\Run SQL.Properties[SqlStatementSource]`, value: "SELECT 2", check: taskAttr("SqlStatementSource", "SELECT 2", "Run SQL")},
		{path: `\Package\Run SQL.Properties[Colour]`, value: "x", err: override.ErrNotFound, msg: []string{"SqlStatementSource", "Disable"}},
		{path: `\Package\Load.Stage.Properties[Disable]`, value: "True",
			check: func(p *dtsx.Package) string {
				x := exe(p, "Load.Stage")
				if !x.Disabled {
					return "not Disabled"
				}
				return want("Disabled", prop(x.Object, "Disabled"), "True")
			}},
		{path: `\Package\Run SQL.Properties[FailPackageOnFailure]`, value: "-1",
			check: func(p *dtsx.Package) string {
				return want("FailPackageOnFailure", prop(exe(p, "Run SQL").Object, "FailPackageOnFailure"), "True")
			}},
		{path: `\Package\Run SQL.Properties[MaxErrorCount]`, value: "x", err: override.ErrBadValue},
		{path: `\Package.Properties[MaxConcurrentExecutables]`, value: "4",
			check: func(p *dtsx.Package) string {
				return want("MaxConcurrentExecutables", fmt.Sprint(p.MaxConcurrentExecutables), "4")
			}},
		{path: `\Package.Properties[MaxConcurrentExecutables]`, value: "-1",
			check: func(p *dtsx.Package) string {
				return want("MaxConcurrentExecutables", fmt.Sprint(p.MaxConcurrentExecutables), "-1")
			}},
		{path: `\Package.Properties[MaxConcurrentExecutables]`, value: "0", err: override.ErrBadValue, msg: []string{"-1 (processors + 2) or a positive number"}},
		{path: `\Package\Run SQL.Properties[MaxConcurrentExecutables]`, value: "2", err: override.ErrNotFound},
		{path: `\Package.Properties[Description]`, value: "nightly",
			check: func(p *dtsx.Package) string { return want("Description", p.Description, "nightly") }},
		{path: `\Package.LogProviders[Text].Properties[ConfigString]`, value: "x", err: override.ErrUnsupported},
		{path: `\Package\Loop.ForEachEnumerator.Properties[Directory]`, value: "x", err: override.ErrNotFound},
		{path: `\Package\Run SQL.ForEachEnumerator.Properties[Directory]`, value: "x", err: override.ErrUnsupported},
		{path: `\Project.Properties[ProtectionLevel]`, value: "0", err: override.ErrUnsupported, msg: []string{"ssisUnit"}},
	})
}

// TestSetFormat3 sets the same kinds of properties in a format-3 package,
// where properties are <DTS:Property DTS:Name="X"> elements and booleans
// are -1 and 0.
func TestSetFormat3(t *testing.T) {
	runSetCases(t, "testdata/format3.dtsx", []setCase{
		{path: `\Package.Connections[SMTP Connection Manager].Properties[SmtpServer]`, value: "mail.example.com",
			check: connString("SMTP Connection Manager", "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;")},
		{path: `\Package\Notify.Properties[Subject]`, value: "New subject", check: taskAttr("Subject", "New subject", "Notify")},
		{path: `\Package.Variables[User::Rows].Value`, value: "9", check: varValue("User::Rows", "9")},
		{path: `\Package.Variables[User::Rows].Value`, value: "nine", err: override.ErrBadValue},
		{path: `\Package.Properties[MaxConcurrentExecutables]`, value: "3",
			check: func(p *dtsx.Package) string {
				return want("MaxConcurrentExecutables", prop(p.Object, "MaxConcurrentExecutables"), "3")
			}},
		{path: `\Package\Notify.Properties[Disable]`, value: "True",
			check: func(p *dtsx.Package) string { return want("Disabled", prop(exe(p, "Notify").Object, "Disabled"), "-1") }},
		{path: `\Package\Notify.Properties[IsolationLevel]`, value: "4096",
			check: func(p *dtsx.Package) string {
				return want("ISOLevel", prop(exe(p, "Notify").Object, "ISOLevel"), "4096")
			}},
		{path: `\Package\Notify.Properties[FailPackageOnFailure]`, value: "True",
			check: func(p *dtsx.Package) string {
				x := exe(p, "Notify")
				if x.Element.SelectAttr("DTS:FailPackageOnFailure") != nil {
					return "written as an attribute in format 3"
				}
				return want("FailPackageOnFailure", prop(x.Object, "FailPackageOnFailure"), "-1")
			}},
		{path: `\Package.Variables[User::Rows].Properties[ReadOnly]`, value: "True",
			check: func(p *dtsx.Package) string {
				return want("ReadOnly", prop(variable(p, nil, "User::Rows").Object, "ReadOnly"), "-1")
			}},
		{path: `\Package.Connections[Log File].Properties[FileUsageType]`, value: "2",
			check: func(p *dtsx.Package) string {
				o := dtsx.Object{Element: conn(p, "Log File").ObjectData}
				return want("FileUsageType", prop(o, "FileUsageType"), "2")
			}},
		{path: `\Package.Connections[Log File].Properties[ConnectionString]`, value: `d:\logs\new.log`, check: connString("Log File", `d:\logs\new.log`)},
	})
}

// TestSetInProject sets a project connection manager and a project
// parameter through a package's paths.
func TestSetInProject(t *testing.T) {
	p := load(t, helloMail)
	cm, diags, err := dtsx.LoadConnectionManager("Warehouse.conmgr", []byte(`<?xml version="1.0"?>
<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:ObjectName="Warehouse"
  DTS:DTSID="{EDAB9F40-E2C8-49D0-ACCC-2E2D942F9F4C}" DTS:CreationName="OLEDB">
  <DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Data Source=.;Initial Catalog=dw;Provider=SQLNCLI11.1;" /></DTS:ObjectData>
</DTS:ConnectionManager>`))
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	params, diags, err := dtsx.LoadParameters("Project.params", []byte(`<?xml version="1.0"?>
<SSIS:Parameters xmlns:SSIS="www.microsoft.com/SqlServer/SSIS">
  <SSIS:Parameter SSIS:Name="Env"><SSIS:Properties>
    <SSIS:Property SSIS:Name="Value">dev</SSIS:Property><SSIS:Property SSIS:Name="DataType">18</SSIS:Property>
  </SSIS:Properties></SSIS:Parameter>
  <SSIS:Parameter SSIS:Name="Retries"><SSIS:Properties>
    <SSIS:Property SSIS:Name="Value">1</SSIS:Property><SSIS:Property SSIS:Name="DataType">9</SSIS:Property>
  </SSIS:Properties></SSIS:Parameter>
</SSIS:Parameters>`))
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	pr := &dtsx.Project{Connections: []*dtsx.ConnectionManager{cm}, Parameters: params}
	do := func(path, value string) error {
		pp, err := override.ParsePath(path)
		if err != nil {
			t.Fatal(err)
		}
		return override.SetInProject(p, pr, builtinTypes, pp, value)
	}
	if err := do(`\Package.Connections[Warehouse].Properties[ServerName]`, "dw01"); err != nil {
		t.Fatal(err)
	}
	if cm.ConnectionString != "Data Source=dw01;Initial Catalog=dw;Provider=SQLNCLI11.1;" {
		t.Errorf("project ConnectionString = %q", cm.ConnectionString)
	}
	if err := do(`\Package.Variables[$Project::Env]`, "prod"); err != nil {
		t.Fatal(err)
	}
	if params[0].Value != "prod" || (&dtsx.Object{Element: params[0].Element}).Element.FindElement("./Property[@Name='Value']").Text() != "prod" {
		t.Errorf("$Project::Env = %q", params[0].Value)
	}
	err = do(`\Package.Variables[$Project::Retries]`, "many")
	if !errors.Is(err, override.ErrBadValue) || !strings.Contains(err.Error(), "Int32") {
		t.Errorf("bad Int32 project parameter: %v", err)
	}
	err = do(`\Package.Variables[$Project::Nope]`, "x")
	if !errors.Is(err, override.ErrNotFound) || !strings.Contains(err.Error(), "the project has $Project::Env, $Project::Retries") {
		t.Errorf("unknown project parameter: %v", err)
	}
	err = do(`\Package.Connections[Nope].Properties[ServerName]`, "x")
	if !errors.Is(err, override.ErrNotFound) || !strings.Contains(err.Error(), "SMTP Connection Manager, Warehouse") {
		t.Errorf("unknown connection: %v", err)
	}
	// Set alone does not see the project.
	pp, _ := override.ParsePath(`\Package.Connections[Warehouse].Properties[ServerName]`)
	if err := override.Set(p, builtinTypes, pp, "x"); !errors.Is(err, override.ErrNotFound) {
		t.Errorf("Set without the project: %v", err)
	}
}
