package file

import "github.com/dtsx-run/dtsx/dtsx"

// Properties describes the property SetProperty takes besides
// ConnectionString: FileUsageType, an attribute of the manager's inner
// DTS:ConnectionManager element. Its value is checked when it is set at
// run time and when the manager is validated.
func (m *Manager) Properties() []dtsx.Property {
	return []dtsx.Property{{Name: "FileUsageType", Type: "FileUsageType"}}
}
