package runner

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// checkConnName rejects a /Conn whose name is a connection string: no SSIS
// object name holds '=' (DTS_E_DTSNAME_LEGAL: "The name cannot contain any
// of the following characters: / \ : [ ] . ="), so a name with one is a
// connection string given without the NAME; in front. The error does not
// quote the value (it often starts with Password=) and lists the managers
// the package can use.
func checkConnName(pkg *dtsx.Package, pr *dtsx.Project, c Conn) error {
	if !strings.Contains(c.Name, "=") {
		return nil
	}
	var names []string
	for _, cms := range [][]*dtsx.ConnectionManager{pkg.Connections, projectConnections(pr)} {
		for _, cm := range cms {
			names = append(names, cm.Name)
		}
	}
	example := "NAME"
	if len(names) > 0 {
		example = names[0]
	}
	has := "has no connection managers"
	if len(names) > 0 {
		has = "has " + strings.Join(names, ", ")
	}
	return fmt.Errorf("connection override: the value starts with a connection string (a key=value pair before the first ';'), not with the name or {GUID} of a connection manager; write NAME;connection string, e.g. '%s;SmtpServer=mail.example.com;' (the package %s)",
		example, has)
}

func projectConnections(pr *dtsx.Project) []*dtsx.ConnectionManager {
	if pr == nil {
		return nil
	}
	return pr.Connections
}
