package smtp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Manager is the SMTP connection manager (CreationName "SMTP").
type Manager struct {
	Def *dtsx.ConnectionManager
	// Config is the persisted connection string, parsed. It is never nil;
	// while err stands it holds what could be read. It may be changed
	// before a run; during one, SetProperty replaces it (copy on write).
	Config *Config
	// Run are the options a task acquires the manager with when a package
	// runs (credentials, fence, trusted roots); the command line sets them.
	Run Options
	err error
	mu  sync.RWMutex // guards Config and err during a run

	keepMu sync.Mutex
	kept   *Session // RetainSameConnection: the idle session
}

// take returns the kept session if it was made with cfg, else nil (a
// session made with other settings is ended).
func (m *Manager) take(cfg *Config) *Session {
	m.keepMu.Lock()
	s := m.kept
	m.kept = nil
	m.keepMu.Unlock()
	if s != nil && s.cfg != cfg && s.cfg.ConnectionString() != cfg.ConnectionString() {
		s.quit()
		return nil
	}
	return s
}

// keep takes a session back for the next task; false when one is kept
// already (the caller ends its own).
func (m *Manager) keep(s *Session) bool {
	m.keepMu.Lock()
	defer m.keepMu.Unlock()
	if m.kept != nil {
		return false
	}
	m.kept = s
	return true
}

// Close ends the session kept by RetainSameConnection, if any, with QUIT.
// The runtime calls it when a run ends.
func (m *Manager) Close() error {
	m.keepMu.Lock()
	s := m.kept
	m.kept = nil
	m.keepMu.Unlock()
	if s == nil {
		return nil
	}
	return s.quit()
}

func (m *Manager) log(opts Options) *zap.Logger {
	if opts.Logger != nil {
		return opts.Logger
	}
	return zap.NewNop()
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

// serverExpression is the property expression that sets the server at run
// time, as "SmtpServer (@[User::Host])", or "".
func (m *Manager) serverExpression() string {
	if m.Def == nil {
		return ""
	}
	for _, e := range m.Def.Expressions {
		if strings.EqualFold(e.Name, KeySmtpServer) || strings.EqualFold(e.Name, PropertyConnectionString) {
			return e.Name + " (" + e.Expression + ")"
		}
	}
	return ""
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

// SetProperty sets a property at run time, as a property expression, /Set
// or a configuration does: ConnectionString, or one of its keys
// (SmtpServer, UseWindowsAuthentication, EnableSsl, Timeout, and the
// extensions). Name and Description change nothing here. On error nothing
// changes. It is safe while tasks acquire the manager: a session uses the
// settings of the moment it was acquired.
func (m *Manager) SetProperty(name, value string) error {
	if strings.EqualFold(name, "Name") || strings.EqualFold(name, "Description") {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c := *m.Config
	if err := c.Set(name, value); err != nil {
		return fmt.Errorf("smtp: connection manager %q: property %s: %w", m.Def.Name, name, err)
	}
	m.Config, m.err = &c, nil
	if !strings.EqualFold(name, PropertyConnectionString) {
		m.err = c.Validate() // a key set on top of a string that had errors
	}
	return nil
}

// settings returns the settings of the moment, or the error that stands.
func (m *Manager) settings() (*Config, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.Config, m.err
}

// Address returns the host:port a session would reach now, Run.Redirect
// included.
func (m *Manager) Address() string {
	cfg, _ := m.settings()
	if c, err := redirect(cfg, m.Run); err == nil {
		cfg = c
	}
	return cfg.Address()
}

// Acquire connects with the manager's settings (as property expressions
// left them) and returns a ready session.
//
// With RetainSameConnection=True (a dtsx extension; SSIS opens a connection
// per Send Mail execution) the session closed by one task is kept and
// handed to the next, after an RSET; when the server has closed it
// meanwhile, a new one is dialled.
func (m *Manager) Acquire(ctx context.Context, opts Options) (*Session, error) {
	opts.serverExpression = m.serverExpression()
	cfg, err := m.settings()
	if err != nil {
		return nil, fmt.Errorf("smtp: connection manager %q: %w", m.Def.Name, err)
	}
	if !cfg.RetainSameConnection {
		return Dial(ctx, m.Def.Name, cfg, opts)
	}
	if s := m.take(cfg); s != nil {
		if s.pipelining() {
			// The RSET goes out with the next envelope; a server that
			// closed the session meanwhile makes Send dial again, with
			// the settings and options of this Acquire.
			s.needReset, s.redialCfg, s.redialOpts = true, cfg, opts
			return s, nil
		}
		err := s.rset(ctx)
		if err == nil {
			return s, nil
		}
		s.c.Close()
		m.log(opts).Debug("retained session gone; dialling again", zap.String("connection", m.Def.Name), zap.Error(err))
	}
	s, err := Dial(ctx, m.Def.Name, cfg, opts)
	if err != nil {
		return nil, err
	}
	s.owner, s.cfg = m, cfg
	return s, nil
}
