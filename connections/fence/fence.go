package fence

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
)

// The environment variables the fence is read from.
const (
	// Env is the egress fence of every outbound connection.
	Env = "DTSX_ALLOWED_HOSTS"
	// EnvSMTP is its older name, kept as an alias: it fences every
	// connection too, and when both are set a host must pass both.
	EnvSMTP = "DTSX_SMTP_ALLOWED_HOSTS"
)

// ErrNotAllowed is matched by the error of Allow for a host outside the
// fence.
var ErrNotAllowed = errors.New("fence: the host is not in the allowed hosts")

// Fence is an allow-list of hosts: names, addresses and CIDR ranges, in
// one or more lists that must all allow a host. A nil *Fence allows
// everything.
type Fence struct {
	lists []list
}

// list is one comma-separated list and where it came from.
type list struct {
	source   string // the variable or option that gave it, or ""
	spec     string
	names    map[string]bool
	prefixes []netip.Prefix
}

// Parse reads a comma-separated list such as
// "127.0.0.1,::1,localhost,10.0.0.0/8".
func Parse(s string) (*Fence, error) { return ParseFrom("", s) }

// ParseFrom reads a list as Parse does; source names where it came from
// (a variable, an option) in messages.
func ParseFrom(source, s string) (*Fence, error) {
	l := list{source: source, spec: s, names: map[string]bool{}}
	label := source
	if label == "" {
		label = "the allowed hosts"
	}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			l.prefixes = append(l.prefixes, p.Masked())
			continue
		}
		if a, err := netip.ParseAddr(strings.Trim(item, "[]")); err == nil {
			l.prefixes = append(l.prefixes, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		if strings.ContainsAny(item, " /:[]") {
			return nil, fmt.Errorf("fence: %s: %q is not a host name, address or CIDR range", label, item)
		}
		l.names[strings.ToLower(strings.TrimSuffix(item, "."))] = true
	}
	if len(l.names) == 0 && len(l.prefixes) == 0 {
		return nil, fmt.Errorf("fence: %s is set but lists no host", label)
	}
	return &Fence{lists: []list{l}}, nil
}

// FromEnv returns the fence of DTSX_ALLOWED_HOSTS and
// DTSX_SMTP_ALLOWED_HOSTS, or nil when neither is set (or both are empty).
func FromEnv() (*Fence, error) { return FromLookup(os.LookupEnv) }

// FromLookup is FromEnv with the variables looked up by lookup.
func FromLookup(lookup func(string) (string, bool)) (*Fence, error) {
	var f *Fence
	for _, env := range []string{Env, EnvSMTP} {
		v, _ := lookup(env)
		if strings.TrimSpace(v) == "" {
			continue
		}
		g, err := ParseFrom(env, v)
		if err != nil {
			return nil, err
		}
		f = f.And(g)
	}
	return f, nil
}

// And returns the fence that allows what both f and g allow. Either may
// be nil (which allows everything).
func (f *Fence) And(g *Fence) *Fence {
	switch {
	case f == nil:
		return g
	case g == nil:
		return f
	}
	return &Fence{lists: append(append([]list(nil), f.lists...), g.lists...)}
}

// allows reports whether the list allows host.
func (l *list) allows(host string) bool {
	host = strings.Trim(host, "[]")
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i] // zone
	}
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap()
		for _, p := range l.prefixes {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return l.names[strings.ToLower(strings.TrimSuffix(host, "."))]
}

// Allows reports whether host (a name or an address literal, without
// port) may be reached.
func (f *Fence) Allows(host string) bool {
	if f == nil {
		return true
	}
	for i := range f.lists {
		if !f.lists[i].allows(host) {
			return false
		}
	}
	return true
}

// Allow returns nil when host may be reached, or a *NotAllowedError
// naming the host and the list that refuses it. It has the signature of
// database.Options.Allow.
func (f *Fence) Allow(host string) error {
	if f == nil {
		return nil
	}
	for i := range f.lists {
		if l := &f.lists[i]; !l.allows(host) {
			return &NotAllowedError{Host: host, Source: l.source, Allowed: l.spec}
		}
	}
	return nil
}

// Refusal says which list refuses host and what it allows ("DTSX_ALLOWED_HOSTS
// allows only 127.0.0.1,::1"), or "" when host is allowed.
func (f *Fence) Refusal(host string) string {
	var e *NotAllowedError
	if errors.As(f.Allow(host), &e) {
		return e.allowsOnly()
	}
	return ""
}

// String returns the lists as given; with more than one, each is followed
// by its source.
func (f *Fence) String() string {
	if f == nil {
		return "(any host)"
	}
	if len(f.lists) == 1 {
		return f.lists[0].spec
	}
	parts := make([]string, len(f.lists))
	for i, l := range f.lists {
		parts[i] = l.spec
		if l.source != "" {
			parts[i] += " (" + l.source + ")"
		}
	}
	return strings.Join(parts, " and ")
}

// NotAllowedError is the error of Allow: Host is outside the list of
// Source (a variable or an option, or "").
type NotAllowedError struct {
	Host    string
	Source  string
	Allowed string
}

func (e *NotAllowedError) allowsOnly() string {
	src := e.Source
	if src == "" {
		src = "the fence"
	}
	return fmt.Sprintf("%s allows only %s", src, e.Allowed)
}

// Error names the host, the list that refuses it and what to do.
func (e *NotAllowedError) Error() string {
	return fmt.Sprintf("%s; add %s there if the run may reach it, or point the connection elsewhere",
		e.allowsOnly(), e.Host)
}

// Unwrap returns ErrNotAllowed.
func (e *NotAllowedError) Unwrap() error { return ErrNotAllowed }
