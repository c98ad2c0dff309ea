// Package credentials owns where the logins of connection managers come
// from, for every kind of connection: a Credential (user, domain, password
// or token, never printed), the Source interface that finds one by the
// connection manager's name, and the sources of the command line: explicit
// overrides (Static), the environment (Env, with a prefix for each kind of
// connection: DTSX_SMTP_ for SMTP, DTSX_DB_ for the database managers) and
// a credentials file (File, JSON or YAML keyed by connection name), chained
// by Default. A credentials file that does not parse is a *FileError that
// names the file and the line and never quotes it.
//
// For the Kerberos logins it owns what MIT Kerberos's environment names
// (FindKerberos: a keytab or a ticket cache; Krb5Config), reading keytabs
// and ticket caches, principals and realms (Realm, CanonicalRealm), and the
// names of KRB-ERROR codes.
//
// The logins themselves (SMTP's AUTH mechanisms, SQL Server's SQL, NTLM and
// Kerberos logins) stay with their connection managers; they ask a Source.
package credentials
