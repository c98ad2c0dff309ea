package runtime_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
)

const parentPkg = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="parent">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C1}" DTS:Namespace="User" DTS:ObjectName="Region"><DTS:VariableValue DTS:DataType="8">north</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Run child" DTS:CreationName="Microsoft.ExecutePackageTask" DTS:DTSID="{00000000-0000-0000-0000-000000000001}"
      DTS:ExecutableType="Microsoft.ExecutePackageTask" DTS:ObjectName="Run child">
      <DTS:ObjectData><ExecutePackageTask><UseProjectReference>True</UseProjectReference><PackageName>child.dtsx</PackageName>
        <ParameterAssignment><ParameterName>Who</ParameterName><BindedVariableOrParameterName>System::PackageName</BindedVariableOrParameterName></ParameterAssignment>
      </ExecutePackageTask></DTS:ObjectData>
    </DTS:Executable>
    <DTS:Executable DTS:refId="Package\after" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000002}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="after"/>
  </DTS:Executables>
  <DTS:PrecedenceConstraints>
    <DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[c]" DTS:From="Package\Run child" DTS:To="Package\after" DTS:ObjectName="c"/>
  </DTS:PrecedenceConstraints>
  <DTS:EventHandlers><DTS:EventHandler DTS:refId="Package.EventHandlers[OnError]" DTS:CreationName="OnError" DTS:EventName="OnError" DTS:DTSID="{00000000-0000-0000-0000-0000000000EE}">
    <DTS:Executables><DTS:Executable DTS:refId="Package.EventHandlers[OnError]\alert" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-0000000000EF}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="alert"/></DTS:Executables>
  </DTS:EventHandler></DTS:EventHandlers>
</DTS:Executable>`

// childPkg has a parameter Who and one probe whose Subject reads it and
// the parent's User::Region; named "fail..." it fails.
func childPkg(task string) string {
	return `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000BB}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="child">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{00000000-0000-0000-0000-0000000000B1}" DTS:ObjectName="Who">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue">nobody</DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\` + task + `" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000003}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="` + task + `">
      <DTS:PropertyExpression DTS:Name="Subject">@[$Package::Who] + " " + @[User::Region]</DTS:PropertyExpression>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`
}

// TestExecutePackage: the child runs with its parameter bound to a parent
// value and sees the parent's variables; its result drives the parent's
// constraints; a failing child fails the task and the parent's OnError
// handler runs.
func TestExecutePackage(t *testing.T) {
	for _, tt := range []struct {
		child  string
		status runtime.Status
		order  string
	}{
		{"work", runtime.Success, "work.Subject=parent north work after"},
		{"fail1", runtime.Failure, "fail1.Subject=parent north fail1 alert alert"},
	} {
		t.Run(tt.child, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "parent.dtsx"), []byte(parentPkg), 0o644)
			os.WriteFile(filepath.Join(dir, "child.dtsx"), []byte(childPkg(tt.child)), 0o644)
			p, err := dtsx.LoadPackageFile(filepath.Join(dir, "parent.dtsx"))
			if err != nil {
				t.Fatal(err)
			}
			l := &runLog{seen: map[string]string{}}
			rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1})
			if rep.Status != tt.status {
				t.Fatalf("status %v, want %v: %+v", rep.Status, tt.status, rep.Errors)
			}
			// The child's Subject is applied before its validation and
			// before its run; keep what the run did.
			got := strings.Replace(strings.Join(l.order, " "), "work.Subject=parent north ", "", 1)
			got = strings.Replace(got, "fail1.Subject=parent north ", "", 1)
			if got != tt.order {
				t.Errorf("ran %q, want %q", got, tt.order)
			}
			if tt.status == runtime.Failure && !strings.Contains(l.seen["alert"], `child package "child" failed`) {
				t.Errorf("the parent's handler saw %q", l.seen["alert"])
			}
		})
	}
}

// TestParentVariableConfiguration: a child package's parent-variable
// configuration takes the parent's variable when the parent runs it.
func TestParentVariableConfiguration(t *testing.T) {
	dir := t.TempDir()
	child := strings.Replace(childPkg("work"), `DTS:ObjectName="child">`, `DTS:ObjectName="child" DTS:EnableConfig="True">`, 1)
	child = strings.Replace(child, `<DTS:PackageParameters>`, `<DTS:Configurations><DTS:Configuration DTS:ConfigurationType="0" DTS:ConfigurationString="User::Region"
	  DTS:ConfigurationVariable="\Package.Variables[User::Where].Properties[Value]" DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000D1}" DTS:ObjectName="From the parent"/></DTS:Configurations>
	  <DTS:Variables><DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000D2}" DTS:Namespace="User" DTS:ObjectName="Where"><DTS:VariableValue DTS:DataType="8">nowhere</DTS:VariableValue></DTS:Variable></DTS:Variables>
	  <DTS:PackageParameters>`, 1)
	child = strings.Replace(child, `@[$Package::Who] + " " + @[User::Region]`, `"at " + @[User::Where]`, 1)
	os.WriteFile(filepath.Join(dir, "parent.dtsx"), []byte(parentPkg), 0o644)
	os.WriteFile(filepath.Join(dir, "child.dtsx"), []byte(child), 0o644)
	p, err := dtsx.LoadPackageFile(filepath.Join(dir, "parent.dtsx"))
	if err != nil {
		t.Fatal(err)
	}
	l := &runLog{seen: map[string]string{}}
	rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1})
	if rep.Status != runtime.Success {
		t.Fatalf("status %v: %+v", rep.Status, rep.Errors)
	}
	if got := strings.Join(l.order, " "); !strings.Contains(got, "work.Subject=at north work") {
		t.Errorf("ran %q: the child did not take the parent's User::Region", got)
	}
}
