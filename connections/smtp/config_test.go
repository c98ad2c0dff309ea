package smtp

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/connstr"
)

// codes returns the problem codes of err, in order.
func codes(err error) []string {
	var ce *ConfigError
	if !errors.As(err, &ce) {
		return nil
	}
	var cs []string
	for _, p := range ce.Problems {
		cs = append(cs, p.Code)
	}
	return cs
}

func warningCodes(c *Config) []string {
	var cs []string
	for _, w := range c.Warnings {
		cs = append(cs, w.Code)
	}
	return cs
}

// withoutWarnings returns a copy of c for comparisons of settings.
func withoutWarnings(c *Config) Config {
	v := *c
	v.Warnings = nil
	return v
}

func TestParseConfigRealPackages(t *testing.T) {
	tests := []struct {
		in   string
		want Config
	}{
		{"SmtpServer=mail.bellsouth.net;UseWindowsAuthentication=True;EnableSsl=False;",
			Config{Server: "mail.bellsouth.net", UseWindowsAuthentication: true}},
		{"SmtpServer=10.31.60.164;UseWindowsAuthentication=False;EnableSsl=False;",
			Config{Server: "10.31.60.164"}},
		{"SmtpServer=mail.yahoo.com;UseWindowsAuthentication=True;EnableSsl=True;Timeout=22;",
			Config{Server: "mail.yahoo.com", UseWindowsAuthentication: true, EnableSsl: true, Timeout: 22 * time.Second}},
		{"SmtpServer=localhost;UseWindowsAuthentication=True;EnableSsl=False;",
			Config{Server: "localhost", UseWindowsAuthentication: true}},
		{"SmtpServer=smtprelay.harsco.com;UseWindowsAuthentication=False;EnableSsl=False;",
			Config{Server: "smtprelay.harsco.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := ParseConfig(tt.in)
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if !reflect.DeepEqual(*c, tt.want) {
				t.Errorf("got %+v\nwant %+v", *c, tt.want)
			}
			// SSIS's own strings come back byte for byte.
			if got := c.ConnectionString(); got != tt.in {
				t.Errorf("ConnectionString() = %q, want %q", got, tt.in)
			}
			if got := c.String(); got != tt.in {
				t.Errorf("String() = %q, want %q", got, tt.in)
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     Config // compared without Warnings
		warnings []string
	}{
		{"minimal", "SmtpServer=x", Config{Server: "x"}, nil},
		{"keys are case-insensitive", "smtpserver=x;ENABLESSL=true;usewindowsauthentication=TRUE;timeout=5",
			Config{Server: "x", EnableSsl: true, UseWindowsAuthentication: true, Timeout: 5 * time.Second}, nil},
		{"boolean 1", "SmtpServer=x;EnableSsl=1", Config{Server: "x", EnableSsl: true}, nil},
		{"boolean -1", "SmtpServer=x;EnableSsl=-1", Config{Server: "x", EnableSsl: true}, nil},
		{"boolean yes", "SmtpServer=x;EnableSsl=YES", Config{Server: "x", EnableSsl: true}, nil},
		{"boolean no", "SmtpServer=x;EnableSsl=No", Config{Server: "x"}, nil},
		{"boolean 0", "SmtpServer=x;EnableSsl=0", Config{Server: "x"}, nil},
		{"boolean false", "SmtpServer=x;EnableSsl=false", Config{Server: "x"}, nil},
		{"timeout empty is unset", "SmtpServer=x;Timeout=;", Config{Server: "x"}, nil},
		{"timeout 0 is unset", "SmtpServer=x;Timeout=0", Config{Server: "x"}, nil},
		{"timeout max", "SmtpServer=x;Timeout=86400", Config{Server: "x", Timeout: 86400 * time.Second}, []string{CodeTimeoutUnits}},
		{"timeout that looks like ms", "SmtpServer=x;EnableSsl=False;Timeout=2000;", Config{Server: "x", Timeout: 2000 * time.Second}, []string{CodeTimeoutUnits}},
		{"host:port", "SmtpServer=mail.example.com:587", Config{Server: "mail.example.com", Port: 587, PortInServer: true}, []string{CodePortInServer}},
		{"[ipv6]", "SmtpServer=[2001:db8::1]", Config{Server: "2001:db8::1"}, nil},
		{"[ipv6]:port", "SmtpServer=[2001:db8::1]:2525", Config{Server: "2001:db8::1", Port: 2525, PortInServer: true}, []string{CodePortInServer}},
		{"bare ipv6", "SmtpServer=::1", Config{Server: "::1"}, nil},
		{"bare ipv6 with zone", "SmtpServer=fe80::1%eth0", Config{Server: "fe80::1%eth0"}, nil},
		{"Port key", "SmtpServer=x;Port=587", Config{Server: "x", Port: 587}, nil},
		{"same port twice", "SmtpServer=x:587;Port=587", Config{Server: "x", Port: 587, PortInServer: true}, []string{CodePortInServer}},
		{"same port twice, Port first", "Port=587;SmtpServer=x:587", Config{Server: "x", Port: 587, PortInServer: true}, []string{CodePortInServer}},
		{"empty Port", "SmtpServer=x:587;Port=", Config{Server: "x", Port: 587, PortInServer: true}, []string{CodePortInServer}},
		{"quoted server with spaces", `SmtpServer=" x ";`, Config{Server: "x"}, []string{CodeServerWhitespace}},
		{"two warnings", `SmtpServer=" x:26";`, Config{Server: "x", Port: 26, PortInServer: true}, []string{CodeServerWhitespace, CodePortInServer}},
		{"every extension", "SmtpServer=x;UseWindowsAuthentication=False;EnableSsl=False;Timeout=30;Port=465;TlsMode=implicit;" +
			"AuthMechanism=xoauth2;UserName=ann@example.com;Domain=CORP;Password=p;TrustServerCertificate=True;" +
			"AllowInsecureAuth=yes;RetainSameConnection=1;ServicePrincipalName=SMTP/x;Keytab=/etc/krb5.keytab;" +
			"CAFile=/etc/ca.pem;Retry=3;RetryDelay=10",
			Config{Server: "x", Timeout: 30 * time.Second, Port: 465, TLSMode: TLSImplicit, AuthMechanism: AuthXOAUTH2,
				UserName: "ann@example.com", Domain: "CORP", Password: "p", TrustServerCertificate: true,
				AllowInsecureAuth: true, RetainSameConnection: true, ServicePrincipalName: "SMTP/x",
				Keytab: "/etc/krb5.keytab", CAFile: "/etc/ca.pem", Retry: 3, RetryDelay: 10 * time.Second}, nil},
		{"EnableSsl=True with Implicit", "SmtpServer=x;EnableSsl=True;TlsMode=Implicit", Config{Server: "x", EnableSsl: true, TLSMode: TLSImplicit}, nil},
		{"EnableSsl=False with StartTls", "SmtpServer=x;EnableSsl=False;TlsMode=StartTls", Config{Server: "x", TLSMode: TLSStartTLS}, nil},
		{"Windows auth with NTLM", "SmtpServer=x;UseWindowsAuthentication=True;AuthMechanism=ntlm", Config{Server: "x", UseWindowsAuthentication: true, AuthMechanism: AuthNTLM}, nil},
		{"Windows auth with GSSAPI", "SmtpServer=x;UseWindowsAuthentication=True;AuthMechanism=GSSAPI", Config{Server: "x", UseWindowsAuthentication: true, AuthMechanism: AuthGSSAPI}, nil},
		{"password with semicolon", `SmtpServer=x;UserName=u;Password="a;b""c";AuthMechanism=Login`, Config{Server: "x", UserName: "u", Password: `a;b"c`, AuthMechanism: AuthLogin}, nil},
		{"empty TlsMode is derived", "SmtpServer=x;TlsMode=", Config{Server: "x"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(tt.in)
			if err != nil {
				t.Fatalf("ParseConfig(%q): %v", tt.in, err)
			}
			if got := withoutWarnings(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseConfig(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
			if got := warningCodes(c); !slices.Equal(got, tt.warnings) {
				t.Errorf("warnings %q, want %q (%v)", got, tt.warnings, c.Warnings)
			}
			// The canonical form reads back to the same settings.
			back, err := ParseConfig(c.ConnectionString())
			if err != nil {
				t.Fatalf("ParseConfig(%q): %v", c.ConnectionString(), err)
			}
			if !reflect.DeepEqual(withoutWarnings(back), withoutWarnings(c)) {
				t.Errorf("round trip through %q: got %+v", c.ConnectionString(), withoutWarnings(back))
			}
		})
	}
}

func TestParseConfigProblems(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		codes []string
		key   string // Key of the first problem
		hint  string // substring of the first problem's Hint
	}{
		{"empty string", "", []string{CodeEmptyServer}, KeySmtpServer, "set SmtpServer=host"},
		{"no server key", "UseWindowsAuthentication=False;EnableSsl=False;", []string{CodeEmptyServer}, KeySmtpServer, "set SmtpServer=host"},
		{"empty server", "SmtpServer=;UseWindowsAuthentication=False;EnableSsl=False;", []string{CodeEmptyServer}, KeySmtpServer, "set SmtpServer=host"},
		{"blank quoted server", `SmtpServer="  ";`, []string{CodeEmptyServer}, KeySmtpServer, "set SmtpServer=host"},
		{"empty brackets", "SmtpServer=[]:25", []string{CodeEmptyServer}, KeySmtpServer, "set SmtpServer=host"},
		{"syntax", `SmtpServer="mail;EnableSsl=False;`, []string{CodeSyntax}, "", "quote"},
		{"no equals", `SmtpServer=x;EnableSsl;`, []string{CodeSyntax}, "", ""},
		{"misspelt key", "SmtpServer=x;EnabelSsl=True;", []string{CodeUnknownKey}, "EnabelSsl", "did you mean EnableSsl?"},
		{"misspelt key, other case", "SmtpServer=x;enablesl=True;", []string{CodeUnknownKey}, "enablesl", "did you mean EnableSsl?"},
		{"synonym", "Server=x;", []string{CodeUnknownKey, CodeEmptyServer}, "Server", "did you mean SmtpServer?"},
		{"synonym for password", "SmtpServer=x;Pwd=secret", []string{CodeUnknownKey}, "Pwd", "did you mean Password?"},
		{"far key", "SmtpServer=x;Provider=SQLNCLI11;", []string{CodeUnknownKey}, "Provider", "SSIS knows SmtpServer, UseWindowsAuthentication, EnableSsl, Timeout"},
		{"duplicate", "SmtpServer=x;EnableSsl=False;enablessl=True", []string{CodeDuplicate}, KeyEnableSsl, "keep one"},
		{"bad boolean", "SmtpServer=x;EnableSsl=Ture;", []string{CodeBadBoolean}, KeyEnableSsl, "use True or False"},
		{"empty boolean", "SmtpServer=x;UseWindowsAuthentication=;", []string{CodeBadBoolean}, KeyUseWindowsAuthentication, "use True or False"},
		{"bad extension boolean", "SmtpServer=x;TrustServerCertificate=maybe", []string{CodeBadBoolean}, KeyTrustServerCertificate, "use True or False"},
		{"timeout not a number", "SmtpServer=x;Timeout=abc", []string{CodeBadTimeout}, KeyTimeout, "seconds"},
		{"timeout fraction", "SmtpServer=x;Timeout=1.5", []string{CodeBadTimeout}, KeyTimeout, "seconds"},
		{"timeout negative", "SmtpServer=x;Timeout=-1", []string{CodeBadTimeout}, KeyTimeout, "seconds"},
		{"timeout absurd", "SmtpServer=x;Timeout=86401", []string{CodeBadTimeout}, KeyTimeout, "seconds"},
		{"timeout huge", "SmtpServer=x;Timeout=99999999999999999999", []string{CodeBadTimeout}, KeyTimeout, "seconds"},
		{"port zero", "SmtpServer=x;Port=0", []string{CodeBadPort}, KeyPort, "65535"},
		{"port too big", "SmtpServer=x;Port=65536", []string{CodeBadPort}, KeyPort, "65535"},
		{"port not a number", "SmtpServer=x;Port=smtp", []string{CodeBadPort}, KeyPort, "65535"},
		{"port signed", "SmtpServer=x;Port=+25", []string{CodeBadPort}, KeyPort, "65535"},
		{"bad port in server", "SmtpServer=x:99999", []string{CodeBadPort}, KeySmtpServer, "Port="},
		{"empty port in server", "SmtpServer=x:", []string{CodeBadPort}, KeySmtpServer, "Port="},
		{"bad TlsMode", "SmtpServer=x;TlsMode=Ssl", []string{CodeBadValue}, KeyTLSMode, "StartTls, Implicit, Opportunistic or None"},
		{"bad AuthMechanism", "SmtpServer=x;AuthMechanism=CRAM-MD5", []string{CodeBadValue}, KeyAuthMechanism, "Anonymous, NTLM, GSSAPI, Plain, Login, XOAUTH2"},
		{"bad Retry", "SmtpServer=x;Retry=-2", []string{CodeBadValue}, KeyRetry, "0 to 100"},
		{"bad RetryDelay", "SmtpServer=x;RetryDelay=5s", []string{CodeBadValue}, KeyRetryDelay, "seconds"},
		{"URL server", "SmtpServer=smtp://mail.example.com:25", []string{CodeBadValue}, KeySmtpServer, "host only"},
		{"space in server", `SmtpServer="mail example.com"`, []string{CodeBadValue}, KeySmtpServer, ""},
		{"unclosed bracket", "SmtpServer=[::1", []string{CodeBadValue}, KeySmtpServer, "[address]:port"},
		{"text after bracket", "SmtpServer=[::1]x", []string{CodeBadValue}, KeySmtpServer, "[address]:port"},
		{"bad ipv6 in brackets", "SmtpServer=[a:b]", []string{CodeBadValue}, KeySmtpServer, "[address]:port"},
		{"colons, not ipv6", "SmtpServer=a:b:c", []string{CodeBadValue}, KeySmtpServer, "[address]:port"},
		{"EnableSsl with TlsMode=None", "SmtpServer=x;EnableSsl=True;TlsMode=None", []string{CodeConflict}, KeyTLSMode, "EnableSsl=False"},
		{"EnableSsl with Opportunistic", "SmtpServer=x;EnableSsl=True;TlsMode=Opportunistic", []string{CodeConflict}, KeyTLSMode, "EnableSsl=False"},
		{"Windows auth with Plain", "SmtpServer=x;UseWindowsAuthentication=True;AuthMechanism=Plain", []string{CodeConflict}, KeyAuthMechanism, "UseWindowsAuthentication=False"},
		{"Anonymous with a user", "SmtpServer=x;AuthMechanism=Anonymous;UserName=u", []string{CodeConflict}, KeyAuthMechanism, "remove the credentials"},
		{"two ports", "SmtpServer=x:25;Port=587", []string{CodeConflict}, KeyPort, "Port= key"},
		{"duplicate does not hide a conflict", "SmtpServer=x;UseWindowsAuthentication=True;AuthMechanism=Plain;AuthMechanism=Plain",
			[]string{CodeDuplicate, CodeConflict}, KeyAuthMechanism, "keep one"},
		{"two ports, Port first", "Port=587;SmtpServer=x:25", []string{CodeConflict}, KeySmtpServer, "Port= key"},
		{"every problem at once", "SmtpServr=x;EnableSsl=Ture;Timeout=soon;Port=0;TlsMode=Tls;UseWindowsAuthentication=True;AuthMechanism=Login;EnableSsl=False",
			[]string{CodeUnknownKey, CodeBadBoolean, CodeBadTimeout, CodeBadPort, CodeBadValue, CodeDuplicate, CodeEmptyServer, CodeConflict},
			"SmtpServr", "did you mean SmtpServer?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(tt.in)
			if c == nil {
				t.Fatalf("ParseConfig(%q) returned a nil Config", tt.in)
			}
			if got := codes(err); !slices.Equal(got, tt.codes) {
				t.Fatalf("ParseConfig(%q): codes %q, want %q (%v)", tt.in, got, tt.codes, err)
			}
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("errors.Is(%v, ErrInvalidConfig) = false", err)
			}
			ce := err.(*ConfigError)
			first := ce.Problems[0]
			if first.Key != tt.key {
				t.Errorf("first problem's Key = %q, want %q", first.Key, tt.key)
			}
			if !strings.Contains(first.Hint, tt.hint) {
				t.Errorf("first problem's Hint = %q, want it to contain %q", first.Hint, tt.hint)
			}
			if !ce.Has(tt.codes[0]) || ce.Has("no-such-code") {
				t.Errorf("Has is wrong")
			}
			if !strings.HasPrefix(err.Error(), "smtp: ") {
				t.Errorf("Error() = %q, want the smtp: prefix", err)
			}
		})
	}
}

func TestPortInServerWarning(t *testing.T) {
	c, err := ParseConfig("SmtpServer=smtp.office365.com:587;UseWindowsAuthentication=False;EnableSsl=True;")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 {
		t.Fatalf("warnings: %v", c.Warnings)
	}
	w := c.Warnings[0]
	if w.Code != CodePortInServer || w.Key != KeySmtpServer ||
		w.Hint != "SSIS's SMTP connection manager has no port; this is a dtsx extension — prefer the Port= key" {
		t.Errorf("warning: %+v", w)
	}
	if got, want := c.Address(), "smtp.office365.com:587"; got != want {
		t.Errorf("Address() = %q, want %q", got, want)
	}
	if got, want := c.String(), "SmtpServer=smtp.office365.com:587;UseWindowsAuthentication=False;EnableSsl=True;"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestEffectiveValues(t *testing.T) {
	tests := []struct {
		in      string
		mode    TLSMode
		port    int
		timeout time.Duration
		addr    string
	}{
		{"SmtpServer=x", TLSNone, 25, DefaultTimeout, "x:25"},
		{"SmtpServer=x;EnableSsl=True;Timeout=22", TLSStartTLS, 25, 22 * time.Second, "x:25"},
		{"SmtpServer=x;TlsMode=Implicit", TLSImplicit, 465, DefaultTimeout, "x:465"},
		{"SmtpServer=x;TlsMode=Implicit;Port=2465", TLSImplicit, 2465, DefaultTimeout, "x:2465"},
		{"SmtpServer=x;TlsMode=Opportunistic", TLSOpportunistic, 25, DefaultTimeout, "x:25"},
		{"SmtpServer=x;EnableSsl=True;TlsMode=StartTls;Port=587", TLSStartTLS, 587, DefaultTimeout, "x:587"},
		{"SmtpServer=::1", TLSNone, 25, DefaultTimeout, "[::1]:25"},
		{"SmtpServer=[2001:db8::1]:2525", TLSNone, 2525, DefaultTimeout, "[2001:db8::1]:2525"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := ParseConfig(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.EffectiveTLSMode(); got != tt.mode {
				t.Errorf("EffectiveTLSMode() = %q, want %q", got, tt.mode)
			}
			if got := c.EffectivePort(); got != tt.port {
				t.Errorf("EffectivePort() = %d, want %d", got, tt.port)
			}
			if got := c.EffectiveTimeout(); got != tt.timeout {
				t.Errorf("EffectiveTimeout() = %s, want %s", got, tt.timeout)
			}
			if got := c.Address(); got != tt.addr {
				t.Errorf("Address() = %q, want %q", got, tt.addr)
			}
		})
	}
}

func TestString(t *testing.T) {
	c := &Config{
		Server: "mail.example.com", EnableSsl: true, Timeout: 1500 * time.Millisecond,
		Port: 587, TLSMode: TLSStartTLS, AuthMechanism: AuthLogin, UserName: "ann", Domain: "CORP",
		Password: `p;w"d`, AllowInsecureAuth: true, CAFile: "/etc/ssl/my ca.pem", Retry: 2, RetryDelay: 30 * time.Second,
	}
	wantMasked := "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=True;Timeout=2;Port=587;" +
		"TlsMode=StartTls;AuthMechanism=Login;UserName=ann;Domain=CORP;Password=********;AllowInsecureAuth=True;" +
		"CAFile=/etc/ssl/my ca.pem;Retry=2;RetryDelay=30;"
	if got := c.String(); got != wantMasked {
		t.Errorf("String()\n got %q\nwant %q", got, wantMasked)
	}
	wantPlain := strings.Replace(wantMasked, "Password=********", `Password='p;w"d'`, 1)
	if got := c.ConnectionString(); got != wantPlain {
		t.Errorf("ConnectionString()\n got %q\nwant %q", got, wantPlain)
	}
	if got := fmt.Sprint(c); got != wantMasked {
		t.Errorf("fmt.Sprint = %q", got)
	}
	back, err := ParseConfig(c.ConnectionString())
	if err != nil {
		t.Fatal(err)
	}
	if back.Password != c.Password || back.Timeout != 2*time.Second {
		t.Errorf("read back %+v", back)
	}
	if got := (&Config{}).String(); got != "SmtpServer=;UseWindowsAuthentication=False;EnableSsl=False;" {
		t.Errorf("zero Config: %q", got)
	}
}

func TestSet(t *testing.T) {
	base := "SmtpServer=x;UseWindowsAuthentication=False;EnableSsl=False;"
	tests := []struct {
		property, value string
		want            string // String() after Set
	}{
		{"SmtpServer", "mail.example.com", "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;"},
		{"smtpserver", "mail.example.com:2525", "SmtpServer=mail.example.com:2525;UseWindowsAuthentication=False;EnableSsl=False;"},
		{"UseWindowsAuthentication", "True", "SmtpServer=x;UseWindowsAuthentication=True;EnableSsl=False;"},
		{"EnableSsl", "-1", "SmtpServer=x;UseWindowsAuthentication=False;EnableSsl=True;"},
		{"Timeout", "45", base + "Timeout=45;"},
		{"Timeout", "", base},
		{"Port", "587", base + "Port=587;"},
		{"TlsMode", "IMPLICIT", base + "TlsMode=Implicit;"},
		{"AuthMechanism", "plain", base + "AuthMechanism=Plain;"},
		{"UserName", "ann", base + "UserName=ann;"},
		{"Domain", "CORP", base + "Domain=CORP;"},
		{"Password", "hunter2", base + "Password=********;"},
		{"TrustServerCertificate", "true", base + "TrustServerCertificate=True;"},
		{"AllowInsecureAuth", "1", base + "AllowInsecureAuth=True;"},
		{"RetainSameConnection", "yes", base + "RetainSameConnection=True;"},
		{"ServicePrincipalName", "SMTP/mail", base + "ServicePrincipalName=SMTP/mail;"},
		{"Keytab", "/k", base + "Keytab=/k;"},
		{"CAFile", "/ca.pem", base + "CAFile=/ca.pem;"},
		{"Retry", "4", base + "Retry=4;"},
		{"RetryDelay", "9", base + "RetryDelay=9;"},
		{"ConnectionString", "SmtpServer=y;EnableSsl=True;Timeout=22;", "SmtpServer=y;UseWindowsAuthentication=False;EnableSsl=True;Timeout=22;"},
	}
	for _, tt := range tests {
		t.Run(tt.property+"="+tt.value, func(t *testing.T) {
			c, err := ParseConfig(base)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Set(tt.property, tt.value); err != nil {
				t.Fatalf("Set: %v", err)
			}
			if got := c.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		start, property, value string
		code                   string
	}{
		{"SmtpServer=x", "EnableSsl", "Ture", CodeBadBoolean},
		{"SmtpServer=x", "Timeout", "100s", CodeBadTimeout},
		{"SmtpServer=x", "Port", "0", CodeBadPort},
		{"SmtpServer=x", "TlsMode", "SSL", CodeBadValue},
		{"SmtpServer=x", "SmtpServer", "http://x", CodeBadValue},
		{"SmtpServer=x", "Name", "SMTP Connection Manager", CodeUnknownKey},
		{"SmtpServer=x", "ConnectionString", "SmtpServer=y;Bogus=1", CodeUnknownKey},
		{"SmtpServer=x", "ConnectionString", `SmtpServer="y`, CodeSyntax},
		{"SmtpServer=x:25", "Port", "587", CodeConflict},
		{"SmtpServer=x;Port=587", "SmtpServer", "y:25", CodeConflict},
	}
	for _, tt := range tests {
		t.Run(tt.property+"="+tt.value, func(t *testing.T) {
			c, err := ParseConfig(tt.start)
			if err != nil {
				t.Fatal(err)
			}
			before := c.ConnectionString()
			beforeWarnings := slices.Clone(c.Warnings)
			err = c.Set(tt.property, tt.value)
			if got := codes(err); !slices.Equal(got, []string{tt.code}) {
				t.Fatalf("Set(%q, %q) = %v, want code %s", tt.property, tt.value, err, tt.code)
			}
			if after := c.ConnectionString(); after != before || !reflect.DeepEqual(c.Warnings, beforeWarnings) {
				t.Errorf("failed Set changed the Config: %q -> %q", before, after)
			}
		})
	}
}

// TestPasswordNeverShown checks every way a Config or its errors can be
// printed, for connection strings good and bad that hold a password.
func TestPasswordNeverShown(t *testing.T) {
	const secret = "Zq7-s3cr3t;\"pw"
	quoted := connstr.Format([]connstr.Pair{{Key: "k", Value: secret}})
	quoted = strings.TrimSuffix(strings.TrimPrefix(quoted, "k="), ";")
	const plain = "Zq7s3cr3tpw" // unquoted form
	inputs := []string{
		"SmtpServer=x;Password=" + plain,
		"SmtpServer=x;Password=" + quoted,
		"SmtpServer=x;password=" + plain + ";PASSWORD=" + plain,
		"SmtpServer=x;Password=" + plain + ";EnableSsl=Ture",
		"SmtpServer=x;Password=" + plain + ";AuthMechanism=Anonymous",
		"SmtpServer=x;Pwd=" + plain,
		"SmtpServer=x;Passwd=" + plain,
		"SmtpServer=x;ProxyPassword=" + plain,
		"SmtpServer=x;Token=" + plain,
		"SmtpServer=x;Password=\"" + plain,
		"SmtpServer=x;Password=" + plain + ";oops",
		"SmtpServer=x;Password='" + plain + "'junk",
	}
	check := func(t *testing.T, what, s string) {
		t.Helper()
		if strings.Contains(s, plain) || strings.Contains(s, secret) || strings.Contains(s, "s3cr3t") {
			t.Errorf("%s shows the password: %q", what, s)
		}
	}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			c, err := ParseConfig(in)
			check(t, "String()", c.String())
			check(t, "%v", fmt.Sprintf("%v %+v", c, c.Warnings))
			for _, w := range c.Warnings {
				check(t, "warning", w.String()+w.Value+w.Msg+w.Hint)
			}
			if err != nil {
				check(t, "Error()", err.Error())
				for _, p := range err.(*ConfigError).Problems {
					check(t, "Problem", fmt.Sprintf("%+v", p))
				}
			}
			check(t, "Validate()", fmt.Sprint(c.Validate()))
			var c2 Config
			if err := c2.Set("ConnectionString", in); err != nil {
				check(t, "Set error", err.Error())
			}
			check(t, "Set then String()", c2.String())
		})
	}
	c := &Config{Server: "x", UserName: "u", Password: secret}
	check(t, "String()", c.String())
	if !strings.Contains(c.ConnectionString(), quoted) {
		t.Errorf("ConnectionString() = %q lost the password", c.ConnectionString())
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"",
		"SmtpServer=mail.bellsouth.net;UseWindowsAuthentication=True;EnableSsl=False;",
		"SmtpServer=10.31.60.164;UseWindowsAuthentication=False;EnableSsl=False;",
		"SmtpServer=mail.yahoo.com;UseWindowsAuthentication=True;EnableSsl=True;Timeout=22;",
		"SmtpServer=[::1]:587;TlsMode=Implicit;Port=587;AuthMechanism=plain;UserName=u;Password='p;w'",
		"SmtpServer=fe80::1%eth0;Retry=3;RetryDelay=5;EnableSsl=yes",
		"SmtpServr=x;EnableSsl=Ture;Timeout=soon;Port=0;TlsMode=Tls",
		`SmtpServer=" x:25 ";Port=25;Timeout=2000`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseConfig(s)
		if c == nil {
			t.Fatal("nil Config")
		}
		_ = c.String()
		_ = c.Address()
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("ParseConfig(%q): error %#v", s, err)
			}
			_ = err.Error()
			return
		}
		if c.Password != "" {
			ps, perr := connstr.Parse(c.String())
			if perr != nil {
				t.Fatalf("String() = %q does not parse: %v", c.String(), perr)
			}
			for _, p := range ps {
				if p.Key == KeyPassword && p.Value != connstr.MaskedValue {
					t.Fatalf("String() = %q shows the password", c.String())
				}
			}
		}
		cs := c.ConnectionString()
		back, err := ParseConfig(cs)
		if err != nil {
			t.Fatalf("ParseConfig(%q) is fine but its ConnectionString %q is not: %v", s, cs, err)
		}
		if !reflect.DeepEqual(withoutWarnings(back), withoutWarnings(c)) {
			t.Fatalf("round trip of %q through %q:\n got %+v\nwant %+v", s, cs, withoutWarnings(back), withoutWarnings(c))
		}
		if back.ConnectionString() != cs {
			t.Fatalf("ConnectionString is not stable: %q then %q", cs, back.ConnectionString())
		}
	})
}
