package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dtsx-run/dtsx/internal/runner"
)

// everyCommand is the command path of every command of dtsx and of each
// subcommand ("smtp probe"), without "dtsx".
func everyCommand(t *testing.T) [][]string {
	t.Helper()
	var out [][]string
	var walk func(path []string, cs []*cobra.Command)
	walk = func(path []string, cs []*cobra.Command) {
		for _, c := range cs {
			p := append(append([]string(nil), path...), c.Name())
			out = append(out, p)
			walk(p, c.Commands())
		}
	}
	walk(nil, newRootCmd().Commands())
	if len(out) < 11 {
		t.Fatalf("only %d commands: %v", len(out), out)
	}
	return out
}

// TestHelpExitsZero: --help, -h and help COMMAND print the command's usage
// on stdout and exit 0, for dtsx and every command and subcommand.
func TestHelpExitsZero(t *testing.T) {
	cases := [][]string{{"--help"}, {"-h"}, {"help"}}
	for _, path := range everyCommand(t) {
		cases = append(cases, append(append([]string(nil), path...), "--help"), append(append([]string(nil), path...), "-h"),
			append([]string{"help"}, path...))
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, args...)
			if code != runner.ExitSuccess || errOut != "" {
				t.Fatalf("exit %d, want 0\nstderr: %s", code, errOut)
			}
			name := args[len(args)-1]
			if name == "--help" || name == "-h" {
				name = "dtsx"
				if len(args) > 1 {
					name = args[len(args)-2]
				}
			}
			if name == "help" {
				name = "dtsx"
			}
			if !strings.Contains(out, name) || !strings.Contains(strings.ToLower(out), "usage") {
				t.Errorf("no usage of %s on stdout:\n%s", name, out)
			}
		})
	}
}

// TestWrongCommandLine: an unknown flag, a missing value or a wrong
// argument says what is wrong, shows the usage and exits 6, for every
// command.
func TestWrongCommandLine(t *testing.T) {
	type tc struct {
		args []string
		want string
	}
	var cases []tc
	for _, path := range everyCommand(t) {
		cases = append(cases, tc{append(append([]string(nil), path...), "--no-such-flag"), "unknown flag: --no-such-flag"})
	}
	cases = append(cases,
		tc{nil, "usage: dtsx COMMAND"},
		tc{[]string{"frobnicate"}, `unknown command "frobnicate" for "dtsx"`},
		tc{[]string{"rn"}, "Did you mean this?\n\trun"},
		tc{[]string{"run"}, "dtsx run: no package given"},
		tc{[]string{"run", "a.dtsx", "b.dtsx"}, "2 arguments given (a.dtsx b.dtsx), want 1 package"},
		tc{[]string{"run", "--capture"}, "flag needs an argument: --capture"},
		tc{[]string{"run", "--unsupported", "maybe", "a.dtsx"}, `--unsupported "maybe": want fail or skip`},
		tc{[]string{"run", "--max-concurrent", "many", "a.dtsx"}, `invalid argument "many" for "--max-concurrent"`},
		tc{[]string{"inspect"}, "no package given"},
		tc{[]string{"types", "extra"}, `unknown command "extra" for "dtsx types"`},
		tc{[]string{"smtp"}, "give a command: probe"},
		tc{[]string{"smtp", "prob"}, `unknown command "prob" for "dtsx smtp"`},
		tc{[]string{"smtp", "probe"}, "give either --conn or --package"},
		tc{[]string{"smtp", "probe", "--package", "x.dtsx"}, "--package needs --connection NAME"},
		tc{[]string{"db"}, "give a command: probe"},
		tc{[]string{"db", "probe"}, "no package given"},
		tc{[]string{"db", "probe", "--timeout", "0s", "x.dtsx"}, "--timeout 0s: want a positive duration"},
		tc{[]string{"completion"}, "accepts 1 arg(s), received 0"},
		tc{[]string{"completion", "tcsh"}, `invalid argument "tcsh"`},
		tc{[]string{"version", "now"}, `unknown command "now"`},
	)
	for _, tt := range cases {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != runner.ExitSyntax {
				t.Errorf("exit %d, want 6\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			if !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "usage: dtsx") {
				t.Errorf("stderr lacks %q and the usage:\n%s", tt.want, errOut)
			}
		})
	}
}

// TestTopLevelUsageListsEveryFlag: dtsx --help names every command and
// subcommand and every flag of each.
func TestTopLevelUsageListsEveryFlag(t *testing.T) {
	code, out, _ := runCLI(t, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	n := 0
	var walk func(cs []*cobra.Command)
	walk = func(cs []*cobra.Command) {
		for _, c := range cs {
			walk(c.Commands())
			if c.HasSubCommands() {
				continue
			}
			use := c.UseLine()
			i := strings.Index(out, "\n"+use+"\n")
			if i < 0 {
				t.Errorf("the usage lacks %q:\n%s", use, out)
				continue
			}
			section, _, _ := strings.Cut(out[i+len(use)+2:], "\n\n")
			c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
				n++
				if !strings.Contains(section, "--"+f.Name+" ") {
					t.Errorf("%s: the usage lacks --%s:\n%s", use, f.Name, section)
				}
			})
		}
	}
	walk(newRootCmd().Commands())
	if n < 40 {
		t.Errorf("only %d flags checked", n)
	}
	for _, w := range []string{"--version", "exit codes: 0 no errors", "6 bad command line"} {
		if !strings.Contains(out, w) {
			t.Errorf("the usage lacks %q", w)
		}
	}
}
