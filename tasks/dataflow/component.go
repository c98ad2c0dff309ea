package dataflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
)

// ErrInvalid is the error of a pipeline that cannot run as built: a column
// without a lineage ID, a path to nothing, an input without a path.
var ErrInvalid = errors.New("dataflow: invalid pipeline")

// Component is what every data flow component has: the name messages use.
type Component interface {
	Name() string
}

// Output describes one output of a component. For a Source or an Async
// component, Columns are the columns of the output's buffers. For a
// synchronous Transform, Columns are the columns the component adds to the
// buffers of its execution tree (most outputs add none). An error output
// (Error) also gets the ErrorCode and ErrorColumn columns, with the lineage
// IDs given or, when zero, lineage IDs the engine chooses.
type Output struct {
	Name    string
	Columns []Column
	Error   bool
	// ErrorCodeLineageID and ErrorColumnLineageID are the lineage IDs of an
	// error output's ErrorCode and ErrorColumn columns.
	ErrorCodeLineageID   int
	ErrorColumnLineageID int
}

// Source is a component without inputs: it fills buffers and sends them.
// Produce returns when it has sent its last row, or with the error that
// fails the flow.
type Source interface {
	Component
	Outputs() []Output
	Produce(ctx context.Context, out *Emitter) error
}

// Transform is a synchronous component: it works row by row in the buffers
// of its input's execution tree and directs each row to zero or more of its
// outputs through the Router. A destination is a Transform without outputs
// (or with an error output only). Prepare is called once, before the first
// buffer, with the layout of the tree, so that the component resolves its
// columns' lineage IDs to buffer positions. Process sees only the rows
// listed in rows, which it must not modify or keep.
type Transform interface {
	Component
	Outputs() []Output
	Prepare(l *Layout) error
	Process(ctx context.Context, b *Buffer, rows []int, r *Router) error
}

// Finisher is implemented by a Transform that has work to do after its last
// buffer (a destination flushing, Row Count writing its variable). Finish is
// called once its input has ended, unless the flow failed.
type Finisher interface {
	Finish(ctx context.Context) error
}

// Async is an asynchronous component: it reads buffers from its inputs,
// builds new buffers in its outputs' layouts and sends them, on a goroutine
// of its own (Union All, Sort, Aggregate, Merge Join). Run returns when its
// inputs are exhausted and its last row is sent.
type Async interface {
	Component
	Outputs() []Output
	Run(ctx context.Context, in []*Input, out *Emitter) error
}

// Disposition is what a component does with a row that has an error or a
// truncation, as persisted in errorRowDisposition and
// truncationRowDisposition ("Error Handling in Data"): the model's
// pipeline.Disposition, so that the engine and the document share one set
// of names.
type Disposition = pipeline.Disposition

// The row dispositions.
const (
	// DispositionNotUsed is an error the component cannot have; it behaves
	// as DispositionFailComponent.
	DispositionNotUsed = pipeline.NotUsed
	// DispositionFailComponent fails the component, and with it the flow.
	DispositionFailComponent = pipeline.FailComponent
	// DispositionIgnoreFailure keeps the row on its normal output, the
	// failed column NULL.
	DispositionIgnoreFailure = pipeline.IgnoreFailure
	// DispositionRedirectRow sends the row to the error output with its
	// ErrorCode and ErrorColumn.
	DispositionRedirectRow = pipeline.RedirectRow
)

// ParseDisposition reads a persisted disposition name (case-insensitive,
// with or without SSIS's "RD_" prefix).
func ParseDisposition(s string) (Disposition, error) {
	t := strings.TrimSpace(s)
	if len(t) >= 3 && strings.EqualFold(t[:3], "rd_") {
		t = t[3:]
	}
	if d, ok := pipeline.ParseDisposition(t); ok {
		return d, nil
	}
	return 0, fmt.Errorf("%w: unknown row disposition %q (want FailComponent, IgnoreFailure or RedirectRow)", ErrInvalid, s)
}

// ComponentError is the error that failed a flow, with the name of the
// component it came from.
type ComponentError struct {
	Component string
	Err       error
}

// Error returns the message, naming the component.
func (e *ComponentError) Error() string {
	return fmt.Sprintf("dataflow: component %q failed: %v", e.Component, e.Err)
}

// Unwrap returns the component's error.
func (e *ComponentError) Unwrap() error { return e.Err }

// RowError is the error of a row whose disposition fails the component: the
// SSIS error code, the lineage ID of the column (ErrorColumn) and the cause.
type RowError struct {
	Code       int32
	Column     int
	ColumnName string
	Row        int
	Cause      error
}

// Error returns the message, with the code in SSIS's hexadecimal form, as
// SSIS words it ("failed because error code 0x… occurred, and the error row
// disposition on … specifies failure on error").
func (e *RowError) Error() string {
	col := fmt.Sprintf("the column with lineage ID %d", e.Column)
	if e.ColumnName != "" {
		col = fmt.Sprintf("column %q (lineage ID %d)", e.ColumnName, e.Column)
	}
	return fmt.Sprintf("error code 0x%08X occurred on row %d, and the error row disposition on %s specifies failure on error: %v",
		uint32(e.Code), e.Row, col, e.Cause)
}

// Unwrap returns the cause.
func (e *RowError) Unwrap() error { return e.Cause }

// Router collects, for one buffer given to a Transform, the rows each of its
// outputs receives.
type Router struct {
	outputs []routeOut
	sel     [][]int
	mark    []uint8
	overlap bool
	buf     *Buffer
}

type routeOut struct {
	isError         bool
	codeCol, colCol int
	name            string
}

func (r *Router) reset(b *Buffer) {
	r.buf = b
	r.overlap = false
	for i := range r.sel {
		r.sel[i] = r.sel[i][:0]
	}
	if cap(r.mark) < b.Cap() {
		r.mark = make([]uint8, b.Cap())
	}
	r.mark = r.mark[:b.Cap()]
	clear(r.mark)
}

// Send directs the row to the output (by index in Outputs).
func (r *Router) Send(output, row int) {
	r.sel[output] = append(r.sel[output], row)
	if r.mark[row] != 0 {
		r.overlap = true
	}
	r.mark[row] = 1
}

// SendAll directs all the rows to the output.
func (r *Router) SendAll(output int, rows []int) {
	for _, row := range rows {
		r.Send(output, row)
	}
}

// ErrorOutput returns the index of the component's error output, or -1.
func (r *Router) ErrorOutput() int {
	for i, o := range r.outputs {
		if o.isError {
			return i
		}
	}
	return -1
}

// Redirect sends the row to the error output, with ErrorCode code and
// ErrorColumn the lineage ID of the failed column (0 when the error is not
// a column's).
func (r *Router) Redirect(row int, code int32, lineageID int) error {
	e := r.ErrorOutput()
	if e < 0 {
		return fmt.Errorf("%w: a row is redirected, and the component has no error output", ErrInvalid)
	}
	o := r.outputs[e]
	r.buf.SetInt64(o.codeCol, row, int64(code))
	r.buf.SetInt64(o.colCol, row, int64(lineageID))
	r.Send(e, row)
	return nil
}

// RowError applies a disposition to a row that failed with code on the
// column of the lineage ID. With DispositionRedirectRow it redirects the row
// and returns handled; with DispositionIgnoreFailure it returns neither (the
// component sets the column NULL and sends the row on as usual); otherwise
// it returns the *RowError that fails the component.
func (r *Router) RowError(row int, d Disposition, code int32, lineageID int, cause error) (handled bool, err error) {
	switch d {
	case DispositionRedirectRow:
		return true, r.Redirect(row, code, lineageID)
	case DispositionIgnoreFailure:
		return false, nil
	}
	e := &RowError{Code: code, Column: lineageID, Row: row, Cause: cause}
	if i, err := r.buf.layout.Index(lineageID); err == nil {
		e.ColumnName = r.buf.layout.Columns[i].Name
	}
	return false, e
}
