package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

// Status is an execution result (DTSExecResult).
type Status int

// Execution results. NotRun marks an executable whose precedence
// constraints could no longer be met.
const (
	Success   Status = 0
	Failure   Status = 1
	Completed Status = 2
	Canceled  Status = 3
	NotRun    Status = 4
)

var statusNames = [...]string{"Success", "Failure", "Completion", "Canceled", "NotRun"}

// String returns the result's name.
func (s Status) String() string { return statusNames[s] }

// MarshalText makes a Status appear by name in JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Event is a run-time event, as SSIS raises them.
type Event struct {
	Name      string    `json:"event"` // OnPreExecute, OnError, ...
	Source    string    `json:"source"`
	SourceRef string    `json:"sourceRef"`
	SourceID  string    `json:"sourceId,omitempty"`
	Time      time.Time `json:"time"`
	Message   string    `json:"message,omitempty"`
}

// Result is what one executable did.
type Result struct {
	RefID    string        `json:"refId"`
	Name     string        `json:"name"`
	Type     string        `json:"type"`
	Status   Status        `json:"status"`
	Duration time.Duration `json:"durationNs"`
	Errors   []string      `json:"errors,omitempty"`
	Skipped  string        `json:"skipped,omitempty"` // why it did not run, when it did not
	// Run numbers the results of one executable, from 1: in a loop, the
	// pass it is of.
	Run int `json:"run"`

	seq int // the order results came in
}

// Report is the outcome of a run. Its size does not grow with the passes
// of loops: Results lists a bounded number of each executable's results
// (see KeepFirstRuns), Totals counts all of them.
type Report struct {
	Package  string        `json:"package"`
	File     string        `json:"file"`
	Status   Status        `json:"status"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"durationNs"`
	Results  []Result      `json:"executables"`
	// ExecutablesOmitted counts the results Results leaves out.
	ExecutablesOmitted int `json:"executablesOmitted"`
	// Totals counts the results of each executable, in the order each
	// first finished.
	Totals []Tally `json:"totals"`
	// Skipped lists the tasks not executed because they cannot be here
	// (RunOptions.SkipUnsupported).
	Skipped  []SkippedTask `json:"skippedTasks"`
	Records  []RecordEntry `json:"records"`
	Errors   []Event       `json:"errors"`
	Warnings []Event       `json:"warnings"`
	// ErrorsOmitted and WarningsOmitted count the events beyond the
	// KeepEvents that Errors and Warnings list.
	ErrorsOmitted   int `json:"errorsOmitted"`
	WarningsOmitted int `json:"warningsOmitted"`

	mu      sync.Mutex
	tallies map[string]*tally
	order   []*tally
	seq     int
}

// RecordEntry is a task's record with the executable it came from.
type RecordEntry struct {
	Source string `json:"source"`
	tasks.Record
}

// RunOptions say how a package runs.
type RunOptions struct {
	// MaxConcurrent bounds the executables run at once in a container; 0
	// takes the package's MaxConcurrentExecutables (-1: cores + 2).
	MaxConcurrent int
	// SkipUnsupported runs the rest of a package whose tasks this runtime
	// cannot execute, reporting each skipped task as a warning.
	SkipUnsupported bool
	// OnEvent, when set, sees every event as it is raised (the console
	// reporter). It must be safe for concurrent use.
	OnEvent func(Event)
	// Paths maps the file paths a package names to local ones.
	Paths PathMap
	// ValidateOnly stops after validation (dtexec /Validate): nothing runs,
	// and the status says whether the package is valid.
	ValidateOnly bool
	// WarnAsError fails validation on any warning (dtexec /WarnAsError).
	WarnAsError bool
	// Parameters override parameter values, by "$Package::P",
	// "$Project::P" or the bare name, as text in the parameter's type.
	Parameters map[string]string
	// Password opens the child packages an Execute Package Task runs.
	Password string
	// OnBuild prepares each child package after it is built, as the
	// command line prepares the package it runs (credentials, capture
	// mode).
	OnBuild func(*Package)
	// Spelling spells the options that messages recommend as the command
	// does; nil keeps dtsx run's.
	Spelling Spelling
}

// run is one execution of a package.
type run struct {
	p         *Package
	opts      RunOptions
	log       *zap.Logger
	rep       *Report
	limit     int
	errors    map[*dtsx.Executable]int // OnError count per container
	mu        sync.Mutex
	inHandler sync.Map // *dtsx.Executable (handler) → running
	parsed    sync.Map // expression source → *expr.Expr
	mapped    sync.Map // Windows paths already reported as mapped
	// jobs hands work to idle workers: a loop runs its body thousands of
	// times, and a worker that stays keeps the stack the body grew.
	jobs     chan func()
	execID   string // System::ExecutionInstanceGUID
	prepared dtsx.Diagnostics
	parent   *scope // the parent package's scope, for a child package
	depth    int    // how many parent packages run this one
	// up hands a child package's events to its parent's handlers.
	up func(ctx context.Context, name string, src *dtsx.Executable, msg string, code int)
}

// parse parses an expression once per run.
func (r *run) parse(src string) (*expr.Expr, error) {
	if x, ok := r.parsed.Load(src); ok {
		return x.(*expr.Expr), nil
	}
	x, err := expr.Parse(src)
	if err != nil {
		return nil, err
	}
	r.parsed.Store(src, x)
	return x, nil
}

// eval evaluates an expression in a scope.
func (r *run) eval(src string, sc *scope) (expr.Value, error) {
	x, err := r.parse(src)
	if err != nil {
		return expr.Value{}, err
	}
	return x.Eval(&varEnv{sc: sc})
}

// Execute runs the package. Validation errors stop it before anything runs
// (the report then lists them as errors, with status Failure): no task, no
// event handler. With ValidateOnly nothing runs either way.
func (p *Package) Execute(ctx context.Context, opts RunOptions) *Report {
	return p.execute(ctx, opts, nil, 0, nil)
}

// execute runs the package; a child package (Execute Package Task) runs
// with its parent's scope above its own, at some depth.
func (p *Package) execute(ctx context.Context, opts RunOptions, parent *scope, depth int,
	up func(context.Context, string, *dtsx.Executable, string, int)) *Report {
	r := &run{p: p, opts: opts, log: p.log, errors: map[*dtsx.Executable]int{}, parent: parent, depth: depth, up: up,
		rep: &Report{Package: p.Def.Name, File: p.Def.File, Start: time.Now(), Results: []Result{}, Records: []RecordEntry{},
			Totals: []Tally{}, Skipped: []SkippedTask{}, Errors: []Event{}, Warnings: []Event{}}}
	r.limit = opts.MaxConcurrent
	if r.limit <= 0 {
		r.limit = p.Def.MaxConcurrentExecutables
	}
	if r.limit <= 0 {
		r.limit = goruntime.NumCPU() + 2
	}
	defer func() {
		r.rep.finish()
		r.rep.Duration = time.Since(r.rep.Start)
	}()
	r.jobs = make(chan func())
	defer close(r.jobs) // idle workers end with the run
	root, err := r.rootScope()
	if err != nil {
		r.event(Event{Name: "OnError", Source: p.Def.Name, SourceRef: p.Def.RefID, Message: err.Error()})
		r.rep.Status = Failure
		return r.rep
	}
	r.prepare(root)
	diags := append(r.prepared, p.Validate(ctx)...)
	diags = append(diags, p.runChecks(opts.SkipUnsupported, opts.Spelling)...)
	if r.validate(diags) {
		r.rep.Status = Failure
		return r.rep
	}
	if opts.ValidateOnly {
		r.rep.Status = Success
		return r.rep
	}
	r.rep.Status = r.executable(ctx, p.Def.Executable, root)
	r.closeConnections()
	return r.rep
}

// spawn runs f on an idle worker of the run, or on a new one.
func (r *run) spawn(f func()) {
	select {
	case r.jobs <- f:
	default:
		go func() {
			f()
			for f := range r.jobs {
				f()
			}
		}()
	}
}

// closeConnections ends what connection managers kept open during the run
// (an SMTP manager's retained session, say).
func (r *run) closeConnections() {
	for _, m := range r.p.Connections.All() {
		if c, ok := m.(io.Closer); ok {
			if err := c.Close(); err != nil {
				r.event(Event{Name: "OnWarning", Source: m.Definition().Name, SourceRef: m.Definition().RefID,
					Message: "closing the connection at the end of the run: " + err.Error()})
			}
		}
	}
}

// validate reports the validation events: OnPreValidate and OnPostValidate
// around the package and each executable in it (containers around their
// children, as SSIS does), with each problem found between them as OnError
// or OnWarning on the executable it concerns (problems of connection
// managers and of the project on the package). They are reported (console,
// report, log) and handled by nothing: validation executes nothing, so no
// event handler runs for them (SSIS would run an OnError handler, which
// could send mail or start a process while the package is only being
// validated, or refused). It reports whether there were errors.
func (r *run) validate(diags dtsx.Diagnostics) bool {
	byRef := map[string]dtsx.Diagnostics{}
	known := map[string]bool{}
	r.p.Def.Walk(func(x *dtsx.Executable) bool {
		known[x.RefID] = !x.IsEventHandler()
		return !x.IsEventHandler()
	})
	failed := false
	for _, d := range diags {
		if d.Severity == dtsx.SeverityError || (d.Severity == dtsx.SeverityWarning && r.opts.WarnAsError) {
			failed = true
		}
		if d.Severity == dtsx.SeverityWarning && d.Code == tasks.CodeNotExecutable && !r.opts.SkipUnsupported {
			continue // reported as an error by runChecks
		}
		ref := d.Path
		if !known[ref] {
			ref = r.p.Def.Executable.RefID
		}
		byRef[ref] = append(byRef[ref], d)
	}
	report := func(name string, x *dtsx.Executable, msg string) {
		r.event(Event{Name: name, Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID, Message: msg})
	}
	var walk func(x *dtsx.Executable)
	walk = func(x *dtsx.Executable) {
		if x.Disabled {
			return
		}
		report("OnPreValidate", x, "")
		for _, c := range x.Executables {
			walk(c)
		}
		for _, d := range byRef[x.RefID] {
			switch d.Severity {
			case dtsx.SeverityError:
				report("OnError", x, d.String())
			case dtsx.SeverityWarning:
				report("OnWarning", x, d.String())
			}
		}
		report("OnPostValidate", x, "")
	}
	walk(r.p.Def.Executable)
	return failed
}

// runChecks reports what stops a package from running that validation
// alone accepts: tasks this runtime cannot execute.
func (p *Package) runChecks(skipUnsupported bool, spell Spelling) dtsx.Diagnostics {
	var out dtsx.Diagnostics
	add := func(x *dtsx.Executable, code, msg, hint string) {
		out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: code, File: p.Def.File, Path: x.RefID,
			Line: p.Def.Line(x.DTSID), Message: msg, Hint: hint})
	}
	p.Def.Walk(func(x *dtsx.Executable) bool {
		if x.Disabled {
			return false
		}
		if t, ok := p.Tasks[x]; ok && !skipUnsupported {
			if _, exec := t.(tasks.Executor); !exec {
				if !p.runsHere(x) {
					msg := fmt.Sprintf("%q (%s) cannot be executed here yet", x.Name, x.ShortType())
					if ok, why := foreachSupported(x); !ok && strings.EqualFold(x.Type(), "STOCK:FOREACHLOOP") {
						msg = fmt.Sprintf("Foreach Loop %q cannot be executed here yet: %s", x.Name, why)
					}
					add(x, tasks.CodeNotExecutable, msg, spell.skipHint())
				}
			}
		}
		return true
	})
	return out
}

// runsHere reports the executables the runtime itself runs: the
// containers it supports and the Execute Package Task.
func (p *Package) runsHere(x *dtsx.Executable) bool {
	switch strings.ToUpper(x.Type()) {
	case "STOCK:SEQUENCE", "STOCK:FORLOOP":
		return true
	case "STOCK:FOREACHLOOP":
		ok, _ := foreachSupported(x)
		return ok
	}
	return p.isExecutePackage(x)
}

// CodeExpression reports a property expression, an expression variable
// or an expression constraint that cannot be evaluated.
const CodeExpression = "expression"

func (r *run) event(e Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	r.rep.addEvent(e)
	level := zap.DebugLevel // OnPreExecute and the like
	switch e.Name {
	case "OnError", "OnTaskFailed":
		level = zap.ErrorLevel
	case "OnWarning":
		level = zap.WarnLevel
	case "OnInformation", "OnProgress":
		level = zap.InfoLevel
	}
	if ce := r.log.Check(level, e.Name); ce != nil {
		ce.Write(zap.String("source", e.SourceRef), zap.String("name", e.Source), zap.String("message", e.Message))
	}
	if r.opts.OnEvent != nil {
		r.opts.OnEvent(e)
	}
}

// raise raises an event on x: it is reported, and the event handlers for
// it on x and on each container above run, innermost first (SSIS's
// bubbling). An OnError also counts against x's containers.
func (r *run) raise(ctx context.Context, name string, x *dtsx.Executable, sc *scope, msg string, code int) {
	r.event(Event{Name: name, Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID, Message: msg})
	r.handle(ctx, name, x, x, sc, msg, code)
}

// handle runs the handlers for an event raised by src, from x up to the
// package, then (in a child package) on in the parent package from its
// Execute Package Task, as SSIS bubbles a child's events. An OnError counts
// against each container it passes.
func (r *run) handle(ctx context.Context, name string, x, src *dtsx.Executable, sc *scope, msg string, code int) {
	if name == "OnError" {
		r.mu.Lock()
		for c := x; c != nil; c = c.Parent {
			r.errors[c]++
		}
		r.mu.Unlock()
	}
	for c := x; c != nil; c = c.Parent {
		for _, h := range c.EventHandlers {
			if h.EventName != name || h.Disabled {
				continue
			}
			if _, busy := r.inHandler.LoadOrStore(h, true); busy {
				continue // an event raised inside its own handler does not run it again
			}
			hs, err := r.scope(sc, h)
			if err != nil {
				r.inHandler.Delete(h)
				r.event(Event{Name: "OnError", Source: h.Name, SourceRef: h.RefID, Message: err.Error()})
				continue
			}
			hs.set("System::SourceName", expr.Str(src.Name))
			hs.set("System::SourceID", expr.Str(src.DTSID))
			hs.set("System::SourceDescription", expr.Str(src.Description))
			hs.set("System::EventHandlerStartTime", expr.Date(time.Now()))
			hs.set("System::Propagate", expr.Bool(true))
			if name == "OnError" || name == "OnWarning" {
				hs.set("System::ErrorCode", expr.I4(int32(code)))
				hs.set("System::ErrorDescription", expr.Str(msg))
			}
			r.container(ctx, h, hs)
			r.inHandler.Delete(h)
			// A handler that sets System::Propagate to False stops the
			// event from reaching the handlers of the containers above.
			if v, err := hs.find("System::Propagate"); err == nil {
				if b, err := v.get().Bool(); err == nil && !b {
					return
				}
			}
		}
	}
	if r.up != nil {
		r.up(ctx, name, src, msg, code)
	}
}

// executable runs x (a task or a container) and returns its result.
func (r *run) executable(ctx context.Context, x *dtsx.Executable, parent *scope) Status {
	start := time.Now()
	res := Result{RefID: x.RefID, Name: x.Name, Type: x.Type()}
	defer func() {
		res.Duration = time.Since(start)
		r.rep.add(res)
	}()
	if x.Disabled {
		res.Status, res.Skipped = Success, "disabled"
		return Success // a disabled executable counts as a success for its constraints
	}
	if ctx.Err() != nil {
		res.Status = Canceled
		return Canceled
	}
	sc, err := r.scope(parent, x)
	if err != nil {
		sc = newScope(parent)
	}
	sc.set("System::TaskName", expr.Str(x.Name))
	sc.set("System::TaskID", expr.Str(x.DTSID))
	sc.set("System::ContainerStartTime", expr.Date(start))
	r.raise(ctx, "OnPreExecute", x, sc, "", 0)
	if err == nil {
		err = r.applyExpressions(x, sc)
	}
	var st Status
	switch {
	case err != nil:
		res.Errors = append(res.Errors, err.Error())
		r.raise(ctx, "OnError", x, sc, err.Error(), -1)
		st = Failure
	case x == r.p.Def.Executable || strings.EqualFold(x.Type(), "STOCK:SEQUENCE"):
		st = r.container(ctx, x, sc)
	case strings.EqualFold(x.Type(), "STOCK:FORLOOP"):
		st = r.forLoop(ctx, x, sc)
	case strings.EqualFold(x.Type(), "STOCK:FOREACHLOOP"):
		st = r.foreachLoop(ctx, x, sc)
	case r.p.isExecutePackage(x):
		st = r.executePackage(ctx, x, sc, &res)
	default:
		st = r.task(ctx, x, sc, &res)
	}
	if f, bad := forced(x); !bad && f >= 0 {
		st = Status(f)
	}
	if ctx.Err() != nil && st != Success {
		st = Canceled
	}
	res.Status = st
	r.raise(ctx, "OnPostExecute", x, sc, "", 0)
	return st
}

func forced(x *dtsx.Executable) (int, bool) {
	v, ok := x.Property("ForceExecutionResult")
	if !ok {
		return -1, false
	}
	n, err := strconv.Atoi(v)
	return n, err != nil
}

// task runs one task through its Executor.
func (r *run) task(ctx context.Context, x *dtsx.Executable, sc *scope, res *Result) Status {
	t, ok := r.p.Tasks[x]
	ex, exec := t.(tasks.Executor)
	if !ok || !exec {
		return r.unsupported(ctx, x, sc, res)
	}
	env := &runEnv{r: r, x: x, sc: sc}
	err := ex.Execute(ctx, env)
	if err == nil {
		return Success
	}
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		res.Errors = append(res.Errors, err.Error())
		return Canceled
	}
	res.Errors = append(res.Errors, err.Error())
	r.raise(ctx, "OnError", x, sc, err.Error(), -1)
	r.raise(ctx, "OnTaskFailed", x, sc, err.Error(), 0)
	return Failure
}

// container runs the executables of c as its precedence constraints say,
// up to the concurrency limit, and returns Failure when the errors counted
// against c reach its MaximumErrorCount (default 1; 0 means no limit).
func (r *run) container(ctx context.Context, c *dtsx.Executable, sc *scope) Status {
	incoming := map[*dtsx.Executable][]*dtsx.PrecedenceConstraint{}
	for _, pc := range c.Constraints {
		if pc.To != nil {
			incoming[pc.To] = append(incoming[pc.To], pc)
		}
	}
	status := map[*dtsx.Executable]Status{}
	done := map[*dtsx.Executable]bool{}
	started := map[*dtsx.Executable]bool{}
	type finished struct {
		x  *dtsx.Executable
		st Status
	}
	ch := make(chan finished)
	running := 0
	// A constraint's expression is evaluated once, when its executable
	// has finished.
	evaluated := map[*dtsx.PrecedenceConstraint]bool{}
	exprTrue := func(pc *dtsx.PrecedenceConstraint) bool {
		b, ok := evaluated[pc]
		if !ok {
			b = r.constraintExpr(ctx, c, pc, sc)
			evaluated[pc] = b
		}
		return b
	}
	for {
		for _, x := range c.Executables {
			if started[x] || running >= r.limit {
				continue
			}
			switch decide(incoming[x], status, done, exprTrue) {
			case runIt:
				started[x] = true
				running++
				r.spawn(func() { ch <- finished{x, r.executable(ctx, x, sc)} })
			case never:
				started[x], done[x], status[x] = true, true, NotRun
				r.rep.add(Result{RefID: x.RefID, Name: x.Name, Type: x.Type(), Status: NotRun,
					Skipped: "its precedence constraints were not met"})
			}
		}
		if running == 0 {
			// Everything left waits on something that will not finish.
			break
		}
		f := <-ch
		running--
		status[f.x], done[f.x] = f.st, true
	}
	if ctx.Err() != nil {
		return Canceled
	}
	max := 1
	if v, ok := c.Property("MaximumErrorCount"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			max = n
		}
	}
	r.mu.Lock()
	n := r.errors[c]
	r.mu.Unlock()
	if max > 0 && n >= max {
		return Failure
	}
	for _, x := range c.Executables {
		if status[x] == Failure && (boolProp(x, "FailParentOnFailure") || boolProp(x, "FailPackageOnFailure")) {
			return Failure
		}
	}
	return Success
}

func boolProp(x *dtsx.Executable, name string) bool {
	v, _ := x.Property(name)
	return v == "True" || v == "-1" || v == "1"
}

type decision int

const (
	wait decision = iota
	runIt
	never
)

// decide applies an executable's incoming precedence constraints to the
// results so far: with LogicalAnd all must hold, without it one suffices.
func decide(in []*dtsx.PrecedenceConstraint, status map[*dtsx.Executable]Status, done map[*dtsx.Executable]bool,
	exprTrue func(*dtsx.PrecedenceConstraint) bool) decision {
	if len(in) == 0 {
		return runIt
	}
	and := in[0].LogicalAnd
	holds, fails := 0, 0
	for _, pc := range in {
		if !done[pc.From] {
			continue
		}
		st := status[pc.From]
		ok := st != Canceled && st != NotRun && (pc.Value == dtsx.Completion ||
			(pc.Value == dtsx.Success && st == Success) || (pc.Value == dtsx.Failure && st == Failure))
		switch pc.EvalOp {
		case dtsx.EvalExpression:
			ok = st != Canceled && st != NotRun && exprTrue(pc)
		case dtsx.EvalExpressionAndConstraint:
			ok = ok && exprTrue(pc)
		case dtsx.EvalExpressionOrConstraint:
			ok = ok || (st != Canceled && st != NotRun && exprTrue(pc))
		}
		if ok {
			holds++
		} else {
			fails++
		}
	}
	switch {
	case and && holds == len(in):
		return runIt
	case and && fails > 0:
		return never
	case !and && holds > 0:
		return runIt
	case !and && fails == len(in):
		return never
	}
	return wait
}

// runEnv is a running task's view of the run (tasks.RunEnv).
type runEnv struct {
	r  *run
	x  *dtsx.Executable
	sc *scope
}

func (e *runEnv) Connection(ref string) (connections.Manager, error) {
	m, err := e.r.p.Connection(ref)
	if err != nil {
		return nil, err
	}
	if err := e.r.applyConnectionExpressions(m, e.sc); err != nil {
		return nil, err
	}
	return m, nil
}
func (e *runEnv) Variable(name string) (expr.Value, error)    { return (&varEnv{sc: e.sc}).Lookup(name) }
func (e *runEnv) SetVariable(name string, v expr.Value) error { return e.sc.write(name, v) }
func (e *runEnv) Eval(src string) (expr.Value, error)         { return e.r.eval(src, e.sc) }
func (e *runEnv) Info(msg string) {
	e.r.event(Event{Name: "OnInformation", Source: e.x.Name, SourceRef: e.x.RefID, Message: msg})
}
func (e *runEnv) Warn(msg string) {
	e.r.event(Event{Name: "OnWarning", Source: e.x.Name, SourceRef: e.x.RefID, Message: msg})
}
func (e *runEnv) Progress(percent int, msg string) {
	e.r.event(Event{Name: "OnProgress", Source: e.x.Name, SourceRef: e.x.RefID, Message: fmt.Sprintf("%d%% %s", percent, msg)})
}
func (e *runEnv) LocalPath(p string) string {
	local := e.r.opts.Paths.Local(p, filepath.Dir(e.r.p.Def.File))
	if local != p {
		e.r.log.Info("path mapped", zap.String("source", e.x.RefID), zap.String("from", p), zap.String("to", local))
		if _, seen := e.r.mapped.LoadOrStore(p, true); !seen && isWindowsAbs(p) {
			// Once per path and run, for the console (dtexec /Rep I).
			e.r.event(Event{Name: "OnInformation", Source: e.x.Name, SourceRef: e.x.RefID, SourceID: e.x.DTSID,
				Message: fmt.Sprintf("path %s is %s here", p, local)})
		}
	}
	return local
}
func (e *runEnv) Record(rec tasks.Record) {
	e.r.rep.mu.Lock()
	e.r.rep.Records = append(e.r.rep.Records, RecordEntry{Source: e.x.RefID, Record: rec})
	e.r.rep.mu.Unlock()
}

var _ tasks.RunEnv = (*runEnv)(nil)
