package dataflow

import (
	"fmt"
	"math/big"
)

// Kind is the type of a column's values as the engine stores them. Each SSIS
// data type maps to one Kind: DT_I1…DT_UI8 to the integer kinds, DT_R4 and
// DT_R8 to the float kinds, DT_CY, DT_NUMERIC and DT_DECIMAL to KindDecimal,
// DT_STR and DT_TEXT to KindString, DT_WSTR and DT_NTEXT to KindWString,
// DT_BYTES and DT_IMAGE to KindBytes, DT_GUID to KindGUID and every date and
// time type to KindTime.
type Kind uint8

// The kinds a column can have.
const (
	KindInvalid Kind = iota
	KindBool
	KindInt8
	KindInt16
	KindInt32
	KindInt64
	KindUint8
	KindUint16
	KindUint32
	KindUint64
	KindFloat32
	KindFloat64
	KindDecimal
	KindString
	KindWString
	KindBytes
	KindGUID
	KindTime
)

var kindNames = [...]string{"invalid", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
	"uint32", "uint64", "float32", "float64", "decimal", "string", "wstring", "bytes", "guid", "time"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// storage is the slice of a vector that holds a kind's values.
type storage uint8

const (
	storeNone storage = iota
	storeInt
	storeFloat
	storeBool
	storeString
	storeBytes
	storeDecimal
	storeTime
)

func (k Kind) storage() storage {
	switch k {
	case KindInt8, KindInt16, KindInt32, KindInt64, KindUint8, KindUint16, KindUint32, KindUint64:
		return storeInt
	case KindFloat32, KindFloat64:
		return storeFloat
	case KindBool:
		return storeBool
	case KindString, KindWString:
		return storeString
	case KindBytes, KindGUID:
		return storeBytes
	case KindDecimal:
		return storeDecimal
	case KindTime:
		return storeTime
	}
	return storeNone
}

// width is the number of bytes SSIS would reserve for one value of the
// column in a buffer, used to size buffers against DefaultBufferSize.
func (c Column) width() int {
	switch c.Kind {
	case KindBool, KindInt16, KindUint16:
		return 2
	case KindInt8, KindUint8:
		return 1
	case KindInt32, KindUint32, KindFloat32:
		return 4
	case KindInt64, KindUint64, KindFloat64, KindTime:
		return 8
	case KindDecimal, KindGUID:
		return 16
	case KindString, KindBytes:
		return max(c.Length, 1)
	case KindWString:
		return 2 * max(c.Length, 1)
	}
	return 8
}

// Column is the metadata of one column of a buffer: an output column of a
// source or transform, or the ErrorCode and ErrorColumn of an error output.
// LineageID identifies it in every buffer of its execution tree, as the
// lineage ID of a persisted output column does.
type Column struct {
	Name      string
	LineageID int
	Kind      Kind
	// Length is the length in characters (KindString, KindWString) or bytes
	// (KindBytes); 0 means unbounded (DT_TEXT, DT_NTEXT, DT_IMAGE).
	Length    int
	Precision int
	Scale     int
	// CodePage is the code page of a KindString column.
	CodePage int
}

// Decimal is a DT_NUMERIC, DT_DECIMAL or DT_CY value: a 128-bit two's
// complement coefficient (Hi, Lo) scaled by 10^-Scale.
type Decimal struct {
	Hi    int64
	Lo    uint64
	Scale uint8
}

// NewDecimal returns coef × 10^-scale.
func NewDecimal(coef int64, scale uint8) Decimal {
	hi := int64(0)
	if coef < 0 {
		hi = -1
	}
	return Decimal{Hi: hi, Lo: uint64(coef), Scale: scale}
}

// Coefficient returns the unscaled value and whether it fits in an int64.
func (d Decimal) Coefficient() (int64, bool) {
	v := int64(d.Lo)
	return v, (d.Hi == 0 && v >= 0) || (d.Hi == -1 && v < 0)
}

// Big returns the unscaled value as a big.Int.
func (d Decimal) Big() *big.Int {
	v := new(big.Int).SetInt64(d.Hi)
	v.Lsh(v, 64)
	return v.Or(v, new(big.Int).SetUint64(d.Lo))
}

// String returns the value in decimal notation, with Scale digits after the
// point.
func (d Decimal) String() string {
	s := d.Big().String()
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	if d.Scale > 0 {
		for len(s) <= int(d.Scale) {
			s = "0" + s
		}
		s = s[:len(s)-int(d.Scale)] + "." + s[len(s)-int(d.Scale):]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Layout is the ordered set of columns the buffers of one execution tree
// hold: the columns of the tree's root output first, in order, then the
// columns that each synchronous component of the tree adds (its outputs'
// columns and its error output's ErrorCode and ErrorColumn).
type Layout struct {
	Columns []Column
	index   map[int]int
	rows    int
}

// NewLayout returns the layout of the given columns, its buffers sized by
// the default buffer properties; a repeated or zero lineage ID is an error.
func NewLayout(cols []Column) (*Layout, error) {
	l := &Layout{index: make(map[int]int, len(cols))}
	for _, c := range cols {
		if err := l.add(c); err != nil {
			return nil, err
		}
	}
	l.size(DefaultBufferMaxRows, DefaultBufferSize)
	return l, nil
}

func (l *Layout) add(c Column) error {
	if c.LineageID == 0 {
		return fmt.Errorf("%w: column %q has no lineage ID", ErrInvalid, c.Name)
	}
	if c.Kind.storage() == storeNone {
		return fmt.Errorf("%w: column %q (lineage ID %d) has no type", ErrInvalid, c.Name, c.LineageID)
	}
	if i, dup := l.index[c.LineageID]; dup {
		return fmt.Errorf("%w: columns %q and %q have the same lineage ID %d", ErrInvalid, l.Columns[i].Name, c.Name, c.LineageID)
	}
	l.index[c.LineageID] = len(l.Columns)
	l.Columns = append(l.Columns, c)
	return nil
}

// Index returns the position in the buffer of the column with the lineage
// ID, or an error naming it.
func (l *Layout) Index(lineageID int) (int, error) {
	if i, ok := l.index[lineageID]; ok {
		return i, nil
	}
	return -1, fmt.Errorf("%w: no column with lineage ID %d in this buffer", ErrInvalid, lineageID)
}

// Rows is the number of rows each buffer of the layout holds, computed from
// DefaultBufferMaxRows and DefaultBufferSize.
func (l *Layout) Rows() int { return l.rows }

// size sets rows: DefaultBufferMaxRows, reduced so that a buffer of the
// estimated row width stays within DefaultBufferSize ("Data Flow Performance
// Features": the data flow engine sizes its buffers from both properties).
func (l *Layout) size(maxRows, maxBytes int) {
	w := 0
	for _, c := range l.Columns {
		w += c.width()
	}
	rows := maxRows
	if w > 0 && rows > maxBytes/w {
		rows = max(1, maxBytes/w)
	}
	l.rows = rows
}
