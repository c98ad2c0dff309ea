package dftask

import (
	"fmt"
	"math/big"
	"time"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// kindOf returns the engine kind of an SSIS data type, as the dataflow
// package's Kind documents the mapping.
func kindOf(t pipeline.Type) dataflow.Kind {
	switch t {
	case pipeline.TypeBool:
		return dataflow.KindBool
	case pipeline.TypeI1:
		return dataflow.KindInt8
	case pipeline.TypeI2:
		return dataflow.KindInt16
	case pipeline.TypeI4:
		return dataflow.KindInt32
	case pipeline.TypeI8:
		return dataflow.KindInt64
	case pipeline.TypeUI1:
		return dataflow.KindUint8
	case pipeline.TypeUI2:
		return dataflow.KindUint16
	case pipeline.TypeUI4:
		return dataflow.KindUint32
	case pipeline.TypeUI8:
		return dataflow.KindUint64
	case pipeline.TypeR4:
		return dataflow.KindFloat32
	case pipeline.TypeR8:
		return dataflow.KindFloat64
	case pipeline.TypeCY, pipeline.TypeNumeric, pipeline.TypeDecimal:
		return dataflow.KindDecimal
	case pipeline.TypeStr, pipeline.TypeText:
		return dataflow.KindString
	case pipeline.TypeWStr, pipeline.TypeNText:
		return dataflow.KindWString
	case pipeline.TypeBytes, pipeline.TypeImage:
		return dataflow.KindBytes
	case pipeline.TypeGUID:
		return dataflow.KindGUID
	case pipeline.TypeDate, pipeline.TypeDBDate, pipeline.TypeDBTime, pipeline.TypeDBTime2,
		pipeline.TypeDBTimestamp, pipeline.TypeDBTimestamp2, pipeline.TypeDBTimestampOffset, pipeline.TypeFileTime:
		return dataflow.KindTime
	}
	return dataflow.KindInvalid
}

// specOf returns the expression type of a column type.
func specOf(ct pipeline.ColumnType) (expr.TypeSpec, error) {
	return expr.ColumnSpec(ct.Type.Persisted(), ct.Length, ct.Precision, ct.Scale, ct.CodePage)
}

// cell reads a buffer cell as an expression value of the column's type.
func cell(b *dataflow.Buffer, col, row int, s expr.TypeSpec) (expr.Value, error) {
	if b.IsNull(col, row) {
		return expr.NullSpec(s), nil
	}
	if v, ok := cellFast(b, col, row, s); ok {
		return v, nil
	}
	return cellGeneral(b, col, row, s)
}

// cellGeneral is cell for a cell that is not NULL, by conversion.
func cellGeneral(b *dataflow.Buffer, col, row int, s expr.TypeSpec) (expr.Value, error) {
	switch v := b.Value(col, row).(type) {
	case int64:
		return expr.IntOf(s.Type, v)
	case uint64:
		if v > 1<<63-1 {
			return expr.Str(fmt.Sprint(v)).Cast(s)
		}
		return expr.IntOf(s.Type, int64(v))
	case float64:
		return expr.R8(v).Cast(s)
	case bool:
		return expr.Bool(v), nil
	case string:
		if s.Type == expr.TypeWStr || s.Type == expr.TypeNText {
			return expr.Str(v), nil
		}
		return expr.Str(v).Cast(s)
	case []byte:
		if s.Type == expr.TypeGUID {
			return expr.Str(string(v)).Cast(s)
		}
		return expr.Bytes(v), nil
	case dataflow.Decimal:
		return expr.Str(v.String()).Cast(s)
	case time.Time:
		return expr.Date(v).Cast(s)
	}
	return expr.Value{}, fmt.Errorf("%w: a %s cell holds %T", dataflow.ErrInvalid, s, b.Value(col, row))
}

// store writes an expression value into a buffer cell.
func store(b *dataflow.Buffer, col, row int, v expr.Value) error {
	if v.IsNull() {
		b.SetNull(col, row)
		return nil
	}
	// Strings and signed integers into their own kinds, the common case,
	// go straight in; everything else through the value's Go form.
	switch k := b.Layout().Columns[col].Kind; {
	case k == dataflow.KindString || k == dataflow.KindWString:
		if t, ok := v.Text(); ok {
			b.SetString(col, row, t)
			return nil
		}
	case k >= dataflow.KindInt8 && k <= dataflow.KindInt64:
		switch v.Type() {
		case expr.TypeI1, expr.TypeI2, expr.TypeI4, expr.TypeI8:
			n, _ := v.Int()
			b.SetInt64(col, row, n)
			return nil
		}
	}
	return storeGeneral(b, col, row, v)
}

// storeGeneral is store for a value that is not NULL.
func storeGeneral(b *dataflow.Buffer, col, row int, v expr.Value) error {
	switch g := v.Go().(type) {
	case *big.Rat:
		scale := b.Layout().Columns[col].Scale
		if v.Type() == expr.TypeCY {
			scale = 4
		}
		n := new(big.Int).Mul(g.Num(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
		n.Quo(n, g.Denom())
		if !n.IsInt64() {
			return fmt.Errorf("%w: the decimal %s does not fit the buffer", dataflow.ErrInvalid, g.FloatString(scale))
		}
		b.SetDecimal(col, row, dataflow.NewDecimal(n.Int64(), uint8(scale)))
		return nil
	case float32:
		b.SetFloat64(col, row, float64(g))
		return nil
	case string:
		if v.Type() == expr.TypeGUID {
			b.SetBytes(col, row, []byte(g))
			return nil
		}
	}
	return b.SetValue(col, row, v.Go())
}

// text writes a value as the text a flat file holds: the value cast to
// DT_WSTR, as SSIS converts a column for a file.
func text(v expr.Value) (string, error) {
	if v.IsNull() {
		return "", nil
	}
	if s, ok := v.Text(); ok {
		return s, nil
	}
	w, err := v.Cast(expr.TypeSpec{Type: expr.TypeWStr})
	if err != nil {
		return "", err
	}
	s, _ := w.Text()
	return s, nil
}
