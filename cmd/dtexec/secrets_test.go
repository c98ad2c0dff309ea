package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// execSecret is the password every case of TestNeverPrintsSecrets gives in
// one shape or another.
const execSecret = "Zq9-Exec-Secret-43"

// TestNeverPrintsSecrets gives dtexec a password in well-formed and
// malformed /Conn, /Set, /Par, /De and command files, and checks that it
// never reaches the console, with every event and log entry shown (/Rep V,
// /ConsoleLog), while the run fails (or succeeds) as it should and says
// why.
func TestNeverPrintsSecrets(t *testing.T) {
	const pkg = "../dtsx/testdata/secrets.dtsx"
	srv := smtptest.NewServer(t, smtptest.Options{Users: map[string]string{"bob": "the-right-one"}})
	dir := t.TempDir()
	cmdFile := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s := execSecret
	validate := func(args ...string) []string { return append([]string{"/F", pkg, "/Va"}, args...) }
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		// /Conn
		{"Conn without name;", validate("/Conn", "Password="+s+";SmtpServer=127.0.0.1"), 6, "not with the name or {GUID} of a connection manager"},
		{"Conn without ;", validate("/Conn", "Password="+s), 6, "no ';' found"},
		{"Conn unknown name", validate("/Conn", "Nope;Password="+s), 6, `no connection manager "Nope"`},
		{"Conn unterminated quote", validate("/Conn", `Mail;"SmtpServer=127.0.0.1;Password=`+s), 6, "never closed"},
		{"Conn quoted name unterminated", validate("/Conn", `"Mail;Password=`+s), 6, "no ';' found"},
		{"Conn bad value after", validate("/Conn", "Mail;SmtpServer=127.0.0.1;Password="+s+";EnableSsl=maybe"), 1, "EnableSsl"},
		{"Conn unknown key after", validate("/Conn", "Mail;SmtpServer=127.0.0.1;Password="+s+";Bogus"), 1, "DTSER_FAILURE"},
		// /Set
		{"Set without ;", validate("/Set", `\Package.Connections[Mail].Properties[Password]`+s), 6, "no ';' found"},
		{"Set unclosed bracket", validate("/Set", `\Package.Connections[Mail.Properties[Password];`+s), 6, "no ';' found"},
		{"Set connection string as path", validate("/Set", "Password="+s+";x"), 6, `starts with \Package`},
		{"Set unknown connection", validate("/Set", `\Package.Connections[Nope].Properties[Password];`+s), 6, `no connection manager "Nope"`},
		{"Set sensitive parameter bad value", validate("/Set", `$Sensitive::\Package.Variables[$Package::Pin].Properties[Value];`+s), 6, "not a valid Int32"},
		{"Set value unterminated quote", validate("/Set", `\Package.Connections[Mail].Properties[Password];"`+s), 6, "never closed"},
		// /Par
		{"Par typed bad value", validate("/Par", "Pin(Int32);"+s), 6, "not a valid Int32"},
		{"Par sensitive bad value", validate("/Par", "$Package::Pin;"+s), 1, "$Package::Pin"},
		{"Par unterminated quote", validate("/Par", `$Package::Pin;"`+s), 6, "never closed"},
		{"Par CM unknown connection", validate("/Par", "CM.Nope.Password;"+s), 6, `no connection manager "Nope"`},
		{"Par CM password", validate("/Par", "CM.Mail.Password;"+s), 0, "DTSER_SUCCESS"},
		// /De and /Password
		{"De for a missing file", []string{"/F", filepath.Join(dir, "missing.dtsx"), "/De", s}, 4, "missing.dtsx"},
		{"De with a space", validate("/De", "Zq9-Exec", "Secret-43"), 6, "may be part of the password"},
		{"De unterminated quote", validate("/De", `"`+s), 6, "unterminated quote"},
		{"Password (SQL Server login)", validate("/Password", s), 6, "/Password"},
		// command files
		{"CommandFile Set", validate("/CommandFile", cmdFile("set.txt", `/Set Password=`+s+`;x`)), 6, `starts with \Package`},
		{"CommandFile Conn", validate("/CommandFile", cmdFile("conn.txt", `/Conn Password=`+s+`;SmtpServer=127.0.0.1`)), 6, "not with the name"},
		{"CommandFile unterminated", validate("/CommandFile", cmdFile("quote.txt", `/Conn "Mail;Password=`+s)), 6, "/CommandFile"},
		// a run whose authentication fails with the wrong password
		{"wrong password on the wire", []string{"/F", helloMail, "/Conn",
			"SMTP Connection Manager;SmtpServer=" + srv.Addr() + ";UserName=bob;Password=" + s + ";AuthMechanism=PLAIN;AllowInsecureAuth=True;"}, 1, "535"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := dtexec(t, append(tt.args, "/Rep", "V", "/ConsoleLog")...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tt.code, tt.want, out)
			}
			if strings.Contains(out, s) || strings.Contains(out, s[:8]) || strings.Contains(out, "Secret-43") {
				t.Errorf("the secret, or part of it, reached the console:\n%s", out)
			}
		})
	}
}
