package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime/override"
	"github.com/dtsx-run/dtsx/tasks/executepackage"
)

// maxPackageDepth bounds packages calling packages (a package that calls
// itself, directly or not).
const maxPackageDepth = 32

// isExecutePackage reports an Execute Package Task, whatever name its
// format gives the type (the task registry knows them all).
func (p *Package) isExecutePackage(x *dtsx.Executable) bool {
	_, ok := p.Tasks[x].(*executepackage.Task)
	return ok
}

// executePackage runs an Execute Package Task: the child package (from the
// project, or from a file connection manager) runs with the parent's scope
// above its own, so it sees the parent's variables; parameter bindings give
// its parameters the values of the parent's variables or parameters. Its
// events reach the parent's report and console, its mails the parent's
// report, and its result is the task's result: a failed child fails the
// task, whose OnError the parent's handlers hear.
func (r *run) executePackage(ctx context.Context, x *dtsx.Executable, sc *scope, res *Result) Status {
	fail := func(err error) Status {
		msg := fmt.Sprintf("Execute Package Task %q: %v", x.Name, err)
		res.Errors = append(res.Errors, msg)
		r.raise(ctx, "OnError", x, sc, msg, -1)
		r.raise(ctx, "OnTaskFailed", x, sc, msg, 0)
		return Failure
	}
	if r.depth >= maxPackageDepth {
		return fail(fmt.Errorf("packages call packages %d deep; a package probably runs itself", r.depth))
	}
	spec, err := executepackage.Read(x)
	if err != nil {
		return fail(err)
	}
	child, project, err := r.loadChild(spec)
	if err != nil {
		return fail(err)
	}
	// The child's own configurations, parent-variable ones included, read
	// from the parent as it runs.
	parentVar := func(name string) (string, bool) {
		v, err := (&varEnv{sc: sc}).Lookup(name)
		if err != nil {
			return "", false
		}
		return propertyText(v), true
	}
	for _, d := range override.ApplyConfigurations(child, project, override.Sources{Env: os.LookupEnv, Parent: parentVar,
		Local: func(p string) string { return r.opts.Paths.Local(p, filepath.Dir(child.File)) }, Types: OverrideTypes(r.p.opts)}) {
		if d.Severity == dtsx.SeverityError {
			return fail(fmt.Errorf("configuration: %s", d.String()))
		}
		r.event(Event{Name: "OnWarning", Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID, Message: d.String()})
	}
	params := map[string]string{}
	for _, b := range spec.Bindings {
		v, err := (&varEnv{sc: sc}).Lookup(b.From)
		if err != nil {
			return fail(fmt.Errorf("binding of parameter %s: %w", b.Parameter, err))
		}
		params["$Package::"+b.Parameter] = propertyText(v)
	}
	cp := Build(child, Options{Project: project, Connections: r.p.opts.Connections, Tasks: r.p.opts.Tasks, Logger: r.log})
	if r.opts.OnBuild != nil {
		r.opts.OnBuild(cp)
	}
	opts := r.opts
	opts.Parameters = params
	opts.OnEvent = r.event // the child's events are the parent's too
	opts.MaxConcurrent = 0
	up := func(ctx context.Context, name string, src *dtsx.Executable, msg string, code int) {
		r.handle(ctx, name, x, src, sc, msg, code)
	}
	rep := cp.execute(ctx, opts, sc, r.depth+1, up)
	r.rep.mu.Lock()
	r.rep.Records = append(r.rep.Records, rep.Records...)
	r.rep.mu.Unlock()
	r.rep.mergeSkipped(rep) // the run's list names the child's skipped tasks too
	switch rep.Status {
	case Success:
		return Success
	case Canceled:
		return Canceled
	}
	why := "it failed"
	if len(rep.Errors) > 0 {
		why = rep.Errors[0].Message
	}
	return fail(fmt.Errorf("child package %q failed: %s", child.Name, why))
}

// loadChild loads the package an Execute Package Task names: with a
// project reference, a package of the parent's project (an .ispac's, or a
// file of the project's folder, or beside the parent); otherwise the file
// of its FILE connection manager, with the project beside it.
func (r *run) loadChild(spec executepackage.Spec) (*dtsx.Package, *dtsx.Project, error) {
	opts := dtsx.Options{Password: r.opts.Password}
	if spec.ProjectReference {
		if spec.PackageName == "" {
			return nil, nil, fmt.Errorf("it refers to a project package but names none")
		}
		if pr := r.p.Project; pr != nil {
			for _, p := range pr.Packages {
				if strings.EqualFold(filepath.Base(strings.ReplaceAll(p.File, `\`, "/")), spec.PackageName) ||
					strings.EqualFold(filepath.Base(p.File), spec.PackageName) {
					return p, pr, nil
				}
			}
		}
		var dirs []string
		if pr := r.p.Project; pr != nil && pr.File != "" {
			if st, err := os.Stat(pr.File); err == nil && st.IsDir() {
				dirs = append(dirs, pr.File)
			} else {
				dirs = append(dirs, filepath.Dir(pr.File))
			}
		}
		dirs = append(dirs, filepath.Dir(r.p.Def.File))
		for _, d := range dirs {
			path := filepath.Join(d, spec.PackageName)
			if _, err := os.Stat(path); err == nil {
				p, err := opts.LoadPackageFile(path)
				return p, r.p.Project, err
			}
		}
		return nil, nil, fmt.Errorf("project package %s is not in the project (looked in %s)", spec.PackageName, strings.Join(dirs, ", "))
	}
	if spec.Connection == "" {
		return nil, nil, fmt.Errorf("it names neither a project package nor a file connection manager")
	}
	m, err := r.p.Connection(spec.Connection)
	if err != nil {
		return nil, nil, err
	}
	fm, ok := m.(*file.Manager)
	if !ok || len(fm.Paths()) == 0 {
		return nil, nil, fmt.Errorf("connection manager %q is not a file connection manager with a path", m.Definition().Name)
	}
	path := r.opts.Paths.Local(fm.Paths()[0], filepath.Dir(r.p.Def.File))
	p, err := opts.LoadPackageFile(path)
	if err != nil {
		return nil, nil, err
	}
	pr, err := opts.ProjectBeside(path)
	if err != nil {
		return nil, nil, err
	}
	return p, pr, nil
}
