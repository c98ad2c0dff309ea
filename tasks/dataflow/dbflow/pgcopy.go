package dbflow

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// pgCopy is a COPY … FROM STDIN in PostgreSQL's text format, running on a
// goroutine of its own for one fast-load batch: Process encodes its rows
// into the pipe while the server reads the rows before, so that encoding
// and loading overlap. The rows are the database's once the COPY has
// ended without error and the batch is committed.
type pgCopy struct {
	w    *io.PipeWriter
	done chan error
	buf  []byte
}

// startCopy starts the COPY of the destination's columns into its table.
func (d *Destination) startCopy(ctx context.Context) {
	cols := make([]string, len(d.names))
	for i, n := range d.names {
		cols[i] = pgx.Identifier{n}.Sanitize()
	}
	stmt := fmt.Sprintf("COPY %s (%s) FROM STDIN", pgx.Identifier(d.parts).Sanitize(), strings.Join(cols, ", "))
	r, w := io.Pipe()
	c := &pgCopy{w: w, done: make(chan error, 1)}
	go func() {
		err := d.sess.Conn.Raw(func(dc any) error {
			sc, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("the PostgreSQL connection is a %T, not pgx's", dc)
			}
			_, err := sc.Conn().PgConn().CopyFrom(ctx, r, stmt)
			return err
		})
		// A writer still writing learns that the COPY has ended.
		r.CloseWithError(fmt.Errorf("the COPY has ended: %v", err))
		c.done <- err
	}()
	d.pg = c
}

// copyRows encodes the rows into the open COPY.
func (d *Destination) copyRows(b *dataflow.Buffer, rows []int) error {
	c := d.pg
	buf := c.buf[:0]
	for _, row := range rows {
		for j, col := range d.cols {
			if j > 0 {
				buf = append(buf, '\t')
			}
			buf = appendCopyText(buf, b, col, row, d.kinds[j])
		}
		buf = append(buf, '\n')
		if len(buf) >= 64<<10 {
			if _, err := c.w.Write(buf); err != nil {
				return d.endCopy(err)
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		if _, err := c.w.Write(buf); err != nil {
			return d.endCopy(err)
		}
	}
	c.buf = buf[:0]
	return nil
}

// endCopy ends the open COPY and returns its error: the server's when it
// refused a row, else failed.
func (d *Destination) endCopy(failed error) error {
	c := d.pg
	if c == nil {
		return failed
	}
	d.pg = nil
	if failed != nil {
		c.w.CloseWithError(failed)
	} else {
		c.w.Close()
	}
	if err := <-c.done; err != nil {
		return err
	}
	return failed
}

// appendCopyText appends a cell in COPY's text format: \N for NULL, the
// value's text with backslash, tab, newline and carriage return escaped.
func appendCopyText(buf []byte, b *dataflow.Buffer, col, row int, k dataflow.Kind) []byte {
	if b.IsNull(col, row) {
		return append(buf, `\N`...)
	}
	switch k {
	case dataflow.KindBool:
		if b.Bool(col, row) {
			return append(buf, 't')
		}
		return append(buf, 'f')
	case dataflow.KindUint64:
		return strconv.AppendUint(buf, uint64(b.Int64(col, row)), 10)
	case dataflow.KindInt8, dataflow.KindInt16, dataflow.KindInt32, dataflow.KindInt64,
		dataflow.KindUint8, dataflow.KindUint16, dataflow.KindUint32:
		return strconv.AppendInt(buf, b.Int64(col, row), 10)
	case dataflow.KindFloat32, dataflow.KindFloat64:
		f := b.Float64(col, row)
		switch {
		case math.IsNaN(f):
			return append(buf, "NaN"...)
		case math.IsInf(f, 1):
			return append(buf, "Infinity"...)
		case math.IsInf(f, -1):
			return append(buf, "-Infinity"...)
		}
		bits := 64
		if k == dataflow.KindFloat32 {
			bits = 32
		}
		return strconv.AppendFloat(buf, f, 'g', -1, bits)
	case dataflow.KindDecimal:
		d := b.Decimal(col, row)
		if c, ok := d.Coefficient(); ok {
			return appendScaled(buf, c, int(d.Scale))
		}
		return append(buf, d.String()...)
	case dataflow.KindString, dataflow.KindWString:
		return appendEscaped(buf, b.String(col, row))
	case dataflow.KindBytes:
		buf = append(buf, `\\x`...)
		return hex.AppendEncode(buf, b.Bytes(col, row))
	case dataflow.KindGUID:
		return append(buf, guidText(b.Bytes(col, row))...)
	case dataflow.KindTime:
		return appendTime(buf, b.Time(col, row))
	}
	return appendEscaped(buf, fmt.Sprint(b.Value(col, row)))
}

// appendTime appends t as "2006-01-02 15:04:05.999999+07:00", the form
// every PostgreSQL date and time type reads (time.Time.AppendFormat is
// several times slower on the rows of a load).
func appendTime(buf []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(buf, "2006-01-02 15:04:05.999999Z07:00")
	}
	h, mi, sec := t.Clock()
	two := func(buf []byte, v int) []byte { return append(buf, byte('0'+v/10), byte('0'+v%10)) }
	buf = two(two(buf, y/100), y%100)
	buf = two(append(buf, '-'), int(mo))
	buf = two(append(buf, '-'), d)
	buf = two(append(buf, ' '), h)
	buf = two(append(buf, ':'), mi)
	buf = two(append(buf, ':'), sec)
	if us := t.Nanosecond() / 1000; us != 0 {
		var frac [6]byte
		for i := 5; i >= 0; i-- {
			frac[i] = byte('0' + us%10)
			us /= 10
		}
		n := 6
		for frac[n-1] == '0' {
			n--
		}
		buf = append(append(buf, '.'), frac[:n]...)
	}
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	buf = two(append(buf, sign), off/3600)
	buf = two(append(buf, ':'), off%3600/60)
	if off%60 != 0 {
		buf = two(append(buf, ':'), off%60)
	}
	return buf
}

// appendScaled appends c × 10^-scale in decimal notation.
func appendScaled(buf []byte, c int64, scale int) []byte {
	if scale == 0 {
		return strconv.AppendInt(buf, c, 10)
	}
	if c < 0 {
		buf = append(buf, '-')
	}
	u := uint64(c)
	if c < 0 {
		u = -u
	}
	var tmp [24]byte
	s := strconv.AppendUint(tmp[:0], u, 10)
	for len(s) <= scale {
		s = append([]byte{'0'}, s...)
	}
	buf = append(buf, s[:len(s)-scale]...)
	buf = append(buf, '.')
	return append(buf, s[len(s)-scale:]...)
}

// appendEscaped appends s with COPY's text escapes.
func appendEscaped(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			buf = append(buf, `\\`...)
		case '\t':
			buf = append(buf, `\t`...)
		case '\n':
			buf = append(buf, `\n`...)
		case '\r':
			buf = append(buf, `\r`...)
		default:
			buf = append(buf, c)
		}
	}
	return buf
}
