package runtime_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/runtime"
)

const evalPkg = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="daily"
  DTS:VersionBuild="7">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{20000000-0000-0000-0000-000000000000}"
      DTS:ObjectName="ApiKey" DTS:Sensitive="True">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue">k3y</DTS:Property>
    </DTS:PackageParameter>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="3" DTS:DTSID="{21000000-0000-0000-0000-000000000000}"
      DTS:ObjectName="Days">
      <DTS:Property DTS:DataType="3" DTS:Name="ParameterValue">7</DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters>
  <DTS:Variables>
    <DTS:Variable DTS:DTSID="{30000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="N">
      <DTS:VariableValue DTS:DataType="3">5</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{31000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="Double"
      DTS:EvaluateAsExpression="True" DTS:Expression="@[User::N] * 2">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{32000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="Auth"
      DTS:EvaluateAsExpression="True" DTS:Expression="&quot;Bearer &quot; + @[$Package::ApiKey]">
      <DTS:VariableValue DTS:DataType="8"></DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Seq" DTS:CreationName="STOCK:SEQUENCE" DTS:DTSID="{40000000-0000-0000-0000-000000000000}"
      DTS:ExecutableType="STOCK:SEQUENCE" DTS:ObjectName="Seq">
      <DTS:Variables>
        <DTS:Variable DTS:DTSID="{41000000-0000-0000-0000-000000000000}" DTS:Namespace="User" DTS:ObjectName="Inner">
          <DTS:VariableValue DTS:DataType="8">x</DTS:VariableValue></DTS:Variable>
      </DTS:Variables>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`

func TestEvaluator(t *testing.T) {
	def, err := dtsx.LoadPackage("daily.dtsx", []byte(evalPkg))
	if err != nil {
		t.Fatal(err)
	}
	p := runtime.Build(def, runtime.Options{})
	tests := []struct {
		name      string
		values    map[string]string
		src       string
		want      string
		typ       expr.Type
		sensitive bool
		err       string
	}{
		{name: "system variables", src: `@[System::PackageName] + " " + (DT_WSTR,5)@[System::VersionBuild] + " " + @TaskName`,
			want: "daily 7 daily", typ: expr.TypeWStr},
		{name: "expression variable", src: `@[User::Double] + @[$Package::Days]`, want: "17", typ: expr.TypeI4},
		{name: "a value replaces an expression", values: map[string]string{"User::Double": "1"}, src: `@Double`, want: "1", typ: expr.TypeI4},
		{name: "a variable's value", values: map[string]string{"N": "20"}, src: `@Double`, want: "40", typ: expr.TypeI4},
		{name: "a parameter's value", values: map[string]string{"Days": "30"}, src: `@[$Package::Days]`, want: "30", typ: expr.TypeI4},
		{name: "a System variable's value", values: map[string]string{"System::StartTime": "1/2/2026 3:04:05 PM"},
			src: `(DT_WSTR,30)@[System::StartTime]`, want: "1/2/2026 3:04:05 PM", typ: expr.TypeWStr},
		{name: "sensitive directly", src: `@[$Package::ApiKey]`, sensitive: true, typ: expr.TypeWStr, want: "k3y"},
		{name: "sensitive through a variable", src: `LEN(@[User::Auth])`, sensitive: true, typ: expr.TypeI4, want: "10"},
		{name: "assignment", src: `@[User::N] = @[User::N] + 1`, want: "6", typ: expr.TypeI4},
		{name: "out of the package scope", src: `@[User::Inner]`, err: "no such variable"},
		{name: "syntax", src: `1 +`, err: "syntax error"},
		{name: "unknown variable value", values: map[string]string{"User::Nope": "1"}, src: `1`, err: "User::Nope"},
		{name: "unknown parameter value", values: map[string]string{"$Project::Nope": "1"}, src: `1`, err: "$Project::Nope"},
		{name: "bad variable value", values: map[string]string{"User::N": "five"}, src: `1`, err: "five"},
		{name: "bad parameter value", values: map[string]string{"$Package::Days": "week"}, src: `1`, err: "week"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := p.NewEvaluator(tt.values)
			if err != nil {
				if tt.err == "" || !errors.Is(err, runtime.ErrBadValue) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("NewEvaluator: %v", err)
				}
				return
			}
			got, err := ev.Eval(tt.src)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Eval = %#v, %v; want an error with %q", got.Value, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Value.String() != tt.want || got.Value.Type() != tt.typ || got.Sensitive != tt.sensitive {
				t.Errorf("Eval = %#v (sensitive %v), want %s %q (sensitive %v)", got.Value, got.Sensitive, tt.typ, tt.want, tt.sensitive)
			}
		})
	}
	var se *expr.SyntaxError
	ev, _ := p.NewEvaluator(nil)
	if _, err := ev.Eval("1 +"); !errors.As(err, &se) {
		t.Errorf("syntax error is %T, want *expr.SyntaxError", err)
	}
}
