package override

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
)

func (s *setter) variable(exe *dtsx.Executable) error {
	want := s.path.Name
	ns, name, qualified := strings.Cut(want, "::")
	if !qualified {
		ns, name = "", want
	}
	if qualified && strings.EqualFold(ns, "System") {
		return s.unsupported("System variables are set by the runtime while the package runs",
			"they cannot be configured; use a User variable")
	}
	vars := exe.Variables
	idx := -1
	if qualified {
		idx = pick(len(vars), func(i int) string { return vars[i].QualifiedName() }, ns+"::"+name)
	} else {
		// No namespace (\package.variables[myvariable]): User first, else
		// the one variable of that name.
		idx = pick(len(vars), func(i int) string { return vars[i].QualifiedName() }, "User::"+name)
		if idx < 0 {
			idx = pick(len(vars), func(i int) string { return vars[i].Name }, name)
		}
	}
	if idx < 0 {
		var known []string
		for _, v := range vars {
			known = append(known, v.QualifiedName())
		}
		hint := ""
		if exe.Parent == nil {
			hint = `a variable of a container or task is reached through its path: \Package\Container.Variables[User::X]`
		}
		return s.notFound("variable", want, label(exe), known, hint)
	}
	v := vars[idx]
	format := s.pkg.Format
	prop := s.path.Property
	switch strings.ToLower(prop) {
	case "value":
		return s.variableValue(v)
	case "description", "expression":
		canon := map[string]string{"description": "Description", "expression": "Expression"}[strings.ToLower(prop)]
		setProp(v.Element, canon, s.value, format)
		if canon == "Description" {
			v.Description = s.value
		} else {
			v.Expression = s.value
		}
	case "name":
		if strings.TrimSpace(s.value) == "" {
			return s.badValue(prop, "name", "a variable needs a name", false)
		}
		setProp(v.Element, "ObjectName", s.value, format)
		v.Name = s.value
	case "namespace":
		if strings.TrimSpace(s.value) == "" || strings.EqualFold(s.value, "System") {
			return s.badValue(prop, "namespace", "use User or a namespace of your own", false)
		}
		setProp(v.Element, "Namespace", s.value, format)
		v.Namespace = s.value
	case "evaluateasexpression", "readonly", "raisechangedevent":
		b, ok := dtsx.ParseBool(s.value)
		if !ok {
			return s.badValue(prop, "Boolean", "expected True, False, 1, 0 or -1", false)
		}
		canon := map[string]string{"evaluateasexpression": "EvaluateAsExpression", "readonly": "ReadOnly",
			"raisechangedevent": "RaiseChangedEvent"}[strings.ToLower(prop)]
		setProp(v.Element, canon, formatBool(b, format), format)
		switch canon {
		case "EvaluateAsExpression":
			v.EvaluateAsExpression = b
		case "ReadOnly":
			v.ReadOnly = b
		}
	case "includeindebugdump":
		// Persisted as 6789 (include) or 2345 (exclude); configurations
		// give a Boolean.
		val := strings.TrimSpace(s.value)
		if val != "6789" && val != "2345" {
			b, ok := dtsx.ParseBool(val)
			if !ok {
				return s.badValue(prop, "Boolean", "expected True, False, 1, 0 or -1", false)
			}
			val = map[bool]string{true: "6789", false: "2345"}[b]
		}
		setProp(v.Element, "IncludeInDebugDump", val, format)
	default:
		return s.notFound("property", prop, label(exe)+".Variables["+v.QualifiedName()+"]", variableProps, "")
	}
	return nil
}

var variableProps = []string{"Value", "Description", "EvaluateAsExpression", "Expression", "IncludeInDebugDump",
	"Name", "Namespace", "RaiseChangedEvent", "ReadOnly"}

// variableValue sets DTS:VariableValue, checked against the variable's type.
func (s *setter) variableValue(v *dtsx.Variable) error {
	vv := firstChild(v.Element, "VariableValue")
	t := v.DataType
	if vv == nil {
		t = dtsx.TypeString // a variable saved without a value: SSIS makes it a String
	}
	persisted, reason := convert(t, s.value, "-1", "0")
	if reason != "" {
		return s.badValue(s.path.Property, t.String(), reason+" (variable "+v.QualifiedName()+" is of type "+t.String()+")", false)
	}
	if vv == nil {
		space := v.Element.Space
		if space == "" {
			space = "DTS"
		}
		vv = v.Element.CreateElement(space + ":VariableValue")
		vv.CreateAttr(space+":DataType", strconv.Itoa(int(dtsx.TypeString)))
		v.DataType = dtsx.TypeString
	}
	vv.SetText(persisted)
	v.Value = persisted
	s.variableSet = v
	return nil
}

func firstChild(e *etree.Element, tag string) *etree.Element {
	for _, c := range e.ChildElements() {
		if c.Tag == tag {
			return c
		}
	}
	return nil
}
