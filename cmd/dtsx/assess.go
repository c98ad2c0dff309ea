package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/assess"
	assesshtml "github.com/dtsx-run/dtsx/internal/assess/html"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
)

// assessFlags are the flags that say what run a package is assessed for,
// those of `dtsx run` that change what it needs: validate takes them too.
type assessFlags struct {
	opts         assess.Options
	pathMaps     []string
	badOverrides []error
}

// add adds the flags of a run that change what it needs.
func (a *assessFlags) add(fs *pflag.FlagSet) {
	job := &a.opts.Job
	fs.StringVar(&job.Project, "project", "", "project `PATH` (.dtproj, .ispac or folder) of the packages")
	passwordFlag(fs, &job.Password)
	fs.BoolVar(&a.opts.Capture, "capture", false, "assess for run --capture: mail stays in the run, so SMTP servers and their credentials need nothing")
	fs.Var(overrideFlag{&job.Overrides, &a.badOverrides, "conn"}, "conn", "`'NAME;connection string'`: as run --conn (repeatable)")
	fs.Var(overrideFlag{&job.Overrides, &a.badOverrides, "set"}, "set", "`'PATH;VALUE'`: as run --set (repeatable)")
	fs.Var(overrideFlag{&job.Overrides, &a.badOverrides, "param"}, "param", "`'NAME=VALUE'`: as run --param (repeatable)")
	fs.StringVar(&job.CredentialsFile, "credentials", "", "credentials `FILE`, as run --credentials")
	fs.StringVar(&job.AllowedHosts, "allowed-hosts", "", "the egress fence the runs will have (default $DTSX_ALLOWED_HOSTS, and $DTSX_SMTP_ALLOWED_HOSTS)")
	fs.StringArrayVar(&a.pathMaps, "path-map", nil, "`'C:\\Data=/srv/data'`: as run --path-map (repeatable)")
	fs.StringVar(&job.Paths.UNCRoot, "unc-root", "", "`DIR` where \\\\server\\share paths are mounted (default /mnt)")
}

// finish checks the flags after parsing and completes the job. A --conn,
// --set or --param that does not parse is said here, its value masked,
// rather than by cobra, which would quote it.
func (a *assessFlags) finish(name string) error {
	if len(a.badOverrides) > 0 {
		return errors.Join(a.badOverrides...)
	}
	for _, pm := range a.pathMaps {
		rule, err := runtime.ParsePathRule(pm)
		if err != nil {
			return fmt.Errorf("--path-map: %w", err)
		}
		a.opts.Job.Paths.Rules = append(a.opts.Job.Paths.Rules, rule)
	}
	a.opts.Job.Name = name
	a.opts.Job.Password = passwordOrEnv(a.opts.Job.Password)
	return nil
}

// newAssessCmd is dtsx assess: the verdict of every package the paths
// name and the project view; exit 1 when a package is blocked or does not
// load.
func newAssessCmd() *cobra.Command {
	var a assessFlags
	var jsonOut, htmlOut string
	cmd := &cobra.Command{
		Use:   "assess [flags] PATH...",
		Short: "the verdict of every package of folders, .dtproj, .ispac or packages, and the project view (exit 1 when one is blocked or does not load)",
		Long: `Assesses every package the paths name (folders, searched recursively, .dtproj,
.ispac or .dtsx files) for a run here, executing nothing: runs here as is;
runs after configuration, with what to give; blocked, by which tasks and
components; or not loaded. Then the blockers, connection managers, servers
and configuration across packages.`,
		Args: argCount(1, -1, "path"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.finish("dtsx assess"); err != nil {
				return err
			}
			paths, out := jsonTarget(args, jsonOut)
			if len(paths) == 0 {
				return errors.New("no path given (folders, .dtproj, .ispac or .dtsx)")
			}
			return exit(assessPaths(paths, a.opts, assessOutputs{json: out, html: htmlOut}, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	fs := cmd.Flags()
	a.add(fs)
	fs.StringVar(&jsonOut, "json", "", "write the assessment as JSON (docs/json.md) to standard output (--json, --json -), or to a `FILE` (--json=FILE, --json FILE.json)")
	fs.Lookup("json").NoOptDefVal = "-"
	fs.StringVar(&htmlOut, "html", "", "also write the assessment as one self-contained HTML `FILE`: verdicts, blockers, needs, servers, and each package's control flow and data flows drawn")
	return cmd
}

// assessOutputs are the files dtsx assess writes besides its table: the
// JSON ("-": standard output, instead of the table) and the HTML page.
type assessOutputs struct{ json, html string }

// assessPaths assesses paths and writes the result: a table, or JSON on
// standard output (outs.json "-") or into the file outs.json; and the page
// outs.html when it is set.
func assessPaths(paths []string, opts assess.Options, outs assessOutputs, stdout, stderr io.Writer) int {
	res, err := assess.Assess(context.Background(), paths, opts)
	if err != nil {
		fmt.Fprintf(stderr, "dtsx assess: %v\n", err)
		return runner.ExitSyntax
	}
	if outs.html != "" {
		if err := assesshtml.WriteFile(outs.html, res, dtsx.Options{Password: opts.Job.Password}); err != nil {
			fmt.Fprintf(stderr, "dtsx assess: --html: %v\n", err)
			return runner.ExitSyntax
		}
	}
	jsonOut := outs.json
	switch jsonOut {
	case "":
		if err := assess.WriteTable(stdout, res); err != nil {
			fmt.Fprintf(stderr, "dtsx assess: %v\n", err)
			return runner.ExitSyntax
		}
	case "-":
		writeJSON(stdout, res)
	default:
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintf(stderr, "dtsx assess: --json: %v\n", err)
			return runner.ExitSyntax
		}
		s := res.Summary
		fmt.Fprintf(stdout, "assessed %s: %d run as is, %d after configuration, %d blocked, %d not loaded (%s)\n",
			plural(s.Packages, "package"), s.RunsAsIs, s.AfterConfiguration, s.Blocked, s.NotLoaded, jsonOut)
	}
	return res.Summary.ExitCode
}

// jsonTarget takes `--json FILE` and `--json -` as pflag cannot (a flag
// with an optional value takes it only after '='): with --json given alone, a "-" or a .json file among the paths, never a package, is
// where the JSON goes.
func jsonTarget(paths []string, jsonOut string) ([]string, string) {
	if jsonOut != "-" {
		return paths, jsonOut
	}
	var rest []string
	for _, p := range paths {
		if p == "-" || strings.EqualFold(filepath.Ext(p), ".json") {
			jsonOut = p
			continue
		}
		rest = append(rest, p)
	}
	return rest, jsonOut
}
