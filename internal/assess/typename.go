package assess

import (
	"strings"
	"unicode"

	"github.com/dtsx-run/dtsx/dtsx"
)

// taskNames are the names SSIS Designer gives the task types whose class
// name does not spell them.
var taskNames = map[string]string{
	"stock:pipelinetask":                         "Data Flow Task",
	"ssis.pipeline":                              "Data Flow Task",
	"microsoft.pipeline":                         "Data Flow Task",
	"stock:foreachloop":                          "Foreach Loop Container",
	"stock:forloop":                              "For Loop Container",
	"stock:sequence":                             "Sequence Container",
	"microsoft.xmltask":                          "XML Task",
	"microsoft.ftptask":                          "FTP Task",
	"microsoft.wmidatareadertask":                "WMI Data Reader Task",
	"microsoft.wmieventwatchertask":              "WMI Event Watcher Task",
	"microsoft.dbmaintenancebackuptask":          "Back Up Database Task",
	"microsoft.executedts200task":                "Execute DTS 2000 Package Task",
	"microsoft.dbmaintenanceexecuteagentjobtask": "Execute SQL Server Agent Job Task",
}

// TaskTypeName is the usual name of a task type ("Microsoft.ScriptTask" is
// "Script Task"): SSIS Designer's for the types whose class does not
// spell it, else the class name split into words.
func TaskTypeName(typ string) string {
	short := dtsx.ShortType(typ)
	if n, ok := taskNames[strings.ToLower(short)]; ok {
		return n
	}
	last := short[strings.LastIndex(short, ".")+1:] // Microsoft.SqlServer.Dts.Tasks.ScriptTask.ScriptTask
	if n, ok := taskNames["microsoft."+strings.ToLower(last)]; ok {
		return n
	}
	return splitWords(last)
}

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

// splitWords splits a CamelCase name at each capital that starts a word
// ("WebServiceTask" is "Web Service Task").
func splitWords(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
