package credentials

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Credential is what a login needs: a user (DOMAIN\user, user@domain or a
// user with Domain) and a password or token. It is never printed: its
// String and GoString methods hide the secrets.
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
func (c Credential) GoString() string { return "credentials.Credential{" + c.String() + "}" }

// Empty reports whether the credential holds nothing usable.
func (c Credential) Empty() bool { return c.UserName == "" && c.Password == "" && c.Token == "" }

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

// Source finds the credential of a connection manager by its name.
type Source interface {
	Credential(connection string) (Credential, bool, error)
}

// Chain is a chain of sources: the first that has a credential for the
// connection wins.
type Chain []Source

// Credential asks each source in turn.
func (cs Chain) Credential(connection string) (Credential, bool, error) {
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

// Static is a source of explicit credentials keyed by connection name
// (case-insensitive); the key "" is the default for every connection.
type Static map[string]Credential

// Credential looks the connection up, then the default.
func (s Static) Credential(connection string) (Credential, bool, error) {
	for k, c := range s {
		if strings.EqualFold(k, connection) && !c.Empty() {
			c.Source = "an explicit override"
			return c, true, nil
		}
	}
	if c, ok := s[""]; ok && !c.Empty() {
		c.Source = "an explicit override"
		return c, true, nil
	}
	return Credential{}, false, nil
}

// EnvName returns the environment variable for a field (USERNAME, PASSWORD,
// DOMAIN, TOKEN) of a connection: <prefix><NAME>_<FIELD>, with the name
// upper-cased and every other character than A-Z and 0-9 made "_"; an empty
// connection gives the default <prefix><FIELD>. The prefix names the kind
// of connection (DTSX_SMTP_, DTSX_DB_).
func EnvName(prefix, connection, field string) string {
	if connection == "" {
		return prefix + field
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(connection) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return prefix + b.String() + "_" + field
}

// Env is the environment source: <Prefix><NAME>_USERNAME, _PASSWORD,
// _DOMAIN and _TOKEN, then the same without the name as a default. Each
// kind of connection has its prefix, so that the default of one kind
// (DTSX_SMTP_USERNAME) is never another's login. Lookup is os.LookupEnv
// when nil.
type Env struct {
	Prefix string
	Lookup func(string) (string, bool)
}

// Credential reads the connection's variables, then the defaults.
func (e Env) Credential(connection string) (Credential, bool, error) {
	look := e.Lookup
	if look == nil {
		look = os.LookupEnv
	}
	for _, name := range []string{connection, ""} {
		var c Credential
		c.UserName, _ = look(EnvName(e.Prefix, name, "USERNAME"))
		c.Password, _ = look(EnvName(e.Prefix, name, "PASSWORD"))
		c.Domain, _ = look(EnvName(e.Prefix, name, "DOMAIN"))
		c.Token, _ = look(EnvName(e.Prefix, name, "TOKEN"))
		if !c.Empty() {
			c.Source = "environment " + EnvName(e.Prefix, name, "*")
			return c, true, nil
		}
		if connection == "" {
			break
		}
	}
	return Credential{}, false, nil
}

// File is a credentials file: JSON or YAML, keyed by connection name, with
// the key "default" (or "*") for every other connection. One file serves
// every kind of connection manager:
//
//	SMTP Connection Manager:
//	  username: TEST\alice
//	  password: …
//	Warehouse:
//	  username: CORP\etl
//	  password: …
type File struct {
	Path  string
	byKey map[string]Credential
}

// LoadFile reads a credentials file (.json, or YAML otherwise). A file
// that does not parse gives a *FileError naming the file and the line.
func LoadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("credentials file: %w", err)
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
	return &File{Path: path, byKey: m}, nil
}

// Credential looks the connection up (case-insensitive), then the default.
func (f *File) Credential(connection string) (Credential, bool, error) {
	for _, want := range []string{connection, "default", "*"} {
		for k, c := range f.byKey {
			if strings.EqualFold(k, want) && !c.Empty() {
				c.Source = "credentials file " + f.Path
				return c, true, nil
			}
		}
	}
	return Credential{}, false, nil
}

// Default returns the credential chain of the command line for a kind of
// connection: explicit overrides (may be nil), the environment variables
// of envPrefix, then the credentials file at path (when not "").
func Default(envPrefix string, overrides Static, path string) (Chain, error) {
	cs := Chain{}
	if len(overrides) > 0 {
		cs = append(cs, overrides)
	}
	cs = append(cs, Env{Prefix: envPrefix})
	if path != "" {
		f, err := LoadFile(path)
		if err != nil {
			return nil, err
		}
		cs = append(cs, f)
	}
	return cs, nil
}

var (
	_ Source = Chain(nil)
	_ Source = Static(nil)
	_ Source = Env{}
	_ Source = (*File)(nil)
)
