package smtp_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestTestsAreFenced holds the test fence's variable to the fence's own and
// checks that the tests run behind it: loopback in, anything else out.
func TestTestsAreFenced(t *testing.T) {
	if testfence.Env != smtp.EnvAllowedHosts {
		t.Errorf("testfence.Env = %q, EnvAllowedHosts = %q", testfence.Env, smtp.EnvAllowedHosts)
	}
	f, err := smtp.FenceFromEnv()
	if err != nil || f == nil {
		t.Fatalf("the tests run unfenced: %v", err)
	}
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true,
		"10.1.2.3": false, "192.168.0.10": false, "mail.example.com": false, "8.8.8.8": false} {
		if got := f.Allows(host); got != want {
			t.Errorf("the test fence allows %s: %v, want %v", host, got, want)
		}
	}
}
