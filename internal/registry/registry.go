// Package registry is the mechanism behind connections.Registry and
// tasks.Registry: factories keyed by a type name, case-insensitive, with
// aliases. A programmer error (an empty or duplicate name) panics, as
// database/sql.Register does; a user error (an unknown name) is an
// *UnknownTypeError.
package registry

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrUnknownType is matched by every *UnknownTypeError.
var ErrUnknownType = errors.New("unknown type")

// UnknownTypeError reports a type name no factory is registered for.
type UnknownTypeError struct {
	Kind  string   // "connection manager" or "task"
	Name  string   // the name as persisted
	Known []string // the canonical names that are registered
}

// Error quotes the unknown name.
func (e *UnknownTypeError) Error() string {
	return fmt.Sprintf("unknown %s type %q", e.Kind, e.Name)
}

// Is makes errors.Is(err, ErrUnknownType) true.
func (e *UnknownTypeError) Is(target error) bool { return target == ErrUnknownType }

// Registry maps type names to values of type F.
type Registry[F any] struct {
	kind    string
	entries map[string]entry[F]
	names   []string
	// fallback derives further keys to try for a name that is not
	// registered as it is (an assembly-qualified name's type part, say).
	fallback func(name string) []string
}

type entry[F any] struct {
	canonical string
	f         F
}

// New returns an empty registry; kind names the things it holds in errors.
func New[F any](kind string, fallback func(string) []string) *Registry[F] {
	return &Registry[F]{kind: kind, entries: map[string]entry[F]{}, fallback: fallback}
}

// Register adds f under name and its aliases. It panics on an empty or
// already registered name.
func (r *Registry[F]) Register(name string, f F, aliases ...string) {
	for _, n := range append([]string{name}, aliases...) {
		key := strings.ToLower(strings.TrimSpace(n))
		if key == "" {
			panic("registry: Register of an empty " + r.kind + " type name")
		}
		if _, dup := r.entries[key]; dup {
			panic("registry: Register called twice for " + r.kind + " type " + n)
		}
		r.entries[key] = entry[F]{canonical: name, f: f}
	}
	r.names = append(r.names, name)
	sort.Strings(r.names)
}

// Lookup returns the value registered for name and its canonical name.
func (r *Registry[F]) Lookup(name string) (F, string, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if e, ok := r.entries[key]; ok {
		return e.f, e.canonical, nil
	}
	if r.fallback != nil {
		for _, k := range r.fallback(name) {
			if e, ok := r.entries[strings.ToLower(strings.TrimSpace(k))]; ok {
				return e.f, e.canonical, nil
			}
		}
	}
	var zero F
	return zero, "", &UnknownTypeError{Kind: r.kind, Name: name, Known: r.Names()}
}

// Names returns the canonical names, sorted.
func (r *Registry[F]) Names() []string { return append([]string(nil), r.names...) }
