package connections

import "github.com/dtsx-run/dtsx/dtsx"

// Properties returns the properties a manager of def's type can be set
// (Configurable.Properties), or nil for a type that is not registered or
// not Configurable. It builds the manager and does no I/O.
func (r *Registry) Properties(def *dtsx.ConnectionManager) []dtsx.Property {
	m, err := r.New(def)
	if err != nil {
		return nil
	}
	if c, ok := m.(Configurable); ok {
		return c.Properties()
	}
	return nil
}
