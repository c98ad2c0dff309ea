package smtp

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/connections/connstr"
)

// Defaults, as .NET's SmtpClient has them.
const (
	// DefaultPort is the port used when neither SmtpServer nor Port names
	// one.
	DefaultPort = 25
	// DefaultImplicitTLSPort is the default port with TlsMode=Implicit
	// (RFC 8314).
	DefaultImplicitTLSPort = 465
	// DefaultTimeout applies when Timeout is not set.
	DefaultTimeout = 100 * time.Second
	// MaxTimeout is the largest Timeout and RetryDelay accepted: one day.
	MaxTimeout = 86400 * time.Second
	// MaxRetry is the largest Retry accepted.
	MaxRetry = 100
)

// TLSMode says how the connection is secured (the TlsMode extension key).
type TLSMode string

// TLS modes. The zero value, TLSDerived, takes the mode from EnableSsl.
const (
	// TLSDerived means StartTLS when EnableSsl is true, else None.
	TLSDerived TLSMode = ""
	// TLSStartTLS upgrades a plain connection with STARTTLS (RFC 3207) and
	// fails when the server does not offer it. It is what EnableSsl=True
	// means.
	TLSStartTLS TLSMode = "StartTls"
	// TLSImplicit speaks TLS from the first byte (RFC 8314), port 465 by
	// default. .NET's SmtpClient cannot do this.
	TLSImplicit TLSMode = "Implicit"
	// TLSOpportunistic uses STARTTLS when the server offers it and goes on
	// in plain text when it does not.
	TLSOpportunistic TLSMode = "Opportunistic"
	// TLSNone never uses TLS. It is what EnableSsl=False means.
	TLSNone TLSMode = "None"
)

// tlsModes returns the modes a connection string may name.
func tlsModes() []TLSMode {
	return []TLSMode{TLSStartTLS, TLSImplicit, TLSOpportunistic, TLSNone}
}

// Authentication mechanisms (the AuthMechanism extension key), in their
// canonical casing.
const (
	AuthAnonymous = "Anonymous"
	AuthNTLM      = "NTLM"
	AuthGSSAPI    = "GSSAPI"
	AuthPlain     = "Plain"
	AuthLogin     = "Login"
	AuthXOAUTH2   = "XOAUTH2"
)

// authMechanisms returns the mechanisms a connection string may name.
func authMechanisms() []string {
	return []string{AuthAnonymous, AuthNTLM, AuthGSSAPI, AuthPlain, AuthLogin, AuthXOAUTH2}
}

// Config holds the settings of an SMTP connection manager.
type Config struct {
	// Server is the host name or address, without port or brackets.
	Server string
	// Port is the TCP port; 0 means the default (EffectivePort).
	Port int
	// PortInServer records that the port came from SmtpServer (host:port),
	// which SSIS's own connection manager would not accept.
	PortInServer bool
	// UseWindowsAuthentication logs in as the Windows identity; here, with
	// NTLM or GSSAPI and a credential from a credential source.
	UseWindowsAuthentication bool
	// EnableSsl requires STARTTLS, as in SSIS.
	EnableSsl bool
	// Timeout bounds connecting and each command; 0 means DefaultTimeout.
	// In the connection string it is a whole number of seconds, and 0 or
	// an empty value leaves it unset.
	Timeout time.Duration

	// The fields below are dtsx extensions: SSIS has no such keys.

	// TLSMode overrides the mode derived from EnableSsl.
	TLSMode TLSMode
	// AuthMechanism is one of the Auth constants, or empty for the default.
	AuthMechanism string
	UserName      string
	Domain        string
	// Password is a secret: String, Problems and errors never show it.
	Password string
	// TrustServerCertificate skips the verification of the server's
	// certificate.
	TrustServerCertificate bool
	// AllowInsecureAuth allows sending credentials over a connection
	// without TLS.
	AllowInsecureAuth bool
	// RetainSameConnection keeps one connection open for the whole run.
	RetainSameConnection bool
	// ServicePrincipalName overrides the SPN used with GSSAPI (default
	// smtp/host).
	ServicePrincipalName string
	// Keytab is the path of a Kerberos keytab for GSSAPI.
	Keytab string
	// CAFile is the path of PEM certificates to trust besides the system's.
	CAFile string
	// Retry is how many more times a failed send is tried (0 to MaxRetry).
	Retry int
	// RetryDelay is the wait between tries; whole seconds in the connection
	// string.
	RetryDelay time.Duration

	// Warnings lists what is accepted but worth a diagnostic, such as a port
	// in SmtpServer.
	Warnings []Problem
}

// ParseConfig reads an SMTP connection string as SSIS persists it, e.g.
// "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;",
// with the dtsx extension keys. Keys are case-insensitive. Every problem
// found is reported in one *ConfigError; non-fatal ones go to
// Config.Warnings.
//
// The returned Config is never nil: on error it holds every value that could
// be read, so that property expressions can still be applied with Set before
// Validate is called again. It must not be used to connect while an error
// stands.
func ParseConfig(s string) (*Config, error) {
	c, probs := parseConfig(s)
	if len(probs) == 0 || probs[0].Code != CodeSyntax {
		// A rejected value is left unset, and the only check an unset value
		// fails is that of the server: do not report SmtpServer=http://x
		// twice.
		serverReported := slices.ContainsFunc(probs, func(p Problem) bool { return p.Key == KeySmtpServer })
		for _, p := range c.problems() {
			if p.Code != CodeEmptyServer || !serverReported {
				probs = append(probs, p)
			}
		}
	}
	if len(probs) > 0 {
		return c, &ConfigError{Problems: probs}
	}
	return c, nil
}

// parseConfig reads s key by key, reporting the problems of single keys and
// of keys that clash within s (duplicates, two ports). It leaves the checks
// of the whole Config to problems.
func parseConfig(s string) (*Config, []Problem) {
	c := &Config{}
	pairs, err := connstr.Parse(s)
	if err != nil {
		msg := err.Error()
		var se *connstr.SyntaxError
		if errors.As(err, &se) {
			msg = fmt.Sprintf("offset %d: %s", se.Offset, se.Msg)
		}
		return c, []Problem{{
			Code: CodeSyntax,
			Msg:  "connection string does not parse at " + msg,
			Hint: `write key=value pairs separated by ";" and quote a value holding ";" with "`,
		}}
	}
	var probs []Problem
	seen := make(map[string]connstr.Pair)
	for _, p := range pairs {
		key, ok := canonicalKey(p.Key)
		if !ok {
			probs = append(probs, unknownKey(p.Key))
			continue
		}
		if prev, dup := seen[key]; dup {
			pr := Problem{
				Code: CodeDuplicate,
				Key:  key,
				Msg:  fmt.Sprintf("%s appears twice (offsets %d and %d)", key, prev.Offset, p.Offset),
				Hint: "keep one; .NET would use the last",
			}
			if !connstr.IsSensitiveKey(key) {
				pr.Value = p.Value
			}
			probs = append(probs, pr)
		}
		seen[key] = p
		probs = append(probs, c.set(key, p.Value)...)
	}
	return c, probs
}

// Set sets one run-time property by its SSIS name (SmtpServer,
// UseWindowsAuthentication, EnableSsl, Timeout, ConnectionString) or
// extension name (Port, TlsMode, ...), compared case-insensitively, as
// property expressions and configurations do. ConnectionString replaces the
// whole Config.
//
// Set checks the value, not the whole Config: settings may be inconsistent
// while expressions are applied one by one, so call Validate once they all
// are. On error the Config is unchanged.
func (c *Config) Set(property, value string) error {
	if strings.EqualFold(strings.TrimSpace(property), PropertyConnectionString) {
		nc, probs := parseConfig(value)
		if len(probs) > 0 {
			return &ConfigError{Problems: probs}
		}
		*c = *nc
		return nil
	}
	key, ok := canonicalKey(property)
	if !ok {
		p := unknownKey(property)
		p.Msg = fmt.Sprintf("unknown property %q", property)
		return &ConfigError{Problems: []Problem{p}}
	}
	if probs := c.set(key, value); len(probs) > 0 {
		return &ConfigError{Problems: probs}
	}
	return nil
}

// EffectiveTLSMode returns TLSMode, or the mode EnableSsl implies when it is
// TLSDerived: TLSStartTLS when EnableSsl is true, else TLSNone.
func (c *Config) EffectiveTLSMode() TLSMode {
	switch {
	case c.TLSMode != TLSDerived:
		return c.TLSMode
	case c.EnableSsl:
		return TLSStartTLS
	}
	return TLSNone
}

// EffectivePort returns Port, or the default: DefaultImplicitTLSPort with
// implicit TLS, else DefaultPort.
func (c *Config) EffectivePort() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.EffectiveTLSMode() == TLSImplicit:
		return DefaultImplicitTLSPort
	}
	return DefaultPort
}

// EffectiveTimeout returns Timeout, or DefaultTimeout when it is not set.
func (c *Config) EffectiveTimeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// Address returns the host:port to dial, with IPv6 addresses in brackets.
func (c *Config) Address() string {
	return net.JoinHostPort(c.Server, strconv.Itoa(c.EffectivePort()))
}

// String returns the canonical connection string with the password masked,
// for display: the SSIS keys first, in SSIS's order, then Timeout when set,
// then the extensions that are set, in a fixed order.
func (c *Config) String() string { return connstr.Format(c.pairs(true)) }

// ConnectionString returns the canonical connection string, password
// included, for writing a package back. Never log it: use String.
func (c *Config) ConnectionString() string { return connstr.Format(c.pairs(false)) }

func (c *Config) pairs(mask bool) []connstr.Pair {
	var ps []connstr.Pair
	add := func(k, v string) { ps = append(ps, connstr.Pair{Key: k, Value: v}) }
	addBool := func(k string, b, always bool) {
		if b || always {
			add(k, formatBool(b))
		}
	}
	addString := func(k, v string) {
		if v != "" {
			add(k, v)
		}
	}
	addSeconds := func(k string, d time.Duration) {
		if d > 0 {
			add(k, strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
		}
	}
	srv := c.Server
	if c.PortInServer && c.Port != 0 {
		srv = net.JoinHostPort(c.Server, strconv.Itoa(c.Port))
	}
	add(KeySmtpServer, srv)
	addBool(KeyUseWindowsAuthentication, c.UseWindowsAuthentication, true)
	addBool(KeyEnableSsl, c.EnableSsl, true)
	addSeconds(KeyTimeout, c.Timeout)
	if c.Port != 0 && !c.PortInServer {
		add(KeyPort, strconv.Itoa(c.Port))
	}
	addString(KeyTLSMode, string(c.TLSMode))
	addString(KeyAuthMechanism, c.AuthMechanism)
	addString(KeyUserName, c.UserName)
	addString(KeyDomain, c.Domain)
	if c.Password != "" {
		if mask {
			add(KeyPassword, connstr.MaskedValue)
		} else {
			add(KeyPassword, c.Password)
		}
	}
	addBool(KeyTrustServerCertificate, c.TrustServerCertificate, false)
	addBool(KeyAllowInsecureAuth, c.AllowInsecureAuth, false)
	addBool(KeyRetainSameConnection, c.RetainSameConnection, false)
	addString(KeyServicePrincipalName, c.ServicePrincipalName)
	addString(KeyKeytab, c.Keytab)
	addString(KeyCAFile, c.CAFile)
	if c.Retry != 0 {
		add(KeyRetry, strconv.Itoa(c.Retry))
	}
	addSeconds(KeyRetryDelay, c.RetryDelay)
	return ps
}
