package runner

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/connections/credentials"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/fence"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/capture"
	"github.com/dtsx-run/dtsx/internal/progress"
	"github.com/dtsx-run/dtsx/internal/report"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// Exit codes, with the meanings the dtexec utility's documentation gives
// them (section "Exit Codes Returned from dtexec Utility"). dtsx and
// dtexec both return these; neither command declares its own.
const (
	// ExitSuccess means the package ran and succeeded.
	ExitSuccess = 0
	// ExitFailure means the package ran, or was validated, and failed.
	ExitFailure = 1
	// ExitCanceled means the run was cancelled (an interrupt or SIGTERM).
	ExitCanceled = 3
	// ExitNotFound means the package could not be found: no such file,
	// or no such package in the project.
	ExitNotFound = 4
	// ExitNotLoad means the package was found but could not be loaded: a
	// malformed file, a wrong password, a build, package ID or version ID
	// that does not verify.
	ExitNotLoad = 5
	// ExitSyntax means the command line is wrong, in its syntax or its
	// meaning, or the command failed for an internal reason.
	ExitSyntax = 6
)

// JSONStdout is the Job.JSON that writes the report to standard output.
const JSONStdout = "-"

// Override is one change the command line makes to the package, applied
// in command-line order: exactly one field is set.
type Override struct {
	// ConfigFile is a .dtsConfig to apply (dtexec /ConfigFile).
	ConfigFile string
	// Set is a property path and its value (dtexec /Set, dtsx --set).
	Set *Set
	// Conn replaces a connection manager's connection string, by name or
	// {GUID} (dtexec /Conn, dtsx --conn).
	Conn *Conn
	// Param gives a parameter's value: "$Package::P", "$Project::P" or a
	// bare name (dtexec /Par, dtsx --param).
	Param *Param
}

// Set is a /Set.
type Set struct {
	Path  override.Path
	Value string
}

// Conn is a /Conn.
type Conn struct{ Name, ConnectionString string }

// Param is a /Par of a parameter.
type Param struct{ Name, Value string }

// Job is one run.
type Job struct {
	File, Project, Password string
	// Package names the package to run in an .ispac File (dtexec /Pack).
	Package   string
	Overrides []Override
	// Capture, when set, is capture mode's folder.
	Capture         string
	CredentialsFile string
	// AllowedHosts, when set, is the egress fence of every outbound
	// connection (SMTP and database), in place of DTSX_ALLOWED_HOSTS and
	// DTSX_SMTP_ALLOWED_HOSTS.
	AllowedHosts    string
	Paths           runtime.PathMap
	MaxConcurrent   int
	SkipUnsupported bool
	ValidateOnly    bool
	WarnAsError     bool
	// JSON, when set, is the file the JSON report goes to; "-" is
	// standard output, and the console then goes to standard error.
	JSON string
	// HTML, when set, is the file the HTML report goes to (internal/report),
	// written whatever the run's result.
	HTML string
	// Progress, when set and a terminal, shows the run's live progress
	// line (internal/progress); nothing is drawn on a writer that is not
	// a terminal.
	Progress io.Writer
	Logger   *zap.Logger
	// Show says which events the console shows; nil shows errors,
	// warnings, information and progress.
	Show func(runtime.Event) bool
	// Log, when set, sees every event too, with the console's writer
	// (dtexec /ConsoleLog).
	Log func(io.Writer, runtime.Event)
	// Banner is printed first (dtexec's copyright lines), if any.
	Banner string
	// Name prefixes the command's own messages ("dtsx run", "dtexec").
	Name string
	// Env looks environment variables up (configurations); nil means
	// os.LookupEnv.
	Env func(string) (string, bool)
	// Spelling spells the options that messages recommend as the command
	// does (dtexec's /Unsupported skip, not dtsx's --unsupported skip); nil
	// keeps dtsx run's.
	Spelling runtime.Spelling
	// Verify is what the package must be (dtexec /VerifyBuild,
	// /VerifyPackageID, /VerifyVersionID); a package that is not is not
	// loaded: exit code ExitNotLoad, nothing runs.
	Verify Verify
	// DumpOnError, when set, writes a Dump of the run to DumpDir (the
	// current directory when empty) if any error event occurred, and
	// prints its path (dtexec /DumpOnError).
	DumpOnError bool
	DumpDir     string
}

// Report is the JSON report: the run's report, the exit code and the
// captured files.
type Report struct {
	*runtime.Report
	ExitCode     int      `json:"exitCode"`
	CaptureFiles []string `json:"captureFiles,omitempty"`
}

// Run runs a job and returns dtexec's exit code.
func Run(job Job, stdout, stderr io.Writer) int {
	jsonOut := stdout
	if job.JSON == JSONStdout {
		stdout = stderr
	}
	stdout, flush, done := buffered(stdout)
	defer done()
	if job.Logger == nil {
		job.Logger = zap.NewNop()
	}
	if job.Env == nil {
		job.Env = os.LookupEnv
	}
	secrets := job.secrets(nil, nil)
	fail := func(code int, err error) int {
		flush() // what came before the error shows before it
		fmt.Fprintf(stderr, "%s: %s\n", job.Name, mask(err.Error(), secrets))
		return code
	}
	if job.Banner != "" {
		fmt.Fprint(stdout, job.Banner)
	}
	job, err := job.WithEnvPaths()
	if err != nil {
		return fail(ExitSyntax, err)
	}
	pkgs, pr, err := runtime.Open(job.File, job.Project, dtsx.Options{Password: job.Password})
	if err != nil {
		flush()
		fmt.Fprintln(stderr, mask(err.Error(), secrets))
		return LoadExitCode(err)
	}
	if job.Package != "" {
		var names []string
		var found *dtsx.Package
		for _, p := range pkgs {
			base := strings.TrimSuffix(filepath.Base(p.File), filepath.Ext(p.File))
			if strings.EqualFold(base, strings.TrimSuffix(job.Package, ".dtsx")) || strings.EqualFold(p.Name, job.Package) {
				found = p
			}
			names = append(names, base+".dtsx")
		}
		if found == nil {
			return fail(ExitNotFound, fmt.Errorf("%s has no package %q; it has %s", job.File, job.Package, strings.Join(names, ", ")))
		}
		pkgs = []*dtsx.Package{found}
	}
	if len(pkgs) != 1 {
		var names []string
		for _, p := range pkgs {
			names = append(names, filepath.Base(p.File))
		}
		return fail(ExitSyntax, fmt.Errorf("%s holds %d packages (%s); name the one to run with %s NAME",
			job.File, len(pkgs), strings.Join(names, ", "), job.Spelling.Of("--package")))
	}
	pkg := pkgs[0]
	prep, code, err := job.Prepare(pkg, pr)
	if err != nil {
		flush()
		fmt.Fprintf(stderr, "%s: %s\n", job.Name, err)
		return code
	}
	secrets = prep.secrets
	rp, diags := prep.Build, prep.Diagnostics
	var cap *capture.Server
	if job.Capture != "" {
		if cap, err = capture.Start(job.Capture); err != nil {
			return fail(ExitSyntax, err)
		}
		defer cap.Close()
		fmt.Fprintf(stdout, "Capture mode: mail stays in this process (no port is opened) and is saved in %s\n", job.Capture)
		for _, w := range cap.Warnings() {
			fmt.Fprintf(stdout, "Warning: %s\n", w)
		}
	}
	// redirect points each package's SMTP managers (the package run's, and
	// each child package's an Execute Package Task runs) at capture mode.
	redirect := func(rp *runtime.Package) {
		if cap != nil {
			cap.Redirect(rp.Connections.All())
		}
	}
	redirect(rp)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	fmt.Fprintf(stdout, "Started:  %s\nPackage:  %s (%s)\n", start.Format("3:04:05 PM"), rp.Def.Name, rp.Def.File)
	show := job.Show
	if show == nil {
		// The Data Flow task's log entries are for /Reporting D and the log.
		show = func(e runtime.Event) bool { return !dataflow.IsLogEntry(e.Name) }
	}
	con := &console{w: stdout, show: show, log: job.Log, keepErrors: job.DumpOnError}
	for _, d := range diags {
		con.event(runtime.Event{Name: eventOf(d.Severity), Source: rp.Def.Name, SourceRef: d.Path, Time: time.Now(), Message: d.String()})
	}
	opts := prep.RunOptions(con.event, redirect)
	var line *progress.Line
	if job.Progress != nil && !job.ValidateOnly {
		line = progress.New(job.Progress, countExecutables(rp.Def.Executable))
	}
	if line != nil {
		opts.OnEvent = func(e runtime.Event) {
			line.Event(e)
			if show(e) {
				line.Clear() // the console's line goes where the progress line was
			}
			con.event(e)
		}
		opts.OnRecord = line.Record
		line.Start()
	}
	rep := rp.Execute(ctx, opts)
	line.Done()
	code = ExitFailure
	switch {
	case ctx.Err() != nil || rep.Status == runtime.Canceled:
		code = ExitCanceled
	case rep.Status == runtime.Success:
		code = ExitSuccess
	}
	result := map[int]string{ExitSuccess: "DTSER_SUCCESS (0)", ExitFailure: "DTSER_FAILURE (1)", ExitCanceled: "DTSER_CANCELED (3)"}[code]
	verb := "execution"
	if job.ValidateOnly {
		verb = "validation"
	}
	fmt.Fprintf(stdout, "DTExec: The package %s returned %s.\nStarted:  %s\nFinished: %s\nElapsed:  %.3f seconds\n",
		verb, result, start.Format("3:04:05 PM"), time.Now().Format("3:04:05 PM"), time.Since(start).Seconds())
	printSkipped(stdout, rep.Skipped, job.Spelling)
	if job.DumpOnError && con.errorCount > 0 {
		d := Dump{Report: Report{Report: rep, ExitCode: code}, ErrorEvents: con.errors, ErrorCount: con.errorCount}
		if cap != nil {
			d.CaptureFiles = cap.Files()
		}
		for i := range d.ErrorEvents {
			d.ErrorEvents[i].Message = mask(d.ErrorEvents[i].Message, secrets)
		}
		path := dumpName(job.DumpDir, job.Name, rp.Def.Name, start)
		if err := writeDump(path, d); err != nil {
			flush()
			fmt.Fprintf(stderr, "%s: debug dump: %s\n", job.Name, mask(err.Error(), secrets))
		} else {
			fmt.Fprintf(stdout, "Debug dump: %s (the run's report and its %d error events)\n", path, con.errorCount)
		}
	}
	if job.HTML != "" {
		d := report.Data{Report: rep, ExitCode: code, Mask: func(s string) string { return mask(s, secrets) }}
		if cap != nil {
			d.CaptureFiles = cap.Files()
		}
		if err := report.WriteFile(job.HTML, d); err != nil {
			return fail(ExitSyntax, err)
		}
	}
	if job.JSON != "" {
		r := Report{Report: rep, ExitCode: code}
		if cap != nil {
			r.CaptureFiles = cap.Files()
		}
		b, _ := json.MarshalIndent(r, "", "  ")
		b = append(b, '\n')
		if job.JSON == JSONStdout {
			flush()
			if _, err := jsonOut.Write(b); err != nil {
				return fail(ExitSyntax, err)
			}
		} else if err := os.WriteFile(job.JSON, b, 0o644); err != nil {
			return fail(ExitSyntax, err)
		}
	}
	return code
}

// fence returns the egress fence of the run: --allowed-hosts when given,
// else DTSX_ALLOWED_HOSTS and DTSX_SMTP_ALLOWED_HOSTS (nil when none is
// set).
func (job Job) fence() (*fence.Fence, error) {
	if job.AllowedHosts != "" {
		return fence.ParseFrom(job.Spelling.Of("--allowed-hosts"), job.AllowedHosts)
	}
	lookup := job.Env
	if lookup == nil {
		lookup = os.LookupEnv
	}
	return fence.FromLookup(lookup)
}

// credentials returns the credential chains of the SMTP and the database
// managers: one credentials file (--credentials) serves both, and each
// kind reads its own environment variables (DTSX_SMTP_…, DTSX_DB_…).
func (job Job) credentials() (smtp.CredentialSource, credentials.Source, error) {
	creds, err := smtp.DefaultCredentials(nil, job.CredentialsFile)
	if err != nil {
		return nil, nil, err
	}
	dbCreds, err := database.DefaultCredentials(nil, job.CredentialsFile)
	if err != nil {
		return nil, nil, err
	}
	return creds, dbCreds, nil
}

// prepareConnections sets what the connection managers of rp connect
// with: the SMTP managers' credentials and fence, the database managers'
// credentials (for Windows logins) and fence.
func (job Job) prepareConnections(rp *runtime.Package, creds smtp.CredentialSource, dbCreds credentials.Source, egress *fence.Fence) {
	for _, m := range rp.Connections.All() {
		switch m := m.(type) {
		case *smtp.Manager:
			m.Run = smtp.Options{Credentials: creds, Fence: egress, Logger: job.Logger.Named("smtp"), Spell: job.Spelling}
		case *database.Manager:
			m.Run = DatabaseOptions(egress)
			m.Run.Credentials = dbCreds
		}
	}
}

// DatabaseOptions are the Options a database manager acquires sessions
// with behind the fence f (nil: no fence).
func DatabaseOptions(f *fence.Fence) database.Options {
	if f == nil {
		return database.Options{}
	}
	return database.Options{Allow: f.Allow}
}

// LoadExitCode maps a load error to dtexec's exit code: 4 for a file that
// is not there, 5 for one that cannot be loaded (a wrong password
// included).
func LoadExitCode(err error) int {
	var de *dtsx.Error
	if errors.As(err, &de) && de.Code == dtsx.CodeNotFound {
		return ExitNotFound
	}
	return ExitNotLoad
}

func eventOf(s dtsx.Severity) string {
	switch s {
	case dtsx.SeverityError:
		return "OnError"
	case dtsx.SeverityWarning:
		return "OnWarning"
	}
	return "OnInformation"
}

// applyOverride applies one command-line override to the model (or, for a
// parameter, to the values the run starts with) and returns the property
// expressions that will replace what it set.
func applyOverride(pkg *dtsx.Package, pr *dtsx.Project, o Override, params map[string]string, job Job) ([]override.Replacement, error) {
	switch {
	case o.ConfigFile != "":
		data, err := os.ReadFile(o.ConfigFile)
		if err != nil {
			return nil, fmt.Errorf("configuration file: %w", err)
		}
		cf, err := dtsx.LoadConfigFile(o.ConfigFile, data)
		if err != nil {
			return nil, err
		}
		for _, d := range override.ApplyConfigFile(pkg, runtime.OverrideTypes(runtime.Options{}), cf) {
			if d.Severity == dtsx.SeverityError {
				return nil, fmt.Errorf("configuration file %s: %s", o.ConfigFile, d.String())
			}
			job.Logger.Warn("configuration", zap.String("file", o.ConfigFile), zap.String("problem", d.String()))
		}
	case o.Set != nil:
		replaced, err := override.Apply(pkg, pr, runtime.OverrideTypes(runtime.Options{}), o.Set.Path, o.Set.Value)
		if err != nil {
			return nil, fmt.Errorf("set %s: %w", o.Set.Path, err)
		}
		return replaced, nil
	case o.Conn != nil:
		if err := checkConnName(pkg, pr, *o.Conn); err != nil {
			return nil, err
		}
		p, err := override.ParsePath(`\Package.Connections[` + o.Conn.Name + `].Properties[ConnectionString]`)
		var replaced []override.Replacement
		if err == nil {
			replaced, err = override.Apply(pkg, pr, runtime.OverrideTypes(runtime.Options{}), p, o.Conn.ConnectionString)
		}
		if err != nil {
			return nil, fmt.Errorf("connection %s: %w", o.Conn.Name, err)
		}
		return replaced, nil
	case o.Param != nil:
		params[o.Param.Name] = o.Param.Value
	}
	return nil, nil
}

// console prints events as dtexec does. With keepErrors, it keeps the
// error events for a Dump.
type console struct {
	mu         sync.Mutex
	w          io.Writer
	show       func(runtime.Event) bool
	log        func(io.Writer, runtime.Event)
	keepErrors bool
	errors     []runtime.Event
	errorCount int
}

func (c *console) event(e runtime.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keepErrors && e.Name == "OnError" {
		c.errorCount++
		if len(c.errors) < maxDumpEvents {
			c.errors = append(c.errors, e)
		}
	}
	if c.log != nil {
		c.log(c.w, e)
	}
	if !c.show(e) {
		return
	}
	ts := e.Time.Format("2006-01-02 15:04:05.00")
	switch e.Name {
	case "OnError":
		fmt.Fprintf(c.w, "Error: %s\n   Source: %s\n   Description: %s\nEnd Error\n", ts, e.SourceRef, e.Message)
	case "OnWarning":
		fmt.Fprintf(c.w, "Warning: %s\n   Source: %s\n   Description: %s\nEnd Warning\n", ts, e.SourceRef, e.Message)
	case "OnProgress":
		fmt.Fprintf(c.w, "Progress: %s\n   Source: %s\n   %s\nEnd Progress\n", ts, e.SourceRef, e.Message)
	case "OnInformation":
		fmt.Fprintf(c.w, "Info: %s: %s\n", e.SourceRef, e.Message)
	case "OnPostExecute":
		fmt.Fprintf(c.w, "Progress: %s finished\n", e.SourceRef)
	default:
		if dataflow.IsLogEntry(e.Name) {
			fmt.Fprintf(c.w, "%s: %s: %s\n", e.Name, e.SourceRef, e.Message)
		}
	}
}

// Levels of what the console shows, as dtexec's /Reporting letters.
func Shows(levels string) func(runtime.Event) bool {
	levels = strings.ToUpper(levels)
	return func(e runtime.Event) bool {
		switch e.Name {
		case "OnError", "OnTaskFailed":
			return strings.ContainsAny(levels, "EV")
		case "OnWarning":
			return strings.ContainsAny(levels, "WV")
		case "OnInformation":
			return strings.ContainsAny(levels, "IV")
		case "OnProgress", "OnPostExecute":
			return strings.ContainsAny(levels, "PV")
		}
		if dataflow.IsLogEntry(e.Name) {
			return strings.ContainsAny(levels, "DV")
		}
		return strings.Contains(levels, "V")
	}
}

// buffered returns stdout buffered when it is not a terminal (a file, a
// pipe), flushed at least every 200 ms, by flush, and by done, which ends
// the flushing: a run sending thousands of mails writes thousands of
// lines. A terminal gets each line at once.
func buffered(w io.Writer) (_ io.Writer, flush, done func()) {
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return w, func() {}, func() {}
		}
	}
	bw := &flushWriter{w: bufio.NewWriterSize(w, 64<<10)}
	stop, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				bw.Flush()
			case <-stop:
				return
			}
		}
	}()
	return bw, bw.Flush, func() { close(stop); <-ended; bw.Flush() }
}

// flushWriter is a bufio.Writer safe for the console and the flusher.
type flushWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (f *flushWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.w.Write(p)
}

func (f *flushWriter) Flush() {
	f.mu.Lock()
	f.w.Flush()
	f.mu.Unlock()
}

// countExecutables counts x and the executables it contains, event
// handlers left out: the total of the progress line.
func countExecutables(x *dtsx.Executable) int {
	n := 1
	for _, c := range x.Executables {
		n += countExecutables(c)
	}
	return n
}
