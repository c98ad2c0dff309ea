package assess

import "github.com/dtsx-run/dtsx/dtsx"

// Verdict is what a run of a package would do here.
type Verdict string

// The verdicts, from best to worst.
const (
	// RunsAsIs: the run's preflight finds nothing to stop it and the
	// package needs nothing of this machine it does not have.
	RunsAsIs Verdict = "runs-as-is"
	// AfterConfiguration: nothing blocks the package, but it runs only once
	// what its Needs list is given (credentials, parameter values, path
	// mappings, secrets, servers).
	AfterConfiguration Verdict = "runs-after-configuration"
	// Blocked: the run refuses the package before it starts, for the
	// Blockers listed (tasks or components this runtime cannot execute, or
	// another validation error).
	Blocked Verdict = "blocked"
	// NotLoaded: the package (or its project) does not load, or the
	// command line's overrides cannot be applied to it (a --conn naming a
	// manager it does not have); LoadError says why.
	NotLoaded Verdict = "not-loaded"
)

// Result is one assessment: a verdict per package and the project view.
type Result struct {
	// Version is the version of this JSON form (1).
	Version int `json:"version"`
	// Capture says the verdicts assume capture mode (--capture): mail goes
	// to the run's embedded server, so SMTP servers and their credentials
	// need nothing.
	Capture  bool      `json:"capture"`
	Packages []Package `json:"packages"`
	Project  Project   `json:"project"`
	Summary  Summary   `json:"summary"`
}

// Package is the assessment of one package.
type Package struct {
	// File is the package's file (for a package of an .ispac, the .ispac
	// and the package's name in it: "Demo.ispac/Main.dtsx").
	File string `json:"file"`
	// Name is the package's name (its ObjectName); empty when it did not load.
	Name    string  `json:"name,omitempty"`
	Verdict Verdict `json:"verdict"`
	// LoadError is why the package did not load (NotLoaded).
	LoadError string `json:"loadError,omitempty"`
	// Needs is the configuration the package needs, in a stable order.
	Needs []Need `json:"needs"`
	// Blockers are what stops the run (Blocked).
	Blockers []Blocker `json:"blockers"`
	// Connections are the connection managers its enabled tasks use.
	Connections []Connection `json:"connections"`
	// Diagnostics are everything the run's preflight reported (secrets
	// masked), or the load error's, and those of Options.Extra: what
	// `dtsx validate` prints. They are not in the JSON of assess.
	Diagnostics dtsx.Diagnostics `json:"-"`
	// ExitCode is the exit code a run would end with at once: 4 or 5 for a
	// package that does not load (runner.LoadExitCode), else 0.
	ExitCode int `json:"-"`
}

// Need kinds.
const (
	NeedCredentials = "credentials"
	NeedParameter   = "parameter"
	NeedPath        = "path"
	NeedSecret      = "secret"
	NeedServer      = "server"
)

// Need is one thing to configure before the package runs.
type Need struct {
	// Kind is one of the Need constants.
	Kind string `json:"kind"`
	// Subject is what it concerns: a connection manager's name, a
	// parameter ($Package::P), a Windows path, a host.
	Subject string `json:"subject"`
	// Path is the element it was found on (a refId or a property path).
	Path string `json:"path,omitempty"`
	// Detail says what to give, and how.
	Detail string `json:"detail"`
}

// Blocker kinds.
const (
	// BlockerTask is a task or container this runtime does not execute.
	BlockerTask = "task"
	// BlockerComponent is a data-flow component it cannot build.
	BlockerComponent = "component"
	// BlockerError is another error the run's validation stops on.
	BlockerError = "error"
)

// Blocker is one thing that stops the run.
type Blocker struct {
	Kind string `json:"kind"`
	// Type is the task's or component's type, by its usual name ("Script
	// Task", "Script Component"), or an error's code.
	Type string `json:"type"`
	// Name is the task's or component's name.
	Name string `json:"name,omitempty"`
	// Path is the refId of the task, or the component's path
	// (Package\Data Flow Task\Script Component).
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Connection is a connection manager a package uses.
type Connection struct {
	Name string `json:"name"`
	// Type is its CreationName (OLEDB, ADO.NET:..., SMTP, FLATFILE).
	Type string `json:"type"`
	// Server is the host (and instance or port) it reaches, or the file it
	// names; empty when it names none.
	Server string `json:"server,omitempty"`
	// Kind is what the manager reaches: "database", "smtp", "file" or
	// "other".
	Kind string `json:"kind"`
	// Host is the server a database or SMTP manager reaches, and Refused
	// says the egress fence does not let a run reach it.
	Host    string `json:"host,omitempty"`
	Refused bool   `json:"refused,omitempty"`
	// Project is true for a project connection manager (.conmgr).
	Project bool `json:"project,omitempty"`
}

// Project is the view across packages.
type Project struct {
	// Blockers groups the blockers by kind and type, most packages first.
	Blockers []BlockerGroup `json:"blockers"`
	// Connections groups the connection managers by name, type and server.
	Connections []ConnectionUse `json:"connections"`
	// Servers are the hosts the packages reach, with the connection type.
	Servers []ServerUse `json:"servers"`
	// Needs groups what the packages need by kind and subject.
	Needs []NeedGroup `json:"needs"`
}

// BlockerGroup is one type of blocker across packages ("Script Task: 14
// packages").
type BlockerGroup struct {
	Kind string `json:"kind"`
	Type string `json:"type"`
	// Count is the number of blockers of the type, Packages the files
	// that have one.
	Count    int      `json:"count"`
	Packages []string `json:"packages"`
}

// ConnectionUse is one connection manager and the packages using it.
type ConnectionUse struct {
	Connection
	Packages []string `json:"packages"`
}

// ServerUse is one server and the packages reaching it.
type ServerUse struct {
	Host string `json:"host"`
	// Kind is "database" or "smtp".
	Kind string `json:"kind"`
	// Allowed says whether the egress fence lets a run reach it.
	Allowed  bool     `json:"allowed"`
	Packages []string `json:"packages"`
}

// NeedGroup is one need across packages.
type NeedGroup struct {
	Kind     string   `json:"kind"`
	Subject  string   `json:"subject"`
	Detail   string   `json:"detail"`
	Packages []string `json:"packages"`
}

// Summary counts the verdicts.
type Summary struct {
	Packages           int `json:"packages"`
	RunsAsIs           int `json:"runsAsIs"`
	AfterConfiguration int `json:"afterConfiguration"`
	Blocked            int `json:"blocked"`
	NotLoaded          int `json:"notLoaded"`
	// ExitCode is the command's: 1 when a package is blocked or does not
	// load, else 0.
	ExitCode int `json:"exitCode"`
}
