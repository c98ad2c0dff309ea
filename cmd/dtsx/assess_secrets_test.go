package main

import (
	"strings"
	"testing"
)

// TestAssessNeverPrintsSecrets gives dtsx assess and dtsx validate a
// password in overrides, well-formed and not, and checks that it reaches
// neither the table, the JSON nor the errors.
func TestAssessNeverPrintsSecrets(t *testing.T) {
	const pkg = "testdata/secrets.dtsx"
	s := runSecret
	for _, tt := range []struct {
		name string
		args []string
		code int
	}{
		{"conn with a password", []string{"--conn", "Mail;SmtpServer=mail.example.com;UserName=bob;Password=" + s + ";"}, 0},
		{"conn unterminated quote", []string{"--conn", `Mail;SmtpServer=127.0.0.1;Password="` + s}, 1},
		{"conn bad value after", []string{"--conn", "Mail;SmtpServer=127.0.0.1;Password=" + s + ";EnableSsl=maybe"}, 1},
		// An override a package refuses makes that package one that cannot
		// be prepared (not loaded); another package of the folder may take it.
		{"conn without NAME;", []string{"--conn", "Password=" + s + ";SmtpServer=127.0.0.1"}, 1},
		{"set connection string", []string{"--set", `\Package.Connections[Mail].Properties[ConnectionString];SmtpServer=127.0.0.1;Password=` + s + `;EnableSsl=maybe`}, 1},
		{"param sensitive bad value", []string{"--param", "Pin=" + s}, 1},
		{"password", []string{"--password", s}, 0},
	} {
		for _, cmd := range [][]string{{"assess"}, {"assess", "--json"}, {"validate"}, {"validate", "--json"}} {
			t.Run(tt.name+" "+strings.Join(cmd, " "), func(t *testing.T) {
				args := append(append(append([]string{}, cmd...), tt.args...), pkg)
				code, out, errOut := runCLI(t, args...)
				if cmd[0] == "assess" && code != tt.code {
					t.Errorf("exit %d, want %d:\n%s%s", code, tt.code, out, errOut)
				}
				if strings.Contains(out+errOut, s[:8]) {
					t.Errorf("the secret reached the output:\n%s%s", out, errOut)
				}
			})
		}
	}
}
