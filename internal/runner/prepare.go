package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/connections/credentials"
	"github.com/dtsx-run/dtsx/connections/fence"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// Prepared is a package made ready to run by a job, with nothing executed
// and nothing dialled: its configurations and the command line's
// overrides applied in dtexec's order, built, its connection managers
// pointed at the job's credentials and egress fence. Run executes it;
// Preflight reports what the run would check before executing anything,
// so that `dtsx assess` and `dtsx validate` give the verdict the run
// would.
type Prepared struct {
	Job     Job
	Package *dtsx.Package
	Project *dtsx.Project
	Build   *runtime.Package
	// Diagnostics are those of the configurations and the overrides
	// (an override a property expression replaces is a warning).
	Diagnostics dtsx.Diagnostics
	// Params are the --param values the run starts with.
	Params map[string]string
	// Fence is the job's egress fence (nil: none set).
	Fence   *fence.Fence
	creds   smtp.CredentialSource
	dbCreds credentials.Source
	secrets []string
}

// Prepare makes pkg of project pr ready to run as the job says (Prepared).
// An error is a command-line problem (exit code ExitSyntax) or a package
// that does not verify (ExitNotLoad), as the returned code says; its text
// holds no secret of the job.
func (job Job) Prepare(pkg *dtsx.Package, pr *dtsx.Project) (*Prepared, int, error) {
	if job.Logger == nil {
		job.Logger = zap.NewNop()
	}
	if job.Env == nil {
		job.Env = os.LookupEnv
	}
	secrets := job.secrets(pkg, pr)
	fail := func(code int, err error) (*Prepared, int, error) {
		return nil, code, fmt.Errorf("%s", mask(err.Error(), secrets))
	}
	if err := job.Verify.check(pkg); err != nil {
		return fail(ExitNotLoad, err)
	}
	// dtexec's order: the package's configurations, the command line, the
	// package's configurations again (with what the command line changed),
	// then the parent-variable ones (which only a parent package gives).
	sources := override.Sources{Env: job.Env, Local: func(p string) string { return job.Paths.Local(p, filepath.Dir(pkg.File)) },
		Types: runtime.OverrideTypes(runtime.Options{})}
	diags := override.ApplyConfigurations(pkg, pr, sources)
	params := map[string]string{}
	for _, o := range job.Overrides {
		replaced, err := applyOverride(pkg, pr, o, params, job)
		if err != nil {
			return fail(ExitSyntax, err)
		}
		for _, r := range replaced {
			d := replacedWarning(pkg, o, r, job.Spelling)
			job.Logger.Warn("override replaced by an expression", zap.String("problem", mask(d.String(), secrets)))
			diags = append(diags, d)
		}
	}
	diags = append(diags, override.ApplyConfigurations(pkg, pr, sources)...)
	rp := runtime.Build(pkg, runtime.Options{Project: pr, Logger: job.Logger})
	creds, dbCreds, err := job.credentials()
	if err != nil {
		return fail(ExitSyntax, err)
	}
	egress, err := job.fence()
	if err != nil {
		return fail(ExitSyntax, err)
	}
	p := &Prepared{Job: job, Package: pkg, Project: pr, Build: rp, Diagnostics: diags, Params: params, Fence: egress,
		creds: creds, dbCreds: dbCreds, secrets: secrets}
	job.prepareConnections(rp, creds, dbCreds, egress)
	return p, ExitSuccess, nil
}

// RunOptions are the options the run of p executes with; onBuild, when
// set, prepares each child package after the job's own preparation (capture
// mode's redirection).
func (p *Prepared) RunOptions(onEvent func(runtime.Event), onBuild func(*runtime.Package)) runtime.RunOptions {
	job := p.Job
	return runtime.RunOptions{MaxConcurrent: job.MaxConcurrent, SkipUnsupported: job.SkipUnsupported,
		Paths: job.Paths, Parameters: p.Params, ValidateOnly: job.ValidateOnly, WarnAsError: job.WarnAsError, OnEvent: onEvent,
		Password: job.Password, Spelling: job.Spelling, OnBuild: func(rp *runtime.Package) {
			job.prepareConnections(rp, p.creds, p.dbCreds, p.Fence)
			if onBuild != nil {
				onBuild(rp)
			}
		}}
}

// Preflight returns everything the run of p would report before executing
// anything (runtime.Package.Preflight), after the diagnostics of its
// configurations and overrides: the run stops before its first task on any
// error among them. It executes nothing, dials nothing, sends nothing.
func (p *Prepared) Preflight(ctx context.Context) dtsx.Diagnostics {
	out := append(dtsx.Diagnostics{}, p.Diagnostics...)
	return append(out, p.Build.Preflight(ctx, p.RunOptions(nil, nil))...)
}

// Mask returns s with the job's secrets masked.
func (p *Prepared) Mask(s string) string { return mask(s, p.secrets) }

// WithEnvPaths returns the job with the path rules of DTSX_PATH_MAP before
// its own (--path-map), as a run applies them.
func (job Job) WithEnvPaths() (Job, error) {
	env := job.Env
	if env == nil {
		env = os.LookupEnv
	}
	if v, ok := env(runtime.EnvPathMap); ok {
		rules, err := runtime.ParsePathMap(v)
		if err != nil {
			return job, fmt.Errorf("%s: %w", runtime.EnvPathMap, err)
		}
		job.Paths.Rules = append(rules, job.Paths.Rules...)
	}
	return job, nil
}
