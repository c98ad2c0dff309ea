package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
)

// sensitiveText replaces a value read from a sensitive parameter in text
// output (JSON shows masked, as everywhere).
const sensitiveText = "(sensitive)"

// evalReport is the JSON of `dtsx eval --json`.
type evalReport struct {
	Expression string `json:"expression"`
	// Value is the value as text (what a cast to DT_WSTR gives); null for
	// NULL.
	Value     *string `json:"value"`
	Type      string  `json:"type,omitempty"`
	Sensitive bool    `json:"sensitive"`
	Error     string  `json:"error,omitempty"`
}

// checkReport is the JSON of `dtsx eval --check --json`.
type checkReport struct {
	Files   []checkFile  `json:"files"`
	Summary checkSummary `json:"summary"`
}

type checkFile struct {
	File    string                `json:"file"`
	Package string                `json:"package,omitempty"`
	Loaded  bool                  `json:"loaded"`
	Error   string                `json:"error,omitempty"`
	Results []runtime.CheckResult `json:"results"`
}

type checkSummary struct {
	Checked  int `json:"checked"`
	Match    int `json:"match"`
	Mismatch int `json:"mismatch"`
	Skipped  int `json:"skipped"`
	ExitCode int `json:"exitCode"`
}

// evalFlags are dtsx eval's flags.
type evalFlags struct {
	commonFlags
	pkgFile string
	check   bool
	vars    multiFlag
}

// newEvalCmd is dtsx eval: an expression's value in a package's scope,
// or with --check, what SSIS cached compared with what this runtime
// computes.
func newEvalCmd() *cobra.Command {
	var c evalFlags
	cmd := &cobra.Command{
		Use:   "eval [flags] EXPRESSION",
		Short: "an expression's value and type in a package's scope; --check FILE...: does this runtime compute what SSIS cached?",
		Long: `Evaluates an SSIS expression in a package's scope (--package) and prints its
value and type. With --check FILE..., evaluates every expression whose result
SSIS cached in the files and compares: exit 1 on a mismatch.`,
		Example: `  dtsx eval --package p.dtsx '@[User::Recipient]'
  dtsx eval --check p.dtsx q.dtsx`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if c.check {
				if c.pkgFile != "" || len(c.vars) > 0 {
					return errors.New("--check reads the values from the files: it takes no --package or --var")
				}
				if len(args) == 0 {
					return errors.New("no package to check")
				}
				return exit(evalCheck(args, c.commonFlags, cmd.OutOrStdout(), cmd.ErrOrStderr()))
			}
			if len(args) != 1 {
				return errors.New("give one expression (quote it)")
			}
			return evalExpression(args[0], c, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fs := cmd.Flags()
	c.add(fs, true)
	fs.StringVar(&c.pkgFile, "package", "", "evaluate in the package scope of `FILE` (.dtsx, or an .ispac holding one package)")
	fs.BoolVar(&c.check, "check", false, "evaluate every expression whose result SSIS cached in the FILEs and compare")
	fs.Var(&c.vars, "var", "give the variable or parameter NAME (User::X, X, $Package::P, System::StartTime) the VALUE, as `'NAME=VALUE'` (repeatable)")
	fs.Var(&c.vars, "param", "`'NAME=VALUE'`, the same as --var, as dtsx run spells it for parameters (repeatable)")
	return cmd
}

// evalExpression prints the value of src in the scope of the flags.
func evalExpression(src string, c evalFlags, stdout, stderr io.Writer) error {
	values := map[string]string{}
	for _, v := range c.vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("--var %q: want 'NAME=VALUE'", v)
		}
		values[strings.TrimSpace(name)] = value
	}
	p, project, code := evalPackage(c.pkgFile, c.commonFlags, stderr)
	if p == nil {
		return exit(code)
	}
	ev, err := runtime.Build(p, runtime.Options{Project: project}).NewEvaluator(values)
	if err != nil {
		return err
	}
	return exit(printEval(ev, src, c.json, stdout, stderr))
}

// emptyPackage is the scope of an expression evaluated without --package:
// System variables only.
const emptyPackage = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="Package">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
</DTS:Executable>`

// evalPackage loads the package whose scope an expression is evaluated
// in; with no file, an empty package (of the --project given, if any). On
// failure it returns nil and the exit code, having said why.
func evalPackage(file string, c commonFlags, stderr io.Writer) (*dtsx.Package, *dtsx.Project, int) {
	if file == "" {
		p, err := dtsx.LoadPackage("(no package)", []byte(emptyPackage))
		if err != nil {
			panic(err) // the constant is a valid package
		}
		var project *dtsx.Project
		if c.project != "" {
			if project, err = c.loadOptions().LoadProject(c.project); err != nil {
				fmt.Fprintln(stderr, err)
				return nil, nil, runner.LoadExitCode(err)
			}
		}
		return p, project, runner.ExitSuccess
	}
	pkgs, project, err := runtime.Open(file, c.project, c.loadOptions())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, nil, runner.LoadExitCode(err)
	}
	if len(pkgs) != 1 {
		var names []string
		for _, p := range pkgs {
			names = append(names, filepath.Base(p.File))
		}
		fmt.Fprintf(stderr, "dtsx eval: %s holds %d packages (%s): give one as --package FILE.dtsx --project %s\n",
			file, len(pkgs), strings.Join(names, ", "), file)
		return nil, nil, runner.ExitSyntax
	}
	return pkgs[0], project, runner.ExitSuccess
}

// printEval evaluates src and prints its value and type: exit 0, or 1
// when it does not parse or cannot be evaluated.
func printEval(ev *runtime.Evaluator, src string, asJSON bool, stdout, stderr io.Writer) int {
	rep := evalReport{Expression: src}
	res, err := ev.Eval(src)
	rep.Sensitive = res.Sensitive
	if err != nil {
		var se *expr.SyntaxError
		if res.Sensitive && !errors.As(err, &se) {
			err = hiddenError(err)
		}
		if asJSON {
			rep.Error = err.Error()
			writeJSON(stdout, rep)
		} else {
			fmt.Fprintf(stderr, "dtsx eval: %v\n", err)
		}
		return runner.ExitFailure
	}
	v := res.Value
	rep.Type = v.Type().String()
	text := v.String()
	switch {
	case res.Sensitive:
		hidden := masked
		rep.Value, text = &hidden, sensitiveText
	case v.IsNull():
		text = "NULL"
	default:
		value := text
		rep.Value = &value
		if s, ok := v.Text(); ok {
			text = strconv.Quote(s)
		}
	}
	if asJSON {
		writeJSON(stdout, rep)
	} else {
		fmt.Fprintf(stdout, "%s (%s)\n", text, rep.Type)
	}
	return runner.ExitSuccess
}

// hiddenError keeps where an evaluation failed and drops the message,
// which could quote the value of a sensitive parameter.
func hiddenError(err error) error {
	var ee *expr.EvalError
	if errors.As(err, &ee) {
		return fmt.Errorf("%s at %s: the evaluation failed; the message is not shown because the expression reads a sensitive parameter", ee.Op, ee.Pos)
	}
	return errors.New("the evaluation failed; the message is not shown because the expression reads a sensitive parameter")
}

// evalCheck runs runtime.Check over every package of files: exit 1 on a
// mismatch, 4 or 5 when a file cannot be loaded, else 0.
func evalCheck(files []string, c commonFlags, stdout, stderr io.Writer) int {
	rep := checkReport{Files: []checkFile{}}
	code := runner.ExitSuccess
	worse := func(c int) {
		if c > code {
			code = c
		}
	}
	for _, f := range files {
		pkgs, project, err := runtime.Open(f, c.project, c.loadOptions())
		if err != nil {
			rep.Files = append(rep.Files, checkFile{File: f, Error: err.Error(), Results: []runtime.CheckResult{}})
			worse(runner.LoadExitCode(err))
			continue
		}
		for _, p := range pkgs {
			results := runtime.Check(p, project)
			for i := range results {
				r := &results[i]
				if r.Sensitive {
					r.Want, r.Got = masked, masked
					if r.Status == runtime.CheckMismatch && r.Reason != "" {
						r.Reason = "the evaluation failed; the message is not shown because the expression reads a sensitive parameter"
					}
				}
				switch r.Status {
				case runtime.CheckMatch:
					rep.Summary.Match++
				case runtime.CheckMismatch:
					rep.Summary.Mismatch++
					worse(runner.ExitFailure)
				case runtime.CheckSkip:
					rep.Summary.Skipped++
				}
			}
			if results == nil {
				results = []runtime.CheckResult{}
			}
			rep.Files = append(rep.Files, checkFile{File: p.File, Package: p.Name, Loaded: true, Results: results})
		}
	}
	rep.Summary.Checked = rep.Summary.Match + rep.Summary.Mismatch
	rep.Summary.ExitCode = code
	if c.json {
		writeJSON(stdout, rep)
		return code
	}
	for _, f := range rep.Files {
		if !f.Loaded {
			fmt.Fprintf(stderr, "dtsx eval: %s\n", f.Error)
			continue
		}
		if len(f.Results) > 0 {
			fmt.Fprintf(stdout, "# %s (%s)\n", f.File, f.Package)
		}
		for _, r := range f.Results {
			switch r.Status {
			case runtime.CheckMatch:
				fmt.Fprintf(stdout, "MATCH %s %s\n", r.Path, r.Name)
			case runtime.CheckMismatch:
				got := shown(r.Got, r.Sensitive)
				switch {
				case r.Got == "" && r.Reason != "":
					got = "error: " + r.Reason
				case r.Reason != "":
					got += " (" + r.Reason + ")"
				}
				fmt.Fprintf(stdout, "MISMATCH %s %s: SSIS %s here %s\n", r.Path, r.Name, shown(r.Want, r.Sensitive), got)
			case runtime.CheckSkip:
				fmt.Fprintf(stdout, "SKIP %s %s: %s\n", r.Path, r.Name, r.Reason)
			}
		}
	}
	fmt.Fprintf(stdout, "expressions: %d of %d match, %d skipped\n", rep.Summary.Match, rep.Summary.Checked, rep.Summary.Skipped)
	return code
}

// shown quotes a value for a MISMATCH line, or hides a sensitive one.
func shown(s string, sensitive bool) string {
	if sensitive {
		return sensitiveText
	}
	return strconv.Quote(s)
}
