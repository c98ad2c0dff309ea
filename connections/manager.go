package connections

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/registry"
)

// Diagnostic codes of this package.
const (
	CodeUnknownType  = "unknown-connection-type"
	CodeDanglingRef  = "dangling-connection-reference"
	CodeShadowed     = "shadowed-connection"
	CodeEmptyConnStr = "empty-connection-string"
)

// Manager is a connection manager built from its persisted definition.
type Manager interface {
	// Definition returns the persisted connection manager.
	Definition() *dtsx.ConnectionManager
	// Validate checks the definition without any I/O and returns what is
	// wrong with it.
	Validate() dtsx.Diagnostics
}

// Configurable is a Manager whose properties change at run time: property
// expressions, /Set and configurations set them before a connection is
// acquired (SSIS evaluates a connection manager's property expressions
// "before creating a connection instance"). SetProperty must be safe while
// tasks use the manager, and must change nothing when it fails.
// Properties describes the properties SetProperty takes besides
// ConnectionString, Name and Description, which every manager has; it is
// the same for every manager of the type.
type Configurable interface {
	Manager
	SetProperty(name, value string) error
	Properties() []dtsx.Property
}

// Factory builds a Manager from its definition. It does no I/O.
type Factory func(def *dtsx.ConnectionManager) (Manager, error)

// ErrUnknownType is matched by the error for a CreationName no factory is
// registered for.
var ErrUnknownType = registry.ErrUnknownType

// UnknownTypeError names the unknown type and the known ones.
type UnknownTypeError = registry.UnknownTypeError

// Registry maps CreationNames to factories. Keys are case-insensitive and
// matched exactly: "SMTP (KingswaySoft)" is not "SMTP". A CreationName of
// the form "ADO.NET:<provider type>" is also looked up as "ADO.NET".
type Registry struct{ r *registry.Registry[Factory] }

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{r: registry.New[Factory]("connection manager", func(name string) []string {
		if i := strings.IndexByte(name, ':'); i > 0 {
			return []string{name[:i]}
		}
		return nil
	})}
}

// Register adds a factory for a CreationName and its aliases. It panics on
// an empty or duplicate name.
func (r *Registry) Register(creationName string, f Factory, aliases ...string) {
	r.r.Register(creationName, f, aliases...)
}

// Names returns the registered CreationNames.
func (r *Registry) Names() []string { return r.r.Names() }

// New builds the manager for def through the factory of its CreationName.
func (r *Registry) New(def *dtsx.ConnectionManager) (Manager, error) {
	f, _, err := r.r.Lookup(def.CreationName)
	if err != nil {
		return nil, err
	}
	return f(def)
}

// Collection is a package's Connections collection: its own managers and
// the project's, resolvable by DTSID or name.
type Collection struct {
	all    []Manager
	byID   map[string]Manager
	byName map[string]Manager
}

// idKey normalises a DTSID: braces optional, case-insensitive.
func idKey(id string) string { return strings.ToUpper(strings.Trim(strings.TrimSpace(id), "{}")) }

// NewCollection builds the managers of a package (pkg) and of its project
// (project) through reg. A manager of an unknown type is reported and kept
// as an unusable Generic manager, so that references to it still resolve.
func NewCollection(reg *Registry, pkg, project []*dtsx.ConnectionManager) (*Collection, dtsx.Diagnostics) {
	c := &Collection{byID: map[string]Manager{}, byName: map[string]Manager{}}
	var diags dtsx.Diagnostics
	for _, def := range append(append([]*dtsx.ConnectionManager(nil), pkg...), project...) {
		m, err := reg.New(def)
		if err != nil {
			d := dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: CodeUnknownType, File: def.File, Path: def.RefID,
				Message: fmt.Sprintf("connection manager %q: %v", def.Name, err),
				Hint:    "a third-party component or a type this runtime does not know; `dtsx types` lists the known ones"}
			var ute *UnknownTypeError
			if !errors.As(err, &ute) {
				d.Code = dtsx.CodeBadValue
				d.Hint = "correct the connection manager's definition"
			}
			diags = append(diags, d)
			m = &Generic{Def: def, unknown: true}
		}
		key, name := idKey(def.DTSID), strings.ToLower(def.Name)
		if prev, ok := c.byID[key]; ok && key != "" {
			if def.Project && !prev.Definition().Project {
				diags = append(diags, dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: CodeShadowed, File: def.File,
					Path: def.RefID, Message: fmt.Sprintf("project connection manager %q has the DTSID of package connection manager %q, which takes precedence",
						def.Name, prev.Definition().Name), Hint: "remove the package's copy to use the project's"})
			}
			continue
		}
		if prev, ok := c.byName[name]; ok {
			if def.Project && !prev.Definition().Project {
				diags = append(diags, dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: CodeShadowed, File: def.File,
					Path: def.RefID, Message: fmt.Sprintf("project connection manager %q has the name of a package connection manager, which takes precedence", def.Name),
					Hint: "rename one of them"})
			}
		} else {
			c.byName[name] = m
		}
		if key != "" {
			c.byID[key] = m
		}
		c.all = append(c.all, m)
	}
	return c, diags
}

// All returns the managers, package ones first, in document order.
func (c *Collection) All() []Manager { return c.all }

// Validate validates every manager.
func (c *Collection) Validate() dtsx.Diagnostics {
	var out dtsx.Diagnostics
	for _, m := range c.all {
		out = append(out, m.Validate()...)
	}
	return out
}

// ReferenceError reports a reference that resolves to no manager.
type ReferenceError struct {
	Ref string
	// Tried says what was tried, in order ("DTSID", "name").
	Tried []string
	// Count is the number of managers in the collection.
	Count int
}

// ErrDanglingReference is matched by every *ReferenceError.
var ErrDanglingReference = errors.New("connections: reference resolves to no connection manager")

// Error names the reference and what was tried.
func (e *ReferenceError) Error() string {
	return fmt.Sprintf("connection manager reference %q matches no connection manager by %s (%d in the package and its project)",
		e.Ref, strings.Join(e.Tried, " or by "), e.Count)
}

// Is makes errors.Is(err, ErrDanglingReference) true.
func (e *ReferenceError) Is(target error) bool { return target == ErrDanglingReference }

// Resolve finds the manager a task refers to: by DTSID first (braces and
// case do not matter), then by name, as SSIS does.
func (c *Collection) Resolve(ref string) (Manager, error) {
	tried := []string{"name"}
	if k := idKey(ref); looksLikeGUID(k) {
		tried = []string{"DTSID", "name"}
		if m, ok := c.byID[k]; ok {
			return m, nil
		}
	}
	if m, ok := c.byName[strings.ToLower(strings.TrimSpace(ref))]; ok && ref != "" {
		return m, nil
	}
	return nil, &ReferenceError{Ref: ref, Tried: tried, Count: len(c.all)}
}

func looksLikeGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case (r >= '0' && r <= '9') || (r >= 'A' && r <= 'F'):
		default:
			return false
		}
	}
	return true
}

// Generic is a connection manager of a type this runtime knows but does not
// execute (OLEDB, ODBC, EXCEL, ...), or, when built for an unknown type, a
// placeholder that keeps references resolvable.
type Generic struct {
	Def     *dtsx.ConnectionManager
	unknown bool
}

// NewGeneric is the Factory of the Generic manager.
func NewGeneric(def *dtsx.ConnectionManager) (Manager, error) { return &Generic{Def: def}, nil }

// Definition returns the persisted manager.
func (g *Generic) Definition() *dtsx.ConnectionManager { return g.Def }

// Validate reports nothing: the definition is kept as it is.
func (g *Generic) Validate() dtsx.Diagnostics { return nil }

// Known reports whether the manager's type is registered (false for an
// unknown type's placeholder).
func (g *Generic) Known() bool { return !g.unknown }

var _ Manager = (*Generic)(nil)
