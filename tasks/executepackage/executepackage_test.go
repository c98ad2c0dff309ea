package executepackage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks/executepackage"
)

// TestReadCorpus reads real Execute Package Tasks: a project reference with
// a parameter binding (format 8) and file connections.
func TestReadCorpus(t *testing.T) {
	tests := []struct {
		file, task string
		want       executepackage.Spec
	}{
		{"lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__ExecutePackageTaskParent.dtsx", `Package\Execute Child Package Task`,
			executepackage.Spec{ProjectReference: true, PackageName: "ExecutePackageTaskChild.dtsx",
				Bindings: []executepackage.Binding{{Parameter: "MyMessage", From: "System::PackageName"}}}},
		{"shinaly__SSIS_Template/Demo__Packages__MainWithParameter.dtsx", `Package\EPT LoadCustomers`,
			executepackage.Spec{Connection: "{8C638932-6F7F-42B9-A01B-12586C754D2E}"}},
	}
	for _, tt := range tests {
		p, err := dtsx.LoadPackageFile(testcorpus.Path(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		p.Walk(func(x *dtsx.Executable) bool {
			if x.RefID != tt.task {
				return true
			}
			found = true
			got, err := executepackage.Read(x)
			if err != nil || got.ProjectReference != tt.want.ProjectReference || got.PackageName != tt.want.PackageName ||
				got.Connection != tt.want.Connection || len(got.Bindings) != len(tt.want.Bindings) ||
				(len(got.Bindings) > 0 && got.Bindings[0] != tt.want.Bindings[0]) {
				t.Errorf("%s: Read = %+v, %v; want %+v", tt.task, got, err, tt.want)
			}
			return false
		})
		if !found {
			t.Errorf("%s: no %s", tt.file, tt.task)
		}
	}
}

// TestValidate: a task must name a child; a file connection must resolve
// to a FILE connection manager.
func TestValidate(t *testing.T) {
	pkg := func(data string) string {
		return `<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package" DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
<DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
<DTS:ConnectionManagers><DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Mail]" DTS:CreationName="SMTP" DTS:DTSID="{00000000-0000-0000-0000-0000000000CC}" DTS:ObjectName="Mail"><DTS:ObjectData><SmtpConnectionManager ConnectionString="SmtpServer=x;"/></DTS:ObjectData></DTS:ConnectionManager></DTS:ConnectionManagers>
<DTS:Executables><DTS:Executable DTS:refId="Package\EPT" DTS:CreationName="Microsoft.ExecutePackageTask" DTS:DTSID="{00000000-0000-0000-0000-000000000001}" DTS:ExecutableType="Microsoft.ExecutePackageTask" DTS:ObjectName="EPT">
<DTS:ObjectData><ExecutePackageTask>` + data + `</ExecutePackageTask></DTS:ObjectData></DTS:Executable></DTS:Executables></DTS:Executable>`
	}
	for _, tt := range []struct{ data, want string }{
		{`<UseProjectReference>True</UseProjectReference><PackageName>child.dtsx</PackageName>`, ""},
		{`<UseProjectReference>True</UseProjectReference>`, executepackage.CodeNoChild},
		{``, executepackage.CodeNoChild},
		{`<Connection>{00000000-0000-0000-0000-0000000000DD}</Connection>`, executepackage.CodeBadReference},
		{`<Connection>Mail</Connection>`, executepackage.CodeBadReference},
	} {
		p, err := dtsx.LoadPackage("t.dtsx", []byte(pkg(tt.data)))
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, d := range runtime.Build(p, runtime.Options{}).Validate(context.Background()) {
			codes = append(codes, d.Code)
		}
		if got := strings.Join(codes, ","); got != tt.want {
			t.Errorf("%q: codes %q, want %q", tt.data, got, tt.want)
		}
	}
}
