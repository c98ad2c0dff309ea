package dftask

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/connections/flatfile"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// flatFile resolves a component's Flat File connection manager to the
// layout and the local path of its file.
func flatFile(b *Build, c *pipeline.Component) (*flatfile.Spec, string, error) {
	m, err := b.Connection(c, 0)
	if err != nil || m == nil {
		return nil, "", err
	}
	fm, ok := m.(*file.Manager)
	if !ok || !fm.IsFlatFile() {
		return nil, "", fmt.Errorf("connection manager %q is not a Flat File connection manager", m.Definition().Name)
	}
	spec, ds := fm.FlatFile()
	if ds.HasErrors() {
		return nil, "", fmt.Errorf("%w: %v", flatfile.ErrBadSpec, ds)
	}
	paths := fm.Paths()
	if len(paths) == 0 || strings.TrimSpace(paths[0]) == "" {
		return nil, "", fmt.Errorf("flat file connection manager %q has no file name: set its ConnectionString", spec.Name)
	}
	return spec, b.Env.LocalPath(paths[0]), nil
}

func specColumn(s *flatfile.Spec, name string) int {
	for i, c := range s.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// flatFileSource is the Flat File Source ("Flat File Source"): it reads
// the file of its connection manager and converts each cell to its output
// column's type; a cell that does not convert or is too long is handled
// by the column's dispositions, a redirected row goes to the error output
// with the row's text.
type flatFileSource struct {
	label       string
	outs        []dataflow.Output
	build       *Build
	comp        *pipeline.Component
	main, errOu int
	cols        []sourceColumn
	errCols     []int // SpecialFlags of the error output's columns
	retainNulls bool
	// fileNameColumn is the FileNameColumnName: the output column that
	// holds the file's name ("Flat File Custom Properties").
	fileNameColumn string
}

type sourceColumn struct {
	out     expr.FlowColumn
	field   string
	spec    int // index in the Spec's columns, resolved when the flow runs
	lineage int
	disp    pipeline.Dispositions
}

func newFlatFileSource(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	outs, err := b.Outputs(c, true)
	if err != nil {
		return nil, err
	}
	s := &flatFileSource{label: c.Name, outs: outs, build: b, comp: c, main: -1, errOu: -1}
	if p := c.Property("RetainNulls"); p != nil {
		s.retainNulls = strings.EqualFold(p.Value, "true")
	}
	if p := c.Property("FileNameColumnName"); p != nil {
		s.fileNameColumn = strings.TrimSpace(p.Value)
	}
	if _, err := b.Connection(c, 0); err != nil {
		return nil, err
	}
	for i, o := range c.Outputs {
		if o.IsErrorOut {
			s.errOu = i
			for _, oc := range o.Columns {
				s.errCols = append(s.errCols, oc.SpecialFlags)
			}
			continue
		}
		s.main = i
		for _, oc := range o.Columns {
			spec, err := specOf(oc.ColumnType)
			if err != nil {
				return nil, fmt.Errorf("column %q (%s): %w", oc.Name, oc.RefID, err)
			}
			field := oc.Name
			if oc.External != nil {
				field = oc.External.Name
			}
			s.cols = append(s.cols, sourceColumn{out: expr.FlowColumn{Name: oc.Name, Spec: spec}, field: field,
				lineage: b.Lineage(oc.LineageID), disp: oc.Dispositions})
		}
	}
	if s.main < 0 {
		return nil, fmt.Errorf("it has no output")
	}
	return s, nil
}

func (s *flatFileSource) Name() string               { return s.label }
func (s *flatFileSource) Outputs() []dataflow.Output { return s.outs }

// Produce reads the file and sends its rows.
func (s *flatFileSource) Produce(ctx context.Context, out *dataflow.Emitter) error {
	spec, path, err := flatFile(s.build, s.comp)
	if err != nil {
		return err
	}
	for i := range s.cols {
		if s.fileNameColumn != "" && strings.EqualFold(s.cols[i].out.Name, s.fileNameColumn) {
			s.cols[i].spec = -1
			continue
		}
		s.cols[i].spec = specColumn(spec, s.cols[i].field)
		if s.cols[i].spec < 0 {
			return fmt.Errorf("column %q is not a column of flat file connection manager %q", s.cols[i].field, spec.Name)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("flat file connection manager %q: %w", spec.Name, err)
	}
	defer f.Close()
	rd, err := flatfile.NewReader(ctx, f, spec)
	if err != nil {
		return err
	}
	return s.stream(ctx, out, func(ctx context.Context, free <-chan *dataflow.Buffer, filled chan<- sent) error {
		return s.fill(ctx, rd, spec, path, out, free, filled)
	})
}

// sent is a buffer filled for one of the source's outputs.
type sent struct {
	output int
	b      *dataflow.Buffer
}

// stream runs fill in a goroutine of its own, so that reading and
// converting the file overlaps the work of the components downstream, and
// sends the buffers it fills down their outputs in order. Only stream's
// goroutine uses out: it takes the main output's empty buffers from it
// (two ahead) and hands them to fill through free, at most three buffers
// in flight. When a Send fails, fill is stopped and the error returned.
func (s *flatFileSource) stream(ctx context.Context, out *dataflow.Emitter,
	fill func(ctx context.Context, free <-chan *dataflow.Buffer, filled chan<- sent) error) error {
	// fill's context ends with stream; the downstream components keep
	// ctx, which outlives the source (a destination's transaction begun
	// with it commits when the flow finishes).
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	free := make(chan *dataflow.Buffer, 2)
	free <- out.NewBuffer(s.main)
	free <- out.NewBuffer(s.main)
	filled := make(chan sent, 1)
	done := make(chan error, 1)
	go func() {
		defer close(filled)
		done <- fill(fctx, free, filled)
	}()
	var sendErr error
	for m := range filled {
		if sendErr != nil {
			continue
		}
		if sendErr = out.Send(ctx, m.output, m.b); sendErr != nil {
			cancel()
			continue
		}
		if m.output == s.main {
			free <- out.NewBuffer(s.main)
		}
	}
	if err := <-done; sendErr == nil {
		return err
	}
	return sendErr
}

// fill reads the file's rows into the buffers free gives, converting each
// cell, and hands each full buffer (and the last) to filled; rows whose
// conversion is redirected go to error output buffers of their own.
func (s *flatFileSource) fill(ctx context.Context, rd *flatfile.Reader, spec *flatfile.Spec, path string,
	out *dataflow.Emitter, free <-chan *dataflow.Buffer, filled chan<- sent) error {
	next := func() (*dataflow.Buffer, error) {
		select {
		case b := <-free:
			return b, nil
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
	hand := func(output int, b *dataflow.Buffer) error {
		select {
		case filled <- sent{output, b}:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	b, err := next()
	if err != nil {
		return err
	}
	var eb *dataflow.Buffer
	if s.errOu >= 0 {
		eb = dataflow.NewBuffer(out.Layout(s.errOu))
	}
	delim := ","
	if len(spec.Columns) > 0 && spec.Columns[0].Delimiter != "" {
		delim = spec.Columns[0].Delimiter
	}
	vals := make([]expr.Value, len(s.cols))
	fast := make([]fastCell, len(s.cols))
	kinds := make([]dataflow.Kind, len(s.cols))
	for i := range kinds {
		kinds[i] = b.Layout().Columns[i].Kind
	}
	for {
		r, err := rd.Read(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		failed, code, lineage := false, int32(0), 0
		for i, c := range s.cols {
			if c.spec < 0 {
				v, err := c.out.Store(expr.Str(path))
				if err != nil {
					return fmt.Errorf("column %q: the file name %s: %w", c.out.Name, path, err)
				}
				vals[i] = v
				continue
			}
			cl := r.Cells[c.spec]
			fast[i].ok = false
			if cl.Err == flatfile.CellOK && len(cl.Value) > 0 && parseFast(c.out.Spec, cl.Value, &fast[i]) {
				continue
			}
			v, err := s.convert(rd, c, cl)
			vals[i] = v
			if err == nil {
				continue
			}
			var te *expr.TruncationError
			d := c.disp.ErrorRowDisposition
			cd := codeError
			if errors.As(err, &te) || cl.Err == flatfile.CellTruncated {
				d, cd = c.disp.TruncationRowDisposition, codeTruncation
			}
			switch d {
			case dataflow.DispositionIgnoreFailure:
				if te == nil && cl.Err != flatfile.CellTruncated {
					vals[i] = expr.NullSpec(c.out.Spec)
				}
				continue
			case dataflow.DispositionRedirectRow:
				if eb != nil {
					failed, code, lineage = true, cd, c.lineage
					continue
				}
			}
			return &dataflow.RowError{Code: cd, Column: c.lineage, ColumnName: c.out.Name, Row: int(r.Line), Cause: err}
		}
		if failed {
			er := eb.AddRow()
			var raw []string
			for _, cl := range r.Cells {
				raw = append(raw, string(cl.Value))
			}
			for j, flag := range s.errCols {
				switch flag {
				case 1:
					eb.SetInt64(j, er, int64(code))
				case 2:
					eb.SetInt64(j, er, int64(lineage))
				default:
					eb.SetString(j, er, strings.Join(raw, delim))
				}
			}
			if eb.Full() {
				if err := hand(s.errOu, eb); err != nil {
					return err
				}
				eb = dataflow.NewBuffer(out.Layout(s.errOu))
			}
			continue
		}
		row := b.AddRow()
		for i, v := range vals {
			if fast[i].ok {
				fast[i].set(b, i, row, kinds[i])
				continue
			}
			if err := store(b, i, row, v); err != nil {
				return err
			}
		}
		if b.Full() {
			if err := hand(s.main, b); err != nil {
				return err
			}
			if b, err = next(); err != nil {
				return err
			}
		}
	}
	if err := hand(s.main, b); err != nil {
		return err
	}
	if eb != nil {
		return hand(s.errOu, eb)
	}
	return nil
}

// convert turns one cell into the column's value.
func (s *flatFileSource) convert(rd *flatfile.Reader, c sourceColumn, cl flatfile.Cell) (expr.Value, error) {
	switch cl.Err {
	case flatfile.CellMissing:
		return expr.NullSpec(c.out.Spec), nil
	case flatfile.CellTruncated:
		v, _ := c.out.Store(expr.Str(string(rd.Truncate(c.spec, cl.Value))))
		return v, fmt.Errorf("the value of column %q is wider than its MaximumWidth", c.field)
	case flatfile.CellShort, flatfile.CellBadQualifier:
		return expr.Value{}, fmt.Errorf("column %q: %s", c.field, cl.Err)
	}
	if len(cl.Value) == 0 && (s.retainNulls || !c.out.Spec.Type.IsString()) {
		return expr.NullSpec(c.out.Spec), nil
	}
	return c.out.Store(expr.Str(string(cl.Value)))
}

// flatFileDestination is the Flat File Destination ("Flat File
// Destination"): it writes each row's input columns, as text, to the
// columns of its connection manager's file they are mapped to; Overwrite
// replaces the file, else rows are appended; Header is written first.
type flatFileDestination struct {
	label     string
	build     *Build
	comp      *pipeline.Component
	cols      []expr.FlowColumn
	ids       []int
	fields    []string
	pos       []int
	idx       []int
	overwrite bool
	header    string

	f    *os.File
	w    *flatfile.Writer
	vals [][]byte // the row's cells, in the file's column order
	text []byte   // the row's text, which vals slice
	ends [][2]int // where each input column's text is in text
}

func newFlatFileDestination(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	if len(c.Inputs) != 1 {
		return nil, fmt.Errorf("it has %d inputs, want 1", len(c.Inputs))
	}
	if _, err := b.Connection(c, 0); err != nil {
		return nil, err
	}
	cols, ids, err := b.Inputs(c.Inputs[0])
	if err != nil {
		return nil, err
	}
	d := &flatFileDestination{label: c.Name, build: b, comp: c, cols: cols, ids: ids, overwrite: true}
	for i, ic := range c.Inputs[0].Columns {
		field := cols[i].Name
		if ic.External != nil {
			field = ic.External.Name
		}
		d.fields = append(d.fields, field)
	}
	if p := c.Property("Overwrite"); p != nil {
		d.overwrite = !strings.EqualFold(p.Value, "false")
	}
	if p := c.Property("Header"); p != nil {
		d.header = p.Value
	}
	return d, nil
}

func (d *flatFileDestination) Name() string               { return d.label }
func (d *flatFileDestination) Outputs() []dataflow.Output { return nil }

func (d *flatFileDestination) Prepare(l *dataflow.Layout) error {
	d.pos = make([]int, len(d.ids))
	for i, id := range d.ids {
		p, err := l.Index(id)
		if err != nil {
			return fmt.Errorf("input column %q: %w", d.cols[i].Name, err)
		}
		d.pos[i] = p
	}
	return nil
}

func (d *flatFileDestination) open(ctx context.Context) error {
	spec, path, err := flatFile(d.build, d.comp)
	if err != nil {
		return err
	}
	d.idx = make([]int, len(d.fields))
	for i, f := range d.fields {
		d.idx[i] = specColumn(spec, f)
		if d.idx[i] < 0 {
			return fmt.Errorf("column %q is not a column of flat file connection manager %q", f, spec.Name)
		}
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !d.overwrite {
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	d.f, err = os.OpenFile(path, flag, 0o644)
	if err != nil {
		return fmt.Errorf("flat file connection manager %q: %w", spec.Name, err)
	}
	d.build.OnClose(d.f)
	d.w, err = flatfile.NewWriter(d.f, spec)
	if err != nil {
		d.f.Close()
		return err
	}
	d.w.QuoteAll = true
	d.vals = make([][]byte, len(spec.Columns))
	d.ends = make([][2]int, len(d.pos))
	if d.header != "" {
		if _, err := d.f.WriteString(d.header + spec.RowEnd()); err != nil {
			return err
		}
	}
	return d.w.WriteHeader(ctx, nil)
}

func (d *flatFileDestination) Process(ctx context.Context, b *dataflow.Buffer, rows []int, _ *dataflow.Router) error {
	if d.w == nil {
		if err := d.open(ctx); err != nil {
			return err
		}
	}
	for _, row := range rows {
		clear(d.vals)
		d.text = d.text[:0]
		for i, p := range d.pos {
			start := len(d.text)
			var ok bool
			if d.text, ok = appendText(d.text, b, p, row, d.cols[i].Spec); !ok {
				v, err := cell(b, p, row, d.cols[i].Spec)
				if err != nil {
					return err
				}
				t, err := text(v)
				if err != nil {
					return fmt.Errorf("column %q: %w", d.cols[i].Name, err)
				}
				d.text = append(d.text, t...)
			}
			d.ends[i] = [2]int{start, len(d.text)}
		}
		for i, e := range d.ends {
			d.vals[d.idx[i]] = d.text[e[0]:e[1]:e[1]]
		}
		if err := d.w.Write(ctx, d.vals); err != nil {
			return err
		}
	}
	return nil
}

// Finish writes what is buffered and closes the file (creating it, with
// its header, when no row came).
func (d *flatFileDestination) Finish(ctx context.Context) error {
	if d.w == nil {
		if err := d.open(ctx); err != nil {
			return err
		}
	}
	err := d.w.Flush()
	if cerr := d.f.Close(); err == nil {
		err = cerr
	}
	return err
}

var (
	_ dataflow.Source    = (*flatFileSource)(nil)
	_ dataflow.Transform = (*flatFileDestination)(nil)
	_ dataflow.Finisher  = (*flatFileDestination)(nil)
)
