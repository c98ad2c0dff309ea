package dtsx

import (
	"strings"
	"unicode"
)

// designerNames are the names SSIS Designer gives the stock executables
// whose type does not spell them, keyed by the last part of the type in
// lower case (see TypeLastPart).
var designerNames = map[string]string{
	"package":                          "Package",
	"pipeline":                         "Data Flow Task",
	"pipelinetask":                     "Data Flow Task",
	"sequence":                         "Sequence Container",
	"forloop":                          "For Loop Container",
	"foreachloop":                      "Foreach Loop Container",
	"executeprocess":                   "Execute Process Task",
	"ftptask":                          "FTP Task",
	"xmltask":                          "XML Task",
	"wmidatareadertask":                "WMI Data Reader Task",
	"wmieventwatchertask":              "WMI Event Watcher Task",
	"asexecuteddltask":                 "Analysis Services Execute DDL Task",
	"dtsprocessingtask":                "Analysis Services Processing Task",
	"transfersqlserverobjectstask":     "Transfer SQL Server Objects Task",
	"dbmaintenancebackuptask":          "Back Up Database Task",
	"dbmaintenanceexecuteagentjobtask": "Execute SQL Server Agent Job Task",
	"dbmaintenancetsqlexecutetask":     "Execute T-SQL Statement Task",
	"executedts200task":                "Execute DTS 2000 Package Task",
}

// TypeName is the name SSIS Designer gives an executable type, whatever
// the format spells it (Microsoft.ExecuteSQLTask,
// Microsoft.SqlServer.Dts.Tasks.ExecuteSQLTask.ExecuteSQLTask, ...,
// DTS.ExecuteSQLTask.2 are "Execute SQL Task"; STOCK:SEQUENCE is
// "Sequence Container"): the Designer's for the types whose class does
// not spell it, else the last part of the type split into words.
func TypeName(typ string) string {
	last := TypeLastPart(ShortType(typ))
	if n, ok := designerNames[strings.ToLower(last)]; ok {
		return n
	}
	return SplitWords(last)
}

// TypeLastPart drops the namespace, the STOCK: prefix and a ProgID's
// version of a type name: "Microsoft.SqlServer.Dts.Tasks.ScriptTask.ScriptTask"
// gives ScriptTask, "DTS.ExecuteSQLTask.2" ExecuteSQLTask. A class ID
// ({…}) is returned as it is.
func TypeLastPart(t string) string {
	if len(t) >= 6 && strings.EqualFold(t[:6], "STOCK:") {
		t = t[6:]
	}
	if strings.HasPrefix(t, "{") {
		return t
	}
	parts := strings.Split(t, ".")
	for len(parts) > 1 && isDigits(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
	}
	return parts[len(parts)-1]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// SplitWords splits a CamelCase name at each capital that starts a word:
// after a small letter, or the last capital of an acronym before a small
// letter ("WebServiceTask" is "Web Service Task", "XMLTask" "XML Task").
func SplitWords(s string) string {
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
