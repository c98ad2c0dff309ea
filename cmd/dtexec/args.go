// Command dtexec runs SSIS packages with the command line of Microsoft's
// dtexec utility: /F[ile], /Set, /Conn[ection], /Conf[igFile], /Va[lidate],
// /Rep[orting], /De[crypt], /Proj[ect] with /Pack[age], ... and its exit
// codes 0, 1, 3, 4, 5 and 6.
//
// This file is the command-line parser. No flag library reads dtexec's
// syntax: options start with / or -, are case-insensitive and may be
// abbreviated as documented (/F, /Fi, /Fil, /File); values follow after a
// space; values made of several parts separate them with ';', and quote a
// part with double quotes, a doubled quote standing for one. The last of a
// repeated option wins, except /Set, /Conn, /Par, /ConfigFile, /L and
// /ConsoleLog, which accumulate in order.
package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// passwordEnv gives the package password when /De[crypt] does not (the same
// variable as dtsx.PasswordEnv).
const passwordEnv = "SSIS_PACKAGE_DECRYPT"

// Secret is a value never to be printed: its String is a mask.
type Secret string

// String returns a mask, or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "********"
}

// GoString is String, so that %#v does not show the secret either.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Options is what a dtexec command line asks for. Seq fields number the
// /Set, /Conn, /Par and /ConfigFile options in command-line order, which is
// the order they are applied in (see Overrides).
type Options struct {
	// File is the package of /F[ile].
	File string
	// Project and Package are /Proj[ect] (an .ispac) and /Pack[age] (a
	// package name inside it).
	Project string
	Package string

	Sets        []Set
	Conns       []Conn
	Params      []Param
	ConfigFiles []ConfigFile

	Validate    bool // /Va[lidate]
	WarnAsError bool // /W[arnAsError]
	Reporting   Reporting
	ConsoleLog  ConsoleLog
	Loggers     []Logger // /L[ogger], text and XML file providers only

	// Decrypt is the package password: /De[crypt], else the
	// SSIS_PACKAGE_DECRYPT environment variable. DecryptFrom says which
	// ("/Decrypt", "SSIS_PACKAGE_DECRYPT" or "").
	Decrypt     Secret
	DecryptFrom string

	// MaxConcurrent is /M[axConcurrent]: -1 (processors + 2) or a positive
	// number; 0 when not given.
	MaxConcurrent int

	// SkipUnsupported is /Un[supported] skip: the tasks this runtime
	// cannot execute are skipped rather than refusing the run. It is this
	// implementation's option, not Microsoft's (whose dtexec executes
	// every stock task).
	SkipUnsupported bool

	Sum       bool   // /Su[m]
	Help      bool   // /? or /H[elp]
	HelpTopic string // the option named after /? or /H, if any

	// CheckpointFile is /CheckF[ile]; CheckpointFileSet says it was given
	// (an empty file name is meaningful: no checkpoint file).
	CheckpointFile    string
	CheckpointFileSet bool
	// Checkpointing is /CheckP[ointing]: "on", "off" or "" when not given.
	Checkpointing string
	// Restart is /Res[tart]: "deny", "force", "ifPossible" or "".
	Restart string

	// VLog is /VLog, with its optional file.
	VLog     bool
	VLogFile string

	VerifyBuild     []int64 // /VerifyB[uild] major[;minor[;build]]
	VerifyPackageID string  // /VerifyP[ackageID]
	VerifyVersionID string  // /VerifyV[ersionID]

	Dump        []string // /Dump codes
	DumpOnError bool     // /DumpOnError
	CallerInfo  string   // /Ca[llerInfo]

	seq int
}

// Set is one /Set [$Sensitive::]propertyPath;value.
type Set struct {
	Path      string // the property path as given, without $Sensitive::
	Value     string
	Sensitive bool
	// Target is Path parsed.
	Target override.Path
	Seq    int
}

// Conn is one id_or_name;connection_string pair of /Conn[ection].
type Conn struct {
	// Name is the connection manager's name or {GUID}.
	Name             string
	ConnectionString string
	Seq              int
}

// Parameter scopes of /Par.
const (
	ScopePackage    = "Package"
	ScopeProject    = "Project"
	ScopeConnection = "Connection" // CM.<name>.<property>
)

// Param is one /Par[ameter] [$Package::|$Project::]name[(type)];value or
// CM.<connection>.<property>;value.
type Param struct {
	Scope string // ScopePackage (the default), ScopeProject or ScopeConnection
	// Name is the parameter's name, or the connection manager's name for
	// ScopeConnection.
	Name string
	// Property is the connection manager property of ScopeConnection.
	Property string
	// Type is the CLR TypeCode given in parentheses (Int32, Boolean, ...),
	// or "".
	Type  string
	Value string
	Seq   int
}

// ConfigFile is one /Conf[igFile].
type ConfigFile struct {
	Path string
	Seq  int
}

// Override is one of /Set, /Conn, /Par or /ConfigFile; exactly one field is
// set.
type Override struct {
	Set        *Set
	Conn       *Conn
	Param      *Param
	ConfigFile *ConfigFile
}

// Overrides returns the /Set, /Conn, /Par and /ConfigFile options in
// command-line order: "/Set and /ConfigFile options are processed in the
// order they are encountered".
func (o *Options) Overrides() []Override {
	out := make([]Override, o.seq)
	for i := range o.Sets {
		out[o.Sets[i].Seq] = Override{Set: &o.Sets[i]}
	}
	for i := range o.Conns {
		out[o.Conns[i].Seq] = Override{Conn: &o.Conns[i]}
	}
	for i := range o.Params {
		out[o.Params[i].Seq] = Override{Param: &o.Params[i]}
	}
	for i := range o.ConfigFiles {
		out[o.ConfigFiles[i].Seq] = Override{ConfigFile: &o.ConfigFiles[i]}
	}
	return out
}

func (o *Options) next() int {
	o.seq++
	return o.seq - 1
}

// ReportLevel is a set of /Rep[orting] levels.
type ReportLevel uint8

// Reporting levels; ReportNone (N) is the empty set.
const (
	ReportErrors   ReportLevel = 1 << iota // E
	ReportWarnings                         // W
	ReportInfo                             // I
	ReportCustom                           // C
	ReportDataFlow                         // D
	ReportProgress                         // P
	ReportVerbose                          // V: everything

	ReportNone    ReportLevel = 0
	ReportDefault             = ReportErrors | ReportWarnings | ReportProgress
)

const reportLetters = "EWICDPV"

// String returns the levels as /Rep writes them ("EWP", "N", "V").
func (l ReportLevel) String() string {
	if l == ReportNone {
		return "N"
	}
	var b strings.Builder
	for i := 0; i < len(reportLetters); i++ {
		if l&(1<<i) != 0 {
			b.WriteByte(reportLetters[i])
		}
	}
	return b.String()
}

// Has reports whether l reports level x; V reports everything.
func (l ReportLevel) Has(x ReportLevel) bool { return l&ReportVerbose != 0 || l&x == x }

// Reporting is /Rep[orting] level[;event...]. Without the option it is
// E, W and P.
type Reporting struct {
	Levels ReportLevel
	// Events are the events not to report, by GUID or name.
	Events []string
	// Given is true when /Rep was on the command line.
	Given bool
}

// ConsoleColumns is a set of /ConsoleLog display options.
type ConsoleColumns uint8

// Console log columns.
const (
	ColName        ConsoleColumns = 1 << iota // N
	ColComputer                               // C
	ColOperator                               // O
	ColSourceName                             // S
	ColSourceGUID                             // G
	ColExecutionID                            // X
	ColMessage                                // M
	ColTime                                   // T: start and end time

	AllColumns ConsoleColumns = 0xFF
)

const columnLetters = "NCOSGXMT"

// String returns the columns as /ConsoleLog writes them.
func (c ConsoleColumns) String() string {
	var b strings.Builder
	for i := 0; i < len(columnLetters); i++ {
		if c&(1<<i) != 0 {
			b.WriteByte(columnLetters[i])
		}
	}
	return b.String()
}

// ConsoleLog is the union of every /Cons[oleLog] option; their order has no
// effect.
type ConsoleLog struct {
	// Enabled is true when /ConsoleLog was given at all.
	Enabled bool
	// Columns to show: AllColumns when any /ConsoleLog gave none.
	Columns ConsoleColumns
	// Include lists the only entries shown (event or source names or
	// GUIDs), when it is not empty; Exclude lists entries never shown.
	Include []string
	Exclude []string
}

// Shows reports whether a log entry of the given type (or source) is
// displayed: an entry found in both lists is excluded.
func (c ConsoleLog) Shows(entry string) bool {
	if !c.Enabled {
		return false
	}
	in := func(l []string) bool {
		for _, s := range l {
			if strings.EqualFold(s, entry) {
				return true
			}
		}
		return false
	}
	if len(c.Include) > 0 && !in(c.Include) {
		return false
	}
	return !in(c.Exclude)
}

// Logger is one /L[ogger] log provider.
type Logger struct {
	// Provider is the ProgID: DTS.LogProviderTextFile or
	// DTS.LogProviderXMLFile.
	Provider string
	// Config is the configstring: for the file providers, the file.
	Config string
}

// ErrSyntax is matched by every *OptionError: the command line is wrong.
var ErrSyntax = errors.New("dtexec: command-line syntax error")

// ErrWindowsOnly is matched by every *WindowsOnlyError.
var ErrWindowsOnly = errors.New("dtexec: option needs Windows or SQL Server")

// OptionError reports an unknown option, a missing or bad value, or options
// that cannot go together. dtexec exits with code 6.
type OptionError struct {
	Option string // the option as typed (/Fx, /M); "" for the command line as a whole
	Msg    string
	Hint   string
	Err    error // the underlying error, if any (a *override.PathError)
}

// Error returns "dtexec: /Option: message (hint)".
func (e *OptionError) Error() string {
	s := "dtexec: "
	if e.Option != "" {
		s += e.Option + ": "
	}
	s += e.Msg
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Unwrap returns the underlying error.
func (e *OptionError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrSyntax) true for every *OptionError.
func (e *OptionError) Is(target error) bool { return target == ErrSyntax }

// maskOptionError hides in an *OptionError the secrets of the value it is
// about (Password=… and the like, read as a connection string whether or
// not it parses): a /Conn, /Set or /Par that does not parse may be quoted
// in its message, and the value may come from a command file.
func maskOptionError(err error, value string) error {
	var oe *OptionError
	if errors.As(err, &oe) {
		oe.Msg, oe.Hint = runner.MaskSecrets(oe.Msg, value), runner.MaskSecrets(oe.Hint, value)
	}
	return err
}

// WindowsOnlyError reports an option that needs Windows, SQL Server or the
// SSIS catalog, and says what to use instead. dtexec exits with code 6.
type WindowsOnlyError struct {
	Option  string // as typed
	Msg     string // what the option does, and why it cannot here
	Instead string // what to use instead
}

// Error returns "dtexec: /SQL: what it needs; what to use instead".
func (e *WindowsOnlyError) Error() string {
	return "dtexec: " + e.Option + ": " + e.Msg + "; " + e.Instead
}

// Is makes errors.Is(err, ErrWindowsOnly) true for every *WindowsOnlyError.
func (e *WindowsOnlyError) Is(target error) bool { return target == ErrWindowsOnly }

// argKind says whether an option takes a value.
type argKind int

const (
	argNone argKind = iota
	argRequired
	argOptional
)

// option is one documented option: its full name, the shortest accepted
// abbreviation, its value and what it does to the parse.
type option struct {
	name  string // as documented: File, Conn, ConfigFile
	min   int    // /F[ile] is 1, /Conn[ection] is 4
	arg   argKind
	usage string
	set   func(st *state, opt, val string, has bool) error
}

// options lists every option of dtexec-utility.md, with the abbreviations
// it documents. /D[ts] takes /D, so /Decrypt needs /De.
var options = []option{
	{"?", 1, argOptional, "[option]  show this help", setHelp},
	{"CallerInfo", 2, argOptional, "[text]  ignored (SQL Server Agent sets it)", func(st *state, _, v string, _ bool) error {
		st.o.CallerInfo = v
		return nil
	}},
	{"CheckFile", 6, argOptional, "[file]  checkpoint file (CheckpointFileName)", func(st *state, _, v string, _ bool) error {
		st.o.CheckpointFile, st.o.CheckpointFileSet = v, true
		return nil
	}},
	{"CheckPointing", 6, argOptional, "[on|off]  use checkpoints (default on)", setCheckpointing},
	{"CommandFile", 3, argRequired, "file  read more options from a file", setCommandFile},
	{"ConfigFile", 4, argRequired, "file.dtsConfig  apply an XML configuration file", func(st *state, _, v string, _ bool) error {
		st.o.ConfigFiles = append(st.o.ConfigFiles, ConfigFile{Path: v, Seq: st.o.next()})
		return nil
	}},
	{"Connection", 4, argRequired, "name_or_{GUID};connection_string  replace a connection string", setConn},
	{"ConsoleLog", 4, argOptional, "[columns][;I|E;name...]  show log entries on the console", setConsoleLog},
	{"Decrypt", 2, argRequired, "password  the package password", func(st *state, _, v string, _ bool) error {
		st.o.Decrypt, st.o.DecryptFrom = Secret(v), "/Decrypt"
		return nil
	}},
	{"Dts", 1, argRequired, "path  (not available: SSIS Package Store)", windowsOnly("Dts")},
	{"Dump", 4, argRequired, "code[;code...]  debug dump on these error codes", setDump},
	{"DumpOnError", 11, argNone, "  debug dump on any error", func(st *state, _, _ string, _ bool) error {
		st.o.DumpOnError = true
		return nil
	}},
	{"EnvReference", 3, argRequired, "id  (not available: SSISDB environments)", windowsOnly("EnvReference")},
	{"File", 1, argRequired, "file.dtsx  the package to run", func(st *state, _, v string, _ bool) error {
		st.o.File = v
		return nil
	}},
	{"Help", 1, argOptional, "[option]  show this help", setHelp},
	{"ISServer", 8, argRequired, "path  (not available: SSISDB catalog)", windowsOnly("ISServer")},
	{"Logger", 1, argRequired, "progid_or_classid;config  add a text or XML file log provider", setLogger},
	{"MaxConcurrent", 1, argRequired, "n  executables run at once (-1: processors + 2)", setMaxConcurrent},
	{"Package", 4, argRequired, "name.dtsx  the package of the /Project to run", func(st *state, _, v string, _ bool) error {
		st.o.Package = v
		return nil
	}},
	{"Parameter", 3, argRequired, "[$Package::|$Project::]name[(type)];value  set a parameter; CM.conn.property;value sets a connection property", setParam},
	{"Password", 1, argRequired, "password  (not available: SQL Server login)", windowsOnly("Password")},
	{"Project", 4, argRequired, "file.ispac  the project holding the /Package", func(st *state, _, v string, _ bool) error {
		st.o.Project = v
		return nil
	}},
	{"Rem", 3, argOptional, "[comment]  a comment, ignored", func(*state, string, string, bool) error { return nil }},
	{"Reporting", 3, argRequired, "levels[;event...]  N E W I C D P V (default EWP)", setReporting},
	{"Restart", 3, argOptional, "[deny|force|ifPossible]  CheckpointUsage (default force)", setRestart},
	{"Server", 3, argRequired, "server  (not available: SQL Server)", windowsOnly("Server")},
	{"Set", 3, argRequired, "[$Sensitive::]propertyPath;value  set a property, variable or parameter", setSet},
	{"SQL", 2, argRequired, "path  (not available: msdb)", windowsOnly("SQL")},
	{"Sum", 2, argNone, "  show row counts", func(st *state, _, _ string, _ bool) error {
		st.o.Sum = true
		return nil
	}},
	{"Unsupported", 2, argRequired, "fail|skip  tasks dtsx cannot execute: refuse the run (fail, the default) or skip them", setUnsupported},
	{"User", 1, argRequired, "login  (not available: SQL Server login)", windowsOnly("User")},
	{"Validate", 2, argNone, "  validate only, do not run", func(st *state, _, _ string, _ bool) error {
		st.o.Validate = true
		return nil
	}},
	{"VerifyBuild", 7, argRequired, "major[;minor[;build]]  require this package build", setVerifyBuild},
	{"VerifyPackageID", 7, argRequired, "{GUID}  require this package ID", func(st *state, opt, v string, _ bool) error {
		if !looksLikeGUID(v) {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not a GUID", v), Hint: "give the package's DTSID, e.g. {6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E11}"}
		}
		st.o.VerifyPackageID = v
		return nil
	}},
	{"VerifySigned", 7, argNone, "  (not available: Windows certificate store)", windowsOnly("VerifySigned")},
	{"VerifyVersionID", 7, argRequired, "{GUID}  require this package version", func(st *state, opt, v string, _ bool) error {
		if !looksLikeGUID(v) {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not a GUID", v), Hint: "give the package's VersionGUID"}
		}
		st.o.VerifyVersionID = v
		return nil
	}},
	{"VLog", 4, argOptional, "[file]  log to the package's log providers (and a text file)", func(st *state, _, v string, _ bool) error {
		st.o.VLog, st.o.VLogFile = true, v
		return nil
	}},
	{"WarnAsError", 1, argNone, "  treat warnings as errors", func(st *state, _, _ string, _ bool) error {
		st.o.WarnAsError = true
		return nil
	}},
	{"X86", 3, argNone, "  (not available: 32-bit runtime)", windowsOnly("X86")},
}

// windowsOnlyText says, per option, what it needs and what to use instead.
var windowsOnlyText = map[string][2]string{
	"SQL": {"/SQL loads packages from msdb, which needs SQL Server",
		"export the package to a .dtsx file (SSMS Export Package, or dtutil /SQL name /COPY FILE;name.dtsx) and use /F"},
	"Dts": {"/DTS loads packages from the SSIS Package Store, a Windows service",
		"export the package to a .dtsx file and use /F"},
	"ISServer": {"/ISServer runs packages deployed to the SSISDB catalog of SQL Server",
		"export the project from the catalog as an .ispac and use /Proj file.ispac /Pack name.dtsx"},
	"Server": {"/Server names the SQL Server that /SQL, /DTS and /ISServer load packages from",
		"load the package from a file with /F, or from an .ispac with /Proj and /Pack"},
	"EnvReference": {"/EnvReference applies an environment of the SSISDB catalog",
		"give the environment's values with /Par (or /Set) instead"},
	"User": {"/User logs in to SQL Server to load a package from msdb",
		"load the package from a file with /F; a package password is given with /De[crypt]"},
	"Password": {"/Password logs in to SQL Server to load a package from msdb",
		"load the package from a file with /F; a package password is given with /De[crypt]"},
	"X86": {"/X86 asks SQL Server Agent for the 32-bit runtime of 64-bit Windows",
		"there is one runtime here: remove /X86"},
	"VerifySigned": {"/VerifySigned checks the package's signature against the Windows certificate store",
		"check the file another way (a checksum, a signed commit) and remove /VerifySigned"},
}

// windowsOnly returns the handler of an option that cannot work here: it
// fails with what the option needs and what to use instead.
func windowsOnly(name string) func(*state, string, string, bool) error {
	t := windowsOnlyText[name]
	return func(_ *state, opt, _ string, _ bool) error {
		return &WindowsOnlyError{Option: opt, Msg: t[0], Instead: t[1]}
	}
}

// lookup finds the option named or abbreviated by name (without its / or
// -), case-insensitively.
func lookup(name string) *option {
	l := strings.ToLower(name)
	for i := range options {
		o := &options[i]
		full := strings.ToLower(o.name)
		if len(l) >= o.min && strings.HasPrefix(full, l) {
			return o
		}
	}
	return nil
}

// isOption reports whether arg is an option of the table: /X or -X where X
// names or abbreviates one. A Linux path such as /tmp/p.dtsx is not.
func isOption(arg string) bool {
	return len(arg) >= 2 && (arg[0] == '/' || arg[0] == '-') && lookup(arg[1:]) != nil
}

// Parser reads dtexec command lines. The zero Parser reads command files
// with os.ReadFile and takes nothing from the environment.
type Parser struct {
	// LookupEnv reads the environment (os.LookupEnv); nil means an empty
	// environment. It gives SSIS_PACKAGE_DECRYPT when /De is not given.
	LookupEnv func(string) (string, bool)
	// ReadFile reads /Com[mandFile] files; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)
}

// partsValue are the options whose values are made of ';'-separated
// parts: each part is unquoted by the option itself.
var partsValue = map[string]bool{"Set": true, "Connection": true, "Parameter": true, "ConsoleLog": true,
	"Reporting": true, "Logger": true, "VerifyBuild": true, "Dump": true}

// maxCommandFileDepth bounds command files that name command files.
const maxCommandFileDepth = 8

type state struct {
	p     Parser
	o     *Options
	depth int
	// include parses the arguments of a command file. It is (*state).parse,
	// reached through a field so that the option table, whose /Com entry
	// calls it, does not depend on itself.
	include func([]string) error
}

// Parse reads args (without the program name) as dtexec does. The error is
// an *OptionError or a *WindowsOnlyError; both mean exit code 6.
func (p Parser) Parse(args []string) (*Options, error) {
	st := &state{p: p, o: &Options{}}
	st.include = st.parse
	if err := st.parse(args); err != nil {
		return nil, err
	}
	return st.finish()
}

func (st *state) parse(args []string) error {
	var last *option
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if len(arg) < 2 || (arg[0] != '/' && arg[0] != '-') {
			if last != nil && (last.name == "Decrypt" || last.name == "Password") {
				// a password with a space, unquoted: its second word must not show
				return &OptionError{Msg: "unexpected argument after /" + last.name + " (not shown: it may be part of the password)",
					Hint: `quote a password holding spaces: /De "pass word"`}
			}
			hint := "options start with / or -; run dtexec /? for the list"
			if strings.HasSuffix(strings.ToLower(arg), ".dtsx") {
				hint = "give the package with /F " + arg
			}
			return &OptionError{Msg: fmt.Sprintf("unexpected argument %q", arg), Hint: hint}
		}
		o := lookup(arg[1:])
		last = o
		if o == nil {
			hint := "run dtexec /? for the options"
			if arg[0] == '/' && strings.ContainsAny(arg[1:], "/.") {
				hint = "a file is given after an option, as in /F " + arg
			}
			return &OptionError{Option: arg, Msg: "unknown option", Hint: hint}
		}
		val, has := "", false
		switch o.arg {
		case argRequired:
			if i+1 >= len(args) || isOption(args[i+1]) {
				return &OptionError{Option: arg, Msg: "missing value", Hint: "/" + o.name + " " + strings.TrimSpace(strings.SplitN(o.usage, "  ", 2)[0])}
			}
			i++
			val, has = args[i], true
		case argOptional:
			if i+1 < len(args) && !isOption(args[i+1]) {
				i++
				val, has = args[i], true
			}
		}
		if has && !partsValue[o.name] {
			// A simple value: dtexec removes its quotes.
			v, err := unquote(val)
			if err != nil {
				if o.name == "Decrypt" || o.name == "Password" { // the message must not show the password
					return &OptionError{Option: arg, Msg: "the password has an unterminated quote", Hint: `double a quote inside a quoted password: "pa""ss"`}
				}
				return &OptionError{Option: arg, Msg: err.Error()}
			}
			val = v
		}
		if err := o.set(st, arg, val, has); err != nil {
			return maskOptionError(err, val)
		}
	}
	return nil
}

// finish checks what the options say together and fills the defaults.
func (st *state) finish() (*Options, error) {
	o := st.o
	if o.Decrypt == "" && st.p.LookupEnv != nil {
		if v, ok := st.p.LookupEnv(passwordEnv); ok && v != "" {
			o.Decrypt, o.DecryptFrom = Secret(v), passwordEnv
		}
	}
	if !o.Reporting.Given {
		o.Reporting.Levels = ReportDefault
	}
	if o.Help {
		return o, nil
	}
	switch {
	case o.File != "" && o.Project != "":
		return nil, &OptionError{Option: "/File", Msg: "cannot be used together with /Project",
			Hint: "run a .dtsx with /F, or a package of an .ispac with /Proj and /Pack"}
	case o.Package != "" && o.Project == "":
		return nil, &OptionError{Option: "/Package", Msg: "names a package of a project, and no /Project was given",
			Hint: "add /Proj file.ispac, or run a .dtsx file with /F"}
	case o.Project != "" && o.Package == "":
		return nil, &OptionError{Option: "/Project", Msg: "needs /Pack[age] to say which package of the project to run"}
	case o.File == "" && o.Project == "":
		return nil, &OptionError{Msg: "no package given", Hint: "give /F file.dtsx, or /Proj file.ispac /Pack name.dtsx"}
	}
	return o, nil
}

func setHelp(st *state, _, v string, _ bool) error {
	st.o.Help, st.o.HelpTopic = true, v
	return nil
}

func setCheckpointing(st *state, opt, v string, _ bool) error {
	switch strings.ToLower(v) {
	case "on", "":
		st.o.Checkpointing = "on"
	case "off":
		st.o.Checkpointing = "off"
	default:
		return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not on or off", v)}
	}
	return nil
}

func setRestart(st *state, opt, v string, _ bool) error {
	switch strings.ToLower(v) {
	case "deny":
		st.o.Restart = "deny"
	case "force", "":
		st.o.Restart = "force"
	case "ifpossible":
		st.o.Restart = "ifPossible"
	default:
		return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not deny, force or ifPossible", v)}
	}
	return nil
}

func setUnsupported(st *state, opt, v string, _ bool) error {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "fail":
		st.o.SkipUnsupported = false
	case "skip":
		st.o.SkipUnsupported = true
	default:
		return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not fail or skip", v),
			Hint: "/Un skip runs the rest of a package whose tasks cannot be executed here"}
	}
	return nil
}

func setMaxConcurrent(st *state, opt, v string, _ bool) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n == 0 || n < -1 {
		return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not -1 or a positive number", v),
			Hint: "-1 runs as many executables at once as there are processors, plus two"}
	}
	st.o.MaxConcurrent = n
	return nil
}

func setCommandFile(st *state, opt, v string, _ bool) error {
	if st.depth >= maxCommandFileDepth {
		return &OptionError{Option: opt, Msg: fmt.Sprintf("command files nest more than %d deep", maxCommandFileDepth),
			Hint: "does a command file name itself?"}
	}
	read := st.p.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	data, err := read(v)
	if err != nil {
		return &OptionError{Option: opt, Msg: "cannot read the command file: " + err.Error(), Err: err}
	}
	args, err := splitCommandFile(string(data))
	if err != nil {
		return &OptionError{Option: opt, Msg: v + ": " + err.Error()}
	}
	st.depth++
	defer func() { st.depth-- }()
	return st.include(args)
}

// splitCommandFile splits a command file into arguments as dtexec's own
// command line is split: at white space outside double quotes. The quotes
// stay: each option removes them from its value.
func splitCommandFile(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inQuote, inArg := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote, inArg = !inQuote, true
			cur.WriteByte(c)
		case !inQuote && (c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			if inArg {
				out = append(out, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if inQuote {
		return nil, errors.New("a quote is never closed")
	}
	if inArg {
		out = append(out, cur.String())
	}
	return out, nil
}

// ---- values with ';' and quotes ----

// unquote removes dtexec's quotes from a value: "..." parts lose their
// quotes, a doubled quote inside them stands for one, and the parts outside
// quotes are kept as they are.
func unquote(s string) (string, error) {
	if !strings.Contains(s, `"`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			b.WriteByte(s[i])
			continue
		}
		start := i
		i++
		for {
			if i >= len(s) {
				return "", fmt.Errorf("the quote at offset %d is never closed", start)
			}
			if s[i] == '"' {
				if i+1 < len(s) && s[i+1] == '"' {
					b.WriteByte('"')
					i += 2
					continue
				}
				break
			}
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), nil
}

// splitAt returns the offset of the first ';' outside double quotes (and
// outside [ ] when brackets is set), or -1.
func splitAt(s string, brackets bool) int {
	inQuote, depth := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case brackets && c == '[':
			depth++
		case brackets && c == ']' && depth > 0:
			depth--
		case c == ';' && depth == 0:
			return i
		}
	}
	return -1
}

// fields splits s at every ';' outside quotes and unquotes each part.
func fields(s string) ([]string, error) {
	var out []string
	for {
		i := splitAt(s, false)
		part := s
		if i >= 0 {
			part = s[:i]
		}
		u, err := unquote(part)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
		if i < 0 {
			return out, nil
		}
		s = s[i+1:]
	}
}

func setSet(st *state, opt, v string, _ bool) error {
	i := splitAt(v, true)
	if i < 0 {
		return &OptionError{Option: opt, Msg: "expected propertyPath;value (no ';' found)",
			Hint: `in bash, quote the whole value: /Set '\Package.Variables[User::X].Properties[Value];42'`}
	}
	path, err := unquote(v[:i])
	if err != nil {
		return &OptionError{Option: opt, Msg: "property path: " + err.Error()}
	}
	val, err := unquote(v[i+1:])
	if err != nil {
		return &OptionError{Option: opt, Msg: "value: " + err.Error()}
	}
	target, err := override.ParsePath(path)
	if err != nil {
		var pe *override.PathError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = fmt.Sprintf("property path %q: offset %d: %s", pe.Path, pe.Offset, pe.Msg)
		}
		return &OptionError{Option: opt, Msg: msg, Err: err,
			Hint: `paths look like \Package.Variables[User::X].Properties[Value]`}
	}
	path = strings.TrimSpace(path)
	if target.Sensitive {
		path = strings.TrimSpace(path[len("$Sensitive::"):])
	}
	st.o.Sets = append(st.o.Sets, Set{Path: path, Value: val, Sensitive: target.Sensitive, Target: target, Seq: st.o.next()})
	return nil
}

// setConn reads name;connection_string[;name;connection_string...]. The
// connection string itself holds ';': it is the rest of the value unless it
// is quoted, in which case more pairs may follow it.
func setConn(st *state, opt, v string, _ bool) error {
	rest := v
	n := 0
	for {
		i := splitAt(rest, false)
		if i < 0 {
			if n > 0 && strings.TrimSpace(rest) == "" {
				return nil
			}
			return &OptionError{Option: opt, Msg: "expected name;connection_string (no ';' found)",
				Hint: `in bash, quote the whole value: /Conn 'SMTP Connection Manager;SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=True;'`}
		}
		name, err := unquote(rest[:i])
		if err != nil {
			return &OptionError{Option: opt, Msg: "connection name: " + err.Error()}
		}
		rest = rest[i+1:]
		var cs string
		if strings.HasPrefix(rest, `"`) {
			j := splitAt(rest, false)
			part := rest
			if j >= 0 {
				part, rest = rest[:j], rest[j+1:]
			} else {
				rest = ""
			}
			if cs, err = unquote(part); err != nil {
				return &OptionError{Option: opt, Msg: "connection string: " + err.Error()}
			}
		} else {
			cs, rest = rest, ""
		}
		if strings.TrimSpace(name) == "" || strings.TrimSpace(cs) == "" {
			return &OptionError{Option: opt, Msg: "both the connection manager (name or {GUID}) and the connection string must be given"}
		}
		st.o.Conns = append(st.o.Conns, Conn{Name: name, ConnectionString: cs, Seq: st.o.next()})
		n++
		if rest == "" {
			return nil
		}
	}
}

// typeCodes are the CLR TypeCode names /Par takes in parentheses.
var typeCodes = []string{"Boolean", "Byte", "Char", "DateTime", "DBNull", "Decimal", "Double", "Empty",
	"Int16", "Int32", "Int64", "Object", "SByte", "Single", "String", "UInt16", "UInt32", "UInt64"}

func setParam(st *state, opt, v string, _ bool) error {
	i := splitAt(v, false)
	if i < 0 {
		return &OptionError{Option: opt, Msg: "expected name;value (no ';' found)",
			Hint: `in bash, quote the whole value: /Par '$Package::Name;value'`}
	}
	name, err := unquote(v[:i])
	if err != nil {
		return &OptionError{Option: opt, Msg: "parameter name: " + err.Error()}
	}
	val, err := unquote(v[i+1:])
	if err != nil {
		return &OptionError{Option: opt, Msg: "value: " + err.Error()}
	}
	name = strings.TrimSpace(name)
	p := Param{Scope: ScopePackage, Value: val}
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "$package::"):
		name = name[len("$package::"):]
	case strings.HasPrefix(lower, "$project::"):
		p.Scope, name = ScopeProject, name[len("$project::"):]
	case strings.HasPrefix(lower, "$serveroption::"):
		return &WindowsOnlyError{Option: opt, Msg: "$ServerOption:: parameters (SYNCHRONIZED, LOGGING_LEVEL, ...) set options of executions in the SSISDB catalog",
			Instead: "remove them; a run here is synchronous and logs to the console"}
	case strings.HasPrefix(name, "$"):
		return &OptionError{Option: opt, Msg: fmt.Sprintf("unknown parameter scope in %q", name), Hint: "use $Package::, $Project:: or CM.<connection>.<property>"}
	}
	if strings.HasSuffix(name, ")") {
		open := strings.LastIndexByte(name, '(')
		if open < 0 {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q has a ) without (", name)}
		}
		t := strings.TrimSpace(name[open+1 : len(name)-1])
		name = strings.TrimSpace(name[:open])
		for _, c := range typeCodes {
			if strings.EqualFold(c, t) {
				p.Type = c
			}
		}
		if p.Type == "" {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("unknown data type %q", t), Hint: "use a CLR TypeCode: " + strings.Join(typeCodes, ", ")}
		}
		if reason := checkTyped(p.Type, val); reason != "" {
			// The value is not quoted: the parameter may be sensitive,
			// which only the package says.
			return &OptionError{Option: opt, Msg: fmt.Sprintf("the value of %s is not a valid %s: %s", name, p.Type, reason)}
		}
	}
	if p.Scope == ScopePackage && len(name) > 3 && strings.EqualFold(name[:3], "CM.") {
		cm := name[3:]
		dot := strings.LastIndexByte(cm, '.')
		if dot <= 0 || dot == len(cm)-1 {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not CM.<connection>.<property>", name),
				Hint: "e.g. CM.SourceServer.InitialCatalog"}
		}
		p.Scope, p.Name, p.Property = ScopeConnection, cm[:dot], cm[dot+1:]
	} else {
		p.Name = name
	}
	if strings.TrimSpace(p.Name) == "" {
		return &OptionError{Option: opt, Msg: "empty parameter name"}
	}
	p.Seq = st.o.next()
	st.o.Params = append(st.o.Params, p)
	return nil
}

// checkTyped checks a /Par value against its declared type; "" means it
// fits.
func checkTyped(t, v string) string {
	v = strings.TrimSpace(v)
	bits := map[string]int{"SByte": 8, "Int16": 16, "Int32": 32, "Int64": 64, "Byte": 8, "UInt16": 16, "UInt32": 32, "UInt64": 64}
	switch t {
	case "SByte", "Int16", "Int32", "Int64":
		if _, err := strconv.ParseInt(v, 10, bits[t]); err != nil {
			return "expected a whole number in the range of " + t
		}
	case "Byte", "UInt16", "UInt32", "UInt64":
		if _, err := strconv.ParseUint(v, 10, bits[t]); err != nil {
			return "expected a whole number in the range of " + t
		}
	case "Single", "Double", "Decimal":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "expected a number"
		}
	case "Boolean":
		switch strings.ToLower(v) {
		case "true", "false", "1", "0", "-1":
		default:
			return "expected True or False"
		}
	}
	return ""
}

func setReporting(st *state, opt, v string, _ bool) error {
	fs, err := fields(v)
	if err != nil {
		return &OptionError{Option: opt, Msg: err.Error()}
	}
	r := Reporting{Given: true}
	levels := strings.TrimSpace(fs[0])
	if levels == "" {
		return &OptionError{Option: opt, Msg: "no level given", Hint: "N, or some of E W I C D P, or V"}
	}
	none := false
	for _, c := range strings.ToUpper(levels) {
		switch {
		case c == 'N':
			none = true
		case strings.ContainsRune(reportLetters, c):
			r.Levels |= 1 << strings.IndexRune(reportLetters, c)
		default:
			return &OptionError{Option: opt, Msg: fmt.Sprintf("unknown level %q", c), Hint: "N none, E errors, W warnings, I information, C custom, D data flow, P progress, V verbose"}
		}
	}
	if (none && (r.Levels != 0 || len(levels) > 1)) || (r.Levels&ReportVerbose != 0 && len(levels) > 1) {
		return &OptionError{Option: opt, Msg: fmt.Sprintf("%q: N and V must be given alone", levels)}
	}
	for _, e := range fs[1:] {
		if e = strings.TrimSpace(e); e != "" {
			r.Events = append(r.Events, e)
		}
	}
	st.o.Reporting = r
	return nil
}

func setConsoleLog(st *state, opt, v string, has bool) error {
	c := &st.o.ConsoleLog
	first := !c.Enabled
	c.Enabled = true
	if !has || strings.TrimSpace(v) == "" {
		c.Columns = AllColumns
		return nil
	}
	fs, err := fields(v)
	if err != nil {
		return &OptionError{Option: opt, Msg: err.Error()}
	}
	rest := fs
	var cols ConsoleColumns
	if f := strings.ToUpper(strings.TrimSpace(fs[0])); f != "I" && f != "E" {
		if f != "" {
			for _, ch := range f {
				k := strings.IndexRune(columnLetters, ch)
				if k < 0 {
					return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is neither display options (N C O S G X M T) nor a list option (I or E)", fs[0])}
				}
				cols |= 1 << k
			}
		}
		rest = fs[1:]
	}
	switch {
	case cols == 0:
		c.Columns = AllColumns
	case first:
		c.Columns = cols
	case c.Columns != AllColumns:
		c.Columns |= cols
	}
	var list *[]string
	for _, f := range rest {
		t := strings.TrimSpace(f)
		switch strings.ToUpper(t) {
		case "I":
			list = &c.Include
			continue
		case "E":
			list = &c.Exclude
			continue
		case "":
			continue
		}
		if list == nil {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q: a name comes after I (include) or E (exclude)", t)}
		}
		*list = append(*list, t)
	}
	return nil
}

// logProviders maps the documented ProgIDs and ClassIDs to the ProgID of
// the provider, and says which ones cannot run here.
var logProviders = []struct {
	progID, classID string
	instead         string // empty when supported
}{
	{"DTS.LogProviderTextFile", "{59B2C6A5-663F-4C20-8863-C83F9B72E2EB}", ""},
	{"DTS.LogProviderXMLFile", "{AFED6884-619C-484F-9A09-F42D56E1A7EA}", ""},
	{"DTS.LogProviderSQLProfiler", "{5C0B8D21-E9AA-462E-BA34-30FF5F7A42A1}", "SQL Server Profiler traces need Windows and SQL Server"},
	{"DTS.LogProviderSQLServer", "{6AA833A1-E4B2-4431-831B-DE695049DC61}", "the SQL Server log provider writes to a SQL Server table"},
	{"DTS.LogProviderEventLog", "{97634F75-1DC7-4F1F-8A4C-DAF0E13AAA22}", "the Windows Event Log does not exist here"},
}

func setLogger(st *state, opt, v string, _ bool) error {
	i := splitAt(v, false)
	idPart, cfgPart := v, ""
	if i >= 0 {
		idPart, cfgPart = v[:i], v[i+1:]
	}
	id, err := unquote(idPart)
	if err != nil {
		return &OptionError{Option: opt, Msg: err.Error()}
	}
	cfg, err := unquote(cfgPart)
	if err != nil {
		return &OptionError{Option: opt, Msg: err.Error()}
	}
	id = strings.TrimSpace(id)
	for _, lp := range logProviders {
		base := strings.TrimSuffix(strings.ToLower(id), ".1")
		if base != strings.ToLower(lp.progID) && !strings.EqualFold(strings.Trim(id, "{}"), strings.Trim(lp.classID, "{}")) {
			continue
		}
		if lp.instead != "" {
			return &WindowsOnlyError{Option: opt, Msg: lp.progID + ": " + lp.instead,
				Instead: "use /L DTS.LogProviderTextFile;file.log, /L DTS.LogProviderXMLFile;file.xml or /ConsoleLog"}
		}
		if strings.TrimSpace(cfg) == "" {
			return &OptionError{Option: opt, Msg: lp.progID + " needs a file: " + lp.progID + ";file"}
		}
		st.o.Loggers = append(st.o.Loggers, Logger{Provider: lp.progID, Config: cfg})
		return nil
	}
	return &OptionError{Option: opt, Msg: fmt.Sprintf("unknown log provider %q", id),
		Hint: "use DTS.LogProviderTextFile or DTS.LogProviderXMLFile (or their ClassIDs)"}
}

func setVerifyBuild(st *state, opt, v string, _ bool) error {
	fs, err := fields(v)
	if err != nil {
		return &OptionError{Option: opt, Msg: err.Error()}
	}
	if len(fs) > 3 {
		return &OptionError{Option: opt, Msg: "expected major[;minor[;build]]"}
	}
	var out []int64
	for _, f := range fs {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not a number", f), Hint: "expected major[;minor[;build]]"}
		}
		out = append(out, n)
	}
	st.o.VerifyBuild = out
	return nil
}

func setDump(st *state, opt, v string, _ bool) error {
	var codes []string
	for _, c := range strings.Split(v, ";") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		hex := strings.TrimPrefix(strings.TrimPrefix(c, "0x"), "0X")
		if _, err := strconv.ParseUint(hex, 16, 32); err != nil || hex == c {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not an error code such as 0xC020801C", c)}
		}
		codes = append(codes, c)
	}
	if len(codes) == 0 {
		return &OptionError{Option: opt, Msg: "no error code given", Hint: "e.g. /Dump 0xC020801C"}
	}
	st.o.Dump = codes
	return nil
}

// looksLikeGUID accepts hexadecimal digits and dashes, with or without
// braces. It is loose on purpose: the dtexec documentation's own example
// has six groups.
func looksLikeGUID(s string) bool {
	t := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")
	if len(t) < 32 {
		return false
	}
	digits := 0
	for _, c := range t {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			digits++
		case c == '-':
		default:
			return false
		}
	}
	return digits >= 32
}

// usage returns the help text: every option with its documented
// abbreviation.
func usage() string {
	var b strings.Builder
	b.WriteString("Usage: dtexec /option [value] [/option [value]]...\n")
	b.WriteString("Options start with / or -, are case-insensitive, and may be shortened to the part before [ ].\n\n")
	for _, o := range options {
		name := o.name
		if o.min < len(o.name) {
			name = o.name[:o.min] + "[" + o.name[o.min:] + "]"
		}
		parts := strings.SplitN(o.usage, "  ", 2)
		arg, text := strings.TrimSpace(parts[0]), ""
		if len(parts) > 1 {
			text = parts[1]
		}
		left := "/" + strings.TrimSpace(name+" "+arg)
		if len(left) > 37 {
			fmt.Fprintf(&b, "  %s\n  %-37s %s\n", left, "", text)
			continue
		}
		fmt.Fprintf(&b, "  %-37s %s\n", left, text)
	}
	b.WriteString("\nExit codes: 0 success, 1 failure, 3 cancelled, 4 package not found, 5 package not loaded, 6 command-line error.\n")
	return b.String()
}
