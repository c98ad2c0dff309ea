package database_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/crypto/md4"

	"github.com/dtsx-run/dtsx/connections/credentials"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/internal/krbtest"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
)

// krb5Env points Kerberos at a krb5.conf of realm TEST.LOCAL (or conf, when
// given) with no keytab and no ticket cache; it returns a directory for
// them.
func krb5Env(t *testing.T, conf string) string {
	t.Helper()
	dir := t.TempDir()
	if conf == "" {
		conf = filepath.Join(dir, "krb5.conf")
		text := "[libdefaults]\n default_realm = TEST.LOCAL\n[realms]\n TEST.LOCAL = {\n  kdc = 127.0.0.1:1\n }\n"
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(credentials.EnvKrb5Config, conf)
	t.Setenv(credentials.EnvKrb5ClientKeytab, "")
	t.Setenv(credentials.EnvKrb5Keytab, "")
	t.Setenv(credentials.EnvKrb5CCache, "FILE:"+filepath.Join(dir, "no-cache"))
	return dir
}

// noEnv is a credential source with nothing in it: the tests do not read
// the machine's DTSX_DB_ variables.
var noEnv = credentials.Env{Prefix: database.EnvPrefix, Lookup: func(string) (string, bool) { return "", false }}

// TestLoginChoice: the login each shape of connection string makes, and
// where its credential comes from. Windows prefers Kerberos and uses NTLM
// when Kerberos cannot be used, as with a server named by address
// (https://learn.microsoft.com/sql/database-engine/configure-windows/register-a-service-principal-name-for-kerberos-connections).
func TestLoginChoice(t *testing.T) {
	const pass = "Ntlm-Secret-9"
	etl := credentials.Static{"db": {UserName: `CORP\etl`, Password: pass}}
	tests := []struct {
		name, creation, cs string
		krb                string // "keytab", "ccache" or ""
		creds              credentials.Source
		kind, user, spn    string
		source             string
		err                error
	}{
		{"SQL login", oledb, "Data Source=db.test.local;Provider=SQLNCLI11;User ID=sa;Password=Sql-Secret-1;", "keytab", etl,
			database.LoginSQL, "sa", "", "", nil},
		{"SSPI with a keytab", oledb, "Data Source=DB.test.local,1533;Provider=MSOLEDBSQL;Integrated Security=SSPI;", "keytab", noEnv,
			database.LoginKerberos, "alice@TEST.LOCAL", "MSSQLSvc/db.test.local:1533", "keytab", nil},
		{"SSPI with a keytab and a named user", oledb, "Data Source=db.test.local;Provider=SQLNCLI11;Integrated Security=SSPI;", "keytab",
			credentials.Static{"": {UserName: "alice@test.local"}}, database.LoginKerberos, "alice@TEST.LOCAL", "MSSQLSvc/db.test.local:1433", "KRB5_KTNAME", nil},
		{"Integrated Security=True with a ticket cache", sqlCli, `Data Source=db.test.local\SALES;Integrated Security=True;`, "ccache", etl,
			database.LoginKerberos, "", "MSSQLSvc/db.test.local:SALES", "ticket cache", nil},
		{"Trusted_Connection=yes, NTLM", odbc, "Driver={ODBC Driver 17 for SQL Server};Server=db.test.local;Trusted_Connection=yes;", "", etl,
			database.LoginNTLM, `CORP\etl`, "", "an explicit override", nil},
		{"by address: NTLM although a keytab exists", oledb, "Data Source=10.1.2.3;Provider=SQLNCLI11;Integrated Security=SSPI;", "keytab", etl,
			database.LoginNTLM, `CORP\etl`, "", "an explicit override", nil},
		{"NTLM user@domain", oledb, "Data Source=10.1.2.3;Provider=SQLNCLI11;Integrated Security=SSPI;", "",
			credentials.Static{"Db": {UserName: "etl@corp.example", Password: pass}}, database.LoginNTLM, `corp.example\etl`, "", "an explicit override", nil},
		{"keytab user without a realm", oledb, "Data Source=db.test.local;Provider=SQLNCLI11;Integrated Security=SSPI;", "keytab-norealm",
			credentials.Static{"db": {UserName: `CORP\etl`}}, "", "", "", "", database.ErrNoWindowsCredential},
		{"no credential", oledb, "Data Source=db.test.local;Provider=SQLNCLI11;Integrated Security=SSPI;", "", noEnv,
			"", "", "", "", database.ErrNoWindowsCredential},
		{"no credential, no source", sqlCli, "Data Source=db.test.local;Trusted_Connection=yes;", "", nil,
			"", "", "", "", database.ErrNoWindowsCredential},
		{"PostgreSQL", npgsql, "Host=pg;Integrated Security=true;", "", etl, "", "", "", "", database.ErrIntegratedSecurity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := krb5Env(t, "")
			switch tt.krb {
			case "keytab-norealm":
				conf := filepath.Join(dir, "norealm.conf")
				os.WriteFile(conf, []byte("[libdefaults]\n dns_lookup_kdc = false\n"), 0o600)
				t.Setenv(credentials.EnvKrb5Config, conf)
				fallthrough
			case "keytab":
				kt := filepath.Join(dir, "alice.keytab")
				krbtest.WriteKeytab(t, kt, map[string]string{"alice@TEST.LOCAL": "Alice-Key-1"})
				t.Setenv(credentials.EnvKrb5Keytab, "FILE:"+kt)
			case "ccache":
				cc := filepath.Join(dir, "krb5cc")
				if err := os.WriteFile(cc, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				t.Setenv(credentials.EnvKrb5CCache, "FILE:"+cc)
			}
			m := newManager(t, tt.creation, tt.cs, "")
			l, err := m.Login(database.Options{Credentials: tt.creds})
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				if tt.krb == "keytab-norealm" {
					if !strings.Contains(err.Error(), "has no Kerberos realm") || !strings.Contains(err.Error(), "DTSX_DB_DB_USERNAME") {
						t.Errorf("error %q does not say the realm is missing and where to write it", err)
					}
					return
				}
				if errors.Is(err, database.ErrNoWindowsCredential) {
					for _, want := range []string{`"Db"`, "DTSX_DB_DB_USERNAME", "DTSX_DB_DB_PASSWORD", "KRB5_KTNAME", "kinit", "--credentials"} {
						if !strings.Contains(err.Error(), want) {
							t.Errorf("error %q does not name %s", err, want)
						}
					}
				}
				return
			}
			if err != nil || l.Kind != tt.kind || l.User != tt.user || l.SPN != tt.spn || !strings.Contains(l.Source, tt.source) {
				t.Fatalf("Login = %+v, %v; want %s as %q for %q from %q", l, err, tt.kind, tt.user, tt.spn, tt.source)
			}
			if s := fmt.Sprintf("%v %+v %#v %s", l, l, l, l); strings.Contains(s, pass) || strings.Contains(s, "Sql-Secret-1") {
				t.Errorf("formatting a login shows the password: %s", s)
			}
		})
	}
}

// TestServicePrincipalName: MSSQLSvc/<host>:<port>, or :<instance> for a
// named instance without a port, as SQL Server registers them.
func TestServicePrincipalName(t *testing.T) {
	tests := []struct{ name, creation, cs, want string }{
		{"host", oledb, "Data Source=DB01.Corp.Example;Provider=SQLNCLI11;", "MSSQLSvc/db01.corp.example:1433"},
		{"host,port", oledb, "Data Source=db01.corp.example,14330;Provider=SQLNCLI11;", "MSSQLSvc/db01.corp.example:14330"},
		{"host and Port=", odbc, "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db01.corp.example;Port=1500;", "MSSQLSvc/db01.corp.example:1500"},
		{`host\instance`, sqlCli, `Data Source=db01.corp.example\SALES;`, "MSSQLSvc/db01.corp.example:SALES"},
		{`host\instance,port`, sqlCli, `Data Source=db01.corp.example\SALES,50123;`, "MSSQLSvc/db01.corp.example:50123"},
		{"(local)", oledb, "Data Source=(local);Provider=SQLNCLI11;", "MSSQLSvc/localhost:1433"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := database.ServicePrincipalName(database.ParseConfig(tt.creation, tt.cs)); got != tt.want {
				t.Errorf("ServicePrincipalName = %q, want %q", got, tt.want)
			}
		})
	}
}

// loopback allows 127.0.0.1, ::1 and localhost only.
func loopback(host string) error {
	if host == "localhost" || net.ParseIP(host).IsLoopback() {
		return nil
	}
	return errors.New("not a loopback address")
}

// login waits for the LOGIN7 message the fake server read.
func login(t *testing.T, f *database.FakeTDS) []byte {
	t.Helper()
	select {
	case b := <-f.Logins:
		return b
	case <-time.After(10 * time.Second):
		t.Fatal("the fake server saw no connection")
	}
	return nil
}

// ntlmChallenge is an NTLM CHALLENGE message (MS-NLMP 2.2.1.2) of domain
// CORP asking for NTLMv2 (extended session security, target info).
func ntlmChallenge(server [8]byte) []byte {
	name := utf16le("CORP")
	info := append([]byte{2, 0, byte(len(name)), 0}, name...) // MsvAvNbDomainName
	info = append(info, 0, 0, 0, 0)                           // MsvAvEOL
	m := make([]byte, 56, 56+len(name)+len(info))
	copy(m, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(m[8:], 2)
	binary.LittleEndian.PutUint16(m[12:], uint16(len(name)))
	binary.LittleEndian.PutUint16(m[14:], uint16(len(name)))
	binary.LittleEndian.PutUint32(m[16:], 56)
	binary.LittleEndian.PutUint32(m[20:], 0x00000001|0x00000004|0x00000200|0x00010000|0x00080000|0x00800000)
	copy(m[24:], server[:])
	binary.LittleEndian.PutUint16(m[40:], uint16(len(info)))
	binary.LittleEndian.PutUint16(m[42:], uint16(len(info)))
	binary.LittleEndian.PutUint32(m[44:], uint32(56+len(name)))
	return append(append(m, name...), info...)
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// field returns the payload a message's (length, maximum, offset) fields
// at i point to.
func field(m []byte, i int) []byte {
	if i+8 > len(m) {
		return nil
	}
	n, off := int(binary.LittleEndian.Uint16(m[i:])), int(binary.LittleEndian.Uint32(m[i+4:]))
	if off+n > len(m) {
		return nil
	}
	return m[off : off+n]
}

// TestNTLMOnTheWire: Integrated Security=SSPI with an NTLM credential sends
// a LOGIN7 with fIntSecurity set, no user and no password, and the NTLM
// NEGOTIATE message (MS-NLMP 2.2.1.1) with the domain in its SSPI field;
// to the server's CHALLENGE it answers with an AUTHENTICATE message of
// CORP\etl whose NTLMv2 response proves the password (MS-NLMP 3.3.2)
// without holding it. The server is the in-test FakeTDS, which reads bytes
// only: no SQL Server runs here.
func TestNTLMOnTheWire(t *testing.T) {
	krb5Env(t, "")
	const pass = "Ntlm-Secret-9"
	server := [8]byte{1, 2, 3, 4, 5, 6, 7, 8}
	f := database.StartFakeTDS(t)
	f.Challenge = ntlmChallenge(server)
	_, port, _ := net.SplitHostPort(f.Addr)
	m := newManager(t, oledb, "Data Source=127.0.0.1,"+port+";Provider=SQLNCLI11;Integrated Security=SSPI;Connect Timeout=5;", "")
	opts := database.Options{Allow: loopback, Credentials: credentials.Static{"Db": {UserName: `CORP\etl`, Password: pass}}}
	_, err := m.Open(context.Background(), opts)
	if !errors.Is(err, database.ErrConnect) || strings.Contains(err.Error(), pass) {
		t.Errorf("err = %v, want ErrConnect (the fake server hangs up) without the password", err)
	}
	l, ok := database.ParseLogin7(login(t, f))
	if !ok {
		t.Fatal("no LOGIN7 message")
	}
	if !l.IntegratedSecurity || l.UserLen != 0 || l.PassLen != 0 {
		t.Errorf("LOGIN7: integrated %v, user %d and password %d characters; want integrated, neither", l.IntegratedSecurity, l.UserLen, l.PassLen)
	}
	s := l.SSPI
	if len(s) < 40 || !bytes.HasPrefix(s, []byte("NTLMSSP\x00")) || binary.LittleEndian.Uint32(s[8:]) != 1 {
		t.Fatalf("SSPI = % x, want an NTLM NEGOTIATE message", s)
	}
	if d := field(s, 16); string(d) != "CORP" {
		t.Errorf("NEGOTIATE domain = %q, want CORP", d)
	}

	var a []byte
	select {
	case a = <-f.SSPI:
	case <-time.After(10 * time.Second):
		t.Fatal("no SSPI message after the CHALLENGE")
	}
	if len(a) < 64 || !bytes.HasPrefix(a, []byte("NTLMSSP\x00")) || binary.LittleEndian.Uint32(a[8:]) != 3 {
		t.Fatalf("SSPI message = % x, want an NTLM AUTHENTICATE message", a[:min(len(a), 16)])
	}
	if d, u := field(a, 28), field(a, 36); !bytes.Equal(d, utf16le("CORP")) || !bytes.Equal(u, utf16le("etl")) {
		t.Errorf("AUTHENTICATE of domain %q, user %q; want CORP and etl in UTF-16", d, u)
	}
	nt := field(a, 20)
	if len(nt) <= 16 {
		t.Fatalf("NT response of %d octets, want an NTLMv2 response", len(nt))
	}
	h := md4.New()
	h.Write(utf16le(pass))
	mac := hmac.New(md5.New, h.Sum(nil))
	mac.Write(utf16le(strings.ToUpper("etl") + "CORP"))
	mac = hmac.New(md5.New, mac.Sum(nil)) // NTOWFv2
	mac.Write(append(server[:], nt[16:]...))
	if !bytes.Equal(mac.Sum(nil), nt[:16]) {
		t.Error("the NTLMv2 response does not prove the password of CORP\\etl")
	}
	if bytes.Contains(a, []byte(pass)) || bytes.Contains(a, utf16le(pass)) || bytes.Contains(s, []byte(pass)) {
		t.Error("an NTLM message holds the password")
	}
}

// realKDC points Kerberos at the real servers' KDC with a keytab of alice
// written from password; it fails when they run without Kerberos.
func realKDC(t *testing.T, password string) krbtest.KDC {
	t.Helper()
	env := realsmtp.Env(t)
	kdc := krbtest.Real(t, env)
	dir := krb5Env(t, env["SMTP_INFRA_KRB5_CONFIG"])
	kt := filepath.Join(dir, "alice.keytab")
	if password == "" {
		password = env["SMTP_INFRA_PASS"]
	}
	krbtest.WriteKeytab(t, kt, map[string]string{env["SMTP_INFRA_USER"] + "@" + kdc.Realm: password})
	t.Setenv(credentials.EnvKrb5ClientKeytab, "FILE:"+kt)
	return kdc
}

// TestRealKerberosMSSQLSvc: a Windows login logs in to the real MIT KDC
// (an AS exchange with alice's keytab) and asks it for a ticket to
// MSSQLSvc/localhost:<port>. That KDC has no such principal (it has
// smtp/<host> only), so the honest outcome is its refusal,
// KDC_ERR_S_PRINCIPAL_UNKNOWN, which comes only after the AS exchange
// succeeded; a wrong key is refused at the AS exchange itself. The
// principal asked for is the one built, not a canonicalised name
// (go-mssqldb's own provider would ask for MSSQLSvc/localhos:<port>). Either way
// no LOGIN7 reaches the server, and a fence that refuses the KDC stops
// the login before the KDC is asked. A ticket cache that kinit made from
// the keytab serves as well. Run with DTSX_REAL_SMTP=1 after
// the SMTP servers' start.sh with SMTP_INFRA_KERBEROS=1.
func TestRealKerberosMSSQLSvc(t *testing.T) {
	tests := []struct {
		name, password string
		ccache         bool // log in from a ticket cache kinit made from the keytab
		allow          func(string) error
		want           string
		err            error
	}{
		{"service principal unknown", "", false, loopback, "does not know the service principal MSSQLSvc/localhost:", database.ErrKerberos},
		{"from a ticket cache", "", true, loopback, "does not know the service principal MSSQLSvc/localhost:", database.ErrKerberos},
		{"wrong key", "Not-Alices-Password-7", false, loopback, "refused the key of alice@", database.ErrKerberos},
		{"KDC fenced", "", false, func(h string) error {
			if h == "localhost" {
				return nil
			}
			return errors.New("only localhost")
		}, "the KDC 127.0.0.1", database.ErrRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kdc := realKDC(t, tt.password)
			user := "alice@" + kdc.Realm
			if tt.ccache {
				cc := filepath.Join(t.TempDir(), "cc")
				kinit := exec.Command("kinit", "-k", "-t", strings.TrimPrefix(os.Getenv(credentials.EnvKrb5ClientKeytab), "FILE:"), user)
				kinit.Env = append(os.Environ(), credentials.EnvKrb5CCache+"=FILE:"+cc)
				if out, err := kinit.CombinedOutput(); err != nil {
					t.Fatalf("kinit: %v: %s", err, out)
				}
				t.Setenv(credentials.EnvKrb5ClientKeytab, "")
				t.Setenv(credentials.EnvKrb5CCache, "FILE:"+cc)
				user = "" // the cache's principal
			}
			f := database.StartFakeTDS(t)
			_, port, _ := net.SplitHostPort(f.Addr)
			m := newManager(t, oledb, "Data Source=localhost,"+port+";Provider=MSOLEDBSQL;Integrated Security=SSPI;Encrypt=Optional;Connect Timeout=10;", "")
			opts := database.Options{Allow: tt.allow, Credentials: noEnv}
			l, err := m.Login(opts)
			if err != nil || l.Kind != database.LoginKerberos || l.User != user || l.SPN != "MSSQLSvc/localhost:"+port {
				t.Fatalf("Login = %v, %v; want Kerberos as %q for MSSQLSvc/localhost:%s", l, err, user, port)
			}
			_, err = m.Open(context.Background(), opts)
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.want) || (tt.err == database.ErrKerberos && !errors.Is(err, database.ErrConnect)) {
				t.Fatalf("err = %v, want %v saying %s", err, tt.err, tt.want)
			}
			if testing.Verbose() {
				t.Log(err)
			}
			if tt.err == database.ErrRefused {
				return // nothing was dialled
			}
			if b := login(t, f); b != nil {
				t.Errorf("a LOGIN7 of %d octets reached the server without a service ticket", len(b))
			}
		})
	}
}

// TestLoginFromEnvironment: without credential sources in Options, a
// Windows login reads the DTSX_DB_ variables of the manager, then their
// defaults; SMTP's DTSX_SMTP_ ones are never a database login.
func TestLoginFromEnvironment(t *testing.T) {
	krb5Env(t, "")
	t.Setenv("DTSX_SMTP_USERNAME", `MAIL\mailer`)
	t.Setenv("DTSX_SMTP_PASSWORD", "Mail-Secret-3")
	m := newManager(t, oledb, "Data Source=db.test.local;Provider=SQLNCLI11;Integrated Security=SSPI;", "")
	if _, err := m.Login(database.Options{}); !errors.Is(err, database.ErrNoWindowsCredential) {
		t.Fatalf("with only DTSX_SMTP_ variables: err = %v, want ErrNoWindowsCredential", err)
	}
	t.Setenv("DTSX_DB_DB_USERNAME", "etl")
	t.Setenv("DTSX_DB_DB_DOMAIN", "CORP")
	t.Setenv("DTSX_DB_DB_PASSWORD", "Db-Secret-4")
	l, err := m.Login(database.Options{})
	if err != nil || l.Kind != database.LoginNTLM || l.User != `CORP\etl` || l.Source != "environment DTSX_DB_DB_*" {
		t.Errorf("Login = %v, %v; want NTLM as CORP\\etl from DTSX_DB_DB_*", l, err)
	}
}
