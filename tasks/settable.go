package tasks

import "github.com/dtsx-run/dtsx/dtsx"

// Properties returns the properties a task of def's type can be set
// (Configurable.Properties), or nil for a type that is not registered or
// not Configurable. It builds the task and does no I/O.
func (r *Registry) Properties(def *dtsx.Executable) []dtsx.Property {
	t, err := r.New(def)
	if err != nil {
		return nil
	}
	if c, ok := t.(Configurable); ok {
		return c.Properties()
	}
	return nil
}
