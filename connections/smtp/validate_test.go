package smtp

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// Set leaves cross-field checks to Validate, so that expressions can be
// applied one at a time.
func TestSetThenValidate(t *testing.T) {
	c, err := ParseConfig("")
	if !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("ParseConfig(\"\") = %v", err)
	}
	if err := c.Set("EnableSsl", "True"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("TlsMode", "None"); err != nil {
		t.Fatal(err)
	}
	if got := codes(c.Validate()); !slices.Equal(got, []string{CodeEmptyServer, CodeConflict}) {
		t.Errorf("Validate: %q", got)
	}
	if err := c.Set("SmtpServer", "mail:2525"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("TlsMode", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if got := warningCodes(c); !slices.Equal(got, []string{CodePortInServer}) {
		t.Errorf("warnings %q", got)
	}
	// A new server without a port drops the port and its warning.
	if err := c.Set("SmtpServer", "mail"); err != nil {
		t.Fatal(err)
	}
	if c.Port != 0 || c.PortInServer || len(c.Warnings) != 0 {
		t.Errorf("after SmtpServer=mail: %+v", c)
	}
}

func TestValidateConfigLiteral(t *testing.T) {
	tests := []struct {
		name  string
		c     Config
		codes []string
	}{
		{"ok", Config{Server: "x"}, nil},
		{"ok ipv6", Config{Server: "fe80::1%eth0"}, nil},
		{"empty", Config{}, []string{CodeEmptyServer}},
		{"port in Server", Config{Server: "x:25"}, []string{CodeBadValue}},
		{"space in Server", Config{Server: "a b"}, []string{CodeBadValue}},
		{"bad port", Config{Server: "x", Port: 70000}, []string{CodeBadPort}},
		{"negative timeout", Config{Server: "x", Timeout: -time.Second}, []string{CodeBadTimeout}},
		{"lower-case mode", Config{Server: "x", TLSMode: "starttls"}, []string{CodeBadValue}},
		{"lower-case mechanism", Config{Server: "x", AuthMechanism: "plain"}, []string{CodeBadValue}},
		{"retry", Config{Server: "x", Retry: 101}, []string{CodeBadValue}},
		{"retry delay", Config{Server: "x", RetryDelay: -1}, []string{CodeBadValue}},
		{"anonymous with password", Config{Server: "x", AuthMechanism: AuthAnonymous, Password: "p"}, []string{CodeConflict}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := codes(tt.c.Validate()); !slices.Equal(got, tt.codes) {
				t.Errorf("Validate() codes %q, want %q", got, tt.codes)
			}
		})
	}
}
