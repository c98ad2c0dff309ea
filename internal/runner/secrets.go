package runner

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// secrets returns the secret values the job's command line holds, longest
// first: the package password, the value of every key that looks sensitive
// (looksSensitive) in a /Conn, its name included (a connection string given
// without a name), and in a /Set value; the value of a /Set of a sensitive
// property ($Sensitive::, Password and the like, a sensitive parameter) and
// of a /Par of a sensitive parameter. pkg and pr may be nil before the package
// is loaded: the parameters are then unknown.
//
// It is the last line of defence of the messages the runner prints: the
// override code masks what it knows to be secret, and this catches a value
// of a shape it did not expect.
func (job Job) secrets(pkg *dtsx.Package, pr *dtsx.Project) []string {
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	add(job.Password)
	for _, o := range job.Overrides {
		switch {
		case o.Conn != nil:
			add(connSecrets(o.Conn.Name + ";" + o.Conn.ConnectionString)...)
		case o.Set != nil:
			p := o.Set.Path
			if p.Sensitive || connstr.IsSensitiveKey(p.Property) || (p.Kind == override.KindParameter && sensitiveParam(pkg, pr, p.Scope, p.Name)) {
				add(o.Set.Value)
			}
			add(connSecrets(o.Set.Value)...)
		case o.Param != nil:
			scope, name := splitParam(o.Param.Name)
			if sensitiveParam(pkg, pr, scope, name) {
				add(o.Param.Value)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return slices.Compact(out)
}

// connSecrets returns the values of the sensitive keys of s, read as a
// connection string whether or not it parses: each ';'-separated segment
// whose key looks sensitive gives its value, unquoted and as written.
func connSecrets(s string) []string {
	var out []string
	if pairs, err := connstr.Parse(s); err == nil {
		for _, p := range pairs {
			if connstr.IsSensitiveKey(p.Key) {
				out = append(out, p.Value)
			}
		}
	}
	for seg := range strings.SplitSeq(s, ";") {
		k, v, ok := strings.Cut(seg, "=")
		if !ok || !looksSensitive(k) {
			continue
		}
		v = strings.TrimSpace(v)
		out = append(out, v, strings.Trim(v, `"'`))
	}
	return out
}

// looksSensitive reports whether a key of a connection string that may
// not parse may hold a secret: a sensitive key (connstr.IsSensitiveKey) or
// one that a reader may take for one (Pass, Passwd, ApiToken, ...).
func looksSensitive(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"pass", "pwd", "secret", "token"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return connstr.IsSensitiveKey(k)
}

// splitParam splits "$Package::P", "$Project::P" or "P" into its scope ("" for
// a bare name) and name.
func splitParam(s string) (scope, name string) {
	s = strings.TrimSpace(s)
	for _, sc := range []string{"Package", "Project"} {
		if prefix := "$" + sc + "::"; len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			return sc, s[len(prefix):]
		}
	}
	return "", s
}

// sensitiveParam reports whether the package or the project declares a
// sensitive parameter of that name (in that scope, or either for "").
func sensitiveParam(pkg *dtsx.Package, pr *dtsx.Project, scope, name string) bool {
	var ps []*dtsx.Parameter
	if pkg != nil && !strings.EqualFold(scope, "Project") {
		ps = append(ps, pkg.Parameters...)
	}
	if pr != nil && !strings.EqualFold(scope, "Package") {
		ps = append(ps, pr.Parameters...)
	}
	for _, p := range ps {
		if p.Sensitive && strings.EqualFold(p.Name, strings.TrimSpace(name)) {
			return true
		}
	}
	return false
}

// mask returns s with every secret, as written and as %q quotes it,
// replaced by connstr.MaskedValue, and every excerpt cut short
// (`"…text..."`, as a property path error shows where it stopped) that
// begins with the end of a secret or ends with its beginning replaced too.
func mask(s string, secrets []string) string {
	for _, v := range secrets {
		s = strings.ReplaceAll(s, v, connstr.MaskedValue)
		if q := strconv.Quote(v); q[1:len(q)-1] != v {
			s = strings.ReplaceAll(s, q[1:len(q)-1], connstr.MaskedValue)
		}
	}
	if len(secrets) == 0 {
		return s
	}
	return excerpt.ReplaceAllStringFunc(s, func(m string) string {
		text := m[1 : len(m)-len(`..."`)]
		for _, v := range secrets {
			if overlaps(text, v) {
				return `"` + connstr.MaskedValue + `..."`
			}
		}
		return m
	})
}

// excerpt matches a quoted text cut short with "...".
var excerpt = regexp.MustCompile(`"[^"]*\.\.\."`)

// overlaps reports whether text, cut out of a longer string, may hold part
// of secret: it begins with the end of the secret or ends with its
// beginning (two bytes or more, or the whole of a shorter secret).
func overlaps(text, secret string) bool {
	for k := min(2, len(secret)); k < len(secret); k++ {
		if strings.HasPrefix(text, secret[len(secret)-k:]) || strings.HasSuffix(text, secret[:k]) {
			return true
		}
	}
	return false
}

// MaskSecrets returns msg with the value of every sensitive key of each
// arg, read as a connection string whether or not it parses (Password=…,
// Pwd=…, Token=…), replaced by connstr.MaskedValue. The commands use it on
// the errors of a command line that did not parse, which may quote what
// was typed.
func MaskSecrets(msg string, args ...string) string {
	var secrets []string
	for _, a := range args {
		for _, v := range connSecrets(a) {
			if v != "" {
				secrets = append(secrets, v)
			}
		}
	}
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	return mask(msg, slices.Compact(secrets))
}
