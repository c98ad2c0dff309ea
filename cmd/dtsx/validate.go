package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/dtsx-run/dtsx/connections/database"
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

// newValidateCmd is dtsx validate: each package goes through what a run
// checks before it executes anything (assess), and is printed with its
// diagnostics and its verdict. The exit code is 1 when a package is
// blocked, 4 or 5 when one does not load (the worst wins), 0 otherwise;
// with --connect, any error (a connection that fails, external columns
// that do not match) is 1 too.
func newValidateCmd() *cobra.Command {
	var v validateFlags
	cmd := &cobra.Command{
		Use:   "validate [flags] PATH...",
		Short: "check packages without running them, each with assess's verdict (offline; --connect also opens each database connection)",
		Args:  argCount(1, -1, "package"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := v.finish("dtsx validate"); err != nil {
				return err
			}
			opts, err := probeOptions(v.opts.Job.AllowedHosts)
			if err != nil {
				return err
			}
			return exit(validatePaths(args, v, opts, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	fs := cmd.Flags()
	v.add(fs)
	fs.BoolVar(&v.json, "json", false, "print JSON (see docs/json.md)")
	fs.BoolVar(&v.connect, "connect", false, "also open each database connection (through the fence), report the server's version or the failure, and check the external columns of the data flows' database sources and destinations")
	fs.DurationVar(&v.timeout, "timeout", 15*time.Second, "with --connect: the longest each connection may take")
	return cmd
}

// validateFlags are dtsx validate's flags: assess's, and its own.
type validateFlags struct {
	assessFlags
	json    bool
	connect bool
	timeout time.Duration
}

// validatePaths validates every package of paths and prints the report.
func validatePaths(files []string, v validateFlags, opts database.Options, stdout, stderr io.Writer) int {
	a := v.assessFlags
	if v.connect {
		// Offline validation first; then each database manager is opened
		// and closed, and runs nothing of the package.
		a.opts.Extra = func(ctx context.Context, p *runner.Prepared) dtsx.Diagnostics {
			var ds dtsx.Diagnostics
			for _, r := range probeDatabases(ctx, p.Package.File, p.Build, opts, v.timeout, nil) {
				if !r.config { // a connection string in error is reported by validation
					ds = append(ds, r.diagnostic())
				}
			}
			// Then the external columns of the database sources and
			// destinations are checked against what they name.
			return append(ds, checkMetadata(ctx, p.Package.File, p.Build, opts, v.timeout)...)
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
	// A problem of the project's files is reported with the first of its
	// packages only.
	seen := onceSeen{}
	for _, p := range res.Packages {
		rep.Files = append(rep.Files, fileReport{File: p.File, Package: p.Name, Loaded: p.Verdict != assess.NotLoaded,
			Verdict: p.Verdict, Diagnostics: seen.filter(p.File, p.Diagnostics)})
		switch {
		case p.Verdict == assess.NotLoaded:
			worse(p.ExitCode)
		case p.Verdict == assess.Blocked, v.connect && p.Diagnostics.HasErrors():
			worse(runner.ExitFailure)
		}
	}
	for _, f := range rep.Files {
		rep.Summary.Errors += f.Diagnostics.Count(dtsx.SeverityError)
		rep.Summary.Warnings += f.Diagnostics.Count(dtsx.SeverityWarning)
	}
	rep.Summary.Files = len(rep.Files)
	rep.Summary.ExitCode = code
	if v.json {
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
