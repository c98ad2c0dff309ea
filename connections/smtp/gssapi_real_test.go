package smtp_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/internal/krbtest"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
)

// realKerberos is the Kerberos side of the real servers: the realm, the
// service principal of Postfix and a directory for keytabs and caches.
type realKerberos struct {
	realm, spn, dir string
}

// useRealKerberos points this test at the servers' KDC (their krb5.conf,
// no keytab, no ticket cache) and fails when they run without Kerberos.
func useRealKerberos(t *testing.T, env map[string]string) realKerberos {
	t.Helper()
	kdc := krbtest.Real(t, env)
	dir := t.TempDir()
	t.Setenv(smtp.EnvKrb5Config, env["SMTP_INFRA_KRB5_CONFIG"])
	t.Setenv(smtp.EnvKrb5Keytab, "")
	t.Setenv(smtp.EnvKrb5ClientKeytab, "")
	t.Setenv(smtp.EnvKrb5CCache, "FILE:"+filepath.Join(dir, "no-cache"))
	return realKerberos{realm: kdc.Realm, spn: kdc.SPN, dir: dir}
}

// keytab writes a keytab for user@realm from password (ktutil's addent
// -password does the same) and returns its path.
func (k realKerberos) keytab(t *testing.T, user, password string) string {
	t.Helper()
	path := filepath.Join(k.dir, user+"-"+fmt.Sprint(time.Now().UnixNano())+".keytab")
	writeKeytab(t, path, map[string]string{user + "@" + k.realm: password})
	return path
}

// saslLogged waits for Postfix to log the SASL login of the message queued
// as in reply ("2.0.0 Ok: queued as 4F3C…") and returns the log line.
func saslLogged(t *testing.T, env map[string]string, reply string) string {
	t.Helper()
	m := regexp.MustCompile(`queued as ([0-9A-Za-z]+)`).FindStringSubmatch(reply)
	if m == nil {
		t.Fatalf("reply %q has no queue id", reply)
	}
	for try := 0; try < 50; try++ {
		data, _ := os.ReadFile(env["SMTP_INFRA_MAILLOG"])
		for _, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, m[1]+": client=") {
				return line
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no log line of %s in %s", m[1], env["SMTP_INFRA_MAILLOG"])
	return ""
}

// TestRealGSSAPI: UseWindowsAuthentication=True logs in to the real Postfix
// (STARTTLS required, then AUTH, on SMTP_INFRA_SUBMISSION_TLS) with Kerberos
// from the real KDC: with alice's keytab (Keytab= or KRB5_KTNAME), and with
// a ticket cache that kinit made from it. Each message is read back from the
// Maildir, and Postfix's log shows the GSSAPI login.
func TestRealGSSAPI(t *testing.T) {
	env := realsmtp.Env(t)
	k := useRealKerberos(t, env)
	user, pass := env["SMTP_INFRA_USER"], env["SMTP_INFRA_PASS"]
	principal := user + "@" + k.realm
	kt := k.keytab(t, user, pass)
	base := "SmtpServer=" + env["SMTP_INFRA_SUBMISSION_TLS"] + ";UseWindowsAuthentication=True;EnableSsl=True;ServicePrincipalName=" + k.spn + ";"
	ntlm := smtp.StaticCredentials{"": {UserName: `TEST\` + user, Password: pass}}

	tests := []struct {
		name   string
		conn   string
		setup  func(t *testing.T)
		creds  smtp.CredentialSource
		source string
	}{
		{"keytab from Keytab=, user from a credential source", base + "Keytab=" + kt + ";", nil,
			smtp.StaticCredentials{"": {UserName: principal}}, "keytab " + kt + " (Keytab=)"},
		// An NTLM credential is there too: Kerberos is preferred, as on Windows.
		{"keytab from KRB5_KTNAME, preferred to NTLM", base, func(t *testing.T) { t.Setenv(smtp.EnvKrb5Keytab, "FILE:"+kt) },
			ntlm, "keytab " + kt + " (KRB5_KTNAME)"},
		{"ticket cache made by kinit", base, func(t *testing.T) {
			cc := filepath.Join(k.dir, "cc-kinit")
			kinit := exec.Command("kinit", "-k", "-t", kt, principal)
			kinit.Env = append(os.Environ(), smtp.EnvKrb5Config+"="+env["SMTP_INFRA_KRB5_CONFIG"], smtp.EnvKrb5CCache+"=FILE:"+cc)
			if out, err := kinit.CombinedOutput(); err != nil {
				t.Fatalf("kinit -k -t (krb5-user, installed by start.sh with SMTP_INFRA_KERBEROS=1): %v\n%s", err, out)
			}
			t.Setenv(smtp.EnvKrb5CCache, "FILE:"+cc)
		}, nil, "ticket cache " + filepath.Join(k.dir, "cc-kinit") + " (KRB5CCNAME)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup(t)
			}
			cfg, err := smtp.ParseConfig(tt.conn)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, err := smtp.Dial(ctx, "REAL", cfg, smtp.Options{Credentials: tt.creds, RootCAs: realPool(t, env), LocalName: "client.test.local"})
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			defer s.Close()
			in := s.Info
			if in.Mechanism != "GSSAPI" || in.User != principal || in.ServicePrincipal != k.spn || in.CredentialSource != tt.source || in.TLS == nil {
				t.Errorf("Info: mechanism %q user %q spn %q source %q TLS %v", in.Mechanism, in.User, in.ServicePrincipal, in.CredentialSource, in.TLS != nil)
			}
			id := fmt.Sprintf("%d.gssapi@dtsx.test", time.Now().UnixNano())
			reply, err := s.Send(ctx, "dtsx@test.local", []string{"rcpt@test.local"}, strings.NewReader(testMessage(id, "GSSAPI "+tt.name)))
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if m := readBack(t, env, id); m.Header.Get("Subject") != "GSSAPI "+tt.name {
				t.Errorf("delivered Subject %q", m.Header.Get("Subject"))
			}
			// Postfix logs the name lower-cased.
			if line := saslLogged(t, env, reply); !strings.Contains(strings.ToLower(line), strings.ToLower("sasl_method=GSSAPI, sasl_username="+principal)) {
				t.Errorf("Postfix logged %q, want a GSSAPI login of %s", line, principal)
			}
		})
	}
}

// TestRealGSSAPIFailures: what the real KDC and Postfix refuse gives typed
// errors that name the manager, the server, the principal and the fix.
func TestRealGSSAPIFailures(t *testing.T) {
	env := realsmtp.Env(t)
	k := useRealKerberos(t, env)
	user, pass := env["SMTP_INFRA_USER"], env["SMTP_INFRA_PASS"]
	server := env["SMTP_INFRA_SUBMISSION_TLS"]
	base := "SmtpServer=" + server + ";UseWindowsAuthentication=True;EnableSsl=True;"
	tests := []struct {
		name string
		conn string
		kind error
		code int
		want []string
	}{
		{"wrong keytab", base + "ServicePrincipalName=" + k.spn + ";Keytab=" + k.keytab(t, user, "Not-"+pass) + ";",
			smtp.ErrAuth, 0, []string{"refused the key of " + user + "@" + k.realm, "keytab", "klist -k"}},
		{"unknown principal", base + "ServicePrincipalName=" + k.spn + ";Keytab=" + k.keytab(t, "nobody", "whatever-1") + ";",
			smtp.ErrKerberos, 0, []string{"does not know the principal nobody@" + k.realm}},
		{"unknown service principal", base + "ServicePrincipalName=smtp/nowhere.test.local;Keytab=" + k.keytab(t, user, pass) + ";",
			smtp.ErrKerberos, 0, []string{"does not know the service principal smtp/nowhere.test.local", "ServicePrincipalName="}},
		// bob's key is not in Postfix's keytab: the server cannot read the ticket.
		{"server refuses the ticket", base + "ServicePrincipalName=" + env["SMTP_INFRA_USER2"] + ";Keytab=" + k.keytab(t, user, pass) + ";",
			smtp.ErrAuth, 535, []string{"did not accept the Kerberos ticket of " + user + "@" + k.realm}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := smtp.ParseConfig(tt.conn)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err = smtp.Dial(ctx, "REAL", cfg, smtp.Options{RootCAs: realPool(t, env)})
			t.Log(err)
			var se *smtp.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &se) || se.Code != tt.code {
				t.Fatalf("err = %v, want %v (code %d)", err, tt.kind, tt.code)
			}
			if tt.code == 0 && !errors.Is(err, smtp.ErrKerberos) {
				t.Errorf("%v: not ErrKerberos", err)
			}
			for _, w := range append(tt.want, `"REAL"`, server) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v\nlacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), pass) {
				t.Error("the error shows the password")
			}
		})
	}
}
