package smtp_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/krbtest"
)

// krb5Env points Kerberos at a krb5.conf of realm TEST.LOCAL whose KDC is
// kdc (127.0.0.1:1, where nothing listens, when ""), with no keytab and a
// ticket cache that does not exist. It returns the directory of the files.
func krb5Env(t *testing.T, kdc string) string {
	t.Helper()
	if kdc == "" {
		kdc = "127.0.0.1:1"
	}
	dir := t.TempDir()
	conf := fmt.Sprintf(`[libdefaults]
    default_realm = TEST.LOCAL
    dns_lookup_kdc = false
    dns_lookup_realm = false
    udp_preference_limit = 1
[realms]
    TEST.LOCAL = {
        kdc = %s
    }
[domain_realm]
    .test.local = TEST.LOCAL
`, kdc)
	if err := os.WriteFile(filepath.Join(dir, "krb5.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(smtp.EnvKrb5Config, filepath.Join(dir, "krb5.conf"))
	t.Setenv(smtp.EnvKrb5Keytab, "")
	t.Setenv(smtp.EnvKrb5ClientKeytab, "")
	t.Setenv(smtp.EnvKrb5CCache, "FILE:"+filepath.Join(dir, "no-such-cache"))
	return dir
}

// writeKeytab is krbtest.WriteKeytab.
var writeKeytab = krbtest.WriteKeytab

// ccEntry is one credential of a ticket cache.
type ccEntry struct {
	server string // krbtgt/TEST.LOCAL@TEST.LOCAL
	end    time.Time
}

// writeCCache writes an MIT ticket cache (file format version 4) holding
// the credentials of client; the tickets are placeholders.
func writeCCache(t *testing.T, path, client string, entries ...ccEntry) {
	t.Helper()
	u16 := func(b []byte, v int) []byte { return binary.BigEndian.AppendUint16(b, uint16(v)) }
	u32 := func(b []byte, v int) []byte { return binary.BigEndian.AppendUint32(b, uint32(v)) }
	data := func(b []byte, d string) []byte { return append(u32(b, len(d)), d...) }
	princ := func(b []byte, p string) []byte {
		name, realm, _ := strings.Cut(p, "@")
		comps := strings.Split(name, "/")
		nt := nametype.KRB_NT_PRINCIPAL
		if comps[0] == "krbtgt" {
			nt = nametype.KRB_NT_SRV_INST
		}
		b = data(u32(u32(b, int(nt)), len(comps)), realm)
		for _, c := range comps {
			b = data(b, c)
		}
		return b
	}
	b := []byte{5, 4}
	b = u32(u16(u16(u16(b, 12), 1), 8), 0) // header: KDC time offset 0
	b = u32(b, 0)
	b = princ(b, client)
	now := time.Now()
	for _, e := range entries {
		b = princ(princ(b, client), e.server)
		b = data(u16(b, int(etypeID.AES256_CTS_HMAC_SHA1_96)), strings.Repeat("k", 32))
		for _, ts := range []time.Time{now.Add(-time.Hour), now.Add(-time.Hour), e.end, e.end} {
			b = u32(b, int(ts.Unix()))
		}
		b = append(b, 0)
		b = u32(u32(u32(b, 0), 0), 0) // flags, addresses, authdata
		b = data(data(b, "ticket"), "")
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestGSSAPILocalErrors: what can be known without a network is reported
// before anything is dialled (127.0.0.1:1 would give ErrConnect), as a
// typed error naming the manager, the server, the principal and the fix.
func TestGSSAPILocalErrors(t *testing.T) {
	const tgt = "krbtgt/TEST.LOCAL@TEST.LOCAL"
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) (conn string, creds smtp.CredentialSource)
		kind  error
		want  []string
	}{
		{"no keytab, no ticket cache", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			return "", nil
		}, smtp.ErrNoCredential, []string{"there is no ticket cache", "no-such-cache (KRB5CCNAME)", "kinit"}},
		{"keytab missing", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			return "Keytab=" + dir + "/none.keytab;", nil
		}, smtp.ErrNoCredential, []string{"cannot read the keytab " + "", "none.keytab (Keytab=)", "no such file"}},
		{"not a keytab", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			os.WriteFile(dir+"/x.keytab", []byte("not a keytab"), 0o600)
			return "Keytab=FILE:" + dir + "/x.keytab;", nil
		}, smtp.ErrNoCredential, []string{"cannot read the keytab"}},
		{"keytab of someone else", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeKeytab(t, dir+"/bob.keytab", map[string]string{"bob@TEST.LOCAL": "bob-pw"})
			return "Keytab=" + dir + "/bob.keytab;UserName=alice;", nil
		}, smtp.ErrNoCredential, []string{"holds no key for alice@TEST.LOCAL (it holds bob@TEST.LOCAL)"}},
		{"keytab of two, no user", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeKeytab(t, dir+"/two.keytab", map[string]string{"bob@TEST.LOCAL": "b", "alice@TEST.LOCAL": "a"})
			t.Setenv(smtp.EnvKrb5Keytab, "FILE:"+dir+"/two.keytab")
			return "", nil
		}, smtp.ErrNoCredential, []string{"several principals", "(KRB5_KTNAME)", "UserName=user@REALM"}},
		{"keytab of two, user from a credential source (lower-case realm)", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeKeytab(t, dir+"/two.keytab", map[string]string{"bob@TEST.LOCAL": "b", "alice@TEST.LOCAL": "a"})
			return "Keytab=" + dir + "/two.keytab;", smtp.StaticCredentials{"": {UserName: "bob@test.local"}}
		}, smtp.ErrConnect, nil}, // every local check passed: dialled
		{"ticket cache type not supported", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			t.Setenv(smtp.EnvKrb5CCache, "KEYRING:persistent:1000")
			return "", nil
		}, smtp.ErrUnsupported, []string{"KEYRING", "KRB5CCNAME=FILE:"}},
		{"corrupt ticket cache", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			os.WriteFile(dir+"/cc", []byte{5, 4, 0, 12, 0, 1}, 0o600)
			t.Setenv(smtp.EnvKrb5CCache, dir+"/cc")
			return "", nil
		}, smtp.ErrNoCredential, []string{"cannot read the ticket cache", "(KRB5CCNAME)"}},
		{"expired ticket", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeCCache(t, dir+"/cc", "alice@TEST.LOCAL", ccEntry{tgt, time.Now().Add(-time.Minute)})
			t.Setenv(smtp.EnvKrb5CCache, "FILE:"+dir+"/cc")
			return "", nil
		}, smtp.ErrNoCredential, []string{"ticket of alice@TEST.LOCAL", "expired", "kinit alice@TEST.LOCAL again"}},
		{"ticket cache of someone else", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeCCache(t, dir+"/cc", "bob@TEST.LOCAL", ccEntry{tgt, time.Now().Add(time.Hour)})
			t.Setenv(smtp.EnvKrb5CCache, "FILE:"+dir+"/cc")
			return "", smtp.StaticCredentials{"": {UserName: `TEST\alice`, Password: "ntlm-secret-1"}}
		}, smtp.ErrNoCredential, []string{"holds the tickets of bob@TEST.LOCAL, not of alice@TEST.LOCAL", "kinit alice@TEST.LOCAL"}},
		{"ticket cache without a ticket-granting ticket", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeCCache(t, dir+"/cc", "alice@TEST.LOCAL", ccEntry{"smtp/other.test.local@TEST.LOCAL", time.Now().Add(time.Hour)})
			t.Setenv(smtp.EnvKrb5CCache, "FILE:"+dir+"/cc")
			return "", nil
		}, smtp.ErrNoCredential, []string{"no ticket-granting ticket"}},
		{"valid ticket cache", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeCCache(t, dir+"/cc", "alice@TEST.LOCAL", ccEntry{tgt, time.Now().Add(time.Hour)})
			t.Setenv(smtp.EnvKrb5CCache, "FILE:"+dir+"/cc")
			return "", nil
		}, smtp.ErrConnect, nil},
		{"server by address without ServicePrincipalName", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeKeytab(t, dir+"/a.keytab", map[string]string{"alice@TEST.LOCAL": "a"})
			return "Keytab=" + dir + "/a.keytab;ServicePrincipalName=;", nil
		}, smtp.ErrKerberos, []string{"named by its address 127.0.0.1", "ServicePrincipalName=smtp/"}},
		{"KDC outside the fence", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			writeKeytab(t, dir+"/a.keytab", map[string]string{"alice@TEST.LOCAL": "a"})
			os.WriteFile(dir+"/far.conf", []byte("[libdefaults]\n default_realm = TEST.LOCAL\n dns_lookup_kdc = true\n[realms]\n TEST.LOCAL = {\n  kdc = kdc.example.com:88\n }\n"), 0o600)
			t.Setenv(smtp.EnvKrb5Config, dir+"/far.conf")
			return "Keytab=" + dir + "/a.keytab;", nil
		}, smtp.ErrNotAllowed, []string{"KDC kdc.example.com:88 of realm TEST.LOCAL", "DTSX_SMTP_ALLOWED_HOSTS"}},
		{"no krb5.conf", func(t *testing.T, dir string) (string, smtp.CredentialSource) {
			t.Setenv(smtp.EnvKrb5Config, dir+"/none.conf:"+dir+"/neither.conf")
			return "", nil
		}, smtp.ErrKerberos, []string{"cannot read the Kerberos configuration", "none.conf", "KRB5_CONFIG"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := krb5Env(t, "")
			conn, creds := tt.setup(t, dir)
			if !strings.Contains(conn, "ServicePrincipalName=") {
				conn += "ServicePrincipalName=smtp/mail.test.local;"
			}
			cfg, err := smtp.ParseConfig("SmtpServer=127.0.0.1:1;AuthMechanism=GSSAPI;" + conn)
			if err != nil {
				t.Fatal(err)
			}
			fence, _ := smtp.ParseFence("127.0.0.1")
			_, err = smtp.Dial(context.Background(), "K", cfg, smtp.Options{Credentials: creds, Fence: fence})
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			if tt.kind == smtp.ErrConnect {
				return
			}
			msg := err.Error()
			if !errors.Is(err, smtp.ErrKerberos) || !strings.Contains(msg, `"K"`) || !strings.Contains(msg, "127.0.0.1:1") || strings.Contains(msg, "ntlm-secret-1") {
				t.Errorf("%s: not a Kerberos error naming the manager and server", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%s\nlacks %q", msg, w)
				}
			}
		})
	}
}

// fakeKDC answers every request with a KRB-ERROR of the given code and
// counts the requests.
func fakeKDC(t *testing.T, code int32) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				var l [4]byte
				if _, err := io.ReadFull(c, l[:]); err != nil {
					return
				}
				if _, err := io.CopyN(io.Discard, c, int64(binary.BigEndian.Uint32(l[:]))); err != nil {
					return
				}
				ke := messages.NewKRBError(types.NewPrincipalName(nametype.KRB_NT_SRV_INST, "krbtgt/TEST.LOCAL"), "TEST.LOCAL", code, "")
				b, _ := ke.Marshal()
				c.Write(append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...))
			}()
		}
	}()
	return ln.Addr().String(), &n
}

// TestGSSAPIKDCErrors: the KDC's refusals (from a fake KDC on loopback) and
// an unreachable KDC fail the connection once the server has offered
// GSSAPI, before AUTH is sent.
func TestGSSAPIKDCErrors(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := closed.Addr().String()
	closed.Close()
	tests := []struct {
		name string
		code int32 // 0: no KDC listens
		kind error
		want []string
	}{
		{"clock skew", errorcode.KRB_AP_ERR_SKEW, smtp.ErrKerberos, []string{"clock", "differ", "NTP", "KRB_AP_ERR_SKEW"}},
		{"unknown principal", errorcode.KDC_ERR_C_PRINCIPAL_UNKNOWN, smtp.ErrKerberos, []string{"does not know the principal alice@TEST.LOCAL"}},
		{"account disabled", errorcode.KDC_ERR_CLIENT_REVOKED, smtp.ErrAuth, []string{"alice@TEST.LOCAL is disabled"}},
		{"KDC unreachable", 0, smtp.ErrKerberos, []string{"cannot reach a KDC of realm TEST.LOCAL (" + unreachable + ")", "connection refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kdc := unreachable
			var asked *atomic.Int32
			if tt.code != 0 {
				kdc, asked = fakeKDC(t, tt.code)
			}
			dir := krb5Env(t, kdc)
			writeKeytab(t, dir+"/alice.keytab", map[string]string{"alice@TEST.LOCAL": "alice-pw"})
			srv := smtptest.NewServer(t, smtptest.Options{Mechanisms: []string{"GSSAPI", "NTLM"}, Users: map[string]string{`TEST\alice`: "pw-ntlm-9"}})
			cfg, _ := smtp.ParseConfig("SmtpServer=" + srv.Addr() + ";UseWindowsAuthentication=True;ServicePrincipalName=smtp/mail.test.local;Keytab=" + dir + "/alice.keytab;")
			// An NTLM credential is there too: a Kerberos failure is not hidden by NTLM.
			_, err := smtp.Dial(context.Background(), "Mail", cfg, smtp.Options{Credentials: smtp.StaticCredentials{"": {UserName: `TEST\alice`, Password: "pw-ntlm-9"}}})
			if !errors.Is(err, tt.kind) || !errors.Is(err, smtp.ErrKerberos) {
				t.Fatalf("err = %v, want %v and ErrKerberos", err, tt.kind)
			}
			for _, w := range append(tt.want, `"Mail"`, srv.Addr(), "alice@TEST.LOCAL") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v\nlacks %q", err, w)
				}
			}
			if asked != nil && asked.Load() == 0 {
				t.Error("the KDC was not asked")
			}
			if n := len(srv.AuthAttempts()); n != 0 {
				t.Errorf("%d AUTH attempts, want none", n)
			}
		})
	}
}

// TestWindowsAuthChoice: UseWindowsAuthentication=True prefers Kerberos
// when a Kerberos credential is configured, and uses NTLM when Kerberos
// cannot be tried; AuthMechanism forces one.
func TestWindowsAuthChoice(t *testing.T) {
	ntlm := smtp.StaticCredentials{"": {UserName: `TEST\alice`, Password: "pw-ntlm-9"}}
	tests := []struct {
		name   string
		mechs  []string
		conn   string
		keytab bool
		creds  smtp.CredentialSource
		mech   string // "" : an error of kind
		kind   error
		kdc    bool // the KDC is asked
	}{
		{"keytab, server offers GSSAPI: Kerberos", []string{"GSSAPI", "NTLM"}, "ServicePrincipalName=smtp/mail.test.local;", true, ntlm, "", smtp.ErrKerberos, true},
		{"keytab, server offers no GSSAPI: NTLM", []string{"NTLM"}, "ServicePrincipalName=smtp/mail.test.local;", true, ntlm, "NTLM", nil, false},
		{"keytab, no GSSAPI, no NTLM credential", []string{"NTLM"}, "ServicePrincipalName=smtp/mail.test.local;", true, nil, "", smtp.ErrAuth, false},
		{"server by address: NTLM, as Windows", []string{"GSSAPI", "NTLM"}, "", true, ntlm, "NTLM", nil, false},
		{"no Kerberos credential: NTLM", []string{"GSSAPI", "NTLM"}, "ServicePrincipalName=smtp/mail.test.local;", false, ntlm, "NTLM", nil, false},
		{"broken keytab: NTLM", []string{"GSSAPI", "NTLM"}, "ServicePrincipalName=smtp/mail.test.local;Keytab=/nonexistent/k.keytab;", false, ntlm, "NTLM", nil, false},
		{"broken keytab, no NTLM credential", []string{"GSSAPI", "NTLM"}, "ServicePrincipalName=smtp/mail.test.local;Keytab=/nonexistent/k.keytab;", false, nil, "", smtp.ErrNoCredential, false},
		{"AuthMechanism=NTLM forces NTLM", []string{"GSSAPI", "NTLM"}, "ServicePrincipalName=smtp/mail.test.local;AuthMechanism=NTLM;", true, ntlm, "NTLM", nil, false},
		{"AuthMechanism=GSSAPI forces GSSAPI", []string{"NTLM"}, "ServicePrincipalName=smtp/mail.test.local;AuthMechanism=GSSAPI;", true, ntlm, "", smtp.ErrAuth, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kdc, asked := fakeKDC(t, errorcode.KDC_ERR_POLICY)
			dir := krb5Env(t, kdc)
			if tt.keytab {
				writeKeytab(t, dir+"/alice.keytab", map[string]string{"alice@TEST.LOCAL": "alice-pw"})
				t.Setenv(smtp.EnvKrb5Keytab, "FILE:"+dir+"/alice.keytab")
			}
			srv := smtptest.NewServer(t, smtptest.Options{Mechanisms: tt.mechs, Users: map[string]string{`TEST\alice`: "pw-ntlm-9"}})
			cfg, err := smtp.ParseConfig("SmtpServer=" + srv.Addr() + ";UseWindowsAuthentication=True;" + tt.conn)
			if err != nil {
				t.Fatal(err)
			}
			s, err := smtp.Dial(context.Background(), "Mail", cfg, smtp.Options{Credentials: tt.creds})
			if tt.mech != "" {
				if err != nil {
					t.Fatalf("Dial: %v", err)
				}
				defer s.Close()
				if s.Info.Mechanism != tt.mech {
					t.Errorf("mechanism %q, want %q", s.Info.Mechanism, tt.mech)
				}
			} else if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			if (asked.Load() > 0) != tt.kdc {
				t.Errorf("KDC asked %d times, want asked: %v", asked.Load(), tt.kdc)
			}
		})
	}
}

// TestGSSAPICancel: a KDC that never answers does not hold up a cancelled
// connection (gokrb5 takes no context).
func TestGSSAPICancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // stalls: reads nothing, answers nothing
		}
	}()
	dir := krb5Env(t, ln.Addr().String())
	writeKeytab(t, dir+"/alice.keytab", map[string]string{"alice@TEST.LOCAL": "alice-pw"})
	srv := smtptest.NewServer(t, smtptest.Options{Mechanisms: []string{"GSSAPI"}})
	cfg, _ := smtp.ParseConfig("SmtpServer=" + srv.Addr() + ";AuthMechanism=GSSAPI;ServicePrincipalName=smtp/mail.test.local;Keytab=" + dir + "/alice.keytab;")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = smtp.Dial(ctx, "Mail", cfg, smtp.Options{})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %s, want the context's error at once", err, time.Since(start))
	}
}
