package transform

import (
	"context"
	"fmt"
	"math"

	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// Variables is where the Recordset destination stores its rowset: the
// package's variables, as the Data Flow task exposes them (the same method
// as the Row Count transformation's).
type Variables interface {
	SetVariable(ctx context.Context, name string, value any) error
}

// RecordsetColumn is an input column the Recordset destination keeps: its
// lineage ID and the name the rowset gives it (the input column's name).
type RecordsetColumn struct {
	Lineage int
	Name    string
}

// Recordset is the Recordset destination ("Recordset Destination"): it
// keeps the values of its input columns, row by row, and when its input
// ends stores them in the Object variable VariableName as an
// expr.Object holding an *expr.Rowset (what a Foreach ADO enumerator
// walks). The rowset holds every row, so its memory grows with the rows.
type Recordset struct {
	Label        string
	VariableName string
	Columns      []RecordsetColumn
	Vars         Variables

	cols []int
	kind []dataflow.Kind
	rs   *expr.Rowset
}

// Name returns the component's name.
func (d *Recordset) Name() string { return d.Label }

// Outputs returns none: Recordset is a destination.
func (d *Recordset) Outputs() []dataflow.Output { return nil }

// Prepare resolves the columns and starts an empty rowset.
func (d *Recordset) Prepare(l *dataflow.Layout) error {
	if d.VariableName == "" || d.Vars == nil {
		return fmt.Errorf("%w: Recordset Destination has no variable (set its VariableName property)", dataflow.ErrInvalid)
	}
	d.cols, d.kind = nil, nil
	d.rs = &expr.Rowset{}
	for _, c := range d.Columns {
		i, err := l.Index(c.Lineage)
		if err != nil {
			return fmt.Errorf("input column %q: %w", c.Name, err)
		}
		lc := l.Columns[i]
		t, err := exprType(lc.Kind)
		if err != nil {
			return fmt.Errorf("input column %q: %w", c.Name, err)
		}
		d.cols, d.kind = append(d.cols, i), append(d.kind, lc.Kind)
		d.rs.Columns = append(d.rs.Columns, expr.Column{Name: c.Name, Type: t})
	}
	return nil
}

// Process keeps the rows.
func (d *Recordset) Process(_ context.Context, b *dataflow.Buffer, rows []int, _ *dataflow.Router) error {
	for _, r := range rows {
		row := make([]expr.Value, len(d.cols))
		for i, c := range d.cols {
			v, err := exprValue(b, c, r, d.kind[i], d.rs.Columns[i].Type)
			if err != nil {
				return fmt.Errorf("column %q: %w", d.rs.Columns[i].Name, err)
			}
			row[i] = v
		}
		d.rs.Rows = append(d.rs.Rows, row)
	}
	return nil
}

// Finish stores the rowset in the variable.
func (d *Recordset) Finish(ctx context.Context) error {
	if err := d.Vars.SetVariable(ctx, d.VariableName, expr.Object(d.rs, expr.RowsetText)); err != nil {
		return fmt.Errorf("recordset into %s: %w", d.VariableName, err)
	}
	return nil
}

func exprType(k dataflow.Kind) (expr.Type, error) {
	switch k {
	case dataflow.KindBool:
		return expr.TypeBool, nil
	case dataflow.KindInt8:
		return expr.TypeI1, nil
	case dataflow.KindInt16:
		return expr.TypeI2, nil
	case dataflow.KindInt32:
		return expr.TypeI4, nil
	case dataflow.KindInt64:
		return expr.TypeI8, nil
	case dataflow.KindUint8:
		return expr.TypeUI1, nil
	case dataflow.KindUint16:
		return expr.TypeUI2, nil
	case dataflow.KindUint32:
		return expr.TypeUI4, nil
	case dataflow.KindUint64:
		return expr.TypeUI8, nil
	case dataflow.KindFloat32:
		return expr.TypeR4, nil
	case dataflow.KindFloat64:
		return expr.TypeR8, nil
	case dataflow.KindDecimal:
		return expr.TypeNumeric, nil
	case dataflow.KindString:
		return expr.TypeStr, nil
	case dataflow.KindWString:
		return expr.TypeWStr, nil
	case dataflow.KindBytes:
		return expr.TypeBytes, nil
	case dataflow.KindGUID:
		return expr.TypeGUID, nil
	case dataflow.KindTime:
		return expr.TypeDBTimestamp, nil
	}
	return expr.TypeEmpty, fmt.Errorf("%w: a %s column cannot go into a recordset", dataflow.ErrInvalid, k)
}

// exprValue converts a cell to the expression value of its type.
func exprValue(b *dataflow.Buffer, c, r int, k dataflow.Kind, t expr.Type) (expr.Value, error) {
	if b.IsNull(c, r) {
		return expr.Null(t), nil
	}
	switch classOf(k) {
	case classBool:
		return expr.Bool(b.Bool(c, r)), nil
	case classInt:
		return expr.IntOf(t, b.Int64(c, r))
	case classUint:
		n := uint64(b.Int64(c, r))
		if n > math.MaxInt64 {
			return expr.R8(float64(n)).Cast(expr.TypeSpec{Type: expr.TypeUI8})
		}
		return expr.IntOf(t, int64(n))
	case classFloat:
		v := expr.R8(b.Float64(c, r))
		if t == expr.TypeR4 {
			return v.Cast(expr.TypeSpec{Type: expr.TypeR4})
		}
		return v, nil
	case classDecimal:
		d := b.Decimal(c, r)
		return expr.Str(d.String()).Cast(expr.TypeSpec{Type: expr.TypeNumeric, Precision: 38, Scale: int(d.Scale)})
	case classString:
		v := expr.Str(b.String(c, r))
		if t == expr.TypeStr {
			return v.Cast(expr.TypeSpec{Type: expr.TypeStr, Length: max(len(b.String(c, r)), 1), CodePage: 1252})
		}
		return v, nil
	case classBytes:
		if k == dataflow.KindGUID {
			return guidValue(b.Bytes(c, r))
		}
		return expr.Bytes(b.Bytes(c, r)), nil
	case classTime:
		return expr.Timestamp(b.Time(c, r)).Cast(expr.TypeSpec{Type: expr.TypeDBTimestamp})
	}
	return expr.Value{}, fmt.Errorf("%w: a %s value cannot go into a recordset", dataflow.ErrInvalid, k)
}

// guidValue returns a DT_GUID value from the 16 bytes of a GUID in its
// Windows (mixed-endian) layout.
func guidValue(g []byte) (expr.Value, error) {
	if len(g) != 16 {
		return expr.Value{}, fmt.Errorf("%w: a GUID has %d bytes, want 16", dataflow.ErrInvalid, len(g))
	}
	s := fmt.Sprintf("{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15])
	return expr.Str(s).Cast(expr.TypeSpec{Type: expr.TypeGUID})
}

var (
	_ dataflow.Transform = (*Recordset)(nil)
	_ dataflow.Finisher  = (*Recordset)(nil)
)
