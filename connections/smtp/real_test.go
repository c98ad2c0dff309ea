package smtp_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
)

func realPool(t *testing.T, env map[string]string) *x509.CertPool {
	pem, err := os.ReadFile(env["SMTP_INFRA_TLS_CERT"])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no certificate in SMTP_INFRA_TLS_CERT")
	}
	return pool
}

// readBack waits for the message with the given Message-ID in the Maildir
// and parses it.
func readBack(t *testing.T, env map[string]string, id string) *mail.Message {
	t.Helper()
	data, err := os.ReadFile(realsmtp.Delivered(t, env, id))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("delivered message does not parse: %v", err)
	}
	return m
}

func testMessage(id, subject string) string {
	return fmt.Sprintf("From: dtsx <dtsx@test.local>\r\nTo: <rcpt@test.local>\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: %s\r\n\r\nbody of %s\r\n",
		subject, id, time.Now().Format(time.RFC1123Z), id)
}

// TestRealPostfix runs each SSIS configuration the issue names against the
// real Postfix: it connects, authenticates, sends one message and reads it
// back from the Maildir.
func TestRealPostfix(t *testing.T) {
	env := realsmtp.Env(t)
	user, pass := env["SMTP_INFRA_USER"], env["SMTP_INFRA_PASS"]
	ntlm := smtp.StaticCredentials{"": {UserName: `TEST\` + user, Password: pass}} // Cyrus wants the domain upper-cased
	creds := smtp.StaticCredentials{"": {UserName: user, Password: pass}}
	tests := []struct {
		name, conn string
		creds      smtp.CredentialSource
		mechanism  string
		tls        bool
	}{
		{"anonymous on 2525", "SmtpServer=" + env["SMTP_INFRA_SMTP"] + ";UseWindowsAuthentication=False;EnableSsl=False;", nil, "", false},
		{"EnableSsl + NTLM on 2588", "SmtpServer=" + env["SMTP_INFRA_SUBMISSION_TLS"] + ";UseWindowsAuthentication=True;EnableSsl=True;",
			smtp.EnvCredentials{Lookup: func(k string) (string, bool) {
				return map[string]string{"DTSX_SMTP_REAL_USERNAME": `TEST\` + user, "DTSX_SMTP_REAL_PASSWORD": pass}[k], strings.HasPrefix(k, "DTSX_SMTP_REAL_")
			}}, "NTLM", true},
		{"implicit TLS on 2465", "SmtpServer=" + env["SMTP_INFRA_SMTPS"] + ";UseWindowsAuthentication=False;EnableSsl=False;TlsMode=Implicit;", nil, "", true},
		{"PLAIN over STARTTLS on 2587", "SmtpServer=" + env["SMTP_INFRA_SUBMISSION"] + ";EnableSsl=True;AuthMechanism=Plain;", creds, "PLAIN", true},
		{"LOGIN over STARTTLS on 2588", "SmtpServer=" + env["SMTP_INFRA_SUBMISSION_TLS"] + ";EnableSsl=True;AuthMechanism=Login;", creds, "LOGIN", true},
		{"NTLM in plain text on 2587", "SmtpServer=" + env["SMTP_INFRA_SUBMISSION"] + ";UseWindowsAuthentication=True;EnableSsl=False;", ntlm, "NTLM", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
			if s.Info.Mechanism != tt.mechanism || (s.Info.TLS != nil) != tt.tls {
				t.Errorf("mechanism %q, TLS %v; want %q, %v", s.Info.Mechanism, s.Info.TLS != nil, tt.mechanism, tt.tls)
			}
			id := fmt.Sprintf("%d.%s@dtsx.test", time.Now().UnixNano(), strings.ReplaceAll(tt.name, " ", "-"))
			reply, err := s.Send(ctx, "dtsx@test.local", []string{"rcpt@test.local"}, strings.NewReader(testMessage(id, tt.name)))
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if !strings.Contains(reply, "queued as") {
				t.Errorf("reply %q lacks Postfix's queue id", reply)
			}
			m := readBack(t, env, id)
			if got := m.Header.Get("Subject"); got != tt.name {
				t.Errorf("delivered Subject %q, want %q", got, tt.name)
			}
		})
	}
}

// TestRealFailures checks the typed errors the real Postfix gives.
func TestRealFailures(t *testing.T) {
	env := realsmtp.Env(t)
	user := env["SMTP_INFRA_USER"]
	ctx := context.Background()
	dial := func(conn string, creds smtp.CredentialSource) (*smtp.Session, error) {
		cfg, err := smtp.ParseConfig(conn)
		if err != nil {
			t.Fatal(err)
		}
		return smtp.Dial(ctx, "REAL", cfg, smtp.Options{Credentials: creds, RootCAs: realPool(t, env)})
	}
	t.Run("wrong NTLM password", func(t *testing.T) {
		_, err := dial("SmtpServer="+env["SMTP_INFRA_SUBMISSION_TLS"]+";UseWindowsAuthentication=True;EnableSsl=True;",
			smtp.StaticCredentials{"": {UserName: `TEST\` + user, Password: "wrong-password-x"}})
		var se *smtp.Error
		if !errors.Is(err, smtp.ErrAuth) || !errors.As(err, &se) || se.Code != 535 {
			t.Fatalf("err = %v, want an ErrAuth with 535", err)
		}
		if strings.Contains(err.Error(), "wrong-password-x") {
			t.Error("the error contains the password")
		}
	})
	t.Run("550 and 451 recipients", func(t *testing.T) {
		s, err := dial("SmtpServer="+env["SMTP_INFRA_SMTP"]+";", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, tc := range []struct {
			rcpt      string
			code      int
			temporary bool
		}{{"reject550@test.local", 550, false}, {"defer451@test.local", 451, true}} {
			_, err := s.Send(ctx, "dtsx@test.local", []string{"ok@test.local", tc.rcpt}, strings.NewReader(testMessage("x@y", "x")))
			var se *smtp.Error
			var re *smtp.RecipientsError
			if !errors.As(err, &se) || !errors.As(err, &re) || se.Code != tc.code || se.Temporary() != tc.temporary ||
				len(re.Rejected) != 1 || re.Rejected[0].Address != tc.rcpt {
				t.Errorf("%s: err = %v, want a %d naming only that recipient", tc.rcpt, err, tc.code)
			}
		}
	})
	t.Run("sink accepts", func(t *testing.T) {
		s, err := dial("SmtpServer="+env["SMTP_INFRA_SINK"]+";", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Send(ctx, "a@test.local", []string{"b@test.local"}, strings.NewReader(testMessage("sink@x", "sink"))); err != nil {
			t.Fatal(err)
		}
	})
}
