package main

import (
	"errors"

	"github.com/dtsx-run/dtsx/internal/runner"
)

// ErrSyntax is matched by every *OptionError: the command line is wrong.
var ErrSyntax = errors.New("dtexec: command-line syntax error")

// ErrWindowsOnly is matched by every *WindowsOnlyError.
var ErrWindowsOnly = errors.New("dtexec: option needs Windows or SQL Server")

// ErrNotSupported is matched by every *NotSupportedError.
var ErrNotSupported = errors.New("dtexec: option not supported by this runtime")

// OptionError reports an unknown option, a missing or bad value, or options
// that cannot go together. dtexec exits with code 6.
type OptionError struct {
	Option string // the option as typed (/Fx, /M); "" for the command line as a whole
	Msg    string
	Hint   string
	Err    error // the underlying error, if any (a *override.PathError)
}

// Error returns "dtexec: /Option: message (hint)".
func (e *OptionError) Error() string {
	s := "dtexec: "
	if e.Option != "" {
		s += e.Option + ": "
	}
	s += e.Msg
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Unwrap returns the underlying error.
func (e *OptionError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrSyntax) true for every *OptionError.
func (e *OptionError) Is(target error) bool { return target == ErrSyntax }

// maskOptionError hides in an *OptionError the secrets of the value it is
// about (Password=… and the like, read as a connection string whether or
// not it parses): a /Conn, /Set or /Par that does not parse may be quoted
// in its message, and the value may come from a command file.
func maskOptionError(err error, value string) error {
	var oe *OptionError
	if errors.As(err, &oe) {
		oe.Msg, oe.Hint = runner.MaskSecrets(oe.Msg, value), runner.MaskSecrets(oe.Hint, value)
	}
	return err
}

// WindowsOnlyError reports an option that needs Windows, SQL Server or the
// SSIS catalog, and says what to use instead. dtexec exits with code 6.
type WindowsOnlyError struct {
	Option  string // as typed
	Msg     string // what the option does, and why it cannot here
	Instead string // what to use instead
}

// Error returns "dtexec: /SQL: what it needs; what to use instead".
func (e *WindowsOnlyError) Error() string {
	return "dtexec: " + e.Option + ": " + e.Msg + "; " + e.Instead
}

// Is makes errors.Is(err, ErrWindowsOnly) true for every *WindowsOnlyError.
func (e *WindowsOnlyError) Is(target error) bool { return target == ErrWindowsOnly }

// NotSupportedError reports an option that could work here but that this
// runtime does not implement (checkpoints, log providers, data flow row
// counts, ...), and says what to use instead. dtexec exits with code 6
// rather than run the package without what the option asks for.
type NotSupportedError struct {
	Option  string // as typed
	Msg     string // what the option does, and what is missing here
	Instead string // what to use instead
}

// Error returns "dtexec: /Sum: what is missing; what to use instead".
func (e *NotSupportedError) Error() string {
	return "dtexec: " + e.Option + ": " + e.Msg + "; " + e.Instead
}

// Is makes errors.Is(err, ErrNotSupported) true for every
// *NotSupportedError.
func (e *NotSupportedError) Is(target error) bool { return target == ErrNotSupported }
