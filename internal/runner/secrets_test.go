package runner

import (
	"slices"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime/override"
)

func TestMaskSecrets(t *testing.T) {
	tests := []struct {
		name, msg string
		args      []string
		want      string
	}{
		{"connection string", `no manager "Password=Hunter2;X=1"`, []string{"Password=Hunter2;X=1"}, `no manager "Password=********;X=1"`},
		{"does not parse", `bad "Pwd=Hunter2;Bogus"`, []string{"Pwd=Hunter2;Bogus"}, `bad "Pwd=********;Bogus"`},
		{"unterminated quote", `bad Password="Hunter2`, []string{`Password="Hunter2`}, `bad Password=********`},
		{"alias Pass", `bad "Pass=Hunter2"`, []string{"Pass=Hunter2"}, `bad "Pass=********"`},
		{"as %q quotes it", `bad "Password=Hun\"ter2"`, []string{`Password=Hun"ter2`}, `bad "Password=********"`},
		{"several args, longest first", "Secret=ab and Token=abc", []string{"Secret=ab", "Token=abc"}, "Secret=******** and Token=********"},
		{"cut excerpt ends with the secret's start", `offset 0 (at "Password=Hunter...")`, []string{"Password=Hunter2-long;x"}, `offset 0 (at "********...")`},
		{"cut excerpt begins with the secret's end", `offset 12 (at "nter2-long;x...")`, []string{"Password=Hunter2-long;x"}, `offset 12 (at "********...")`},
		{"unrelated excerpt kept", `offset 0 (at "SmtpServer=mail...")`, []string{"Password=Hunter2"}, `offset 0 (at "SmtpServer=mail...")`},
		{"no sensitive key", `no manager "Mail"`, []string{"Mail;SmtpServer=x"}, `no manager "Mail"`},
		{"empty value", `Password= is empty`, []string{"Password="}, `Password= is empty`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskSecrets(tt.msg, tt.args...); got != tt.want {
				t.Errorf("MaskSecrets(%q, %q) = %q, want %q", tt.msg, tt.args, got, tt.want)
			}
		})
	}
}

// TestJobSecrets: the values the runner hides in its errors, from each kind
// of override, whatever their shape.
func TestJobSecrets(t *testing.T) {
	path := func(s string) override.Path {
		p, err := override.ParsePath(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	pkg := &dtsx.Package{Parameters: []*dtsx.Parameter{
		{Object: dtsx.Object{Name: "Pin"}, Scope: "Package", Sensitive: true},
		{Object: dtsx.Object{Name: "To"}, Scope: "Package"},
	}}
	pr := &dtsx.Project{Parameters: []*dtsx.Parameter{{Object: dtsx.Object{Name: "Key"}, Scope: "Project", Sensitive: true}}}
	job := Job{Password: "pkg-pw", Overrides: []Override{
		{Conn: &Conn{Name: "Password=conn-pw", ConnectionString: "SmtpServer=x"}},
		{Conn: &Conn{Name: "Mail", ConnectionString: `SmtpServer=x;Pwd="quoted-pw`}},
		{Set: &Set{Path: path(`\Package.Connections[Mail].Properties[Password]`), Value: "set-pw"}},
		{Set: &Set{Path: path(`$Sensitive::\Package.Variables[User::V].Properties[Value]`), Value: "sensitive-set"}},
		{Set: &Set{Path: path(`\Package.Variables[$Package::Pin]`), Value: "pin-set"}},
		{Set: &Set{Path: path(`\Package.Variables[User::V].Properties[Value]`), Value: "not-secret"}},
		{Set: &Set{Path: path(`\Package.Connections[Mail].Properties[ConnectionString]`), Value: "SmtpServer=x;Token=cs-token"}},
		{Param: &Param{Name: "$Package::Pin", Value: "pin-param"}},
		{Param: &Param{Name: "Key", Value: "key-param"}},
		{Param: &Param{Name: "To", Value: "ops@example.com"}},
		{Param: &Param{Name: "$Project::Pin", Value: "wrong-scope"}},
	}}
	got := job.secrets(pkg, pr)
	for _, want := range []string{"pkg-pw", "conn-pw", "quoted-pw", "set-pw", "sensitive-set", "pin-set", "cs-token", "pin-param", "key-param"} {
		if !slices.Contains(got, want) {
			t.Errorf("secrets %q lack %q", got, want)
		}
	}
	for _, not := range []string{"not-secret", "ops@example.com", "wrong-scope", "SmtpServer=x"} {
		if slices.Contains(got, not) {
			t.Errorf("secrets %q hold %q", got, not)
		}
	}
	for i := 1; i < len(got); i++ {
		if len(got[i]) > len(got[i-1]) {
			t.Errorf("secrets %q are not longest first", got)
		}
	}
	// Before the package is loaded its parameters are unknown.
	if got := job.secrets(nil, nil); slices.Contains(got, "pin-param") || !slices.Contains(got, "conn-pw") {
		t.Errorf("secrets without a package = %q", got)
	}
}

func TestCheckConnName(t *testing.T) {
	pkg := &dtsx.Package{Connections: []*dtsx.ConnectionManager{{Object: dtsx.Object{Name: "Mail"}}}}
	pr := &dtsx.Project{Connections: []*dtsx.ConnectionManager{{Object: dtsx.Object{Name: "Shared"}}}}
	if err := checkConnName(pkg, pr, Conn{Name: "Mail", ConnectionString: "Password=x"}); err != nil {
		t.Errorf("a name: %v", err)
	}
	err := checkConnName(pkg, pr, Conn{Name: "Password=Hunter2", ConnectionString: "SmtpServer=x"})
	if err == nil {
		t.Fatal("a connection string taken for a name: no error")
	}
	for _, want := range []string{"NAME;connection string", "'Mail;SmtpServer=", "has Mail, Shared"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "Hunter2") {
		t.Errorf("%q shows the password", err)
	}
}
