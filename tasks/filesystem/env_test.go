package filesystem_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

// fakeEnv is a tasks.RunEnv over a package's connection managers and a
// map of variables. LocalPath maps C:\ to root, the way the runtime maps
// drive letters to a folder.
type fakeEnv struct {
	t     *testing.T
	root  string
	conns *connections.Collection

	mu      sync.Mutex
	vars    map[string]expr.Value
	infos   []string
	warns   []string
	records []tasks.Record
}

func newEnv(t *testing.T, p *dtsx.Package, root string) *fakeEnv {
	t.Helper()
	c, diags := connections.NewCollection(connections.Builtin(), p.Connections, nil)
	if len(diags) > 0 {
		t.Fatalf("connections: %v", diags)
	}
	return &fakeEnv{t: t, root: root, conns: c, vars: map[string]expr.Value{}}
}

func (e *fakeEnv) Connection(ref string) (connections.Manager, error) { return e.conns.Resolve(ref) }

func (e *fakeEnv) Variable(name string) (expr.Value, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	v, ok := e.vars[name]
	if !ok {
		return expr.Value{}, fmt.Errorf("variable %q not found", name)
	}
	return v, nil
}

func (e *fakeEnv) SetVariable(name string, v expr.Value) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.vars[name] = v
	return nil
}

func (e *fakeEnv) Eval(src string) (expr.Value, error) {
	return expr.Value{}, fmt.Errorf("no evaluator")
}
func (e *fakeEnv) Info(msg string)      { e.mu.Lock(); e.infos = append(e.infos, msg); e.mu.Unlock() }
func (e *fakeEnv) Warn(msg string)      { e.mu.Lock(); e.warns = append(e.warns, msg); e.mu.Unlock() }
func (e *fakeEnv) Progress(int, string) {}
func (e *fakeEnv) Record(r tasks.Record) {
	e.mu.Lock()
	e.records = append(e.records, r)
	e.mu.Unlock()
}

func (e *fakeEnv) LocalPath(p string) string {
	if len(p) >= 3 && strings.EqualFold(p[:3], `C:\`) {
		return filepath.Join(e.root, filepath.FromSlash(strings.ReplaceAll(p[3:], `\`, "/")))
	}
	return p
}

var _ tasks.RunEnv = (*fakeEnv)(nil)

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
