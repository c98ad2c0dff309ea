package capture

import (
	"bufio"
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/smtp"
)

// start starts a server on dir and closes it at the end of the test.
func start(t *testing.T, dir string) *Server {
	t.Helper()
	s, err := Start(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// send delivers one message through the project's SMTP client, with the
// options Redirect gives a connection manager. The connection string names
// a server that must never be looked up.
func send(t *testing.T, s *Server, conn, subject string) {
	t.Helper()
	if err := trySend(s, conn, subject); err != nil {
		t.Fatalf("%s: %v", conn, err)
	}
}

func trySend(s *Server, conn, subject string) error {
	m := &smtp.Manager{}
	s.Redirect([]connections.Manager{m})
	cfg, err := smtp.ParseConfig("SmtpServer=mail.example.com;" + conn)
	if err != nil {
		return err
	}
	ctx := context.Background()
	sess, err := smtp.Dial(ctx, "Mail", cfg, m.Run)
	if err != nil {
		return err
	}
	defer sess.Close()
	_, err = sess.Send(ctx, "a@x", []string{"b@x", "c@x"}, strings.NewReader("Subject: "+subject+"\r\n\r\nbody\r\n"))
	return err
}

func subjectOf(t *testing.T, file string) string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m.Header.Get("Subject")
}

// TestCaptureThroughTheRealClient: the project's SMTP client reaches the
// capture server with STARTTLS and each mechanism, and every message lands
// as NNNN.eml with its envelope, after the files already there.
func TestCaptureThroughTheRealClient(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/0007.eml", []byte("old"), 0o600)
	s := start(t, dir)
	for i, conn := range []string{
		"EnableSsl=False;",
		"EnableSsl=True;UseWindowsAuthentication=True;UserName=TEST\\alice;Password=x;",
		"EnableSsl=True;AuthMechanism=Plain;UserName=alice;Password=x;",
		"EnableSsl=True;AuthMechanism=Login;UserName=alice;Password=x;",
		"TlsMode=Implicit;AuthMechanism=Plain;UserName=alice;Password=x;",
	} {
		send(t, s, conn, "s")
		files := s.Files()
		want := fmt.Sprintf("%04d.eml", 8+i)
		if len(files) != i+1 || filepath.Base(files[i]) != want {
			t.Fatalf("%s: files %v, want the last to be %s", conn, files, want)
		}
		f, _ := os.Open(files[i])
		m, err := mail.ReadMessage(f)
		f.Close()
		if err != nil || m.Header.Get("Subject") != "s" || m.Header.Get("X-Dtsx-Envelope-From") != "<a@x>" {
			t.Errorf("%s: message %v %v", files[i], m, err)
		}
	}
	if b, _ := os.ReadFile(dir + "/0007.eml"); string(b) != "old" {
		t.Errorf("0007.eml was overwritten: %q", b)
	}
}

// listeningSockets returns the inodes of the TCP sockets in LISTEN state
// that this process holds open.
func listeningSockets(t *testing.T) map[string]bool {
	t.Helper()
	ours := map[string]bool{}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		link, err := os.Readlink("/proc/self/fd/" + fd.Name())
		if inode, ok := strings.CutPrefix(link, "socket:["); err == nil && ok {
			ours[strings.TrimSuffix(inode, "]")] = true
		}
	}
	listening := map[string]bool{}
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if os.IsNotExist(err) {
			continue // no IPv6 in this kernel
		}
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// sl local rem st tx:rx tr:when retrnsmt uid timeout inode
			fields := strings.Fields(sc.Text())
			if len(fields) > 9 && fields[3] == "0A" && ours[fields[9]] {
				listening[fields[9]] = true
			}
		}
		f.Close()
	}
	return listening
}

// TestNoPortToInjectInto: capture opens no TCP listener, so no other local
// user or process can connect and have its mail saved as the run's own;
// the run's managers still deliver through their in-process connection.
func TestNoPortToInjectInto(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the socket tables of /proc, which only Linux has")
	}
	before := listeningSockets(t)
	s := start(t, t.TempDir())
	send(t, s, "EnableSsl=True;AuthMechanism=Plain;UserName=alice;Password=x;", "ours")
	for inode := range listeningSockets(t) {
		if !before[inode] {
			t.Errorf("capture opened a listening TCP socket (inode %s)", inode)
		}
	}
	if got := s.ln.Addr().Network(); got != "pipe" {
		t.Errorf("listener network %q", got)
	}
	if len(s.Files()) != 1 {
		t.Errorf("files %v", s.Files())
	}
}

// TestClosedServerRefusesConnections: after Close, a manager's dial fails
// at once instead of hanging.
func TestClosedServerRefusesConnections(t *testing.T) {
	s, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := trySend(s, "EnableSsl=False;", "late"); err == nil {
		t.Error("a closed capture server took a message")
	}
}

// TestPrivateModes: a directory capture creates is 0700, and every message
// is 0600 whatever the umask allowed; an existing directory open to others
// is left as it is, with a warning.
func TestPrivateModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox", "run1")
	s := start(t, dir)
	send(t, s, "EnableSsl=False;", "s")
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v %v, want 0700", fi.Mode(), err)
	}
	if w := s.Warnings(); len(w) != 0 {
		t.Errorf("warnings for a private dir: %q", w)
	}
	fi, err := os.Lstat(s.Files()[0])
	if err != nil || fi.Mode() != 0o600 {
		t.Errorf("message mode %v %v, want -rw-------", fi.Mode(), err)
	}

	open := t.TempDir()
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	s2 := start(t, open)
	if w := s2.Warnings(); len(w) != 1 || !strings.Contains(w[0], "0755") || !strings.Contains(w[0], "chmod 700") {
		t.Errorf("warnings %q", w)
	}
	if fi, _ := os.Stat(open); fi.Mode().Perm() != 0o755 {
		t.Errorf("the user's directory was changed to %v", fi.Mode())
	}
}

// TestPlantedLinkIsNotFollowed: a symbolic link planted under the name the
// next message would take, before or after start, pointing at an existing
// file or at none, is left alone: the victim is untouched, nothing is
// created through the link, and the message is saved under another number.
func TestPlantedLinkIsNotFollowed(t *testing.T) {
	for _, tc := range []struct {
		name          string
		afterStart    bool
		victimExists  bool
		wantSavedName string
	}{
		{"before start, to a file", false, true, "0002.eml"},
		{"before start, dangling", false, false, "0002.eml"},
		{"after start, to a file", true, true, "0002.eml"},
		{"after start, dangling", true, false, "0002.eml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(t.TempDir(), "victim")
			if tc.victimExists {
				if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			plant := func() {
				if err := os.Symlink(victim, filepath.Join(dir, "0001.eml")); err != nil {
					t.Fatal(err)
				}
			}
			if !tc.afterStart {
				plant()
			}
			s := start(t, dir)
			if tc.afterStart {
				plant()
			}
			send(t, s, "EnableSsl=False;", "mail")
			files := s.Files()
			if len(files) != 1 || filepath.Base(files[0]) != tc.wantSavedName || subjectOf(t, files[0]) != "mail" {
				t.Errorf("files %v, want one %s", files, tc.wantSavedName)
			}
			b, err := os.ReadFile(victim)
			switch {
			case tc.victimExists && string(b) != "precious":
				t.Errorf("victim now %q, %v", b, err)
			case !tc.victimExists && !os.IsNotExist(err):
				t.Errorf("a file was created through the link: %q, %v", b, err)
			}
			if fi, err := os.Lstat(filepath.Join(dir, "0001.eml")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the planted link was replaced: %v %v", fi, err)
			}
		})
	}
}

// TestNumberingPast9999: numbers are compared as numbers, not as names, so
// a directory holding 9999.eml and 10000.eml gets 10001.eml, and a lower
// file or a name that is not a message changes nothing.
func TestNumberingPast9999(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"0500.eml", "9999.eml", "10000.eml", "99999.txt", "abcd.eml", "123.eml"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := start(t, dir)
	send(t, s, "EnableSsl=False;", "one")
	send(t, s, "EnableSsl=False;", "two")
	var got []string
	for _, f := range s.Files() {
		got = append(got, filepath.Base(f))
	}
	if !slices.Equal(got, []string{"10001.eml", "10002.eml"}) {
		t.Errorf("files %v, want 10001.eml 10002.eml", got)
	}
	for _, name := range []string{"9999.eml", "10000.eml"} {
		if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != name {
			t.Errorf("%s overwritten: %q", name, b)
		}
	}
}

// TestParallelRunsLoseNothing: two runs capturing into one directory, each
// with several senders at once, keep every message: no name is written
// twice, and each run lists exactly its own files.
func TestParallelRunsLoseNothing(t *testing.T) {
	dir := t.TempDir()
	runs := []*Server{start(t, dir), start(t, dir)}
	const senders, each = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, len(runs)*senders*each)
	for r, s := range runs {
		for g := range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					if err := trySend(s, "EnableSsl=False;", fmt.Sprintf("run%d-%d-%d", r, g, i)); err != nil {
						errs <- err
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]string{} // subject -> file
	for r, s := range runs {
		files := s.Files()
		if len(files) != senders*each {
			t.Errorf("run %d lists %d files, want %d", r, len(files), senders*each)
		}
		for _, f := range files {
			subj := subjectOf(t, f)
			if !strings.HasPrefix(subj, fmt.Sprintf("run%d-", r)) {
				t.Errorf("run %d lists %s holding %q", r, f, subj)
			}
			if prev, dup := seen[subj]; dup {
				t.Errorf("%q in %s and %s", subj, prev, f)
			}
			seen[subj] = f
		}
	}
	entries, _ := os.ReadDir(dir)
	if want := len(runs) * senders * each; len(seen) != want || len(entries) != want {
		t.Errorf("%d distinct messages, %d files in the directory, want %d", len(seen), len(entries), want)
	}
}

// TestWindowsAuthLogsInNowhere: in capture mode UseWindowsAuthentication=True
// needs no credential and asks no KDC (a keytab named in the settings is not
// read): a credential that is found is sent with NTLM, and without one the
// session sends no AUTH; the mail is captured either way.
func TestWindowsAuthLogsInNowhere(t *testing.T) {
	s := start(t, t.TempDir())
	for _, tc := range []struct {
		name, conn, mech string
	}{
		{"no credential", "UseWindowsAuthentication=True;EnableSsl=True;", ""},
		{"a credential", `UseWindowsAuthentication=True;EnableSsl=True;UserName=TEST\alice;Password=x;`, "NTLM"},
		{"kerberos configured", "UseWindowsAuthentication=True;EnableSsl=True;UserName=alice@EXAMPLE.COM;Keytab=/nonexistent/alice.keytab;", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &smtp.Manager{}
			s.Redirect([]connections.Manager{m})
			if !m.Run.WindowsLoginNowhere {
				t.Fatal("Redirect leaves Windows authentication logging in")
			}
			cfg, err := smtp.ParseConfig("SmtpServer=mail.example.com;" + tc.conn)
			if err != nil {
				t.Fatal(err)
			}
			before := len(s.Files())
			ctx := context.Background()
			if tc.mech == "" {
				// Without the option the same settings need a login.
				off := m.Run
				off.WindowsLoginNowhere = false
				if sess, err := smtp.Dial(ctx, "Mail", cfg, off); err == nil {
					sess.Close()
					t.Fatal("the settings dial without a credential even when logging in: the case tests nothing")
				}
			}
			sess, err := smtp.Dial(ctx, "Mail", cfg, m.Run)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer sess.Close()
			if sess.Info.Mechanism != tc.mech {
				t.Errorf("mechanism %q, want %q", sess.Info.Mechanism, tc.mech)
			}
			if _, err := sess.Send(ctx, "a@x", []string{"b@x"}, strings.NewReader("Subject: w\r\n\r\nbody\r\n")); err != nil {
				t.Fatal(err)
			}
			if len(s.Files()) != before+1 {
				t.Errorf("files %v: the mail was not captured", s.Files())
			}
		})
	}
}
