package graph_test

import (
	"os"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/graph"
)

// A package of two tasks, the second running when the first fails, drawn
// as a Mermaid flowchart.
func ExampleWriteMermaid() {
	root := &dtsx.Executable{Object: dtsx.Object{Name: "Nightly", RefID: "Package"}}
	load := &dtsx.Executable{Object: dtsx.Object{Name: "Load", RefID: `Package\Load`}, ExecutableType: "Microsoft.Pipeline", Parent: root}
	alert := &dtsx.Executable{Object: dtsx.Object{Name: "Alert", RefID: `Package\Alert`}, ExecutableType: "Microsoft.SendMailTask", Parent: root}
	root.Executables = []*dtsx.Executable{load, alert}
	root.Constraints = []*dtsx.PrecedenceConstraint{{From: load, To: alert, Value: dtsx.Failure, EvalOp: dtsx.EvalConstraint, LogicalAnd: true}}
	_ = graph.WriteMermaid(os.Stdout, graph.ControlFlow(&dtsx.Package{Executable: root}))
	// Output:
	// flowchart TD
	//   n1["Load<br/>Data Flow"]
	//   n2["Alert<br/>Send Mail"]
	//   n1 -->|"Failure"| n2
	//   linkStyle 0 stroke:#c62828,color:#c62828
}
