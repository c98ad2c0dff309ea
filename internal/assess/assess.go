package assess

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/runner"
	dtsxruntime "github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
)

// Options say what an assessment assumes of the runs.
type Options struct {
	// Job is the run each package is assessed for: its project, password,
	// path mappings, overrides, credentials file and egress fence, as `dtsx
	// run` would take them. File and Package are ignored.
	Job runner.Job
	// Capture assesses for capture mode (run --capture): mail stays in the
	// run, so an SMTP server, its fence and its credentials need nothing.
	Capture bool
	// Extra, when set, is called with each prepared package after its
	// preflight and returns more diagnostics for it (validate --connect
	// opens its database connections there); they change no verdict.
	Extra func(ctx context.Context, p *runner.Prepared) dtsx.Diagnostics
	// Workers bounds the packages assessed at once; 0 is the number of
	// CPUs.
	Workers int
}

// Assess assesses the packages the paths name: folders (every .dtsx under
// them, with the project files beside each), .dtproj files (the packages
// beside them, with that project), .ispac files and packages. It executes
// nothing; an error is a path that cannot be listed or a job that is wrong
// (a malformed DTSX_PATH_MAP), a package that does not load is a verdict.
func Assess(ctx context.Context, paths []string, opts Options) (*Result, error) {
	job, err := opts.Job.WithEnvPaths()
	if err != nil {
		return nil, err
	}
	opts.Job = job
	ts, err := targets(paths, job.Project)
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	per := make([][]Package, len(ts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				per[i] = assessTarget(ctx, ts[i], opts)
			}
		}()
	}
	for i := range ts {
		next <- i
	}
	close(next)
	wg.Wait()
	res := &Result{Version: 1, Capture: opts.Capture, Packages: []Package{}}
	for _, ps := range per {
		res.Packages = append(res.Packages, ps...)
	}
	res.Project = projectView(res.Packages)
	res.Summary = summarise(res.Packages)
	return res, nil
}

// assessTarget opens one target and assesses each package in it.
func assessTarget(ctx context.Context, t target, opts Options) []Package {
	pkgs, pr, err := dtsxruntime.Open(t.file, t.project, dtsx.Options{Password: opts.Job.Password})
	if err != nil {
		return []Package{notLoaded(t.file, "", err, runner.LoadExitCode(err))}
	}
	out := make([]Package, 0, len(pkgs))
	for _, p := range pkgs {
		out = append(out, assessPackage(ctx, t.file, p, pr, opts))
	}
	return out
}

func notLoaded(file, name string, err error, code int) Package {
	return Package{File: file, Name: name, Verdict: NotLoaded, LoadError: err.Error(), ExitCode: code,
		Needs: []Need{}, Blockers: []Blocker{}, Connections: []Connection{}, Diagnostics: dtsx.Diagnostics{asDiagnostic(err, file)}}
}

// asDiagnostic returns the diagnostic of a load error.
func asDiagnostic(err error, file string) dtsx.Diagnostic {
	var de *dtsx.Error
	if errors.As(err, &de) {
		return de.Diagnostic
	}
	return dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: dtsx.CodeProjectFile, File: file, Message: err.Error()}
}

// fileOf names a package: its file, or for a package of an .ispac the
// .ispac and the package's name in it.
func fileOf(target string, p *dtsx.Package) string {
	if strings.EqualFold(filepath.Ext(target), ".ispac") {
		return target + "/" + filepath.Base(p.File)
	}
	return p.File
}

// assessPackage prepares p as the run would, runs its preflight and gives
// it its verdict.
func assessPackage(ctx context.Context, target string, p *dtsx.Package, pr *dtsx.Project, opts Options) Package {
	file := fileOf(target, p)
	job := opts.Job
	job.File, job.Package, job.SkipUnsupported, job.ValidateOnly = p.File, "", false, false
	prep, code, err := job.Prepare(p, pr)
	if err != nil {
		return notLoaded(file, p.Name, err, code)
	}
	diags := prep.Preflight(ctx)
	out := Package{File: file, Name: p.Name, Blockers: []Blocker{}}
	a := newAnalysis(prep, opts.Capture)
	out.Connections = a.connections()
	needs := a.needs()
	needs = append(needs, a.secretNeeds(diags)...)
	out.Needs = sortNeeds(needs)
	out.Blockers = blockers(p, diags, hasParameterNeed(out.Needs))
	switch {
	case len(out.Blockers) > 0:
		out.Verdict = Blocked
	case len(out.Needs) > 0:
		out.Verdict = AfterConfiguration
	default:
		out.Verdict = RunsAsIs
	}
	for i := range out.Blockers {
		out.Blockers[i].Message = prep.Mask(out.Blockers[i].Message)
	}
	if opts.Extra != nil {
		diags = append(diags, opts.Extra(ctx, prep)...)
	}
	out.Diagnostics = dtsx.Diagnostics{}
	for _, d := range diags {
		if d.Severity == dtsx.SeverityWarning && d.Code == tasks.CodeNotExecutable {
			continue // the preflight's error says it, as the run reports it
		}
		d.Message, d.Hint = prep.Mask(d.Message), prep.Mask(d.Hint)
		out.Diagnostics = append(out.Diagnostics, d)
	}
	return out
}

// blockers returns what among the preflight's diagnostics stops the run:
// every error, except those a Need explains (a required parameter without
// a value), with the Data Flow tasks refused for their components given as
// those components.
func blockers(p *dtsx.Package, diags dtsx.Diagnostics, paramNeeds bool) []Blocker {
	byRef := map[string]*dtsx.Executable{}
	p.Executable.Walk(func(x *dtsx.Executable) bool {
		byRef[x.RefID] = x
		return true
	})
	var components []dtsx.Diagnostic
	for _, d := range diags {
		if d.Code == codeComponent {
			components = append(components, d)
		}
	}
	out := []Blocker{}
	for _, d := range diags {
		if d.Severity != dtsx.SeverityError {
			continue
		}
		if paramNeeds {
			if d.Message = unexplained(d.Message); d.Message == "" {
				continue
			}
		}
		x := byRef[d.Path]
		if d.Code != tasks.CodeNotExecutable || x == nil {
			out = append(out, Blocker{Kind: BlockerError, Type: d.Code, Path: d.Path, Line: d.Line, Message: d.Message})
			continue
		}
		var mine []dtsx.Diagnostic
		for _, c := range components {
			if strings.HasPrefix(c.Path, d.Path+`\`) {
				mine = append(mine, c)
			}
		}
		if len(mine) == 0 {
			out = append(out, Blocker{Kind: BlockerTask, Type: TaskTypeName(x.Type()), Name: x.Name, Path: d.Path, Line: d.Line, Message: d.Message})
			continue
		}
		for _, c := range mine {
			name, class := componentOf(c)
			out = append(out, Blocker{Kind: BlockerComponent, Type: ComponentTypeName(class), Name: name, Path: c.Path, Line: c.Line, Message: c.Message})
		}
	}
	return out
}

// unexplained drops from a preflight error the lines a parameter Need
// explains (a required parameter without a value, an encrypted one): the
// run's scope joins one line per parameter.
func unexplained(msg string) string {
	var keep []string
	for _, l := range strings.Split(msg, "\n") {
		if !strings.Contains(l, "is required and has no value") && !strings.Contains(l, "is encrypted in the file") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// codeComponent is the code of a data-flow component the runtime cannot
// build.
const codeComponent = "data-flow-component"

// componentOf reads a component's name and class from its diagnostic
// (`component "Name" (class Class) cannot run here`); the name falls back
// to the last element of its path.
func componentOf(d dtsx.Diagnostic) (name, class string) {
	name = d.Path[strings.LastIndex(d.Path, `\`)+1:]
	if _, rest, ok := strings.Cut(d.Message, "(class "); ok {
		if c, _, ok := strings.Cut(rest, ")"); ok {
			class = c
		}
	}
	return name, class
}

// summarise counts the verdicts and gives the exit code.
func summarise(ps []Package) Summary {
	s := Summary{Packages: len(ps)}
	for _, p := range ps {
		switch p.Verdict {
		case RunsAsIs:
			s.RunsAsIs++
		case AfterConfiguration:
			s.AfterConfiguration++
		case Blocked:
			s.Blocked++
		case NotLoaded:
			s.NotLoaded++
		}
	}
	if s.Blocked+s.NotLoaded > 0 {
		s.ExitCode = runner.ExitFailure
	}
	return s
}

// sortNeeds orders needs by kind, subject and path, without duplicates.
func sortNeeds(ns []Need) []Need {
	sort.SliceStable(ns, func(i, j int) bool {
		a, b := ns[i], ns[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		return a.Path < b.Path
	})
	out := []Need{}
	for i, n := range ns {
		if i > 0 && n == ns[i-1] {
			continue
		}
		out = append(out, n)
	}
	return out
}

func hasParameterNeed(ns []Need) bool {
	for _, n := range ns {
		if n.Kind == NeedParameter || (n.Kind == NeedSecret && strings.HasPrefix(n.Subject, "$")) {
			return true
		}
	}
	return false
}
