package process_test

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
