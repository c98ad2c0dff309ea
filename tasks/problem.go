package tasks

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Problem is a persisted property value a task cannot use. Validation
// reports it unless a property expression sets the property; the task does
// not run while it has one; setting the property at run time drops it.
// As an error it reads as its String.
type Problem struct {
	Property, Value, Msg, Hint string
}

// String returns the property, the quoted value and what is wrong with it:
// `Priority "Urgent" is not a priority`.
func (p Problem) String() string { return fmt.Sprintf("%s %q %s", p.Property, p.Value, p.Msg) }

// Error returns the String of the problem.
func (p Problem) Error() string { return p.String() }

// ObjectDataAttr reads an attribute of the task's payload (the element in
// its ObjectData) by its local name: the first of keys found as spelled,
// else the first found ignoring case (writers disagree on
// TerminateAfterTimeout / TerminateAfterTimeOut).
func ObjectDataAttr(def *dtsx.Executable, keys ...string) (string, bool) {
	if def.ObjectData == nil {
		return "", false
	}
	for _, key := range keys {
		if v, ok := def.ObjectDataAttr(key); ok {
			return v, true
		}
	}
	for _, key := range keys {
		for _, a := range def.ObjectData.Attr {
			if a.Space != "xmlns" && strings.EqualFold(a.Key, key) {
				return a.Value, true
			}
		}
	}
	return "", false
}

// Reader reads the attributes of a task's payload into its properties and
// collects the Problems of the values that cannot be used.
type Reader struct {
	Def      *dtsx.Executable
	Problems []Problem
}

// Get returns the attribute key of the payload (ObjectDataAttr), or ""
// when it has none.
func (r *Reader) Get(key string) string {
	v, _ := ObjectDataAttr(r.Def, key)
	return v
}

// Problem records that value, persisted for prop, cannot be used.
func (r *Reader) Problem(prop, value, msg, hint string) {
	r.Problems = append(r.Problems, Problem{Property: prop, Value: value, Msg: msg, Hint: hint})
}

// Parse reads the attribute key into *dst with parse, which also says
// whether it could read the value. A value it cannot read is a Problem of
// prop, with msg and hint; *dst is then what parse returned, the
// property's default.
func Parse[T any](r *Reader, dst *T, key string, parse func(string) (T, bool), prop, msg, hint string) {
	v := r.Get(key)
	var ok bool
	if *dst, ok = parse(v); !ok {
		r.Problem(prop, v, msg, hint)
	}
}

// SetParsed reads value into *dst with parse, for a Configurable's Set. A
// value parse cannot read leaves *dst alone and is the error
// `prop "value": hint`.
func SetParsed[T any](dst *T, value string, parse func(string) (T, bool), prop, hint string) error {
	v, ok := parse(value)
	if !ok {
		return fmt.Errorf("%s %q: %s", prop, value, hint)
	}
	*dst = v
	return nil
}
