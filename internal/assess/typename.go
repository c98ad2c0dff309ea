package assess

import (
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// TaskTypeName is the usual name of a task type ("Microsoft.ScriptTask" is
// "Script Task"), SSIS Designer's (dtsx.TypeName).
func TaskTypeName(typ string) string { return dtsx.TypeName(typ) }

// componentNames are the usual names of data-flow component classes.
var componentNames = map[string]string{
	"microsoft.scriptcomponenthost": "Script Component",
	"microsoft.xmlsourceadapter":    "XML Source",
	"microsoft.fuzzygrouping":       "Fuzzy Grouping",
	"microsoft.fuzzylookup":         "Fuzzy Lookup",
	"microsoft.termextraction":      "Term Extraction",
	"microsoft.termlookup":          "Term Lookup",
	"microsoft.scd":                 "Slowly Changing Dimension",
	"microsoft.pivot":               "Pivot",
	"microsoft.unpivot":             "Unpivot",
	"microsoft.excelsource":         "Excel Source",
	"microsoft.exceldestination":    "Excel Destination",
	"attunity.ssisodbcsrc":          "ODBC Source",
	"attunity.ssisodbcdst":          "ODBC Destination",
}

// ComponentTypeName is the usual name of a data-flow component class: a
// known one's, else the class without its namespace (a third-party class
// after a "{GUID}/" keeps its own last part).
func ComponentTypeName(class string) string {
	if n, ok := componentNames[strings.ToLower(class)]; ok {
		return n
	}
	if class == "" {
		return "component"
	}
	if i := strings.LastIndex(class, "."); i >= 0 {
		return class[i+1:]
	}
	return class
}
