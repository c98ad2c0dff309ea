package dftask

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dbflow"
)

// dbCommand is the OLE DB Command with its outputs as persisted.
type dbCommand struct {
	*dbflow.Command
	outs []dataflow.Output
}

func (c *dbCommand) Outputs() []dataflow.Output { return c.outs }

// newOLEDBCommand maps the OLE DB Command's custom properties ("OLE DB
// Command Transformation": SqlCommand, CommandTimeout) and its parameters:
// each input column mapped to an external column binds the marker of that
// external column, Param_0 the first ?, Param_1 the second ("the
// parameter names are Param_0, Param_1, and so on"); an external column of
// another name (a provider that names its parameters) binds the marker of
// its position among the external columns.
func newOLEDBCommand(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	outs, in, err := syncOutputs(b, c)
	if err != nil {
		return nil, err
	}
	d := &dbflow.Command{Label: c.Name, SqlCommand: stringProperty(c, "SqlCommand"),
		ErrorRowDisposition: in.ErrorRowDisposition, Connection: lazyConnection{b, c}, Main: -1}
	if strings.TrimSpace(d.SqlCommand) == "" {
		return nil, fmt.Errorf("SqlCommand is empty: write the statement to run for each row")
	}
	if d.CommandTimeout, err = intProperty(c, "CommandTimeout", 0); err != nil {
		return nil, err
	}
	for i, o := range outs {
		if !o.Error && d.Main < 0 {
			d.Main = i
		}
	}
	if d.Main < 0 {
		return nil, fmt.Errorf("it has no output for its rows: save the package again in the designer")
	}
	d.Params = make([]int, len(in.External))
	for _, ic := range in.Columns {
		if ic.External == nil {
			continue
		}
		n := indexOf(in.External, ic.External)
		if k, err := strconv.Atoi(strings.TrimPrefix(ic.External.Name, "Param_")); err == nil && strings.HasPrefix(ic.External.Name, "Param_") {
			n = k
		}
		if n < 0 {
			return nil, fmt.Errorf("input column %q (%s) is mapped to an external column that is not among the input's external columns", ic.Name, ic.RefID)
		}
		for len(d.Params) <= n {
			d.Params = append(d.Params, 0)
		}
		d.Params[n] = b.Lineage(ic.LineageID)
	}
	if _, err := b.Connection(c, 0); err != nil {
		return nil, err
	}
	b.OnClose(closer(d.Close))
	return &dbCommand{Command: d, outs: outs}, nil
}

var _ dataflow.Transform = (*dbCommand)(nil)
