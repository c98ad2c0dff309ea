package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/assess"
	"github.com/dtsx-run/dtsx/internal/runner"
)

// validateReport is the JSON of `dtsx validate --json` (docs/json.md).
type validateReport struct {
	Files   []fileReport `json:"files"`
	Summary summary      `json:"summary"`
}

type fileReport struct {
	File    string `json:"file"`
	Package string `json:"package,omitempty"`
	Loaded  bool   `json:"loaded"`
	// Verdict is the assessment's (docs/json.md, dtsx assess).
	Verdict     assess.Verdict   `json:"verdict"`
	Diagnostics dtsx.Diagnostics `json:"diagnostics"`
}

type summary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	ExitCode int `json:"exitCode"`
}

// cmdValidate is `dtsx validate`: each package goes through what a run
// checks before it executes anything (assess), and is printed with its
// diagnostics and its verdict. The exit code is 1 when a package is
// blocked, 4 or 5 when one does not load (the worst wins), 0 otherwise;
// with --connect, any error (a connection that fails, external columns
// that do not match) is 1 too.
func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dtsx validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var a assessFlags
	a.add(fs)
	asJSON := fs.Bool("json", false, "print JSON (see docs/json.md)")
	connect := fs.Bool("connect", false, "also open each database connection (through the fence), report the server's version or the failure, and check the external columns of the data flows' database sources and destinations")
	timeout := fs.Duration("timeout", 15*time.Second, "with --connect: the longest each connection may take")
	files, err := parseInterspersed(fs, args)
	if err != nil || !a.finish("dtsx validate", stderr) {
		return runner.ExitSyntax
	}
	opts, err := probeOptions(a.opts.Job.AllowedHosts)
	if err != nil {
		fmt.Fprintln(stderr, "dtsx validate:", err)
		return runner.ExitSyntax
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "dtsx validate: no package given")
		return runner.ExitSyntax
	}
	if *connect {
		// Offline validation first; then each database manager is opened
		// and closed, and runs nothing of the package.
		a.opts.Extra = func(ctx context.Context, p *runner.Prepared) dtsx.Diagnostics {
			var ds dtsx.Diagnostics
			for _, r := range probeDatabases(ctx, p.Package.File, p.Build, opts, *timeout, nil) {
				if !r.config { // a connection string in error is reported by validation
					ds = append(ds, r.diagnostic())
				}
			}
			// Then the external columns of the database sources and
			// destinations are checked against what they name.
			return append(ds, checkMetadata(ctx, p.Package.File, p.Build, opts, *timeout)...)
		}
	}
	res, err := assess.Assess(context.Background(), files, a.opts)
	if err != nil {
		fmt.Fprintln(stderr, "dtsx validate:", err)
		return runner.ExitSyntax
	}
	rep := validateReport{Files: []fileReport{}}
	code := runner.ExitSuccess
	worse := func(c int) {
		if c > code {
			code = c
		}
	}
	for _, p := range res.Packages {
		rep.Files = append(rep.Files, fileReport{File: p.File, Package: p.Name, Loaded: p.Verdict != assess.NotLoaded,
			Verdict: p.Verdict, Diagnostics: p.Diagnostics})
		switch {
		case p.Verdict == assess.NotLoaded:
			worse(p.ExitCode)
		case p.Verdict == assess.Blocked, *connect && p.Diagnostics.HasErrors():
			worse(runner.ExitFailure)
		}
	}
	for _, f := range rep.Files {
		rep.Summary.Errors += f.Diagnostics.Count(dtsx.SeverityError)
		rep.Summary.Warnings += f.Diagnostics.Count(dtsx.SeverityWarning)
	}
	rep.Summary.Files = len(rep.Files)
	rep.Summary.ExitCode = code
	if *asJSON {
		writeJSON(stdout, rep)
		return code
	}
	for _, f := range rep.Files {
		for _, d := range f.Diagnostics {
			fmt.Fprintln(stdout, d.String())
		}
		fmt.Fprintf(stdout, "%s: %s (%s, %s)\n", f.File, f.Verdict.Words(),
			plural(f.Diagnostics.Count(dtsx.SeverityError), "error"), plural(f.Diagnostics.Count(dtsx.SeverityWarning), "warning"))
	}
	fmt.Fprintf(stdout, "validated %s: %s, %s\n", plural(rep.Summary.Files, "package"),
		plural(rep.Summary.Errors, "error"), plural(rep.Summary.Warnings, "warning"))
	return code
}
