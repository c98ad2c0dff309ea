package override

import (
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/dtsx"
)

// Set writes value at path p of pkg, in the XML tree and in the typed
// model (Variable.Value, ConnectionManager.ConnectionString, ...), as
// dtexec's /Set does. The errors are *NotFoundError (the path names
// nothing; the message lists what exists), *ValueError (the value does not
// fit the property's type) and *UnsupportedError.
//
// Variables are set whether or not they are ReadOnly: ReadOnly stops tasks
// and scripts from writing a variable while the package runs, not the
// configuration of its value. A variable evaluated as an expression takes
// the value, but the expression replaces it at run time (Apply returns
// such replacements, and ApplyConfigFile warns about them).
//
// The properties of a connection manager's or a task's own type (an SMTP
// manager's Port, a Send Mail task's Subject) are those types lists.
func Set(pkg *dtsx.Package, types Types, p Path, value string) error {
	_, err := Apply(pkg, nil, types, p, value)
	return err
}

// SetInProject is Set for a package of a project: a connection manager the
// package does not have is looked up among the project's, and
// $Project::Name parameters are set on the project. pr may be nil.
func SetInProject(pkg *dtsx.Package, pr *dtsx.Project, types Types, p Path, value string) error {
	_, err := Apply(pkg, pr, types, p, value)
	return err
}

// setter carries one Set through the resolution.
type setter struct {
	pkg   *dtsx.Package
	pr    *dtsx.Project
	types Types
	path  Path
	value string
	// variableSet is the variable whose Value was set, if any.
	variableSet *dtsx.Variable
}

// pathText is the path as given, without $Sensitive::, for messages.
func (s *setter) pathText() string {
	raw := strings.TrimSpace(s.path.Raw)
	if raw == "" {
		q := s.path
		q.Sensitive = false
		return q.String()
	}
	if s.path.Sensitive && len(raw) >= len(sensitivePrefix) && strings.EqualFold(raw[:len(sensitivePrefix)], sensitivePrefix) {
		raw = strings.TrimSpace(raw[len(sensitivePrefix):])
	}
	return raw
}

func (s *setter) notFound(kind, name, in string, known []string, hint string) error {
	return &NotFoundError{Path: s.pathText(), Kind: kind, Name: name, In: in, Known: known, Hint: hint}
}

func (s *setter) badValue(prop, typ, reason string, sensitive bool) error {
	e := &ValueError{Path: s.pathText(), Property: prop, Type: typ, Value: s.value, Reason: reason}
	if sensitive || s.path.Sensitive || connstr.IsSensitiveKey(s.path.Property) {
		e.Value, e.Hidden = "", true
		if v := strings.TrimSpace(s.value); v != "" {
			e.Reason = strings.ReplaceAll(e.Reason, v, "(hidden)")
		}
	}
	return e
}

func (s *setter) unsupported(msg, hint string) error {
	return &UnsupportedError{Path: s.pathText(), Msg: msg, Hint: hint}
}

func (s *setter) apply() error {
	if s.pkg == nil || s.pkg.Executable == nil {
		return s.unsupported("no package is loaded", "")
	}
	if s.path.Root == "Project" {
		return s.unsupported("project paths (\\Project...) are ssisUnit's, not dtexec's",
			`set a project connection manager through \Package.Connections[Name] and a project parameter through \Package.Variables[$Project::Name]`)
	}
	if s.path.Root != "Package" {
		return s.unsupported("the path has no root; build it with ParsePath", "")
	}
	exe, err := s.resolveSteps()
	if err != nil {
		return err
	}
	switch s.path.Kind {
	case KindExecutable:
		return s.executable(exe)
	case KindVariable:
		return s.variable(exe)
	case KindConnection:
		return s.connection()
	case KindParameter:
		return s.parameter()
	case KindLogProvider:
		return s.unsupported("log providers are not run by this runtime", "log with dtexec /ConsoleLog or dtsx run --log")
	case KindForEachEnumerator:
		return s.unsupported("Foreach enumerators cannot be configured yet", "set the variables or property expressions the enumerator reads instead")
	}
	return s.unsupported("unknown kind of path", "")
}

// label names an executable in messages: its path with the root written
// as in property paths.
func label(x *dtsx.Executable) string {
	var parts []string
	for c := x; c != nil; c = c.Parent {
		switch {
		case c.Parent == nil:
			parts = append(parts, `\Package`)
		case c.IsEventHandler():
			parts = append(parts, ".EventHandlers["+c.EventName+"]")
		default:
			parts = append(parts, `\`+c.Name)
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

// pick finds the one of names equal to want: exactly, else ignoring case
// when that is unambiguous. It returns the index or -1.
func pick(n int, name func(int) string, want string) int {
	fold := -1
	for i := 0; i < n; i++ {
		if name(i) == want {
			return i
		}
		if strings.EqualFold(name(i), want) {
			if fold >= 0 {
				fold = -2 // ambiguous
			} else if fold == -1 {
				fold = i
			}
		}
	}
	if fold < 0 {
		return -1
	}
	return fold
}

// resolveSteps walks the path's steps from the package down.
func (s *setter) resolveSteps() (*dtsx.Executable, error) {
	cur := s.pkg.Executable
	for _, st := range s.path.Steps {
		if st.EventHandler {
			i := pick(len(cur.EventHandlers), func(i int) string { return cur.EventHandlers[i].EventName }, st.Name)
			if i < 0 {
				var known []string
				for _, h := range cur.EventHandlers {
					known = append(known, h.EventName)
				}
				return nil, s.notFound("event handler", st.Name, label(cur), known, "")
			}
			cur = cur.EventHandlers[i]
			continue
		}
		i := pick(len(cur.Executables), func(i int) string { return cur.Executables[i].Name }, st.Name)
		if i < 0 {
			var known []string
			for _, x := range cur.Executables {
				known = append(known, x.Name)
			}
			return nil, s.notFound("executable", strconv.Quote(st.Name), label(cur), known, "")
		}
		cur = cur.Executables[i]
	}
	return cur, nil
}
