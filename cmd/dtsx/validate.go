package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

// validateReport is the JSON of `dtsx validate --json` (docs/json.md).
type validateReport struct {
	Files   []fileReport `json:"files"`
	Summary summary      `json:"summary"`
}

type fileReport struct {
	File        string           `json:"file"`
	Package     string           `json:"package,omitempty"`
	Loaded      bool             `json:"loaded"`
	Diagnostics dtsx.Diagnostics `json:"diagnostics"`
}

type summary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	ExitCode int `json:"exitCode"`
}

// validateFlags are dtsx validate's flags.
type validateFlags struct {
	commonFlags
	connect bool
	allowed string
	timeout time.Duration
}

// newValidateCmd is dtsx validate: packages checked without running them.
func newValidateCmd() *cobra.Command {
	var c validateFlags
	cmd := &cobra.Command{
		Use:   "validate [flags] FILE...",
		Short: "check packages without running them (offline; --connect also opens each database connection)",
		Args:  argCount(1, -1, "package"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := probeOptions(c.allowed)
			if err != nil {
				return err
			}
			return exit(validateFiles(args, c, opts, cmd.OutOrStdout()))
		},
	}
	fs := cmd.Flags()
	c.add(fs, true)
	fs.BoolVar(&c.connect, "connect", false, "also open each database connection (through the fence), report the server's version or the failure, and check the external columns of the data flows' database sources and destinations")
	fs.StringVar(&c.allowed, "allowed-hosts", "", "with --connect: the `LIST` of hosts, addresses and CIDRs that may be reached (default $DTSX_ALLOWED_HOSTS)")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Second, "with --connect: the longest each connection may take")
	return cmd
}

// validateFiles validates every package of files and prints the report:
// exit 0, 1 when one has errors, 4 or 5 when one cannot be loaded.
func validateFiles(files []string, c validateFlags, opts database.Options, stdout io.Writer) int {
	rep := validateReport{Files: []fileReport{}}
	code := runner.ExitSuccess
	worse := func(c int) {
		if c > code {
			code = c
		}
	}
	conns, tasks := connbuiltin.Connections(), builtin.Tasks()
	for _, f := range files {
		pkgs, project, err := runtime.Open(f, c.project, c.loadOptions())
		if err != nil {
			rep.Files = append(rep.Files, fileReport{File: f, Diagnostics: dtsx.Diagnostics{asDiagnostic(err, f)}})
			worse(runner.LoadExitCode(err))
			continue
		}
		for _, p := range pkgs {
			rp := runtime.Build(p, runtime.Options{Project: project, Connections: conns, Tasks: tasks})
			ds := rp.Validate(context.Background())
			if ds == nil {
				ds = dtsx.Diagnostics{}
			}
			if c.connect {
				// Offline validation first; then each database manager is
				// opened and closed, and runs nothing of the package.
				for _, r := range probeDatabases(context.Background(), p.File, rp, opts, c.timeout, nil) {
					if !r.config { // a connection string in error is reported above
						ds = append(ds, r.diagnostic())
					}
				}
				// Then the external columns of the database sources and
				// destinations are checked against what they name.
				ds = append(ds, checkMetadata(context.Background(), p.File, rp, opts, c.timeout)...)
			}
			rep.Files = append(rep.Files, fileReport{File: p.File, Package: p.Name, Loaded: true, Diagnostics: ds})
			if ds.HasErrors() {
				worse(runner.ExitFailure)
			}
		}
	}
	for _, f := range rep.Files {
		rep.Summary.Errors += f.Diagnostics.Count(dtsx.SeverityError)
		rep.Summary.Warnings += f.Diagnostics.Count(dtsx.SeverityWarning)
	}
	rep.Summary.Files = len(rep.Files)
	rep.Summary.ExitCode = code
	if c.json {
		writeJSON(stdout, rep)
		return code
	}
	for _, f := range rep.Files {
		for _, d := range f.Diagnostics {
			fmt.Fprintln(stdout, d.String())
		}
		status := "ok"
		switch {
		case !f.Loaded:
			status = "not loaded"
		case f.Diagnostics.HasErrors():
			status = "invalid"
		}
		fmt.Fprintf(stdout, "%s: %s (%s, %s)\n", f.File, status,
			plural(f.Diagnostics.Count(dtsx.SeverityError), "error"), plural(f.Diagnostics.Count(dtsx.SeverityWarning), "warning"))
	}
	fmt.Fprintf(stdout, "validated %s: %s, %s\n", plural(rep.Summary.Files, "package"),
		plural(rep.Summary.Errors, "error"), plural(rep.Summary.Warnings, "warning"))
	return code
}

// asDiagnostic returns the diagnostic of a load error.
func asDiagnostic(err error, file string) dtsx.Diagnostic {
	if de, ok := err.(*dtsx.Error); ok {
		return de.Diagnostic
	}
	return dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: dtsx.CodeProjectFile, File: file, Message: err.Error()}
}
