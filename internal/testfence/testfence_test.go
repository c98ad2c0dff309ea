package testfence_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/fence"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

func TestMain(m *testing.M) { testfence.Main(m) }

func TestEnvIsSMTPs(t *testing.T) {
	if testfence.Env != smtp.EnvAllowedHosts || smtp.EnvAllowedHosts != fence.EnvSMTP {
		t.Errorf("Env = %q, smtp reads %q", testfence.Env, smtp.EnvAllowedHosts)
	}
	if testfence.EnvAll != fence.Env {
		t.Errorf("EnvAll = %q, the fence reads %q", testfence.EnvAll, fence.Env)
	}
}

func TestSetFor(t *testing.T) {
	for _, before := range []string{"", "127.0.0.1", "mail.example.com"} {
		t.Run(before, func(t *testing.T) {
			t.Setenv(testfence.Env, before)
			testfence.SetFor(t)
			if got := os.Getenv(testfence.Env); got != testfence.Loopback {
				t.Errorf("with %q: %q, want %q", before, got, testfence.Loopback)
			}
		})
	}
}

func TestSet(t *testing.T) {
	for _, tt := range []struct{ before, after string }{
		{"", testfence.Loopback},
		{"  ", testfence.Loopback},
		{"127.0.0.1", "127.0.0.1"}, // a narrower fence is kept
	} {
		for _, env := range []string{testfence.Env, testfence.EnvAll} {
			t.Setenv(testfence.Env, "")
			t.Setenv(testfence.EnvAll, "")
			t.Setenv(env, tt.before)
			testfence.Set()
			if got := os.Getenv(env); got != tt.after {
				t.Errorf("%s with %q: %q, want %q", env, tt.before, got, tt.after)
			}
		}
	}
}

// TestFenceBlocksBeforeDNS: with the fence Main set (this package's
// TestMain), dialling a server that is not loopback fails with
// ErrNotAllowed before the resolver is asked anything and before any
// connection: the resolver is replaced by one that counts its queries, and
// the address is in TEST-NET-1 (RFC 5737), where a connection attempt would
// hang rather than fail at once.
func TestFenceBlocksBeforeDNS(t *testing.T) {
	queries := testfence.CountLookups(t)

	// The counting resolver sees a lookup that is made.
	if _, err := net.DefaultResolver.LookupHost(context.Background(), "mail.example.invalid"); err == nil || queries.Load() == 0 {
		t.Fatalf("the counting resolver was not used: %v, %d queries", err, queries.Load())
	}
	queries.Store(0)

	for _, server := range []string{"mail.example.invalid", "smtp.gmail.com", "192.0.2.1", "[2001:db8::1]", "10.31.60.164"} {
		cfg, err := smtp.ParseConfig("SmtpServer=" + server + ";UseWindowsAuthentication=False;EnableSsl=False;")
		if err != nil {
			t.Fatal(err)
		}
		_, err = smtp.Dial(context.Background(), "Mail", cfg, smtp.Options{})
		if !errors.Is(err, smtp.ErrNotAllowed) {
			t.Errorf("%s: err = %v, want ErrNotAllowed", server, err)
		}
	}
	for _, server := range []string{"db.example.invalid", "192.0.2.1", "10.31.60.164"} {
		m, err := database.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "Warehouse", CreationName: "OLEDB"},
			ConnectionString: "Provider=MSOLEDBSQL;Data Source=" + server + ";Initial Catalog=dw;User ID=u;Password=p;"})
		if err != nil {
			t.Fatal(err)
		}
		f, err := fence.FromEnv()
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.Acquire(context.Background(), database.Options{Allow: f.Allow})
		if !errors.Is(err, fence.ErrNotAllowed) || !errors.Is(err, database.ErrRefused) {
			t.Errorf("database %s: err = %v, want ErrNotAllowed", server, err)
		}
	}
	if n := queries.Load(); n != 0 {
		t.Errorf("%d DNS queries made before the fence refused", n)
	}
}

// dials matches what a test does to open a network connection, or a
// server that tests connect to.
var dials = regexp.MustCompile(`smtptest\.NewServer|net\.Listen|net\.Dial|DialContext|smtp\.Dial\(|smtp\.Probe|realsmtp\.|capture\.Start|krbtest\.|exec\.Command\(os\.Args\[0\]`)

// TestEveryDialingPackageIsFenced: every package of the module whose tests
// open connections has a TestMain that calls testfence.Main or
// testfence.Set, so that none relies on the environment.
func TestEveryDialingPackageIsFenced(t *testing.T) {
	root := filepath.Join("..", "..")
	dialing := map[string]string{} // folder: a file that dials
	fenced := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		if dials.Match(b) {
			dialing[dir] = filepath.Base(path)
		}
		if strings.Contains(string(b), "testfence.Main(") || strings.Contains(string(b), "testfence.Set()") {
			fenced[dir] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dialing) < 5 {
		t.Fatalf("only %d dialing packages found: %v", len(dialing), dialing)
	}
	var dirs []string
	for dir := range dialing {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		if !fenced[dir] {
			t.Errorf("%s: %s opens connections but no TestMain calls testfence.Main(m) or testfence.Set()", rel, dialing[dir])
		} else {
			t.Logf("%s: fenced", rel)
		}
	}
}
