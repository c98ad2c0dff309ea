package expression

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrNotAssignment is matched by the error of an expression whose left side
// cannot be the target of an assignment.
var ErrNotAssignment = errors.New("expression: not a valid assignment")

// Assignment is an Expression Task's expression split at its assignment
// operator.
type Assignment struct {
	// Target is the assigned variable as written between @[ and ]
	// ("User::Counter", "Counter", "$Package::P").
	Target string
	// Value is the source of the expression to the right of =.
	Value string
}

// ParseAssignment splits src, "@[User::X] = expr" or "@X = expr", into the
// variable it assigns and the expression of the value. The left side is one
// variable reference (@Name, or @[Namespace::Name] in brackets), then
// optional white space, then an = that does not start ==. ok is false, with
// no error, when src does not start that way: a plain expression such as
// "@[User::X] == 1" or "GETDATE()". err, matching ErrNotAssignment, reports
// an assignment that cannot be: an empty or unclosed bracket, a namespace
// without brackets, nothing to the right of =.
func ParseAssignment(src string) (a Assignment, ok bool, err error) {
	s := strings.TrimLeftFunc(src, unicode.IsSpace)
	if !strings.HasPrefix(s, "@") {
		return Assignment{}, false, nil
	}
	s = s[1:]
	var name string
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return Assignment{}, false, fmt.Errorf("%w: missing ] after @[%s", ErrNotAssignment, s[1:])
		}
		name, s = s[1:end], s[end+1:]
		if strings.TrimSpace(name) == "" {
			return Assignment{}, false, fmt.Errorf("%w: empty variable name @[]", ErrNotAssignment)
		}
	} else {
		n := 0
		for n < len(s) {
			r, size := utf8.DecodeRuneInString(s[n:])
			if r != '_' && !unicode.IsLetter(r) && !(n > 0 && unicode.IsDigit(r)) {
				break
			}
			n += size
		}
		if n == 0 {
			return Assignment{}, false, nil // "@ x" or "@1": not a variable; the evaluator reports it
		}
		name, s = s[:n], s[n:]
		if strings.HasPrefix(s, "::") {
			return Assignment{}, false, fmt.Errorf("%w: a namespace-qualified variable must be in brackets: @[%s::...]", ErrNotAssignment, name)
		}
	}
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if !strings.HasPrefix(s, "=") || strings.HasPrefix(s, "==") {
		return Assignment{}, false, nil
	}
	value := s[1:]
	if strings.TrimSpace(value) == "" {
		return Assignment{}, false, fmt.Errorf("%w: nothing to assign to @[%s] on the right of =", ErrNotAssignment, name)
	}
	return Assignment{Target: name, Value: value}, true, nil
}
