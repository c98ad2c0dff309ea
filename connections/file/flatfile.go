package file

import (
	"strings"

	"github.com/dtsx-run/dtsx/connections/flatfile"
	"github.com/dtsx-run/dtsx/dtsx"
)

// IsFlatFile reports whether the manager is a FLATFILE (or MULTIFLATFILE)
// connection manager, whose ObjectData holds the layout of its file.
func (m *Manager) IsFlatFile() bool {
	return strings.HasSuffix(strings.ToUpper(m.Def.CreationName), "FLATFILE")
}

// FlatFile returns the layout of a Flat File connection manager's file
// (Format, header rows, text qualifier, code page and columns), read from
// its persisted definition by flatfile.Parse, with the problems found; the
// path is the manager's connection string (Paths).
func (m *Manager) FlatFile() (*flatfile.Spec, dtsx.Diagnostics) {
	return flatfile.Parse(m.Def)
}
