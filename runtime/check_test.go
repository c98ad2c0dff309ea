package runtime_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
)

// checkPackage exercises Check's resolution: scopes as a run builds them
// (bare names of variables, parameters and System variables; an ambiguous
// one), System variables from the file and from the run (a container's, an
// event handler's), recursion into expression variables, cycles,
// parameters (missing, sensitive) and the three places a property's cached
// value is read from.
const checkPackage = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package"
  DTS:CreationName="Microsoft.Package" DTS:DTSID="{C0000000-0000-4000-8000-000000000001}"
  DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="Pkg" DTS:CreationDate="3/3/2013 2:10:49 PM"
  DTS:VersionBuild="7">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Mail]" DTS:CreationName="SMTP"
      DTS:DTSID="{C0000000-0000-4000-8000-000000000031}" DTS:ObjectName="Mail">
      <DTS:PropertyExpression DTS:Name="ConnectionString">"SmtpServer=" + @[User::V] + ";"</DTS:PropertyExpression>
      <DTS:ObjectData><SmtpConnectionManager ConnectionString="SmtpServer=outer;" /></DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
  <DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{C0000000-0000-4000-8000-000000000041}"
      DTS:ObjectName="Secret" DTS:Sensitive="True">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue">s3cret</DTS:Property>
    </DTS:PackageParameter>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{C0000000-0000-4000-8000-000000000042}"
      DTS:ObjectName="Region">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue">EU</DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters>
  <DTS:Variables>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000011}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[User::B] + 1" DTS:Namespace="User" DTS:ObjectName="A">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000012}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[User::A]" DTS:Namespace="User" DTS:ObjectName="B">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000013}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[User::D] * 2" DTS:Namespace="User" DTS:ObjectName="C">
      <DTS:VariableValue DTS:DataType="3">42</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000014}" DTS:Namespace="User" DTS:ObjectName="D">
      <DTS:VariableValue DTS:DataType="3">21</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000015}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[System::PackageName] + &quot; &quot; + (DT_WSTR,50)(DT_DBTIMESTAMP)@[System::CreationDate]"
      DTS:Namespace="User" DTS:ObjectName="E">
      <DTS:VariableValue DTS:DataType="8">Pkg 2013-03-03 14:10:49</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000016}" DTS:Namespace="User" DTS:ObjectName="V">
      <DTS:VariableValue DTS:DataType="8">outer</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000017}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[User::D] + 1" DTS:Namespace="User" DTS:ObjectName="Wrong">
      <DTS:VariableValue DTS:DataType="3">99</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000018}" DTS:EvaluateAsExpression="True"
      DTS:Expression="(DT_WSTR,4)YEAR(GETDATE())" DTS:Namespace="User" DTS:ObjectName="Year">
      <DTS:VariableValue DTS:DataType="8">2013</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000019}" DTS:EvaluateAsExpression="True"
      DTS:Expression="&quot;FY&quot; + @[User::Year]" DTS:Namespace="User" DTS:ObjectName="FY">
      <DTS:VariableValue DTS:DataType="8">FY2013</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-00000000001A}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[System::MachineName]" DTS:Namespace="User" DTS:ObjectName="Host">
      <DTS:VariableValue DTS:DataType="8">BUILD01</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-00000000001B}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[$Project::Env]" DTS:Namespace="User" DTS:ObjectName="Env">
      <DTS:VariableValue DTS:DataType="8">prod</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-00000000001C}" DTS:EvaluateAsExpression="True"
      DTS:Expression="&quot;pw=&quot; + @[$Package::Secret]" DTS:Namespace="User" DTS:ObjectName="Conn">
      <DTS:VariableValue DTS:DataType="8">pw=s3cret</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-00000000001D}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[User::D] +" DTS:Namespace="User" DTS:ObjectName="Broken">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000051}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[System::VersionBuild] + @VersionBuild" DTS:Namespace="User" DTS:ObjectName="Build">
      <DTS:VariableValue DTS:DataType="3">14</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000052}" DTS:EvaluateAsExpression="True"
      DTS:Expression="(DT_WSTR,30)@StartTime + @TaskName" DTS:Namespace="User" DTS:ObjectName="Start">
      <DTS:VariableValue DTS:DataType="8">x</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000053}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[System::TaskName]" DTS:Namespace="User" DTS:ObjectName="Task">
      <DTS:VariableValue DTS:DataType="8">Pkg</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000054}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@ErrorCode" DTS:Namespace="User" DTS:ObjectName="NoCode">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000055}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[System::VersionComments]" DTS:Namespace="User" DTS:ObjectName="Comments">
      <DTS:VariableValue DTS:DataType="8">x</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000056}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@Region" DTS:Namespace="User" DTS:ObjectName="R">
      <DTS:VariableValue DTS:DataType="8">EU</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000057}" DTS:Namespace="Other" DTS:ObjectName="D">
      <DTS:VariableValue DTS:DataType="3">2</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000058}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@D" DTS:Namespace="User" DTS:ObjectName="WhichD">
      <DTS:VariableValue DTS:DataType="3">21</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Seq" DTS:CreationName="STOCK:SEQUENCE" DTS:Description="seq inner"
      DTS:DTSID="{C0000000-0000-4000-8000-000000000021}" DTS:ExecutableType="STOCK:SEQUENCE" DTS:ObjectName="Seq">
      <DTS:Variables>
        <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000022}" DTS:Namespace="User" DTS:ObjectName="V">
          <DTS:VariableValue DTS:DataType="8">inner</DTS:VariableValue></DTS:Variable>
        <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000023}" DTS:EvaluateAsExpression="True"
          DTS:Expression="@V + &quot;/&quot; + (DT_WSTR,5)@[User::C]" DTS:Namespace="User" DTS:ObjectName="G">
          <DTS:VariableValue DTS:DataType="8">inner/42</DTS:VariableValue></DTS:Variable>
      </DTS:Variables>
      <DTS:PropertyExpression DTS:Name="Description">"seq " + @V</DTS:PropertyExpression>
      <DTS:Executables>
        <DTS:Executable DTS:refId="Package\Seq\Mail" DTS:CreationName="Microsoft.SendMailTask"
          DTS:DTSID="{C0000000-0000-4000-8000-000000000024}" DTS:ExecutableType="Microsoft.SendMailTask" DTS:ObjectName="Mail">
          <DTS:PropertyExpression DTS:Name="ToLine">@V + "@example.com"</DTS:PropertyExpression>
          <DTS:PropertyExpression DTS:Name="Subject">"Report " + @[User::FY]</DTS:PropertyExpression>
          <DTS:PropertyExpression DTS:Name="Disable">@[User::D] == 0</DTS:PropertyExpression>
          <DTS:ObjectData>
            <SendMailTask:SendMailTaskData xmlns:SendMailTask="www.microsoft.com/sqlserver/dts/tasks/sendmailtask"
              SendMailTask:To="inner@example.com" SendMailTask:Subject="Report FY2013" />
          </DTS:ObjectData>
        </DTS:Executable>
      </DTS:Executables>
    </DTS:Executable>
  </DTS:Executables>
  <DTS:EventHandlers>
    <DTS:EventHandler DTS:refId="Package.EventHandlers[OnError]" DTS:CreationName="OnError" DTS:EventName="OnError"
      DTS:DTSID="{C0000000-0000-4000-8000-000000000061}">
      <DTS:Variables>
        <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000062}" DTS:EvaluateAsExpression="True"
          DTS:Expression="@ErrorCode" DTS:Namespace="User" DTS:ObjectName="Code">
          <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
      </DTS:Variables>
    </DTS:EventHandler>
  </DTS:EventHandlers>
</DTS:Executable>`

func TestCheck(t *testing.T) {
	pkg, err := dtsx.LoadPackage("check.dtsx", []byte(checkPackage))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]runtime.CheckResult{}
	var order []string
	for _, r := range runtime.Check(pkg, nil) {
		got[r.Path+" "+r.Name] = r
		order = append(order, r.Path+" "+r.Name)
	}
	tests := []struct {
		item    string
		status  runtime.CheckStatus
		value   string // Got, or a part of Reason when it has no Got
		standIn bool
	}{
		{"Package User::A", runtime.CheckMismatch, "circular", false},
		{"Package User::B", runtime.CheckMismatch, "circular", false},
		{"Package User::C", runtime.CheckMatch, "42", false},
		{"Package User::E", runtime.CheckMatch, "Pkg 2013-03-03 14:10:49", false},
		{"Package User::Wrong", runtime.CheckMismatch, "22", false},
		{"Package User::Year", runtime.CheckSkip, runtime.SkipClock, false},
		{"Package User::FY", runtime.CheckMatch, "FY2013", true},
		{"Package User::Host", runtime.CheckSkip, runtime.SkipRunTime + ": System::MachineName", false},
		{"Package User::Env", runtime.CheckSkip, runtime.SkipNotInFiles + ": $Project::Env", false},
		{"Package User::Conn", runtime.CheckMatch, "pw=s3cret", false},
		{"Package User::Broken", runtime.CheckMismatch, "syntax error", false},
		{"Package.ConnectionManagers[Mail] ConnectionString", runtime.CheckMatch, "SmtpServer=outer;", false},
		{`Package\Seq User::G`, runtime.CheckMatch, "inner/42", false},
		{`Package\Seq Description`, runtime.CheckMatch, "seq inner", false},
		{`Package\Seq\Mail ToLine`, runtime.CheckMatch, "inner@example.com", false},
		{`Package\Seq\Mail Subject`, runtime.CheckMatch, "Report FY2013", true},
		{`Package\Seq\Mail Disable`, runtime.CheckSkip, runtime.SkipUnsupported, false},
		{"Package User::Build", runtime.CheckMatch, "14", false},
		{"Package User::Start", runtime.CheckSkip, runtime.SkipRunTime + ": System::StartTime", false},
		{"Package User::Task", runtime.CheckSkip, runtime.SkipRunTime + ": System::TaskName", false},
		{"Package User::NoCode", runtime.CheckMismatch, "ErrorCode", false},
		{"Package User::Comments", runtime.CheckSkip, runtime.SkipNotInFiles + ": System::VersionComments is not persisted", false},
		{"Package User::R", runtime.CheckMatch, "EU", false},
		{"Package User::WhichD", runtime.CheckMismatch, "ambiguous", false},
		{"Package.EventHandlers[OnError] User::Code", runtime.CheckSkip, runtime.SkipRunTime + ": System::ErrorCode", false},
	}
	for _, tt := range tests {
		t.Run(tt.item, func(t *testing.T) {
			r, ok := got[tt.item]
			if !ok {
				t.Fatalf("no result; results: %q", order)
			}
			text := r.Got
			if text == "" {
				text = r.Reason
			}
			if r.Status != tt.status || !strings.Contains(text, tt.value) || r.StandIn != tt.standIn {
				t.Errorf("%s: got %+v, want %s %q (stand-in %v)", tt.item, r, tt.status, tt.value, tt.standIn)
			}
		})
	}
	if len(got) != len(tests) {
		t.Errorf("%d results, want %d: %q", len(got), len(tests), order)
	}
	if !got["Package User::Conn"].Sensitive || got["Package User::C"].Sensitive {
		t.Errorf("Sensitive not set from the parameter: Conn %+v, C %+v", got["Package User::Conn"], got["Package User::C"])
	}
	if order[0] != "Package User::A" || order[len(order)-1] != "Package.EventHandlers[OnError] User::Code" {
		t.Errorf("results not in document order: %q", order)
	}
}

// TestCheckProject checks that project parameters are read from the
// project given with the package.
func TestCheckProject(t *testing.T) {
	pkg, err := dtsx.LoadPackage("check.dtsx", []byte(checkPackage))
	if err != nil {
		t.Fatal(err)
	}
	pr := &dtsx.Project{Parameters: []*dtsx.Parameter{{Object: dtsx.Object{Name: "Env"}, Scope: "Project",
		DataType: dtsx.TypeString, Value: "test"}}}
	for _, r := range runtime.Check(pkg, pr) {
		if r.Name == "User::Env" && (r.Status != runtime.CheckMismatch || r.Got != "test" || r.Want != "prod") {
			t.Errorf("User::Env: %+v, want a mismatch of test against prod", r)
		}
	}
}

func TestCheckStatusJSON(t *testing.T) {
	b, err := json.Marshal(runtime.CheckResult{Status: runtime.CheckMismatch})
	if err != nil || !strings.Contains(string(b), `"status":"MISMATCH"`) {
		t.Errorf("JSON %s, %v", b, err)
	}
	if s := runtime.CheckStatus(7).String(); s != "CheckStatus(7)" {
		t.Errorf("String = %q", s)
	}
}
