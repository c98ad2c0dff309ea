// Package database owns the database connection managers of dtsx: the OLEDB,
// ADO.NET:<provider type> and ODBC managers SSIS persists, mapped to a Go
// driver over database/sql by the provider they name.
//
// The provider table (provider.go) reads the CreationName and the
// connection string's Provider= (OLE DB), Driver={...} (ODBC) or the ADO.NET
// provider type, and picks one family: SQL Server (github.com/microsoft/
// go-mssqldb), PostgreSQL (github.com/jackc/pgx/v5 through its stdlib
// adapter) or SQLite (modernc.org/sqlite, pure Go). Any other provider
// (Oracle, Jet/ACE, MSOLAP, DB2, an ODBC DSN, ...) is reported by Validate,
// offline, with what to do.
//
// The connection string is parsed with connections/connstr and translated
// keyword by keyword (config.go) into the settings of the family's driver:
// server (host, host\instance, host,port, tcp:, (local), .), database, user,
// password, Integrated Security, encryption and certificate trust,
// application name, connect timeout, port, Npgsql's SSL Mode and SQLite's
// file. An unknown keyword is a warning, or an error when it changes
// security. The keywords follow Microsoft's documentation of the OLE DB
// Driver for SQL Server, SqlConnection.ConnectionString and the ODBC Driver
// for SQL Server, Npgsql's connection string parameters, psqlODBC's and
// System.Data.SQLite's. Provider= naming an ADO.NET provider invariant
// name (Npgsql, System.Data.SQLite, ...) retargets a manager of any kind
// to that provider (provider.go). The run-time properties (ConnectionString,
// ServerName, InitialCatalog, UserName, Password, RetainSameConnection) are
// those of SSIS's OLE DB, ADO.NET and ODBC connection managers
// (IDTSConnectionManagerDatabaseParameters100).
//
// The password never leaves the package in clear: Config.String masks it,
// and every error and diagnostic is built without it (a driver's error is
// scrubbed of a password of four characters or more as well).
//
// A SQL Server connection with Integrated Security=SSPI (or True) or
// Trusted_Connection=yes makes a Windows login from Linux (winauth.go):
// Kerberos when the environment has a keytab (KRB5_CLIENT_KTNAME,
// KRB5_KTNAME) or a ticket cache (KRB5CCNAME, /tmp/krb5cc_<uid>) and the
// server is named by host name, with a ticket for MSSQLSvc/<host>:<port>
// (or :<instance>) presented as SPNEGO (winauth_krb5.go); otherwise NTLM
// with the DOMAIN\user and password that Options.Credentials have for the
// manager: the credential sources of every connection type
// (connections/credentials), read from DTSX_DB_<NAME>_USERNAME, _PASSWORD
// and _DOMAIN and the credentials file. Login says which, before any I/O;
// a login without a credential fails before anything is dialled with
// ErrNoWindowsCredential, and a failed Kerberos exchange is a
// *KerberosError that says what to do. PostgreSQL's Integrated Security
// is refused with ErrIntegratedSecurity.
//
// Acquire dials through one function (Options.Dial) after asking
// Options.Allow about the host, before any DNS lookup, so that an egress
// fence can stand in front of every connection. With RetainSameConnection
// one session is kept across acquisitions until Close; otherwise each
// acquisition gets a connection of its own, closed on Release.
//
// connections/builtin registers these types; the command line sets
// Manager.Run (the egress fence of package connections/fence) and the
// runtime closes the managers when a run ends.
//
// Not yet here: Windows paths of SQLite files are used as written.
package database
