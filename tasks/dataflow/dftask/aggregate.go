package dftask

import (
	"fmt"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// newAggregate maps the Aggregate transformation ("Transformation Custom
// Properties", Aggregate): on each output column, AggregationType (0 Group
// by, 1 Count, 2 Count all, 3 Count distinct, 4 Sum, 5 Average, 6 Minimum,
// 7 Maximum, as listed there), AggregationColumnId (the lineage ID of the
// input column it reads; none for Count all) and
// AggregationComparisonFlags. Keys, KeyScale, CountDistinctKeys,
// CountDistinctScale, AutoExtendFactor and IsBig size SSIS's hash tables
// and are not needed here.
func newAggregate(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	if len(c.Inputs) != 1 {
		return nil, fmt.Errorf("it has %d inputs, want 1", len(c.Inputs))
	}
	loc, err := locale(c)
	if err != nil {
		return nil, err
	}
	a := &transform.Aggregate{Label: c.Name, Locale: loc}
	inputs := map[int]bool{}
	for _, ic := range c.Inputs[0].Columns {
		inputs[b.Lineage(ic.LineageID)] = true
	}
	for _, o := range c.Outputs {
		if o.IsErrorOut {
			continue
		}
		ao := transform.AggregateOutput{Name: o.Name}
		for _, oc := range o.Columns {
			where := fmt.Sprintf("output column %q (%s)", oc.Name, oc.RefID)
			col, err := b.Column(oc)
			if err != nil {
				return nil, err
			}
			t, err := intProp(oc.Properties, "AggregationType", where, -1)
			if err != nil {
				return nil, err
			}
			if t < int(transform.GroupBy) || t > int(transform.Maximum) {
				return nil, fmt.Errorf("%s: AggregationType %d is not an operation (0 Group by to 7 Maximum): choose one in the Aggregate's editor", where, t)
			}
			flags, err := intProp(oc.Properties, "AggregationComparisonFlags", where, 0)
			if err != nil {
				return nil, err
			}
			ac := transform.AggregateColumn{Column: col, AggregationType: transform.AggregationType(t),
				AggregationComparisonFlags: transform.Comparison(flags)}
			if ac.AggregationType != transform.CountAll {
				ac.AggregationColumnID = b.lineageRef(findProp(oc.Properties, "AggregationColumnId"))
				if !inputs[ac.AggregationColumnID] {
					return nil, fmt.Errorf("%s: its AggregationColumnId names no input column of the Aggregate: choose the input column it %s", where, ac.AggregationType)
				}
			}
			ao.Columns = append(ao.Columns, ac)
		}
		a.AggregateOutputs = append(a.AggregateOutputs, ao)
	}
	return a, nil
}
