package graph

import (
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
)

// taskNames are the names the SSIS designer gives the stock executables,
// keyed by the last part of their type in lower case, whatever the format
// (Microsoft.ExecuteSQLTask, Microsoft.SqlServer.Dts.Tasks.ExecuteSQLTask.ExecuteSQLTask,
// STOCK:SEQUENCE).
var taskNames = map[string]string{
	"sequence":             "Sequence",
	"forloop":              "For Loop",
	"foreachloop":          "Foreach Loop",
	"package":              "Package",
	"executesqltask":       "Execute SQL",
	"sendmailtask":         "Send Mail",
	"scripttask":           "Script Task",
	"filesystemtask":       "File System",
	"executepackagetask":   "Execute Package",
	"executeprocess":       "Execute Process",
	"executeprocesstask":   "Execute Process",
	"ftptask":              "FTP",
	"expressiontask":       "Expression",
	"bulkinserttask":       "Bulk Insert",
	"xmltask":              "XML",
	"webservicetask":       "Web Service",
	"wmidatareadertask":    "WMI Data Reader",
	"wmieventwatchertask":  "WMI Event Watcher",
	"messagequeuetask":     "Message Queue",
	"dataprofilingtask":    "Data Profiling",
	"transferdatabasetask": "Transfer Database",
}

// TypeName returns the type of x as the SSIS designer names it (Execute
// SQL, Sequence, Data Flow), or the last part of its persisted type when it
// is not a stock executable.
func TypeName(x *dtsx.Executable) string {
	if pipeline.IsDataFlow(x) {
		return "Data Flow"
	}
	t := lastPart(x.ShortType())
	if n, ok := taskNames[strings.ToLower(t)]; ok {
		return n
	}
	return t
}

// lastPart drops the namespace, the STOCK: prefix and a ProgID's version
// of a type name: "Microsoft.SqlServer.Dts.Tasks.ScriptTask.ScriptTask"
// gives ScriptTask, "DTS.ExecuteSQLTask.2" gives ExecuteSQLTask.
func lastPart(t string) string {
	t = strings.TrimPrefix(strings.TrimPrefix(t, "STOCK:"), "Stock:")
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

// IsContainer reports whether x is drawn as a cluster: a Sequence, a loop,
// or any executable with children.
func IsContainer(x *dtsx.Executable) bool {
	if len(x.Executables) > 0 {
		return true
	}
	switch strings.ToLower(lastPart(x.ShortType())) {
	case "sequence", "forloop", "foreachloop":
		return true
	}
	return false
}
