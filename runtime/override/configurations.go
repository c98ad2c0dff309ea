package override

import (
	"fmt"
	"os"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Sources are where configurations read their values.
type Sources struct {
	// Env looks an environment variable up.
	Env func(string) (string, bool)
	// Local turns a configuration file's path, as the package names it,
	// into a path of this machine.
	Local func(string) string
	// Parent looks a variable of the parent package up, for a package an
	// Execute Package Task runs; nil when the package runs on its own.
	Parent func(name string) (string, bool)
	// Types are the connection manager and task types whose properties
	// the configurations can set (see Set).
	Types Types
}

// ApplyConfigurations applies the configurations the package names, when
// its EnableConfig is True, in the package's order: XML configuration files
// (directly or through an environment variable), environment-variable
// configurations and, for a child package, parent-variable ones. Registry
// and SQL Server configurations cannot be read here: each is reported as a
// warning saying what to use instead, as is a parent-variable
// configuration of a package that runs on its own.
func ApplyConfigurations(pkg *dtsx.Package, pr *dtsx.Project, src Sources) dtsx.Diagnostics {
	if !pkg.EnableConfig {
		return nil
	}
	var out dtsx.Diagnostics
	warn := func(c *dtsx.Configuration, msg, hint string) {
		out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: "configuration", File: pkg.File,
			Path: c.RefID, Line: pkg.Line(c.DTSID), Message: fmt.Sprintf("configuration %q: %s", c.Name, msg), Hint: hint})
	}
	for _, c := range pkg.Configurations {
		file := ""
		switch c.Type {
		case dtsx.ConfigTypeFile:
			file = c.String
		case dtsx.ConfigTypeIConfigFile:
			v, ok := src.Env(c.String)
			if !ok {
				warn(c, fmt.Sprintf("environment variable %s, which names its configuration file, is not set", c.String), "set it, or apply the file with /ConfigFile")
				continue
			}
			file = v
		case dtsx.ConfigTypeEnvVariable:
			v, ok := src.Env(c.String)
			if !ok {
				warn(c, fmt.Sprintf("environment variable %s is not set", c.String), "set it, or give the value with /Set")
				continue
			}
			p, err := ParsePath(c.Variable)
			if err == nil {
				err = SetInProject(pkg, pr, src.Types, p, v)
			}
			if err != nil {
				warn(c, err.Error(), "correct the configuration's target property")
			}
			continue
		case dtsx.ConfigTypeParentVariable, dtsx.ConfigTypeIParentVar:
			name := c.String
			if c.Type == dtsx.ConfigTypeIParentVar {
				v, ok := src.Env(c.String)
				if !ok {
					warn(c, fmt.Sprintf("environment variable %s, which names the parent variable, is not set", c.String), "set it")
					continue
				}
				name = v
			}
			if src.Parent == nil {
				warn(c, "takes a parent package's variable, and this package runs on its own", "run it from its parent package, or give the value with /Set")
				continue
			}
			v, ok := src.Parent(name)
			if !ok {
				warn(c, fmt.Sprintf("the parent package has no variable %s", name), "check the configuration's parent variable")
				continue
			}
			p, err := ParsePath(c.Variable)
			if err == nil {
				err = SetInProject(pkg, pr, src.Types, p, v)
			}
			if err != nil {
				warn(c, err.Error(), "correct the configuration's target property")
			}
			continue
		default:
			warn(c, fmt.Sprintf("is a %v configuration, which cannot be read here", c.Type),
				"export its values to a .dtsConfig file and apply it with /ConfigFile, or give them with /Set")
			continue
		}
		local := file
		if src.Local != nil {
			local = src.Local(file)
		}
		data, err := os.ReadFile(local)
		if err != nil {
			warn(c, fmt.Sprintf("its file %s cannot be read: %v", file, err), "put the file there, map its folder (DTSX_PATH_MAP, or dtsx --path-map), or apply it with /ConfigFile")
			continue
		}
		cf, err := dtsx.LoadConfigFile(local, data)
		if err != nil {
			warn(c, err.Error(), "correct the configuration file")
			continue
		}
		out = append(out, ApplyConfigFile(pkg, src.Types, cf)...)
	}
	return out
}
