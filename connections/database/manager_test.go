package database_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
)

// def builds a format-8 connection manager definition; extra is added to
// the inner DTS:ConnectionManager's attributes.
func def(t *testing.T, creation, cs, extra string) *dtsx.ConnectionManager {
	t.Helper()
	x := fmt.Sprintf(`<?xml version="1.0"?>
<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:ObjectName="Db" DTS:DTSID="{EDAB9F40-E2C8-49D0-ACCC-2E2D942F9F4C}" DTS:CreationName="%s">
  <DTS:ObjectData>
    <DTS:ConnectionManager DTS:ConnectionString="%s" %s/>
  </DTS:ObjectData>
</DTS:ConnectionManager>`, html.EscapeString(creation), html.EscapeString(cs), extra)
	d, _, err := dtsx.LoadConnectionManager("Db.conmgr", []byte(x))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newManager(t *testing.T, creation, cs, extra string) *database.Manager {
	t.Helper()
	m, err := database.New(def(t, creation, cs, extra))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestValidate(t *testing.T) {
	m := newManager(t, oledb, "Data Source=h;Provider=SQLNCLI11.1;Frob=1;Connect Timeout=x;", "")
	ds := m.Validate()
	var codes []string
	for _, d := range ds {
		codes = append(codes, fmt.Sprintf("%s:%s", d.Severity, d.Code))
		if !strings.Contains(d.Message, `"Db"`) || d.File != "Db.conmgr" {
			t.Errorf("diagnostic %+v does not name the manager and file", d)
		}
	}
	got := strings.Join(codes, ",")
	if !strings.Contains(got, "error:"+database.CodeBadValue) || !strings.Contains(got, "warning:"+database.CodeUnknownKey) {
		t.Errorf("codes = %s", got)
	}
	if ok := newManager(t, sqlCli, "Data Source=h;User ID=u;Password=p;", "").Validate(); len(ok) != 0 {
		t.Errorf("a good string: %v", ok)
	}
}

func TestValidateExpressionDowngrades(t *testing.T) {
	x := `<?xml version="1.0"?>
<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:ObjectName="Db" DTS:CreationName="ADO.NET:Npgsql.NpgsqlConnection, Npgsql">
  <DTS:PropertyExpression DTS:Name="ServerName">@[User::Host]</DTS:PropertyExpression>
  <DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Database=d;" /></DTS:ObjectData>
</DTS:ConnectionManager>`
	d, _, err := dtsx.LoadConnectionManager("Db.conmgr", []byte(x))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := database.New(d)
	ds := m.Validate()
	if len(ds) != 1 || ds[0].Severity != dtsx.SeverityWarning || ds[0].Code != database.CodeNoServer {
		t.Errorf("Validate = %v, want one no-server warning", ds)
	}
}

func TestRetainProperty(t *testing.T) {
	tests := []struct {
		extra string
		want  bool
		bad   bool
	}{
		{``, false, false},
		{`DTS:Retain="True"`, true, false},
		{`DTS:Retain="False"`, false, false},
		{`DTS:Retain="sometimes"`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.extra, func(t *testing.T) {
			m := newManager(t, sqliteN, "Data Source=:memory:;", tt.extra)
			if m.RetainSameConnection() != tt.want {
				t.Errorf("RetainSameConnection = %v", m.RetainSameConnection())
			}
			if bad := len(m.Validate()) > 0; bad != tt.bad {
				t.Errorf("Validate = %v", m.Validate())
			}
		})
	}
}

func TestSetProperty(t *testing.T) {
	tests := []struct {
		name, creation, cs, prop, value string
		check                           func(c *database.Config) bool
	}{
		{"server replaces data source", oledb, "Data Source=old;Provider=SQLNCLI11;", "ServerName", `new\I`,
			func(c *database.Config) bool { return c.Host == "new" && c.Instance == "I" }},
		{"server adds host", npgsql, "Database=d;", "ServerName", "pg",
			func(c *database.Config) bool { return c.Host == "pg" && len(c.Errors) == 0 }},
		{"server replaces odbc server", odbc, "Driver={ODBC Driver 17 for SQL Server};Server=a;", "servername", "b",
			func(c *database.Config) bool { return c.Host == "b" }},
		{"catalog", sqlCli, "Data Source=h;Database=a;", "InitialCatalog", "b",
			func(c *database.Config) bool { return c.Database == "b" }},
		{"user", npgsql, "Host=h;User Id=a;", "UserName", "b",
			func(c *database.Config) bool { return c.User == "b" }},
		{"password with ;", sqlCli, "Data Source=h;", "Password", `a;b"c`,
			func(c *database.Config) bool { return c.HasPassword() && !strings.Contains(c.String(), "a;b") }},
		{"sqlite file", sqliteN, "Data Source=a.db;", "ServerName", "/tmp/b.db",
			func(c *database.Config) bool { return c.Path == "/tmp/b.db" }},
		{"connection string", sqlCli, "Data Source=h;", "ConnectionString", "Data Source=x;Initial Catalog=y;",
			func(c *database.Config) bool { return c.Host == "x" && c.Database == "y" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, tt.creation, tt.cs, "")
			before := m.Config()
			if err := m.SetProperty(tt.prop, tt.value); err != nil {
				t.Fatal(err)
			}
			if !tt.check(m.Config()) {
				t.Errorf("after SetProperty(%s): %+v", tt.prop, *m.Config())
			}
			if before == m.Config() {
				t.Error("the settings were changed in place, not replaced")
			}
		})
	}
}

func TestSetPropertyErrors(t *testing.T) {
	m := newManager(t, sqlCli, "Data Source=h;", "")
	before := m.Config()
	for _, tc := range []struct{ prop, value string }{
		{"Frobnicate", "x"},
		{"RetainSameConnection", "perhaps"},
		{"ConnectionString", `Data Source="h;Password=s3cr3t`},
	} {
		err := m.SetProperty(tc.prop, tc.value)
		if err == nil {
			t.Errorf("SetProperty(%s) succeeded", tc.prop)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error shows the password: %v", err)
		}
	}
	if m.Config() != before {
		t.Error("a failed SetProperty changed the settings")
	}
	if err := m.SetProperty("RetainSameConnection", "True"); err != nil || !m.RetainSameConnection() {
		t.Errorf("RetainSameConnection: %v", err)
	}
	if err := m.SetProperty("Description", "x"); err != nil {
		t.Error(err)
	}
}

func TestAcquireRefusedBeforeLookup(t *testing.T) {
	tests := []struct{ name, creation, cs string }{
		{"sql server", sqlCli, "Data Source=db.example.invalid;User ID=u;Password=p;"},
		{"sql server instance", oledb, `Data Source=db.example.invalid\INST;Provider=SQLNCLI11;User ID=u;Password=p;`},
		{"postgres", npgsql, "Host=db.example.invalid;Username=u;Password=p;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, tt.creation, tt.cs, "")
			var asked []string
			var dialed atomic.Int32
			opts := database.Options{
				Allow: func(host string) error { asked = append(asked, host); return errors.New("not in the allow-list") },
				Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
					dialed.Add(1)
					return nil, errors.New("dialed")
				},
			}
			_, err := m.Acquire(context.Background(), opts)
			if !errors.Is(err, database.ErrRefused) {
				t.Fatalf("err = %v, want ErrRefused", err)
			}
			if !strings.Contains(err.Error(), "db.example.invalid") {
				t.Errorf("error %q does not name the host as written", err)
			}
			if len(asked) == 0 || asked[0] != "db.example.invalid" || dialed.Load() != 0 {
				t.Errorf("asked %v, dialed %d", asked, dialed.Load())
			}
		})
	}
}

// TestAcquireDialsThroughOptions checks that both network drivers dial
// through Options.Dial with the allowed host, and that a server that
// hangs up gives an error naming the manager and server.
func TestAcquireDialsThroughOptions(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	tests := []struct{ name, creation, cs string }{
		{"sql server", sqlCli, fmt.Sprintf("Data Source=127.0.0.1,%d;User ID=u;Password=Pa55;Connect Timeout=2;", port)},
		{"postgres", npgsql, fmt.Sprintf("Host=127.0.0.1;Port=%d;Username=u;Password=Pa55;SSL Mode=Disable;Timeout=2;", port)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, tt.creation, tt.cs, "")
			var dialed atomic.Value
			opts := database.Options{
				Allow: func(host string) error {
					if host != "127.0.0.1" {
						return fmt.Errorf("%s refused", host)
					}
					return nil
				},
				Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
					dialed.Store(addr)
					var d net.Dialer
					return d.DialContext(ctx, network, addr)
				},
			}
			_, err := m.Acquire(context.Background(), opts)
			if !errors.Is(err, database.ErrConnect) {
				t.Fatalf("err = %v, want ErrConnect", err)
			}
			if got, _ := dialed.Load().(string); got != fmt.Sprintf("127.0.0.1:%d", port) {
				t.Errorf("dialed %q", got)
			}
			if msg := err.Error(); !strings.Contains(msg, `"Db"`) || !strings.Contains(msg, "127.0.0.1") || strings.Contains(msg, "Pa55") {
				t.Errorf("error %q: want the manager and server, never the password", msg)
			}
		})
	}
}

// TestAcquireWindowsLoginBeforeDial: a Windows login without a credential
// fails before anything is dialled, on SQL Server (winauth_test.go has the
// logins) and on PostgreSQL, which has none here.
func TestAcquireWindowsLoginBeforeDial(t *testing.T) {
	krb5Env(t, "")
	tests := []struct {
		name, creation, cs string
		err                error
	}{
		{"SQL Server", oledb, "Data Source=h;Provider=SQLNCLI11.1;Integrated Security=SSPI;", database.ErrNoWindowsCredential},
		{"PostgreSQL", npgsql, "Host=h;Integrated Security=true;", database.ErrIntegratedSecurity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, tt.creation, tt.cs, "")
			dialed := false
			_, err := m.Acquire(context.Background(), database.Options{Credentials: noEnv, Dial: func(context.Context, string, string) (net.Conn, error) {
				dialed = true
				return nil, errors.New("dialed")
			}})
			if !errors.Is(err, tt.err) || dialed {
				t.Errorf("err = %v (dialed %v), want %v before any dial", err, dialed, tt.err)
			}
		})
	}
}

func TestAcquireConfigErrors(t *testing.T) {
	m := newManager(t, oledb, "Data Source=ORA;Provider=MSDAORA.1;", "")
	if _, err := m.Acquire(context.Background(), database.Options{}); !errors.Is(err, database.ErrConfig) {
		t.Errorf("err = %v, want ErrConfig", err)
	}
	m = newManager(t, sqliteN, "Data Source="+filepath.Join(t.TempDir(), "missing.db")+";FailIfMissing=True;", "")
	if _, err := m.Acquire(context.Background(), database.Options{}); !errors.Is(err, database.ErrConnect) {
		t.Errorf("FailIfMissing: err = %v, want ErrConnect", err)
	}
}

// TestPasswordFromSensitiveProperty checks that the password SSIS keeps
// apart, in the sensitive DTS:Password of the ObjectData, reaches the
// connection: the loader puts it back into the connection string.
func TestPasswordFromSensitiveProperty(t *testing.T) {
	x := `<?xml version="1.0"?>
<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:ObjectName="Db" DTS:CreationName="ADO.NET:Npgsql.NpgsqlConnection, Npgsql">
  <DTS:ObjectData>
    <DTS:ConnectionManager DTS:ConnectionString="Host=127.0.0.1;Username=u;">
      <DTS:Password DTS:Name="Password" Sensitive="1">Kept-apart1</DTS:Password>
    </DTS:ConnectionManager>
  </DTS:ObjectData>
</DTS:ConnectionManager>`
	d, _, err := dtsx.LoadConnectionManager("Db.conmgr", []byte(x))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := database.New(d)
	c := m.Config()
	if !c.HasPassword() {
		t.Fatalf("no password in %s", c)
	}
	if strings.Contains(c.String(), "Kept-apart1") || strings.Contains(m.String(), "Kept-apart1") {
		t.Errorf("String shows the password: %s", c)
	}
}

func TestProperties(t *testing.T) {
	m := newManager(t, sqlCli, "Data Source=h;", "")
	p, ok := dtsx.FindProperty(m.Properties(), "Retain")
	if !ok || p.Name != "RetainSameConnection" || !p.Boolean || p.Key {
		t.Fatalf("Properties = %+v", m.Properties())
	}
	if p.Check("True") != nil || p.Check("-1") != nil || p.Check("perhaps") == nil {
		t.Error("Check accepts the wrong values")
	}
}
