package smtp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Credential is what an SMTP login needs. It is never printed: its String
// and GoString methods hide the secrets.
type Credential struct {
	UserName string `json:"username" yaml:"username"`
	Domain   string `json:"domain,omitempty" yaml:"domain,omitempty"`
	Password string `json:"password,omitempty" yaml:"password,omitempty"`
	// Token is an OAuth 2.0 access token for XOAUTH2.
	Token string `json:"token,omitempty" yaml:"token,omitempty"`
	// Source says where the credential came from (for messages; no secret).
	Source string `json:"-" yaml:"-"`
}

// String shows the user and the source, never the password or token.
func (c Credential) String() string {
	u := c.UserName
	if c.Domain != "" && !strings.ContainsAny(u, `\@`) {
		u = c.Domain + `\` + u
	}
	return fmt.Sprintf("%s (from %s)", u, c.Source)
}

// GoString hides the secrets from %#v too.
func (c Credential) GoString() string { return "smtp.Credential{" + c.String() + "}" }

// empty reports whether the credential holds nothing usable.
func (c Credential) empty() bool { return c.UserName == "" && c.Password == "" && c.Token == "" }

// SplitUser returns the user and domain of a DOMAIN\user or user@domain
// name; Domain, when set, wins over the one in the name.
func (c Credential) SplitUser() (user, domain string) {
	user, domain = c.UserName, c.Domain
	if i := strings.IndexByte(user, '\\'); i >= 0 {
		if domain == "" {
			domain = user[:i]
		}
		user = user[i+1:]
	}
	return user, domain
}

// CredentialSource finds the credential of a connection manager by its
// name.
type CredentialSource interface {
	Credential(connection string) (Credential, bool, error)
}

// Credentials is a chain of sources: the first that has a credential for
// the connection wins.
type Credentials []CredentialSource

// Credential asks each source in turn.
func (cs Credentials) Credential(connection string) (Credential, bool, error) {
	for _, s := range cs {
		if s == nil {
			continue
		}
		c, ok, err := s.Credential(connection)
		if err != nil || ok {
			return c, ok, err
		}
	}
	return Credential{}, false, nil
}

// StaticCredentials is a source of explicit credentials keyed by connection
// name (case-insensitive); the key "" is the default for every connection.
type StaticCredentials map[string]Credential

// Credential looks the connection up, then the default.
func (s StaticCredentials) Credential(connection string) (Credential, bool, error) {
	for k, c := range s {
		if strings.EqualFold(k, connection) && !c.empty() {
			c.Source = "an explicit override"
			return c, true, nil
		}
	}
	if c, ok := s[""]; ok && !c.empty() {
		c.Source = "an explicit override"
		return c, true, nil
	}
	return Credential{}, false, nil
}

// EnvPrefix starts the names of the credential environment variables.
const EnvPrefix = "DTSX_SMTP_"

// EnvName returns the environment variable for a field (USERNAME, PASSWORD,
// DOMAIN, TOKEN) of a connection: DTSX_SMTP_<NAME>_<FIELD>, with the name
// upper-cased and every other character than A-Z and 0-9 made "_"; an empty
// connection gives the default DTSX_SMTP_<FIELD>.
func EnvName(connection, field string) string {
	if connection == "" {
		return EnvPrefix + field
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(connection) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return EnvPrefix + b.String() + "_" + field
}

// EnvCredentials is the environment source: DTSX_SMTP_<NAME>_USERNAME,
// _PASSWORD, _DOMAIN and _TOKEN, then the same without the name as a
// default. Lookup is os.LookupEnv when nil.
type EnvCredentials struct {
	Lookup func(string) (string, bool)
}

// Credential reads the connection's variables, then the defaults.
func (e EnvCredentials) Credential(connection string) (Credential, bool, error) {
	look := e.Lookup
	if look == nil {
		look = os.LookupEnv
	}
	for _, name := range []string{connection, ""} {
		var c Credential
		c.UserName, _ = look(EnvName(name, "USERNAME"))
		c.Password, _ = look(EnvName(name, "PASSWORD"))
		c.Domain, _ = look(EnvName(name, "DOMAIN"))
		c.Token, _ = look(EnvName(name, "TOKEN"))
		if !c.empty() {
			c.Source = "environment " + EnvName(name, "*")
			return c, true, nil
		}
		if connection == "" {
			break
		}
	}
	return Credential{}, false, nil
}

// CredentialsFile is a credentials file: JSON or YAML, keyed by connection
// name, with the key "default" (or "*") for every other connection:
//
//	SMTP Connection Manager:
//	  username: TEST\alice
//	  password: …
type CredentialsFile struct {
	Path  string
	byKey map[string]Credential
}

// LoadCredentialsFile reads a credentials file (.json, or YAML otherwise).
// A file that does not parse gives a *CredentialsFileError naming the file
// and the line.
func LoadCredentialsFile(path string) (*CredentialsFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("smtp: credentials file: %w", err)
	}
	m := map[string]Credential{}
	isJSON := strings.EqualFold(filepath.Ext(path), ".json")
	if isJSON {
		err = json.Unmarshal(data, &m)
	} else {
		err = yaml.Unmarshal(data, &m)
	}
	if err != nil {
		// The parsers quote input in their errors: say where, not what.
		return nil, fileError(path, data, isJSON, err)
	}
	return &CredentialsFile{Path: path, byKey: m}, nil
}

// Credential looks the connection up (case-insensitive), then the default.
func (f *CredentialsFile) Credential(connection string) (Credential, bool, error) {
	for _, want := range []string{connection, "default", "*"} {
		for k, c := range f.byKey {
			if strings.EqualFold(k, want) && !c.empty() {
				c.Source = "credentials file " + f.Path
				return c, true, nil
			}
		}
	}
	return Credential{}, false, nil
}

// DefaultCredentials returns the credential chain of the command line:
// explicit overrides (may be nil), the environment, then the credentials
// file at path (when not "").
func DefaultCredentials(overrides StaticCredentials, path string) (Credentials, error) {
	cs := Credentials{}
	if len(overrides) > 0 {
		cs = append(cs, overrides)
	}
	cs = append(cs, EnvCredentials{})
	if path != "" {
		f, err := LoadCredentialsFile(path)
		if err != nil {
			return nil, err
		}
		cs = append(cs, f)
	}
	return cs, nil
}

var (
	_ CredentialSource = Credentials(nil)
	_ CredentialSource = StaticCredentials(nil)
	_ CredentialSource = EnvCredentials{}
	_ CredentialSource = (*CredentialsFile)(nil)
)
