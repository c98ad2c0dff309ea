package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/builtin"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// masked replaces a sensitive value in every output.
const masked = "********"

// inspectReport is the JSON of `dtsx inspect --json` (docs/json.md).
type inspectReport struct {
	File            string           `json:"file"`
	Name            string           `json:"name"`
	DTSID           string           `json:"dtsid"`
	Format          int              `json:"format"`
	ProtectionLevel string           `json:"protectionLevel"`
	Connections     []connJSON       `json:"connections"`
	Parameters      []paramJSON      `json:"parameters"`
	Variables       []varJSON        `json:"variables"`
	Executable      *exeJSON         `json:"executable"`
	Diagnostics     dtsx.Diagnostics `json:"diagnostics"`
	// ProjectDiagnostics are the problems of the package's project files,
	// given with the first package of the project inspected only.
	ProjectDiagnostics dtsx.Diagnostics `json:"projectDiagnostics,omitempty"`
}

type exprJSON struct {
	Property   string `json:"property"`
	Expression string `json:"expression"`
}

type connJSON struct {
	Name             string     `json:"name"`
	DTSID            string     `json:"dtsid"`
	CreationName     string     `json:"creationName"`
	Scope            string     `json:"scope"`
	File             string     `json:"file,omitempty"`
	ConnectionString string     `json:"connectionString"`
	DelayValidation  bool       `json:"delayValidation"`
	Expressions      []exprJSON `json:"expressions,omitempty"`
	Secrets          []string   `json:"secrets,omitempty"`
}

type paramJSON struct {
	Name      string `json:"name"`
	DataType  string `json:"dataType"`
	Value     string `json:"value"`
	Required  bool   `json:"required"`
	Sensitive bool   `json:"sensitive"`
}

type varJSON struct {
	Name                 string `json:"name"`
	Scope                string `json:"scope"`
	DataType             string `json:"dataType"`
	Value                string `json:"value"`
	EvaluateAsExpression bool   `json:"evaluateAsExpression,omitempty"`
	Expression           string `json:"expression,omitempty"`
	ReadOnly             bool   `json:"readOnly,omitempty"`
}

type exeJSON struct {
	RefID string `json:"refId"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	// Kind is the type's name ("Send Mail task", "Sequence container").
	Kind          string           `json:"kind"`
	DTSID         string           `json:"dtsid,omitempty"`
	Disabled      bool             `json:"disabled,omitempty"`
	EventName     string           `json:"eventName,omitempty"`
	Expressions   []exprJSON       `json:"expressions,omitempty"`
	Constraints   []constraintJSON `json:"constraints,omitempty"`
	Executables   []*exeJSON       `json:"executables,omitempty"`
	EventHandlers []*exeJSON       `json:"eventHandlers,omitempty"`
	// Properties are a task's main properties (Send Mail, File System,
	// Execute Process, Expression, Execute Package, and an Execute SQL
	// task's connection), connection references by their managers' names.
	Properties []propJSON `json:"properties,omitempty"`
	// ExecuteSQL is an Execute SQL task's statement and bindings.
	ExecuteSQL *executesql.Summary `json:"executeSQL,omitempty"`
	// DataFlow is a Data Flow task's components, paths and column counts.
	DataFlow *pipeline.Summary `json:"dataFlow,omitempty"`
}

type constraintJSON struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Value      string `json:"value"`
	EvalOp     string `json:"evalOp"`
	Expression string `json:"expression,omitempty"`
	LogicalAnd bool   `json:"logicalAnd"`
}

// newInspectCmd is dtsx inspect: what a package holds.
func newInspectCmd() *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "inspect [flags] FILE...",
		Short: "show packages' executables with their tasks' properties, connections (secrets masked), variables, parameters and data flows",
		Args:  argCount(1, -1, "package"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return exit(inspectFiles(args, c, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	c.add(cmd.Flags(), true)
	return cmd
}

// inspectFiles prints what the packages of files hold.
func inspectFiles(files []string, c commonFlags, stdout, stderr io.Writer) int {
	reps := []inspectReport{}
	code := runner.ExitSuccess
	seen := onceSeen{}
	for _, f := range files {
		pkgs, project, err := runtime.Open(f, c.project, c.loadOptions())
		if err != nil {
			fmt.Fprintln(stderr, err)
			code = max(code, runner.LoadExitCode(err))
			continue
		}
		for _, p := range pkgs {
			r := inspect(p, project)
			if project != nil {
				r.ProjectDiagnostics = seen.filter(p.File, project.Diagnostics)
			}
			reps = append(reps, r)
		}
	}
	if c.json {
		if len(reps) == 1 {
			writeJSON(stdout, reps[0])
		} else {
			writeJSON(stdout, reps)
		}
		return code
	}
	for _, r := range reps {
		printInspect(stdout, r)
	}
	return code
}

func exprs(es []dtsx.PropertyExpression) []exprJSON {
	var out []exprJSON
	for _, e := range es {
		out = append(out, exprJSON{Property: e.Name, Expression: e.Expression})
	}
	return out
}

func inspect(p *dtsx.Package, project *dtsx.Project) inspectReport {
	r := inspectReport{File: p.File, Name: p.Name, DTSID: p.DTSID, Format: p.Format,
		ProtectionLevel: p.ProtectionLevel.String(), Connections: []connJSON{}, Parameters: []paramJSON{},
		Variables: []varJSON{}, Diagnostics: p.Diagnostics}
	if r.Diagnostics == nil {
		r.Diagnostics = dtsx.Diagnostics{}
	}
	cms := p.Connections
	var params []*dtsx.Parameter
	if project != nil {
		cms = append(append([]*dtsx.ConnectionManager(nil), cms...), project.Connections...)
		params = append(params, project.Parameters...)
	}
	params = append(params, p.Parameters...)
	for _, cm := range cms {
		cj := connJSON{Name: cm.Name, DTSID: cm.DTSID, CreationName: cm.CreationName, Scope: "package",
			ConnectionString: connstr.Mask(cm.ConnectionString), DelayValidation: cm.DelayValidation,
			Expressions: exprs(cm.Expressions)}
		if cm.Project {
			cj.Scope, cj.File = "project", cm.File
		}
		for _, s := range cm.Secrets {
			state := "saved"
			switch {
			case s.Empty:
				state = "not saved"
			case s.Encrypted:
				state = "encrypted"
			}
			cj.Secrets = append(cj.Secrets, s.Name+": "+state)
		}
		r.Connections = append(r.Connections, cj)
	}
	for _, pa := range params {
		v := pa.Value
		switch {
		case pa.Sensitive || pa.Encrypted:
			v = masked
		}
		r.Parameters = append(r.Parameters, paramJSON{Name: pa.QualifiedName(), DataType: pa.DataType.String(),
			Value: v, Required: pa.Required, Sensitive: pa.Sensitive})
	}
	p.Walk(func(x *dtsx.Executable) bool {
		for _, v := range x.Variables {
			r.Variables = append(r.Variables, varJSON{Name: v.QualifiedName(), Scope: x.RefID, DataType: v.DataType.String(),
				Value: v.Value, EvaluateAsExpression: v.EvaluateAsExpression, Expression: v.Expression, ReadOnly: v.ReadOnly})
		}
		return true
	})
	r.Executable = exeTree(p, p.Executable, cms, builtin.Tasks())
	return r
}

func exeTree(p *dtsx.Package, x *dtsx.Executable, cms []*dtsx.ConnectionManager, reg *tasks.Registry) *exeJSON {
	j := &exeJSON{RefID: x.RefID, Name: x.Name, Type: x.Type(), Kind: kindOf(reg, x), DTSID: x.DTSID, Disabled: x.Disabled,
		EventName: x.EventName, Expressions: exprs(x.Expressions)}
	j.Properties = taskProperties(j.Kind, x, cms)
	if j.Kind == "Execute SQL task" {
		j.ExecuteSQL = executesql.Describe(x, sqlConnection(x, cms))
		if name := connectionName(j.ExecuteSQL.Connection, cms); name != "" {
			j.Properties = append(j.Properties, propJSON{"Connection", name})
		}
	}
	if pipeline.IsDataFlow(x) {
		pl, ds := pipeline.Read(p, x)
		j.DataFlow = pl.Summarize(ds)
	}
	for _, c := range x.Constraints {
		cj := constraintJSON{From: c.FromRef, To: c.ToRef, Value: c.Value.String(), EvalOp: c.EvalOp.String(),
			Expression: c.Expression, LogicalAnd: c.LogicalAnd}
		if c.From != nil {
			cj.From = c.From.RefID
		}
		if c.To != nil {
			cj.To = c.To.RefID
		}
		j.Constraints = append(j.Constraints, cj)
	}
	for _, c := range x.Executables {
		j.Executables = append(j.Executables, exeTree(p, c, cms, reg))
	}
	for _, h := range x.EventHandlers {
		j.EventHandlers = append(j.EventHandlers, exeTree(p, h, cms, reg))
	}
	return j
}

// sqlConnection returns the CreationName of the connection manager an
// Execute SQL task names (by DTSID, else by name), or "".
func sqlConnection(x *dtsx.Executable, cms []*dtsx.ConnectionManager) string {
	ref, _ := x.ObjectDataAttr("Connection")
	for _, cm := range cms {
		if strings.EqualFold(cm.DTSID, ref) || strings.EqualFold(cm.Name, ref) {
			return cm.CreationName
		}
	}
	return ""
}

func printInspect(w io.Writer, r inspectReport) {
	fmt.Fprintf(w, "Package %s  %s\n  file: %s\n  format: %d  protection: %s\n", r.Name, r.DTSID, r.File, r.Format, r.ProtectionLevel)
	fmt.Fprintf(w, "\nConnections (%d)\n", len(r.Connections))
	for _, c := range r.Connections {
		fmt.Fprintf(w, "  %-30s %-10s %-8s %s\n", c.Name, c.CreationName, c.Scope, c.ConnectionString)
		for _, e := range c.Expressions {
			fmt.Fprintf(w, "      %s = %s\n", e.Property, oneLine(e.Expression))
		}
		for _, s := range c.Secrets {
			fmt.Fprintf(w, "      secret %s\n", s)
		}
	}
	fmt.Fprintf(w, "\nParameters (%d)\n", len(r.Parameters))
	for _, p := range r.Parameters {
		fmt.Fprintf(w, "  %-30s %-8s %s\n", p.Name, p.DataType, oneLine(p.Value))
	}
	fmt.Fprintf(w, "\nVariables (%d)\n", len(r.Variables))
	for _, v := range r.Variables {
		val := oneLine(v.Value)
		if v.EvaluateAsExpression {
			val += "   = " + oneLine(v.Expression)
		}
		fmt.Fprintf(w, "  %-30s %-8s %s   [%s]\n", v.Name, v.DataType, val, v.Scope)
	}
	fmt.Fprintf(w, "\nExecutables\n")
	printExe(w, r.Executable, "  ")
	for _, d := range r.Diagnostics {
		fmt.Fprintln(w, d.String())
	}
	if len(r.ProjectDiagnostics) > 0 {
		fmt.Fprintf(w, "\nProject problems (%d, shown once for the project's packages)\n", len(r.ProjectDiagnostics))
		for _, d := range r.ProjectDiagnostics {
			fmt.Fprintln(w, "  "+d.String())
		}
	}
	fmt.Fprintln(w)
}

func printExe(w io.Writer, x *exeJSON, indent string) {
	flags := ""
	if x.Disabled {
		flags = " (disabled)"
	}
	fmt.Fprintf(w, "%s%s  [%s]%s\n", indent, x.Name, x.Kind, flags)
	for _, p := range x.Properties {
		fmt.Fprintf(w, "%s    %s: %s\n", indent, p.Name, oneLine(p.Value))
	}
	for _, e := range x.Expressions {
		fmt.Fprintf(w, "%s    %s = %s\n", indent, e.Property, oneLine(e.Expression))
	}
	if s := x.ExecuteSQL; s != nil {
		fmt.Fprintf(w, "%s    SQL (%s, %s): %s\n", indent, s.SourceType, strings.TrimPrefix(s.ResultSetType, "ResultSetType_"), oneLine(s.Statement))
		for _, p := range s.Parameters {
			fmt.Fprintf(w, "%s    parameter %s = %s (%s, %s)\n", indent, p.Name, p.Variable, p.Direction, p.DataType)
		}
		for _, r := range s.Results {
			fmt.Fprintf(w, "%s    result %s -> %s\n", indent, r.Name, r.Variable)
		}
	}
	if d := x.DataFlow; d != nil {
		printDataFlow(w, d, indent+"    ")
	}
	for _, c := range x.Executables {
		printExe(w, c, indent+"  ")
	}
	for _, c := range x.Constraints {
		fmt.Fprintf(w, "%s  -> %s to %s on %s (%s)\n", indent, lastName(c.From), lastName(c.To), c.Value, c.EvalOp)
	}
	for _, h := range x.EventHandlers {
		fmt.Fprintf(w, "%s  on %s:\n", indent, h.EventName)
		for _, c := range h.Executables {
			printExe(w, c, indent+"    ")
		}
	}
}

func lastName(ref string) string {
	if i := strings.LastIndexByte(ref, '\\'); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 100 {
		s = s[:97] + "..."
	}
	return s
}

// printDataFlow writes a data flow's figures, components and paths.
func printDataFlow(w io.Writer, d *pipeline.Summary, indent string) {
	n := d.Counts
	fmt.Fprintf(w, "%sdata flow: %d components, %d paths, %d output columns, %d input columns, %d external columns (buffers: %d rows, %d bytes; %d engine threads)\n",
		indent, n.Components, n.Paths, n.OutputColumns, n.InputColumns, n.ExternalColumns, d.DefaultBufferMaxRows, d.DefaultBufferSize, d.EngineThreads)
	for _, c := range d.Components {
		class := c.Display
		if class == "" {
			class = c.Class
		}
		note := ""
		if c.Support != pipeline.SupportFirstWave {
			note = "  (" + c.Support.String() + ")"
		}
		fmt.Fprintf(w, "%scomponent %-30s [%s]  inputs %d (%d columns), outputs %d (%d columns)%s\n",
			indent, c.Name, class, c.Inputs, c.InputColumns, c.Outputs, c.OutputColumns, note)
	}
	for _, p := range d.Paths {
		fmt.Fprintf(w, "%spath %s.%s -> %s.%s\n", indent, p.FromComponent, p.FromOutput, p.ToComponent, p.ToInput)
	}
	for _, diag := range d.Diagnostics {
		fmt.Fprintf(w, "%s%s\n", indent, diag.String())
	}
}
