package file

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
)

// Usage is the FILE connection manager's FileUsageType.
type Usage int

// File usage types.
const (
	ExistingFile   Usage = 0
	CreateFile     Usage = 1
	ExistingFolder Usage = 2
	CreateFolder   Usage = 3
)

// String returns the usage's SSIS name.
func (u Usage) String() string {
	switch u {
	case ExistingFile:
		return "ExistingFile"
	case CreateFile:
		return "CreateFile"
	case ExistingFolder:
		return "ExistingFolder"
	case CreateFolder:
		return "CreateFolder"
	}
	return strconv.Itoa(int(u))
}

// Manager is a file-based connection manager.
type Manager struct {
	Def   *dtsx.ConnectionManager
	Usage Usage
	// Multi is true for MULTIFILE and MULTIFLATFILE, whose connection string
	// holds |-separated paths.
	Multi bool
	bad   string // an unreadable FileUsageType

	mu sync.RWMutex
	cs *string // the ConnectionString set at run time, if any
}

// New is the Factory of the four file connection manager types.
func New(def *dtsx.ConnectionManager) (*Manager, error) {
	m := &Manager{Def: def, Multi: strings.HasPrefix(strings.ToUpper(def.CreationName), "MULTI")}
	if def.ObjectData != nil {
		if v := attrValue(def, "FileUsageType"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 3 {
				m.bad = v
			} else {
				m.Usage = Usage(n)
			}
		}
	}
	return m, nil
}

// attrValue reads a property of the manager's inner element, whatever its
// prefix or form.
func attrValue(def *dtsx.ConnectionManager, name string) string {
	inner := dtsx.Object{Element: def.ObjectData}
	v, _ := inner.Property(name)
	return v
}

// Definition returns the persisted manager.
func (m *Manager) Definition() *dtsx.ConnectionManager { return m.Def }

// Paths returns the path or paths of the connection string as persisted
// (Windows paths are mapped at run time, not here).
func (m *Manager) Paths() []string {
	cs := m.Def.ConnectionString
	m.mu.RLock()
	if m.cs != nil {
		cs = *m.cs
	}
	m.mu.RUnlock()
	if cs == "" {
		return nil
	}
	if !m.Multi {
		return []string{cs}
	}
	return strings.Split(cs, "|")
}

// Validate reports an empty path that no property expression sets and an
// unknown usage type.
func (m *Manager) Validate() dtsx.Diagnostics {
	var out dtsx.Diagnostics
	if m.bad != "" {
		out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: dtsx.CodeBadValue, File: m.Def.File,
			Path: m.Def.RefID, Message: fmt.Sprintf("FileUsageType is %q", m.bad),
			Hint: "use 0 (existing file), 1 (create file), 2 (existing folder) or 3 (create folder)"})
	}
	if strings.TrimSpace(m.Def.ConnectionString) == "" && !hasExpression(m.Def, "ConnectionString") {
		out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: connections.CodeEmptyConnStr, File: m.Def.File,
			Path: m.Def.RefID, Message: fmt.Sprintf("file connection manager %q has no path", m.Def.Name),
			Hint: "set its ConnectionString, or a property expression that sets it"})
	}
	return out
}

// SetProperty sets the ConnectionString (the path, or |-separated paths)
// or the FileUsageType at run time; the definition is not changed.
func (m *Manager) SetProperty(name, value string) error {
	switch strings.ToLower(name) {
	case "connectionstring":
		m.mu.Lock()
		m.cs = &value
		m.mu.Unlock()
	case "fileusagetype":
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 0 || n > 3 {
			return fmt.Errorf("file connection manager %q: FileUsageType %q: want 0, 1, 2 or 3", m.Def.Name, value)
		}
		m.mu.Lock()
		m.Usage, m.bad = Usage(n), ""
		m.mu.Unlock()
	case "name", "description":
	default:
		return fmt.Errorf("file connection manager %q has no property %s that can be set at run time (ConnectionString, FileUsageType)", m.Def.Name, name)
	}
	return nil
}

func hasExpression(def *dtsx.ConnectionManager, prop string) bool {
	for _, e := range def.Expressions {
		if strings.EqualFold(e.Name, prop) {
			return true
		}
	}
	return false
}
