package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
)

// run is the whole command: it parses the command line, runs the package
// through the runner dtsx run uses, and returns dtexec's exit code.
func run(args []string, stdout, stderr io.Writer) int {
	opts, err := Parser{LookupEnv: os.LookupEnv, ReadFile: os.ReadFile}.Parse(args)
	if err != nil {
		// An option that does not parse may be quoted in its error; a
		// password in it never is.
		fmt.Fprintln(stderr, runner.MaskSecrets(err.Error(), args...))
		return exitCode(err)
	}
	if opts.Help {
		fmt.Fprint(stdout, usage(opts.HelpTopic))
		return runner.ExitSuccess
	}
	job := runner.Job{Name: "dtexec", Banner: banner, File: opts.File, Password: string(opts.Decrypt),
		ValidateOnly: opts.Validate, WarnAsError: opts.WarnAsError, MaxConcurrent: opts.MaxConcurrent,
		SkipUnsupported: opts.SkipUnsupported, Spelling: spell, Overrides: opts.Overrides,
		Verify:      runner.Verify{Build: opts.VerifyBuild, PackageID: opts.VerifyPackageID, VersionID: opts.VerifyVersionID},
		DumpOnError: opts.DumpOnError}
	if opts.Project != "" {
		job.File, job.Package = opts.Project, opts.Package
	}
	rep := opts.Reporting
	shows := runner.Shows(rep.Levels.String())
	job.Show = func(e runtime.Event) bool {
		for _, name := range rep.Events {
			if strings.EqualFold(name, e.Name) {
				return false
			}
		}
		return shows(e)
	}
	if cl := opts.ConsoleLog; cl.Enabled {
		job.Log = consoleLogger(cl)
	}
	return runner.Run(job, stdout, stderr)
}

// consoleLog prints log entries as /ConsoleLog asks: the chosen columns
// (N name, C computer, O operator, S source name, G source GUID, X
// execution ID, empty here, M message, T time), comma-separated in that order, for the
// entries its include and exclude lists let through (by event or source
// name or GUID).
func consoleLogger(cl ConsoleLog) func(io.Writer, runtime.Event) {
	host, _ := os.Hostname()
	operator := os.Getenv("USER")
	return func(w io.Writer, e runtime.Event) {
		if len(cl.Include) > 0 && !containsFold(cl.Include, e.Name, e.Source, e.SourceID) {
			return
		}
		if containsFold(cl.Exclude, e.Name, e.Source, e.SourceID) {
			return
		}
		var cols []string
		for _, c := range []struct {
			col ConsoleColumns
			v   string
		}{{ColName, e.Name}, {ColComputer, host}, {ColOperator, operator}, {ColSourceName, e.Source}, {ColSourceGUID, e.SourceID},
			{ColExecutionID, ""}, {ColMessage, e.Message}, {ColTime, e.Time.Format("1/2/2006 3:04:05 PM")}} {
			if cl.Columns&c.col != 0 {
				cols = append(cols, c.v)
			}
		}
		fmt.Fprintln(w, strings.Join(cols, ","))
	}
}

func containsFold(list []string, vals ...string) bool {
	for _, l := range list {
		for _, v := range vals {
			if v != "" && strings.EqualFold(l, v) {
				return true
			}
		}
	}
	return false
}

// banner is dtexec's heading, naming this implementation.
const banner = "dtexec (dtsx): runs SSIS packages on Linux with dtexec's options and exit codes\n"

// exitCode maps an error to dtexec's exit code, in one place.
func exitCode(err error) int {
	switch {
	case err == nil:
		return runner.ExitSuccess
	case errors.Is(err, ErrSyntax), errors.Is(err, ErrWindowsOnly), errors.Is(err, ErrNotSupported):
		return runner.ExitSyntax
	}
	return runner.ExitSyntax // an internal error
}
