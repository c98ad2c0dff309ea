package override

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors matched by the typed errors of Set.
var (
	// ErrNotFound is matched by *NotFoundError: the path names an
	// executable, variable, connection manager, parameter or property that
	// the package does not have.
	ErrNotFound = errors.New("override: not found")
	// ErrBadValue is matched by *ValueError: the value does not fit the
	// property's type.
	ErrBadValue = errors.New("override: bad value")
	// ErrUnsupported is matched by *UnsupportedError: the path is valid but
	// names something this runtime cannot set.
	ErrUnsupported = errors.New("override: not supported")
)

// NotFoundError reports a path that names something the package does not
// have, and lists what it has instead.
type NotFoundError struct {
	Path string // the path, as given
	Kind string // "executable", "event handler", "variable", "connection manager", "parameter", "property"
	Name string // what was looked for
	// In is the object searched (\Package, \Package\Task,
	// \Package.Connections[SMTP]).
	In string
	// Known lists what In has of that kind.
	Known []string
	// Hint says what else to try, if anything.
	Hint string
}

// Error returns "override: PATH: no KIND NAME in IN; IN has A, B".
func (e *NotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "override: %s: no %s %s in %s", e.Path, e.Kind, e.Name, e.In)
	if len(e.Known) == 0 {
		fmt.Fprintf(&b, "; %s has no %s", e.In, plural(e.Kind))
	} else {
		fmt.Fprintf(&b, "; %s has %s", e.In, list(e.Known))
	}
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) true for every *NotFoundError.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

func plural(kind string) string {
	switch {
	case strings.HasSuffix(kind, "y"):
		return kind[:len(kind)-1] + "ies"
	case kind == "":
		return "such objects"
	}
	return kind + "s"
}

// list joins names, at most 20 of them.
func list(names []string) string {
	const max = 20
	if len(names) > max {
		return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
	}
	return strings.Join(names, ", ")
}

// ValueError reports a value that the property cannot take. Value is empty
// when the value is sensitive, so that printing the error never shows it.
type ValueError struct {
	Path     string
	Property string
	Type     string // what the property takes: Int32, Boolean, "-1 or a positive number", ...
	Value    string
	Hidden   bool // the value was sensitive and is not in Value
	Reason   string
}

// Error returns "override: PATH: VALUE is not TYPE (reason)".
func (e *ValueError) Error() string {
	v := fmt.Sprintf("%q", e.Value)
	if e.Hidden {
		v = "the value (hidden, sensitive)"
	}
	msg := fmt.Sprintf("override: %s: %s is not a valid %s for %s", e.Path, v, e.Type, e.Property)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Is makes errors.Is(err, ErrBadValue) true for every *ValueError.
func (e *ValueError) Is(target error) bool { return target == ErrBadValue }

// UnsupportedError reports a path this runtime parses but cannot apply.
type UnsupportedError struct {
	Path string
	Msg  string
	Hint string
}

// Error returns "override: PATH: message (hint)".
func (e *UnsupportedError) Error() string {
	s := "override: " + e.Path + ": " + e.Msg
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrUnsupported) true for every *UnsupportedError.
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }
