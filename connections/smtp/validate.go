package smtp

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode"
)

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
