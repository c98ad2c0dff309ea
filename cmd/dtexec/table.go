package main

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/internal/runner"
)

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
	// dtexec utility, /Ca[llerInfo]: ignored when dtexec is run from the
	// command line; SQL Server Agent sets it.
	{"CallerInfo", 2, argOptional, "[text]  ignored, as dtexec ignores it on the command line (SQL Server Agent sets it)", func(*state, string, string, bool) error { return nil }},
	{"CheckFile", 6, argOptional, "[file]  checkpoints are not implemented (an empty file name is accepted)", setCheckFile},
	{"CheckPointing", 6, argOptional, "[on|off]  checkpoints are not implemented (off is accepted)", setCheckpointing},
	{"CommandFile", 3, argRequired, "file  read more options from a file", setCommandFile},
	{"ConfigFile", 4, argRequired, "file.dtsConfig  apply an XML configuration file", func(st *state, _, v string, _ bool) error {
		st.o.Overrides = append(st.o.Overrides, runner.Override{ConfigFile: v})
		return nil
	}},
	{"Connection", 4, argRequired, "name_or_{GUID};connection_string  replace a connection string", setConn},
	{"ConsoleLog", 4, argOptional, "[columns][;I|E;name...]  show log entries on the console", setConsoleLog},
	{"Decrypt", 2, argRequired, "password  the package password", func(st *state, _, v string, _ bool) error {
		st.o.Decrypt, st.o.DecryptFrom = Secret(v), "/Decrypt"
		return nil
	}},
	{"Dts", 1, argRequired, "path  the SSIS Package Store is a Windows service", windowsOnly("Dts")},
	{"Dump", 4, argRequired, "code[;code...]  the events here carry no SSIS error codes to match", setDump},
	{"DumpOnError", 11, argNone, "  if the run has an error event, write its report and error events to dtexec-PACKAGE-TIME-PID.dump.json in the current directory", func(st *state, _, _ string, _ bool) error {
		st.o.DumpOnError = true
		return nil
	}},
	{"EnvReference", 3, argRequired, "id  SSISDB environments need SQL Server", windowsOnly("EnvReference")},
	{"File", 1, argRequired, "file.dtsx  the package to run", func(st *state, _, v string, _ bool) error {
		st.o.File = v
		return nil
	}},
	{"Help", 1, argOptional, "[option]  show this help", setHelp},
	{"ISServer", 8, argRequired, "path  the SSISDB catalog needs SQL Server", windowsOnly("ISServer")},
	{"Logger", 1, argRequired, "progid_or_classid;config  log providers are not implemented", setLogger},
	{"MaxConcurrent", 1, argRequired, "n  executables run at once (-1: processors + 2)", setMaxConcurrent},
	{"Package", 4, argRequired, "name.dtsx  the package of the /Project to run", func(st *state, _, v string, _ bool) error {
		st.o.Package = v
		return nil
	}},
	{"Parameter", 3, argRequired, "[$Package::|$Project::]name[(type)];value  set a parameter; CM.conn.property;value sets a connection property", setParam},
	{"Password", 1, argRequired, "password  SQL Server logins load packages from msdb", windowsOnly("Password")},
	{"Project", 4, argRequired, "file.ispac  the project holding the /Package", func(st *state, _, v string, _ bool) error {
		st.o.Project = v
		return nil
	}},
	{"Rem", 3, argOptional, "[comment]  a comment, ignored", func(*state, string, string, bool) error { return nil }},
	{"Reporting", 3, argRequired, "levels[;event...]  N E W I C D P V (default EWP)", setReporting},
	{"Restart", 3, argOptional, "[deny|force|ifPossible]  checkpoints are not implemented (deny is accepted)", setRestart},
	{"Server", 3, argRequired, "server  packages load from files here, not from SQL Server", windowsOnly("Server")},
	{"Set", 3, argRequired, "[$Sensitive::]propertyPath;value  set a property, variable or parameter", setSet},
	{"SQL", 2, argRequired, "path  msdb needs SQL Server", windowsOnly("SQL")},
	{"Sum", 2, argNone, "  the incremental row count is not shown; the rows per path are in the log (/Rep D) and the run's report", notSupported("Sum")},
	{"Unsupported", 2, argRequired, "fail|skip  tasks dtsx cannot execute: refuse the run (fail, the default) or skip them", setUnsupported},
	{"User", 1, argRequired, "login  SQL Server logins load packages from msdb", windowsOnly("User")},
	{"Validate", 2, argNone, "  validate only, do not run", func(st *state, _, _ string, _ bool) error {
		st.o.Validate = true
		return nil
	}},
	{"VerifyBuild", 7, argRequired, "major[;minor[;build]]  load the package only if its VersionMajor[, VersionMinor[, VersionBuild]] are these", setVerifyBuild},
	{"VerifyPackageID", 7, argRequired, "{GUID}  load the package only if its ID (DTSID) is this", func(st *state, opt, v string, _ bool) error {
		if !looksLikeGUID(v) {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not a GUID", v), Hint: "give the package's DTSID, e.g. {6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E11}"}
		}
		st.o.VerifyPackageID = v
		return nil
	}},
	{"VerifySigned", 7, argNone, "  the Windows certificate store is not here", windowsOnly("VerifySigned")},
	{"VerifyVersionID", 7, argRequired, "{GUID}  load the package only if its VersionGUID is this", func(st *state, opt, v string, _ bool) error {
		if !looksLikeGUID(v) {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not a GUID", v), Hint: "give the package's VersionGUID"}
		}
		st.o.VerifyVersionID = v
		return nil
	}},
	{"VLog", 4, argOptional, "[file]  log providers are not implemented", notSupported("VLog")},
	{"WarnAsError", 1, argNone, "  treat warnings as errors", func(st *state, _, _ string, _ bool) error {
		st.o.WarnAsError = true
		return nil
	}},
	{"X86", 3, argNone, "  there is one runtime here, not a 32-bit one", windowsOnly("X86")},
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

// notSupportedText says, per option this runtime does not implement, what
// the option does, what is missing, and what to use instead. What each
// option does is as the "dtexec Utility" page documents it: /Sum "shows an
// incremental counter" of the rows the next data flow component receives,
// /Dump creates debug dump files when an event with one of the given codes
// occurs, /VLog writes to the package's log providers, /CheckFile,
// /Checkpointing and /Restart set CheckpointFileName, SaveCheckpoints and
// CheckpointUsage.
var notSupportedText = map[string][2]string{
	"CheckFile": {"/CheckFile names the checkpoint file a restarted run resumes from, and this runtime does not implement checkpoints",
		"remove /CheckFile (or give it an empty file name): a run here starts from the beginning"},
	"CheckPointing": {"/Checkpointing on saves checkpoints for a failed run to restart from, and this runtime does not implement checkpoints",
		"remove it, or give /CheckP off: a run here starts from the beginning"},
	"Restart": {"/Restart force and ifPossible restart a package from its checkpoint file, and this runtime does not implement checkpoints",
		"remove it, or give /Res deny: a run here starts from the beginning"},
	"Dump": {"/Dump writes debug dump files when an event with one of these error codes occurs, and the events of this runtime carry no SSIS error codes (0xC020801C, ...) to match",
		"use /DumpOnError, which writes the run's report and its error events on any error"},
	"Logger": {"log providers are not implemented",
		"use /ConsoleLog, whose log entries go to the console and can be redirected to a file (dtsx run --json FILE writes the run's report)"},
	"VLog": {"/VLog writes every event to the package's log providers (and to a text file), and this runtime does not implement log providers",
		"use /ConsoleLog, whose log entries go to the console and can be redirected to a file"},
	"Sum": {"/Sum shows an incremental count of the rows the next data flow component receives, which this runtime does not display",
		"remove /Sum: /Reporting D logs OnPipelineRowsSent for every path, and dtsx run --json FILE or --html FILE lists the rows per path"},
}

// notSupported returns the handler of an option this runtime does not
// implement: it fails with what is missing and what to use instead.
func notSupported(name string) func(*state, string, string, bool) error {
	t := notSupportedText[name]
	return func(_ *state, opt, _ string, _ bool) error {
		return &NotSupportedError{Option: opt, Msg: t[0], Instead: t[1]}
	}
}

// refused reports whether an option is always refused, whatever its
// value: the Windows-only ones and those this runtime does not implement.
// /CheckFile, /CheckPointing and /Restart are refused only for the values
// that ask for checkpoints, but are listed with them.
func refused(o *option) bool {
	_, w := windowsOnlyText[o.name]
	_, n := notSupportedText[o.name]
	return w || n
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
