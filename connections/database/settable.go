package database

import (
	"fmt"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Properties describes the property SetProperty takes besides
// ConnectionString and the keys of the connection string (ServerName,
// InitialCatalog, UserName, Password, which it rewrites in the string):
// RetainSameConnection, persisted as the Retain attribute of the inner
// DTS:ConnectionManager.
func (m *Manager) Properties() []dtsx.Property {
	return []dtsx.Property{{Name: PropertyRetainSameConnection, Persisted: "Retain", Boolean: true, Type: "Boolean",
		Check: func(value string) error {
			if _, ok := parseBool(value); !ok {
				return fmt.Errorf("%q: want True or False", value)
			}
			return nil
		}}}
}
