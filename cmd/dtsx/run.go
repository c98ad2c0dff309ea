package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

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

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dtsx run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var job runner.Job
	var badOverrides []error
	fs.StringVar(&job.Project, "project", "", "project `PATH` (.dtproj, .ispac or folder)")
	passwordFlag(fs, &job.Password)
	fs.StringVar(&job.Capture, "capture", "", "capture mode: deliver every mail to an embedded loopback server, saved as `DIR`/NNNN.eml")
	fs.Var(overrideFlag{&job.Overrides, &badOverrides, "conn"}, "conn", "`'NAME;connection string'`: replace a connection manager's connection string (repeatable)")
	fs.Var(overrideFlag{&job.Overrides, &badOverrides, "set"}, "set", "`'PATH;VALUE'`: set a property before the run, as dtexec /Set does, e.g. '\\Package.Variables[User::To].Properties[Value];ops@example.com' (repeatable)")
	fs.Var(overrideFlag{&job.Overrides, &badOverrides, "param"}, "param", "`'NAME=VALUE'`: a parameter's value ($Package::P, $Project::P or P) (repeatable)")
	fs.StringVar(&job.CredentialsFile, "credentials", "", "credentials `FILE` (YAML or JSON, keyed by connection name)")
	fs.StringVar(&job.JSON, "json", "", "write the JSON report to `FILE`")
	fs.IntVar(&job.MaxConcurrent, "max-concurrent", 0, "executables run at once (default: the package's MaxConcurrentExecutables)")
	unsupported := fs.String("unsupported", "fail", "tasks not executable here: `fail` the run, or skip them")
	fs.StringVar(&job.AllowedHosts, "allowed-hosts", "", "hosts, addresses and CIDRs every connection (SMTP, database) may reach (default $DTSX_ALLOWED_HOSTS, and $DTSX_SMTP_ALLOWED_HOSTS)")
	fs.BoolVar(&job.ValidateOnly, "validate-only", false, "validate as the run would (configurations, overrides, expressions) and stop; nothing runs")
	var pathMaps multiFlag
	fs.Var(&pathMaps, "path-map", "`'C:\\Data=/srv/data'`: where a Windows path prefix is on this machine (repeatable)")
	fs.StringVar(&job.Paths.UNCRoot, "unc-root", "", "`DIR` where \\\\server\\share paths are mounted (default /mnt)")
	logFile := fs.String("log", "", "write the structured log (JSON lines, debug level) to `FILE`")
	verbose := fs.Bool("v", false, "verbose: the structured log on stderr, path mappings included")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return runner.ExitSyntax
	}
	for _, err := range badOverrides {
		fmt.Fprintf(stderr, "dtsx run: %v\n", err)
	}
	if len(badOverrides) > 0 {
		return runner.ExitSyntax
	}
	if len(files) != 1 || (*unsupported != "fail" && *unsupported != "skip") {
		fmt.Fprintln(stderr, "usage: dtsx run [--capture DIR] [--conn 'NAME;STRING'] [--set 'PATH;VALUE'] [--param 'NAME=VALUE'] [--credentials FILE] [--json REPORT] [--max-concurrent N] [--unsupported fail|skip] FILE")
		return runner.ExitSyntax
	}
	job.File, job.Name, job.SkipUnsupported = files[0], "dtsx run", *unsupported == "skip"
	job.Password = passwordOrEnv(job.Password)
	for _, pm := range pathMaps {
		rule, err := runtime.ParsePathRule(pm)
		if err != nil {
			fmt.Fprintf(stderr, "dtsx run: --path-map: %v\n", err)
			return runner.ExitSyntax
		}
		job.Paths.Rules = append(job.Paths.Rules, rule)
	}
	log, closeLog, err := runLogger(*logFile, *verbose, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dtsx run: --log: %v\n", err)
		return runner.ExitSyntax
	}
	defer closeLog()
	job.Logger = log
	return runner.Run(job, stdout, stderr)
}
