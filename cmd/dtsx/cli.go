package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

const usage = `usage: dtsx <command> [options] FILE...

commands:
  run [--capture DIR] [--conn 'NAME;STRING'] [--credentials FILE] [--json REPORT]
      [--max-concurrent N] [--unsupported fail|skip] [--project PATH]
      [--set 'PATH;VALUE'] [--param 'NAME=VALUE'] [--path-map 'C:\Data=/srv/data']
      [--unc-root DIR] [--log FILE] [-v] FILE
                                               run a package (exit 0 success, 1 failure, 3 cancelled)
  assess [--json [FILE|-]] [--capture] [--project PATH] [--path-map 'C:\Data=/srv/data'] PATH...
                                               the verdict of every package (runs as is, runs after
                                               configuration, blocked, not loaded) and the project view;
                                               PATH is a folder, a .dtproj, an .ispac or a package
                                               (exit 1 when a package is blocked or does not load)
  validate [--json] [--capture] [--project PATH] [--connect] PATH...
                                               check packages without running them, with assess's
                                               verdict; --connect also opens each database connection
  inspect  [--json] [--project PATH] FILE      show a package's executables, connections, variables, parameters
  eval [--package FILE] [--var 'NAME=VALUE'] [--json] EXPRESSION | eval --check FILE...   an expression's value; --check: compare with what SSIS cached
  types                                        list the connection manager and task types this runtime knows
  smtp probe (--conn STRING | --package FILE --connection NAME)
                                               connect as a connection manager would, send nothing
  db probe [--connection NAME] [--allowed-hosts LIST] [--timeout D] [--json] FILE...
                                               open each database connection, report the server and version

FILE is a .dtsx package or an .ispac project. --project names the project
(.dtproj, .ispac or folder) whose connection managers and parameters the
package uses; by default the .conmgr and .params files beside the package.

exit codes: 0 no errors, 1 validation errors (probe: a connection failed),
3 cancelled, 4 file not found, 5 file cannot be loaded, 6 bad command line.
`

// run is the whole command; main only exits with its result.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return runner.ExitSyntax
	}
	switch args[0] {
	case "validate":
		return cmdValidate(args[1:], stdout, stderr)
	case "assess":
		return cmdAssess(args[1:], stdout, stderr)
	case "inspect":
		return cmdInspect(args[1:], stdout, stderr)
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "eval":
		return cmdEval(args[1:], stdout, stderr)
	case "smtp":
		return cmdSMTP(args[1:], stdout, stderr)
	case "db":
		return cmdDB(args[1:], stdout, stderr)
	case "types":
		return cmdTypes(stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return runner.ExitSuccess
	}
	fmt.Fprintf(stderr, "dtsx: unknown command %q\n\n%s", args[0], usage)
	return runner.ExitSyntax
}

// commonFlags are the flags every loading command takes.
type commonFlags struct {
	json     bool
	project  string
	password string
}

// loadOptions are the load options the flags give.
func (c *commonFlags) loadOptions() dtsx.Options {
	return dtsx.Options{Password: passwordOrEnv(c.password)}
}

// passwordFlag adds --password to a command.
func passwordFlag(fs *flag.FlagSet, p *string) {
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

func newFlagSet(name string, stderr io.Writer, c *commonFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("dtsx "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&c.json, "json", false, "print JSON (see docs/json.md)")
	fs.StringVar(&c.project, "project", "", "project `PATH` (.dtproj, .ispac or folder)")
	passwordFlag(fs, &c.password)
	return fs
}

// parseInterspersed parses flags that may come after the file names too.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return files, nil
		}
		files = append(files, args[0])
		args = args[1:]
	}
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

// cmdTypes lists the registered connection manager and task types.
func cmdTypes(stdout io.Writer) int {
	fmt.Fprintln(stdout, "Connection manager types (CreationName):")
	for _, n := range connbuiltin.Connections().Names() {
		fmt.Fprintln(stdout, "  "+n)
	}
	fmt.Fprintln(stdout, "\nTask and container types (ExecutableType):")
	for _, n := range builtin.Tasks().Names() {
		fmt.Fprintln(stdout, "  "+n)
	}
	return runner.ExitSuccess
}

// writeJSON prints v as indented JSON, the form every --json output takes.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
