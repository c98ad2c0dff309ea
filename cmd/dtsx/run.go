package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// overrideFlag collects --set, --conn and --param in command-line order,
// the order they are applied in. A malformed one is kept in errs rather
// than returned: the flag package would print the value as typed, and it
// may hold a password.
type overrideFlag struct {
	list *[]runner.Override
	errs *[]error
	kind string
}

func (f overrideFlag) String() string { return "" }
func (f overrideFlag) Type() string   { return overrideForms[f.kind] }

// overrideForms name the value of --set, --conn and --param in the usage.
var overrideForms = map[string]string{"set": "'PATH;VALUE'", "conn": "'NAME;STRING'", "param": "'NAME=VALUE'"}

func (f overrideFlag) Set(v string) error {
	if o, err := parseOverride(f.kind, v); err != nil {
		*f.errs = append(*f.errs, fmt.Errorf("--%s: %s", f.kind, runner.MaskSecrets(err.Error(), v)))
	} else {
		*f.list = append(*f.list, o)
	}
	return nil
}

// parseOverride reads the value of a --set, --conn or --param. Its errors
// do not quote the value; a --set path that does not parse is quoted, with
// its secrets masked by Set.
func parseOverride(kind, v string) (runner.Override, error) {
	var o runner.Override
	switch kind {
	case "set":
		path, value, ok := strings.Cut(v, ";")
		if !ok {
			return o, errors.New("want 'PATH;VALUE' (no ';' found), e.g. '\\Package.Variables[User::To].Properties[Value];ops@example.com'")
		}
		pp, err := override.ParsePath(path)
		if err != nil {
			return o, err
		}
		o.Set = &runner.Set{Path: pp, Value: value}
	case "conn":
		name, cs, ok := strings.Cut(v, ";")
		if !ok || strings.TrimSpace(name) == "" {
			return o, errors.New("want 'NAME;connection string', e.g. 'SMTP Connection Manager;SmtpServer=mail.example.com;'")
		}
		o.Conn = &runner.Conn{Name: strings.TrimSpace(name), ConnectionString: cs}
	case "param":
		name, value, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return o, errors.New("want 'NAME=VALUE', e.g. '$Package::Recipient=ops@example.com'")
		}
		o.Param = &runner.Param{Name: strings.TrimSpace(name), Value: value}
	}
	return o, nil
}

// runLogger builds the run's structured logger: JSON lines to a file, the
// console encoder on stderr with -v, both, or none.
func runLogger(file string, verbose bool, stderr io.Writer) (*zap.Logger, func(), error) {
	var cores []zapcore.Core
	closeFn := func() {}
	if file != "" {
		f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, nil, err
		}
		closeFn = func() { f.Close() }
		cores = append(cores, zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(f), zap.DebugLevel))
	}
	if verbose {
		cores = append(cores, zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), zapcore.AddSync(stderr), zap.DebugLevel))
	}
	if len(cores) == 0 {
		return zap.NewNop(), closeFn, nil
	}
	log := zap.New(zapcore.NewTee(cores...))
	return log, func() { log.Sync(); closeFn() }, nil
}

// runFlags are dtsx run's flags that are not a Job's field.
type runFlags struct {
	badOverrides []error
	unsupported  string
	pathMaps     []string
	logFile      string
	verbose      bool
}

// newRunCmd is dtsx run: one package, as dtexec would run it.
func newRunCmd() *cobra.Command {
	var job runner.Job
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] FILE",
		Short: "run a package (exit 0 success, 1 failure, 3 cancelled)",
		Long: `Runs a package (a .dtsx, or a package of an .ispac named by --package) as
dtexec would. --set, --conn and --param apply in command-line order, between
two applications of the package's own configurations.`,
		Args: argCount(1, 1, "package"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.unsupported != "fail" && f.unsupported != "skip" {
				return fmt.Errorf("--unsupported %q: want fail or skip", f.unsupported)
			}
			for _, pm := range f.pathMaps {
				rule, err := runtime.ParsePathRule(pm)
				if err != nil {
					return fmt.Errorf("--path-map: %w", err)
				}
				job.Paths.Rules = append(job.Paths.Rules, rule)
			}
			return exit(runPackage(job, f, args[0], cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	fs := cmd.Flags()
	projectFlag(fs, &job.Project)
	passwordFlag(fs, &job.Password)
	fs.StringVar(&job.Package, "package", "", "the package `NAME` to run of an .ispac (its file name, with or without .dtsx, or its name)")
	fs.StringVar(&job.Capture, "capture", "", "capture mode: deliver every mail to an embedded loopback server, saved as `DIR`/NNNN.eml")
	fs.Var(overrideFlag{&job.Overrides, &f.badOverrides, "conn"}, "conn", "replace the connection string of the connection manager NAME (or {DTSID}) with STRING (repeatable)")
	fs.Var(overrideFlag{&job.Overrides, &f.badOverrides, "set"}, "set", "set the property at PATH to VALUE before the run, as dtexec /Set does, e.g. '\\Package.Variables[User::To].Properties[Value];ops@example.com' (repeatable)")
	fs.Var(overrideFlag{&job.Overrides, &f.badOverrides, "param"}, "param", "give the parameter NAME ($Package::P, $Project::P or P) the VALUE (repeatable)")
	fs.StringVar(&job.CredentialsFile, "credentials", "", "credentials `FILE` (YAML or JSON, keyed by connection name)")
	fs.StringVar(&job.JSON, "json", "", "write the JSON report to `FILE` (-: standard output, the console then on standard error)")
	fs.StringVar(&job.HTML, "html", "", "write the report as one self-contained HTML page to `FILE` (executables, timeline, events, mails, rows, variables), whatever the run's result")
	fs.IntVar(&job.MaxConcurrent, "max-concurrent", 0, "run at most `N` executables at once (default: the package's MaxConcurrentExecutables)")
	fs.StringVar(&f.unsupported, "unsupported", "fail", "what a task not executable here does: `fail|skip` (fail the run, or be skipped while the rest runs)")
	fs.StringVar(&job.AllowedHosts, "allowed-hosts", "", "the `LIST` of hosts, addresses and CIDRs every connection (SMTP, database) may reach (default $DTSX_ALLOWED_HOSTS, and $DTSX_SMTP_ALLOWED_HOSTS)")
	fs.BoolVar(&job.ValidateOnly, "validate-only", false, "validate as the run would (configurations, overrides, expressions) and stop; nothing runs")
	fs.StringArrayVar(&f.pathMaps, "path-map", nil, "map a Windows path prefix to where it is on this machine, as `'C:\\Data=/srv/data'` (repeatable)")
	fs.StringVar(&job.Paths.UNCRoot, "unc-root", "", "`DIR` where \\\\server\\share paths are mounted (default /mnt)")
	fs.StringVar(&f.logFile, "log", "", "write the structured log (JSON lines, debug level) to `FILE`")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "the structured log on stderr, path mappings included")
	return cmd
}

// runPackage runs the job of dtsx run's flags on file; a --set, --conn or
// --param that does not parse is said here, its value masked, rather than
// by cobra, which would quote it.
func runPackage(job runner.Job, f runFlags, file string, stdout, stderr io.Writer) int {
	for _, err := range f.badOverrides {
		fmt.Fprintf(stderr, "dtsx run: %v\n", err)
	}
	if len(f.badOverrides) > 0 {
		return runner.ExitSyntax
	}
	job.File, job.Name, job.SkipUnsupported = file, "dtsx run", f.unsupported == "skip"
	job.Password = passwordOrEnv(job.Password)
	log, closeLog, err := runLogger(f.logFile, f.verbose, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dtsx run: --log: %v\n", err)
		return runner.ExitSyntax
	}
	defer closeLog()
	job.Logger = log
	if job.JSON != runner.JSONStdout && !f.verbose {
		job.Progress = stderr // drawn only if it is a terminal, and never with the log on it
	}
	return runner.Run(job, stdout, stderr)
}
