package override_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// TestApplyReplacements: a value set where a property expression of the
// same object writes at run time is reported with the property, the
// expression and what it reads ("Use Property Expressions in Packages":
// expressions are evaluated when the package runs, after the command line);
// a value no expression touches reports nothing.
func TestApplyReplacements(t *testing.T) {
	tests := []struct {
		name, path, value string
		// want is the one replacement's property, "" for none.
		want, wantExpr string
		part           bool
		reads          []string
	}{
		{name: "whole string over a key's expression", path: `\Package.Connections[Mail].Properties[ConnectionString]`,
			value: "SmtpServer=127.0.0.1;", want: "SmtpServer", wantExpr: "@[User::MailHost]", part: true, reads: []string{"User::MailHost"}},
		{name: "the key itself", path: `\Package.Connections[Mail].Properties[SmtpServer]`, value: "127.0.0.1",
			want: "SmtpServer", wantExpr: "@[User::MailHost]", reads: []string{"User::MailHost"}},
		{name: "a key that no expression sets", path: `\Package.Connections[Mail].Properties[EnableSsl]`, value: "True"},
		{name: "a key under a ConnectionString expression", path: `\Package.Connections[Whole].Properties[SmtpServer]`, value: "127.0.0.1",
			want: "ConnectionString", wantExpr: `"SmtpServer=" + @[$Package::Host] + ";"`, reads: []string{"$Package::Host"}},
		{name: "the description is not in the string", path: `\Package.Connections[Whole].Properties[Description]`, value: "x"},
		{name: "no expression at all", path: `\Package.Connections[Plain].Properties[ConnectionString]`, value: "SmtpServer=127.0.0.1;"},
		{name: "expression variable", path: `\Package.Variables[User::To].Properties[Value]`, value: "me@example.com",
			want: "Value", wantExpr: `"ops@" + @[User::MailHost]`, reads: []string{"User::MailHost"}},
		{name: "plain variable", path: `\Package.Variables[User::MailHost].Properties[Value]`, value: "127.0.0.1"},
		{name: "task property", path: `\Package\Send.Properties[Subject]`, value: "fixed",
			want: "Subject", wantExpr: `"Report " + @[User::MailHost]`, reads: []string{"User::MailHost"}},
		{name: "task property no expression sets", path: `\Package\Send.Properties[ToLine]`, value: "c@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkg := load(t, filepath.Join("testdata", "expressions.dtsx"))
			p, err := override.ParsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := override.Apply(pkg, nil, runtime.OverrideTypes(runtime.Options{}), p, tt.value)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if tt.want == "" {
				if len(got) != 0 {
					t.Fatalf("replacements %+v, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("replacements %+v, want one of %s", got, tt.want)
			}
			r := got[0]
			if r.Property != tt.want || r.Expression != tt.wantExpr || r.Part != tt.part || !slices.Equal(r.Reads, tt.reads) {
				t.Errorf("replacement %+v, want %s = %s (part %v) reading %v", r, tt.want, tt.wantExpr, tt.part, tt.reads)
			}
			if s := r.String(); !strings.Contains(s, tt.want) || !strings.Contains(s, tt.wantExpr) {
				t.Errorf("message %q names neither the property nor the expression", s)
			}
		})
	}
}
