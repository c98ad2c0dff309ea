package runtime

import (
	"context"
	"errors"
	"io"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

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
	// OnRecord, when set, sees every record a task adds to the report (a
	// mail, the rows of a data-flow path) as it is added. It must be safe
	// for concurrent use.
	OnRecord func(RecordEntry)
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
	// txPlans are the transactions the executables start (transaction.go).
	txPlans map[*dtsx.Executable]*txPlan
	txLocks txLocks
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
			Totals: []Tally{}, Skipped: []SkippedTask{}, Errors: []Event{}, Warnings: []Event{}, Events: []Event{},
			Variables: []VariableValue{}}}
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
	root, diags, err := r.preflight(ctx)
	if err != nil {
		r.event(Event{Name: "OnError", Source: p.Def.Name, SourceRef: p.Def.RefID, Message: err.Error()})
		r.rep.Status = Failure
		return r.rep
	}
	if r.validate(diags) {
		r.rep.Status = Failure
		return r.rep
	}
	if opts.ValidateOnly {
		r.rep.Status = Success
		return r.rep
	}
	r.txPlans, _ = p.transactions()
	r.rep.Status = r.executable(ctx, p.Def.Executable, root)
	r.closeConnections()
	return r.rep
}

// Preflight returns what a run with opts checks before it executes
// anything, in the order Execute reports it: the property expressions and
// scopes evaluated with the values the run starts with, the validation of
// every connection manager and task, and the tasks this runtime cannot
// execute (errors unless opts.SkipUnsupported). It executes nothing and
// dials nothing; a package whose scope cannot be built (a parameter value
// that does not convert) gives one error diagnostic on the package.
func (p *Package) Preflight(ctx context.Context, opts RunOptions) dtsx.Diagnostics {
	r := &run{p: p, opts: opts, log: p.log, errors: map[*dtsx.Executable]int{}, rep: &Report{Start: time.Now()}}
	_, diags, err := r.preflight(ctx)
	if err != nil {
		return dtsx.Diagnostics{{Severity: dtsx.SeverityError, Code: CodeExpression, File: p.Def.File,
			Path: p.Def.RefID, Message: err.Error()}}
	}
	return diags
}

// preflight builds the run's root scope and returns it with everything
// validation finds (Preflight).
func (r *run) preflight(ctx context.Context) (*scope, dtsx.Diagnostics, error) {
	root, err := r.rootScope()
	if err != nil {
		return nil, nil, err
	}
	r.prepare(root)
	diags := append(r.prepared, r.p.Validate(ctx)...)
	return root, append(diags, r.p.runChecks(r.opts.SkipUnsupported, r.opts.Spelling)...), nil
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

// executable runs x (a task or a container) and returns its result.
func (r *run) executable(ctx context.Context, x *dtsx.Executable, parent *scope) Status {
	start := time.Now()
	res := Result{RefID: x.RefID, Name: x.Name, Type: x.Type(), Start: start}
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
	sc.setSystem(containerSystem(x, start))
	r.raise(ctx, "OnPreExecute", x, sc, "", 0)
	if err == nil {
		err = r.applyExpressions(x, sc)
	}
	var tx *localTx
	if err == nil {
		tx, err = r.beginTransaction(ctx, x, sc)
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
	st = r.endTransaction(ctx, x, sc, tx, st)
	if f, bad := forced(x); !bad && f >= 0 {
		st = Status(f)
	}
	if ctx.Err() != nil && st != Success {
		st = Canceled
	}
	res.Status = st
	r.raise(ctx, "OnPostExecute", x, sc, "", 0)
	if x == r.p.Def.Executable {
		r.rep.Variables = snapshot(sc)
	}
	return st
}

// forced returns the result x's ForceExecutionResult forces (-1: none),
// and whether the property is there but not a number.
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

// boolProp reports whether x's property name is true (True, -1 or 1).
func boolProp(x *dtsx.Executable, name string) bool {
	v, _ := x.Property(name)
	return v == "True" || v == "-1" || v == "1"
}
