package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

const serverExpressionPkg = "testdata/server-expression.dtsx"

// TestConnReplacedByExpression: a --conn on a manager whose SmtpServer has
// a property expression is reported when it is applied (the expression
// replaces that part at run time, "Use Property Expressions in Packages"),
// with the expression and what to set instead; and the fence's hint then
// recommends what the expression reads, not --conn.
func TestConnReplacedByExpression(t *testing.T) {
	testfence.SetFor(t)
	code, out, errOut := runCLI(t, "run", "--conn", "Mail;SmtpServer=127.0.0.1;Port=2525;", serverExpressionPkg)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (mail.invalid is outside the fence):\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		`warning[override-expression-wins]: Package.ConnectionManagers[Mail]: --conn "Mail": a property expression of connection manager "Mail" sets SmtpServer at run time (@[User::MailHost])`,
		`--set '\Package.Variables[User::MailHost].Properties[Value];VALUE'`,
		"through what its property expression SmtpServer (@[User::MailHost]) reads (a --conn is replaced by the expression)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "point the connection elsewhere (--conn)") {
		t.Errorf("the hint still recommends --conn:\n%s", out)
	}
}

// TestSetWhatTheExpressionReads: the fix the warning gives works: setting
// the variable the expression reads sends the mail, with no warning.
func TestSetWhatTheExpressionReads(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{})
	code, out, errOut := runCLI(t, "run", "--set", `\Package.Variables[User::MailHost].Properties[Value];127.0.0.1`,
		"--conn", "Mail;SmtpServer=127.0.0.1;Port="+strconv.Itoa(srv.Port())+";", serverExpressionPkg)
	if code != 0 || len(srv.Messages()) != 1 {
		t.Fatalf("exit %d, %d messages:\n%s%s", code, len(srv.Messages()), out, errOut)
	}
	if strings.Count(out, "override-expression-wins") != 1 {
		t.Errorf("want the one warning of --conn, none of --set:\n%s", out)
	}
}
