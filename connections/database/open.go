package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	mssql "github.com/microsoft/go-mssqldb"
	"github.com/microsoft/go-mssqldb/msdsn"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/connections/credentials"
)

// Options are what a connection is opened with.
type Options struct {
	// Allow, when set, is asked about every host before it is looked up
	// or dialed; an error refuses the connection (an egress fence).
	Allow func(host string) error
	// Dial, when set, replaces net.Dialer's DialContext for every TCP (and
	// SQL Server Browser UDP) connection to a server. The KDCs of a
	// Kerberos login are dialled by gokrb5 itself, after Allow has been
	// asked about each.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Credentials are asked for the Windows credential of a connection
	// with Integrated Security (winauth.go), by the manager's name; nil
	// means the DTSX_DB_ environment variables only.
	Credentials credentials.Source
}

// Errors of Acquire and Open.
var (
	// ErrConfig is matched when the connection string has errors.
	ErrConfig = errors.New("database: the connection string has errors")
	// ErrIntegratedSecurity is matched when a PostgreSQL connection asks
	// for a Windows login (SSPI, GSSAPI), which is not supported; SQL
	// Server's Windows logins are (winauth.go).
	ErrIntegratedSecurity = errors.New("database: Windows authentication (Integrated Security) is supported for SQL Server only; use a user and password")
	// ErrRefused is matched when Options.Allow refuses the host.
	ErrRefused = errors.New("database: the host is not allowed")
	// ErrConnect is matched by every failure to open a session.
	ErrConnect = errors.New("database: cannot connect")
)

// allowHost asks opts.Allow about host.
func (o Options) allowHost(host string) error {
	if o.Allow == nil {
		return nil
	}
	if err := o.Allow(host); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrRefused, host, err)
	}
	return nil
}

// dial is the one dial function of every driver: the allow check on the
// host as given (a name is never resolved to be checked), then the dial.
func (o Options) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if err := o.allowHost(host); err != nil {
		return nil, err
	}
	if o.Dial != nil {
		return o.Dial(ctx, network, addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// hostDialer is go-mssqldb's HostDialer: the driver passes host names
// unresolved, so the allow check comes before any DNS lookup.
type hostDialer struct {
	o    Options
	host string
}

func (h hostDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return h.o.dial(ctx, network, addr)
}

func (h hostDialer) HostName() string { return h.host }

// minScrub is the shortest password scrub looks for: a shorter one would
// match inside ordinary words, and the masks would spell it out.
const minScrub = 4

// scrub removes the password from a driver's message, in case it echoes
// what it was given.
func scrub(s string, cfg *Config) string {
	if pw := string(cfg.password); len(pw) >= minScrub {
		s = strings.ReplaceAll(s, pw, connstr.MaskedValue)
	}
	return s
}

// scrubbedError is an error whose text has the password removed; it
// unwraps to the original, so errors.Is and errors.As still work.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// connectError wraps a failure to connect with the manager and server
// (which hold no password) and the driver's error, scrubbed.
func (m *Manager) connectError(cfg *Config, err error) error {
	prefix := fmt.Sprintf("connection manager %q (%s, %s): ", m.Def.Name, cfg.Provider.Family, cfg.Server())
	if errors.Is(err, ErrRefused) || errors.Is(err, ErrIntegratedSecurity) || errors.Is(err, ErrConfig) || errors.Is(err, ErrNoWindowsCredential) {
		return &scrubbedError{msg: prefix + scrub(err.Error(), cfg), err: err}
	}
	return &scrubbedError{msg: prefix + ErrConnect.Error() + ": " + scrub(err.Error(), cfg), err: errors.Join(ErrConnect, err)}
}

// Open returns a pool of connections with the settings of the moment,
// after a ping that proves the login; the caller closes it. Most callers
// want Acquire.
func (m *Manager) Open(ctx context.Context, opts Options) (*sql.DB, error) {
	cfg := m.Config()
	db, err := openDB(m.Def.Name, cfg, opts)
	if err != nil {
		return nil, m.connectError(cfg, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, m.connectError(cfg, err)
	}
	return db, nil
}

// openDB builds the pool of cfg's driver for the manager called name. It
// does no I/O beyond the allow check and finding a Windows credential.
func openDB(name string, cfg *Config, opts Options) (*sql.DB, error) {
	if len(cfg.Errors) > 0 {
		p := cfg.Errors[0]
		return nil, fmt.Errorf("%w: %s", ErrConfig, p.Msg)
	}
	if cfg.Integrated && cfg.Provider.Family != FamilySQLServer {
		return nil, ErrIntegratedSecurity
	}
	switch cfg.Provider.Family {
	case FamilySQLServer:
		if err := opts.allowHost(cfg.Host); err != nil {
			return nil, err
		}
		login, err := windowsLogin(name, cfg, opts)
		if err != nil {
			return nil, err
		}
		return openSQLServer(cfg, opts, login)
	case FamilyPostgreSQL:
		if err := opts.allowHost(cfg.Host); err != nil {
			return nil, err
		}
		return openPostgres(cfg, opts)
	case FamilySQLite:
		return sql.Open("sqlite", sqliteDSN(cfg))
	}
	return nil, fmt.Errorf("%w: provider %s has no driver", ErrConfig, cfg.Provider)
}

func seconds(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }

// openSQLServer builds go-mssqldb's connector with the login.
func openSQLServer(cfg *Config, opts Options, login Login) (*sql.DB, error) {
	dsn, err := sqlServerConfig(cfg)
	if err != nil {
		return nil, err
	}
	if err := applyLogin(&dsn, login, opts); err != nil {
		return nil, err
	}
	c := mssql.NewConnectorConfig(dsn)
	c.Dialer = hostDialer{o: opts, host: cfg.Host}
	return sql.OpenDB(scrubConnector{Connector: c, password: string(login.password)}), nil
}

// sqlServerConfig translates cfg into go-mssqldb's settings; the password
// is set on the parsed settings, never written into a string.
func sqlServerConfig(cfg *Config) (msdsn.Config, error) {
	q := url.Values{}
	if cfg.Database != "" {
		q.Set("database", cfg.Database)
	}
	q.Set("encrypt", cfg.Encrypt)
	if cfg.TrustServerCertificate {
		q.Set("TrustServerCertificate", "true")
	}
	if cfg.AppName != "" {
		q.Set("app name", cfg.AppName)
	}
	q.Set("dial timeout", seconds(cfg.ConnectTimeout))
	q.Set("connection timeout", seconds(cfg.ConnectTimeout))
	u := url.URL{Scheme: "sqlserver", Host: cfg.Host, RawQuery: q.Encode()}
	if cfg.User != "" {
		u.User = url.User(cfg.User)
	}
	if cfg.Port != 0 {
		u.Host = net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	}
	if cfg.Instance != "" {
		u.Path = "/" + cfg.Instance
	}
	dsn, err := msdsn.Parse(u.String())
	if err != nil {
		return msdsn.Config{}, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	dsn.Password = string(cfg.password)
	return dsn, nil
}

// pgQuote quotes a value of a libpq keyword/value connection string.
func pgQuote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// openPostgres builds pgx's configuration with the fence's lookup and
// dial functions.
func openPostgres(cfg *Config, opts Options) (*sql.DB, error) {
	pc, err := postgresConfig(cfg)
	if err != nil {
		return nil, err
	}
	pc.LookupFunc = func(ctx context.Context, host string) ([]string, error) {
		if err := opts.allowHost(host); err != nil {
			return nil, err
		}
		if net.ParseIP(strings.Trim(host, "[]")) != nil {
			return []string{strings.Trim(host, "[]")}, nil
		}
		return net.DefaultResolver.LookupHost(ctx, host)
	}
	// The host was checked before its lookup; the dial gets its addresses.
	pc.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if opts.Dial != nil {
			return opts.Dial(ctx, network, addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return stdlib.OpenDB(*pc), nil
}

// postgresConfig translates cfg into pgx's settings; the password is set
// on them, never written into a string.
func postgresConfig(cfg *Config) (*pgx.ConnConfig, error) {
	port := cfg.Port
	if port == 0 {
		port = 5432
	}
	parts := []string{"host=" + pgQuote(cfg.Host), "port=" + strconv.Itoa(port), "sslmode=" + cfg.SSLMode,
		"connect_timeout=" + seconds(cfg.ConnectTimeout)}
	if cfg.Database != "" {
		parts = append(parts, "dbname="+pgQuote(cfg.Database))
	}
	if cfg.User != "" {
		parts = append(parts, "user="+pgQuote(cfg.User))
	}
	if cfg.AppName != "" {
		parts = append(parts, "application_name="+pgQuote(cfg.AppName))
	}
	pc, err := pgx.ParseConfig(strings.Join(parts, " "))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	pc.Password = string(cfg.password)
	if cfg.TrustServerCertificate && pc.TLSConfig != nil {
		pc.TLSConfig.InsecureSkipVerify = true
		for _, fb := range pc.Fallbacks {
			if fb.TLSConfig != nil {
				fb.TLSConfig.InsecureSkipVerify = true
			}
		}
	}
	return pc, nil
}

// sqliteDSN returns modernc.org/sqlite's file: URI for cfg.
func sqliteDSN(cfg *Config) string {
	path := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(cfg.Path)
	q := []string{}
	switch {
	case cfg.ReadOnly:
		q = append(q, "mode=ro")
	case cfg.FailIfMissing:
		q = append(q, "mode=rw")
	}
	if cfg.ForeignKeys {
		q = append(q, "_pragma=foreign_keys(1)")
	}
	if cfg.JournalMode != "" {
		q = append(q, "_pragma=journal_mode("+cfg.JournalMode+")")
	}
	if cfg.BusyTimeout > 0 {
		q = append(q, "_pragma=busy_timeout("+strconv.FormatInt(cfg.BusyTimeout.Milliseconds(), 10)+")")
	}
	dsn := "file:" + path
	if len(q) > 0 {
		dsn += "?" + strings.Join(q, "&")
	}
	return dsn
}

// Session is one acquired connection.
type Session struct {
	// Conn is the connection; with RetainSameConnection the same one is
	// handed to every acquisition.
	Conn *sql.Conn
	// Config is the settings it was made with.
	Config   *Config
	retained bool
}

// Retained reports whether the session is the one RetainSameConnection
// keeps.
func (s *Session) Retained() bool { return s.retained }

// Release gives the session back: a retained one stays open for the
// next acquisition, any other is closed.
func (s *Session) Release() error {
	if s.retained {
		return nil
	}
	return s.Conn.Close()
}

// pooled returns the pool of cfg, made anew when the settings changed
// since the last one (which is then closed).
func (m *Manager) pooled(cfg *Config, opts Options) (*sql.DB, error) {
	cs := cfg.ConnectionString()
	if m.pool != nil && m.poolCS == cs {
		return m.pool, nil
	}
	if m.kept != nil {
		m.kept.Close()
		m.kept = nil
	}
	if m.pool != nil {
		m.pool.Close()
		m.pool = nil
	}
	db, err := openDB(m.Def.Name, cfg, opts)
	if err != nil {
		return nil, err
	}
	// A connection per acquisition, as SSIS does without
	// RetainSameConnection: none is kept idle.
	db.SetMaxIdleConns(0)
	m.pool, m.poolCS = db, cs
	return db, nil
}

// Acquire opens a session with the settings of the moment, or hands out
// the retained one. The host is checked with opts.Allow before any lookup.
// The connections of one set of settings share a pool made with the
// Options of its first acquisition; new settings (SetProperty) make a new
// pool and end the retained session of the old one.
func (m *Manager) Acquire(ctx context.Context, opts Options) (*Session, error) {
	m.mu.RLock()
	cfg, retain := m.cfg, m.retain
	m.mu.RUnlock()
	m.poolMu.Lock()
	defer m.poolMu.Unlock()
	db, err := m.pooled(cfg, opts)
	if err != nil {
		return nil, m.connectError(cfg, err)
	}
	if retain && m.kept != nil {
		if err := m.keptAlive(ctx); err == nil {
			m.keptUsed = time.Now()
			return &Session{Conn: m.kept, Config: cfg, retained: true}, nil
		}
		m.kept.Close()
		m.kept = nil
	}
	conn, err := db.Conn(ctx)
	if err == nil {
		err = conn.PingContext(ctx)
		if err != nil {
			conn.Close()
		}
	}
	if err != nil {
		return nil, m.connectError(cfg, err)
	}
	if retain {
		m.kept, m.keptUsed = conn, time.Now()
		return &Session{Conn: conn, Config: cfg, retained: true}, nil
	}
	return &Session{Conn: conn, Config: cfg}, nil
}

// Close ends the retained session, if any, and the pool. The runtime
// calls it when a run ends.
func (m *Manager) Close() error {
	m.poolMu.Lock()
	defer m.poolMu.Unlock()
	var errs []error
	if m.kept != nil {
		errs = append(errs, m.kept.Close())
		m.kept = nil
	}
	if m.pool != nil {
		errs = append(errs, m.pool.Close())
		m.pool = nil
	}
	return errors.Join(errs...)
}

var (
	_ connections.Configurable = (*Manager)(nil)
	_ mssql.HostDialer         = hostDialer{}
)

// idlePing is how long the retained session may sit unused before an
// acquisition pings it; one used more recently is only asked whether the
// driver still holds it open, with no round trip, so that a task in a loop
// costs one round trip per statement, not two.
const idlePing = 30 * time.Second

// keptAlive reports whether the retained session can be handed out again:
// the driver still holds it open (driver.Validator, or pgx's own
// IsClosed) and, when it has been
// idle for idlePing or longer, the server answers a ping.
func (m *Manager) keptAlive(ctx context.Context) error {
	err := m.kept.Raw(func(dc any) error {
		switch c := dc.(type) {
		case driver.Validator: // go-mssqldb
			if !c.IsValid() {
				return driver.ErrBadConn
			}
		case interface{ Conn() *pgx.Conn }: // pgx's stdlib, which has no Validator
			if c.Conn().IsClosed() {
				return driver.ErrBadConn
			}
		}
		return nil
	})
	if err != nil || time.Since(m.keptUsed) < idlePing {
		return err
	}
	return m.kept.PingContext(ctx)
}
