package runtime

import (
	"context"
	"fmt"
	"strings"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/connections"
	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

// Options say what a package is built with. Nil registries mean the
// built-in ones; Logger may be nil.
type Options struct {
	// Project supplies project connection managers and parameters.
	Project     *dtsx.Project
	Connections *connections.Registry
	Tasks       *tasks.Registry
	Logger      *zap.Logger
}

// Package is a package built for validation and execution.
type Package struct {
	Def         *dtsx.Package
	Project     *dtsx.Project
	Connections *connections.Collection
	// Tasks maps each task and container to what the task registry built.
	Tasks map[*dtsx.Executable]tasks.Task

	log   *zap.Logger
	built dtsx.Diagnostics
	opts  Options // what it was built with, for its child packages
}

// Build makes a runnable package of def: its Connections collection (the
// package's managers, then the project's) and a Task for every executable
// below the package. What cannot be built is reported, not fatal.
func Build(def *dtsx.Package, opts Options) *Package {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	if opts.Connections == nil {
		opts.Connections = connbuiltin.Connections()
	}
	if opts.Tasks == nil {
		opts.Tasks = builtin.Tasks()
	}
	p := &Package{Def: def, Project: opts.Project, Tasks: map[*dtsx.Executable]tasks.Task{}, log: log, opts: opts}
	var projectCMs []*dtsx.ConnectionManager
	if opts.Project != nil {
		projectCMs = opts.Project.Connections
	}
	p.Connections, p.built = connections.NewCollection(opts.Connections, def.Connections, projectCMs)
	def.Walk(func(x *dtsx.Executable) bool {
		if x == def.Executable || x.IsEventHandler() {
			return true
		}
		t, err := opts.Tasks.New(x)
		if err != nil {
			p.built = append(p.built, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: tasks.CodeUnknownType,
				Path: x.RefID, Message: fmt.Sprintf("executable %q: %v", x.Name, err),
				Hint: "a third-party component or a task this runtime does not know; `dtsx types` lists the known ones"})
			return true
		}
		p.Tasks[x] = t
		return true
	})
	log.Debug("package built", zap.String("file", def.File), zap.Int("connections", len(p.Connections.All())),
		zap.Int("tasks", len(p.Tasks)))
	return p
}

// Connection resolves a connection manager reference (tasks.Env).
func (p *Package) Connection(ref string) (connections.Manager, error) {
	return p.Connections.Resolve(ref)
}

// Validate returns every problem of the package: what the loader found, what
// could not be built, each connection manager's and each task's own
// validation. As in SSIS, a connection manager or task with
// DelayValidation=True is validated only when it runs: its errors are
// reported here as warnings that say so.
func (p *Package) Validate(ctx context.Context) dtsx.Diagnostics {
	out := append(dtsx.Diagnostics(nil), p.Def.Diagnostics...)
	if p.Project != nil {
		out = append(out, p.Project.Diagnostics...)
	}
	out = append(out, p.locate(p.built)...)
	for _, m := range p.Connections.All() {
		ds := m.Validate()
		if d := m.Definition(); d.DelayValidation {
			ds = delayed(ds)
		}
		out = append(out, p.locateIn(m.Definition().File, m.Definition().DTSID, ds)...)
	}
	p.Def.Walk(func(x *dtsx.Executable) bool {
		if x.Disabled {
			return false // SSIS does not validate what is disabled
		}
		t, ok := p.Tasks[x]
		if !ok {
			return true
		}
		ds := append(t.Validate(ctx, p), p.validateADO(x)...)
		if delay, _ := x.Property("DelayValidation"); isTrue(delay) {
			ds = delayed(ds)
		}
		out = append(out, p.locateIn(p.Def.File, x.DTSID, ds)...)
		return true
	})
	_, txs := p.transactions()
	return append(out, txs...)
}

func isTrue(s string) bool { return strings.EqualFold(s, "True") || s == "-1" || s == "1" }

// delayed downgrades errors to warnings for an object validated only when
// it runs.
func delayed(ds dtsx.Diagnostics) dtsx.Diagnostics {
	for i := range ds {
		if ds[i].Severity == dtsx.SeverityError {
			ds[i].Severity = dtsx.SeverityWarning
			ds[i].Message += " (DelayValidation=True: SSIS checks this only when it runs)"
		}
	}
	return ds
}

// locate fills in the package file and a line for diagnostics that lack
// them.
func (p *Package) locate(ds dtsx.Diagnostics) dtsx.Diagnostics { return p.locateIn(p.Def.File, "", ds) }

func (p *Package) locateIn(file, needle string, ds dtsx.Diagnostics) dtsx.Diagnostics {
	for i := range ds {
		if ds[i].File == "" {
			ds[i].File = file
		}
		if ds[i].Line == 0 && ds[i].File == p.Def.File {
			if needle == "" {
				// An element path names its object; the last name of the
				// path may be another object's (Task 1 of every container).
				ds[i].Line = p.Def.Line(ds[i].Path)
				if ds[i].Line == 0 {
					ds[i].Line = p.Def.Line(refName(ds[i].Path))
				}
				continue
			}
			ds[i].Line = p.Def.Line(needle)
		}
	}
	return ds
}

// refName returns the last name of a refId path, to find its line.
func refName(path string) string {
	if i := strings.LastIndexAny(path, `\[`); i >= 0 {
		return strings.TrimSuffix(path[i+1:], "]")
	}
	return ""
}

var _ tasks.Env = (*Package)(nil)
