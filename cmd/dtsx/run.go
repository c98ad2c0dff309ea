package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/capture"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

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

// runReport is the JSON of `dtsx run --json FILE`.
type runReport struct {
	*runtime.Report
	ExitCode     int      `json:"exitCode"`
	CaptureFiles []string `json:"captureFiles,omitempty"`
}

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dtsx run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	project := fs.String("project", "", "project `PATH` (.dtproj, .ispac or folder)")
	var password string
	passwordFlag(fs, &password)
	captureDir := fs.String("capture", "", "capture mode: deliver every mail to an embedded loopback server, saved as `DIR`/NNNN.eml")
	var conns multiFlag
	fs.Var(&conns, "conn", "`'NAME;connection string'`: replace a connection manager's connection string (repeatable)")
	credFile := fs.String("credentials", "", "credentials `FILE` (YAML or JSON, keyed by connection name)")
	jsonOut := fs.String("json", "", "write the JSON report to `FILE`")
	maxConc := fs.Int("max-concurrent", 0, "executables run at once (default: the package's MaxConcurrentExecutables)")
	unsupported := fs.String("unsupported", "fail", "tasks not executable here: `fail` the run, or skip them")
	allowed := fs.String("allowed-hosts", "", "SMTP servers that may be reached (default $DTSX_SMTP_ALLOWED_HOSTS)")
	var sets, params multiFlag
	fs.Var(&sets, "set", "`'PATH;VALUE'`: set a property before the run, as dtexec /Set does, e.g. '\\Package.Variables[User::To].Properties[Value];ops@example.com' (repeatable)")
	fs.Var(&params, "param", "`'NAME=VALUE'`: a parameter's value ($Package::P, $Project::P or P) (repeatable)")
	var pathMaps multiFlag
	fs.Var(&pathMaps, "path-map", "`'C:\\Data=/srv/data'`: where a Windows path prefix is on this machine (repeatable)")
	uncRoot := fs.String("unc-root", "", "`DIR` where \\\\server\\share paths are mounted (default /mnt)")
	logFile := fs.String("log", "", "write the structured log (JSON lines, debug level) to `FILE`")
	verbose := fs.Bool("v", false, "verbose: the structured log on stderr, path mappings included")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(files) != 1 || (*unsupported != "fail" && *unsupported != "skip") {
		fmt.Fprintln(stderr, "usage: dtsx run [--capture DIR] [--conn 'NAME;STRING'] [--credentials FILE] [--json REPORT] [--max-concurrent N] [--unsupported fail|skip] FILE")
		return exitUsage
	}
	pkgs, pr, err := runtime.Open(files[0], *project, dtsx.Options{Password: passwordOrEnv(password)})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitCode(err)
	}
	if len(pkgs) != 1 {
		fmt.Fprintf(stderr, "dtsx run: %s holds %d packages; run one .dtsx at a time\n", files[0], len(pkgs))
		return exitUsage
	}
	for _, sv := range sets {
		path, value, ok := strings.Cut(sv, ";")
		if !ok {
			fmt.Fprintf(stderr, "dtsx run: --set %q: want 'PATH;VALUE'\n", sv)
			return exitUsage
		}
		pp, err := override.ParsePath(path)
		if err == nil {
			err = override.SetInProject(pkgs[0], pr, pp, value)
		}
		if err != nil {
			fmt.Fprintf(stderr, "dtsx run: --set: %v\n", err)
			return exitUsage
		}
	}
	paramValues := map[string]string{}
	for _, pv := range params {
		name, value, ok := strings.Cut(pv, "=")
		if !ok || strings.TrimSpace(name) == "" {
			fmt.Fprintf(stderr, "dtsx run: --param %q: want 'NAME=VALUE'\n", pv)
			return exitUsage
		}
		paramValues[strings.TrimSpace(name)] = value
	}
	paths := runtime.PathMap{UNCRoot: *uncRoot}
	for _, pm := range pathMaps {
		rule, err := runtime.ParsePathRule(pm)
		if err != nil {
			fmt.Fprintf(stderr, "dtsx run: --path-map: %v\n", err)
			return exitUsage
		}
		paths.Rules = append(paths.Rules, rule)
	}
	log, closeLog, err := runLogger(*logFile, *verbose, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dtsx run: --log: %v\n", err)
		return exitUsage
	}
	defer closeLog()
	rp := runtime.Build(pkgs[0], runtime.Options{Project: pr, Logger: log})

	creds, err := smtp.DefaultSources(nil, *credFile)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	var fence *smtp.Fence
	if *allowed != "" {
		if fence, err = smtp.ParseFence(*allowed); err != nil {
			fmt.Fprintln(stderr, err)
			return exitUsage
		}
	}
	for _, m := range rp.Connections.All() {
		if sm, ok := m.(*smtp.Manager); ok {
			sm.Run = smtp.Options{Credentials: creds, Fence: fence, Logger: log.Named("smtp")}
		}
	}
	for _, c := range conns {
		name, cs, ok := strings.Cut(c, ";")
		if !ok {
			fmt.Fprintf(stderr, "dtsx run: --conn %q: want 'NAME;connection string'\n", c)
			return exitUsage
		}
		m, err := rp.Connection(name)
		if err != nil {
			fmt.Fprintf(stderr, "dtsx run: --conn: %v\n", err)
			return exitUsage
		}
		if sm, ok := m.(*smtp.Manager); ok {
			if err := sm.SetConnectionString(cs); err != nil {
				fmt.Fprintf(stderr, "dtsx run: --conn: %v\n", err)
				return exitUsage
			}
		} else {
			m.Definition().ConnectionString = cs
		}
	}
	var cap *capture.Server
	if *captureDir != "" {
		if cap, err = capture.Start(*captureDir); err != nil {
			fmt.Fprintln(stderr, err)
			return exitUsage
		}
		defer cap.Close()
		cap.Redirect(rp.Connections.All())
		fmt.Fprintf(stdout, "Capture mode: mail goes to %s:%d and is saved in %s\n", cap.Host(), cap.Port(), *captureDir)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	fmt.Fprintf(stdout, "Started:  %s\nPackage:  %s (%s)\n", start.Format("3:04:05 PM"), rp.Def.Name, rp.Def.File)
	var mu sync.Mutex
	rep := rp.Execute(ctx, runtime.RunOptions{MaxConcurrent: *maxConc, SkipUnsupported: *unsupported == "skip", Paths: paths,
		Parameters: paramValues,
		OnEvent: func(e runtime.Event) {
			mu.Lock()
			defer mu.Unlock()
			switch e.Name {
			case "OnError":
				fmt.Fprintf(stdout, "Error: %s\n   Source: %s\n   Description: %s\nEnd Error\n", e.Time.Format("2006-01-02 15:04:05.00"), e.SourceRef, e.Message)
			case "OnWarning":
				fmt.Fprintf(stdout, "Warning: %s\n   Source: %s\n   Description: %s\nEnd Warning\n", e.Time.Format("2006-01-02 15:04:05.00"), e.SourceRef, e.Message)
			case "OnProgress":
				fmt.Fprintf(stdout, "Progress: %s\n   Source: %s\n   %s\nEnd Progress\n", e.Time.Format("2006-01-02 15:04:05.00"), e.SourceRef, e.Message)
			case "OnInformation":
				fmt.Fprintf(stdout, "Info: %s: %s\n", e.SourceRef, e.Message)
			case "OnPostExecute":
				fmt.Fprintf(stdout, "Progress: %s finished\n", e.SourceRef)
			}
		}})
	code := map[runtime.Status]int{runtime.Success: exitOK, runtime.Failure: exitFailure, runtime.Canceled: exitCancelled}[rep.Status]
	if rep.Status != runtime.Success && rep.Status != runtime.Canceled {
		code = exitFailure
	}
	if ctx.Err() != nil {
		code = exitCancelled
	}
	result := map[int]string{exitOK: "DTSER_SUCCESS (0)", exitFailure: "DTSER_FAILURE (1)", exitCancelled: "DTSER_CANCELED (3)"}[code]
	fmt.Fprintf(stdout, "DTExec: The package execution returned %s.\nStarted:  %s\nFinished: %s\nElapsed:  %.3f seconds\n",
		result, start.Format("3:04:05 PM"), time.Now().Format("3:04:05 PM"), time.Since(start).Seconds())
	if *jsonOut != "" {
		rr := runReport{Report: rep, ExitCode: code}
		if cap != nil {
			rr.CaptureFiles = cap.Files()
		}
		b, _ := json.MarshalIndent(rr, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintln(stderr, err)
			return exitUsage
		}
	}
	return code
}
