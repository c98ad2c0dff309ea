package connections_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
)

func cm(name, id, creation, connStr string, project bool) *dtsx.ConnectionManager {
	return &dtsx.ConnectionManager{Object: dtsx.Object{Name: name, DTSID: id, CreationName: creation,
		RefID: "Package.ConnectionManagers[" + name + "]", Element: etree.NewElement("ConnectionManager")},
		ConnectionString: connStr, Project: project}
}

func TestRegistryDispatch(t *testing.T) {
	reg := connections.Builtin()
	tests := []struct {
		creation string
		want     string // Go type of the manager, or "unknown"
	}{
		{"SMTP", "*smtp.Manager"},
		{"smtp", "*smtp.Manager"},
		{"SMTP (KingswaySoft)", "unknown"}, // dispatch on the exact CreationName
		{"FILE", "*file.Manager"},
		{"FLATFILE", "*file.Manager"},
		{"MULTIFLATFILE", "*file.Manager"},
		{"OLEDB", "*connections.Generic"},
		{"ADO.NET:System.Data.SqlClient.SqlConnection, System.Data, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089", "*connections.Generic"},
		{"SPCRED", "unknown"},
		{"", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.creation, func(t *testing.T) {
			m, err := reg.New(cm("x", "{00000000-0000-0000-0000-000000000001}", tt.creation, "SmtpServer=h;", false))
			if tt.want == "unknown" {
				var ute *connections.UnknownTypeError
				if !errors.Is(err, connections.ErrUnknownType) || !errors.As(err, &ute) || ute.Name != tt.creation ||
					!strings.Contains(err.Error(), `"`+tt.creation+`"`) {
					t.Fatalf("New(%q) = %T, %v; want an UnknownTypeError quoting the name", tt.creation, m, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch m.(type) {
			case *smtp.Manager:
				if tt.want != "*smtp.Manager" {
					t.Fatalf("got *smtp.Manager, want %s", tt.want)
				}
			case *file.Manager:
				if tt.want != "*file.Manager" {
					t.Fatalf("got *file.Manager, want %s", tt.want)
				}
			case *connections.Generic:
				if tt.want != "*connections.Generic" {
					t.Fatalf("got *connections.Generic, want %s", tt.want)
				}
			default:
				t.Fatalf("got %T", m)
			}
		})
	}
}

func TestCollectionResolve(t *testing.T) {
	pkg := []*dtsx.ConnectionManager{
		cm("Mail", "{f694df4d-0ff6-42d5-b7fb-168722908e8c}", "SMTP", "SmtpServer=a;", false),
		cm("Files", "{AAAAAAAA-0000-0000-0000-000000000002}", "FILE", `C:\x.txt`, false),
		cm("Odd", "{BBBBBBBB-0000-0000-0000-000000000003}", "SMTP (KingswaySoft)", "", false),
	}
	project := []*dtsx.ConnectionManager{
		cm("SMTP", "{E826453B-5A5C-4217-BE0C-1DF882C1E087}", "SMTP", "SmtpServer=b;", true),
		cm("Mail", "{CCCCCCCC-0000-0000-0000-000000000004}", "SMTP", "SmtpServer=c;", true), // shadowed by name
	}
	c, diags := connections.NewCollection(connections.Builtin(), pkg, project)
	codes := map[string]int{}
	for _, d := range diags {
		codes[d.Code]++
	}
	if codes[connections.CodeUnknownType] != 1 || codes[connections.CodeShadowed] != 1 {
		t.Errorf("diagnostics = %v, want one unknown type and one shadowed", diags)
	}
	tests := []struct {
		ref, want string
	}{
		{"{F694DF4D-0FF6-42D5-B7FB-168722908E8C}", "Mail"}, // case-insensitive GUID
		{"f694df4d-0ff6-42d5-b7fb-168722908e8c", "Mail"},   // braces optional
		{"{e826453b-5a5c-4217-be0c-1df882c1e087}", "SMTP"}, // project manager by DTSID
		{"SMTP", "SMTP"}, // by name
		{"mail", "Mail"}, // names are case-insensitive; the package's wins
		{"Odd", "Odd"},   // unknown type still resolves (to a placeholder)
		{"{CCCCCCCC-0000-0000-0000-000000000004}", "Mail"}, // a shadowed manager keeps its DTSID
	}
	for _, tt := range tests {
		m, err := c.Resolve(tt.ref)
		if err != nil || m.Definition().Name != tt.want {
			t.Errorf("Resolve(%q) = %v, %v; want %q", tt.ref, m, err, tt.want)
		}
	}
	if m, _ := c.Resolve("mail"); m.Definition().Project {
		t.Error(`Resolve("mail") gave the project manager; the package's takes precedence`)
	}
	if g, _ := c.Resolve("Odd"); g.(*connections.Generic).Known() {
		t.Error("placeholder of an unknown type reports Known")
	}
	for _, ref := range []string{"{95EA6229-26A4-434F-BF7C-564E4A2D0574}", "Nothing", ""} {
		_, err := c.Resolve(ref)
		var re *connections.ReferenceError
		if !errors.Is(err, connections.ErrDanglingReference) || !errors.As(err, &re) || !strings.Contains(err.Error(), ref) {
			t.Errorf("Resolve(%q) error = %v, want a ReferenceError quoting it", ref, err)
		}
		if strings.HasPrefix(ref, "{") && !strings.Contains(err.Error(), "by DTSID or by name") {
			t.Errorf("Resolve(%q) error %q does not say it tried DTSID and name", ref, err)
		}
	}
}

func TestSMTPValidate(t *testing.T) {
	tests := []struct {
		connStr string
		exprs   []dtsx.PropertyExpression
		code    string
		sev     dtsx.Severity
	}{
		{"SmtpServer=mail.bellsouth.net;UseWindowsAuthentication=True;EnableSsl=False;", nil, "", 0},
		{"SmtpServer=;UseWindowsAuthentication=False;EnableSsl=False;", nil, smtp.CodeEmptyServer, dtsx.SeverityError},
		{"SmtpServer=;UseWindowsAuthentication=False;EnableSsl=False;", []dtsx.PropertyExpression{{Name: "SmtpServer", Expression: "@[$Project::S]"}},
			smtp.CodeEmptyServer, dtsx.SeverityWarning},
		{"SmtpServer=h;EnableSsl=Maybe;", nil, smtp.CodeBadBoolean, dtsx.SeverityError},
		{"SmtpServer=h;Timeout=soon;", nil, smtp.CodeBadTimeout, dtsx.SeverityError},
		{"SmtpServer=h;EnableSSL=True;Colour=blue;", nil, smtp.CodeUnknownKey, dtsx.SeverityError},
		{"SmtpServer=h:2525;", nil, smtp.CodePortInServer, dtsx.SeverityWarning},
	}
	for _, tt := range tests {
		t.Run(tt.connStr, func(t *testing.T) {
			def := cm("Mail", "{00000000-0000-0000-0000-000000000009}", "SMTP", tt.connStr, false)
			def.Expressions = tt.exprs
			m, err := smtp.New(def)
			if err != nil {
				t.Fatal(err)
			}
			ds := m.Validate()
			if tt.code == "" {
				if len(ds) != 0 {
					t.Fatalf("diagnostics for a valid string: %v", ds)
				}
				return
			}
			for _, d := range ds {
				if d.Code == tt.code && d.Severity == tt.sev && d.Path == def.RefID && strings.Contains(d.Message, `"Mail"`) {
					return
				}
			}
			t.Fatalf("no %s %s diagnostic naming the manager in %v", tt.sev, tt.code, ds)
		})
	}
}
