package transform

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strings"
	"time"

	"golang.org/x/text/collate"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// AggregationType is the operation of an Aggregate output column, as
// persisted in its AggregationType property.
type AggregationType int

// The aggregation types.
const (
	GroupBy       AggregationType = 0
	Count         AggregationType = 1
	CountAll      AggregationType = 2
	CountDistinct AggregationType = 3
	Sum           AggregationType = 4
	Average       AggregationType = 5
	Minimum       AggregationType = 6
	Maximum       AggregationType = 7
)

var aggregationNames = [...]string{"Group by", "Count", "Count all", "Count distinct", "Sum", "Average", "Minimum", "Maximum"}

// String returns the operation's name as the editor shows it.
func (t AggregationType) String() string {
	if t >= 0 && int(t) < len(aggregationNames) {
		return aggregationNames[t]
	}
	return fmt.Sprintf("AggregationType(%d)", int(t))
}

// AggregateColumn is an output column of Aggregate: the column, its
// AggregationType, the lineage ID of the input column it reads
// (AggregationColumnId; 0 for Count all) and its
// AggregationComparisonFlags (for Group by and Count distinct on strings).
type AggregateColumn struct {
	Column                     dataflow.Column
	AggregationType            AggregationType
	AggregationColumnID        int
	AggregationComparisonFlags Comparison
}

// AggregateOutput is one output of Aggregate, with its columns.
type AggregateOutput struct {
	Name    string
	Columns []AggregateColumn
}

// Aggregate is the Aggregate transformation ("Aggregate Transformation"): an
// asynchronous, blocking component that groups the rows of its input by its
// Group by columns and computes, for each group, the other columns'
// aggregations; each output aggregates on its own. It keeps a state per
// group (and the distinct values of each Count distinct) until its input
// ends, then sends one row per group, in the order the groups first
// appeared. Without Group by columns an output has one row, even for an
// empty input. As documented: Count and Count distinct count the values
// that are not NULL, Count all counts every row; Sum, Average, Minimum and
// Maximum ignore NULLs and give NULL when a group has no value; NULL is a
// group of its own in a Group by column. OutputKind gives the type of each
// operation's result.
type Aggregate struct {
	Label            string
	AggregateOutputs []AggregateOutput
	Locale           string
}

// Name returns the component's name.
func (a *Aggregate) Name() string { return a.Label }

// Outputs returns the outputs, "Aggregate Output 1" unless named.
func (a *Aggregate) Outputs() []dataflow.Output {
	outs := make([]dataflow.Output, len(a.AggregateOutputs))
	for i, o := range a.AggregateOutputs {
		outs[i].Name = o.Name
		if o.Name == "" {
			outs[i].Name = fmt.Sprintf("Aggregate Output %d", i+1)
		}
		for _, c := range o.Columns {
			outs[i].Columns = append(outs[i].Columns, c.Column)
		}
	}
	return outs
}

// OutputKind returns the kind of an operation's result on an input column
// of kind in ("Aggregate Transformation"): the counts are DT_UI8; Sum of a
// signed integer is DT_I8, of an unsigned integer DT_UI8, of a float DT_R8
// and of a decimal DT_NUMERIC; Average of an integer or float is DT_R8, of
// a decimal DT_NUMERIC; Group by, Minimum and Maximum keep the input's
// type. ok is false when the operation does not apply to the kind (Sum and
// Average of a non-numeric column, Minimum and Maximum of a Boolean or
// bytes column).
func OutputKind(t AggregationType, in dataflow.Kind) (dataflow.Kind, bool) {
	c := classOf(in)
	numeric := c == classInt || c == classUint || c == classFloat || c == classDecimal
	switch t {
	case Count, CountAll, CountDistinct:
		return dataflow.KindUint64, true
	case GroupBy:
		return in, true
	case Minimum, Maximum:
		return in, c != classBool && c != classBytes
	case Sum:
		switch c {
		case classInt:
			if in == dataflow.KindUint8 || in == dataflow.KindUint16 || in == dataflow.KindUint32 {
				return dataflow.KindUint64, true
			}
			return dataflow.KindInt64, true
		case classUint:
			return dataflow.KindUint64, true
		case classFloat:
			return dataflow.KindFloat64, true
		case classDecimal:
			return dataflow.KindDecimal, true
		}
	case Average:
		if c == classDecimal {
			return dataflow.KindDecimal, true
		}
		if numeric {
			return dataflow.KindFloat64, true
		}
	}
	return dataflow.KindInvalid, false
}

// acc is the state of one aggregated column in one group.
type acc struct {
	n     int64 // values (or rows for Count all)
	i     int64
	u     uint64
	f     float64
	d     *big.Rat
	scale uint8
	best  any // Minimum, Maximum: the value so far
	has   bool
	seen  map[string]struct{}
}

type aggCol struct {
	AggregateColumn
	in   key
	kind dataflow.Kind // the input column's kind
}

type group struct {
	// vals are the Group by values of the group (by output column): the
	// group holds values, not the buffers they came from.
	vals []any
	accs []acc
}

type aggOut struct {
	cols   []aggCol
	keys   []key
	groups map[string]*group
	order  []*group
}

// Run aggregates the input and sends the groups.
func (a *Aggregate) Run(ctx context.Context, in []*dataflow.Input, out *dataflow.Emitter) error {
	if len(in) != 1 {
		return fmt.Errorf("%w: Aggregate has %d inputs, want 1", dataflow.ErrInvalid, len(in))
	}
	l := in[0].Layout()
	outs := make([]*aggOut, len(a.AggregateOutputs))
	for i, o := range a.AggregateOutputs {
		ao := &aggOut{groups: map[string]*group{}}
		for _, c := range o.Columns {
			ac := aggCol{AggregateColumn: c}
			if c.AggregationType < GroupBy || c.AggregationType > Maximum {
				return fmt.Errorf("%w: column %q has AggregationType %d (want 0 to 7)", dataflow.ErrInvalid, c.Column.Name, int(c.AggregationType))
			}
			if c.AggregationType != CountAll {
				if c.AggregationColumnID == 0 {
					return fmt.Errorf("%w: column %q (%s) reads no input column (set its AggregationColumnId)", dataflow.ErrInvalid, c.Column.Name, c.AggregationType)
				}
				k, err := newKey(l, c.AggregationColumnID, false, a.Locale, c.AggregationComparisonFlags)
				if err != nil {
					return fmt.Errorf("column %q: %w", c.Column.Name, err)
				}
				ac.in, ac.kind = k, l.Columns[k.col].Kind
				want, ok := OutputKind(c.AggregationType, ac.kind)
				if !ok {
					return fmt.Errorf("%w: column %q: %s does not apply to input column %q (%s)", dataflow.ErrInvalid, c.Column.Name, c.AggregationType, l.Columns[k.col].Name, ac.kind)
				}
				if !sameClass(want, c.Column.Kind) && !(classOf(want) == classFloat && classOf(c.Column.Kind) == classDecimal) {
					return fmt.Errorf("%w: column %q is %s, and %s of %q gives %s", dataflow.ErrInvalid, c.Column.Name, c.Column.Kind, c.AggregationType, l.Columns[k.col].Name, want)
				}
				if c.AggregationType == GroupBy {
					ao.keys = append(ao.keys, k)
				}
			}
			ao.cols = append(ao.cols, ac)
		}
		outs[i] = ao
	}
	var kb []byte
	var cb collate.Buffer
	for {
		batch, err := in[0].Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		b := batch.Buffer
		for _, r := range batch.Rows {
			for _, ao := range outs {
				kb = kb[:0]
				for _, k := range ao.keys {
					kb = appendKey(kb, k, b, r, &cb)
				}
				g := ao.groups[string(kb)]
				if g == nil {
					g = &group{vals: make([]any, len(ao.cols)), accs: make([]acc, len(ao.cols))}
					for j, c := range ao.cols {
						if c.AggregationType == GroupBy {
							g.vals[j] = b.Value(c.in.col, r)
						}
					}
					ao.groups[string(kb)] = g
					ao.order = append(ao.order, g)
				}
				for i := range ao.cols {
					if err := g.accs[i].add(&ao.cols[i], b, r, &cb); err != nil {
						return fmt.Errorf("column %q: %w", ao.cols[i].Column.Name, err)
					}
				}
			}
		}
	}
	for i, ao := range outs {
		if len(ao.keys) == 0 && len(ao.order) == 0 {
			ao.order = append(ao.order, &group{accs: make([]acc, len(ao.cols))})
		}
		ob := out.NewBuffer(i)
		for _, g := range ao.order {
			row := ob.AddRow()
			for j := range ao.cols {
				if err := g.accs[j].result(&ao.cols[j], g, ob, j, row); err != nil {
					return fmt.Errorf("column %q: %w", ao.cols[j].Column.Name, err)
				}
			}
			if ob.Full() {
				if err := out.Send(ctx, i, ob); err != nil {
					return err
				}
				ob = out.NewBuffer(i)
			}
		}
		if err := out.Send(ctx, i, ob); err != nil {
			return err
		}
	}
	return nil
}

// compareWithValue compares a cell that is not NULL with a value Buffer.Value
// returned for a cell of the same column (Minimum and Maximum apply to the
// kinds it knows).
func compareWithValue(k key, b *dataflow.Buffer, r int, v any) int {
	switch k.cls {
	case classInt:
		return cmp.Compare(b.Int64(k.col, r), v.(int64))
	case classUint:
		return cmp.Compare(uint64(b.Int64(k.col, r)), v.(uint64))
	case classFloat:
		return cmp.Compare(b.Float64(k.col, r), v.(float64))
	case classString:
		if k.coll != nil {
			return k.coll.CompareString(b.String(k.col, r), v.(string))
		}
		return strings.Compare(b.String(k.col, r), v.(string))
	case classDecimal:
		return compareDecimal(b.Decimal(k.col, r), v.(dataflow.Decimal))
	case classTime:
		return b.Time(k.col, r).Compare(v.(time.Time))
	}
	return 0
}

// errOverflow is the error of a sum that does not fit its type.
var errOverflow = errors.New("arithmetic overflow: the sum does not fit its output column")

func (s *acc) add(c *aggCol, b *dataflow.Buffer, r int, cb *collate.Buffer) error {
	if c.AggregationType == CountAll {
		s.n++
		return nil
	}
	col := c.in.col
	if b.IsNull(col, r) {
		return nil
	}
	switch c.AggregationType {
	case GroupBy:
		return nil
	case Count:
		s.n++
	case CountDistinct:
		if s.seen == nil {
			s.seen = map[string]struct{}{}
		}
		k := appendKey(nil, c.in, b, r, cb)
		if _, dup := s.seen[string(k)]; !dup {
			s.seen[string(k)] = struct{}{}
			s.n++
		}
	case Sum, Average:
		s.n++
		switch c.in.cls {
		case classInt:
			v := b.Int64(col, r)
			x := s.i + v
			if (v > 0 && x < s.i) || (v < 0 && x > s.i) {
				return errOverflow
			}
			s.i = x
			s.f += float64(v)
		case classUint:
			v := uint64(b.Int64(col, r))
			if s.u+v < s.u {
				return errOverflow
			}
			s.u += v
			s.f += float64(v)
		case classFloat:
			s.f += b.Float64(col, r)
		case classDecimal:
			d := b.Decimal(col, r)
			if s.d == nil {
				s.d = new(big.Rat)
			}
			s.d.Add(s.d, decimalRat(d))
			s.scale = max(s.scale, d.Scale)
		}
	case Minimum, Maximum:
		if !s.has {
			s.best, s.has = b.Value(col, r), true
			return nil
		}
		c2 := compareWithValue(c.in, b, r, s.best)
		if (c.AggregationType == Minimum && c2 < 0) || (c.AggregationType == Maximum && c2 > 0) {
			s.best = b.Value(col, r)
		}
	}
	return nil
}

func (s *acc) result(c *aggCol, g *group, ob *dataflow.Buffer, j, row int) error {
	switch c.AggregationType {
	case GroupBy:
		if g.vals == nil {
			return nil
		}
		return ob.SetValue(j, row, g.vals[j])
	case Count, CountAll, CountDistinct:
		ob.SetInt64(j, row, s.n)
	case Minimum, Maximum:
		if s.has {
			return ob.SetValue(j, row, s.best)
		}
	case Sum, Average:
		if s.n == 0 {
			return nil
		}
		avg := c.AggregationType == Average
		switch {
		case c.in.cls == classDecimal:
			v := new(big.Rat).Set(s.d)
			if avg {
				v.Quo(v, new(big.Rat).SetInt64(s.n))
			}
			scale := s.scale
			if avg && c.Column.Scale > 0 {
				scale = uint8(c.Column.Scale)
			}
			if classOf(c.Column.Kind) == classFloat {
				f, _ := v.Float64()
				ob.SetFloat64(j, row, f)
				return nil
			}
			d, err := ratDecimal(v, scale)
			if err != nil {
				return err
			}
			ob.SetDecimal(j, row, d)
		case avg:
			setNumber(ob, j, row, c.Column.Kind, s.f/float64(s.n))
		case c.in.cls == classInt:
			setInt(ob, j, row, c.Column.Kind, s.i, s.f)
		case c.in.cls == classUint:
			ob.SetInt64(j, row, int64(s.u))
		default:
			setNumber(ob, j, row, c.Column.Kind, s.f)
		}
	}
	return nil
}

func setNumber(b *dataflow.Buffer, j, row int, k dataflow.Kind, f float64) {
	if k == dataflow.KindFloat32 {
		f = float64(float32(f))
	}
	if classOf(k) == classDecimal {
		d, err := ratDecimal(new(big.Rat).SetFloat64(f), 4)
		if err == nil {
			b.SetDecimal(j, row, d)
		}
		return
	}
	b.SetFloat64(j, row, f)
}

func setInt(b *dataflow.Buffer, j, row int, k dataflow.Kind, i int64, f float64) {
	if classOf(k) == classFloat {
		b.SetFloat64(j, row, f)
		return
	}
	b.SetInt64(j, row, i)
}

// ratDecimal rounds v half away from zero to scale digits.
func ratDecimal(v *big.Rat, scale uint8) (dataflow.Decimal, error) {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	n := new(big.Rat).Mul(v, new(big.Rat).SetInt(p))
	q, rem := new(big.Int).QuoRem(n.Num(), n.Denom(), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(n.Denom()) >= 0 {
		if n.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if q.BitLen() > 127 {
		return dataflow.Decimal{}, errOverflow
	}
	lo := new(big.Int).And(q, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi := new(big.Int).Rsh(q, 64).Int64()
	return dataflow.Decimal{Hi: hi, Lo: lo, Scale: scale}, nil
}

var _ dataflow.Async = (*Aggregate)(nil)
