package smtp

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Manager is the SMTP connection manager (CreationName "SMTP").
type Manager struct {
	Def *dtsx.ConnectionManager
	// Config is the persisted connection string, parsed. It is never nil;
	// while err stands it holds what could be read.
	Config *Config
	// Run are the options a task acquires the manager with when a package
	// runs (credentials, fence, trusted roots); the command line sets them.
	Run Options
	err error
}

// New is the Factory of the SMTP connection manager. It parses the
// connection string of the un-prefixed SmtpConnectionManager element (the
// same in every format) and does no I/O.
func New(def *dtsx.ConnectionManager) (*Manager, error) {
	c, err := ParseConfig(def.ConnectionString)
	return &Manager{Def: def, Config: c, err: err}, nil
}

// Definition returns the persisted manager.
func (m *Manager) Definition() *dtsx.ConnectionManager { return m.Def }

// Err returns the error of the persisted connection string, if any.
func (m *Manager) Err() error { return m.err }

// expressionSets reports whether a property expression sets the
// connection string key (or the whole ConnectionString) at run time.
func (m *Manager) expressionSets(key string) bool {
	for _, e := range m.Def.Expressions {
		if strings.EqualFold(e.Name, "ConnectionString") || (key != "" && strings.EqualFold(e.Name, key)) {
			return true
		}
	}
	return false
}

// Validate reports every problem of the connection string. A problem with a
// value that a property expression replaces at run time is only a warning.
func (m *Manager) Validate() dtsx.Diagnostics {
	var out dtsx.Diagnostics
	add := func(sev dtsx.Severity, p Problem) {
		msg := fmt.Sprintf("SMTP connection manager %q: %s", m.Def.Name, p.Msg)
		if sev == dtsx.SeverityError && m.expressionSets(p.Key) {
			sev = dtsx.SeverityWarning
			msg += " (a property expression sets it at run time)"
		}
		out = append(out, dtsx.Diagnostic{Severity: sev, Code: p.Code, File: m.Def.File, Path: m.Def.RefID,
			Message: msg, Hint: p.Hint})
	}
	var ce *ConfigError
	if errors.As(m.err, &ce) {
		for _, p := range ce.Problems {
			add(dtsx.SeverityError, p)
		}
	}
	for _, p := range m.Config.Warnings {
		add(dtsx.SeverityWarning, p)
	}
	return out
}

// SetConnectionString replaces the manager's settings, as /Conn and --conn
// do; on error nothing changes.
func (m *Manager) SetConnectionString(s string) error {
	c, err := ParseConfig(s)
	if err != nil {
		return fmt.Errorf("smtp: connection manager %q: %w", m.Def.Name, err)
	}
	m.Config, m.err = c, nil
	return nil
}
