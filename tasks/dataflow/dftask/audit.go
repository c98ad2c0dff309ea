package dftask

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// auditItems are the values of an Audit column's LineageItemSelected
// ("Transformation Custom Properties", Audit: Execution instance GUID (0)
// to Task ID (8)) and the System variable of the run each one is.
var auditItems = [...]struct{ name, variable string }{
	{"Execution instance GUID", "System::ExecutionInstanceGUID"},
	{"Package ID", "System::PackageID"},
	{"Package name", "System::PackageName"},
	{"Version ID", "System::VersionGUID"},
	{"Execution start time", "System::StartTime"},
	{"Machine name", "System::MachineName"},
	{"User name", "System::UserName"},
	{"Task name", "System::TaskName"},
	{"Task ID", "System::TaskID"},
}

// audit is the Audit transformation ("Audit Transformation"): each of its
// output columns gets, in every row, the value of the run its
// LineageItemSelected chooses, read once from the task's System variables
// when the flow is built, so that every row of the run has the same. A
// value that does not fit its column is handled by the column's
// dispositions.
type audit struct {
	*syncBase
	targets []auditTarget
}

type auditTarget struct {
	out     expr.FlowColumn
	lineage int
	pos     int
	disp    pipeline.Dispositions
	// value is what the column holds, and err why it cannot hold it (a
	// truncation leaves value cut to the column).
	value expr.Value
	err   error
}

func newAudit(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	s, err := newSync(b, c)
	if err != nil {
		return nil, err
	}
	a := &audit{syncBase: s}
	for _, o := range c.Outputs {
		if o.IsErrorOut {
			continue
		}
		for _, oc := range o.Columns {
			where := fmt.Sprintf("column %q (%s)", oc.Name, oc.RefID)
			p := findProp(oc.Properties, "LineageItemSelected")
			if p == nil {
				return nil, fmt.Errorf("%s has no LineageItemSelected: choose its audit type on the Audit editor", where)
			}
			n, err := strconv.Atoi(strings.TrimSpace(p.Value))
			if err != nil || n < 0 || n >= len(auditItems) {
				return nil, fmt.Errorf("%s: LineageItemSelected %q is not an audit type: use 0 (Execution instance GUID) to 8 (Task ID)", where, p.Value)
			}
			spec, err := specOf(oc.ColumnType)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			t := auditTarget{out: expr.FlowColumn{Name: oc.Name, Spec: spec}, lineage: b.Lineage(oc.LineageID), disp: oc.Dispositions}
			if b.Env != nil {
				item := auditItems[n]
				v, err := b.Env.Variable(item.variable)
				if err != nil {
					return nil, fmt.Errorf("%s: the %s (%s): %w", where, strings.ToLower(item.name[:1])+item.name[1:], item.variable, err)
				}
				t.value, t.err = t.out.Store(v)
			}
			a.targets = append(a.targets, t)
		}
	}
	return a, nil
}

func (a *audit) Prepare(l *dataflow.Layout) error {
	if err := a.prepare(l); err != nil {
		return err
	}
	return placeColumns(l, a.targets, func(t *auditTarget) (int, string, *int) { return t.lineage, t.out.Name, &t.pos })
}

func (a *audit) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
rows:
	for _, row := range rows {
		for _, t := range a.targets {
			v, redirected, err := settle(r, row, t.disp, t.lineage, t.out.Spec, t.value, t.err)
			if err != nil {
				return err
			}
			if redirected {
				continue rows
			}
			if err := store(b, t.pos, row, v); err != nil {
				return err
			}
		}
		r.Send(0, row)
	}
	return nil
}

var _ dataflow.Transform = (*audit)(nil)
