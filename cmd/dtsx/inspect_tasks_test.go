package main

import (
	"encoding/json"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

// TestKindOf: every spelling of a type the formats persist has one name.
func TestKindOf(t *testing.T) {
	reg := builtin.Tasks()
	for _, tt := range []struct{ typ, refID, want string }{
		{"Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask, Microsoft.SqlServer.SendMailTask, Version=11.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91", `Package\M`, "Send Mail task"},
		{"Microsoft.SendMailTask", `Package\M`, "Send Mail task"},
		{"STOCK:SQLTask", `Package\S`, "Execute SQL task"},
		{"SSIS.Pipeline.3", `Package\D`, "Data Flow task"},
		{"STOCK:FOREACHLOOP", `Package\F`, "Foreach Loop container"},
		{"Microsoft.ExecuteProcess", `Package\P`, "Execute Process task"},
		{"Microsoft.Package", "Package", "Package"},
		{"Microsoft.ASExecuteDDLTask", `Package\A`, "Analysis Services Execute DDL task"},
		{"Contoso.Tasks.ZipFileTask", `Package\Z`, "Zip File task"},
		{"Contoso.SFTPUpload", `Package\U`, "SFTP Upload"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			x := &dtsx.Executable{Object: dtsx.Object{RefID: tt.refID}, ExecutableType: tt.typ}
			if got := kindOf(reg, x); got != tt.want {
				t.Errorf("kindOf(%q) = %q, want %q", tt.typ, got, tt.want)
			}
		})
	}
}

// TestInspectTaskProperties: --json gives each task's kind and main
// properties, connection references by their managers' names.
func TestInspectTaskProperties(t *testing.T) {
	ispac := testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__bin__Development__Chapter3.ispac")
	code, out, errOut := runCLI(t, "inspect", "--json", ispac)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var reps []inspectReport
	if err := json.Unmarshal([]byte(out), &reps); err != nil {
		t.Fatal(err)
	}
	props := map[string]map[string]string{} // refId in package -> name -> value
	kinds := map[string]string{}
	var walk func(pkg string, x *exeJSON)
	walk = func(pkg string, x *exeJSON) {
		key := pkg + ":" + x.RefID
		kinds[key] = x.Kind
		props[key] = map[string]string{}
		for _, p := range x.Properties {
			props[key][p.Name] = p.Value
		}
		for _, c := range x.Executables {
			walk(pkg, c)
		}
	}
	for _, r := range reps {
		walk(r.Name, r.Executable)
	}
	for _, tt := range []struct{ key, kind, prop, want string }{
		{`FileSystemTask:Package\File System Task`, "File System task", "Operation", "MoveFile"},
		{`FileSystemTask:Package\File System Task`, "File System task", "Source", "MyFile.txt (FILE)"},
		{`ExecuteProcessTask:Package\Execute Process Task`, "Execute Process task", "Executable", `c:\windows\system32\expand.exe`},
		{`ExecuteProcessTask:Package\Execute Process Task`, "Execute Process task", "Arguments", "customers.zip customers"},
		{`ExecutePackageTaskParent:Package\Execute Child Package Task`, "Execute Package task", "PackageName", "ExecutePackageTaskChild.dtsx"},
		{`ExecutePackageTaskParent:Package\Execute Child Package Task`, "Execute Package task", "Parameter MyMessage", "System::PackageName"},
	} {
		t.Run(tt.key+" "+tt.prop, func(t *testing.T) {
			if kinds[tt.key] != tt.kind || props[tt.key][tt.prop] != tt.want {
				t.Errorf("%s: kind %q, %s = %q; want %q, %q (all: %v)", tt.key, kinds[tt.key], tt.prop, props[tt.key][tt.prop], tt.kind, tt.want, props[tt.key])
			}
		})
	}
	var mail map[string]string
	for k, v := range kinds {
		if v == "Send Mail task" && props[k]["SmtpConnection"] != "" {
			mail = props[k]
		}
	}
	for _, p := range []string{"SmtpConnection", "SmtpServer", "From", "To", "Subject", "MessageSourceType"} {
		if mail[p] == "" {
			t.Errorf("the Send Mail task has no %s: %v", p, mail)
		}
	}
}
