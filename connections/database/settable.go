package database

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// keyProperties are the run-time properties that are keys of the
// connection string, in the order Properties lists them.
var keyProperties = []string{PropertyServerName, PropertyInitialCatalog, PropertyUserName, PropertyPassword}

// Properties describes the properties SetProperty takes besides
// ConnectionString: ServerName, InitialCatalog, UserName and Password,
// keys of the connection string spelled as the manager's provider spells
// them (Persisted is the keyword written when the string has none, Aliases
// the other spellings it reads: Data Source or Server for SQL Server, Host
// and Username for Npgsql, Data Source for SQLite), and
// RetainSameConnection, persisted as the Retain attribute of the inner
// DTS:ConnectionManager. The table follows the provider of the connection
// string of the moment, so a retargeted manager gets its new provider's.
func (m *Manager) Properties() []dtsx.Property {
	cfg := m.Config()
	var props []dtsx.Property
	for _, name := range keyProperties {
		keys := keyAliases(cfg, name)
		if keys == nil {
			continue
		}
		props = append(props, dtsx.Property{Name: name, Persisted: keys[0], Aliases: keys[1:], Key: true,
			Sensitive: name == PropertyPassword, Type: cfg.Provider.Kind.String() + " " + name})
	}
	return append(props, dtsx.Property{Name: PropertyRetainSameConnection, Persisted: "Retain", Boolean: true, Type: "Boolean",
		Check: func(value string) error {
			if _, ok := parseBool(value); !ok {
				return fmt.Errorf("%q: want True or False", value)
			}
			return nil
		}})
}

// propertyOfKey returns the property whose keyword spellings include key,
// or "".
func propertyOfKey(cfg *Config, key string) string {
	for _, name := range keyProperties {
		for _, k := range keyAliases(cfg, name) {
			if strings.EqualFold(k, strings.TrimSpace(key)) {
				return name
			}
		}
	}
	return ""
}
