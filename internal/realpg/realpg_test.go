package realpg_test

import (
	"fmt"
	"maps"
	"runtime"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/realpg"
)

// recorder is a testing.TB that records a Skip or a Fatalf and ends the
// goroutine as they do.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// env calls realpg.Env with a recorder, in a goroutine of its own.
func env(t *testing.T) (*recorder, map[string]string) {
	r := &recorder{TB: t}
	var got map[string]string
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = realpg.Env(r)
	}()
	<-done
	return r, got
}

var server = map[string]string{"DTSX_PG_HOST": "127.0.0.1", "DTSX_PG_PORT": "55432", "DTSX_PG_USER": "dtsx",
	"DTSX_PG_PASSWORD": "pg-Secret;1", "DTSX_PG_DATABASE": "dtsx"}

// TestEnv: without DTSX_REAL_PG=1 the test is skipped; with it, a missing
// setting or a server off loopback fails the test, never skips it.
func TestEnv(t *testing.T) {
	for _, tt := range []struct {
		name, flag string
		change     map[string]string
		skip, fail string // what the skip or the failure says; both empty: Env returns the settings
	}{
		{"no flag", "", nil, "DTSX_REAL_PG=1 runs the PostgreSQL suite", ""},
		{"flag not 1", "true", nil, "DTSX_REAL_PG=1 runs", ""},
		{"all set", "1", nil, "", ""},
		{"::1", "1", map[string]string{"DTSX_PG_HOST": "::1"}, "", ""},
		{"no password", "1", map[string]string{"DTSX_PG_PASSWORD": ""}, "", "DTSX_REAL_PG=1 but DTSX_PG_PASSWORD is not set"},
		{"no host", "1", map[string]string{"DTSX_PG_HOST": ""}, "", "DTSX_PG_HOST is not set"},
		{"no port", "1", map[string]string{"DTSX_PG_PORT": ""}, "", "DTSX_PG_PORT is not set"},
		{"another server", "1", map[string]string{"DTSX_PG_HOST": "10.31.60.164"}, "", "DTSX_PG_HOST is 10.31.60.164: the suite reaches loopback only"},
		{"a name", "1", map[string]string{"DTSX_PG_HOST": "db.example.com"}, "", "loopback only"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := maps.Clone(server)
			maps.Copy(want, tt.change)
			t.Setenv("DTSX_REAL_PG", tt.flag)
			for k, v := range want {
				t.Setenv(k, v)
			}
			r, got := env(t)
			switch {
			case tt.skip != "":
				if !strings.Contains(r.skipped, tt.skip) || r.failed != "" {
					t.Errorf("skipped %q, failed %q; want a skip saying %q", r.skipped, r.failed, tt.skip)
				}
			case tt.fail != "":
				if !strings.Contains(r.failed, tt.fail) || r.skipped != "" {
					t.Errorf("failed %q, skipped %q; want a failure saying %q", r.failed, r.skipped, tt.fail)
				}
			default:
				if r.failed != "" || r.skipped != "" || !maps.Equal(got, want) {
					t.Errorf("Env = %v (failed %q, skipped %q), want %v", got, r.failed, r.skipped, want)
				}
			}
		})
	}
}

func TestConnectionStrings(t *testing.T) {
	other := realpg.WithPassword(server, "wrong")
	if server["DTSX_PG_PASSWORD"] != "pg-Secret;1" || other["DTSX_PG_PASSWORD"] != "wrong" || other["DTSX_PG_USER"] != "dtsx" {
		t.Errorf("WithPassword: %v, from %v", other, server)
	}
	for _, tt := range []struct{ name, got, want string }{
		{"Npgsql", realpg.Npgsql(other), "Host=127.0.0.1;Port=55432;Database=dtsx;Username=dtsx;Password=wrong;SSL Mode=Disable;Timeout=10;"},
		{"ODBC", realpg.ODBC(other), "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=55432;Database=dtsx;Uid=dtsx;Pwd=wrong;SSLmode=disable;"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestLoopback(t *testing.T) {
	for _, tt := range []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1", true}, {"::1", true}, {"127.0.0.2", true},
		{"localhost", false}, {"10.31.60.164", false}, {"2001:db8::1", false}, {"", false},
	} {
		t.Run(tt.host, func(t *testing.T) {
			err := realpg.Loopback(tt.host)
			if (err == nil) != tt.ok {
				t.Errorf("Loopback(%q) = %v, want ok %v", tt.host, err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "is not a loopback address") {
				t.Errorf("error %q", err)
			}
		})
	}
}
