package smtp

import (
	"fmt"
	"strings"
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
