package pipeline

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// splitTarget splits the name a property expression of the Data Flow task
// gives a component property, [Component].[Property] (or with the name
// of an input, output or column between them), into its bracketed parts.
// It reports false for a name of another form (a property of the task
// itself, such as DefaultBufferMaxRows).
func splitTarget(name string) ([]string, bool) {
	var parts []string
	s := strings.TrimSpace(name)
	for s != "" {
		if s[0] != '[' {
			return nil, false
		}
		j := strings.IndexByte(s, ']')
		if j < 0 {
			return nil, false
		}
		parts = append(parts, s[1:j])
		s = s[j+1:]
		if s != "" {
			if s[0] != '.' {
				return nil, false
			}
			s = s[1:]
		}
	}
	return parts, len(parts) >= 2
}

// ExpressionTarget returns the component and the custom property a
// property expression of the Data Flow task sets, from the name it gives
// them: [Component].[Property], as in "Use Property Expressions in
// Packages" (https://learn.microsoft.com/sql/integration-services/expressions/use-property-expressions-in-packages),
// or [Component].[Object].[Property] for a property of one of its inputs,
// outputs or columns. ok is false for a name of another form (a property
// of the task itself); c or prop is nil when the name names nothing.
func (p *Pipeline) ExpressionTarget(name string) (c *Component, prop *Property, ok bool) {
	parts, ok := splitTarget(name)
	if !ok {
		return nil, nil, false
	}
	for _, x := range p.Components {
		if strings.EqualFold(x.Name, parts[0]) {
			c = x
			break
		}
	}
	if c == nil {
		return nil, nil, true
	}
	last := parts[len(parts)-1]
	if len(parts) == 2 {
		return c, c.Property(last), true
	}
	owner := parts[len(parts)-2]
	for _, in := range c.Inputs {
		if strings.EqualFold(in.Name, owner) {
			return c, findProperty(in.Properties, last), true
		}
		for _, col := range in.Columns {
			if strings.EqualFold(col.Name, owner) {
				return c, findProperty(col.Properties, last), true
			}
		}
	}
	for _, o := range c.Outputs {
		if strings.EqualFold(o.Name, owner) {
			return c, findProperty(o.Properties, last), true
		}
		for _, col := range o.Columns {
			if strings.EqualFold(col.Name, owner) {
				return c, findProperty(col.Properties, last), true
			}
		}
	}
	return c, nil, true
}

// checkExpressions reports the property expressions of the task that name
// a component or property the pipeline does not have.
func (r *reader) checkExpressions() {
	for _, e := range r.pl.Task.Expressions {
		c, prop, ok := r.pl.ExpressionTarget(e.Name)
		if !ok || prop != nil {
			continue
		}
		what := "no component of this data flow"
		if c != nil {
			what = fmt.Sprintf("no property of component %q", c.Name)
		}
		r.add(dtsx.SeverityWarning, CodeDanglingReference, r.pl.RefID, r.pl.Task.Element,
			fmt.Sprintf("the property expression on %s names %s", e.Name, what),
			"rename the expression's target to [Component].[Property] as the components are named now, or delete it")
	}
}
