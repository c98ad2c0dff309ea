package smtp

import (
	"fmt"
	"net/netip"
	"os"
	"strings"
)

// EnvAllowedHosts names the environment variable that fences the servers
// SMTP connection managers may reach.
const EnvAllowedHosts = "DTSX_SMTP_ALLOWED_HOSTS"

// Fence is an allow-list of SMTP servers: host names, addresses and CIDR
// ranges. It is checked before any DNS lookup or connection, and a host
// name is allowed only when listed by name: it is never resolved to be
// compared with addresses. A nil *Fence allows everything.
type Fence struct {
	names    map[string]bool
	prefixes []netip.Prefix
	spec     string
}

// ParseFence reads a comma-separated list such as
// "127.0.0.1,::1,localhost,10.0.0.0/8".
func ParseFence(s string) (*Fence, error) {
	f := &Fence{names: map[string]bool{}, spec: s}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			f.prefixes = append(f.prefixes, p.Masked())
			continue
		}
		if a, err := netip.ParseAddr(strings.Trim(item, "[]")); err == nil {
			f.prefixes = append(f.prefixes, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		if strings.ContainsAny(item, " /:[]") {
			return nil, fmt.Errorf("smtp: %s: %q is not a host name, address or CIDR range", EnvAllowedHosts, item)
		}
		f.names[strings.ToLower(strings.TrimSuffix(item, "."))] = true
	}
	if len(f.names) == 0 && len(f.prefixes) == 0 {
		return nil, fmt.Errorf("smtp: %s is set but lists no host", EnvAllowedHosts)
	}
	return f, nil
}

// FenceFromEnv returns the fence of DTSX_SMTP_ALLOWED_HOSTS, or nil when the
// variable is unset or empty.
func FenceFromEnv() (*Fence, error) {
	s := os.Getenv(EnvAllowedHosts)
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return ParseFence(s)
}

// Allows reports whether host (a name or an address literal, without port)
// may be reached.
func (f *Fence) Allows(host string) bool {
	if f == nil {
		return true
	}
	host = strings.Trim(host, "[]")
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i] // zone
	}
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap()
		for _, p := range f.prefixes {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return f.names[strings.ToLower(strings.TrimSuffix(host, "."))]
}

// String returns the list as given.
func (f *Fence) String() string {
	if f == nil {
		return "(any host)"
	}
	return f.spec
}
