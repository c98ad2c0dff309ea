package main

import (
	"strconv"

	"github.com/dtsx-run/dtsx/dtsx"
)

// onceSeen keeps the problems of project files (a .conmgr, Project.params,
// the .dtproj) already reported, so that a project's problem is reported
// once when several of its packages are validated or inspected, not once
// per package.
type onceSeen map[string]bool

// filter returns ds without the problems of files other than the package's
// own (pkgFile) that an earlier package reported.
func (s onceSeen) filter(pkgFile string, ds dtsx.Diagnostics) dtsx.Diagnostics {
	out := dtsx.Diagnostics{}
	for _, d := range ds {
		if d.File != "" && d.File != pkgFile {
			key := d.File + "\x00" + strconv.Itoa(d.Line) + "\x00" + d.Code + "\x00" + d.Path + "\x00" + d.Message
			if s[key] {
				continue
			}
			s[key] = true
		}
		out = append(out, d)
	}
	return out
}
