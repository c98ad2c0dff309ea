package dftask

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

// Error codes a redirected row carries in ErrorCode, one for a failure a
// column's error row disposition handles and one for a truncation: the
// codes of SSIS's messages for them (tasks/dataflow's table). SSIS writes
// the status code of the particular cause (a conversion, an overflow, a
// NULL condition) instead; those are not matched yet.
const (
	codeError      = dataflow.CodeInducedFailureOnError
	codeTruncation = dataflow.CodeInducedFailureOnTruncation
)

// rowFailure applies the dispositions of a column to a conversion or
// truncation error; it returns whether the row was redirected.
func rowFailure(r *dataflow.Router, row int, d pipeline.Dispositions, lineage int, err error) (bool, error) {
	var te *expr.TruncationError
	if errors.As(err, &te) {
		return r.RowError(row, d.TruncationRowDisposition, codeTruncation, lineage, err)
	}
	return r.RowError(row, d.ErrorRowDisposition, codeError, lineage, err)
}

// settle applies the dispositions of a column to the error of computing
// its value v: it returns the value to store (NULL after an ignored
// error, the cut value after an ignored truncation) and whether the row
// was redirected to the error output.
func settle(r *dataflow.Router, row int, d pipeline.Dispositions, lineage int, spec expr.TypeSpec, v expr.Value, err error) (expr.Value, bool, error) {
	if err == nil {
		return v, false, nil
	}
	redirected, ferr := rowFailure(r, row, d, lineage, err)
	if ferr != nil || redirected {
		return v, redirected, ferr
	}
	var te *expr.TruncationError
	if !errors.As(err, &te) {
		v = expr.NullSpec(spec)
	}
	return v, false, nil
}

// syncBase is what the synchronous transforms share: the input columns an
// expression or conversion reads, resolved to buffer positions by Prepare.
// placeColumns finds the buffer position of each column a synchronous
// transform writes, from its lineage ID: at(t) gives a column's lineage ID,
// its name for the error, and where the position goes.
func placeColumns[T any](l *dataflow.Layout, ts []T, at func(*T) (int, string, *int)) error {
	for i := range ts {
		lineage, name, pos := at(&ts[i])
		p, err := l.Index(lineage)
		if err != nil {
			return fmt.Errorf("column %q: %w", name, err)
		}
		*pos = p
	}
	return nil
}

type syncBase struct {
	label string
	outs  []dataflow.Output
	cols  []expr.FlowColumn
	ids   []int
	pos   []int
	row   []expr.Value
}

func (s *syncBase) Name() string               { return s.label }
func (s *syncBase) Outputs() []dataflow.Output { return s.outs }

func (s *syncBase) prepare(l *dataflow.Layout) error {
	s.pos = make([]int, len(s.ids))
	for i, id := range s.ids {
		p, err := l.Index(id)
		if err != nil {
			return fmt.Errorf("input column %q: %w", s.cols[i].Name, err)
		}
		s.pos[i] = p
	}
	s.row = make([]expr.Value, len(s.cols))
	return nil
}

// load reads the input columns of one row.
func (s *syncBase) load(b *dataflow.Buffer, row int) error {
	for i, p := range s.pos {
		v, err := cell(b, p, row, s.cols[i].Spec)
		if err != nil {
			return err
		}
		s.row[i] = v
	}
	return nil
}

func newSync(b *Build, c *pipeline.Component) (*syncBase, error) {
	s := &syncBase{label: c.Name}
	outs, err := b.Outputs(c, false)
	if err != nil {
		return nil, err
	}
	s.outs = outs
	if len(c.Inputs) != 1 {
		return nil, fmt.Errorf("it has %d inputs, want 1", len(c.Inputs))
	}
	s.cols, s.ids, err = b.Inputs(c.Inputs[0])
	return s, err
}

// expression parses a persisted Expression property; its lineage
// references (#{refId} in formats 6 and 8, #n in formats 2 and 3) resolve
// against the input columns' lineage IDs when it is compiled.
func expression(p *pipeline.Property, where string) (*expr.Expr, error) {
	if p == nil || strings.TrimSpace(p.Value) == "" {
		return nil, fmt.Errorf("%s has no Expression", where)
	}
	e, err := expr.Parse(p.Value)
	if err != nil {
		return nil, fmt.Errorf("%s: expression %s: %w", where, p.Value, err)
	}
	return e, nil
}

// derivedColumn is the Derived Column transformation ("Derived Column
// Transformation"): each new column (an output column) or replaced column
// (a read-write input column) gets the value of its Expression, converted
// to the column's type; a failure or truncation is handled by the column's
// dispositions.
type derivedColumn struct {
	*syncBase
	targets []derivedTarget
}

type derivedTarget struct {
	prog    *expr.Program
	out     expr.FlowColumn
	lineage int
	pos     int
	disp    pipeline.Dispositions
}

func newDerivedColumn(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	s, err := newSync(b, c)
	if err != nil {
		return nil, err
	}
	d := &derivedColumn{syncBase: s}
	cols, err := expr.NewColumns(s.cols)
	if err != nil {
		return nil, err
	}
	add := func(name, refID string, ct pipeline.ColumnType, lineage string, props []*pipeline.Property, disp pipeline.Dispositions) error {
		where := fmt.Sprintf("column %q (%s)", name, refID)
		var prop *pipeline.Property
		for _, p := range props {
			if strings.EqualFold(p.Name, "Expression") {
				prop = p
			}
		}
		e, err := expression(prop, where)
		if err != nil {
			return err
		}
		prog, err := b.compile(e, cols)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		spec, err := specOf(ct)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		d.targets = append(d.targets, derivedTarget{prog: prog, out: expr.FlowColumn{Name: name, Spec: spec}, lineage: b.Lineage(lineage), disp: disp})
		return nil
	}
	for _, o := range c.Outputs {
		if o.IsErrorOut {
			continue
		}
		for _, oc := range o.Columns {
			if err := add(oc.Name, oc.RefID, oc.ColumnType, oc.LineageID, oc.Properties, oc.Dispositions); err != nil {
				return nil, err
			}
		}
	}
	for _, ic := range c.Inputs[0].Columns {
		if strings.EqualFold(ic.UsageType, "readWrite") && ic.Upstream != nil {
			if err := add(ic.Name, ic.RefID, ic.Upstream.ColumnType, ic.LineageID, ic.Properties, ic.Dispositions); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

func (d *derivedColumn) Prepare(l *dataflow.Layout) error {
	if err := d.prepare(l); err != nil {
		return err
	}
	return placeColumns(l, d.targets, func(t *derivedTarget) (int, string, *int) { return t.lineage, t.out.Name, &t.pos })
}

func (d *derivedColumn) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
rows:
	for _, row := range rows {
		if err := d.load(b, row); err != nil {
			return err
		}
		for _, t := range d.targets {
			v, err := t.prog.Assign(d.row, t.out)
			if err != nil {
				var redirected bool
				if v, redirected, err = settle(r, row, t.disp, t.lineage, t.out.Spec, v, err); err != nil {
					return err
				}
				if redirected {
					continue rows
				}
			}
			if err := store(b, t.pos, row, v); err != nil {
				return err
			}
		}
		r.Send(0, row)
	}
	return nil
}

// conditionalSplit is the Conditional Split transformation ("Conditional
// Split Transformation"): a row goes to the first output, in
// EvaluationOrder, whose condition is TRUE, else to the default output. A
// condition that fails or is NULL is handled by its output's error row
// disposition (ignored, the row goes on to the next condition).
type conditionalSplit struct {
	*syncBase
	conds []splitCond
	def   int
}

type splitCond struct {
	prog   *expr.Program
	output int
	name   string
	disp   pipeline.Dispositions
}

func newConditionalSplit(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	s, err := newSync(b, c)
	if err != nil {
		return nil, err
	}
	cs := &conditionalSplit{syncBase: s, def: -1}
	cols, err := expr.NewColumns(s.cols)
	if err != nil {
		return nil, err
	}
	type ordered struct {
		order int
		splitCond
	}
	var list []ordered
	for i, o := range c.Outputs {
		if o.IsErrorOut {
			continue
		}
		if p := findProp(o.Properties, "IsDefaultOut"); p != nil && strings.EqualFold(p.Value, "true") {
			cs.def = i
			continue
		}
		where := fmt.Sprintf("output %q (%s)", o.Name, o.RefID)
		e, err := expression(findProp(o.Properties, "Expression"), where)
		if err != nil {
			return nil, err
		}
		prog, err := b.compile(e, cols)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if prog != nil && prog.Type() != expr.TypeBool {
			return nil, fmt.Errorf("%s: the condition %s is %s, not DT_BOOL", where, e, prog.Type())
		}
		order := i
		if p := findProp(o.Properties, "EvaluationOrder"); p != nil {
			if n, err := strconv.Atoi(strings.TrimSpace(p.Value)); err == nil {
				order = n
			}
		}
		list = append(list, ordered{order, splitCond{prog: prog, output: i, name: o.Name, disp: o.Dispositions}})
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].order < list[j].order })
	for _, o := range list {
		cs.conds = append(cs.conds, o.splitCond)
	}
	return cs, nil
}

func findProp(ps []*pipeline.Property, name string) *pipeline.Property {
	for _, p := range ps {
		if strings.EqualFold(p.Name, name) {
			return p
		}
	}
	return nil
}

func (cs *conditionalSplit) Prepare(l *dataflow.Layout) error { return cs.prepare(l) }

func (cs *conditionalSplit) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
rows:
	for _, row := range rows {
		if err := cs.load(b, row); err != nil {
			return err
		}
		for _, c := range cs.conds {
			ok, err := c.prog.Condition(cs.row, c.name)
			if err != nil {
				redirected, ferr := r.RowError(row, c.disp.ErrorRowDisposition, codeError, 0, err)
				if ferr != nil {
					return ferr
				}
				if redirected {
					continue rows
				}
				continue
			}
			if ok {
				r.Send(c.output, row)
				continue rows
			}
		}
		if cs.def >= 0 {
			r.Send(cs.def, row)
		}
	}
	return nil
}

// dataConversion is the Data Conversion transformation ("Data Conversion
// Transformation"): each output column is a copy of an input column
// (SourceInputColumnLineageID) converted to the output column's type.
type dataConversion struct {
	*syncBase
	convs []conversion
}

type conversion struct {
	src     int // index in the input columns
	out     expr.FlowColumn
	lineage int
	pos     int
	disp    pipeline.Dispositions
}

func newDataConversion(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	dc, err := newCopies(b, c, "SourceInputColumnLineageID")
	if err != nil {
		return nil, err
	}
	return dc, nil
}

// newCopies builds a dataConversion whose output columns name their input
// column in the property prop.
func newCopies(b *Build, c *pipeline.Component, prop string) (*dataConversion, error) {
	s, err := newSync(b, c)
	if err != nil {
		return nil, err
	}
	dc := &dataConversion{syncBase: s}
	for _, o := range c.Outputs {
		if o.IsErrorOut {
			continue
		}
		for _, oc := range o.Columns {
			where := fmt.Sprintf("column %q (%s)", oc.Name, oc.RefID)
			src, err := inputOf(c, oc, prop)
			if err != nil {
				return nil, err
			}
			spec, err := specOf(oc.ColumnType)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			dc.convs = append(dc.convs, conversion{src: src, out: expr.FlowColumn{Name: oc.Name, Spec: spec}, lineage: b.Lineage(oc.LineageID), disp: oc.Dispositions})
		}
	}
	return dc, nil
}

// inputOf returns the index in the component's input columns of the
// input column an output column's property (SourceInputColumnLineageID,
// InputColumnLineageID, copyColumnId) names by lineage ID: #{refId} or the
// refId in formats 6 and 8, a number in formats 2 and 3.
func inputOf(c *pipeline.Component, oc *pipeline.OutputColumn, prop string) (int, error) {
	where := fmt.Sprintf("column %q (%s)", oc.Name, oc.RefID)
	p := findProp(oc.Properties, prop)
	if p == nil || strings.TrimSpace(p.Value) == "" {
		return -1, fmt.Errorf("%s has no %s: choose its input column", where, prop)
	}
	ref := strings.TrimSpace(p.Value)
	if refs := p.LineageRefs(); len(refs) == 1 {
		ref = refs[0]
	}
	ref = strings.TrimSuffix(strings.TrimPrefix(ref, "#{"), "}")
	for i, ic := range c.Inputs[0].Columns {
		if ic.LineageID == ref || ic.ID == ref {
			return i, nil
		}
	}
	return -1, fmt.Errorf("%s: its %s %s is not the lineage ID of one of the input's columns", where, prop, p.Value)
}

func (dc *dataConversion) Prepare(l *dataflow.Layout) error {
	if err := dc.prepare(l); err != nil {
		return err
	}
	return placeColumns(l, dc.convs, func(t *conversion) (int, string, *int) { return t.lineage, t.out.Name, &t.pos })
}

func (dc *dataConversion) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
rows:
	for _, row := range rows {
		if err := dc.load(b, row); err != nil {
			return err
		}
		for _, c := range dc.convs {
			v, err := c.out.Store(dc.row[c.src])
			v, redirected, err := settle(r, row, c.disp, c.lineage, c.out.Spec, v, err)
			if err != nil {
				return err
			}
			if redirected {
				continue rows
			}
			if err := store(b, c.pos, row, v); err != nil {
				return err
			}
		}
		r.Send(0, row)
	}
	return nil
}

// variables lets Row Count write its variable through the task's run.
type variables struct{ b *Build }

func (v variables) SetVariable(_ context.Context, name string, value any) error {
	n, ok := value.(int64)
	if !ok {
		return fmt.Errorf("row count %v is not an integer", value)
	}
	return v.b.Env.SetVariable(name, expr.I8(n))
}

func newRowCount(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	p := c.Property("VariableName")
	if p == nil || strings.TrimSpace(p.Value) == "" {
		return nil, fmt.Errorf("the Row Count has no VariableName: choose the variable it writes")
	}
	return &simple.RowCount{Label: c.Name, Variable: strings.TrimSpace(p.Value), Vars: variables{b}}, nil
}

func newMulticast(_ *Build, c *pipeline.Component) (dataflow.Component, error) {
	return &simple.Multicast{Label: c.Name, N: len(c.Outputs)}, nil
}

func newUnionAll(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	cols, err := b.oneOutput(c)
	if err != nil {
		return nil, err
	}
	u := &simple.UnionAll{Label: c.Name, Columns: cols}
	// Each input column names the output column it feeds in its
	// OutputColumnLineageID property.
	for _, in := range c.Inputs {
		m := make([]int, len(u.Columns))
		for _, ic := range in.Columns {
			p := findProp(ic.Properties, "OutputColumnLineageID")
			if p == nil {
				continue
			}
			ref := strings.TrimSpace(p.Value)
			if refs := p.LineageRefs(); len(refs) == 1 {
				ref = refs[0]
			}
			ref = strings.TrimSuffix(strings.TrimPrefix(ref, "#{"), "}")
			n := b.Lineage(ref)
			for j, col := range u.Columns {
				if col.LineageID == n {
					m[j] = b.Lineage(ic.LineageID)
				}
			}
		}
		u.Map = append(u.Map, m)
	}
	return u, nil
}

var (
	_ dataflow.Transform = (*derivedColumn)(nil)
	_ dataflow.Transform = (*conditionalSplit)(nil)
	_ dataflow.Transform = (*dataConversion)(nil)
)
