package capture

import (
	"context"
	"net/mail"
	"os"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
)

// TestCaptureThroughTheRealClient: the project's SMTP client reaches the
// capture server with STARTTLS and each mechanism, and every message lands
// as NNNN.eml with its envelope.
func TestCaptureThroughTheRealClient(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/0007.eml", []byte("old"), 0o644)
	s, err := Start(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, conn := range []string{
		"EnableSsl=False;",
		"EnableSsl=True;UseWindowsAuthentication=True;UserName=TEST\\alice;Password=x;",
		"EnableSsl=True;AuthMechanism=Plain;UserName=alice;Password=x;",
		"EnableSsl=True;AuthMechanism=Login;UserName=alice;Password=x;",
	} {
		cfg, err := smtp.ParseConfig("SmtpServer=127.0.0.1;" + conn)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Port = s.Port()
		sess, err := smtp.Dial(context.Background(), "Mail", cfg, smtp.Options{RootCAs: s.CertPool(), Fence: nil})
		if err != nil {
			t.Fatalf("%s: %v", conn, err)
		}
		if _, err := sess.Send(context.Background(), "a@x", []string{"b@x", "c@x"}, strings.NewReader("Subject: s\r\n\r\nbody\r\n")); err != nil {
			t.Fatalf("%s: %v", conn, err)
		}
		sess.Close()
		files := s.Files()
		if len(files) != i+1 || !strings.HasSuffix(files[i], []string{"0008.eml", "0009.eml", "0010.eml", "0011.eml"}[i]) {
			t.Fatalf("files %v", files)
		}
		f, _ := os.Open(files[i])
		m, err := mail.ReadMessage(f)
		f.Close()
		if err != nil || m.Header.Get("Subject") != "s" || m.Header.Get("X-Dtsx-Envelope-From") != "<a@x>" {
			t.Errorf("%s: message %v %v", files[i], m, err)
		}
	}
}
