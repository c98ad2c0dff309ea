package sendmail_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/builtin"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

// conns are the connection managers of the test package: an SMTP manager
// Mail and a FILE manager Body.
var conns = tasktest.Connection("Mail", "SMTP", "{ab54027c-8c22-4444-9d2c-a40a3de8f7e9}",
	`<SmtpConnectionManager ConnectionString="SmtpServer=127.0.0.1;UseWindowsAuthentication=False;EnableSsl=False;" />`) +
	tasktest.Connection("Body", "FILE", "{20000000-0000-0000-0000-000000000000}",
		`<DTS:ConnectionManager DTS:ConnectionString="C:\body.txt" />`)

// pkg returns a format-8 package with the connection managers conns and
// one Send Mail task with the given SendMailTaskData attributes, children
// and task-level XML (property expressions).
func pkg(t *testing.T, attrs, children, extra string) (*dtsx.Package, *dtsx.Executable) {
	t.Helper()
	return tasktest.Package(t, conns, tasktest.Task{Name: "Mail it", Type: "Microsoft.SendMailTask", Extra: extra,
		Data: `<SendMailTask:SendMailTaskData ` + attrs + ` xmlns:SendMailTask="www.microsoft.com/sqlserver/dts/tasks/sendmailtask">` +
			children + `</SendMailTask:SendMailTaskData>`})
}

func TestReadProperties(t *testing.T) {
	_, x := pkg(t, `SendMailTask:SMTPServer="{AB54027C-8C22-4444-9D2C-A40A3DE8F7E9}" SendMailTask:From="a@x" SendMailTask:To="b@x;c@x"
		SendMailTask:CC="d@x" SendMailTask:BCC="e@x" SendMailTask:Subject="S" SendMailTask:Priority="High"
		SendMailTask:MessageSourceType="Variable" SendMailTask:MessageSource="User::Body" SendMailTask:FileAttachments="C:\a.txt|C:\b.txt"`,
		`<SendMailTask:Attachments SendMailTask:FileName="E:\c.txt"/>`, "")
	p, probs := sendmail.ReadProperties(x)
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	want := sendmail.Properties{SmtpConnection: "{AB54027C-8C22-4444-9D2C-A40A3DE8F7E9}", FromLine: "a@x", ToLine: "b@x;c@x",
		CCLine: "d@x", BCCLine: "e@x", Subject: "S", Priority: sendmail.High, MessageSourceType: sendmail.Variable,
		MessageSource: "User::Body", FileAttachments: []string{`C:\a.txt`, `C:\b.txt`, `E:\c.txt`}}
	if fmt.Sprint(p) != fmt.Sprint(want) {
		t.Errorf("ReadProperties =\n %+v\nwant\n %+v", p, want)
	}
}

// TestParseEnums: Priority and MessageSourceType take names and the numbers
// of enumerated-constants-in-property-expressions (High=1, Normal=3, Low=5;
// DirectInput=0, FileConnection=1, Variable=2); Priority "0" is seen in real
// packages and read as Normal.
func TestParseEnums(t *testing.T) {
	prio := map[string]sendmail.Priority{"High": sendmail.High, "1": sendmail.High, "normal": sendmail.Normal, "3": sendmail.Normal,
		"0": sendmail.Normal, "": sendmail.Normal, "Low": sendmail.Low, "5": sendmail.Low}
	for s, want := range prio {
		if got, ok := sendmail.ParsePriority(s); !ok || got != want {
			t.Errorf("ParsePriority(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"2", "Urgent", "6"} {
		if _, ok := sendmail.ParsePriority(s); ok {
			t.Errorf("ParsePriority(%q) accepted", s)
		}
	}
	src := map[string]sendmail.MessageSourceType{"DirectInput": sendmail.DirectInput, "": sendmail.DirectInput, "0": sendmail.DirectInput,
		"FileConnection": sendmail.FileConnection, "1": sendmail.FileConnection, "variable": sendmail.Variable, "2": sendmail.Variable}
	for s, want := range src {
		if got, ok := sendmail.ParseMessageSourceType(s); !ok || got != want {
			t.Errorf("ParseMessageSourceType(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	if _, ok := sendmail.ParseMessageSourceType("3"); ok {
		t.Error(`ParseMessageSourceType("3") accepted`)
	}
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("a", 251) + "@x.com" // 257 characters
	tests := []struct {
		name, attrs, extra string
		code               string // "" = valid
	}{
		{"valid, upper-case GUID against lower-case DTSID", `SendMailTask:SMTPServer="{AB54027C-8C22-4444-9D2C-A40A3DE8F7E9}" SendMailTask:To="b@x"`, "", ""},
		{"valid by name", `SendMailTask:SMTPServer="Mail" SendMailTask:To="b@x"`, "", ""},
		{"dangling", `SendMailTask:SMTPServer="{95EA6229-26A4-434F-BF7C-564E4A2D0574}" SendMailTask:To="b@x"`, "", connections.CodeDanglingRef},
		{"empty server", `SendMailTask:SMTPServer="" SendMailTask:To="b@x"`, "", sendmail.CodeNoConnection},
		{"server from an expression", `SendMailTask:SMTPServer="" SendMailTask:To="b@x"`,
			`<DTS:PropertyExpression DTS:Name="SmtpConnection">"Mail"</DTS:PropertyExpression>`, ""},
		{"not SMTP", `SendMailTask:SMTPServer="Body" SendMailTask:To="b@x"`, "", sendmail.CodeWrongConnection},
		{"no recipient", `SendMailTask:SMTPServer="Mail"`, "", sendmail.CodeNoRecipient},
		{"recipient from an expression", `SendMailTask:SMTPServer="Mail"`,
			`<DTS:PropertyExpression DTS:Name="ToLine">@[User::To]</DTS:PropertyExpression>`, ""},
		{"BCC only", `SendMailTask:SMTPServer="Mail" SendMailTask:BCC="b@x"`, "", ""},
		{"To over 256 characters", `SendMailTask:SMTPServer="Mail" SendMailTask:To="` + long + `"`, "", sendmail.CodeAddressTooLong},
		{"bad priority", `SendMailTask:SMTPServer="Mail" SendMailTask:To="b@x" SendMailTask:Priority="Urgent"`, "", sendmail.CodeBadProperty},
		{"bad source type", `SendMailTask:SMTPServer="Mail" SendMailTask:To="b@x" SendMailTask:MessageSourceType="Fax"`, "", sendmail.CodeBadProperty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, x := pkg(t, tt.attrs, "", tt.extra)
			rp := runtime.Build(p, runtime.Options{Connections: connbuiltin.Connections(), Tasks: builtin.Tasks()})
			task, ok := rp.Tasks[x].(*sendmail.Task)
			if !ok {
				t.Fatalf("task built as %T", rp.Tasks[x])
			}
			tasktest.WantDiagnostic(t, task.Validate(context.Background(), rp), x, tt.code, dtsx.SeverityError)
		})
	}
}

// TestSetProperty: property expressions set Send Mail properties by their
// runtime names (enumerations as numbers, per "Enumerated constants in
// property expressions") or by their XML names; unknown names are left to
// the runtime.
func TestSetProperty(t *testing.T) {
	tests := []struct {
		name, value string
		check       func(sendmail.Properties) bool
		wantErr     error
	}{
		{"Subject", "Load finished", func(p sendmail.Properties) bool { return p.Subject == "Load finished" }, nil},
		{"ToLine", "a@example.com;b@example.com", func(p sendmail.Properties) bool { return p.ToLine == "a@example.com;b@example.com" }, nil},
		{"CC", "c@example.com", func(p sendmail.Properties) bool { return p.CCLine == "c@example.com" }, nil},
		{"Priority", "1", func(p sendmail.Properties) bool { return p.Priority == sendmail.High }, nil},
		{"MessageSourceType", "2", func(p sendmail.Properties) bool { return p.MessageSourceType == sendmail.Variable }, nil},
		{"FileAttachments", `C:\a.csv|C:\b.csv`, func(p sendmail.Properties) bool { return len(p.FileAttachments) == 2 }, nil},
		{"SmtpConnection", "Other SMTP", func(p sendmail.Properties) bool { return p.SmtpConnection == "Other SMTP" }, nil},
		{"Priority", "7", nil, nil},
		{"Description", "x", nil, tasks.ErrUnknownProperty},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			var p sendmail.Properties
			err := p.Set(tt.name, tt.value)
			switch {
			case tt.check == nil && err == nil:
				t.Fatal("accepted")
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			case tt.check != nil && (err != nil || !tt.check(p)):
				t.Fatalf("err %v, properties %+v", err, p)
			}
		})
	}
}
