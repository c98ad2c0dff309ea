package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMalformedOverridesNeverShowSecrets gives --conn, --set and --param in
// every wrong shape with a password inside and asks that the password is in
// none of stdout, stderr, the JSON report and the log, whatever the exit.
func TestMalformedOverridesNeverShowSecrets(t *testing.T) {
	const secret = "Pw-9f3Kq!secret"
	sample := filepath.Join("..", "..", "samples", "hello-mail.dtsx")
	tests := []struct {
		name string
		args []string
	}{
		{"conn without NAME;", []string{"--conn", "Password=" + secret + ";SmtpServer=127.0.0.1"}},
		{"conn with no ';' at all", []string{"--conn", "Password=" + secret}},
		{"conn to an unknown manager", []string{"--conn", "Nope;SmtpServer=127.0.0.1;Password=" + secret}},
		{"conn with a bad connection string", []string{"--conn", "SMTP Connection Manager;Password=" + secret + ";Smtp Server=\"x"}},
		{"conn with an unknown key", []string{"--conn", "SMTP Connection Manager;SmtpServer=127.0.0.1;Passwrd=" + secret}},
		{"set of a password with a bad path", []string{"--set", `\Package.Connections[SMTP Connection Manager].Properties[Password;` + secret}},
		{"set of a password on an unknown manager", []string{"--set", `\Package.Connections[Nope].Properties[Password];` + secret}},
		{"set without ';'", []string{"--set", `\Package.Connections[SMTP Connection Manager].Properties[Password]=` + secret}},
		{"param without '='", []string{"--param", "Pwd;" + secret}},
		{"param unknown", []string{"--param", "$Package::Nope=" + secret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			report, logFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "run.log")
			args := append([]string{"run", "--capture", filepath.Join(dir, "out"), "--json", report, "--log", logFile, "-v"}, tt.args...)
			code, stdout, stderr := runCLI(t, append(args, sample)...)
			if code == 0 && !strings.HasPrefix(tt.name, "conn with an unknown key") {
				t.Errorf("exit 0 for a malformed override; stderr %q", stderr)
			}
			all := stdout + stderr
			for _, f := range []string{report, logFile} {
				if b, err := os.ReadFile(f); err == nil {
					all += string(b)
				}
			}
			if strings.Contains(all, secret) {
				t.Errorf("the password is shown (exit %d):\n%s", code, all)
			}
		})
	}
}
