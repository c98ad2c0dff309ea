package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

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

// setCheckFile accepts /CheckF[ile] without a file name or with an empty
// one (no checkpoint file, which is what a run here has) and refuses a
// file: checkpoints are not implemented.
func setCheckFile(st *state, opt, v string, has bool) error {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	return notSupported("CheckFile")(st, opt, v, has)
}

// setCheckpointing accepts /CheckP[ointing] off, which is what a run here
// does, and refuses on (the default value): checkpoints are not
// implemented.
func setCheckpointing(st *state, opt, v string, has bool) error {
	switch strings.ToLower(v) {
	case "on", "":
		return notSupported("CheckPointing")(st, opt, v, has)
	case "off":
		return nil
	default:
		return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not on or off", v)}
	}
}

// setRestart accepts /Res[tart] deny (CheckpointUsage Never, what a run
// here does) and refuses force (the default value) and ifPossible:
// checkpoints are not implemented.
func setRestart(st *state, opt, v string, has bool) error {
	switch strings.ToLower(v) {
	case "deny":
		return nil
	case "force", "", "ifpossible":
		return notSupported("Restart")(st, opt, v, has)
	default:
		return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not deny, force or ifPossible", v)}
	}
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
