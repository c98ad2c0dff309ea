package dtsx

import (
	"errors"
	"fmt"
	"strings"
)

// Severity ranks a Diagnostic.
type Severity int

// Severities, from the least to the most serious.
const (
	SeverityInfo Severity = iota
	SeverityWarning
	SeverityError // the package cannot be validated or run as it is
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	default:
		return "error"
	}
}

// MarshalText makes a Severity appear by name in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a Severity by name, as MarshalText writes it.
func (s *Severity) UnmarshalText(b []byte) error {
	for _, v := range []Severity{SeverityInfo, SeverityWarning, SeverityError} {
		if string(b) == v.String() {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("dtsx: unknown severity %q", b)
}

// Stable diagnostic codes of the document model. Other packages add their own
// (connections, tasks), all in the same kebab-case style.
const (
	CodeNotFound            = "file-not-found"
	CodeEmptyFile           = "empty-file"
	CodeMalformedXML        = "malformed-xml"
	CodeTruncatedXML        = "truncated-xml"
	CodeTooDeep             = "xml-too-deep"     // elements nest past MaxDepth
	CodeUnknownEncoding     = "unknown-encoding" // the XML declaration names an encoding dtsx cannot read
	CodeWrongRoot           = "wrong-root"
	CodeWrongNamespace      = "wrong-namespace"
	CodeEncryptedPackage    = "encrypted-package"
	CodeWrongPassword       = "wrong-password"
	CodeUnknownFormat       = "unknown-format"
	CodeMissingProperty     = "missing-property"
	CodeBadValue            = "bad-value"
	CodeDuplicateID         = "duplicate-dtsid"
	CodeDuplicateName       = "duplicate-name"
	CodeDanglingConstraint  = "dangling-constraint"
	CodeSensitiveNotLoaded  = "sensitive-value-unavailable"
	CodeProjectFile         = "project-file"
	CodeUnsupportedFileType = "unsupported-file-type"
)

// Diagnostic is one problem found in a file, located as precisely as the
// format allows.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	File     string   `json:"file,omitempty"`
	// Path is the element path: the refId in formats 6 and 8, the same form
	// built from object names in formats 2 and 3.
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// String formats the diagnostic as file:line: severity[code]: path: message (hint).
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s[%s]: ", d.Severity, d.Code)
	if d.Path != "" {
		b.WriteString(d.Path)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString(" (")
		b.WriteString(d.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is of severity SeverityError.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Count returns how many diagnostics have severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// ErrNotLoaded is matched by every *Error: the file could not be loaded.
var ErrNotLoaded = errors.New("dtsx: file could not be loaded")

// Error is returned when a file cannot be loaded at all (missing, not XML,
// not an SSIS file). Its Diagnostic says where and what to do.
type Error struct {
	Diagnostic
	Err error // the underlying cause, if any
}

// Error returns the diagnostic's text.
func (e *Error) Error() string { return e.Diagnostic.String() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotLoaded) true for every *Error.
func (e *Error) Is(target error) bool { return target == ErrNotLoaded }
