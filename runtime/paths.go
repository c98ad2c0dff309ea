package runtime

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// PathMap turns the paths a package names (C:\Data\x.csv,
// \\server\share\x.csv, reports\x.csv) into paths of this machine.
//
// The default follows SSIS on Linux, which maps a drive-letter path to the
// same path under the root: C:\Data\x.csv is /Data/x.csv. A UNC path
// \\server\share\x maps to UNCRoot/server/share/x (default /mnt). Rules
// given with ParsePathRule take precedence, longest prefix first, and
// compare case-insensitively as Windows does.
//
// A relative path is taken relative to the package's folder: SSIS resolves
// it against the working directory of dtexec, which under a scheduler is
// rarely the package's folder, so packages that rely on it are rare; the
// package's folder is what makes a package and its files movable together.
type PathMap struct {
	Rules []PathRule
	// UNCRoot is where \\server\share paths are mounted; "" means /mnt.
	UNCRoot string
}

// PathRule maps a Windows path prefix to a local directory.
type PathRule struct {
	From string // C:\Data or \\server\share, as written
	To   string // /srv/data
}

// ParsePathRule reads a --path-map value, 'C:\Data=/srv/data'.
func ParsePathRule(s string) (PathRule, error) {
	from, to, ok := strings.Cut(s, "=")
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if !ok || from == "" || to == "" {
		return PathRule{}, fmt.Errorf("path map %q: want 'WINDOWS-PREFIX=LOCAL-DIR', e.g. 'C:\\Data=/srv/data'", s)
	}
	if !isWindowsAbs(from) {
		return PathRule{}, fmt.Errorf("path map %q: %q is not a Windows drive or UNC path", s, from)
	}
	if !filepath.IsAbs(to) {
		return PathRule{}, fmt.Errorf("path map %q: %q is not an absolute local path", s, to)
	}
	return PathRule{From: from, To: to}, nil
}

// EnvPathMap is the environment variable with path rules for every run,
// ';'-separated: 'C:\Data=/srv/data;\\fs\share=/mnt/share'. Rules given on
// the command line are added to them.
const EnvPathMap = "DTSX_PATH_MAP"

// ParsePathMap reads ';'-separated rules, as EnvPathMap holds them.
func ParsePathMap(s string) ([]PathRule, error) {
	var out []PathRule
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		r, err := ParsePathRule(part)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// isWindowsAbs reports a drive-letter (C:\x, C:/x) or UNC (\\host\share) path.
func isWindowsAbs(p string) bool {
	if len(p) >= 2 && p[1] == ':' && (p[0]|0x20) >= 'a' && (p[0]|0x20) <= 'z' {
		return len(p) == 2 || p[2] == '\\' || p[2] == '/'
	}
	return strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//")
}

// Local returns the local path for p, a path as a package names it; base is
// the folder relative paths are taken from.
func (m PathMap) Local(p, base string) string {
	if p == "" {
		return p
	}
	if !isWindowsAbs(p) {
		if strings.Contains(p, `\`) && !strings.HasPrefix(p, "/") {
			p = strings.ReplaceAll(p, `\`, "/") // reports\daily.csv
		}
		if filepath.IsAbs(p) || base == "" {
			return filepath.Clean(p)
		}
		return filepath.Join(base, p)
	}
	slashed := strings.ReplaceAll(p, `\`, "/")
	rules := append([]PathRule(nil), m.Rules...)
	sort.SliceStable(rules, func(i, j int) bool { return len(rules[i].From) > len(rules[j].From) })
	for _, r := range rules {
		from := strings.TrimRight(strings.ReplaceAll(r.From, `\`, "/"), "/")
		if len(slashed) >= len(from) && strings.EqualFold(slashed[:len(from)], from) &&
			(len(slashed) == len(from) || slashed[len(from)] == '/') {
			return filepath.Join(r.To, filepath.FromSlash(slashed[len(from):]))
		}
	}
	if strings.HasPrefix(slashed, "//") {
		root := m.UNCRoot
		if root == "" {
			root = "/mnt"
		}
		return filepath.Join(root, filepath.FromSlash(path.Clean("/"+slashed[2:])))
	}
	return filepath.Clean("/" + strings.TrimPrefix(slashed[2:], "/")) // C:\Data\x → /Data/x
}

// IsWindowsPath reports a drive-letter (C:\x) or UNC (\\host\share) path,
// one that a run maps (PathMap) to a local one.
func IsWindowsPath(p string) bool { return isWindowsAbs(p) }
