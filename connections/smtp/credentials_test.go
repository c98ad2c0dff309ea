package smtp_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
)

func TestEnvName(t *testing.T) {
	tests := []struct{ conn, field, want string }{
		{"SMTP Connection Manager", "USERNAME", "DTSX_SMTP_SMTP_CONNECTION_MANAGER_USERNAME"},
		{"Mail-Server.1", "PASSWORD", "DTSX_SMTP_MAIL_SERVER_1_PASSWORD"},
		{"", "DOMAIN", "DTSX_SMTP_DOMAIN"},
	}
	for _, tt := range tests {
		if got := smtp.EnvName(tt.conn, tt.field); got != tt.want {
			t.Errorf("EnvName(%q, %q) = %q, want %q", tt.conn, tt.field, got, tt.want)
		}
	}
}

func TestCredentialSources(t *testing.T) {
	env := map[string]string{
		"DTSX_SMTP_MAIL_USERNAME": `TEST\alice`, "DTSX_SMTP_MAIL_PASSWORD": "env-pass",
		"DTSX_SMTP_USERNAME": "default-user", "DTSX_SMTP_PASSWORD": "default-pass",
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	dir := t.TempDir()
	yamlPath := filepath.Join(dir, "creds.yaml")
	os.WriteFile(yamlPath, []byte("Other:\n  username: bob@test.local\n  password: file-pass\ndefault:\n  username: carol\n  password: file-default\n"), 0o600)
	jsonPath := filepath.Join(dir, "creds.json")
	os.WriteFile(jsonPath, []byte(`{"Other": {"username": "bob", "domain": "TEST", "password": "json-pass", "token": "tok"}}`), 0o600)
	yf, err := smtp.LoadCredentialsFile(yamlPath)
	if err != nil {
		t.Fatal(err)
	}
	jf, err := smtp.LoadCredentialsFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		chain  smtp.Credentials
		conn   string
		user   string
		pass   string
		source string
	}{
		{"override wins", smtp.Credentials{smtp.StaticCredentials{"mail": {UserName: "o", Password: "op"}}, smtp.EnvCredentials{Lookup: lookup}}, "Mail", "o", "op", "override"},
		{"env by name", smtp.Credentials{smtp.EnvCredentials{Lookup: lookup}, yf}, "Mail", `TEST\alice`, "env-pass", "DTSX_SMTP_MAIL_*"},
		{"env default", smtp.Credentials{smtp.EnvCredentials{Lookup: lookup}, yf}, "Other", "default-user", "default-pass", "DTSX_SMTP_*"},
		{"yaml by name", smtp.Credentials{smtp.EnvCredentials{Lookup: func(string) (string, bool) { return "", false }}, yf}, "other", "bob@test.local", "file-pass", "creds.yaml"},
		{"yaml default", smtp.Credentials{yf}, "Third", "carol", "file-default", "creds.yaml"},
		{"json", smtp.Credentials{jf}, "Other", "bob", "json-pass", "creds.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok, err := tt.chain.Credential(tt.conn)
			if err != nil || !ok || c.UserName != tt.user || c.Password != tt.pass || !strings.Contains(c.Source, tt.source) {
				t.Fatalf("got %v, %v, %v (pass %q); want %s/%s from %s", c, ok, err, c.Password, tt.user, tt.pass, tt.source)
			}
			for _, s := range []string{c.String(), fmt.Sprintf("%v %+v %#v", c, c, c)} {
				if strings.Contains(s, tt.pass) {
					t.Errorf("formatting a credential shows the password: %s", s)
				}
			}
		})
	}
	if _, ok, _ := (smtp.Credentials{jf}).Credential("Nobody"); ok {
		t.Error("a file without the connection or a default gave a credential")
	}
	os.WriteFile(yamlPath, []byte("Mail: [unclosed\n  password: leaked-secret"), 0o600)
	if _, err := smtp.LoadCredentialsFile(yamlPath); err == nil || strings.Contains(err.Error(), "leaked-secret") {
		t.Errorf("bad YAML: err = %v (must fail without quoting the file)", err)
	}
}

func TestSplitUser(t *testing.T) {
	tests := []struct{ user, domain, wantUser, wantDomain string }{
		{`TEST\alice`, "", "alice", "TEST"},
		{"alice@test.local", "", "alice@test.local", ""},
		{"alice", "TEST", "alice", "TEST"},
		{`OTHER\alice`, "TEST", "alice", "TEST"},
	}
	for _, tt := range tests {
		u, d := smtp.Credential{UserName: tt.user, Domain: tt.domain}.SplitUser()
		if u != tt.wantUser || d != tt.wantDomain {
			t.Errorf("SplitUser(%q, %q) = %q, %q; want %q, %q", tt.user, tt.domain, u, d, tt.wantUser, tt.wantDomain)
		}
	}
}

// TestNoCredentialBeforeDial: Windows authentication without a credential
// fails before connecting, naming the variables to set.
func TestNoCredentialBeforeDial(t *testing.T) {
	cfg, _ := smtp.ParseConfig("SmtpServer=127.0.0.1:1;UseWindowsAuthentication=True;EnableSsl=True;")
	_, err := smtp.Dial(context.Background(), "Mail Server", cfg, smtp.Options{Credentials: smtp.EnvCredentials{Lookup: func(string) (string, bool) { return "", false }}})
	if !errors.Is(err, smtp.ErrNoCredential) {
		t.Fatalf("err = %v, want ErrNoCredential (and no connection attempt to port 1)", err)
	}
	for _, want := range []string{"DTSX_SMTP_MAIL_SERVER_USERNAME", "DTSX_SMTP_MAIL_SERVER_PASSWORD", "DTSX_SMTP_USERNAME", "--credentials"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	// GSSAPI with neither keytab nor ticket cache (gssapi_test.go has the rest).
	krb5Env(t, "")
	cfg, _ = smtp.ParseConfig("SmtpServer=127.0.0.1:1;AuthMechanism=GSSAPI;ServicePrincipalName=smtp/mail.test.local;")
	if _, err := smtp.Dial(context.Background(), "K", cfg, smtp.Options{}); !errors.Is(err, smtp.ErrNoCredential) || !errors.Is(err, smtp.ErrKerberos) ||
		!strings.Contains(err.Error(), "kinit") || !strings.Contains(err.Error(), "Keytab=") {
		t.Errorf("GSSAPI: err = %v, want ErrNoCredential naming Keytab= and kinit", err)
	}
	cfg, _ = smtp.ParseConfig("SmtpServer=127.0.0.1:1;AuthMechanism=Plain;UserName=a;Password=plain-secret;")
	if _, err := smtp.Dial(context.Background(), "P", cfg, smtp.Options{}); !errors.Is(err, smtp.ErrAuth) || strings.Contains(err.Error(), "plain-secret") {
		t.Errorf("PLAIN without TLS: err = %v, want a refusal before connecting, without the password", err)
	}
}
