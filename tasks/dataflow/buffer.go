package dataflow

import (
	"fmt"
	"time"
)

// vector is one column of a buffer: the NULL flags and the one typed slice
// its kind uses.
type vector struct {
	null  []bool
	ints  []int64
	flts  []float64
	bools []bool
	strs  []string
	bytes [][]byte
	decs  []Decimal
	times []time.Time
}

// Buffer is a batch of rows in the layout of its execution tree, stored by
// column: each column is a typed slice with a NULL flag per cell. A buffer
// belongs to one goroutine at a time; a component must not keep it after
// Process returns unless it is the asynchronous component it was queued to.
type Buffer struct {
	layout *Layout
	n      int
	cols   []vector
	// queued is set once an asynchronous input has received the buffer,
	// which then belongs to it.
	queued bool
}

// NewBuffer returns an empty buffer of the layout, with room for
// layout.Rows() rows.
func NewBuffer(l *Layout) *Buffer {
	rows := max(l.rows, 1)
	b := &Buffer{layout: l, cols: make([]vector, len(l.Columns))}
	for i, c := range l.Columns {
		v := &b.cols[i]
		v.null = make([]bool, rows)
		switch c.Kind.storage() {
		case storeInt:
			v.ints = make([]int64, rows)
		case storeFloat:
			v.flts = make([]float64, rows)
		case storeBool:
			v.bools = make([]bool, rows)
		case storeString:
			v.strs = make([]string, rows)
		case storeBytes:
			v.bytes = make([][]byte, rows)
		case storeDecimal:
			v.decs = make([]Decimal, rows)
		case storeTime:
			v.times = make([]time.Time, rows)
		}
	}
	return b
}

// Layout returns the buffer's layout.
func (b *Buffer) Layout() *Layout { return b.layout }

// Len returns the number of rows in the buffer.
func (b *Buffer) Len() int { return b.n }

// Cap returns the number of rows the buffer can hold.
func (b *Buffer) Cap() int { return len(b.cols[0].null) }

// Full reports whether the buffer has no room for another row.
func (b *Buffer) Full() bool { return b.n >= b.Cap() }

// AddRow appends a row whose cells are all NULL and returns its index; the
// buffer must not be Full.
func (b *Buffer) AddRow() int {
	r := b.n
	for i := range b.cols {
		b.cols[i].null[r] = true
	}
	b.n++
	return r
}

// Reset empties the buffer so that it can be filled again.
func (b *Buffer) Reset() {
	b.queued = false
	for i := range b.cols {
		v := &b.cols[i]
		if v.strs != nil {
			clear(v.strs[:b.n])
		}
		if v.bytes != nil {
			clear(v.bytes[:b.n])
		}
	}
	b.n = 0
}

// Clone returns a copy of the buffer that shares no cell storage with it.
func (b *Buffer) Clone() *Buffer {
	c := NewBuffer(b.layout)
	c.n = b.n
	for i := range b.cols {
		s, d := &b.cols[i], &c.cols[i]
		copy(d.null, s.null[:b.n])
		copy(d.ints, s.ints)
		copy(d.flts, s.flts)
		copy(d.bools, s.bools)
		copy(d.strs, s.strs)
		copy(d.bytes, s.bytes)
		copy(d.decs, s.decs)
		copy(d.times, s.times)
	}
	return c
}

// IsNull reports whether the cell is NULL.
func (b *Buffer) IsNull(col, row int) bool { return b.cols[col].null[row] }

// SetNull makes the cell NULL.
func (b *Buffer) SetNull(col, row int) { b.cols[col].null[row] = true }

// Int64 returns the value of an integer cell (a KindUint64 value is its bit
// pattern).
func (b *Buffer) Int64(col, row int) int64 { return b.cols[col].ints[row] }

// SetInt64 sets an integer cell and clears its NULL flag.
func (b *Buffer) SetInt64(col, row int, v int64) {
	c := &b.cols[col]
	c.ints[row], c.null[row] = v, false
}

// Float64 returns the value of a float cell.
func (b *Buffer) Float64(col, row int) float64 { return b.cols[col].flts[row] }

// SetFloat64 sets a float cell and clears its NULL flag.
func (b *Buffer) SetFloat64(col, row int, v float64) {
	c := &b.cols[col]
	c.flts[row], c.null[row] = v, false
}

// Bool returns the value of a Boolean cell.
func (b *Buffer) Bool(col, row int) bool { return b.cols[col].bools[row] }

// SetBool sets a Boolean cell and clears its NULL flag.
func (b *Buffer) SetBool(col, row int, v bool) {
	c := &b.cols[col]
	c.bools[row], c.null[row] = v, false
}

// String returns the value of a string cell.
func (b *Buffer) String(col, row int) string { return b.cols[col].strs[row] }

// SetString sets a string cell and clears its NULL flag.
func (b *Buffer) SetString(col, row int, v string) {
	c := &b.cols[col]
	c.strs[row], c.null[row] = v, false
}

// Bytes returns the value of a bytes or GUID cell.
func (b *Buffer) Bytes(col, row int) []byte { return b.cols[col].bytes[row] }

// SetBytes sets a bytes or GUID cell and clears its NULL flag.
func (b *Buffer) SetBytes(col, row int, v []byte) {
	c := &b.cols[col]
	c.bytes[row], c.null[row] = v, false
}

// Decimal returns the value of a decimal cell.
func (b *Buffer) Decimal(col, row int) Decimal { return b.cols[col].decs[row] }

// SetDecimal sets a decimal cell and clears its NULL flag.
func (b *Buffer) SetDecimal(col, row int, v Decimal) {
	c := &b.cols[col]
	c.decs[row], c.null[row] = v, false
}

// Time returns the value of a date or time cell.
func (b *Buffer) Time(col, row int) time.Time { return b.cols[col].times[row] }

// SetTime sets a date or time cell and clears its NULL flag.
func (b *Buffer) SetTime(col, row int, v time.Time) {
	c := &b.cols[col]
	c.times[row], c.null[row] = v, false
}

// Int64s returns the integer slice of a column, for loops over many rows;
// its cells are valid where Nulls is false.
func (b *Buffer) Int64s(col int) []int64 { return b.cols[col].ints[:b.n] }

// Nulls returns the NULL flags of a column.
func (b *Buffer) Nulls(col int) []bool { return b.cols[col].null[:b.n] }

// Value returns a cell as a Go value: nil for NULL, else int64, uint64,
// float64, bool, string, []byte, Decimal or time.Time by the column's kind.
func (b *Buffer) Value(col, row int) any {
	if b.cols[col].null[row] {
		return nil
	}
	k := b.layout.Columns[col].Kind
	switch k.storage() {
	case storeInt:
		if k == KindUint64 {
			return uint64(b.cols[col].ints[row])
		}
		return b.cols[col].ints[row]
	case storeFloat:
		return b.cols[col].flts[row]
	case storeBool:
		return b.cols[col].bools[row]
	case storeString:
		return b.cols[col].strs[row]
	case storeBytes:
		return b.cols[col].bytes[row]
	case storeDecimal:
		return b.cols[col].decs[row]
	case storeTime:
		return b.cols[col].times[row]
	}
	return nil
}

// SetValue sets a cell from a Go value of the column's storage (nil for
// NULL; any Go integer for an integer column); another type is an error.
func (b *Buffer) SetValue(col, row int, v any) error {
	if v == nil {
		b.SetNull(col, row)
		return nil
	}
	c := b.layout.Columns[col]
	bad := func() error {
		return fmt.Errorf("%w: column %q (%s) cannot hold a %T", ErrInvalid, c.Name, c.Kind, v)
	}
	switch c.Kind.storage() {
	case storeInt:
		switch x := v.(type) {
		case int:
			b.SetInt64(col, row, int64(x))
		case int8:
			b.SetInt64(col, row, int64(x))
		case int16:
			b.SetInt64(col, row, int64(x))
		case int32:
			b.SetInt64(col, row, int64(x))
		case int64:
			b.SetInt64(col, row, x)
		case uint8:
			b.SetInt64(col, row, int64(x))
		case uint16:
			b.SetInt64(col, row, int64(x))
		case uint32:
			b.SetInt64(col, row, int64(x))
		case uint64:
			b.SetInt64(col, row, int64(x))
		default:
			return bad()
		}
	case storeFloat:
		switch x := v.(type) {
		case float64:
			b.SetFloat64(col, row, x)
		case float32:
			b.SetFloat64(col, row, float64(x))
		default:
			return bad()
		}
	case storeBool:
		x, ok := v.(bool)
		if !ok {
			return bad()
		}
		b.SetBool(col, row, x)
	case storeString:
		x, ok := v.(string)
		if !ok {
			return bad()
		}
		b.SetString(col, row, x)
	case storeBytes:
		x, ok := v.([]byte)
		if !ok {
			return bad()
		}
		b.SetBytes(col, row, x)
	case storeDecimal:
		x, ok := v.(Decimal)
		if !ok {
			return bad()
		}
		b.SetDecimal(col, row, x)
	case storeTime:
		x, ok := v.(time.Time)
		if !ok {
			return bad()
		}
		b.SetTime(col, row, x)
	default:
		return bad()
	}
	return nil
}

// CopyRow copies the cells of row sr of src (column srcCols[i]) into row dr
// of b (column i), for asynchronous components that move rows between
// layouts; srcCols[i] < 0 leaves column i NULL.
func (b *Buffer) CopyRow(dr int, src *Buffer, sr int, srcCols []int) {
	for i, sc := range srcCols {
		d := &b.cols[i]
		if sc < 0 {
			d.null[dr] = true
			continue
		}
		s := &src.cols[sc]
		d.null[dr] = s.null[sr]
		switch {
		case d.ints != nil:
			d.ints[dr] = s.ints[sr]
		case d.flts != nil:
			d.flts[dr] = s.flts[sr]
		case d.bools != nil:
			d.bools[dr] = s.bools[sr]
		case d.strs != nil:
			d.strs[dr] = s.strs[sr]
		case d.bytes != nil:
			d.bytes[dr] = s.bytes[sr]
		case d.decs != nil:
			d.decs[dr] = s.decs[sr]
		case d.times != nil:
			d.times[dr] = s.times[sr]
		}
	}
}
