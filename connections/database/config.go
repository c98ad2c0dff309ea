package database

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/connections/connstr"
)

// Problem codes of a connection string, used as diagnostic codes.
const (
	CodeSyntax        = "db-connection-string-syntax"
	CodeUnsupported   = "db-unsupported-provider"
	CodeUnknownKey    = "db-unknown-key"
	CodeSecurityKey   = "db-unsupported-security-key"
	CodeBadValue      = "db-bad-value"
	CodeNoServer      = "db-no-server"
	CodeNoFile        = "db-no-database-file"
	CodeIntegratedSec = "db-integrated-security"
)

// Problem is one thing wrong with a connection string. Its Msg never holds
// the password.
type Problem struct {
	Code string
	Key  string // the keyword, as written, or ""
	Msg  string
	Hint string
}

// Config is a connection string read for its family's driver. The
// password is kept unexported and never printed.
type Config struct {
	Provider Provider
	// Host is the server's host name or address ("localhost" for (local)
	// and "."); Instance the SQL Server named instance; Port 0 for the
	// driver's default (or the SQL Server Browser's answer for an instance).
	Host     string
	Instance string
	Port     int
	Database string
	User     string
	// Integrated is Integrated Security=SSPI/True or Trusted_Connection=yes:
	// a Windows login (Kerberos or NTLM, winauth.go) on SQL Server.
	Integrated bool
	// Encrypt is SQL Server's encryption: "true" (mandatory), "false"
	// (optional: the login only), "strict" (TDS 8) or "disable".
	Encrypt                string
	TrustServerCertificate bool
	// SSLMode is PostgreSQL's sslmode: disable, allow, prefer, require,
	// verify-ca or verify-full.
	SSLMode string
	AppName string
	// ConnectTimeout bounds the login; 0 waits as long as the context
	// allows (Connect Timeout=0).
	ConnectTimeout time.Duration
	// Path is the SQLite database file (or ":memory:"); ReadOnly,
	// FailIfMissing, ForeignKeys, JournalMode and BusyTimeout are its
	// System.Data.SQLite options.
	Path          string
	ReadOnly      bool
	FailIfMissing bool
	ForeignKeys   bool
	JournalMode   string
	BusyTimeout   time.Duration

	// Errors make the connection unusable; Warnings do not.
	Errors   []Problem
	Warnings []Problem

	password secret
	hasPass  bool
	cs       secret
}

// secret is a string that prints masked, whatever the verb.
type secret string

// String returns the mask.
func (secret) String() string { return connstr.MaskedValue }

// GoString returns the mask.
func (secret) GoString() string { return connstr.MaskedValue }

// field is what a keyword sets.
type field int

const (
	fProvider field = iota + 1
	fServer
	fPort
	fDatabase
	fUser
	fPassword
	fIntegrated
	fTrusted
	fEncrypt
	fUseEncryption
	fTrustCert
	fSSLMode
	fAppName
	fTimeout
	fPath
	fReadOnly
	fFailIfMissing
	fForeignKeys
	fJournalMode
	fBusyTimeout
	fIgnored // known, with no effect on a connection made here
)

// Keywords per family, lower case. Spaces inside keywords matter, as in
// .NET, but each family lists the spellings its providers accept.
var (
	commonKeys = map[string]field{
		"provider": fProvider, "driver": fProvider, "password": fPassword, "pwd": fPassword,
		"port": fPort, "persist security info": fIgnored, "persistsecurityinfo": fIgnored,
		"pooling": fIgnored, "min pool size": fIgnored, "max pool size": fIgnored,
		"connection lifetime": fIgnored, "load balance timeout": fIgnored,
	}
	sqlServerKeys = map[string]field{
		"data source": fServer, "server": fServer, "address": fServer, "addr": fServer, "network address": fServer,
		"initial catalog": fDatabase, "database": fDatabase,
		"user id": fUser, "uid": fUser, "user": fUser,
		"integrated security": fIntegrated, "trusted_connection": fTrusted,
		"encrypt": fEncrypt, "use encryption for data": fUseEncryption,
		"trustservercertificate": fTrustCert, "trust server certificate": fTrustCert,
		"application name": fAppName, "app": fAppName,
		"connect timeout": fTimeout, "connection timeout": fTimeout, "timeout": fTimeout, "login timeout": fTimeout,
		"auto translate": fIgnored, "autotranslate": fIgnored, "packet size": fIgnored, "workstation id": fIgnored,
		"wsid": fIgnored, "multipleactiveresultsets": fIgnored, "multiple active result sets": fIgnored,
		"mars connection": fIgnored, "current language": fIgnored, "language": fIgnored,
		"use procedure for prepare": fIgnored, "tag with column collation when possible": fIgnored,
		"locale identifier": fIgnored, "general timeout": fIgnored, "datatypecompatibility": fIgnored,
		"regional": fIgnored, "quotedid": fIgnored, "ansinpw": fIgnored,
	}
	postgresKeys = map[string]field{
		"host": fServer, "server": fServer, "data source": fServer,
		"database": fDatabase, "initial catalog": fDatabase, "db": fDatabase,
		"username": fUser, "user name": fUser, "user id": fUser, "userid": fUser, "user": fUser, "uid": fUser,
		"integrated security": fIntegrated, "ssl mode": fSSLMode, "sslmode": fSSLMode, "trust server certificate": fTrustCert,
		"application name": fAppName, "applicationname": fAppName,
		"timeout": fTimeout, "connect timeout": fTimeout, "connection timeout": fTimeout,
		"command timeout": fIgnored, "encoding": fIgnored, "client encoding": fIgnored,
	}
	sqliteKeys = map[string]field{
		"data source": fPath, "datasource": fPath, "database": fPath, "filename": fPath,
		"read only": fReadOnly, "readonly": fReadOnly, "failifmissing": fFailIfMissing, "nocreat": fFailIfMissing,
		"foreign keys": fForeignKeys, "foreignkeys": fForeignKeys, "fksupport": fForeignKeys,
		"journal mode": fJournalMode, "journalmode": fJournalMode,
		"default timeout": fBusyTimeout, "busytimeout": fBusyTimeout, "timeout": fBusyTimeout,
		"version": fIgnored, "new": fIgnored, "synchronous": fIgnored, "cache size": fIgnored, "page size": fIgnored,
		"datetimeformat": fIgnored, "binaryguid": fIgnored,
	}
)

// securityWords mark an unknown keyword that may change how the
// connection is secured: an error rather than a warning.
var securityWords = []string{"auth", "cert", "crypt", "ssl", "tls", "trust", "secur", "kerberos", "krb", "gss",
	"sspi", "credential", "key", "token", "secret", "column encryption", "host name in"}

// ParseConfig reads the connection string cs of a manager with the given
// CreationName. It does no I/O and never fails: what is wrong is in the
// returned Config's Errors and Warnings.
func ParseConfig(creationName, cs string) *Config {
	c := &Config{cs: secret(cs), ConnectTimeout: 15 * time.Second}
	pairs, err := connstr.Parse(cs)
	if err != nil {
		c.Provider = Classify(creationName, "")
		c.errorf(CodeSyntax, "", "the connection string does not parse: "+err.Error(), "correct its quoting (values with ';' are quoted with \" or ')")
		return c
	}
	provider := ""
	for _, p := range pairs {
		if k := strings.ToLower(p.Key); k == "provider" || k == "driver" {
			provider = p.Value
		}
	}
	c.Provider = Classify(creationName, provider)
	var keys map[string]field
	switch c.Provider.Family {
	case FamilySQLServer:
		keys = sqlServerKeys
	case FamilyPostgreSQL:
		keys = postgresKeys
	case FamilySQLite:
		keys = sqliteKeys
	default:
		if c.Provider.Kind == KindUnknown {
			c.errorf(CodeUnsupported, "", fmt.Sprintf("CreationName %q is not an OLEDB, ADO.NET or ODBC connection manager", creationName), "")
		} else {
			c.errorf(CodeUnsupported, "", c.Provider.unsupportedMessage(), c.Provider.unsupportedHint())
		}
		return c
	}
	for _, p := range pairs {
		k := strings.ToLower(strings.TrimSpace(p.Key))
		f, ok := keys[k]
		if !ok {
			f, ok = commonKeys[k]
		}
		if !ok {
			c.unknown(p.Key)
			continue
		}
		if c.Provider.Kind == KindODBC {
			p.Value = unbrace(p.Value)
		}
		c.set(f, p)
	}
	c.finish()
	return c
}

// unbrace reads an ODBC value quoted with braces ({x}, with "}}" for "}").
// A ';' inside braces is not supported: the string does not parse.
func unbrace(v string) string {
	t := strings.TrimSpace(v)
	if len(t) >= 2 && t[0] == '{' && t[len(t)-1] == '}' {
		return strings.ReplaceAll(t[1:len(t)-1], "}}", "}")
	}
	return v
}

func (c *Config) errorf(code, key, msg, hint string) {
	c.Errors = append(c.Errors, Problem{Code: code, Key: key, Msg: msg, Hint: hint})
}

func (c *Config) warnf(code, key, msg, hint string) {
	c.Warnings = append(c.Warnings, Problem{Code: code, Key: key, Msg: msg, Hint: hint})
}

func (c *Config) unknown(key string) {
	lower := strings.ToLower(key)
	for _, w := range securityWords {
		if strings.Contains(lower, w) {
			c.errorf(CodeSecurityKey, key, fmt.Sprintf("keyword %q changes how the %s connection is secured and is not supported here", key, c.Provider.Family),
				"remove it, or use the keywords this runtime reads (Encrypt, TrustServerCertificate, SSL Mode, Integrated Security)")
			return
		}
	}
	c.warnf(CodeUnknownKey, key, fmt.Sprintf("keyword %q is not read by the %s driver and is ignored", key, c.Provider.Family), "remove it if it is not needed")
}

// bad reports a value that does not parse; the value is quoted only for a
// keyword that is not sensitive.
func (c *Config) bad(p connstr.Pair, want string) {
	v := fmt.Sprintf("%q", p.Value)
	if connstr.IsSensitiveKey(p.Key) {
		v = "its value"
	}
	c.errorf(CodeBadValue, p.Key, fmt.Sprintf("%s is %s", p.Key, v), "use "+want)
}

// parsed reads v with parse; a value it cannot read is reported as bad,
// with want, and ok is false.
func parsed[T any](c *Config, p connstr.Pair, v string, parse func(string) (T, bool), want string) (_ T, ok bool) {
	x, ok := parse(v)
	if !ok {
		c.bad(p, want)
	}
	return x, ok
}

// parsePort reads a TCP port, 1 to 65535.
func parsePort(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 65535
}

// parseCount reads a whole number, 0 or more.
func parseCount(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// parseBool reads a Boolean of a connection string (connstr.ParseBool),
// or On and Off; an empty value is False.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "on":
		return true, true
	case "off", "":
		return false, true
	}
	return connstr.ParseBool(s)
}

func (c *Config) set(f field, p connstr.Pair) {
	v := strings.TrimSpace(p.Value)
	switch f {
	case fProvider, fIgnored:
	case fServer:
		c.setServer(p)
	case fPort:
		if n, ok := parsed(c, p, v, parsePort, "a TCP port, 1 to 65535"); ok {
			c.Port = n
		}
	case fDatabase:
		c.Database = v
	case fUser:
		c.User = v
	case fPassword:
		if c.Provider.Family == FamilySQLite {
			c.errorf(CodeSecurityKey, p.Key, "an encrypted SQLite database (Password) is not supported: modernc.org/sqlite has no encryption",
				"decrypt the database file and remove Password")
			return
		}
		c.password, c.hasPass = secret(p.Value), true
	case fIntegrated:
		if strings.EqualFold(v, "sspi") {
			c.Integrated = true
			return
		}
		if b, ok := parsed(c, p, v, parseBool, "SSPI, True or False"); ok {
			c.Integrated = b
		}
	case fTrusted:
		if b, ok := parsed(c, p, v, parseBool, "Yes or No"); ok {
			c.Integrated = b
		}
	case fEncrypt, fUseEncryption:
		switch strings.ToLower(v) {
		case "true", "yes", "mandatory":
			c.Encrypt = "true"
		case "false", "no", "optional":
			c.Encrypt = "false"
		case "strict":
			c.Encrypt = "strict"
		default:
			c.bad(p, "True, False, Mandatory, Optional or Strict")
		}
	case fTrustCert:
		if b, ok := parsed(c, p, v, parseBool, "True or False"); ok {
			c.TrustServerCertificate = b
		}
	case fSSLMode:
		m := strings.ToLower(strings.ReplaceAll(v, "-", ""))
		modes := map[string]string{"disable": "disable", "allow": "allow", "prefer": "prefer", "require": "require",
			"verifyca": "verify-ca", "verifyfull": "verify-full"}
		s, ok := modes[m]
		if !ok {
			c.bad(p, "Disable, Allow, Prefer, Require, VerifyCA or VerifyFull")
			return
		}
		c.SSLMode = s
	case fAppName:
		c.AppName = v
	case fTimeout:
		if n, ok := parsed(c, p, v, parseCount, "a number of seconds (0 waits indefinitely)"); ok {
			c.ConnectTimeout = time.Duration(n) * time.Second
		}
	case fPath:
		c.Path = v
	case fReadOnly, fFailIfMissing, fForeignKeys:
		b, ok := parsed(c, p, v, parseBool, "True or False")
		if !ok {
			return
		}
		switch f {
		case fReadOnly:
			c.ReadOnly = b
		case fFailIfMissing:
			c.FailIfMissing = b
		default:
			c.ForeignKeys = b
		}
	case fJournalMode:
		m := strings.ToLower(v)
		switch m {
		case "delete", "truncate", "persist", "memory", "wal", "off":
			c.JournalMode = m
		default:
			c.bad(p, "Delete, Truncate, Persist, Memory, Wal or Off")
		}
	case fBusyTimeout:
		n, ok := parsed(c, p, v, parseCount, "a number")
		if !ok {
			return
		}
		if strings.EqualFold(p.Key, "default timeout") {
			c.BusyTimeout = time.Duration(n) * time.Second // System.Data.SQLite: seconds
		} else {
			c.BusyTimeout = time.Duration(n) * time.Millisecond // the SQLite ODBC driver: milliseconds
		}
	}
}

// setServer reads a server: host, host\instance, host,port, tcp:host,
// (local), "." and, for PostgreSQL, host:port.
func (c *Config) setServer(p connstr.Pair) {
	v := strings.TrimSpace(p.Value)
	lower := strings.ToLower(v)
	switch {
	case strings.HasPrefix(lower, "tcp:"):
		v = v[4:]
	case strings.HasPrefix(lower, "np:"), strings.HasPrefix(lower, "lpc:"), strings.HasPrefix(lower, "admin:"),
		strings.HasPrefix(lower, "(localdb)"):
		c.errorf(CodeBadValue, p.Key, fmt.Sprintf("%s %q uses named pipes, shared memory, the DAC or LocalDB, which exist only on Windows", p.Key, v),
			"name the server by host (and port or instance) over TCP")
		return
	}
	port := 0
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		n, ok := parsePort(strings.TrimSpace(v[i+1:]))
		if !ok {
			c.errorf(CodeBadValue, p.Key, fmt.Sprintf("%s %q: the port after ',' is not a TCP port", p.Key, v), "write host,port (1 to 65535)")
			return
		}
		port, v = n, strings.TrimSpace(v[:i])
	} else if c.Provider.Family == FamilyPostgreSQL && strings.Count(v, ":") == 1 {
		i := strings.IndexByte(v, ':')
		n, ok := parsePort(v[i+1:])
		if !ok {
			c.errorf(CodeBadValue, p.Key, fmt.Sprintf("%s %q: the port after ':' is not a TCP port", p.Key, v), "write host:port (1 to 65535)")
			return
		}
		port, v = n, v[:i]
	}
	inst := ""
	if i := strings.IndexByte(v, '\\'); i >= 0 {
		v, inst = v[:i], v[i+1:]
		if c.Provider.Family != FamilySQLServer {
			c.errorf(CodeBadValue, p.Key, fmt.Sprintf("%s %q: a named instance exists only on SQL Server", p.Key, p.Value), "write the host (and Port)")
			return
		}
	}
	switch strings.ToLower(v) {
	case "(local)", ".", "":
		if v == "" && inst == "" {
			c.Host, c.Instance = "", ""
			return
		}
		v = "localhost"
	}
	if c.Provider.Family == FamilyPostgreSQL && strings.Contains(v, ",") {
		c.errorf(CodeBadValue, p.Key, fmt.Sprintf("%s %q lists several hosts, which is not supported yet", p.Key, p.Value), "name one host")
		return
	}
	c.Host, c.Instance = strings.Trim(v, "[]"), inst
	if port != 0 {
		c.Port = port
	}
}

// finish applies the family's defaults and checks what is required.
func (c *Config) finish() {
	switch c.Provider.Family {
	case FamilySQLServer, FamilyPostgreSQL:
		if c.Host == "" {
			c.errorf(CodeNoServer, "", "the connection string names no server", "set Data Source (or Server, Host), or the ServerName property")
		}
		if c.Integrated && c.Provider.Family != FamilySQLServer {
			c.warnf(CodeIntegratedSec, "", "Windows authentication (Integrated Security) is supported for SQL Server only: connecting will fail",
				"give a user and password")
		}
	case FamilySQLite:
		if c.Path == "" {
			c.errorf(CodeNoFile, "", "the connection string names no database file", "set Data Source to the file (or :memory:)")
		}
	}
	if c.Provider.Family == FamilySQLServer && c.Encrypt == "" {
		c.Encrypt = "false"
		if encryptsByDefault(c.Provider) {
			c.Encrypt = "true"
		}
	}
	if c.Provider.Family == FamilyPostgreSQL && c.SSLMode == "" {
		c.SSLMode = "prefer"
	}
}

// encryptsByDefault reports the SQL Server providers whose Encrypt default
// is mandatory: MSOLEDBSQL 19, Microsoft.Data.SqlClient (4 and later) and
// ODBC Driver 18 and later.
func encryptsByDefault(p Provider) bool {
	n := strings.ToLower(p.Name)
	switch {
	case strings.HasPrefix(n, "msoledbsql19"):
		return true
	case strings.HasPrefix(n, "microsoft.data.sqlclient"):
		return true
	case strings.HasPrefix(n, "odbc driver "):
		v, _ := strconv.Atoi(strings.Fields(n)[2])
		return v >= 18
	}
	return false
}

// HasPassword reports whether the connection string holds a password
// (maybe empty).
func (c *Config) HasPassword() bool { return c.hasPass }

// ConnectionString returns the connection string as given, password
// included: for the driver and for SetProperty only, never for output.
func (c *Config) ConnectionString() string { return string(c.cs) }

// String returns the connection string with its password masked.
func (c Config) String() string { return connstr.Mask(string(c.cs)) }

// GoString is String, so that %#v does not print the password either.
func (c Config) GoString() string { return "database.Config(" + c.String() + ")" }

// Server returns the server as a message names it: host, host\instance,
// host:port, or the SQLite file.
func (c *Config) Server() string {
	switch {
	case c.Provider.Family == FamilySQLite:
		return c.Path
	case c.Instance != "":
		return c.Host + `\` + c.Instance
	case c.Port != 0:
		return fmt.Sprintf("%s:%d", c.Host, c.Port)
	}
	return c.Host
}
