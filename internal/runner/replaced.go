package runner

import (
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// replacedWarning is the warning of an override whose value the property
// expression r replaces at run time: it names the override (never its
// value, which may be a password), the property, the expression, and what
// to do instead.
func replacedWarning(pkg *dtsx.Package, o Override, r override.Replacement, sp runtime.Spelling) dtsx.Diagnostic {
	what := ""
	switch {
	case o.Conn != nil:
		what = sp.Of("--conn") + " " + strconv.Quote(o.Conn.Name)
	case o.Set != nil:
		what = sp.Of(runtime.OptSet) + " " + o.Set.Path.String()
	}
	return dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: override.CodeExpressionWins, File: pkg.File, Path: r.RefID,
		Message: strings.TrimSpace(what + ": " + r.String()), Hint: expressionFix(r, sp)}
}

// expressionFix says how to change what the expression r gives instead
// of the value it replaces: set the variables and parameters it reads, or,
// for a variable, turn its expression off.
func expressionFix(r override.Replacement, sp runtime.Spelling) string {
	var ways []string
	set := func(path string) {
		if opt := sp.Of(runtime.OptSet); opt != "" {
			if strings.HasPrefix(opt, "--") {
				path = "'" + path + "'"
			}
			ways = append(ways, opt+" "+path)
		}
	}
	for _, ref := range r.Reads {
		ns, _, qualified := strings.Cut(ref, "::")
		switch {
		case strings.HasPrefix(ref, "$"):
			if opt := sp.Of(runtime.OptParam(ref)); opt != "" {
				ways = append(ways, opt)
			}
		case qualified && strings.EqualFold(ns, "System"):
			// the runtime sets it
		case qualified:
			set(`\Package.Variables[` + ref + `].Properties[Value];VALUE`)
		default:
			set(`\Package.Variables[User::` + ref + `].Properties[Value];VALUE`)
		}
	}
	if v, ok := strings.CutPrefix(r.Object, "variable "); ok {
		set(`\Package.Variables[` + v + `].Properties[EvaluateAsExpression];False`)
	}
	if len(ways) == 0 {
		return "the expression reads nothing the command line can set: change or remove the property expression in the package"
	}
	return "set what the expression reads instead, " + strings.Join(ways, " or ") + "; or remove the property expression from the package"
}
