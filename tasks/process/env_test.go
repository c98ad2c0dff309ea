package process_test

import (
	"fmt"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
)

// fakeEnv is the shared test RunEnv.
type fakeEnv = tasktest.Env

func newEnv(t *testing.T, p *dtsx.Package, root string) *fakeEnv { return tasktest.NewEnv(t, p, root) }

// pkg returns a format-8 package with one Execute Process task with the
// given ExecuteProcessData attributes and task-level XML (property
// expressions, DTS:ExecValueVariable).
func pkg(t *testing.T, attrs, taskAttrs, extra string) (*dtsx.Package, *dtsx.Executable) {
	t.Helper()
	xml := fmt.Sprintf(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Run it" DTS:CreationName="Microsoft.ExecuteProcess" %s
      DTS:DTSID="{30000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.ExecuteProcess" DTS:ObjectName="Run it">
      %s
      <DTS:ObjectData>
        <ExecuteProcessData %s />
      </DTS:ObjectData>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`, taskAttrs, extra, attrs)
	p, err := dtsx.LoadPackage("t.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Executables[0]
}
