package smtp_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
)

// TestCredentialsFileErrors: a credentials file that does not parse gives
// a *CredentialsFileError naming the file, the line and what is wrong, and
// never quoting the file (it holds passwords).
func TestCredentialsFileErrors(t *testing.T) {
	tests := []struct {
		name, file, text string
		line             int
		says             string
	}{
		{"YAML unclosed list", "c.yaml", "Mail: [unclosed\n  password: leaked-secret", 1, "did not find expected"},
		{"YAML tab", "c.yaml", "Mail:\n\tusername: leaked-secret\n", 2, "cannot start any token"},
		{"YAML credential is a string", "c.yml", "Mail:\n  username: bob\nOther: leaked-secret\n", 3, "a string where a credential (username, domain, password, token) is expected"},
		{"YAML password is a list", "c.yaml", "Mail:\n  username: bob\n  password: [leaked-secret, x]\n", 3, "a list where a string is expected"},
		{"YAML unterminated quote", "c.yaml", "Mail:\n  username: bob\n  password: \"leaked-secret\n", 3, "unexpected end"},
		{"JSON missing comma", "c.json", "{\n \"Mail\": {\n  \"username\": \"bob\",\n  \"password\": \"leaked-secret\"\n  \"token\": \"x\"\n }\n}", 5, "invalid character"},
		{"JSON credential is a string", "c.json", "{\n \"Other\": {},\n \"Mail\": \"leaked-secret\"\n}", 3, "a string where a credential"},
		{"JSON password is a number", "c.json", "{\n \"Mail\": {\n  \"username\": \"bob\",\n  \"password\": 12345678\n }\n}", 4, "password is a number where a string is expected"},
		{"JSON cut short", "c.json", "{\"Mail\": {\"username\": \"leaked-secret\"", 1, "unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := smtp.LoadCredentialsFile(path)
			var fe *smtp.CredentialsFileError
			if !errors.As(err, &fe) || fe.Path != path || fe.Line != tt.line {
				t.Fatalf("err = %#v (%v), want a *CredentialsFileError at line %d", err, err, tt.line)
			}
			msg := err.Error()
			for _, w := range []string{path + ", line ", tt.says, "maps to username"} {
				if !strings.Contains(msg, w) {
					t.Errorf("%s\nlacks %q", msg, w)
				}
			}
			for _, secret := range []string{"leaked", "12345678"} {
				if strings.Contains(msg, secret) {
					t.Errorf("%s\nquotes the file", msg)
				}
			}
		})
	}
}
