package dftask

import (
	"context"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/charmap"
)

// characterMap is the Character Map transformation ("Character Map
// Transformation"): each target applies the MapFlags of a column to the
// string of an input column, in place (a read-write input column) or into
// a new output column (whose InputColumnLineageID names the input
// column); a mapping that fails, or whose result does not fit the column,
// is handled by the column's dispositions as Derived Column's are.
type characterMap struct {
	*syncBase
	targets []charTarget
}

type charTarget struct {
	src     int // index in the input columns
	m       *charmap.Mapper
	out     expr.FlowColumn
	lineage int
	pos     int
	disp    pipeline.Dispositions
}

// isString reports whether a column type is one Character Map maps, and
// whether it is Unicode.
func isString(t pipeline.Type) (ok, unicode bool) {
	switch t {
	case pipeline.TypeStr, pipeline.TypeText:
		return true, false
	case pipeline.TypeWStr, pipeline.TypeNText:
		return true, true
	}
	return false, false
}

// newCharacterMap maps the Character Map's custom properties
// ("Transformation Custom Properties", Character Map: MapFlags, and
// InputColumnLineageId on an output column). The operations are checked
// here, so that validation refuses those that cannot run (charmap.Check).
func newCharacterMap(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	s, err := newSync(b, c)
	if err != nil {
		return nil, err
	}
	tag, err := locale(c)
	if err != nil {
		return nil, err
	}
	cm := &characterMap{syncBase: s}
	add := func(where string, src int, ct pipeline.ColumnType, lineage string, props []*pipeline.Property, disp pipeline.Dispositions) error {
		in := c.Inputs[0].Columns[src]
		if ok, _ := isString(in.Upstream.Type); !ok {
			return fmt.Errorf("%s maps input column %q, which is %s: Character Map maps only string columns (DT_STR, DT_WSTR, DT_TEXT, DT_NTEXT)", where, in.Name, in.Upstream.ColumnType)
		}
		ok, unicode := isString(ct.Type)
		if !ok {
			return fmt.Errorf("%s is %s: a Character Map column is a string (DT_STR, DT_WSTR, DT_TEXT, DT_NTEXT)", where, ct)
		}
		p := findProp(props, "MapFlags")
		if p == nil {
			return fmt.Errorf("%s has no MapFlags: choose its operation on the Character Map editor", where)
		}
		f, err := charmap.Parse(p.Value)
		if err == nil {
			err = f.Check(unicode)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		m, err := charmap.New(f, tag)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		spec, err := specOf(ct)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		cm.targets = append(cm.targets, charTarget{src: src, m: m, out: expr.FlowColumn{Name: s.cols[src].Name, Spec: spec},
			lineage: b.Lineage(lineage), disp: disp})
		return nil
	}
	for i, ic := range c.Inputs[0].Columns {
		if strings.EqualFold(ic.UsageType, "readWrite") {
			where := fmt.Sprintf("input column %q (%s)", s.cols[i].Name, ic.RefID)
			if err := add(where, i, ic.Upstream.ColumnType, ic.LineageID, ic.Properties, ic.Dispositions); err != nil {
				return nil, err
			}
		}
	}
	for _, o := range c.Outputs {
		if o.IsErrorOut {
			continue
		}
		for _, oc := range o.Columns {
			src, err := inputOf(c, oc, "InputColumnLineageID")
			if err != nil {
				return nil, err
			}
			where := fmt.Sprintf("column %q (%s)", oc.Name, oc.RefID)
			if err := add(where, src, oc.ColumnType, oc.LineageID, oc.Properties, oc.Dispositions); err != nil {
				return nil, err
			}
			cm.targets[len(cm.targets)-1].out.Name = oc.Name
		}
	}
	if len(cm.targets) == 0 {
		return nil, fmt.Errorf("it maps no column: choose the columns and their operations on the Character Map editor")
	}
	return cm, nil
}

func (cm *characterMap) Prepare(l *dataflow.Layout) error {
	if err := cm.prepare(l); err != nil {
		return err
	}
	return placeColumns(l, cm.targets, func(t *charTarget) (int, string, *int) { return t.lineage, t.out.Name, &t.pos })
}

func (cm *characterMap) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
rows:
	for _, row := range rows {
		if err := cm.load(b, row); err != nil {
			return err
		}
		// Every target reads the row as it came, before any column is
		// mapped in place.
		for _, t := range cm.targets {
			v, err := t.apply(cm.row[t.src])
			v, redirected, err := settle(r, row, t.disp, t.lineage, t.out.Spec, v, err)
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

// apply maps one value into the target's column; NULL stays NULL.
func (t charTarget) apply(v expr.Value) (expr.Value, error) {
	if v.IsNull() {
		return expr.NullSpec(t.out.Spec), nil
	}
	s, ok := v.Text()
	if !ok {
		return expr.Value{}, fmt.Errorf("%w: column %q holds %s, not a string", dataflow.ErrInvalid, t.out.Name, v.Type())
	}
	m, err := t.m.Map(s)
	if err != nil {
		return expr.Value{}, fmt.Errorf("column %q: %w", t.out.Name, err)
	}
	return t.out.Store(expr.Str(m))
}

var _ dataflow.Transform = (*characterMap)(nil)
