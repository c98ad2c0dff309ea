package override

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Diagnostic codes of ApplyConfigFile. They are stable: tests and reports
// match on them.
const (
	// CodeConfigBadPath: the entry's Path does not parse (warning).
	CodeConfigBadPath = "config-bad-path"
	// CodeConfigPathNotFound: the path names nothing in the package
	// (warning, as SSIS warns and goes on).
	CodeConfigPathNotFound = "config-path-not-found"
	// CodeConfigBadValue: the value does not fit the property (error).
	CodeConfigBadValue = "config-bad-value"
	// CodeConfigUnsupported: the entry cannot be applied here (warning).
	CodeConfigUnsupported = "config-unsupported"
	// CodeConfigExpressionWins: the value is set but a property expression
	// or an expression variable replaces it at run time (warning).
	CodeConfigExpressionWins = "config-expression-wins"
)

// ApplyConfigFile applies the entries of a .dtsConfig to pkg in file order,
// as SSIS applies a configuration file, with Set and types. It does not
// stop at a problem:
//
//   - a Path that names nothing in the package is a warning
//     (config-path-not-found), as SSIS only warns about it;
//   - a Path that does not parse, a ConfiguredType other than Property, or a
//     path this runtime cannot apply is a warning too;
//   - a value that does not fit the property's type (abc for an Int32) is an
//     error (config-bad-value): the package would run with a value other
//     than the one configured.
//
// ConfiguredValue is used as it is written: it is not an expression and its
// quotes are kept. The diagnostics carry the file and the entry's path;
// a sensitive value never appears in them.
func ApplyConfigFile(pkg *dtsx.Package, types Types, cf *dtsx.ConfigFile) dtsx.Diagnostics {
	var out dtsx.Diagnostics
	if cf == nil {
		return nil
	}
	add := func(sev dtsx.Severity, code string, i int, path, msg, hint string) {
		out = append(out, dtsx.Diagnostic{Severity: sev, Code: code, File: cf.File, Path: path,
			Message: fmt.Sprintf("configuration %d: %s", i+1, msg), Hint: hint})
	}
	for i, e := range cf.Entries {
		if t := strings.TrimSpace(e.Type); t != "" && !strings.EqualFold(t, "Property") {
			add(dtsx.SeverityWarning, CodeConfigUnsupported, i, e.Path,
				"ConfiguredType "+quote(e.Type)+" is not Property; the entry is skipped", "the configuration wizard writes Property")
			continue
		}
		p, err := ParsePath(e.Path)
		if err != nil {
			var pe *PathError
			msg := err.Error()
			if errors.As(err, &pe) {
				msg = fmt.Sprintf("the path does not parse at offset %d: %s", pe.Offset, pe.Msg)
			}
			add(dtsx.SeverityWarning, CodeConfigBadPath, i, e.Path, msg+"; the entry is skipped",
				`paths look like \Package.Variables[User::Name].Properties[Value]`)
			continue
		}
		replaced, err := Apply(pkg, nil, types, p, e.Value)
		var nf *NotFoundError
		var ve *ValueError
		var ue *UnsupportedError
		switch {
		case err == nil:
			for _, r := range replaced {
				add(dtsx.SeverityWarning, CodeConfigExpressionWins, i, e.Path, r.String(), "remove the expression, or configure what it reads")
			}
		case errors.As(err, &nf):
			add(dtsx.SeverityWarning, CodeConfigPathNotFound, i, e.Path, trimPrefix(err, nf.Path)+"; the entry is skipped",
				"the configuration may have been made for another package or an older version of it")
		case errors.As(err, &ve):
			add(dtsx.SeverityError, CodeConfigBadValue, i, e.Path, trimPrefix(err, ve.Path), "correct the ConfiguredValue")
		case errors.As(err, &ue):
			add(dtsx.SeverityWarning, CodeConfigUnsupported, i, e.Path, ue.Msg+"; the entry is skipped", ue.Hint)
		default:
			add(dtsx.SeverityError, CodeConfigUnsupported, i, e.Path, err.Error(), "")
		}
	}
	return out
}

// trimPrefix drops "override: PATH: " from an error's text, since the
// diagnostic carries the path.
func trimPrefix(err error, path string) string {
	return strings.TrimPrefix(err.Error(), "override: "+path+": ")
}

func quote(s string) string { return `"` + s + `"` }
