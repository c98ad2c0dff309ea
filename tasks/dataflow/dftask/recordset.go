package dftask

import (
	"context"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// objectVars lets the Recordset destination write its Object variable
// through the task's run.
type objectVars struct{ b *Build }

func (v objectVars) SetVariable(_ context.Context, name string, value any) error {
	x, ok := value.(expr.Value)
	if !ok {
		return fmt.Errorf("the recordset %T is not a variable's value", value)
	}
	return v.b.Env.SetVariable(name, x)
}

// newRecordset maps the Recordset destination ("Recordset Destination
// Custom Properties"): VariableName, the Object variable that receives the
// rows, and the input columns it keeps, named as the input names them.
func newRecordset(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	if len(c.Inputs) != 1 {
		return nil, fmt.Errorf("it has %d inputs, want 1", len(c.Inputs))
	}
	p := c.Property("VariableName")
	if p == nil || strings.TrimSpace(p.Value) == "" {
		return nil, fmt.Errorf("the Recordset Destination has no VariableName: choose the Object variable it writes")
	}
	d := &transform.Recordset{Label: c.Name, VariableName: strings.TrimSpace(p.Value), Vars: objectVars{b}}
	for _, ic := range c.Inputs[0].Columns {
		d.Columns = append(d.Columns, transform.RecordsetColumn{Lineage: b.Lineage(ic.LineageID), Name: ic.Name})
	}
	return d, nil
}

var _ transform.Variables = objectVars{}
