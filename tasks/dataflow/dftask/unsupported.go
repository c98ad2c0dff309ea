package dftask

import (
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
)

// Reason is the class of reason a component has no factory.
type Reason string

// The reasons a component cannot run here.
const (
	// ReasonScript: the Script Component, whose .NET code cannot run.
	ReasonScript Reason = "script-component"
	// ReasonThirdParty: a component that does not ship with SSIS.
	ReasonThirdParty Reason = "third-party"
	// ReasonSecondWave: a Microsoft component dtsx does not build yet.
	ReasonSecondWave Reason = "second-wave"
	// ReasonUnknown: a class that is neither in the table of Microsoft's
	// components nor named like a vendor's.
	ReasonUnknown Reason = "unknown-class"
)

// Unsupported says why no factory builds c: the reason class, a sentence
// naming what the component is, and the fix.
func Unsupported(c *pipeline.Component) (r Reason, why, fix string) {
	name := c.ClassID
	if c.UserComponentTypeName != "" {
		name = dtsx.ShortType(c.UserComponentTypeName)
	}
	switch {
	case c.Class != nil && c.Class.Support == pipeline.SupportScript:
		return ReasonScript, "it is a Script Component, whose .NET code cannot run here",
			"rewrite it as a Derived Column, Conditional Split, Data Conversion or Lookup, or run the package on Windows"
	case c.Class != nil && c.Class.Support == pipeline.SupportThirdParty,
		c.Class == nil && (c.ThirdParty || pipeline.Vendor(name) != ""):
		vendor := pipeline.Vendor(name)
		if vendor == "" {
			vendor = "an unknown vendor"
		}
		return ReasonThirdParty, "it is the third-party component " + name + " of " + vendor + ", which does not ship with SSIS",
			"replace it with built-in components, or run the package on Windows with " + vendor + "'s component installed"
	case c.Class == nil:
		return ReasonUnknown, "its class " + name + " is not one dtsx knows, from Microsoft or a vendor",
			"check the componentClassID; a custom component cannot run here"
	case c.Class.Support == pipeline.SupportLater:
		return ReasonSecondWave, "the " + c.Class.Display + " is a Microsoft component not yet supported by dtsx",
			"replace it with first-wave components (" + secondWaveAdvice(c.Class.Name) + "), or run the package on Windows"
	}
	return ReasonSecondWave, "the " + c.Class.Display + " component is not built yet", "run the package on Windows"
}

// Why is Unsupported's sentence.
func Why(c *pipeline.Component) string {
	_, why, _ := Unsupported(c)
	return why
}

// secondWaveAdvice names what may stand in for a second-wave component.
func secondWaveAdvice(class string) string {
	switch {
	case strings.Contains(class, "Excel"):
		return "a Flat File Source or Destination on a CSV export"
	case strings.Contains(class, "ODBC"):
		return "an OLE DB or ADO NET Source or Destination"
	case strings.Contains(class, "Xml"):
		return "a Flat File Source on the data, or an Execute SQL Task that shreds the XML"
	case strings.Contains(class, "Fuzzy"):
		return "a Lookup on cleaned keys"
	case strings.Contains(class, "SCD"):
		return "a Lookup with its no-match output, an OLE DB Command and an OLE DB Destination"
	}
	return "Derived Column, Lookup, Aggregate, Sort"
}
