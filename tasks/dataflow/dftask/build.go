package dftask

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// Factory builds the engine component of one persisted component. It does
// no I/O: files are opened when the flow runs.
type Factory func(b *Build, c *pipeline.Component) (dataflow.Component, error)

// Factories maps canonical class names (pipeline.Class.Name) to factories.
type Factories map[string]Factory

// Builtin returns the factories of the components this package builds.
func Builtin() Factories {
	return Factories{
		"Microsoft.FlatFileSource":          newFlatFileSource,
		"Microsoft.FlatFileDestination":     newFlatFileDestination,
		"Microsoft.DerivedColumn":           newDerivedColumn,
		"Microsoft.ConditionalSplit":        newConditionalSplit,
		"Microsoft.DataConvert":             newDataConversion,
		"Microsoft.RowCount":                newRowCount,
		"Microsoft.UnionAll":                newUnionAll,
		"Microsoft.Multicast":               newMulticast,
		"Microsoft.OLEDBSource":             newOLEDBSource,
		"Microsoft.OLEDBDestination":        newOLEDBDestination,
		"Microsoft.DataReaderSourceAdapter": newADONETSource,
		"Microsoft.ADONETDestination":       newADONETDestination,
		"Microsoft.Lookup":                  newLookup,
		"Microsoft.CharacterMap":            newCharacterMap,
		"Microsoft.CopyMap":                 newCopyColumn,
		"Microsoft.Lineage":                 newAudit,
		"Microsoft.Cache":                   newCacheTransform,
		"Microsoft.OLEDBCommand":            newOLEDBCommand,

		// The components that hold rows, and the Recordset destination.
		"Microsoft.Sort":                 newSort,
		"Microsoft.Aggregate":            newAggregate,
		"Microsoft.MergeJoin":            newMergeJoin,
		"Microsoft.Merge":                newMerge,
		"Microsoft.RecordsetDestination": newRecordset,
	}
}

// Build is the state of mapping one pipeline to the engine: the lineage
// numbers given so far and what the components may ask of the run.
type Build struct {
	Pipeline *pipeline.Pipeline
	// Env is the run's environment; nil when the build only validates.
	Env tasks.RunEnv
	// conns resolves connection managers, running or validating (nil
	// when there is nothing to resolve them in).
	conns   tasks.Env
	lineage map[string]int
	// closers are the files the components opened, closed when the flow
	// ends, whether or not it failed.
	closers []io.Closer
	// columns are the output columns by lineage number.
	columns map[int]*pipeline.OutputColumn
}

func newBuild(pl *pipeline.Pipeline, env tasks.RunEnv, conns tasks.Env) *Build {
	return &Build{Pipeline: pl, Env: env, conns: conns, lineage: map[string]int{}, columns: map[int]*pipeline.OutputColumn{}}
}

// OnClose registers a file to close when the flow ends; closing it twice
// must be harmless.
func (b *Build) OnClose(c io.Closer) { b.closers = append(b.closers, c) }

// close closes what the components opened.
func (b *Build) close() {
	for _, c := range b.closers {
		c.Close()
	}
}

// Lineage returns the engine's number for a persisted lineage ID.
func (b *Build) Lineage(id string) int {
	if n, ok := b.lineage[id]; ok {
		return n
	}
	n := len(b.lineage) + 1
	b.lineage[id] = n
	return n
}

// Column returns the engine column of a persisted output column.
func (b *Build) Column(oc *pipeline.OutputColumn) (dataflow.Column, error) {
	k := kindOf(oc.Type)
	if k == dataflow.KindInvalid {
		return dataflow.Column{}, fmt.Errorf("column %q (%s) has the data type %s, which the data flow cannot hold", oc.Name, oc.RefID, oc.ColumnType)
	}
	n := b.Lineage(oc.LineageID)
	b.columns[n] = oc
	return dataflow.Column{Name: oc.Name, LineageID: n, Kind: k, Length: oc.Length, Precision: oc.Precision,
		Scale: oc.Scale, CodePage: oc.CodePage}, nil
}

// oneOutput maps the one asynchronous output of a component, as Outputs
// does, and returns its columns; a component with another number of
// outputs is an error.
func (b *Build) oneOutput(c *pipeline.Component) ([]dataflow.Column, error) {
	outs, err := b.Outputs(c, true)
	if err != nil {
		return nil, err
	}
	if len(outs) != 1 {
		return nil, fmt.Errorf("it has %d outputs, want 1", len(outs))
	}
	return outs[0].Columns, nil
}

// Outputs maps the persisted outputs of a component: the columns each adds
// (all of them for a source or an asynchronous output), and an error
// output's ErrorCode and ErrorColumn lineage IDs.
func (b *Build) Outputs(c *pipeline.Component, async bool) ([]dataflow.Output, error) {
	var outs []dataflow.Output
	for _, o := range c.Outputs {
		do := dataflow.Output{Name: o.Name, Error: o.IsErrorOut}
		// A synchronous component's error output adds ErrorCode and
		// ErrorColumn to its tree's buffers; a source's holds them.
		syncErr := o.IsErrorOut && len(c.Inputs) > 0 && !async
		for _, oc := range o.Columns {
			if syncErr && oc.SpecialFlags == 1 {
				do.ErrorCodeLineageID = b.Lineage(oc.LineageID)
				continue
			}
			if syncErr && oc.SpecialFlags == 2 {
				do.ErrorColumnLineageID = b.Lineage(oc.LineageID)
				continue
			}
			col, err := b.Column(oc)
			if err != nil {
				return nil, err
			}
			do.Columns = append(do.Columns, col)
		}
		outs = append(outs, do)
	}
	return outs, nil
}

// Inputs returns the flow columns of an input, as expressions name them,
// with the engine lineage number of each.
func (b *Build) Inputs(in *pipeline.Input) ([]expr.FlowColumn, []int, error) {
	var cols []expr.FlowColumn
	var ids []int
	for _, ic := range in.Columns {
		up := ic.Upstream
		if up == nil {
			return nil, nil, fmt.Errorf("input column %q (%s) names lineage ID %s, which no output has", ic.Name, ic.RefID, ic.LineageID)
		}
		s, err := specOf(up.ColumnType)
		if err != nil {
			return nil, nil, fmt.Errorf("input column %q (%s): %w", ic.Name, ic.RefID, err)
		}
		src := ""
		if up.Output != nil && up.Output.Component != nil {
			src = up.Output.Component.Name
		}
		cols = append(cols, expr.FlowColumn{Name: up.Name, Source: src, Lineage: ic.LineageID, Spec: s})
		ids = append(ids, b.Lineage(ic.LineageID))
	}
	return cols, ids, nil
}

// Connection returns the connection manager a component's connection
// names: by DTSID (formats 2 and 3) or by the name in its refId
// (Package.ConnectionManagers[Name]).
func (b *Build) Connection(c *pipeline.Component, i int) (connections.Manager, error) {
	if i >= len(c.Connections) {
		return nil, fmt.Errorf("component %q (%s) has no connection manager: set one in its editor", c.Name, c.RefID)
	}
	if b.Env == nil {
		return nil, nil
	}
	return b.resolve(b.Env, c, i)
}

// Definition returns the connection manager a component's connection
// names, as Connection does, also when the flow is only validated (for
// its definition: validation opens nothing); nil when the build has no
// connections to resolve it in.
func (b *Build) Definition(c *pipeline.Component, i int) (connections.Manager, error) {
	if i >= len(c.Connections) {
		return nil, fmt.Errorf("component %q (%s) has no connection manager: set one in its editor", c.Name, c.RefID)
	}
	if b.conns == nil {
		return nil, nil
	}
	return b.resolve(b.conns, c, i)
}

func (b *Build) resolve(env tasks.Env, c *pipeline.Component, i int) (connections.Manager, error) {
	ref := c.Connections[i].ConnectionManagerID
	if r := c.Connections[i].ConnectionManagerRefID; r != "" {
		ref = r
	}
	ref = strings.TrimSuffix(ref, ":external")
	if _, name, ok := strings.Cut(ref, ".ConnectionManagers["); ok {
		ref = strings.TrimSuffix(name, "]")
	}
	m, err := env.Connection(ref)
	if err != nil {
		return nil, fmt.Errorf("component %q (%s): connection %q: %w", c.Name, c.RefID, c.Connections[i].Name, err)
	}
	return m, nil
}

// runVars reads the variables an expression names from the task's run.
type runVars struct{ env tasks.RunEnv }

func (v runVars) Lookup(name string) (expr.Value, error) { return v.env.Variable(name) }
func (v runVars) Now() time.Time                         { return time.Now() }

// compile compiles an expression against the input columns and the run's
// variables. Validating, there are no variables: an expression that reads
// one is compiled when the task runs, and nil is returned.
func (b *Build) compile(e *expr.Expr, cols *expr.Columns) (*expr.Program, error) {
	if b.Env == nil {
		p, err := e.Compile(cols, nil)
		if errors.Is(err, expr.ErrUnknownVariable) {
			return nil, nil
		}
		return p, err
	}
	return e.Compile(cols, runVars{b.Env})
}

// ErrNoFactory is matched by the error for a component no factory builds.
var ErrNoFactory = errors.New("dftask: the component cannot run here")

// build maps a pipeline to the engine. With env nil it only checks the
// mapping, with the connection managers of conns (nil: none) for their
// definitions; problems are joined.
func build(ctx context.Context, pl *pipeline.Pipeline, fs Factories, env tasks.RunEnv, conns tasks.Env, opts dataflow.Options) (*dataflow.Pipeline, *Build, error) {
	b := newBuild(pl, env, conns)
	p := dataflow.New(opts)
	nodes := map[*pipeline.Component]*dataflow.Node{}
	var errs []error
	for _, c := range pl.Components {
		f := fs[c.ClassName()]
		if f == nil {
			errs = append(errs, fmt.Errorf("%w: component %q (%s) of class %s: %s", ErrNoFactory, c.Name, c.RefID, c.ClassName(), Why(c)))
			continue
		}
		dc, err := f(b, c)
		if err != nil {
			errs = append(errs, fmt.Errorf("component %q (%s): %w", c.Name, c.RefID, err))
			continue
		}
		nodes[c] = p.Add(dc)
		nodes[c].ID = c.ID
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	for _, path := range pl.Paths {
		if path.Start == nil || path.End == nil {
			errs = append(errs, fmt.Errorf("path %q (%s) joins nothing: its startId %q or endId %q is not there", path.Name, path.RefID, path.StartID, path.EndID))
			continue
		}
		from, to := path.Start.Component, path.End.Component
		oi, ii := indexOf(from.Outputs, path.Start), indexOf(to.Inputs, path.End)
		dp := p.Connect(nodes[from], oi, nodes[to], ii)
		dp.Name, dp.ID, dp.InputID, dp.InputName = path.Name, path.ID, path.End.ID, path.End.Name
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return p, b, nil
}

func indexOf[T comparable](list []T, x T) int {
	for i, y := range list {
		if y == x {
			return i
		}
	}
	return -1
}
