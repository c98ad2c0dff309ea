package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/runner"
)

// about is the top of dtsx --help.
const about = `dtsx loads, validates, inspects and runs SSIS packages on Linux.`

// notes end dtsx --help: what FILE is, and the exit codes.
const notes = `FILE is a .dtsx package or an .ispac project; PATH is also a folder
(searched recursively) or a .dtproj. --project names the project
(.dtproj, .ispac or folder) whose connection managers and parameters the
package uses; by default the .conmgr and .params files beside the package.
A --json that takes a file writes standard output when the file is "-".

exit codes: 0 no errors, 1 validation errors (probe: a connection failed),
3 cancelled, 4 file not found, 5 file cannot be loaded, 6 bad command line.
`

// run is the whole command; main only exits with its result.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteC()
	var exit exitError
	switch {
	case err == nil:
		return runner.ExitSuccess
	case errors.As(err, &exit):
		return exit.code
	}
	// Anything else is a wrong command line: an unknown command or flag, a
	// flag without its value, a wrong number of arguments, or what a
	// command finds wrong with its flags (it returns a plain error).
	fmt.Fprintf(stderr, "%s: %v\nusage: %s\nRun '%s --help' for more.\n", cmd.CommandPath(), err, cmd.UseLine(), cmd.CommandPath())
	return runner.ExitSyntax
}

// newRootCmd is dtsx with every command.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "dtsx COMMAND [flags] ARGS...",
		Short:         "run SSIS packages on Linux",
		Long:          about,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// dtsx alone is a wrong command line: the usage, exit 6.
		RunE: func(cmd *cobra.Command, _ []string) error {
			printRootHelp(cmd.ErrOrStderr(), cmd, cmd.Commands())
			return exitError{runner.ExitSyntax}
		},
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	// --version without -v: -v is dtsx run's verbose.
	root.Flags().Bool("version", false, "print the version and the commit dtsx was built from")
	root.SetVersionTemplate("{{.Version}}\n")
	cmds := commands()
	root.AddCommand(cmds...)
	commandHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c == root {
			printRootHelp(c.OutOrStdout(), root, cmds)
			return
		}
		commandHelp(c, args)
	})
	return root
}

// commands lists every command of dtsx, in the order of dtsx --help.
func commands() []*cobra.Command {
	return []*cobra.Command{
		newRunCmd(),
		newAssessCmd(),
		newValidateCmd(),
		newInspectCmd(),
		newEvalCmd(),
		newGraphCmd(),
		newTypesCmd(),
		newSMTPCmd(),
		newDBCmd(),
		newVersionCmd(),
		newCompletionCmd(),
	}
}

// parentCmd is a command of subcommands (dtsx smtp, dtsx db): alone, or
// with another word, it is a wrong command line.
func parentCmd(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var names []string
			for _, c := range cmd.Commands() {
				names = append(names, c.Name())
			}
			return fmt.Errorf("give a command: %s", strings.Join(names, ", "))
		},
	}
	cmd.AddCommand(subs...)
	return cmd
}

// printRootHelp writes dtsx's usage: every command of cmds (in their
// order) and its subcommands, with every flag.
func printRootHelp(w io.Writer, root *cobra.Command, cmds []*cobra.Command) {
	fmt.Fprintf(w, "%s\n\nusage: %s\n\ncommands:\n", root.Long, root.UseLine())
	var leaves []*cobra.Command
	var walk func(cs []*cobra.Command)
	walk = func(cs []*cobra.Command) {
		for _, c := range cs {
			switch {
			case !c.IsAvailableCommand():
			case c.HasSubCommands():
				walk(c.Commands())
			default:
				leaves = append(leaves, c)
			}
		}
	}
	walk(cmds)
	for _, c := range leaves {
		fmt.Fprintf(w, "  %-12s %s\n", strings.TrimPrefix(c.CommandPath(), root.Name()+" "), c.Short)
	}
	for _, c := range leaves {
		fmt.Fprintf(w, "\n%s\n", c.UseLine())
		if fs := c.LocalNonPersistentFlags(); fs.HasAvailableFlags() {
			fmt.Fprint(w, fs.FlagUsages())
		}
	}
	fmt.Fprintf(w, "\n%s\n%s", root.UseLine(), root.LocalNonPersistentFlags().FlagUsages())
	fmt.Fprintf(w, "\nEvery command takes --help (-h); dtsx help COMMAND is the same.\n\n%s", notes)
}

// exitError ends a command with an exit code, the command having said
// why.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit code %d", e.code) }

// exit is a command's result as its RunE returns it: nil for success.
func exit(code int) error {
	if code == runner.ExitSuccess {
		return nil
	}
	return exitError{code}
}

// argCount requires between min and max FILE arguments (max < 0: no limit),
// saying what was wrong.
func argCount(min, max int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) < min && len(args) == 0:
			return fmt.Errorf("no %s given", what)
		case len(args) < min:
			return fmt.Errorf("%d arguments given, want at least %d (%s)", len(args), min, what)
		case max >= 0 && len(args) > max:
			return fmt.Errorf("%d arguments given (%s), want %s", len(args), strings.Join(args, " "), plural(max, what))
		}
		return nil
	}
}

// multiFlag collects a repeatable flag, in command-line order; two flags
// may share one.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
func (m *multiFlag) Type() string       { return "strings" }

// commonFlags are the flags every loading command takes.
type commonFlags struct {
	json     bool
	project  string
	password string
}

// add adds --project and --password, and --json as a switch when asJSON.
func (c *commonFlags) add(fs *pflag.FlagSet, asJSON bool) {
	if asJSON {
		fs.BoolVar(&c.json, "json", false, "print JSON (see docs/json.md)")
	}
	projectFlag(fs, &c.project)
	passwordFlag(fs, &c.password)
}

// loadOptions are the load options the flags give.
func (c *commonFlags) loadOptions() dtsx.Options {
	return dtsx.Options{Password: passwordOrEnv(c.password)}
}

// projectFlag adds --project to a command.
func projectFlag(fs *pflag.FlagSet, p *string) {
	fs.StringVar(p, "project", "", "project `PATH` (.dtproj, .ispac or folder)")
}

// passwordFlag adds --password to a command.
func passwordFlag(fs *pflag.FlagSet, p *string) {
	fs.StringVar(p, "password", "", "the package `PASSWORD` (EncryptSensitiveWithPassword, EncryptAllWithPassword); default $"+dtsx.PasswordEnv)
}

// passwordOrEnv is the password given, or the one of the environment, as
// dtexec reads SSIS_PACKAGE_DECRYPT.
func passwordOrEnv(p string) string {
	if p == "" {
		return os.Getenv(dtsx.PasswordEnv)
	}
	return p
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	if strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// writeJSON prints v as indented JSON, the form every --json output takes.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
