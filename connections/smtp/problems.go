package smtp

import (
	"errors"
	"fmt"
	"strings"
)

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
