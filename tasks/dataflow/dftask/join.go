package dftask

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// sortedInputs returns how each of a component's two inputs is sorted and
// the locale its keys compare in.
func (b *Build) sortedInputs(c *pipeline.Component) ([2]transform.SortedInput, string, error) {
	var s [2]transform.SortedInput
	if len(c.Inputs) != 2 {
		return s, "", fmt.Errorf("it has %d inputs, want 2", len(c.Inputs))
	}
	for i, in := range c.Inputs {
		s[i] = b.sortedInput(in)
	}
	loc, err := locale(c)
	if err != nil {
		return s, "", err
	}
	return s, loc, nil
}

// newMergeJoin maps the Merge Join transformation ("Transformation Custom
// Properties", Merge Join): JoinType (full 0, left outer 1, inner 2, as
// there and in the message DTS_E_TXMERGEJOININVALIDJOINTYPE; inner when
// none is persisted), NumKeyColumns, TreatNullsAsEqual (True unless
// persisted otherwise, SSIS's default) and, on each output column,
// InputColumnID, the input column it copies (its refId in formats 6 and
// 8, its lineage ID in formats 2 and 3). The
// sort order of each input comes from the output it is attached to
// (IsSorted, SortKeyPosition). MaxBuffersPerInput is no longer needed in
// SSIS ("Merge Join Transformation", Buffer Throttling) and is not used.
func newMergeJoin(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	ins, loc, err := b.sortedInputs(c)
	if err != nil {
		return nil, err
	}
	m := &transform.MergeJoin{Label: c.Name, Inputs: ins, Locale: loc}
	jt, err := intProp(c.Properties, "JoinType", "the Merge Join", int(transform.InnerJoin))
	if err != nil {
		return nil, err
	}
	if jt < int(transform.FullOuterJoin) || jt > int(transform.InnerJoin) {
		return nil, fmt.Errorf("the Merge Join's JoinType is %d, which is not 0 (full), 1 (left) or 2 (inner): choose the join in its editor", jt)
	}
	m.JoinType = transform.JoinType(jt)
	if m.NumKeyColumns, err = intProp(c.Properties, "NumKeyColumns", "the Merge Join", 0); err != nil {
		return nil, err
	}
	if m.NumKeyColumns <= 0 {
		return nil, fmt.Errorf("the Merge Join's NumKeyColumns is %d: join at least one pair of key columns in its editor", m.NumKeyColumns)
	}
	if m.TreatNullsAsEqual, err = boolProp(c.Properties, "TreatNullsAsEqual", "the Merge Join", true); err != nil {
		return nil, err
	}
	cols, err := b.oneOutput(c)
	if err != nil {
		return nil, err
	}
	for j, oc := range c.Outputs[0].Columns {
		where := fmt.Sprintf("output column %q (%s)", oc.Name, oc.RefID)
		p := findProp(oc.Properties, "InputColumnID")
		if p == nil {
			return nil, fmt.Errorf("%s has no InputColumnID: choose the input column it copies", where)
		}
		input, ic := inputColumn(c, p)
		if ic == nil {
			return nil, fmt.Errorf("%s: its InputColumnID %s names no input column of the Merge Join", where, p.Value)
		}
		m.Columns = append(m.Columns, transform.MergeJoinColumn{Column: cols[j], Input: input,
			InputColumnID: b.Lineage(ic.LineageID)})
	}
	return m, nil
}

// inputColumn returns the input column a property names, by its refId
// (#{refId}, formats 6 and 8) or its id (formats 2 and 3), else by its
// lineage ID, with the index of its input.
func inputColumn(c *pipeline.Component, p *pipeline.Property) (int, *pipeline.InputColumn) {
	ref := strings.TrimSpace(p.Value)
	if refs := p.LineageRefs(); len(refs) == 1 {
		ref = refs[0]
	}
	ref = strings.TrimSuffix(strings.TrimPrefix(ref, "#{"), "}")
	for _, byLineage := range []bool{false, true} {
		for i, in := range c.Inputs {
			for _, ic := range in.Columns {
				if !byLineage && (ic.RefID == ref || ic.ID == ref) || byLineage && ic.LineageID == ref {
					return i, ic
				}
			}
		}
	}
	return -1, nil
}

// newMerge maps the Merge transformation ("Merge Transformation"): it has
// no custom properties of its own; each input column names the output
// column it feeds in OutputColumnLineageID, and the sort order of each
// input comes from the output it is attached to.
func newMerge(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	ins, loc, err := b.sortedInputs(c)
	if err != nil {
		return nil, err
	}
	cols, err := b.oneOutput(c)
	if err != nil {
		return nil, err
	}
	m := &transform.Merge{Label: c.Name, Columns: cols, Inputs: ins, Locale: loc}
	for i, in := range c.Inputs {
		m.InputColumns[i] = make([]int, len(m.Columns))
		for _, ic := range in.Columns {
			n := b.lineageRef(findProp(ic.Properties, "OutputColumnLineageID"))
			if n == 0 {
				continue
			}
			for j, col := range m.Columns {
				if col.LineageID == n {
					m.InputColumns[i][j] = b.Lineage(ic.LineageID)
				}
			}
		}
	}
	return m, nil
}
