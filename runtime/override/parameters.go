package override

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
)

func (s *setter) parameter() error {
	if prop := s.path.Property; prop != "" && !strings.EqualFold(prop, "Value") {
		return s.unsupported("only the value of a parameter can be set, not its "+prop, `use \Package.Variables[$`+s.path.Scope+"::"+s.path.Name+"]")
	}
	var params []*dtsx.Parameter
	in := `\Package`
	if s.path.Scope == "Project" {
		if s.pr == nil {
			return s.unsupported("$Project:: parameters belong to the project, and no project was given",
				"run the package from its project (.ispac, .dtproj or folder)")
		}
		params, in = s.pr.Parameters, "the project"
	} else {
		params = s.pkg.Parameters
	}
	i := pick(len(params), func(i int) string { return params[i].Name }, s.path.Name)
	if i < 0 {
		var known []string
		for _, p := range params {
			known = append(known, p.QualifiedName())
		}
		return s.notFound("parameter", "$"+s.path.Scope+"::"+s.path.Name, in, known, "")
	}
	p := params[i]
	persisted, reason := convert(p.DataType, s.value, "True", "False")
	if reason != "" {
		return s.badValue("Value", p.DataType.String(), reason+" (parameter "+p.QualifiedName()+" is of type "+p.DataType.String()+")", p.Sensitive)
	}
	if p.Scope == "Project" {
		setParamValue(p.Element, "Value", persisted, p.DataType, "SSIS")
	} else {
		setParamValue(p.Element, "ParameterValue", persisted, p.DataType, "DTS")
	}
	p.Value, p.Encrypted = persisted, false
	return nil
}

// setParamValue writes a parameter value: the text of its
// <P:Property P:Name="name">, replacing the encrypted or sensitive forms
// (a nested Property, EncryptedData) with the plain value.
func setParamValue(e *etree.Element, name, value string, t dtsx.DataType, defSpace string) {
	space := e.Space
	if space == "" {
		space = defSpace
	}
	pe := findPropElem(e, name)
	if pe == nil {
		pe = e.CreateElement(space + ":Property")
		if defSpace == "DTS" {
			pe.CreateAttr(space+":DataType", strconv.Itoa(int(t)))
		}
		pe.CreateAttr(space+":Name", name)
	}
	for _, c := range pe.ChildElements() {
		pe.RemoveChild(c)
	}
	pe.SetText(value)
}
