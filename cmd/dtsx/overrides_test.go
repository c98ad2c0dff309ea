package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/dtsx-run/dtsx/internal/runner"
)

// TestOverrideFlagsKeepOrder: --set, --conn and --param, mixed and after
// the file name, are kept in command-line order (the order they apply
// in), and a malformed one is kept aside with its secret masked, never
// quoted by the flag parser.
func TestOverrideFlagsKeepOrder(t *testing.T) {
	var list []runner.Override
	var errs []error
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	for _, k := range []string{"set", "conn", "param"} {
		fs.Var(overrideFlag{&list, &errs, k}, k, "")
	}
	err := fs.Parse([]string{"--param", "A=1", "p.dtsx", "--set", `\Package.Variables[User::X].Properties[Value];2`,
		"--conn", "Mail;SmtpServer=127.0.0.1;", "--param=B=3", "--conn", "Password=Hunter2-secret"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range list {
		switch {
		case o.Param != nil:
			got = append(got, "param "+o.Param.Name+"="+o.Param.Value)
		case o.Set != nil:
			got = append(got, "set "+o.Set.Value)
		case o.Conn != nil:
			got = append(got, "conn "+o.Conn.Name)
		}
	}
	if want := []string{"param A=1", "set 2", "conn Mail", "param B=3"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if fs.Arg(0) != "p.dtsx" || len(errs) != 1 {
		t.Fatalf("args %v, errors %v", fs.Args(), errs)
	}
	if msg := errs[0].Error(); strings.Contains(msg, "Hunter2") || !strings.HasPrefix(msg, "--conn: want 'NAME;connection string'") {
		t.Errorf("error %q", msg)
	}
}
