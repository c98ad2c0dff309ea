package database

// Windows logins of SQL Server (Integrated Security=SSPI,
// Trusted_Connection=yes) from Linux: Kerberos from a keytab or ticket
// cache (winauth_krb5.go), or NTLM with a user and password (go-mssqldb's
// own ntlm authenticator), both from the credential sources every
// connection type shares (connections/credentials), chosen by the
// connection's own settings.

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/microsoft/go-mssqldb/msdsn"

	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/connections/credentials"
)

// EnvPrefix starts the names of the database credential variables:
// DTSX_DB_<NAME>_USERNAME, _PASSWORD and _DOMAIN (credentials.Env).
const EnvPrefix = "DTSX_DB_"

// DefaultCredentials returns the credential chain of the command line for
// the database managers: explicit overrides (may be nil), the DTSX_DB_
// variables, then the credentials file at path (when not "").
func DefaultCredentials(overrides credentials.Static, path string) (credentials.Chain, error) {
	return credentials.Default(EnvPrefix, overrides, path)
}

// Kinds of login.
const (
	// LoginSQL is a SQL Server login (User ID and Password), or the
	// login of PostgreSQL and SQLite.
	LoginSQL = "SQL"
	// LoginKerberos is a Windows login with a Kerberos ticket for the
	// server's service principal.
	LoginKerberos = "Kerberos"
	// LoginNTLM is a Windows login with NTLM (DOMAIN\user and password).
	LoginNTLM = "NTLM"
)

// ErrNoWindowsCredential is matched when a Windows login finds neither a
// Kerberos credential nor a user and password.
var ErrNoWindowsCredential = errors.New("database: Integrated Security needs a Windows credential")

// Login is how a connection logs in. It holds no secret that prints.
type Login struct {
	// Kind is LoginSQL, LoginKerberos or LoginNTLM.
	Kind string
	// User is the user (DOMAIN\user for NTLM, user@REALM for Kerberos; ""
	// for Kerberos from a ticket cache, whose principal logs in).
	User string
	// SPN is the service principal of a Kerberos login (MSSQLSvc/host:port).
	SPN string
	// Realm is the Kerberos realm.
	Realm string
	// Source says where the credential came from (a keytab, a ticket cache,
	// a credential source).
	Source string

	password secret
	keytab   string // the keytab file, or ""
	ccache   string // the ticket cache file, or ""
	krb5conf string // the krb5.conf of a Kerberos login
}

// String describes the login for messages.
func (l Login) String() string {
	switch l.Kind {
	case LoginKerberos:
		who := l.User
		if who == "" {
			who = "the principal of the ticket cache"
		}
		return fmt.Sprintf("Kerberos as %s for %s (credential from %s)", who, l.SPN, l.Source)
	case LoginNTLM:
		return fmt.Sprintf("NTLM as %s (credential from %s)", l.User, l.Source)
	}
	return "SQL login"
}

// GoString is String, so that %#v does not print the password either.
func (l Login) GoString() string { return "database.Login(" + l.String() + ")" }

// ServicePrincipalName returns the service principal of a SQL Server, as
// SQL Server registers it: MSSQLSvc/<host>:<port> for TCP (1433 when no
// port is given) and MSSQLSvc/<host>:<instance> for a named instance whose
// port the SQL Server Browser gives
// (https://learn.microsoft.com/sql/database-engine/configure-windows/register-a-service-principal-name-for-kerberos-connections).
// The host is lower-cased and used as written: Kerberos needs the name the
// server's account registered, usually its fully qualified name.
func ServicePrincipalName(cfg *Config) string {
	host := strings.ToLower(strings.TrimSuffix(cfg.Host, "."))
	switch {
	case cfg.Port != 0:
		return "MSSQLSvc/" + host + ":" + strconv.Itoa(cfg.Port)
	case cfg.Instance != "":
		return "MSSQLSvc/" + host + ":" + cfg.Instance
	}
	return "MSSQLSvc/" + host + ":1433"
}

// Login returns the login the connection makes with opts, without any I/O
// beyond reading krb5.conf and a keytab's principal names: a SQL login
// unless Integrated Security (or Trusted_Connection) is set. A Windows
// login is Kerberos when the environment has a keytab (KRB5_CLIENT_KTNAME,
// KRB5_KTNAME) or a ticket cache (KRB5CCNAME, /tmp/krb5cc_<uid>) and the
// server is named by host name, as Windows prefers Kerberos; otherwise
// NTLM with the user and password that opts.Credentials (the DTSX_DB_
// variables when nil) have for the manager. Neither gives an error
// matching ErrNoWindowsCredential that says what to set.
func (m *Manager) Login(opts Options) (Login, error) {
	return windowsLogin(m.Def.Name, m.Config(), opts)
}

func windowsLogin(name string, cfg *Config, opts Options) (Login, error) {
	if !cfg.Integrated {
		return Login{Kind: LoginSQL, User: cfg.User}, nil
	}
	if cfg.Provider.Family != FamilySQLServer {
		return Login{}, ErrIntegratedSecurity
	}
	src := opts.Credentials
	if src == nil {
		src = credentials.Env{Prefix: EnvPrefix}
	}
	cred, found, err := src.Credential(name)
	if err != nil {
		return Login{}, fmt.Errorf("%w: the credential sources: %w", ErrNoWindowsCredential, err)
	}
	krb, hasKrb, krbErr := credentials.FindKerberos()
	if hasKrb && krbErr == nil && !krb.Present() {
		hasKrb = false // no ticket cache: NTLM, or the error below
	}
	byName := !isAddress(cfg.Host)
	switch {
	case hasKrb && krbErr != nil && byName:
		return Login{}, fmt.Errorf("%w: %w (give a keytab file with %s=FILE:/path, or a file ticket cache: export %s=FILE:/tmp/krb5cc_$(id -u) and kinit again)",
			ErrNoWindowsCredential, krbErr, credentials.EnvKrb5Keytab, credentials.EnvKrb5CCache)
	case hasKrb && byName:
		return kerberosLogin(name, cfg, krb, cred, found)
	case found && cred.UserName != "" && cred.Password != "":
		user, domain := cred.SplitUser()
		if domain == "" {
			if u, d, ok := strings.Cut(user, "@"); ok {
				user, domain = u, d
			}
		}
		return Login{Kind: LoginNTLM, User: domain + `\` + user, Source: cred.Source, password: secret(cred.Password)}, nil
	}
	why := fmt.Sprintf("no Kerberos keytab (%s, %s) or ticket cache (%s)", credentials.EnvKrb5ClientKeytab, credentials.EnvKrb5Keytab, credentials.EnvKrb5CCache)
	if hasKrb && !byName {
		why = fmt.Sprintf("the server is named by its address %s, and Kerberos needs its host name for the service principal", cfg.Host)
	}
	return Login{}, fmt.Errorf("%w: %s, and no user and password for %q in the credential sources: set %s=user@REALM and %s=FILE:/path/to/keytab, or run kinit, "+
		"or for NTLM give DOMAIN\\user and a password as %s and %s (or in the --credentials file under %q)",
		ErrNoWindowsCredential, why, name, credentials.EnvName(EnvPrefix, name, "USERNAME"), credentials.EnvKrb5Keytab,
		credentials.EnvName(EnvPrefix, name, "USERNAME"), credentials.EnvName(EnvPrefix, name, "PASSWORD"), name)
}

// kerberosLogin settles a Kerberos login: the principal is the credential
// source's user, else the keytab's only principal, else (a ticket cache)
// the cache's own.
func kerberosLogin(name string, cfg *Config, krb credentials.Kerberos, cred credentials.Credential, found bool) (Login, error) {
	kc, confPath, err := credentials.Krb5Config()
	if err != nil {
		return Login{}, fmt.Errorf("%w: cannot read the Kerberos configuration %s: %w (point %s at a krb5.conf that names your realm and its KDCs)",
			ErrNoWindowsCredential, confPath, err, credentials.EnvKrb5Config)
	}
	l := Login{Kind: LoginKerberos, SPN: ServicePrincipalName(cfg), Source: krb.String(), krb5conf: confPath}
	user := ""
	if found && cred.UserName != "" {
		user, l.Realm = credentials.Realm(cred.UserName, cred.Domain, kc)
	}
	if krb.Keytab {
		l.keytab = krb.Path
		if user == "" {
			held, err := credentials.KeytabPrincipals(krb.Path)
			switch {
			case err != nil:
				return Login{}, fmt.Errorf("%w: cannot read the %s: %w", ErrNoWindowsCredential, krb, err)
			case len(held) != 1:
				return Login{}, fmt.Errorf("%w: the %s holds %d principals and no user is named: set %s=user@REALM",
					ErrNoWindowsCredential, krb, len(held), credentials.EnvName(EnvPrefix, name, "USERNAME"))
			}
			user, l.Realm = credentials.Realm(held[0], "", kc)
		}
	} else {
		l.ccache = krb.Path
		user = "" // the cache's principal logs in
		l.Realm = ""
	}
	if user != "" && l.Realm == "" {
		return Login{}, fmt.Errorf("%w: the user %q has no Kerberos realm: write it as user@REALM (%s), or set default_realm in %s",
			ErrNoWindowsCredential, user, credentials.EnvName(EnvPrefix, name, "USERNAME"), confPath)
	}
	if user != "" {
		l.User = user + "@" + l.Realm
	}
	return l, nil
}

func isAddress(host string) bool {
	_, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil
}

// applyLogin sets a Windows login on go-mssqldb's settings: the
// authenticator, chosen by the connection's "authenticator" parameter, is
// the driver's "ntlm" or this package's Kerberos one, with the service
// principal, realm, krb5.conf and keytab or ticket cache. With an egress
// fence the KDCs come from krb5.conf only (no DNS lookups) and each must
// be allowed.
func applyLogin(dsn *msdsn.Config, l Login, opts Options) error {
	if dsn.Parameters == nil {
		dsn.Parameters = map[string]string{}
	}
	switch l.Kind {
	case LoginNTLM:
		dsn.Parameters["authenticator"] = "ntlm"
		dsn.User, dsn.Password = l.User, string(l.password)
	case LoginKerberos:
		if err := registerKerberos(); err != nil {
			return err
		}
		dsn.Parameters["authenticator"] = krbAuthenticator
		dsn.ServerSPN = l.SPN
		dsn.Parameters[krbParamConfig] = l.krb5conf
		dsn.User, dsn.Password = "", ""
		if l.keytab != "" {
			dsn.Parameters[krbParamKeytab] = l.keytab
			dsn.User, _, _ = strings.Cut(l.User, "@")
			dsn.Parameters[krbParamRealm] = l.Realm
		} else {
			dsn.Parameters[krbParamCCache] = l.ccache
		}
		if opts.Allow != nil {
			dsn.Parameters[krbParamNoDNS] = "true"
			if err := fenceKDCs(l, opts); err != nil {
				return err
			}
		}
	}
	return nil
}

// fenceKDCs asks opts.Allow about every KDC krb5.conf names for the realm
// of the login (every realm, for a ticket cache whose realm is not known
// before it is read).
func fenceKDCs(l Login, opts Options) error {
	kc, _, err := credentials.Krb5Config()
	if err != nil {
		return err
	}
	for _, r := range kc.Realms {
		if l.Realm != "" && r.Realm != l.Realm {
			continue
		}
		for _, kdc := range r.KDC {
			h, _, err := net.SplitHostPort(kdc)
			if err != nil {
				h = kdc
			}
			if err := opts.allowHost(h); err != nil {
				return fmt.Errorf("the KDC %s of realm %s: %w", kdc, r.Realm, err)
			}
		}
	}
	return nil
}

// scrubConnector removes the password of an NTLM login from the driver's
// errors, in case one echoes what it was given.
type scrubConnector struct {
	*mssql.Connector
	password string
}

// Connect opens a connection and scrubs its error.
func (c scrubConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil && len(c.password) >= minScrub && strings.Contains(err.Error(), c.password) {
		return nil, &scrubbedError{msg: strings.ReplaceAll(err.Error(), c.password, connstr.MaskedValue), err: err}
	}
	return conn, err
}

var _ driver.Connector = scrubConnector{}
