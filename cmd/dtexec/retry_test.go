package main

import (
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestDeliveryUnknownNotRetried: a connection lost after the final dot,
// with Retry=3, fails the run once (the server may have the message,
// RFC 1047) and says the delivery is unknown, not refused.
func TestDeliveryUnknownNotRetried(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{Faults: []smtptest.Fault{{Stage: smtptest.DataEnd, Drop: true}}})
	code, out := dtexec(t, "/F", helloMail, "/Conn", "SMTP Connection Manager;SmtpServer="+srv.Addr()+";Retry=3;RetryDelay=3600;")
	if code == 0 {
		t.Fatalf("exit 0\n%s", out)
	}
	if !strings.Contains(out, "delivery unknown") || strings.Contains(out, "refused") {
		t.Errorf("the console does not say delivery unknown only:\n%s", out)
	}
	if n := strings.Count(strings.Join(srv.Transcript(), "\n"), "MAIL FROM"); n != 1 {
		t.Errorf("%d MAIL FROM commands, want 1 (no retry)", n)
	}
}
