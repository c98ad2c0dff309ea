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
		st.o.Overrides = append(st.o.Overrides, runner.Override{ConfigFile: v})
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
