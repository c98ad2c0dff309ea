package tasktest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Task describes the one task of a test package.
type Task struct {
	Name  string // ObjectName; the refId is Package\Name
	Type  string // CreationName and ExecutableType
	Attrs string // more attributes of the task's element (DTS:ExecValueVariable="...")
	Extra string // XML in the task before its ObjectData: property expressions
	Data  string // the task's payload, the content of its ObjectData
}

// Connection returns the XML of a connection manager of a test package:
// its name, creation name (FILE, SMTP, ...), DTSID and the content of its
// ObjectData.
func Connection(name, creationName, dtsid, objectData string) string {
	return fmt.Sprintf(`
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[%s]" DTS:CreationName="%s"
      DTS:DTSID="%s" DTS:ObjectName="%s">
      <DTS:ObjectData>%s</DTS:ObjectData>
    </DTS:ConnectionManager>`, name, creationName, dtsid, name, objectData)
}

// Package loads a format-8 package named p holding the connection
// managers conns (see Connection) and the task, and returns it and the
// task's executable.
func Package(t *testing.T, conns string, task Task) (*dtsx.Package, *dtsx.Executable) {
	t.Helper()
	if conns != "" {
		conns = "\n  <DTS:ConnectionManagers>" + conns + "\n  </DTS:ConnectionManagers>"
	}
	xml := fmt.Sprintf(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>%s
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\%s" DTS:CreationName="%s" %s
      DTS:DTSID="{30000000-0000-0000-0000-000000000000}" DTS:ExecutableType="%s" DTS:ObjectName="%s">
      %s
      <DTS:ObjectData>
        %s
      </DTS:ObjectData>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`, conns, task.Name, task.Type, task.Attrs, task.Type, task.Name, task.Extra, task.Data)
	p, err := dtsx.LoadPackage("t.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Executables) != 1 {
		t.Fatalf("the package has %d executables, want 1", len(p.Executables))
	}
	return p, p.Executables[0]
}

// WantDiagnostic checks what validating the task x gave: nothing when code
// is "", else (among others) a diagnostic of code and sev at x's path
// whose message names x and which has a hint.
func WantDiagnostic(t *testing.T, ds dtsx.Diagnostics, x *dtsx.Executable, code string, sev dtsx.Severity) {
	t.Helper()
	if code == "" {
		if len(ds) != 0 {
			t.Fatalf("unexpected diagnostics: %v", ds)
		}
		return
	}
	for _, d := range ds {
		if d.Code == code && d.Severity == sev && d.Path == x.RefID && strings.Contains(d.Message, fmt.Sprintf("%q", x.Name)) && d.Hint != "" {
			return
		}
	}
	t.Fatalf("no %s %s naming the task, with a hint, in %v", sev, code, ds)
}
