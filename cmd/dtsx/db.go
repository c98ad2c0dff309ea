package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/fence"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/builtin"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

// dbProbe is one manager's result: a line of dtsx db probe, an entry of
// its JSON, a diagnostic of dtsx validate --connect.
type dbProbe struct {
	File       string `json:"file"`
	Connection string `json:"connection"`
	RefID      string `json:"refId"`
	Provider   string `json:"provider"`
	Server     string `json:"server"`
	// Product and Version are the server's answer.
	Product string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`
	// Millis is how long the probe took.
	Millis int64 `json:"ms"`
	// config is set when the connection string itself is wrong, which
	// offline validation reports already.
	config bool
}

// String is the probe's line.
func (p dbProbe) String() string {
	head := fmt.Sprintf("%s: connection manager %q (%s, %s): ", p.File, p.Connection, p.Provider, p.Server)
	if p.OK {
		return head + "ok: " + p.Product + " " + p.Version
	}
	// The error names the manager and the server already.
	return p.File + ": " + p.Error
}

// probeDatabases opens every database manager of rp whose name or DTSID
// is in only (all when empty), at most a few at once, each within
// timeout, and returns the results in the managers' order.
func probeDatabases(ctx context.Context, file string, rp *runtime.Package, opts database.Options, timeout time.Duration, only []string) []dbProbe {
	var ms []*database.Manager
	for _, m := range rp.Connections.All() {
		dm, ok := m.(*database.Manager)
		if !ok || !selected(dm.Def, only) {
			continue
		}
		ms = append(ms, dm)
	}
	out := make([]dbProbe, len(ms))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = probeDatabase(ctx, file, m, opts, timeout)
		}()
	}
	wg.Wait()
	return out
}

// selected reports whether def is one of the names or DTSIDs (all when
// there are none).
func selected(def *dtsx.ConnectionManager, only []string) bool {
	if len(only) == 0 {
		return true
	}
	for _, n := range only {
		n = strings.TrimSpace(n)
		if strings.EqualFold(n, def.Name) || (def.DTSID != "" && strings.EqualFold(strings.Trim(n, "{}"), strings.Trim(def.DTSID, "{}"))) {
			return true
		}
	}
	return false
}

// probeDatabase opens one session of m, asks the server's version and
// closes everything.
func probeDatabase(ctx context.Context, file string, m *database.Manager, opts database.Options, timeout time.Duration) dbProbe {
	cfg := m.Config()
	p := dbProbe{File: file, Connection: m.Def.Name, RefID: m.Def.RefID, Provider: cfg.Provider.String(), Server: cfg.Server()}
	start := time.Now()
	defer func() { p.Millis = time.Since(start).Milliseconds() }()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	opts = withDeadline(ctx, opts)
	if cfg.Provider.Family == database.FamilySQLite && cfg.Path != ":memory:" && len(cfg.Errors) == 0 {
		if _, err := os.Stat(cfg.Path); err != nil {
			p.Error = fmt.Sprintf("connection manager %q (SQLite, %s): the database file cannot be opened (%v); a run would create a missing one, a probe creates none",
				m.Def.Name, cfg.Path, errors.Unwrap(err))
			return p
		}
	}
	m = readOnly(m)
	defer m.Close()
	s, err := m.Acquire(ctx, opts)
	if err == nil {
		p.Product, p.Version, err = serverVersion(ctx, s)
		if err != nil {
			err = fmt.Errorf("connection manager %q (%s, %s): connected, but the server's version could not be read: %w",
				m.Def.Name, cfg.Provider.Family, cfg.Server(), err)
		}
		s.Release()
	}
	switch {
	case err == nil:
		p.OK = true
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		p.Error = joinLines(fmt.Sprintf("connection manager %q (%s, %s): no answer within %s: %v", m.Def.Name, cfg.Provider.Family, cfg.Server(), timeout, err))
	default:
		p.Error, p.config = joinLines(err.Error()), errors.Is(err, database.ErrConfig)
	}
	return p
}

// readOnly returns a manager of its own for the connection of m that
// creates no database file and changes none: on SQLite the file is opened
// read-only, and a missing one is a failure; another database's manager
// is m itself. The caller closes it.
func readOnly(m *database.Manager) *database.Manager {
	cfg := m.Config()
	if cfg.Provider.Family != database.FamilySQLite {
		return m
	}
	def := *m.Def
	def.ConnectionString = strings.TrimRight(cfg.ConnectionString(), "; ") + ";Read Only=True;FailIfMissing=True;"
	if r, err := database.New(&def); err == nil {
		return r
	}
	return m
}

// metadataChecker is a task that checks its components' external metadata
// against the database (the Data Flow task).
type metadataChecker interface {
	CheckExternalMetadata(ctx context.Context, env tasks.Env, open dftask.Opener) dtsx.Diagnostics
}

// checkMetadata checks the external metadata of every Data Flow task of
// rp, each database opened as a probe opens it (read-only, through the
// fence of opts, within timeout), and describes tables and commands
// without reading a row or running a task.
func checkMetadata(ctx context.Context, file string, rp *runtime.Package, opts database.Options, timeout time.Duration) dtsx.Diagnostics {
	open := func(ctx context.Context, m *database.Manager) (*database.Session, func(), error) {
		cfg := m.Config()
		if cfg.Provider.Family == database.FamilySQLite && cfg.Path != ":memory:" {
			if _, err := os.Stat(cfg.Path); err != nil {
				return nil, nil, err
			}
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		r := readOnly(m)
		s, err := r.Acquire(ctx, withDeadline(ctx, opts))
		if err != nil {
			cancel()
			r.Close()
			return nil, nil, err
		}
		return s, func() { s.Release(); r.Close(); cancel() }, nil
	}
	var out dtsx.Diagnostics
	rp.Def.Walk(func(x *dtsx.Executable) bool {
		if c, ok := rp.Tasks[x].(metadataChecker); ok {
			ds := c.CheckExternalMetadata(ctx, rp, open)
			for i := range ds {
				if ds[i].File == "" {
					ds[i].File = file
				}
			}
			out = append(out, ds...)
		}
		return true
	})
	return out
}

// withDeadline closes every connection of opts when ctx ends (the
// probe's timeout): a driver that bounds its login by its own timeout
// alone (the SQL Server driver's Connect Timeout, 15 s by default, which
// it sets as the deadline of each read) then fails at the probe's.
func withDeadline(ctx context.Context, opts database.Options) database.Options {
	dial := opts.Dial
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	opts.Dial = func(dctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		context.AfterFunc(ctx, func() { c.Close() })
		return c, nil
	}
	return opts
}

// joinLines joins the lines of a driver's message (pgx lists each address
// it tried), dropping repeated ones, so that a probe is one line.
func joinLines(s string) string {
	var parts []string
	seen := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !seen[l] {
			seen[l] = true
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// serverVersion asks the server of a session its product and version.
func serverVersion(ctx context.Context, s *database.Session) (string, string, error) {
	var version, detail string
	switch s.Config.Provider.Family {
	case database.FamilySQLServer:
		err := s.Conn.QueryRowContext(ctx, "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)), CAST(SERVERPROPERTY('Edition') AS nvarchar(128))").Scan(&version, &detail)
		return "Microsoft SQL Server", version + " (" + detail + ")", err
	case database.FamilyPostgreSQL:
		err := s.Conn.QueryRowContext(ctx, "SELECT current_setting('server_version')").Scan(&version)
		return "PostgreSQL", version, err
	case database.FamilySQLite:
		err := s.Conn.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&version)
		return "SQLite", version + " (embedded)", err
	}
	return "", "", fmt.Errorf("provider %s has no driver", s.Config.Provider)
}

// dbProbeFlags are dtsx db probe's flags.
type dbProbeFlags struct {
	commonFlags
	only    multiFlag
	allowed string
	timeout time.Duration
}

// newDBCmd is dtsx db, the parent of probe.
func newDBCmd() *cobra.Command {
	return parentCmd("db COMMAND", "database connection managers: probe", newDBProbeCmd())
}

// newDBProbeCmd is dtsx db probe: open each database connection of the
// packages, report the server and version.
func newDBProbeCmd() *cobra.Command {
	var f dbProbeFlags
	cmd := &cobra.Command{
		Use:   "probe [flags] FILE...",
		Short: "open each database connection, report the server and version",
		Long: `Opens each database connection manager (OLEDB, ADO.NET, ODBC) of the
packages as a run would, through the egress fence, asks the server its
product and version, and closes it: one line per manager, the server's
answer or the precise failure. It runs no SQL of the package and changes
no data. A manager with a password shows it masked.

exit codes: 0 every manager answered, 1 one did not, 3 cancelled,
4 file not found, 5 file cannot be loaded, 6 bad command line.`,
		Args: argCount(1, -1, "package"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.timeout <= 0 {
				return fmt.Errorf("--timeout %s: want a positive duration", f.timeout)
			}
			opts, err := probeOptions(f.allowed)
			if err != nil {
				return err
			}
			return exit(dbProbeFiles(args, f, opts, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	fs := cmd.Flags()
	f.add(fs, true)
	fs.Var(&f.only, "connection", "probe only this connection manager `NAME` or DTSID (repeatable)")
	fs.StringVar(&f.allowed, "allowed-hosts", "", "fence: the `LIST` of hosts, addresses and CIDRs that may be reached (default: $DTSX_ALLOWED_HOSTS and $DTSX_SMTP_ALLOWED_HOSTS)")
	fs.DurationVar(&f.timeout, "timeout", 15*time.Second, "the longest each connection may take")
	return cmd
}

// dbProbeFiles probes the database managers of every package of files.
func dbProbeFiles(files []string, f dbProbeFlags, opts database.Options, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := runner.ExitSuccess
	worse := func(c int) { code = max(code, c) }
	results := []dbProbe{}
	conns, tasks := connbuiltin.Connections(), builtin.Tasks()
	for _, file := range files {
		pkgs, project, err := runtime.Open(file, f.project, f.loadOptions())
		if err != nil {
			fmt.Fprintln(stderr, err)
			worse(runner.LoadExitCode(err))
			continue
		}
		for _, p := range pkgs {
			rp := runtime.Build(p, runtime.Options{Project: project, Connections: conns, Tasks: tasks})
			results = append(results, probeDatabases(ctx, p.File, rp, opts, f.timeout, f.only)...)
		}
	}
	for _, r := range results {
		if !r.OK {
			worse(runner.ExitFailure)
		}
	}
	if ctx.Err() != nil {
		code = runner.ExitCanceled
	}
	if f.json {
		writeJSON(stdout, struct {
			Connections []dbProbe `json:"connections"`
			ExitCode    int       `json:"exitCode"`
		}{results, code})
		return code
	}
	for _, r := range results {
		fmt.Fprintln(stdout, r)
	}
	if len(results) == 0 {
		fmt.Fprintln(stdout, "no database connection manager to probe")
	}
	return code
}

// diagnostic is the result as dtsx validate --connect reports it: an
// error for a failure, information for a server that answered.
func (p dbProbe) diagnostic() dtsx.Diagnostic {
	if p.OK {
		return dtsx.Diagnostic{Severity: dtsx.SeverityInfo, Code: CodeDBConnected, File: p.File, Path: p.RefID,
			Message: fmt.Sprintf("connection manager %q (%s, %s): connected to %s %s", p.Connection, p.Provider, p.Server, p.Product, p.Version)}
	}
	return dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: CodeDBConnectFailed, File: p.File, Path: p.RefID, Message: p.Error,
		Hint: "check the server, the login and the fence (DTSX_ALLOWED_HOSTS), or retarget the connection"}
}

// Diagnostic codes of dtsx validate --connect.
const (
	CodeDBConnected     = "db-connected"
	CodeDBConnectFailed = "db-connect-failed"
)

// probeOptions are the Options of a probe: the fence of --allowed-hosts,
// or of the environment.
func probeOptions(allowed string) (database.Options, error) {
	var f *fence.Fence
	var err error
	if allowed != "" {
		f, err = fence.ParseFrom("--allowed-hosts", allowed)
	} else {
		f, err = fence.FromEnv()
	}
	if err != nil {
		return database.Options{}, err
	}
	return runner.DatabaseOptions(f), nil
}
