package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// runSecret is the password every case of TestRunNeverPrintsSecrets gives
// in one shape or another.
const runSecret = "Zq9-Run-Secret-41"

// TestRunNeverPrintsSecrets gives dtsx run a password in well-formed and
// malformed overrides, parameters and credentials files, and checks that it
// reaches neither stdout, stderr, the JSON report nor the log file, while
// the run fails (or succeeds) as it should and says why.
func TestRunNeverPrintsSecrets(t *testing.T) {
	const pkg = "testdata/secrets.dtsx"
	srv := smtptest.NewServer(t, smtptest.Options{Users: map[string]string{"bob": "the-right-one"}})
	dir := t.TempDir()
	creds := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s := runSecret
	validate := func(args ...string) []string { return append([]string{"--validate-only"}, args...) }
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout or stderr
	}{
		// --conn
		{"conn without NAME;", validate("--conn", "Password="+s+";SmtpServer=127.0.0.1", pkg), 6, "not with the name or {GUID} of a connection manager"},
		{"conn Pwd without NAME;", validate("--conn", "Pwd="+s+";SmtpServer=127.0.0.1;", pkg), 6, "has Mail"},
		{"conn Pass without NAME;", validate("--conn", "Pass="+s+";SmtpServer=127.0.0.1;", pkg), 6, "has Mail"},
		{"conn without ;", validate("--conn", "Password="+s, pkg), 6, "want 'NAME;connection string'"},
		{"conn secret only", validate("--conn", s, pkg), 6, "want 'NAME;connection string'"},
		{"conn unknown name", validate("--conn", "Nope;SmtpServer=127.0.0.1;Password="+s+";", pkg), 6, `no connection manager "Nope"`},
		{"conn unterminated quote", validate("--conn", `Mail;SmtpServer=127.0.0.1;Password="`+s, pkg), 1, "unterminated quoted value"},
		{"conn unknown key after", validate("--conn", "Mail;SmtpServer=127.0.0.1;Password="+s+";Bogus=1", pkg), 1, "Bogus"},
		{"conn bad value after", validate("--conn", "Mail;SmtpServer=127.0.0.1;Password="+s+";EnableSsl=maybe", pkg), 1, "EnableSsl"},
		{"conn Passwd alias", validate("--conn", "Mail;SmtpServer=127.0.0.1;UserName=bob;Passwd="+s+";Port=x", pkg), 1, "Port"},
		{"conn no value after key", validate("--conn", "Mail;SmtpServer=127.0.0.1;Password="+s+";Bogus", pkg), 1, "DTSER_FAILURE"},
		// --set
		{"set without ;", validate("--set", `\Package.Connections[Mail].Properties[Password]`+s, pkg), 6, "want 'PATH;VALUE'"},
		{"set unknown connection", validate("--set", `\Package.Connections[Nope].Properties[Password];`+s, pkg), 6, `no connection manager "Nope"`},
		{"set unclosed bracket", validate("--set", `\Package.Connections[Mail.Properties[Password];`+s, pkg), 6, "is never closed"},
		{"set connection string as path", validate("--set", "Password="+s+";x", pkg), 6, `starts with \Package`},
		{"set secret cut in excerpt", validate("--set", `Password=`+s+`xxxxxxxxxxxxxxxxxxxxx;x`, pkg), 6, `starts with \Package`},
		{"set sensitive parameter bad value", validate("--set", `\Package.Variables[$Package::Pin].Properties[Value];`+s, pkg), 6, "not a valid Int32"},
		{"set $Sensitive:: bad property", validate("--set", `$Sensitive::\Package.Connections[Mail].Properties[NoSuch];`+s, pkg), 6, "NoSuch"},
		{"set connection string with password", validate("--set", `\Package.Connections[Mail].Properties[ConnectionString];SmtpServer=127.0.0.1;Password=`+s+`;EnableSsl=maybe`, pkg), 1, "EnableSsl"},
		// --param
		{"param sensitive bad value", validate("--param", "Pin="+s, pkg), 1, "$Package::Pin"},
		{"param scoped sensitive bad value", validate("--param", "$Package::Pin="+s, pkg), 1, "$Package::Pin"},
		{"param without =", validate("--param", "Pin"+s, pkg), 6, "want 'NAME=VALUE'"},
		{"param sensitive string", validate("--param", "ApiKey="+s, pkg), 0, "DTSER_SUCCESS"},
		// --credentials
		{"credentials YAML malformed", validate("--credentials", creds("c1.yaml", "Mail:\n  username: bob\n  password: "+s+"\n bad: [\n"), pkg), 6, "not valid YAML"},
		{"credentials YAML wrong type", validate("--credentials", creds("c2.yaml", "Mail:\n  password: ["+s+"]\n"), pkg), 6, "not valid YAML"},
		{"credentials JSON unquoted", validate("--credentials", creds("c3.json", `{"Mail": {"username": "bob", "password": `+s+`}}`), pkg), 6, "not valid JSON"},
		{"credentials JSON unterminated", validate("--credentials", creds("c4.json", `{"Mail": {"password": "`+s+`"}`), pkg), 6, "not valid JSON"},
		// --password
		{"password for a missing file", validate("--password", s, filepath.Join(dir, "missing.dtsx")), 4, "missing.dtsx"},
		{"password for a package without", validate("--password", s, pkg), 0, "DTSER_SUCCESS"},
		// a run whose authentication fails with the wrong password
		{"wrong password on the wire", []string{"--conn", "SMTP Connection Manager;SmtpServer=" + srv.Addr() + ";UserName=bob;Password=" + s + ";AuthMechanism=PLAIN;AllowInsecureAuth=True;",
			"../../samples/hello-mail.dtsx"}, 1, "535"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := filepath.Join(dir, fmt.Sprintf("report%d.json", i))
			logFile := filepath.Join(dir, fmt.Sprintf("run%d.log", i))
			args := append([]string{"run", "--json", rep, "--log", logFile, "-v"}, tt.args...)
			code, out, errOut := runCLI(t, args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
			report, _ := os.ReadFile(rep)
			logged, _ := os.ReadFile(logFile)
			if code <= 1 && len(report) == 0 {
				t.Errorf("no JSON report written")
			}
			for where, text := range map[string]string{"stdout": out, "stderr": errOut, "the JSON report": string(report), "the log": string(logged)} {
				if strings.Contains(text, s) {
					t.Errorf("the secret reached %s:\n%s", where, text)
				}
				if strings.Contains(text, s[:8]) {
					t.Errorf("part of the secret reached %s:\n%s", where, text)
				}
			}
		})
	}
}
