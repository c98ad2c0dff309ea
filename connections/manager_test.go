package connections_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
)

func cm(name, id, creation, connStr string, project bool) *dtsx.ConnectionManager {
	return &dtsx.ConnectionManager{Object: dtsx.Object{Name: name, DTSID: id, CreationName: creation,
		RefID: "Package.ConnectionManagers[" + name + "]", Element: etree.NewElement("ConnectionManager")},
		ConnectionString: connStr, Project: project}
}

// testRegistry knows SMTP and FILE as Generic managers, enough for the
// collection's tests: which type a manager gets is builtin's business.
func testRegistry() *connections.Registry {
	r := connections.NewRegistry()
	r.Register("SMTP", connections.NewGeneric)
	r.Register("FILE", connections.NewGeneric)
	return r
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
	c, diags := connections.NewCollection(testRegistry(), pkg, project)
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
