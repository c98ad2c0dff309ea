package dftask

import (
	"context"
	"errors"
	"fmt"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// CodeComponent is the diagnostic of a component the task cannot build:
// its class has no factory here, or its persisted properties do not map.
const CodeComponent = "data-flow-component"

// Task is the Data Flow task.
type Task struct {
	tasks.Base
	Pipeline  *pipeline.Pipeline
	Factories Factories
	diags     dtsx.Diagnostics
}

// New is the task's Factory: it reads the pipeline of def. A task with a
// component no factory builds is returned as a *Blocked task, which
// validates but does not execute, so the runtime reports it as a task it
// cannot run (or skips it when told to).
func New(def *dtsx.Executable) (tasks.Task, error) {
	pl, ds := pipeline.Read(nil, def)
	t := &Task{Base: tasks.Base{Def: def, Kind: "Data Flow"}, Pipeline: pl, Factories: Builtin()}
	for _, d := range ds {
		switch d.Code {
		case pipeline.CodeScriptComponent, pipeline.CodeThirdPartyComp, pipeline.CodeUnknownComponent:
			// Validate reports each component without a factory once.
		default:
			t.diags = append(t.diags, d)
		}
	}
	for _, c := range pl.Components {
		if t.Factories[c.ClassName()] == nil {
			return &Blocked{t}, nil
		}
	}
	return t, nil
}

// Blocked is a Data Flow task with a component this runtime cannot build:
// it validates as the Task does, and has no Execute.
type Blocked struct{ t *Task }

// Validate reports what Task.Validate reports.
func (b *Blocked) Validate(ctx context.Context, env tasks.Env) dtsx.Diagnostics {
	return b.t.Validate(ctx, env)
}

// Validate reports the pipeline's diagnostics and, for each component
// whose class has no factory, a warning naming it, its class, the Reason
// and the fix (the
// runtime refuses to run the task, as it refuses any task it cannot
// execute). It executes nothing and opens no file.
func (t *Task) Validate(_ context.Context, env tasks.Env) dtsx.Diagnostics {
	out := append(dtsx.Diagnostics(nil), t.diags...)
	missing := false
	for _, c := range t.Pipeline.Components {
		if t.Factories[c.ClassName()] != nil {
			continue
		}
		missing = true
		r, why, fix := Unsupported(c)
		out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityWarning, Code: CodeComponent, Path: c.RefID,
			Message: fmt.Sprintf("Data Flow task %q: component %q (class %s) cannot run here (%s): %s", t.Def.Name, c.Name, c.ClassName(), r, why),
			Hint:    fix + "; or disable the task"})
	}
	if !missing && !out.HasErrors() && t.Pipeline.Element != nil {
		if _, _, err := build(context.Background(), t.Pipeline, t.Factories, nil, env, dataflow.Options{}); err != nil {
			for _, e := range unjoin(err) {
				out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: CodeComponent, Path: t.Def.RefID,
					Message: fmt.Sprintf("Data Flow task %q: %v", t.Def.Name, e), Hint: "fix the component in the SSIS designer"})
			}
		}
	}
	return out
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// reporter forwards the engine's messages as OnInformation events.
type reporter struct{ env tasks.RunEnv }

func (r reporter) Information(m dataflow.Message) {
	r.env.Info(m.Text)
}

// LogEntry forwards the engine's custom log entries (OnPipelineRowsSent,
// PipelineComponentTime, ...) when the run takes them.
func (r reporter) LogEntry(e dataflow.LogEntry) {
	if l, ok := r.env.(tasks.CustomLogger); ok {
		l.LogEntry(e.Name, e.Text)
	}
}

// Execute builds the flow and runs it with ctx. The rows each destination
// wrote are reported as SSIS does (DTS_I_ROWS_WRITTEN), and what the run
// moved is recorded for the report (a "data-flow" record); a component's
// failure fails the task with the component's name and error.
func (t *Task) Execute(ctx context.Context, env tasks.RunEnv) error {
	if t.Pipeline.Element == nil {
		return nil
	}
	opts := dataflow.Options{DefaultBufferMaxRows: t.Pipeline.DefaultBufferMaxRows, DefaultBufferSize: t.Pipeline.DefaultBufferSize,
		AutoAdjustBufferSize: t.Pipeline.AutoAdjustBufferSize, Reporter: reporter{env}}
	p, b, err := build(ctx, t.Pipeline, t.Factories, env, env, opts)
	if err != nil {
		return t.Errorf("%w", err)
	}
	defer b.close()
	res, err := p.Run(ctx)
	if res != nil {
		env.Record(record(res))
	}
	if err != nil {
		var ce *dataflow.ComponentError
		if errors.As(err, &ce) {
			return t.Errorf("component %q failed: %w", ce.Component, ce.Err)
		}
		return t.Errorf("%w", err)
	}
	return nil
}

var (
	_ tasks.Task     = (*Task)(nil)
	_ tasks.Executor = (*Task)(nil)
	_ tasks.Task     = (*Blocked)(nil)

	_ dataflow.Logger = reporter{}
)
