package runtime

import (
	"fmt"
	"path/filepath"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

// runEnv is a running task's view of the run (tasks.RunEnv).
type runEnv struct {
	r  *run
	x  *dtsx.Executable
	sc *scope
}

func (e *runEnv) Connection(ref string) (connections.Manager, error) {
	m, err := e.r.p.Connection(ref)
	if err != nil {
		return nil, err
	}
	if err := e.r.applyConnectionExpressions(m, e.sc); err != nil {
		return nil, err
	}
	return m, nil
}
func (e *runEnv) Variable(name string) (expr.Value, error)    { return (&varEnv{sc: e.sc}).Lookup(name) }
func (e *runEnv) SetVariable(name string, v expr.Value) error { return e.sc.write(name, v) }
func (e *runEnv) Eval(src string) (expr.Value, error)         { return e.r.eval(src, e.sc) }
func (e *runEnv) Info(msg string) {
	e.r.event(Event{Name: "OnInformation", Source: e.x.Name, SourceRef: e.x.RefID, Message: msg})
}
func (e *runEnv) Warn(msg string) {
	e.r.event(Event{Name: "OnWarning", Source: e.x.Name, SourceRef: e.x.RefID, Message: msg})
}
func (e *runEnv) Progress(percent int, msg string) {
	e.r.event(Event{Name: "OnProgress", Source: e.x.Name, SourceRef: e.x.RefID, Message: fmt.Sprintf("%d%% %s", percent, msg)})
}
func (e *runEnv) LogEntry(name, msg string) {
	e.r.event(Event{Name: name, Source: e.x.Name, SourceRef: e.x.RefID, SourceID: e.x.DTSID, Message: msg})
}
func (e *runEnv) LocalPath(p string) string {
	local := e.r.opts.Paths.Local(p, filepath.Dir(e.r.p.Def.File))
	if local != p {
		e.r.log.Info("path mapped", zap.String("source", e.x.RefID), zap.String("from", p), zap.String("to", local))
		if _, seen := e.r.mapped.LoadOrStore(p, true); !seen && isWindowsAbs(p) {
			// Once per path and run, for the console (dtexec /Rep I).
			e.r.event(Event{Name: "OnInformation", Source: e.x.Name, SourceRef: e.x.RefID, SourceID: e.x.DTSID,
				Message: fmt.Sprintf("path %s is %s here", p, local)})
		}
	}
	return local
}
func (e *runEnv) Record(rec tasks.Record) {
	entry := RecordEntry{Source: e.x.RefID, Record: rec}
	e.r.rep.mu.Lock()
	e.r.rep.Records = append(e.r.rep.Records, entry)
	e.r.rep.mu.Unlock()
	if e.r.opts.OnRecord != nil {
		e.r.opts.OnRecord(entry)
	}
}

var (
	_ tasks.RunEnv       = (*runEnv)(nil)
	_ tasks.CustomLogger = (*runEnv)(nil)
)
