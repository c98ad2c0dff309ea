package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
)

// exprPkg is a format-8 package for the expression tests: variables, a
// package parameter, probe tasks with property expressions, expression
// constraints and a For Loop.
const exprPkg = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="exprs">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="3" DTS:DTSID="{00000000-0000-0000-0000-0000000000B1}" DTS:ObjectName="Limit">
      <DTS:Property DTS:DataType="3" DTS:Name="ParameterValue">3</DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C1}" DTS:Namespace="User" DTS:ObjectName="N">
      <DTS:VariableValue DTS:DataType="3">5</DTS:VariableValue>
    </DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C2}" DTS:Namespace="User" DTS:ObjectName="I">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue>
    </DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C3}" DTS:Namespace="User" DTS:ObjectName="Label"
      DTS:EvaluateAsExpression="True" DTS:Expression="&quot;n=&quot; + (DT_WSTR, 10) @[User::N] + &quot; of &quot; + @[System::PackageName]">
      <DTS:VariableValue DTS:DataType="8">stale</DTS:VariableValue>
    </DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\first" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000001}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="first">
      <DTS:PropertyExpression DTS:Name="Subject">@[User::Label]</DTS:PropertyExpression>
    </DTS:Executable>
    <DTS:Executable DTS:refId="Package\big" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000002}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="big"/>
    <DTS:Executable DTS:refId="Package\small" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000003}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="small"/>
    <DTS:Executable DTS:refId="Package\either" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000004}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="either"/>
    <DTS:Executable DTS:refId="Package\loop" DTS:CreationName="STOCK:FORLOOP" DTS:DTSID="{00000000-0000-0000-0000-000000000005}" DTS:ExecutableType="STOCK:FORLOOP" DTS:ObjectName="loop"
      DTS:InitExpression="@I = 0" DTS:EvalExpression="@[User::I] &lt; @[$Package::Limit]" DTS:AssignExpression="@[User::I] = @[User::I] + 1">
      <DTS:Executables>
        <DTS:Executable DTS:refId="Package\loop\body" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000006}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="body">
          <DTS:PropertyExpression DTS:Name="Subject">"pass " + (DT_WSTR, 5) @[User::I]</DTS:PropertyExpression>
        </DTS:Executable>
      </DTS:Executables>
    </DTS:Executable>
  </DTS:Executables>
  <DTS:PrecedenceConstraints>
    <DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[big]" DTS:From="Package\first" DTS:To="Package\big" DTS:ObjectName="big"
      DTS:EvalOp="3" DTS:Expression="@[User::N] &gt; @[$Package::Limit]"/>
    <DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[small]" DTS:From="Package\first" DTS:To="Package\small" DTS:ObjectName="small"
      DTS:EvalOp="1" DTS:Expression="@[User::N] &lt; @[$Package::Limit]"/>
    <DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[either]" DTS:From="Package\first" DTS:To="Package\either" DTS:ObjectName="either"
      DTS:EvalOp="4" DTS:Value="1" DTS:Expression="@[User::N] == 5"/>
    <DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[loop]" DTS:From="Package\either" DTS:To="Package\loop" DTS:ObjectName="loop"/>
  </DTS:PrecedenceConstraints>
</DTS:Executable>`

func runExprPkg(t *testing.T, xml string, params map[string]string) (*runtime.Report, *runLog) {
	t.Helper()
	p, err := dtsx.LoadPackage("t.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	l := &runLog{seen: map[string]string{}}
	rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1, Parameters: params})
	return rep, l
}

// TestExpressions: expression variables evaluated on read, property
// expressions applied before each execution (For Loop passes included),
// constraints with EvalOp Expression (1), ExpressionAndConstraint (3) and
// ExpressionOrConstraint (4), and a package parameter, overridden or not.
func TestExpressions(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]string
		order  string
	}{
		{"Limit 3", nil, "first.Subject=n=5 of exprs first big either " +
			"body.Subject=pass 0 body body.Subject=pass 1 body body.Subject=pass 2 body"},
		{"Limit 7", map[string]string{"$Package::Limit": "7"}, "first.Subject=n=5 of exprs first small either " +
			"body.Subject=pass 0 body body.Subject=pass 1 body body.Subject=pass 2 body body.Subject=pass 3 body " +
			"body.Subject=pass 4 body body.Subject=pass 5 body body.Subject=pass 6 body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, l := runExprPkg(t, exprPkg, tt.params)
			if rep.Status != runtime.Success {
				t.Fatalf("status %v: %+v", rep.Status, rep.Errors)
			}
			// The first Subject is set twice: before validation and before
			// the run.
			got := strings.TrimPrefix(strings.Join(l.order, " "), "first.Subject=n=5 of exprs body.Subject=pass 0 ")
			if got != tt.order {
				t.Errorf("ran\n %s\nwant\n %s", got, tt.order)
			}
		})
	}
}

// TestExpressionFailures: each way an expression can fail stops the run
// with an error that names what failed.
func TestExpressionFailures(t *testing.T) {
	tests := []struct {
		name, from, to string
		params         map[string]string
		want           []string
	}{
		{"self reference", `&quot;n=&quot; + (DT_WSTR, 10) @[User::N]`, `@[User::Label]`, nil,
			[]string{"User::Label", "refers to itself"}},
		{"syntax", `@[User::N] &gt; @[$Package::Limit]`, `@[User::N] &gt;&gt; 1`, nil, []string{"precedence constraint", "big"}},
		{"unknown parameter", "", "", map[string]string{"$Package::Limt": "1"}, []string{"$Package::Limt", "not a parameter"}},
		{"parameter type", "", "", map[string]string{"Limit": "many"}, []string{"$Package::Limit", "many"}},
		{"not a Boolean", `@[User::N] == 5`, `@[User::N] + 1`, nil, []string{"either", "DT_BOOL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xml := strings.Replace(exprPkg, tt.from, tt.to, 1)
			rep, l := runExprPkg(t, xml, tt.params)
			if rep.Status != runtime.Failure || len(rep.Errors) == 0 {
				t.Fatalf("status %v, ran %v", rep.Status, l.order)
			}
			msg := rep.Errors[0].Message
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
		})
	}
}

// TestExpressionVariableEvaluatedOnRead: SSIS evaluates an expression
// variable when something reads it, so one that nothing reads does not
// fail a run even when its expression refers to itself; one that a
// property expression reads fails the run, the cycle named.
func TestExpressionVariableEvaluatedOnRead(t *testing.T) {
	cycle := `<DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000D1}" DTS:Namespace="User" DTS:ObjectName="A"
      DTS:EvaluateAsExpression="True" DTS:Expression="@[User::B] + 1"><DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000D2}" DTS:Namespace="User" DTS:ObjectName="B"
      DTS:EvaluateAsExpression="True" DTS:Expression="@[User::A] + 1"><DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>`
	unused := strings.Replace(exprPkg, `</DTS:Variables>`, cycle, 1)
	rep, l := runExprPkg(t, unused, nil)
	if rep.Status != runtime.Success || len(rep.Errors) != 0 {
		t.Errorf("unused: status %v, errors %+v", rep.Status, rep.Errors)
	}
	if !strings.Contains(strings.Join(l.order, " "), "body") {
		t.Errorf("unused: ran %v", l.order)
	}
	used := strings.Replace(unused, `<DTS:PropertyExpression DTS:Name="Subject">@[User::Label]</DTS:PropertyExpression>`,
		`<DTS:PropertyExpression DTS:Name="Subject">(DT_WSTR, 10) @[User::A]</DTS:PropertyExpression>`, 1)
	rep, l = runExprPkg(t, used, nil)
	for _, o := range l.order {
		if !strings.Contains(o, ".Subject=") { // a property set before validation is not a run
			t.Errorf("used: %s ran", o)
		}
	}
	if rep.Status != runtime.Failure || len(rep.Errors) == 0 {
		t.Fatalf("used: status %v, errors %+v", rep.Status, rep.Errors)
	}
	for _, w := range []string{`Package\first`, "refers to itself", "User::A → User::B → User::A"} {
		if !strings.Contains(rep.Errors[0].Message, w) {
			t.Errorf("used: error %q does not say %q", rep.Errors[0].Message, w)
		}
	}
}
