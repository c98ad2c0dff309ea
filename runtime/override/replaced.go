package override

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

// CodeExpressionWins is the code of the warning that a value the command
// line sets (--set, --conn, /Set, /Conn) is replaced at run time by a
// property expression; a configuration's is CodeConfigExpressionWins.
const CodeExpressionWins = "override-expression-wins"

// Replacement is a property expression, or the expression of a variable
// evaluated as an expression, that replaces at run time a value a Set
// wrote: SSIS evaluates property expressions after configurations and the
// command line ("Use Property Expressions in Packages": "property
// expressions are evaluated ... when the package runs"), so the value set
// is lost, wholly or in part.
type Replacement struct {
	// Object names what holds the expression: `connection manager
	// "SMTP"`, `variable User::To`, `\Package\Send Mail`.
	Object string
	// RefID is the refId of what holds the expression.
	RefID string
	// Property is the property the expression sets (SmtpServer,
	// ConnectionString, Value).
	Property string
	// Expression is the expression, as the package writes it.
	Expression string
	// Set is the property the value was written to.
	Set string
	// Part is true when the expression replaces only a part of the value
	// set: one key of a ConnectionString set whole.
	Part bool
	// Reads are the variables and parameters the expression reads, as
	// written ("User::MailHost", "$Project::SmtpServer"), each once; nil
	// when it reads none or does not parse.
	Reads []string
}

// String says what replaces what, with the expression.
func (r Replacement) String() string {
	if r.Object == "" {
		return ""
	}
	if strings.HasPrefix(r.Object, "variable ") {
		return fmt.Sprintf("%s is evaluated as an expression (%s); the expression replaces the Value set here at run time", r.Object, r.Expression)
	}
	switch {
	case r.Part:
		return fmt.Sprintf("a property expression of %s sets %s at run time (%s), replacing that part of the %s set here",
			r.Object, r.Property, r.Expression, r.Set)
	case !strings.EqualFold(r.Property, r.Set):
		return fmt.Sprintf("a property expression of %s sets %s at run time (%s), replacing the %s set here with the string's own",
			r.Object, r.Property, r.Expression, r.Set)
	}
	return fmt.Sprintf("a property expression of %s sets %s at run time (%s) and replaces the value set here",
		r.Object, r.Property, r.Expression)
}

// Apply is SetInProject that also returns the expressions that replace,
// at run time, the value it wrote (none when nothing does).
func Apply(pkg *dtsx.Package, pr *dtsx.Project, types Types, p Path, value string) ([]Replacement, error) {
	s := &setter{pkg: pkg, pr: pr, types: types, path: p, value: value}
	if err := s.apply(); err != nil {
		return nil, err
	}
	return s.replacements(), nil
}

// replacements returns the expressions that replace what a successful
// Set wrote.
func (s *setter) replacements() []Replacement {
	var out []Replacement
	add := func(object, refID, prop, expression, set string, part bool) {
		r := Replacement{Object: object, RefID: refID, Property: prop, Expression: expression, Set: set, Part: part}
		if e, err := expr.Parse(expression); err == nil {
			r.Reads = e.Refs()
		}
		out = append(out, r)
	}
	prop := s.path.Property
	switch s.path.Kind {
	case KindVariable:
		if v := s.variableSet; v != nil && v.EvaluateAsExpression && strings.EqualFold(prop, "Value") {
			add("variable "+v.QualifiedName(), v.RefID, "Value", v.Expression, "Value", false)
		}
	case KindExecutable:
		x, err := s.resolveSteps()
		if err != nil {
			return nil
		}
		props := s.types.task(x)
		for _, e := range x.Expressions {
			if sameProperty(props, e.Name, prop) {
				add(label(x), x.RefID, e.Name, e.Expression, prop, false)
			}
		}
	case KindConnection:
		cm, err := s.findConnection()
		if err != nil {
			return nil
		}
		object := "connection manager " + strconv.Quote(cm.Name)
		props := s.types.connection(cm)
		setWhole := strings.EqualFold(prop, "ConnectionString")
		for _, e := range cm.Expressions {
			switch {
			case sameProperty(props, e.Name, prop):
				add(object, cm.RefID, e.Name, e.Expression, prop, false)
			case strings.EqualFold(e.Name, "ConnectionString") && connStrPart(props, prop):
				add(object, cm.RefID, e.Name, e.Expression, prop, false)
			case setWhole && connStrPart(props, e.Name):
				add(object, cm.RefID, e.Name, e.Expression, prop, true)
			}
		}
	}
	return out
}

// sameProperty reports whether a and b name one property: the same name,
// or two names of one property of the type.
func sameProperty(props []dtsx.Property, a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	pa, oka := dtsx.FindProperty(props, a)
	pb, okb := dtsx.FindProperty(props, b)
	return oka && okb && strings.EqualFold(pa.Name, pb.Name)
}

// connStrPart reports whether a connection manager's property is kept in
// its connection string: a key of the type (an SMTP manager's SmtpServer),
// or, for a type this runtime does not know, any property but those every
// manager keeps on its element.
func connStrPart(props []dtsx.Property, prop string) bool {
	if p, ok := dtsx.FindProperty(props, prop); ok {
		return p.Key
	}
	if props != nil {
		return false
	}
	for _, n := range connectionProps {
		if strings.EqualFold(n, prop) {
			return false
		}
	}
	return true
}
