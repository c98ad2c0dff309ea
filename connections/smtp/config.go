package smtp

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

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

// Connection string keys and run-time property names, in the order String
// writes them. The first four are those of SSIS; the others are dtsx
// extensions that SSIS itself would not accept.
const (
	KeySmtpServer               = "SmtpServer"
	KeyUseWindowsAuthentication = "UseWindowsAuthentication"
	KeyEnableSsl                = "EnableSsl"
	KeyTimeout                  = "Timeout"
	KeyPort                     = "Port"
	KeyTLSMode                  = "TlsMode"
	KeyAuthMechanism            = "AuthMechanism"
	KeyUserName                 = "UserName"
	KeyDomain                   = "Domain"
	KeyPassword                 = "Password"
	KeyTrustServerCertificate   = "TrustServerCertificate"
	KeyAllowInsecureAuth        = "AllowInsecureAuth"
	KeyRetainSameConnection     = "RetainSameConnection"
	KeyServicePrincipalName     = "ServicePrincipalName"
	KeyKeytab                   = "Keytab"
	KeyCAFile                   = "CAFile"
	KeyRetry                    = "Retry"
	KeyRetryDelay               = "RetryDelay"

	// PropertyConnectionString is the property that Set re-parses whole.
	PropertyConnectionString = "ConnectionString"
)

// allKeys returns every connection string key in String's order.
func allKeys() []string {
	return []string{
		KeySmtpServer, KeyUseWindowsAuthentication, KeyEnableSsl, KeyTimeout,
		KeyPort, KeyTLSMode, KeyAuthMechanism, KeyUserName, KeyDomain, KeyPassword,
		KeyTrustServerCertificate, KeyAllowInsecureAuth, KeyRetainSameConnection,
		KeyServicePrincipalName, KeyKeytab, KeyCAFile, KeyRetry, KeyRetryDelay,
	}
}

// numSSISKeys is how many of allKeys SSIS knows.
const numSSISKeys = 4

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

// Problem codes. They are stable: diagnostics and tests match on them.
const (
	CodeSyntax      = "smtp-syntax"      // the connection string does not parse
	CodeUnknownKey  = "smtp-unknown-key" // a key neither SSIS nor dtsx knows
	CodeDuplicate   = "smtp-duplicate-key"
	CodeBadBoolean  = "smtp-bad-boolean"
	CodeEmptyServer = "smtp-empty-server"
	CodeBadTimeout  = "smtp-bad-timeout"
	CodeBadPort     = "smtp-bad-port"
	CodeBadValue    = "smtp-bad-value" // e.g. an unknown TlsMode or AuthMechanism
	CodeConflict    = "smtp-conflict"  // two settings that cannot both hold

	// Warnings: the connection string is usable as it is.

	CodePortInServer     = "smtp-port-in-server"
	CodeServerWhitespace = "smtp-server-whitespace"
	CodeTimeoutUnits     = "smtp-timeout-units"
)

// ErrInvalidConfig is matched by every *ConfigError.
var ErrInvalidConfig = errors.New("smtp: invalid connection settings")

// Problem is one thing wrong with an SMTP connection string or property.
type Problem struct {
	Code string `json:"code"`
	// Key is the connection string key or property concerned, if any.
	Key string `json:"key,omitempty"`
	// Value is the offending value. It is never set for a sensitive key
	// (connstr.IsSensitiveKey) nor for an unknown one.
	Value string `json:"value,omitempty"`
	Msg   string `json:"message"`
	Hint  string `json:"hint,omitempty"`
}

// String formats the problem as "code: message (hint)".
func (p Problem) String() string {
	s := p.Code + ": " + p.Msg
	if p.Hint != "" {
		s += " (" + p.Hint + ")"
	}
	return s
}

// ConfigError lists every problem found in a connection string or in a
// Config, not only the first.
type ConfigError struct {
	Problems []Problem
}

// Error returns "smtp: " followed by the problems.
func (e *ConfigError) Error() string {
	switch len(e.Problems) {
	case 0:
		return ErrInvalidConfig.Error()
	case 1:
		return "smtp: " + e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "smtp: %d problems: ", len(e.Problems))
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidConfig) true for every *ConfigError.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

// Has reports whether one of the problems has the given code.
func (e *ConfigError) Has(code string) bool {
	for _, p := range e.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
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

// canonicalKey returns the canonical spelling of a known key, compared
// case-insensitively as .NET does.
func canonicalKey(k string) (string, bool) {
	k = strings.TrimSpace(k)
	for _, known := range allKeys() {
		if strings.EqualFold(k, known) {
			return known, true
		}
	}
	return "", false
}

// unknownKey builds the problem for key k, suggesting the key meant. The
// value is left out: an unknown key may be a misspelt secret.
func unknownKey(k string) Problem {
	p := Problem{
		Code: CodeUnknownKey,
		Key:  k,
		Msg:  fmt.Sprintf("unknown key %q", k),
	}
	if s := suggestKey(k); s != "" {
		p.Hint = "did you mean " + s + "?"
	} else {
		keys := allKeys()
		p.Hint = "SSIS knows " + strings.Join(keys[:numSSISKeys], ", ") +
			"; dtsx adds " + strings.Join(keys[numSSISKeys:], ", ")
	}
	return p
}

// suggestKey returns the known key closest to k: a usual synonym, or else
// the nearest key within an edit distance of 3, case-insensitively.
func suggestKey(k string) string {
	l := strings.ToLower(strings.TrimSpace(k))
	switch l {
	case "server", "host", "hostname", "smtphost", "smtp server", "smtp", "address", "data source", "relay", "mailserver":
		return KeySmtpServer
	case "ssl", "usessl", "enabletls", "tls", "starttls", "usetls", "usestarttls", "secure":
		return KeyEnableSsl
	case "integrated security", "trusted_connection", "windowsauthentication", "usedefaultcredentials", "ntlm":
		return KeyUseWindowsAuthentication
	case "user", "user id", "userid", "uid", "login", "user name":
		return KeyUserName
	case "pwd", "pass", "passwd", "secret":
		return KeyPassword
	case "smtpport", "port number":
		return KeyPort
	case "auth", "authentication", "authmethod", "mechanism", "authtype":
		return KeyAuthMechanism
	case "connect timeout", "connection timeout", "timeoutseconds", "commandtimeout":
		return KeyTimeout
	}
	best, bestD := "", 4
	n := len([]rune(l))
	for _, known := range allKeys() {
		d := editDistance(l, strings.ToLower(known))
		if d < bestD && d < n {
			best, bestD = known, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
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

// set applies the value of a canonical key. It changes nothing when it
// reports a problem. The warnings about key replace the earlier ones.
func (c *Config) set(key, value string) []Problem {
	shown := value
	if connstr.IsSensitiveKey(key) {
		shown = ""
	}
	bad := func(code, msg, hint string) []Problem {
		return []Problem{{Code: code, Key: key, Value: shown, Msg: msg, Hint: hint}}
	}
	var warnings []Problem
	switch key {
	case KeySmtpServer:
		s, probs := parseServer(value)
		if len(probs) > 0 {
			return probs
		}
		warnings = s.warnings
		switch {
		case s.hasPort && c.Port != 0 && !c.PortInServer && s.port != c.Port:
			return []Problem{portConflict(KeySmtpServer, value, s.port, c.Port)}
		case s.hasPort:
			c.Port, c.PortInServer = s.port, true
		case c.PortInServer:
			c.Port, c.PortInServer = 0, false
		}
		c.Server = s.host

	case KeyUseWindowsAuthentication, KeyEnableSsl, KeyTrustServerCertificate,
		KeyAllowInsecureAuth, KeyRetainSameConnection:
		b, ok := parseBool(value)
		if !ok {
			return bad(CodeBadBoolean, fmt.Sprintf("%s=%q is not a boolean", key, value), "use True or False")
		}
		switch key {
		case KeyUseWindowsAuthentication:
			c.UseWindowsAuthentication = b
		case KeyEnableSsl:
			c.EnableSsl = b
		case KeyTrustServerCertificate:
			c.TrustServerCertificate = b
		case KeyAllowInsecureAuth:
			c.AllowInsecureAuth = b
		case KeyRetainSameConnection:
			c.RetainSameConnection = b
		}

	case KeyTimeout:
		d, ok := parseSeconds(value)
		if !ok {
			return bad(CodeBadTimeout, fmt.Sprintf("Timeout=%q is not a number of seconds from 0 to %d", value, int(MaxTimeout/time.Second)),
				"Timeout is a whole number of seconds, e.g. Timeout=100; leave it out for the default of 100")
		}
		if d >= 1000*time.Second {
			warnings = []Problem{{
				Code:  CodeTimeoutUnits,
				Key:   key,
				Value: value,
				Msg:   fmt.Sprintf("Timeout=%s is %s", strings.TrimSpace(value), d),
				Hint:  "dtsx reads Timeout in seconds; if milliseconds were meant, divide by 1000",
			}}
		}
		c.Timeout = d

	case KeyPort:
		port := 0
		if v := strings.TrimSpace(value); v != "" {
			var ok bool
			if port, ok = parsePort(v); !ok {
				return bad(CodeBadPort, fmt.Sprintf("Port=%q is not a port number", value), "use a number from 1 to 65535")
			}
		}
		switch {
		case c.PortInServer && port != 0 && port != c.Port:
			return []Problem{portConflict(KeyPort, value, c.Port, port)}
		case !c.PortInServer:
			c.Port = port
		}

	case KeyTLSMode:
		v := strings.TrimSpace(value)
		var mode TLSMode
		if v != "" {
			for _, m := range tlsModes() {
				if strings.EqualFold(v, string(m)) {
					mode = m
				}
			}
			if mode == "" {
				return bad(CodeBadValue, fmt.Sprintf("TlsMode=%q is not a TLS mode", value),
					"use StartTls, Implicit, Opportunistic or None")
			}
		}
		c.TLSMode = mode

	case KeyAuthMechanism:
		v := strings.TrimSpace(value)
		mech := ""
		if v != "" {
			for _, m := range authMechanisms() {
				if strings.EqualFold(v, m) {
					mech = m
				}
			}
			if mech == "" {
				return bad(CodeBadValue, fmt.Sprintf("AuthMechanism=%q is not a mechanism dtsx knows", value),
					"use "+strings.Join(authMechanisms(), ", "))
			}
		}
		c.AuthMechanism = mech

	case KeyRetry:
		n := 0
		if v := strings.TrimSpace(value); v != "" {
			var err error
			if n, err = strconv.Atoi(v); err != nil || n < 0 || n > MaxRetry {
				return bad(CodeBadValue, fmt.Sprintf("Retry=%q is not a number of retries", value),
					fmt.Sprintf("use a whole number from 0 to %d", MaxRetry))
			}
		}
		c.Retry = n

	case KeyRetryDelay:
		d, ok := parseSeconds(value)
		if !ok {
			return bad(CodeBadValue, fmt.Sprintf("RetryDelay=%q is not a number of seconds", value),
				fmt.Sprintf("RetryDelay is a whole number of seconds from 0 to %d", int(MaxTimeout/time.Second)))
		}
		c.RetryDelay = d

	case KeyUserName:
		c.UserName = value
	case KeyDomain:
		c.Domain = value
	case KeyPassword:
		c.Password = value
	case KeyServicePrincipalName:
		c.ServicePrincipalName = value
	case KeyKeytab:
		c.Keytab = value
	case KeyCAFile:
		c.CAFile = value
	}
	var kept []Problem
	for _, w := range c.Warnings {
		if w.Key != key {
			kept = append(kept, w)
		}
	}
	c.Warnings = append(kept, warnings...)
	return nil
}

// portConflict reports a port in SmtpServer that differs from the Port key;
// key and value are those being set.
func portConflict(key, value string, serverPort, port int) Problem {
	return Problem{
		Code:  CodeConflict,
		Key:   key,
		Value: value,
		Msg:   fmt.Sprintf("Port=%d conflicts with port %d in SmtpServer", port, serverPort),
		Hint:  "name the port once, preferably with the Port= key",
	}
}

// parseBool reads a boolean as .NET connection strings write them.
func parseBool(v string) (b, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "1", "-1":
		return true, true
	case "false", "no", "0":
		return false, true
	}
	return false, false
}

// formatBool writes a boolean as SSIS does.
func formatBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// parseSeconds reads a whole number of seconds from 0 to MaxTimeout; empty
// means 0.
func parseSeconds(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > int(MaxTimeout/time.Second) {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// parsePort reads a port number from 1 to 65535.
func parsePort(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 || v[0] == '+' || v[0] == '-' {
		return 0, false
	}
	return n, true
}

// server is SmtpServer taken apart.
type server struct {
	host     string
	port     int
	hasPort  bool
	warnings []Problem
}

// parseServer reads host, host:port, [ipv6], [ipv6]:port or a bare IPv6
// address. An empty host is not a problem here: Validate reports it.
func parseServer(value string) (server, []Problem) {
	var s server
	bad := func(code, msg, hint string) (server, []Problem) {
		return server{}, []Problem{{Code: code, Key: KeySmtpServer, Value: value, Msg: msg, Hint: hint}}
	}
	v := strings.TrimSpace(value)
	if v != value {
		s.warnings = append(s.warnings, Problem{
			Code:  CodeServerWhitespace,
			Key:   KeySmtpServer,
			Value: value,
			Msg:   fmt.Sprintf("SmtpServer=%q has white space around the host", value),
			Hint:  "it is ignored; remove it",
		})
	}
	if strings.Contains(v, "://") {
		return bad(CodeBadValue, fmt.Sprintf("SmtpServer=%q is a URL, not a host", value),
			"write the host only, e.g. SmtpServer=mail.example.com, and the port with Port=")
	}
	if strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return bad(CodeBadValue, fmt.Sprintf("SmtpServer=%q holds white space or control characters", value),
			"set SmtpServer=host")
	}
	host, port := v, ""
	switch {
	case strings.HasPrefix(v, "["):
		end := strings.IndexByte(v, ']')
		if end < 0 {
			return bad(CodeBadValue, fmt.Sprintf("SmtpServer=%q has no closing ]", value), "write an IPv6 address as [address] or [address]:port")
		}
		host, port = v[1:end], v[end+1:]
		if host == "" {
			return bad(CodeEmptyServer, "SmtpServer has an empty [] address", "set SmtpServer=host")
		}
		if _, err := netip.ParseAddr(host); err != nil && strings.Contains(host, ":") {
			return bad(CodeBadValue, fmt.Sprintf("SmtpServer=%q has a bad IPv6 address in brackets", value), "write an IPv6 address as [address] or [address]:port")
		}
		if port != "" {
			if port[0] != ':' {
				return bad(CodeBadValue, fmt.Sprintf("SmtpServer=%q has text after ]", value), "write an IPv6 address as [address] or [address]:port")
			}
			port = port[1:]
			s.hasPort = true
		}
	case strings.Count(v, ":") > 1:
		if _, err := netip.ParseAddr(v); err != nil {
			return bad(CodeBadValue, fmt.Sprintf("SmtpServer=%q has several colons but is not an IPv6 address", value),
				"write an IPv6 address with a port as [address]:port")
		}
	case strings.Contains(v, ":"):
		i := strings.IndexByte(v, ':')
		host, port = v[:i], v[i+1:]
		s.hasPort = true
	}
	if strings.ContainsAny(host, "[]") {
		return bad(CodeBadValue, fmt.Sprintf("SmtpServer=%q has a misplaced [ or ]", value), "write an IPv6 address as [address] or [address]:port")
	}
	if s.hasPort {
		n, ok := parsePort(port)
		if !ok {
			return bad(CodeBadPort, fmt.Sprintf("SmtpServer=%q has a bad port %q", value, port), "use a port from 1 to 65535, preferably with the Port= key")
		}
		s.port = n
		s.warnings = append(s.warnings, Problem{
			Code:  CodePortInServer,
			Key:   KeySmtpServer,
			Value: value,
			Msg:   fmt.Sprintf("SmtpServer=%q names port %d", value, n),
			Hint:  "SSIS's SMTP connection manager has no port; this is a dtsx extension — prefer the Port= key",
		})
	}
	s.host = host
	return s, nil
}

// Validate checks the Config as a whole: a server is named, values are in
// range, and no two settings conflict. It returns a *ConfigError listing
// every problem, or nil.
func (c *Config) Validate() error {
	if probs := c.problems(); len(probs) > 0 {
		return &ConfigError{Problems: probs}
	}
	return nil
}

// problems lists what Validate reports.
func (c *Config) problems() []Problem {
	var probs []Problem
	add := func(code, key, value, msg, hint string) {
		probs = append(probs, Problem{Code: code, Key: key, Value: value, Msg: msg, Hint: hint})
	}
	if c.Server == "" {
		add(CodeEmptyServer, KeySmtpServer, "", "no SMTP server is named", "set SmtpServer=host")
	} else if _, err := netip.ParseAddr(c.Server); err != nil &&
		strings.IndexFunc(c.Server, func(r rune) bool {
			return r == ':' || r == '[' || r == ']' || unicode.IsSpace(r) || unicode.IsControl(r)
		}) >= 0 {
		add(CodeBadValue, KeySmtpServer, c.Server, fmt.Sprintf("server %q is not a host name or address", c.Server),
			"Server holds the host only: no port, brackets or white space")
	}
	if c.Port < 0 || c.Port > 65535 {
		add(CodeBadPort, KeyPort, strconv.Itoa(c.Port), fmt.Sprintf("port %d is out of range", c.Port), "use a port from 1 to 65535, or 0 for the default")
	}
	if c.Timeout < 0 || c.Timeout > MaxTimeout {
		add(CodeBadTimeout, KeyTimeout, "", fmt.Sprintf("Timeout %s is out of range", c.Timeout),
			fmt.Sprintf("Timeout is a whole number of seconds from 0 to %d", int(MaxTimeout/time.Second)))
	}
	if c.TLSMode != TLSDerived && !validTLSMode(c.TLSMode) {
		add(CodeBadValue, KeyTLSMode, string(c.TLSMode), fmt.Sprintf("TlsMode=%q is not a TLS mode", string(c.TLSMode)),
			"use StartTls, Implicit, Opportunistic or None")
	}
	if c.AuthMechanism != "" && !validAuthMechanism(c.AuthMechanism) {
		add(CodeBadValue, KeyAuthMechanism, c.AuthMechanism, fmt.Sprintf("AuthMechanism=%q is not a mechanism dtsx knows", c.AuthMechanism),
			"use "+strings.Join(authMechanisms(), ", "))
	}
	if c.Retry < 0 || c.Retry > MaxRetry {
		add(CodeBadValue, KeyRetry, strconv.Itoa(c.Retry), fmt.Sprintf("Retry %d is out of range", c.Retry),
			fmt.Sprintf("use a whole number from 0 to %d", MaxRetry))
	}
	if c.RetryDelay < 0 || c.RetryDelay > MaxTimeout {
		add(CodeBadValue, KeyRetryDelay, "", fmt.Sprintf("RetryDelay %s is out of range", c.RetryDelay),
			fmt.Sprintf("RetryDelay is a whole number of seconds from 0 to %d", int(MaxTimeout/time.Second)))
	}
	if c.EnableSsl && (c.TLSMode == TLSNone || c.TLSMode == TLSOpportunistic) {
		add(CodeConflict, KeyTLSMode, string(c.TLSMode),
			fmt.Sprintf("TlsMode=%s conflicts with EnableSsl=True, which requires TLS", c.TLSMode),
			"remove TlsMode, or set EnableSsl=False to allow a connection without TLS")
	}
	if c.UseWindowsAuthentication && c.AuthMechanism != "" && c.AuthMechanism != AuthNTLM && c.AuthMechanism != AuthGSSAPI {
		add(CodeConflict, KeyAuthMechanism, c.AuthMechanism,
			fmt.Sprintf("AuthMechanism=%s conflicts with UseWindowsAuthentication=True, which logs in with NTLM or GSSAPI", c.AuthMechanism),
			"set UseWindowsAuthentication=False to log in with "+c.AuthMechanism+", or use AuthMechanism=NTLM or GSSAPI")
	}
	if c.AuthMechanism == AuthAnonymous && (c.UserName != "" || c.Password != "") {
		add(CodeConflict, KeyAuthMechanism, c.AuthMechanism,
			"AuthMechanism=Anonymous conflicts with the UserName or Password given",
			"remove the credentials, or choose a mechanism that uses them")
	}
	return probs
}

func validTLSMode(m TLSMode) bool {
	for _, v := range tlsModes() {
		if m == v {
			return true
		}
	}
	return false
}

func validAuthMechanism(m string) bool {
	for _, v := range authMechanisms() {
		if m == v {
			return true
		}
	}
	return false
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
