package smtp_test

import (
	"context"
	"errors"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
)

func TestFence(t *testing.T) {
	f, err := smtp.ParseFence("127.0.0.1, ::1,localhost, 10.1.0.0/16,Mail.Example.com.")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]bool{
		"127.0.0.1": true, "::1": true, "[::1]": true, "localhost": true, "LOCALHOST": true, "10.1.2.3": true,
		"mail.example.com": true, "mail.example.com.": true, "::ffff:127.0.0.1": true,
		"127.0.0.2": false, "10.2.0.1": false, "mail.bellsouth.net": false, "smtp.localhost": false, "": false,
		"10.31.60.164": false, // a private address a corpus package names
	}
	for host, want := range tests {
		if got := f.Allows(host); got != want {
			t.Errorf("Allows(%q) = %v, want %v", host, got, want)
		}
	}
	var none *smtp.Fence
	if !none.Allows("anything") {
		t.Error("a nil fence must allow everything")
	}
	for _, bad := range []string{"", " , ", "mail example", "http://x/"} {
		if _, err := smtp.ParseFence(bad); err == nil {
			t.Errorf("ParseFence(%q) accepted", bad)
		}
	}
}

// TestFenceBeforeAnyLookup: a host outside the fence fails at once with
// ErrNotAllowed, before credentials are looked for and before any DNS
// lookup (the name below does not resolve; a lookup would give another
// error).
func TestFenceBeforeAnyLookup(t *testing.T) {
	t.Setenv(smtp.EnvAllowedHosts, "127.0.0.1,::1,localhost")
	cfg, err := smtp.ParseConfig("SmtpServer=mail.bellsouth.net;UseWindowsAuthentication=True;EnableSsl=False;")
	if err != nil {
		t.Fatal(err)
	}
	_, err = smtp.Dial(context.Background(), "SMTP Connection Manager", cfg, smtp.Options{})
	var se *smtp.Error
	if !errors.Is(err, smtp.ErrNotAllowed) || !errors.As(err, &se) || se.Manager != "SMTP Connection Manager" ||
		se.Server != "mail.bellsouth.net:25" {
		t.Fatalf("err = %v, want ErrNotAllowed naming manager and host", err)
	}
}
