package runtime

// Spelling turns an option as `dtsx run` spells it in a message that
// recommends it ("--unsupported skip", "--param '$Package::P=VALUE'",
// "--set") into the spelling of the command that runs the package, so that
// dtexec's messages name dtexec's options; "" means the command has no
// such option. A nil Spelling keeps dtsx run's.
type Spelling func(option string) string

// Of returns the command's spelling of a dtsx run option.
func (s Spelling) Of(option string) string {
	if s == nil {
		return option
	}
	return s(option)
}

// The options the runtime's messages recommend, as dtsx run spells them.
const (
	// OptSkipUnsupported runs the rest of a package whose tasks cannot
	// execute here.
	OptSkipUnsupported = "--unsupported skip"
	// OptSet sets a property or a variable.
	OptSet = "--set"
)

// OptParam is dtsx run's option that gives the parameter name a value.
func OptParam(name string) string { return "--param '" + name + "=VALUE'" }

// valuesHint names the options that give variables and parameters a value.
func (s Spelling) valuesHint() string {
	set, param := s.Of(OptSet), s.Of("--param")
	switch {
	case set != "" && param != "":
		return set + ", " + param
	case set != "":
		return set
	}
	return param
}

// skipHint says what to do about a task that cannot execute here.
func (s Spelling) skipHint() string {
	if o := s.Of(OptSkipUnsupported); o != "" {
		return "disable it, or run with " + o + " to run the rest"
	}
	return "disable it"
}

// paramHint says how to give a parameter its value.
func (s Spelling) paramHint(name string) string {
	if o := s.Of(OptParam(name)); o != "" {
		return o
	}
	return "a parameter value"
}
