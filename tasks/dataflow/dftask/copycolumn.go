package dftask

import (
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// newCopyColumn builds the Copy Column transformation ("Copy Column
// Transformation"): each output column is a copy of the input column its
// copyColumnId names ("Transformation Custom Properties", Copy Column).
// The copy is a Data Conversion's, to the output column's own type (the
// designer gives it the input column's), so that the row dispositions of
// the column apply as they do there.
func newCopyColumn(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	dc, err := newCopies(b, c, "copyColumnId")
	if err != nil {
		return nil, err
	}
	return dc, nil
}
