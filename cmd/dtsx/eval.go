package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

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
	File    string             `json:"file"`
	Package string             `json:"package,omitempty"`
	Loaded  bool               `json:"loaded"`
	Error   string             `json:"error,omitempty"`
	Results []expr.CheckResult `json:"results"`
}

type checkSummary struct {
	Checked  int `json:"checked"`
	Match    int `json:"match"`
	Mismatch int `json:"mismatch"`
	Skipped  int `json:"skipped"`
	ExitCode int `json:"exitCode"`
}

const evalUsage = `usage: dtsx eval [--package FILE] [--project PATH] [--password P] [--var 'NAME=VALUE']... [--json] EXPRESSION
       dtsx eval --check [--project PATH] [--password P] [--json] FILE...`

func cmdEval(args []string, stdout, stderr io.Writer) int {
	var c commonFlags
	fs := newFlagSet("eval", stderr, &c)
	pkgFile := fs.String("package", "", "evaluate in the package scope of `FILE` (.dtsx, or an .ispac holding one package)")
	check := fs.Bool("check", false, "evaluate every expression whose result SSIS cached in the FILEs and compare")
	var vars multiFlag
	fs.Var(&vars, "var", "`'NAME=VALUE'`: a variable's or parameter's value (User::X, X, $Package::P, System::StartTime) (repeatable)")
	fs.Var(&vars, "param", "`'NAME=VALUE'`: the same as --var, as dtsx run spells it for parameters (repeatable)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return runner.ExitSyntax
	}
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "dtsx eval: %s\n%s\n", msg, evalUsage)
		return runner.ExitSyntax
	}
	if *check {
		if *pkgFile != "" || len(vars) > 0 {
			return usageErr("--check reads the values from the files: it takes no --package or --var")
		}
		if len(rest) == 0 {
			return usageErr("no package to check")
		}
		return evalCheck(rest, c, stdout, stderr)
	}
	if len(rest) != 1 {
		return usageErr("give one expression (quote it)")
	}
	values := map[string]string{}
	for _, v := range vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return usageErr(fmt.Sprintf("--var %q: want 'NAME=VALUE'", v))
		}
		values[strings.TrimSpace(name)] = value
	}
	p, project, code := evalPackage(*pkgFile, c, stderr)
	if p == nil {
		return code
	}
	ev, err := runtime.Build(p, runtime.Options{Project: project}).NewEvaluator(values)
	if err != nil {
		return usageErr(err.Error())
	}
	return printEval(ev, rest[0], c.json, stdout, stderr)
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

// evalCheck runs expr.Check over every package of files: exit 1 on a
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
			rep.Files = append(rep.Files, checkFile{File: f, Error: err.Error(), Results: []expr.CheckResult{}})
			worse(runner.LoadExitCode(err))
			continue
		}
		for _, p := range pkgs {
			results := expr.Check(p, project)
			for i := range results {
				r := &results[i]
				if r.Sensitive {
					r.Want, r.Got = masked, masked
					if r.Status == expr.Mismatch && r.Reason != "" {
						r.Reason = "the evaluation failed; the message is not shown because the expression reads a sensitive parameter"
					}
				}
				switch r.Status {
				case expr.Match:
					rep.Summary.Match++
				case expr.Mismatch:
					rep.Summary.Mismatch++
					worse(runner.ExitFailure)
				case expr.Skip:
					rep.Summary.Skipped++
				}
			}
			if results == nil {
				results = []expr.CheckResult{}
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
			case expr.Match:
				fmt.Fprintf(stdout, "MATCH %s %s\n", r.Path, r.Name)
			case expr.Mismatch:
				got := shown(r.Got, r.Sensitive)
				switch {
				case r.Got == "" && r.Reason != "":
					got = "error: " + r.Reason
				case r.Reason != "":
					got += " (" + r.Reason + ")"
				}
				fmt.Fprintf(stdout, "MISMATCH %s %s: SSIS %s here %s\n", r.Path, r.Name, shown(r.Want, r.Sensitive), got)
			case expr.Skip:
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
