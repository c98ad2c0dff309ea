package dataflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// The defaults of the Data Flow task's buffer properties
// (MainPipeClass.DefaultBufferMaxRows: 10,000 rows; DefaultBufferSize:
// 10 MB).
const (
	DefaultBufferMaxRows = 10000
	DefaultBufferSize    = 10485760
	// DefaultQueueBuffers is how many buffers may wait at the input of an
	// asynchronous component before the tree that sends them blocks.
	DefaultQueueBuffers = 2
)

// Options are a pipeline's settings. Zero values take the defaults.
type Options struct {
	DefaultBufferMaxRows int
	DefaultBufferSize    int
	// AutoAdjustBufferSize lets the engine size buffers from
	// DefaultBufferMaxRows alone (MainPipeClass.AutoAdjustBufferSize: the
	// engine calculates the buffer size), so DefaultBufferSize does not
	// reduce the rows of a wide layout.
	AutoAdjustBufferSize bool
	QueueBuffers         int
	Reporter             Reporter
}

// Node is a component added to a Pipeline.
type Node struct {
	// ID is what the engine's log entries name the component by (its
	// refId or numeric ID); empty, its position in the pipeline.
	ID     string
	c      Component
	outs   []Output
	paths  []*Path // by output; nil where no path starts
	in     []*Path // by input
	tree   *tree   // a Transform's execution tree
	router *Router
	inputs []*Input // an Async component's inputs
	rows   int64    // rows a Transform received
	busy   time.Duration
}

// Component returns the node's component.
func (n *Node) Component() Component { return n.c }

// Path connects an output of a component to an input of another.
type Path struct {
	Name     string
	From, To *Node
	Output   int
	Input    int
	// ID, InputID and InputName name the path and the input it ends at
	// in the engine's log entries (OnPipelineRowsSent).
	ID, InputID, InputName string
	rows                   int64
}

type tree struct {
	root    *Node
	out     int
	layout  *Layout
	members []*Node // Transforms, parents before children
	exits   []*Input
	free    []*Buffer // buffers done with, for the root to fill again
}

// Pipeline is a data flow: components connected by paths. Build it with
// Add and Connect, then Run it once.
type Pipeline struct {
	opts      Options
	nodes     []*Node
	paths     []*Path
	trees     []*tree
	ident     []int
	nextSyn   int
	planned   error
	validated bool
	ran       bool
	logMu     sync.Mutex
}

// New returns an empty pipeline with the options.
func New(opts Options) *Pipeline {
	if opts.DefaultBufferMaxRows <= 0 {
		opts.DefaultBufferMaxRows = DefaultBufferMaxRows
	}
	if opts.DefaultBufferSize <= 0 {
		opts.DefaultBufferSize = DefaultBufferSize
	}
	if opts.QueueBuffers <= 0 {
		opts.QueueBuffers = DefaultQueueBuffers
	}
	return &Pipeline{opts: opts}
}

// Add adds a component (a Source, Transform or Async) and returns its node.
func (p *Pipeline) Add(c Component) *Node {
	n := &Node{c: c}
	p.nodes = append(p.nodes, n)
	return n
}

// Connect adds a path from an output of one component to an input of
// another; the path is named after the output. Mistakes are reported by
// Run.
func (p *Pipeline) Connect(from *Node, output int, to *Node, input int) *Path {
	path := &Path{From: from, Output: output, To: to, Input: input}
	p.paths = append(p.paths, path)
	return path
}

func outputsOf(c Component) ([]Output, bool) {
	switch x := c.(type) {
	case Source:
		return x.Outputs(), true
	case Transform:
		return x.Outputs(), true
	case Async:
		return x.Outputs(), true
	}
	return nil, false
}

// Validate checks the pipeline's structure (every input has a path, every
// path an end, lineage IDs are unique in each execution tree, no cycle) and
// builds its execution trees; Run calls it, and a task calls it earlier to
// fail in validation as SSIS does. The error joins every problem found.
// Add and Connect must not be called after it.
func (p *Pipeline) Validate() error {
	if !p.validated {
		p.validated = true
		p.planned = p.plan()
	}
	return p.planned
}

func (p *Pipeline) plan() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, a...)...))
	}
	for _, n := range p.nodes {
		outs, ok := outputsOf(n.c)
		if !ok {
			bad("component %q is neither a source, a transform nor an asynchronous component", n.c.Name())
			continue
		}
		n.outs = outs
		n.paths = make([]*Path, len(outs))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for _, path := range p.paths {
		from, to := path.From.c.Name(), path.To.c.Name()
		if path.Output < 0 || path.Output >= len(path.From.outs) {
			bad("a path starts at output %d of %q, which has %d outputs", path.Output, from, len(path.From.outs))
			continue
		}
		if path.Name == "" {
			path.Name = path.From.outs[path.Output].Name
		}
		if path.From.paths[path.Output] != nil {
			bad("output %q of %q has more than one path (use a Multicast)", path.Name, from)
			continue
		}
		path.From.paths[path.Output] = path
		switch path.To.c.(type) {
		case Source:
			bad("path %q ends at %q, a source, which has no input", path.Name, to)
			continue
		case Transform:
			if path.Input != 0 {
				bad("path %q ends at input %d of %q, which has one input", path.Name, path.Input, to)
				continue
			}
		}
		if path.Input < 0 {
			bad("path %q ends at input %d of %q", path.Name, path.Input, to)
			continue
		}
		for len(path.To.in) <= path.Input {
			path.To.in = append(path.To.in, nil)
		}
		if path.To.in[path.Input] != nil {
			bad("input %d of %q has more than one path", path.Input, to)
			continue
		}
		path.To.in[path.Input] = path
	}
	for _, n := range p.nodes {
		_, isSource := n.c.(Source)
		if !isSource && len(n.in) == 0 {
			bad("component %q has no path to its input", n.c.Name())
		}
		for i, in := range n.in {
			if in == nil {
				bad("input %d of %q has no path", i, n.c.Name())
			}
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for _, n := range p.nodes {
		if _, ok := n.c.(Transform); ok {
			continue
		}
		for i := range n.outs {
			t, err := p.buildTree(n, i)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			p.trees = append(p.trees, t)
		}
	}
	for _, n := range p.nodes {
		if _, ok := n.c.(Transform); ok && n.tree == nil && len(errs) == 0 {
			bad("component %q is on a cycle of paths", n.c.Name())
		}
	}
	if err := p.checkCycles(); err != nil {
		errs = append(errs, err)
	}
	maxRows := 1
	for _, t := range p.trees {
		maxRows = max(maxRows, t.layout.rows)
	}
	p.ident = make([]int, maxRows)
	for i := range p.ident {
		p.ident[i] = i
	}
	return errors.Join(errs...)
}

// buildTree collects the execution tree that starts at an output of a
// source or asynchronous component.
func (p *Pipeline) buildTree(root *Node, out int) (*tree, error) {
	t := &tree{root: root, out: out}
	l, err := NewLayout(root.outs[out].Columns)
	if err != nil {
		return nil, fmt.Errorf("output %q of %q: %w", root.outs[out].Name, root.c.Name(), err)
	}
	t.layout = l
	var walk func(path *Path) error
	walk = func(path *Path) error {
		if path == nil {
			return nil
		}
		n := path.To
		switch n.c.(type) {
		case Async:
			for len(n.inputs) < len(n.in) {
				n.inputs = append(n.inputs, nil)
			}
			in := &Input{name: path.Name, layout: l, ch: make(chan Batch, p.opts.QueueBuffers)}
			n.inputs[path.Input] = in
			t.exits = append(t.exits, in)
			return nil
		}
		if n.tree != nil {
			return fmt.Errorf("%w: component %q is on a cycle of paths", ErrInvalid, n.c.Name())
		}
		n.tree = t
		t.members = append(t.members, n)
		n.router = &Router{sel: make([][]int, len(n.outs)), outputs: make([]routeOut, len(n.outs))}
		for i, o := range n.outs {
			for _, c := range o.Columns {
				if err := l.add(c); err != nil {
					return fmt.Errorf("output %q of %q: %w", o.Name, n.c.Name(), err)
				}
			}
			if o.Error {
				code, col := o.ErrorCodeLineageID, o.ErrorColumnLineageID
				if code == 0 {
					p.nextSyn--
					code = p.nextSyn
				}
				if col == 0 {
					p.nextSyn--
					col = p.nextSyn
				}
				ro := routeOut{isError: true, name: o.Name, codeCol: len(l.Columns), colCol: len(l.Columns) + 1}
				if err := l.add(Column{Name: "ErrorCode", LineageID: code, Kind: KindInt32}); err != nil {
					return fmt.Errorf("output %q of %q: %w", o.Name, n.c.Name(), err)
				}
				if err := l.add(Column{Name: "ErrorColumn", LineageID: col, Kind: KindInt32}); err != nil {
					return fmt.Errorf("output %q of %q: %w", o.Name, n.c.Name(), err)
				}
				n.router.outputs[i] = ro
			}
		}
		for _, next := range n.paths {
			if err := walk(next); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root.paths[out]); err != nil {
		return nil, err
	}
	maxBytes := p.opts.DefaultBufferSize
	if p.opts.AutoAdjustBufferSize {
		maxBytes = int(^uint(0) >> 1)
	}
	l.size(p.opts.DefaultBufferMaxRows, maxBytes)
	return t, nil
}

// checkCycles reports a cycle through asynchronous components, which would
// never end.
func (p *Pipeline) checkCycles() error {
	state := map[*Node]int{}
	var visit func(n *Node) error
	visit = func(n *Node) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("%w: component %q is on a cycle of paths", ErrInvalid, n.c.Name())
		case 2:
			return nil
		}
		state[n] = 1
		for _, path := range n.paths {
			if path != nil {
				if err := visit(path.To); err != nil {
					return err
				}
			}
		}
		state[n] = 2
		return nil
	}
	for _, n := range p.nodes {
		if err := visit(n); err != nil {
			return err
		}
	}
	return nil
}

// Batch is a buffer queued to an asynchronous component's input, with the
// rows of it that the input receives.
type Batch struct {
	Buffer *Buffer
	Rows   []int
}

// Input is an input of an asynchronous component: the bounded queue of the
// buffers its path delivers.
type Input struct {
	name   string
	layout *Layout
	ch     chan Batch
}

// Name returns the name of the path into the input.
func (in *Input) Name() string { return in.name }

// Layout returns the layout of the buffers the input receives.
func (in *Input) Layout() *Layout { return in.layout }

// Next returns the next batch, io.EOF once the input has ended, or the
// cause of the flow's cancellation.
func (in *Input) Next(ctx context.Context) (Batch, error) {
	select {
	case b, ok := <-in.ch:
		if !ok {
			return Batch{}, io.EOF
		}
		return b, nil
	case <-ctx.Done():
		return Batch{}, context.Cause(ctx)
	}
}

// Emitter creates buffers for the outputs of a source or asynchronous
// component and sends them down their execution trees. It is used by the
// goroutine that runs the component's Produce or Run.
type Emitter struct {
	p     *Pipeline
	n     *Node
	trees []*tree
}

// Layout returns the layout of an output's buffers: the output's columns
// come first, in order.
func (e *Emitter) Layout(output int) *Layout { return e.trees[output].layout }

// NewBuffer returns an empty buffer for the output: one its tree is done
// with, or a new one.
func (e *Emitter) NewBuffer(output int) *Buffer {
	t := e.trees[output]
	if n := len(t.free); n > 0 {
		b := t.free[n-1]
		t.free = t.free[:n-1]
		b.Reset()
		return b
	}
	return NewBuffer(t.layout)
}

// Send sends the buffer's rows down the output's execution tree and returns
// when every synchronous component of the tree has processed them, or with
// the error that stops the flow. The buffer must not be used after.
func (e *Emitter) Send(ctx context.Context, output int, b *Buffer) error {
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if b.n == 0 {
		return nil
	}
	path := e.n.paths[output]
	if path == nil {
		return nil
	}
	if err := e.p.deliver(ctx, path, b, e.p.ident[:b.n]); err != nil {
		return err
	}
	// A buffer no asynchronous input holds is free again once its tree has
	// processed it.
	if t := e.trees[output]; !b.queued && len(t.free) < 2 {
		t.free = append(t.free, b)
	}
	return nil
}

func (p *Pipeline) deliver(ctx context.Context, path *Path, b *Buffer, rows []int) error {
	path.rows += int64(len(rows))
	n := path.To
	if n.inputs != nil {
		b.queued = true
		batch := Batch{Buffer: b, Rows: append([]int(nil), rows...)}
		select {
		case n.inputs[path.Input].ch <- batch:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	n.rows += int64(len(rows))
	r := n.router
	r.reset(b)
	start := time.Now()
	err := n.c.(Transform).Process(ctx, b, rows, r)
	n.busy += time.Since(start)
	if err != nil {
		return &ComponentError{Component: n.c.Name(), Err: err}
	}
	bufs := make([]*Buffer, len(r.sel))
	first := true
	for i, sel := range r.sel {
		if len(sel) == 0 || n.paths[i] == nil {
			continue
		}
		bufs[i] = b
		if r.overlap && !first {
			bufs[i] = b.Clone()
		}
		first = false
	}
	for i, sel := range r.sel {
		if bufs[i] == nil {
			continue
		}
		if err := p.deliver(ctx, n.paths[i], bufs[i], sel); err != nil {
			return err
		}
	}
	return nil
}

// Result is what a run moved: the rows through each path and the rows each
// destination received.
type Result struct {
	Paths   []PathRows
	Written []ComponentRows
	// Times is the time each component spent, in the order they were
	// added (PipelineComponentTime).
	Times []ComponentTime
}

// ComponentTime is the time a component spent in its work: a synchronous
// component in ProcessInput, a source or asynchronous one in PrimeOutput
// (less the synchronous components it drives).
type ComponentTime struct {
	Component, ID, Step string
	Duration            time.Duration
}

// PathRows is the number of rows that went through a path.
type PathRows struct {
	Path     string
	From, To string
	Rows     int64
}

// ComponentRows is the number of rows a destination received.
type ComponentRows struct {
	Component string
	Rows      int64
}

// Run validates the pipeline, runs it to the end and returns what it moved.
// The first error of a component cancels the others and is returned as a
// *ComponentError; a cancelled ctx stops the flow with its error.
func (p *Pipeline) Run(ctx context.Context) (*Result, error) {
	if p.ran {
		return nil, fmt.Errorf("%w: a pipeline runs once (build a new one)", ErrInvalid)
	}
	p.ran = true
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for _, n := range p.nodes {
		if tr, ok := n.c.(Transform); ok {
			if err := tr.Prepare(n.tree.layout); err != nil {
				return nil, &ComponentError{Component: n.c.Name(), Err: err}
			}
		}
	}
	p.logInit()
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		once  sync.Once
		first error
		wg    sync.WaitGroup
	)
	fail := func(n *Node, err error) {
		var ce *ComponentError
		if !errors.As(err, &ce) {
			err = &ComponentError{Component: n.c.Name(), Err: err}
		}
		once.Do(func() { first = err })
		cancel(err)
	}
	byRoot := map[*Node][]*tree{}
	for _, t := range p.trees {
		byRoot[t.root] = append(byRoot[t.root], t)
	}
	finish := func(n *Node) {
		for _, t := range byRoot[n] {
			for _, m := range t.members {
				p.logEntry(LogPreEndOfRowset, "A component will be given the end of rowset signal. :  : %s : %s", m.id(p), m.c.Name())
				if f, ok := m.c.(Finisher); ok {
					start := time.Now()
					err := f.Finish(rctx)
					m.busy += time.Since(start)
					if err != nil {
						fail(m, err)
						return
					}
				}
				p.logEntry(LogPostEndOfRowset, "A component has finished processing all of its rows. :  : %s : %s", m.id(p), m.c.Name())
			}
			for _, in := range t.exits {
				close(in.ch)
			}
		}
	}
	for _, n := range p.nodes {
		e := &Emitter{p: p, n: n, trees: byRoot[n]}
		switch c := n.c.(type) {
		case Source:
			wg.Go(func() {
				p.logEntry(LogPrePrimeOutput, "PrimeOutput will be called on a component. :  : %s : %s", n.id(p), n.c.Name())
				start := time.Now()
				err := c.Produce(rctx, e)
				n.busy = ownTime(start, byRoot[n])
				if err != nil {
					fail(n, err)
					return
				}
				p.logEntry(LogPostPrimeOutput, "PrimeOutput was called on a component. :  : %s : %s", n.id(p), n.c.Name())
				finish(n)
			})
		case Async:
			wg.Go(func() {
				p.logEntry(LogPrePrimeOutput, "PrimeOutput will be called on a component. :  : %s : %s", n.id(p), n.c.Name())
				start := time.Now()
				err := c.Run(rctx, n.inputs, e)
				n.busy = ownTime(start, byRoot[n])
				if err != nil {
					fail(n, err)
					return
				}
				p.logEntry(LogPostPrimeOutput, "PrimeOutput was called on a component. :  : %s : %s", n.id(p), n.c.Name())
				for _, in := range n.inputs {
					for {
						if _, err := in.Next(rctx); err != nil {
							break
						}
					}
				}
				finish(n)
			})
		}
	}
	wg.Wait()
	res := p.result()
	p.report(res)
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("dataflow: cancelled: %w", err)
	}
	return res, first
}

func (p *Pipeline) result() *Result {
	res := &Result{}
	for _, path := range p.paths {
		res.Paths = append(res.Paths, PathRows{Path: path.Name, From: path.From.c.Name(), To: path.To.c.Name(), Rows: path.rows})
	}
	for _, n := range p.nodes {
		step := "ProcessInput"
		if _, ok := n.c.(Transform); !ok {
			step = "PrimeOutput"
		}
		res.Times = append(res.Times, ComponentTime{Component: n.c.Name(), ID: n.id(p), Step: step, Duration: n.busy})
	}
	for _, n := range p.nodes {
		if _, ok := n.c.(Transform); !ok {
			continue
		}
		dest := true
		for _, o := range n.outs {
			if !o.Error {
				dest = false
			}
		}
		if dest {
			rows := n.rows
			// A destination that counts the rows its store accepted (a
			// database destination, whose rejected rows go to its error
			// output) reports that count.
			if w, ok := n.c.(interface{ Written() int64 }); ok {
				rows = w.Written()
			}
			res.Written = append(res.Written, ComponentRows{Component: n.c.Name(), Rows: rows})
		}
	}
	return res
}
