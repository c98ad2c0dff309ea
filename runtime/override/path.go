package override

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what a Path names below its executables.
type Kind int

// Kinds of Path.
const (
	// KindExecutable is a property of the package, a container, a task or
	// an event handler: \Package\Task.Properties[Subject].
	KindExecutable Kind = iota
	// KindVariable is a property of a variable:
	// \Package.Variables[User::X].Properties[Value].
	KindVariable
	// KindConnection is a property of a connection manager:
	// \Package.Connections[Name].Properties[ConnectionString].
	KindConnection
	// KindParameter is the value of a parameter, written as a variable
	// with a $Package:: or $Project:: namespace:
	// \Package.Variables[$Package::P].
	KindParameter
	// KindLogProvider is a property of a log provider:
	// \Package.LogProviders[Name].Properties[ConfigString].
	KindLogProvider
	// KindForEachEnumerator is a property of a Foreach loop's enumerator:
	// \Package\Loop.ForEachEnumerator.Properties[Directory].
	KindForEachEnumerator
)

var kindNames = [...]string{"executable", "variable", "connection manager", "parameter", "log provider", "Foreach enumerator"}

// String returns the kind in words ("variable", "connection manager", ...).
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Step is one step from the root executable down: a child executable by
// name (\Name) or an event handler by event (.EventHandlers[OnError]).
type Step struct {
	Name         string
	EventHandler bool
}

// Path is a parsed property path. The zero Path is not valid; build one
// with ParsePath.
type Path struct {
	// Raw is the text that was parsed, $Sensitive:: prefix included.
	Raw string
	// Sensitive is set by the $Sensitive:: prefix of dtexec's /Set: the
	// value must not be shown.
	Sensitive bool
	// Root is "Package", or "Project" for the project paths of ssisUnit
	// (\Project\ConnectionManagers[x.conmgr], \Project.Properties[P]).
	Root string
	// Steps lead from the root to the executable that holds the member or
	// the property.
	Steps []Step
	Kind  Kind
	// Name names the member: the variable as written (User::X, or X with
	// the namespace omitted), the connection manager (a name or a {GUID}),
	// the parameter (without $Scope::) or the log provider. It is empty for
	// KindExecutable and KindForEachEnumerator.
	Name string
	// Scope is "Package" or "Project" for a parameter.
	Scope string
	// Property is the property's name; it is empty only for a parameter
	// written without one (\Package.Variables[$Package::P]).
	Property string
	// Short is true for the .Value form, false for .Properties[Value].
	Short bool
}

// String returns the path in the wizard's canonical form, with the
// $Sensitive:: prefix when it had one.
func (p Path) String() string {
	var b strings.Builder
	if p.Sensitive {
		b.WriteString("$Sensitive::")
	}
	b.WriteString(`\`)
	b.WriteString(p.Root)
	for _, s := range p.Steps {
		if s.EventHandler {
			b.WriteString(".EventHandlers[" + s.Name + "]")
		} else {
			b.WriteString(`\` + s.Name)
		}
	}
	switch p.Kind {
	case KindVariable:
		b.WriteString(".Variables[" + p.Name + "]")
	case KindParameter:
		b.WriteString(".Variables[$" + p.Scope + "::" + p.Name + "]")
	case KindConnection:
		if p.Root == "Project" {
			b.WriteString(`\ConnectionManagers[` + p.Name + "]")
		} else {
			b.WriteString(".Connections[" + p.Name + "]")
		}
	case KindLogProvider:
		b.WriteString(".LogProviders[" + p.Name + "]")
	case KindForEachEnumerator:
		b.WriteString(".ForEachEnumerator")
	}
	if p.Property != "" {
		b.WriteString(".Properties[" + p.Property + "]")
	}
	return b.String()
}

// Target returns the object part of the path, without the property:
// \Package\Task or \Package.Variables[User::X].
func (p Path) Target() string {
	q := p
	q.Property, q.Sensitive = "", false
	return q.String()
}

// ErrPathSyntax is matched by every *PathError.
var ErrPathSyntax = errors.New("override: property path syntax error")

// PathError reports a property path that does not parse.
type PathError struct {
	Path   string // the text given
	Offset int    // byte offset of the problem in Path
	Msg    string
}

// Error returns `override: property path "...": offset N: message`.
func (e *PathError) Error() string {
	near := ""
	if e.Offset < len(e.Path) {
		rest := e.Path[e.Offset:]
		if len(rest) > 20 {
			rest = rest[:20] + "..."
		}
		near = " (at " + quote(rest) + ")"
	} else {
		near = " (at the end)"
	}
	return fmt.Sprintf("override: property path %s: offset %d%s: %s", quote(e.Path), e.Offset, near, e.Msg)
}

// Is makes errors.Is(err, ErrPathSyntax) true for every *PathError.
func (e *PathError) Is(target error) bool { return target == ErrPathSyntax }

// sensitivePrefix marks a /Set value as sensitive.
const sensitivePrefix = "$Sensitive::"

// ParsePath reads a property path as the Package Configuration Wizard
// writes it, case-insensitively:
//
//	[$Sensitive::]\Package{\Executable | .EventHandlers[Event]}
//	    [.Variables[[Namespace::]Name] | .Variables[$Package::P] | .Variables[$Project::P]
//	     | .Connections[Name or {GUID}] | .LogProviders[Name] | .ForEachEnumerator]
//	    (.Properties[Property] | .Property)
//
// Executable names may hold spaces and dots: a name ends at the next \ or at
// the next "." that starts one of the keywords above, or, in the short form,
// at the last ".". Bracketed names may hold dots and nested brackets
// (Properties[[Component].[Property]]). A parameter needs no property.
// The error is a *PathError with the offset of the problem.
func ParsePath(s string) (Path, error) {
	ps := &pathParser{raw: s}
	return ps.parse()
}

type pathParser struct {
	raw string
	i   int
}

func (ps *pathParser) fail(at int, format string, args ...any) (Path, error) {
	return Path{}, &PathError{Path: ps.raw, Offset: at, Msg: fmt.Sprintf(format, args...)}
}

// hasFold reports whether the input at i starts with prefix, ignoring case.
func (ps *pathParser) hasFold(i int, prefix string) bool {
	return len(ps.raw)-i >= len(prefix) && strings.EqualFold(ps.raw[i:i+len(prefix)], prefix)
}

// bracket reads the content of the bracket that opens at ps.raw[open],
// counting nested brackets, and returns it with the offset after the
// closing bracket.
func (ps *pathParser) bracket(open int) (string, int, error) {
	depth := 0
	for j := open; j < len(ps.raw); j++ {
		switch ps.raw[j] {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				content := ps.raw[open+1 : j]
				if strings.TrimSpace(content) == "" {
					return "", 0, &PathError{Path: ps.raw, Offset: open, Msg: "empty name in [ ]"}
				}
				return content, j + 1, nil
			}
		}
	}
	return "", 0, &PathError{Path: ps.raw, Offset: open, Msg: "[ is never closed"}
}

// memberKeywords start a member or an event handler after an executable.
var memberKeywords = []string{".EventHandlers[", ".Variables[", ".Connections[", ".Properties[", ".LogProviders[", ".ForEachEnumerator"}

// keywordAt returns the keyword of memberKeywords at i, or "".
func (ps *pathParser) keywordAt(i int) string {
	for _, k := range memberKeywords {
		if ps.hasFold(i, k) {
			if k == ".ForEachEnumerator" { // must end there
				if j := i + len(k); j < len(ps.raw) && ps.raw[j] != '.' {
					continue
				}
			}
			return k
		}
	}
	return ""
}

func (ps *pathParser) parse() (Path, error) {
	p := Path{Raw: ps.raw}
	s := ps.raw
	// Leading and trailing white space: the wizard writes none, but a
	// command line or a hand-edited file may.
	for ps.i < len(s) && (s[ps.i] == ' ' || s[ps.i] == '\t') {
		ps.i++
	}
	end := len(strings.TrimRight(s, " \t\r\n"))
	s = s[:end]
	ps.raw = ps.raw[:end]
	if ps.hasFold(ps.i, sensitivePrefix) {
		p.Sensitive = true
		ps.i += len(sensitivePrefix)
	}
	if ps.i >= len(s) {
		return ps.fail(ps.i, `empty property path; it starts with \Package`)
	}
	if s[ps.i] != '\\' {
		if ps.hasFold(ps.i, "Package") {
			return ps.fail(ps.i, `a property path starts with a backslash: \Package...`)
		}
		return ps.fail(ps.i, `a property path starts with \Package`)
	}
	ps.i++
	switch {
	case ps.hasFold(ps.i, "Package") && ps.rootEnds(ps.i+len("Package")):
		p.Root = "Package"
		ps.i += len("Package")
	case ps.hasFold(ps.i, "Project") && ps.rootEnds(ps.i+len("Project")):
		p.Root = "Project"
		ps.i += len("Project")
		return ps.project(p)
	default:
		return ps.fail(ps.i, `a property path starts with \Package`)
	}
	return ps.executables(p)
}

// rootEnds reports whether the root name ends at i.
func (ps *pathParser) rootEnds(i int) bool {
	return i == len(ps.raw) || ps.raw[i] == '\\' || ps.raw[i] == '.'
}

// executables reads the steps after \Package and then the member and the
// property.
func (ps *pathParser) executables(p Path) (Path, error) {
	s := ps.raw
	for {
		if ps.i >= len(s) {
			return ps.fail(ps.i, "the path ends before naming a property (.Properties[Name])")
		}
		switch s[ps.i] {
		case '\\':
			start := ps.i + 1
			j := start
			for j < len(s) && s[j] != '\\' && (s[j] != '.' || ps.keywordAt(j) == "") {
				j++
			}
			if j == len(s) { // short form: the property follows the last dot
				dot := strings.LastIndexByte(s[start:], '.')
				if dot < 0 {
					return ps.fail(len(s), "the path names executable %q but no property (.Properties[Name])", s[start:])
				}
				j = start + dot
			}
			name := s[start:j]
			if strings.TrimSpace(name) == "" {
				return ps.fail(start, `empty executable name after \`)
			}
			p.Steps = append(p.Steps, Step{Name: name})
			ps.i = j
			if j < len(s) && s[j] == '.' && ps.keywordAt(j) == "" {
				return ps.property(p)
			}
		case '.':
			switch k := ps.keywordAt(ps.i); k {
			case ".EventHandlers[":
				open := ps.i + len(k) - 1
				name, next, err := ps.bracket(open)
				if err != nil {
					return Path{}, err
				}
				p.Steps = append(p.Steps, Step{Name: name, EventHandler: true})
				ps.i = next
			case ".Variables[":
				open := ps.i + len(k) - 1
				name, next, err := ps.bracket(open)
				if err != nil {
					return Path{}, err
				}
				ps.i = next
				if strings.HasPrefix(name, "$") {
					scope, pname, ok := strings.Cut(name[1:], "::")
					switch {
					case !ok || pname == "":
						return ps.fail(open+1, "a parameter is written $Package::Name or $Project::Name")
					case strings.EqualFold(scope, "Package"):
						p.Scope = "Package"
					case strings.EqualFold(scope, "Project"):
						p.Scope = "Project"
					default:
						return ps.fail(open+1, "unknown parameter scope $%s; use $Package:: or $Project::", scope)
					}
					p.Kind, p.Name = KindParameter, pname
					if ps.i == len(s) {
						return p, nil
					}
				} else {
					p.Kind, p.Name = KindVariable, name
				}
				return ps.property(p)
			case ".Connections[":
				if len(p.Steps) > 0 {
					return ps.fail(ps.i, `connection managers belong to the package: \Package.Connections[Name]`)
				}
				open := ps.i + len(k) - 1
				name, next, err := ps.bracket(open)
				if err != nil {
					return Path{}, err
				}
				p.Kind, p.Name, ps.i = KindConnection, name, next
				return ps.property(p)
			case ".LogProviders[":
				open := ps.i + len(k) - 1
				name, next, err := ps.bracket(open)
				if err != nil {
					return Path{}, err
				}
				p.Kind, p.Name, ps.i = KindLogProvider, name, next
				return ps.property(p)
			case ".ForEachEnumerator":
				p.Kind = KindForEachEnumerator
				ps.i += len(k)
				return ps.property(p)
			default: // .Properties[ or a short-form property of the executable
				return ps.property(p)
			}
		default:
			return ps.fail(ps.i, `expected \Executable, .EventHandlers[...], .Variables[...], .Connections[...] or .Properties[...]`)
		}
	}
}

// property reads the final .Properties[Name] or .Name.
func (ps *pathParser) property(p Path) (Path, error) {
	s := ps.raw
	if ps.i >= len(s) {
		return ps.fail(ps.i, "the path ends before naming a property (.Properties[Name])")
	}
	if s[ps.i] != '.' {
		return ps.fail(ps.i, "expected .Properties[Name] or .Name")
	}
	if ps.hasFold(ps.i, ".Properties[") {
		open := ps.i + len(".Properties")
		name, next, err := ps.bracket(open)
		if err != nil {
			return Path{}, err
		}
		if next != len(s) {
			return ps.fail(next, "nothing may follow .Properties[...]")
		}
		p.Property = name
		return p, nil
	}
	name := s[ps.i+1:]
	if name == "" {
		return ps.fail(ps.i+1, "empty property name after .")
	}
	if k := strings.IndexAny(name, `.[]\`); k >= 0 {
		return ps.fail(ps.i+1+k, "a short-form property is a plain name (.Value); use .Properties[%s] for other names", name)
	}
	p.Property, p.Short = name, true
	return p, nil
}

// project reads the ssisUnit project forms: \Project.Properties[P] and
// \Project\ConnectionManagers[Name].Properties[P].
func (ps *pathParser) project(p Path) (Path, error) {
	s := ps.raw
	for _, k := range []string{`\ConnectionManagers[`, `.ConnectionManagers[`} {
		if ps.hasFold(ps.i, k) {
			open := ps.i + len(k) - 1
			name, next, err := ps.bracket(open)
			if err != nil {
				return Path{}, err
			}
			p.Kind, p.Name, ps.i = KindConnection, name, next
			return ps.property(p)
		}
	}
	if ps.i < len(s) && s[ps.i] == '.' {
		return ps.property(p)
	}
	return ps.fail(ps.i, `a project path is \Project.Properties[Name] or \Project\ConnectionManagers[Name].Properties[Name]`)
}
