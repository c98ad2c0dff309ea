package smtp

// The credential sources are those of every connection type
// (connections/credentials); the names below keep SMTP's API, and
// EnvCredentials reads the DTSX_SMTP_ variables.

import "github.com/dtsx-run/dtsx/connections/credentials"

// Credential is what an SMTP login needs (credentials.Credential).
type Credential = credentials.Credential

// CredentialSource finds the credential of a connection manager by its
// name (credentials.Source).
type CredentialSource = credentials.Source

// Credentials is a chain of sources: the first that has a credential for
// the connection wins (credentials.Chain).
type Credentials = credentials.Chain

// StaticCredentials is a source of explicit credentials keyed by connection
// name (case-insensitive); the key "" is the default for every connection
// (credentials.Static).
type StaticCredentials = credentials.Static

// CredentialsFile is a credentials file: JSON or YAML, keyed by connection
// name, with the key "default" (or "*") for every other connection
// (credentials.File).
type CredentialsFile = credentials.File

// CredentialsFileError is a credentials file that does not parse
// (credentials.FileError).
type CredentialsFileError = credentials.FileError

// EnvPrefix starts the names of the credential environment variables.
const EnvPrefix = "DTSX_SMTP_"

// EnvName returns the environment variable for a field (USERNAME, PASSWORD,
// DOMAIN, TOKEN) of a connection: DTSX_SMTP_<NAME>_<FIELD>, with the name
// upper-cased and every other character than A-Z and 0-9 made "_"; an empty
// connection gives the default DTSX_SMTP_<FIELD>.
func EnvName(connection, field string) string {
	return credentials.EnvName(EnvPrefix, connection, field)
}

// EnvCredentials is the environment source: DTSX_SMTP_<NAME>_USERNAME,
// _PASSWORD, _DOMAIN and _TOKEN, then the same without the name as a
// default. Lookup is os.LookupEnv when nil.
type EnvCredentials struct {
	Lookup func(string) (string, bool)
}

// Credential reads the connection's variables, then the defaults.
func (e EnvCredentials) Credential(connection string) (Credential, bool, error) {
	return credentials.Env{Prefix: EnvPrefix, Lookup: e.Lookup}.Credential(connection)
}

// LoadCredentialsFile reads a credentials file (.json, or YAML otherwise).
// A file that does not parse gives a *CredentialsFileError naming the file
// and the line.
func LoadCredentialsFile(path string) (*CredentialsFile, error) { return credentials.LoadFile(path) }

// DefaultCredentials returns the credential chain of the command line:
// explicit overrides (may be nil), the environment, then the credentials
// file at path (when not "").
func DefaultCredentials(overrides StaticCredentials, path string) (Credentials, error) {
	return credentials.Default(EnvPrefix, overrides, path)
}

var _ CredentialSource = EnvCredentials{}
