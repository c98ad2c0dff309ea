package database

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/dtsx"
)

// Run-time property names of the database connection managers, as SSIS
// exposes them.
const (
	PropertyConnectionString     = "ConnectionString"
	PropertyServerName           = "ServerName"
	PropertyInitialCatalog       = "InitialCatalog"
	PropertyUserName             = "UserName"
	PropertyPassword             = "Password"
	PropertyRetainSameConnection = "RetainSameConnection"
)

// Manager is an OLEDB, ADO.NET or ODBC connection manager whose provider
// has a Go driver (or, when it has none, one that Validate reports).
type Manager struct {
	Def *dtsx.ConnectionManager
	// Run is what the run acquires sessions with (the egress fence, a
	// dialer): the command line sets it before the package runs, and
	// tasks pass it to Acquire.
	Run Options

	mu        sync.RWMutex
	cfg       *Config // never nil; replaced whole (copy on write)
	retain    bool
	retainBad string // an unreadable persisted Retain

	poolMu sync.Mutex
	pool   *sql.DB // the connections of the settings poolCS names
	poolCS string
	kept   *sql.Conn // RetainSameConnection: the session kept
	// keptUsed is when kept was last handed out.
	keptUsed time.Time
}

// New is the Factory of the database connection managers. It reads the
// connection string (the loader has put a persisted Password back into
// it) and the Retain property, and does no I/O.
func New(def *dtsx.ConnectionManager) (*Manager, error) {
	m := &Manager{Def: def, cfg: ParseConfig(def.CreationName, def.ConnectionString)}
	if def.ObjectData != nil {
		inner := dtsx.Object{Element: def.ObjectData}
		if v, ok := inner.Property("Retain"); ok && strings.TrimSpace(v) != "" {
			if b, ok := parseBool(v); ok {
				m.retain = b
			} else {
				m.retainBad = v
			}
		}
	}
	return m, nil
}

// Definition returns the persisted manager.
func (m *Manager) Definition() *dtsx.ConnectionManager { return m.Def }

// Config returns the settings of the moment. The caller must not change
// them.
func (m *Manager) Config() *Config {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.cfg
}

// RetainSameConnection reports whether one session is kept across
// acquisitions.
func (m *Manager) RetainSameConnection() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.retain
}

// String names the manager and its masked connection string.
func (m *Manager) String() string {
	return fmt.Sprintf("%s connection manager %q (%s)", m.Def.CreationName, m.Def.Name, m.Config().String())
}

// expressionSets reports whether a property expression sets prop (or the
// whole ConnectionString) at run time.
func (m *Manager) expressionSets(props ...string) bool {
	for _, e := range m.Def.Expressions {
		if strings.EqualFold(e.Name, PropertyConnectionString) {
			return true
		}
		for _, p := range props {
			if strings.EqualFold(e.Name, p) {
				return true
			}
		}
	}
	return false
}

// Validate reports, offline, every problem of the connection string: an
// unsupported provider, a keyword that does not parse or changes security
// (errors), an unknown keyword (a warning). An error about a value that a
// property expression replaces at run time is only a warning.
func (m *Manager) Validate() dtsx.Diagnostics {
	cfg := m.Config()
	var out dtsx.Diagnostics
	add := func(sev dtsx.Severity, p Problem) {
		msg := fmt.Sprintf("%s connection manager %q: %s", cfg.Provider.Kind, m.Def.Name, p.Msg)
		if sev == dtsx.SeverityError && p.Code != CodeUnsupported && m.expressionSets(propertyOf(p)) {
			sev = dtsx.SeverityWarning
			msg += " (a property expression sets it at run time)"
		}
		out = append(out, dtsx.Diagnostic{Severity: sev, Code: p.Code, File: m.Def.File, Path: m.Def.RefID,
			Message: msg, Hint: p.Hint})
	}
	for _, p := range cfg.Errors {
		add(dtsx.SeverityError, p)
	}
	for _, p := range cfg.Warnings {
		add(dtsx.SeverityWarning, p)
	}
	if m.retainBad != "" {
		add(dtsx.SeverityError, Problem{Code: CodeBadValue, Msg: fmt.Sprintf("Retain is %q", m.retainBad), Hint: "use True or False"})
	}
	return out
}

// propertyOf names the run-time property that sets a problem's value.
func propertyOf(p Problem) string {
	switch p.Code {
	case CodeNoServer:
		return PropertyServerName
	case CodeNoFile:
		return PropertyServerName
	}
	return p.Key
}

// keyAliases returns the keywords a property is written as for the
// manager's family (the first is written when none is present).
func keyAliases(cfg *Config, prop string) []string {
	odbc := cfg.Provider.Kind == KindODBC && cfg.Provider.Invariant == ""
	adonet := cfg.Provider.Kind == KindADONET || cfg.Provider.Invariant != ""
	switch fam := cfg.Provider.Family; {
	case strings.EqualFold(prop, PropertyPassword):
		if odbc {
			return []string{"PWD", "Password"}
		}
		return []string{"Password", "PWD"}
	case fam == FamilySQLite && strings.EqualFold(prop, PropertyServerName):
		if odbc {
			return []string{"Database", "Data Source", "DataSource"}
		}
		return []string{"Data Source", "DataSource", "Database"}
	case fam == FamilySQLite:
		// SQLite has no catalog and no login: the keys are kept (an
		// unknown keyword, a warning) but never one that names the file.
		switch strings.ToLower(prop) {
		case "initialcatalog":
			return []string{"Initial Catalog"}
		case "username":
			return []string{"User ID"}
		}
	case fam == FamilyPostgreSQL && adonet:
		switch strings.ToLower(prop) {
		case "servername":
			return []string{"Host", "Server", "Data Source"}
		case "initialcatalog":
			return []string{"Database", "Initial Catalog", "DB"}
		case "username":
			return []string{"Username", "User Name", "User ID", "UserID", "User", "UID"}
		}
	case odbc:
		switch strings.ToLower(prop) {
		case "servername":
			return []string{"Server", "Data Source", "Address", "Addr"}
		case "initialcatalog":
			return []string{"Database", "Initial Catalog"}
		case "username":
			return []string{"UID", "User ID", "User"}
		}
	default:
		switch strings.ToLower(prop) {
		case "servername":
			return []string{"Data Source", "Server", "Host", "Address", "Addr", "Network Address"}
		case "initialcatalog":
			return []string{"Initial Catalog", "Database"}
		case "username":
			return []string{"User ID", "UID", "User", "Username"}
		}
	}
	return nil
}

// withKey returns cs with the value of the first keyword of aliases
// present set to value (the others removed), or with aliases[0]=value
// added.
func withKey(cs string, aliases []string, value string) (string, error) {
	pairs, err := connstr.Parse(cs)
	if err != nil {
		return "", err
	}
	out := pairs[:0:0]
	done := false
	for _, p := range pairs {
		match := false
		for _, a := range aliases {
			if strings.EqualFold(strings.TrimSpace(p.Key), a) {
				match = true
			}
		}
		switch {
		case !match:
			out = append(out, p)
		case !done:
			p.Value, done = value, true
			out = append(out, p)
		}
	}
	if !done {
		out = append(out, connstr.Pair{Key: aliases[0], Value: value})
	}
	return connstr.Format(out), nil
}

// SetConnectionString replaces the connection string, as /Conn and --conn
// do; on error nothing changes.
func (m *Manager) SetConnectionString(s string) error {
	return m.SetProperty(PropertyConnectionString, s)
}

// SetProperty sets a property at run time, as a property expression, /Set
// or a configuration does: ConnectionString, ServerName, InitialCatalog,
// UserName, Password (each rewrites its keyword in the connection string)
// or RetainSameConnection. Name and Description change nothing here. On
// error nothing changes; the error never holds the value. A session
// already acquired keeps the settings it was made with.
func (m *Manager) SetProperty(name, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch strings.ToLower(name) {
	case "name", "description":
		return nil
	case "retainsameconnection", "retain":
		b, ok := parseBool(value)
		if !ok {
			return fmt.Errorf("%s connection manager %q: RetainSameConnection %q: %w", m.Def.CreationName, m.Def.Name, value, ErrBadProperty)
		}
		m.retain, m.retainBad = b, ""
		return nil
	case "connectionstring":
		if _, err := connstr.Parse(value); err != nil {
			return fmt.Errorf("%s connection manager %q: ConnectionString: %w", m.Def.CreationName, m.Def.Name, err)
		}
		m.cfg = ParseConfig(m.Def.CreationName, value)
		return nil
	}
	aliases := keyAliases(m.cfg, name)
	if aliases == nil {
		// A keyword of the connection string names its property
		// (Properties lists them as its Persisted name and Aliases).
		aliases = keyAliases(m.cfg, propertyOfKey(m.cfg, name))
	}
	if aliases == nil {
		return fmt.Errorf("%s connection manager %q has no property %s that can be set at run time (ConnectionString, ServerName, InitialCatalog, UserName, Password, RetainSameConnection): %w",
			m.Def.CreationName, m.Def.Name, name, ErrBadProperty)
	}
	cs, err := withKey(m.cfg.ConnectionString(), aliases, value)
	if err != nil {
		return fmt.Errorf("%s connection manager %q: %s: the connection string does not parse: %w", m.Def.CreationName, m.Def.Name, name, err)
	}
	m.cfg = ParseConfig(m.Def.CreationName, cs)
	return nil
}

// ErrBadProperty is matched by the error of SetProperty for a property
// that does not exist or a value that does not convert.
var ErrBadProperty = errors.New("database: bad run-time property")
