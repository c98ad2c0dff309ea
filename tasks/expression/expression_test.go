package expression_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/expression"
)

// fakeEnv evaluates the expressions it knows (by their trimmed source) and
// keeps variables in a map; ReadOnly variables refuse a new value.
type fakeEnv struct {
	evals     map[string]expr.Value
	any       expr.Value // the value of any other expression, when set
	evaluated []string
	vars      map[string]expr.Value
	readOnly  map[string]bool
	infos     []string
}

func (e *fakeEnv) Connection(ref string) (connections.Manager, error) {
	return nil, fmt.Errorf("no connection %q", ref)
}
func (e *fakeEnv) Variable(name string) (expr.Value, error) { return e.vars[name], nil }
func (e *fakeEnv) SetVariable(name string, v expr.Value) error {
	if e.readOnly[name] {
		return fmt.Errorf("variable %s is read-only", name)
	}
	e.vars[name] = v
	return nil
}
func (e *fakeEnv) Eval(src string) (expr.Value, error) {
	e.evaluated = append(e.evaluated, src)
	v, ok := e.evals[strings.TrimSpace(src)]
	if !ok && e.any.Type() != 0 {
		return e.any, nil
	}
	if !ok {
		return expr.Value{}, fmt.Errorf("cannot evaluate %q", src)
	}
	return v, nil
}
func (e *fakeEnv) Info(msg string)           { e.infos = append(e.infos, msg) }
func (e *fakeEnv) Warn(string)               {}
func (e *fakeEnv) Progress(int, string)      {}
func (e *fakeEnv) LocalPath(p string) string { return p }
func (e *fakeEnv) Record(tasks.Record)       {}

var _ tasks.RunEnv = (*fakeEnv)(nil)

func newEnv() *fakeEnv {
	return &fakeEnv{evals: map[string]expr.Value{}, vars: map[string]expr.Value{}, readOnly: map[string]bool{}}
}

// build returns an Expression Task of a format-6 package with the given
// Expression attribute and task-level XML.
func build(t *testing.T, src, extra string) *expression.Task {
	t.Helper()
	attr := ""
	if src != "-" {
		attr = fmt.Sprintf(`Expression="%s"`, strings.NewReplacer(`"`, "&quot;", "<", "&lt;", "&", "&amp;").Replace(src))
	}
	xml := fmt.Sprintf(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="SSIS.Package.3"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="SSIS.Package.3" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">6</DTS:Property>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Count"
      DTS:CreationName="Microsoft.SqlServer.Dts.Tasks.ExpressionTask.ExpressionTask, Microsoft.SqlServer.ExpressionTask, Version=11.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91"
      DTS:DTSID="{30000000-0000-0000-0000-000000000000}" DTS:ObjectName="Count"
      DTS:ExecutableType="Microsoft.SqlServer.Dts.Tasks.ExpressionTask.ExpressionTask, Microsoft.SqlServer.ExpressionTask, Version=11.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91">
      %s
      <DTS:ObjectData><ExpressionTask %s /></DTS:ObjectData>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`, extra, attr)
	p, err := dtsx.LoadPackage("t.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	task, err := expression.New(p.Executables[0])
	if err != nil {
		t.Fatal(err)
	}
	return task.(*expression.Task)
}

// TestAssignment checks what the task assigns, with the expression
// engine's parser (expr.Parse and Target) deciding.
func TestAssignment(t *testing.T) {
	tests := []struct {
		src    string
		target string // "" for a plain expression, evaluated and dropped
		err    bool   // ErrNotAssignment: the expression does not parse
	}{
		{src: `@[User::X] = 1`, target: "User::X"},
		{src: `@[User::v] =  @[User::v] + 6`, target: "User::v"},
		{src: "\n  @[User::My Var]=\"a = b\"", target: "User::My Var"},
		{src: `@Counter = @Counter + 1`, target: "Counter"},
		{src: `@[$Package::P] = 1`, target: "$Package::P"},
		{src: `@[User::X] = @[User::Y] == 2`, target: "User::X"},
		{src: `@[User::X] == 1`},
		{src: `@[User::X] != 1`},
		{src: `@[User::X] >= 1`},
		{src: `@[System::ContainerStartTime]`},
		{src: `GETDATE()`},
		{src: `(@[User::X]) = 1`, err: true},
		{src: `@[User::X] = 1 = 2`, err: true},
		{src: `@[User::X] =`, err: true},
		{src: `@[User::X = 1`, err: true},
		{src: `@User::X = 1`, err: true},
		{src: `@[] = 1`, err: true},
	}
	for _, tt := range tests {
		env := newEnv()
		env.any = expr.I4(1)
		err := build(t, tt.src, "").Execute(context.Background(), env)
		if tt.err {
			var se *expr.SyntaxError
			if !errors.Is(err, expression.ErrNotAssignment) || !errors.As(err, &se) || len(env.evaluated) != 0 {
				t.Errorf("%q: err %v, evaluated %q; want a syntax error matching ErrNotAssignment, nothing evaluated", tt.src, err, env.evaluated)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		var assigned []string
		for name := range env.vars {
			assigned = append(assigned, name)
		}
		if want := []string{tt.target}; tt.target == "" && len(assigned) != 0 || tt.target != "" && !reflect.DeepEqual(assigned, want) {
			t.Errorf("%q assigned %q, want %q", tt.src, assigned, tt.target)
		}
		if len(env.evaluated) != 1 || env.evaluated[0] != tt.src {
			t.Errorf("%q: evaluated %q, want the whole expression once", tt.src, env.evaluated)
		}
	}
}

func TestExecute(t *testing.T) {
	task := build(t, `@[User::v] =  @[User::v] + 6`, "")
	env := newEnv()
	env.evals["@[User::v] =  @[User::v] + 6"] = expr.I4(7)
	if err := task.Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if n, err := env.vars["User::v"].Int(); err != nil || n != 7 {
		t.Errorf("User::v = %v", env.vars["User::v"])
	}
	if len(env.evaluated) != 1 || env.evaluated[0] != `@[User::v] =  @[User::v] + 6` {
		t.Errorf("evaluated %q, want the assignment once", env.evaluated)
	}
	if len(env.infos) != 1 || env.infos[0] != "@[User::v] = 7" {
		t.Errorf("infos %q", env.infos)
	}

	// A plain expression is evaluated whole and assigns nothing.
	task = build(t, `@[System::ContainerStartTime]`, "")
	env = newEnv()
	env.evals["@[System::ContainerStartTime]"] = expr.Str("2024-01-01")
	if err := task.Execute(context.Background(), env); err != nil || len(env.vars) != 0 || len(env.evaluated) != 1 {
		t.Errorf("err %v, variables %v, evaluated %q", err, env.vars, env.evaluated)
	}

	// Errors name the task and what failed (an evaluation error, from the
	// real evaluator: TestRunDivideByZero).
	task = build(t, `@[System::PackageName] = "x"`, "")
	env = newEnv()
	env.evals[`@[System::PackageName] = "x"`] = expr.Str("x")
	env.readOnly["System::PackageName"] = true
	if err := task.Execute(context.Background(), env); err == nil || !strings.Contains(err.Error(), "@[System::PackageName]") || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("err = %v", err)
	}
	task = build(t, `@[User::X] =`, "")
	if err := task.Execute(context.Background(), newEnv()); !errors.Is(err, expression.ErrNotAssignment) {
		t.Errorf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := build(t, `@[User::X] = 1`, "").Execute(ctx, newEnv()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name, expression, extra string
		code                    string
		sev                     dtsx.Severity
	}{
		{"assignment", `@[User::X] = @[User::X] + 1`, "", "", 0},
		{"missing", "-", "", expression.CodeEmpty, dtsx.SeverityError},
		{"blank", "  ", "", expression.CodeEmpty, dtsx.SeverityError},
		{"not an assignment", `@[System::ContainerStartTime]`, "", expression.CodeNotAssignment, dtsx.SeverityWarning},
		{"a comparison", `@[User::X] == 1`, "", expression.CodeNotAssignment, dtsx.SeverityWarning},
		{"a parameter", `@[$Package::P] = 1`, "", expression.CodeBadAssignment, dtsx.SeverityError},
		{"unclosed bracket", `@[User::X = 1`, "", expression.CodeBadAssignment, dtsx.SeverityError},
		{"set by a property expression", "-", `<DTS:PropertyExpression DTS:Name="Expression">"@[User::X] = 1"</DTS:PropertyExpression>`, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := build(t, tt.expression, tt.extra).Validate(context.Background(), newEnv())
			if tt.code == "" {
				if len(ds) != 0 {
					t.Fatalf("diagnostics %v", ds)
				}
				return
			}
			if len(ds) != 1 || ds[0].Code != tt.code || ds[0].Severity != tt.sev || ds[0].Path != `Package\Count` ||
				!strings.Contains(ds[0].Message, `"Count"`) || ds[0].Hint == "" {
				t.Fatalf("diagnostics %v, want one %s %s naming the task", ds, tt.sev, tt.code)
			}
		})
	}
}

func TestSetProperty(t *testing.T) {
	task := build(t, "-", "")
	if err := task.SetProperty("Expression", `@[User::X] = 2`); err != nil || task.Expression != `@[User::X] = 2` {
		t.Errorf("Expression: %v, %q", err, task.Expression)
	}
	if ds := task.Validate(context.Background(), newEnv()); len(ds) != 0 {
		t.Errorf("diagnostics %v", ds)
	}
	if err := task.SetProperty("Disabled", "True"); !errors.Is(err, tasks.ErrUnknownProperty) {
		t.Errorf("Disabled: %v", err)
	}
}

// TestRun runs Expression tasks in the runtime, whose Eval gives an
// assignment's right side: the second task sees what the first assigned,
// converted to the variable's type.
func TestRun(t *testing.T) {
	const pkg = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Variables>
    <DTS:Variable DTS:DTSID="{20000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="Counter">
      <DTS:VariableValue DTS:DataType="3">1</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{21000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="Text">
      <DTS:VariableValue DTS:DataType="8"></DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Add" DTS:CreationName="Microsoft.ExpressionTask" DTS:DTSID="{30000000-0000-0000-0000-000000000000}"
      DTS:ExecutableType="Microsoft.ExpressionTask" DTS:ObjectName="Add">
      <DTS:ObjectData><ExpressionTask Expression="@[User::Counter] = @[User::Counter] + 41" /></DTS:ObjectData>
    </DTS:Executable>
    <DTS:Executable DTS:refId="Package\Show" DTS:CreationName="Microsoft.ExpressionTask" DTS:DTSID="{31000000-0000-0000-0000-000000000000}"
      DTS:ExecutableType="Microsoft.ExpressionTask" DTS:ObjectName="Show">
      <DTS:ObjectData><ExpressionTask Expression="@Text = &quot;n=&quot; + (DT_WSTR,5)@Counter" /></DTS:ObjectData>
    </DTS:Executable>
  </DTS:Executables>
  <DTS:PrecedenceConstraints>
    <DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[c]" DTS:CreationName="" DTS:DTSID="{40000000-0000-0000-0000-000000000000}"
      DTS:From="Package\Add" DTS:To="Package\Show" DTS:LogicalAnd="True" DTS:ObjectName="c" />
  </DTS:PrecedenceConstraints>
</DTS:Executable>`
	def, err := dtsx.LoadPackage("p.dtsx", []byte(pkg))
	if err != nil {
		t.Fatal(err)
	}
	var infos []string
	rep := runtime.Build(def, runtime.Options{}).Execute(context.Background(), runtime.RunOptions{OnEvent: func(e runtime.Event) {
		if e.Name == "OnInformation" {
			infos = append(infos, e.Message)
		}
	}})
	if rep.Status != runtime.Success {
		t.Fatalf("status %v, errors %v", rep.Status, rep.Errors)
	}
	if want := []string{"@[User::Counter] = 42", `@[Text] = "n=42"`}; !reflect.DeepEqual(infos, want) {
		t.Errorf("information %q, want %q", infos, want)
	}
}

// TestRunDivideByZero runs an Expression task whose right side divides by
// zero in the runtime, whose evaluator must refuse it ("Division and
// modulo by zero are errors for every numeric type"): the task fails with
// the evaluator's own error, naming the task and the expression, and the
// variable keeps its value for the task that runs on completion.
func TestRunDivideByZero(t *testing.T) {
	const pkg = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Variables>
    <DTS:Variable DTS:DTSID="{20000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="X">
      <DTS:VariableValue DTS:DataType="3">5</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{21000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="Zero">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Count" DTS:CreationName="Microsoft.ExpressionTask" DTS:DTSID="{30000000-0000-0000-0000-000000000000}"
      DTS:ExecutableType="Microsoft.ExpressionTask" DTS:ObjectName="Count">
      <DTS:ObjectData><ExpressionTask Expression="@[User::X] = @[User::X] / @[User::Zero]" /></DTS:ObjectData>
    </DTS:Executable>
    <DTS:Executable DTS:refId="Package\Show" DTS:CreationName="Microsoft.ExpressionTask" DTS:DTSID="{31000000-0000-0000-0000-000000000000}"
      DTS:ExecutableType="Microsoft.ExpressionTask" DTS:ObjectName="Show">
      <DTS:ObjectData><ExpressionTask Expression="@[User::X] = @[User::X]" /></DTS:ObjectData>
    </DTS:Executable>
  </DTS:Executables>
  <DTS:PrecedenceConstraints>
    <DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[c]" DTS:CreationName="" DTS:DTSID="{40000000-0000-0000-0000-000000000000}"
      DTS:From="Package\Count" DTS:To="Package\Show" DTS:Value="2" DTS:LogicalAnd="True" DTS:ObjectName="c" />
  </DTS:PrecedenceConstraints>
</DTS:Executable>`
	def, err := dtsx.LoadPackage("p.dtsx", []byte(pkg))
	if err != nil {
		t.Fatal(err)
	}
	var errs, infos []string
	rp := runtime.Build(def, runtime.Options{})
	rep := rp.Execute(context.Background(), runtime.RunOptions{OnEvent: func(e runtime.Event) {
		switch e.Name {
		case "OnError":
			errs = append(errs, e.Message)
		case "OnInformation":
			infos = append(infos, e.Message)
		}
	}})
	if rep.Status != runtime.Failure {
		t.Fatalf("status %v, want Failure", rep.Status)
	}
	// The words are the evaluator's (expr.ErrDivideByZero and the operands
	// it was given), not the test's.
	want := []string{`Expression task "Count"`, "@[User::X] / @[User::Zero]", expr.ErrDivideByZero.Error(), "5 / 0"}
	found := false
	for _, m := range errs {
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(m, w)
		}
		found = found || ok
	}
	if !found {
		t.Errorf("errors %q, want one with all of %q", errs, want)
	}
	// Show runs on completion and sees X unchanged.
	if want := []string{"@[User::X] = 5"}; !reflect.DeepEqual(infos, want) {
		t.Errorf("information %q, want %q", infos, want)
	}
}
