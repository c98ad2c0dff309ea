package tasktest

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

// Env is a tasks.RunEnv over a package's connection managers and a
// map of variables. LocalPath maps C:\ to root, the way the runtime maps
// drive letters to a folder.
type Env struct {
	T     *testing.T
	Root  string
	Conns *connections.Collection

	mu      sync.Mutex
	Vars    map[string]expr.Value
	Infos   []string
	Warns   []string
	Records []tasks.Record
}

// NewEnv returns an Env over p's connection managers, C:\\ mapped to root.
func NewEnv(t *testing.T, p *dtsx.Package, root string) *Env {
	t.Helper()
	c, diags := connections.NewCollection(builtin.Connections(), p.Connections, nil)
	if len(diags) > 0 {
		t.Fatalf("connections: %v", diags)
	}
	return &Env{T: t, Root: root, Conns: c, Vars: map[string]expr.Value{}}
}

func (e *Env) Connection(ref string) (connections.Manager, error) { return e.Conns.Resolve(ref) }

func (e *Env) Variable(name string) (expr.Value, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	v, ok := e.Vars[name]
	if !ok {
		return expr.Value{}, fmt.Errorf("variable %q not found", name)
	}
	return v, nil
}

func (e *Env) SetVariable(name string, v expr.Value) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.Vars[name] = v
	return nil
}

func (e *Env) Eval(src string) (expr.Value, error) {
	return expr.Value{}, fmt.Errorf("no evaluator")
}
func (e *Env) Info(msg string)      { e.mu.Lock(); e.Infos = append(e.Infos, msg); e.mu.Unlock() }
func (e *Env) Warn(msg string)      { e.mu.Lock(); e.Warns = append(e.Warns, msg); e.mu.Unlock() }
func (e *Env) Progress(int, string) {}
func (e *Env) Record(r tasks.Record) {
	e.mu.Lock()
	e.Records = append(e.Records, r)
	e.mu.Unlock()
}

func (e *Env) LocalPath(p string) string {
	if len(p) >= 3 && strings.EqualFold(p[:3], `C:\`) {
		return filepath.Join(e.Root, filepath.FromSlash(strings.ReplaceAll(p[3:], `\`, "/")))
	}
	return p
}

var _ tasks.RunEnv = (*Env)(nil)
