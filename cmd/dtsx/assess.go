package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dtsx-run/dtsx/internal/assess"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
)

// jsonFlag is --json with an optional file: --json (or --json=-) is
// standard output, --json=FILE a file.
type jsonFlag struct{ file *string }

func (f jsonFlag) String() string {
	if f.file == nil {
		return ""
	}
	return *f.file
}
func (f jsonFlag) Set(v string) error {
	if v == "true" {
		v = "-"
	}
	*f.file = v
	return nil
}
func (f jsonFlag) IsBoolFlag() bool { return true }

// assessFlags are the flags that say what run a package is assessed for,
// those of `dtsx run` that change what it needs: validate takes them too.
type assessFlags struct {
	opts         assess.Options
	pathMaps     multiFlag
	badOverrides []error
}

func (a *assessFlags) add(fs *flag.FlagSet) {
	job := &a.opts.Job
	fs.StringVar(&job.Project, "project", "", "project `PATH` (.dtproj, .ispac or folder) of the packages")
	passwordFlag(fs, &job.Password)
	fs.BoolVar(&a.opts.Capture, "capture", false, "assess for run --capture: mail stays in the run, so SMTP servers and their credentials need nothing")
	fs.Var(overrideFlag{&job.Overrides, &a.badOverrides, "conn"}, "conn", "`'NAME;connection string'`: as run --conn (repeatable)")
	fs.Var(overrideFlag{&job.Overrides, &a.badOverrides, "set"}, "set", "`'PATH;VALUE'`: as run --set (repeatable)")
	fs.Var(overrideFlag{&job.Overrides, &a.badOverrides, "param"}, "param", "`'NAME=VALUE'`: as run --param (repeatable)")
	fs.StringVar(&job.CredentialsFile, "credentials", "", "credentials `FILE`, as run --credentials")
	fs.StringVar(&job.AllowedHosts, "allowed-hosts", "", "the egress fence the runs will have (default $DTSX_ALLOWED_HOSTS, and $DTSX_SMTP_ALLOWED_HOSTS)")
	fs.Var(&a.pathMaps, "path-map", "`'C:\\Data=/srv/data'`: as run --path-map (repeatable)")
	fs.StringVar(&job.Paths.UNCRoot, "unc-root", "", "`DIR` where \\\\server\\share paths are mounted (default /mnt)")
}

// finish checks the flags after parsing and completes the job.
func (a *assessFlags) finish(name string, stderr io.Writer) bool {
	for _, err := range a.badOverrides {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
	}
	if len(a.badOverrides) > 0 {
		return false
	}
	for _, pm := range a.pathMaps {
		rule, err := runtime.ParsePathRule(pm)
		if err != nil {
			fmt.Fprintf(stderr, "%s: --path-map: %v\n", name, err)
			return false
		}
		a.opts.Job.Paths.Rules = append(a.opts.Job.Paths.Rules, rule)
	}
	a.opts.Job.Name = name
	a.opts.Job.Password = passwordOrEnv(a.opts.Job.Password)
	return true
}

// cmdAssess is `dtsx assess`: the verdict of every package the paths name
// and the project view; exit 1 when a package is blocked or does not load.
func cmdAssess(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dtsx assess", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var a assessFlags
	a.add(fs)
	var jsonOut string
	fs.Var(jsonFlag{&jsonOut}, "json", "write the assessment as JSON (docs/json.md) to standard output (--json, --json -), or to a file (--json=`FILE`, --json FILE.json)")
	paths, err := parseInterspersed(fs, args)
	if err != nil || !a.finish("dtsx assess", stderr) {
		return runner.ExitSyntax
	}
	paths, jsonOut = jsonTarget(paths, jsonOut)
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "usage: dtsx assess [--json [FILE|-]] [--capture] [--project P] PATH... (folders, .dtproj, .ispac or .dtsx)")
		return runner.ExitSyntax
	}
	res, err := assess.Assess(context.Background(), paths, a.opts)
	if err != nil {
		fmt.Fprintf(stderr, "dtsx assess: %v\n", err)
		return runner.ExitSyntax
	}
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

// jsonTarget takes `--json FILE` and `--json -` as the flag package cannot
// (a flag with an optional value takes it only after '='): with --json
// given alone, a "-" or a .json file among the paths, never a package, is
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
