package dftask

import (
	"fmt"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// newSort maps the Sort transformation ("Transformation Custom Properties",
// Sort): EliminateDuplicates on the component; NewSortKeyPosition (0 for a
// column that is not a key, negative for a descending key) and
// NewComparisonFlags on each input column; SortColumnId on each output
// column, the lineage ID of the input column it copies. MaximumThreads is
// a hint of SSIS's engine the sort does not need.
func newSort(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	if len(c.Inputs) != 1 {
		return nil, fmt.Errorf("it has %d inputs, want 1", len(c.Inputs))
	}
	loc, err := locale(c)
	if err != nil {
		return nil, err
	}
	s := &transform.Sort{Label: c.Name, Locale: loc}
	if s.EliminateDuplicates, err = boolProp(c.Properties, "EliminateDuplicates", "the Sort", false); err != nil {
		return nil, err
	}
	for _, ic := range c.Inputs[0].Columns {
		where := fmt.Sprintf("input column %q (%s)", ic.Name, ic.RefID)
		pos, err := intProp(ic.Properties, "NewSortKeyPosition", where, 0)
		if err != nil {
			return nil, err
		}
		flags, err := intProp(ic.Properties, "NewComparisonFlags", where, 0)
		if err != nil {
			return nil, err
		}
		if pos != 0 {
			s.Keys = append(s.Keys, transform.SortKey{Lineage: b.Lineage(ic.LineageID), NewSortKeyPosition: pos,
				NewComparisonFlags: transform.Comparison(flags)})
		}
	}
	if len(s.Keys) == 0 {
		return nil, fmt.Errorf("the Sort has no sort key: set NewSortKeyPosition on at least one input column (check a column in its editor)")
	}
	cols, err := b.oneOutput(c)
	if err != nil {
		return nil, err
	}
	s.Columns = cols
	for _, oc := range c.Outputs[0].Columns {
		id := b.lineageRef(findProp(oc.Properties, "SortColumnId"))
		if id == 0 {
			return nil, fmt.Errorf("output column %q (%s) has no SortColumnId: name the input column it copies", oc.Name, oc.RefID)
		}
		s.SortColumnID = append(s.SortColumnID, id)
	}
	return s, nil
}
