package fence_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/fence"
)

func TestAllows(t *testing.T) {
	f, err := fence.Parse("127.0.0.1, ::1,localhost, 10.1.0.0/16,Mail.Example.com.")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]bool{
		"127.0.0.1": true, "::1": true, "[::1]": true, "localhost": true, "LOCALHOST": true, "10.1.2.3": true,
		"mail.example.com": true, "mail.example.com.": true, "::ffff:127.0.0.1": true, "fe80::1%eth0": false,
		"127.0.0.2": false, "10.2.0.1": false, "db.corp.local": false, "smtp.localhost": false, "": false,
		"10.31.60.164": false, // a private address a corpus package names
	}
	for host, want := range tests {
		t.Run(host, func(t *testing.T) {
			if got := f.Allows(host); got != want {
				t.Errorf("Allows(%q) = %v, want %v", host, got, want)
			}
			if err := f.Allow(host); (err == nil) != want || (err != nil && !errors.Is(err, fence.ErrNotAllowed)) {
				t.Errorf("Allow(%q) = %v", host, err)
			}
		})
	}
	var none *fence.Fence
	if !none.Allows("anything") || none.Allow("anything") != nil {
		t.Error("a nil fence must allow everything")
	}
}

func TestParseRejects(t *testing.T) {
	for _, bad := range []string{"", " , ", "mail example", "http://x/"} {
		t.Run(bad, func(t *testing.T) {
			if _, err := fence.Parse(bad); err == nil {
				t.Errorf("Parse(%q) accepted", bad)
			}
		})
	}
}

// TestFromLookup: DTSX_ALLOWED_HOSTS and its alias DTSX_SMTP_ALLOWED_HOSTS
// each fence every connection; with both set a host must pass both.
func TestFromLookup(t *testing.T) {
	tests := []struct {
		name, general, smtp string
		allowed, refused    []string
		refusedBy           string
	}{
		{"neither", "", "", []string{"db.example.com", "10.0.0.1"}, nil, ""},
		{"general", "127.0.0.1,localhost", "", []string{"127.0.0.1", "localhost"}, []string{"10.0.0.1"}, fence.Env},
		{"alias", "", "127.0.0.1", []string{"127.0.0.1"}, []string{"::1"}, fence.EnvSMTP},
		{"both: a host must pass both", "127.0.0.0/8,::1", "127.0.0.1,::1,localhost", []string{"127.0.0.1", "::1"},
			[]string{"127.0.0.2", "localhost"}, ""},
		{"blank counts as unset", " ", "127.0.0.1", []string{"127.0.0.1"}, []string{"::1"}, fence.EnvSMTP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{fence.Env: tt.general, fence.EnvSMTP: tt.smtp}
			f, err := fence.FromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range tt.allowed {
				if err := f.Allow(h); err != nil {
					t.Errorf("Allow(%q) = %v", h, err)
				}
			}
			for _, h := range tt.refused {
				err := f.Allow(h)
				var na *fence.NotAllowedError
				if !errors.As(err, &na) || na.Host != h || (tt.refusedBy != "" && na.Source != tt.refusedBy) {
					t.Errorf("Allow(%q) = %v, want a NotAllowedError from %q", h, err, tt.refusedBy)
					continue
				}
				if !strings.Contains(err.Error(), h) || !strings.Contains(err.Error(), na.Source) {
					t.Errorf("Allow(%q): %q names neither the host nor the list", h, err)
				}
			}
		})
	}
}

// TestBothRefusalsNamed: with both variables set, the refusal names the
// list that refused.
func TestBothRefusalsNamed(t *testing.T) {
	env := map[string]string{fence.Env: "127.0.0.0/8", fence.EnvSMTP: "127.0.0.1"}
	f, err := fence.FromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Refusal("127.0.0.2"), "DTSX_SMTP_ALLOWED_HOSTS allows only 127.0.0.1"; got != want {
		t.Errorf("Refusal = %q, want %q", got, want)
	}
	if got, want := f.Refusal("10.0.0.1"), "DTSX_ALLOWED_HOSTS allows only 127.0.0.0/8"; got != want {
		t.Errorf("Refusal = %q, want %q", got, want)
	}
	if got := f.String(); got != "127.0.0.0/8 (DTSX_ALLOWED_HOSTS) and 127.0.0.1 (DTSX_SMTP_ALLOWED_HOSTS)" {
		t.Errorf("String = %q", got)
	}
	if _, err := fence.FromLookup(func(k string) (string, bool) { return "a b", true }); err == nil ||
		!strings.Contains(err.Error(), fence.Env) {
		t.Errorf("a bad list: %v, want an error naming the variable", err)
	}
}
