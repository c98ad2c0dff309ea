package graph

import (
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
)

// TypeName returns the type of x as a drawing labels it: SSIS Designer's
// name (dtsx.TypeName) without its " Task" or " Container" (Execute SQL,
// Sequence, Data Flow), except the Script Task, whose "Script" alone would
// read as a language; a type that is not a stock executable keeps the last
// part of its persisted type.
func TypeName(x *dtsx.Executable) string {
	if pipeline.IsDataFlow(x) {
		return "Data Flow"
	}
	n := dtsx.TypeName(x.ShortType())
	if n == "Script Task" {
		return n
	}
	if s, ok := strings.CutSuffix(n, " Container"); ok {
		return s
	}
	return strings.TrimSuffix(n, " Task")
}

// IsContainer reports whether x is drawn as a cluster: a Sequence, a loop,
// or any executable with children.
func IsContainer(x *dtsx.Executable) bool {
	if len(x.Executables) > 0 {
		return true
	}
	switch strings.ToLower(dtsx.TypeLastPart(x.ShortType())) {
	case "sequence", "forloop", "foreachloop":
		return true
	}
	return false
}
