package database

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/credentials"
	"github.com/dtsx-run/dtsx/internal/krbtest"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
)

// TestRealKerberosTokenOnTheWire: with the service principal the real KDC
// has (smtp/<host>; it has no MSSQLSvc one), the Windows login gets a
// service ticket and sends it to the server in the LOGIN7's SSPI field as
// a SPNEGO token (RFC 4178) with the Kerberos mechanism. The server is the
// in-test FakeTDS, which only reads the bytes. Run with DTSX_REAL_SMTP=1.
func TestRealKerberosTokenOnTheWire(t *testing.T) {
	env := realsmtp.Env(t)
	kdc := krbtest.Real(t, env)
	dir := t.TempDir()
	kt := filepath.Join(dir, "alice.keytab")
	krbtest.WriteKeytab(t, kt, map[string]string{env["SMTP_INFRA_USER"] + "@" + kdc.Realm: env["SMTP_INFRA_PASS"]})
	t.Setenv(credentials.EnvKrb5Config, env["SMTP_INFRA_KRB5_CONFIG"])
	t.Setenv(credentials.EnvKrb5ClientKeytab, "FILE:"+kt)
	t.Setenv(credentials.EnvKrb5CCache, "FILE:"+filepath.Join(dir, "no-cache"))

	f := StartFakeTDS(t)
	_, port, _ := net.SplitHostPort(f.Addr)
	cfg := ParseConfig("OLEDB", "Data Source=localhost,"+port+";Provider=SQLNCLI11;Integrated Security=SSPI;Connect Timeout=10;")
	allow := func(h string) error { return nil }
	opts := Options{Allow: func(h string) error {
		if h == "localhost" || h == "127.0.0.1" {
			return allow(h)
		}
		return os.ErrPermission
	}}
	l, err := windowsLogin("Db", cfg, opts)
	if err != nil || l.Kind != LoginKerberos {
		t.Fatalf("login = %v, %v; want Kerberos", l, err)
	}
	l.SPN = kdc.SPN
	db, err := openSQLServer(cfg, opts, l)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err == nil {
		t.Fatal("the ping succeeded against a server that hangs up")
	}
	var b []byte
	select {
	case b = <-f.Logins:
	case <-ctx.Done():
		t.Fatal("the fake server saw no connection")
	}
	l7, ok := ParseLogin7(b)
	if !ok || !l7.IntegratedSecurity || l7.UserLen != 0 || l7.PassLen != 0 {
		t.Fatalf("LOGIN7 = %+v (%v), want integrated security with no user or password", l7, ok)
	}
	spnego := []byte{0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02}
	krb5 := []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02}
	if len(l7.SSPI) < 100 || l7.SSPI[0] != 0x60 || !bytes.Contains(l7.SSPI, spnego) || !bytes.Contains(l7.SSPI, krb5) {
		t.Errorf("SSPI (%d octets) is not a SPNEGO token with the Kerberos mechanism: % x", len(l7.SSPI), l7.SSPI[:min(len(l7.SSPI), 32)])
	}
	t.Logf("LOGIN7 SSPI: a SPNEGO token of %d octets carrying a ticket for %s", len(l7.SSPI), kdc.SPN)
}
