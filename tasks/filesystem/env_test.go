package filesystem_test

import (
	"fmt"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
)

// fakeEnv is the shared test RunEnv.
type fakeEnv = tasktest.Env

func newEnv(t *testing.T, p *dtsx.Package, root string) *fakeEnv { return tasktest.NewEnv(t, p, root) }

// pkg returns a format-8 package with FILE connection managers Src (a
// file), Dst (a folder, usage 2) and Out (a file to create), a non-file
// manager Db, and one File System task with the given FileSystemData
// attributes and task-level XML (property expressions).
func pkg(t *testing.T, attrs, extra string) (*dtsx.Package, *dtsx.Executable) {
	t.Helper()
	xml := fmt.Sprintf(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Src]" DTS:CreationName="FILE"
      DTS:DTSID="{20000000-0000-0000-0000-000000000001}" DTS:ObjectName="Src">
      <DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="C:\in\data.csv" /></DTS:ObjectData>
    </DTS:ConnectionManager>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Dst]" DTS:CreationName="FILE"
      DTS:DTSID="{20000000-0000-0000-0000-000000000002}" DTS:ObjectName="Dst">
      <DTS:ObjectData><DTS:ConnectionManager DTS:FileUsageType="2" DTS:ConnectionString="C:\archive" /></DTS:ObjectData>
    </DTS:ConnectionManager>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Out]" DTS:CreationName="FILE"
      DTS:DTSID="{20000000-0000-0000-0000-000000000003}" DTS:ObjectName="Out">
      <DTS:ObjectData><DTS:ConnectionManager DTS:FileUsageType="1" DTS:ConnectionString="C:\archive\renamed.csv" /></DTS:ObjectData>
    </DTS:ConnectionManager>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Db]" DTS:CreationName="OLEDB"
      DTS:DTSID="{20000000-0000-0000-0000-000000000004}" DTS:ObjectName="Db">
      <DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Data Source=.;" /></DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Move it" DTS:CreationName="Microsoft.FileSystemTask"
      DTS:DTSID="{30000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.FileSystemTask" DTS:ObjectName="Move it">
      %s
      <DTS:ObjectData>
        <FileSystemData %s />
      </DTS:ObjectData>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`, extra, attrs)
	p, err := dtsx.LoadPackage("t.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Executables[0]
}
