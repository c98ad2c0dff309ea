package dftask

import (
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// RecordKind is the kind of the report record of a Data Flow run.
const RecordKind = "data-flow"

// record is the report record of a run: the rows of each path, the rows
// each destination wrote and the milliseconds each component spent, with
// the fields docs/json.md describes.
func record(res *dataflow.Result) tasks.Record {
	paths := make([]map[string]any, 0, len(res.Paths))
	for _, p := range res.Paths {
		paths = append(paths, map[string]any{"path": p.Path, "from": p.From, "to": p.To, "rows": p.Rows})
	}
	written := make([]map[string]any, 0, len(res.Written))
	for _, w := range res.Written {
		written = append(written, map[string]any{"component": w.Component, "rows": w.Rows})
	}
	times := make([]map[string]any, 0, len(res.Times))
	for _, ct := range res.Times {
		times = append(times, map[string]any{"component": ct.Component, "id": ct.ID, "step": ct.Step, "ms": ct.Duration.Milliseconds()})
	}
	return tasks.Record{Kind: RecordKind, Data: map[string]any{"paths": paths, "written": written, "componentTimes": times}}
}
