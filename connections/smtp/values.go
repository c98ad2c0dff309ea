package smtp

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dtsx-run/dtsx/connections/connstr"
)

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
		b, ok := connstr.ParseBool(value)
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
		mode, ok := oneOf(value, tlsModes())
		if !ok {
			return bad(CodeBadValue, fmt.Sprintf("TlsMode=%q is not a TLS mode", value),
				"use StartTls, Implicit, Opportunistic or None")
		}
		c.TLSMode = mode

	case KeyAuthMechanism:
		mech, ok := oneOf(value, authMechanisms())
		if !ok {
			return bad(CodeBadValue, fmt.Sprintf("AuthMechanism=%q is not a mechanism dtsx knows", value),
				"use "+strings.Join(authMechanisms(), ", "))
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

// oneOf returns the one of names that v is, in any case and around spaces,
// spelt as names spell it; an empty v is "". ok is false for another word.
func oneOf[S ~string](v string, names []S) (name S, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", true
	}
	for _, n := range names {
		if strings.EqualFold(v, string(n)) {
			return n, true
		}
	}
	return "", false
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
