package runtime

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/dtsx"
)

// event reports e: to the report, the log and RunOptions.OnEvent. It runs
// no handler (raise does).
func (r *run) event(e Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	r.rep.addEvent(e)
	level := zap.DebugLevel // OnPreExecute and the like
	switch e.Name {
	case "OnError", "OnTaskFailed":
		level = zap.ErrorLevel
	case "OnWarning":
		level = zap.WarnLevel
	case "OnInformation", "OnProgress":
		level = zap.InfoLevel
	}
	if ce := r.log.Check(level, e.Name); ce != nil {
		ce.Write(zap.String("source", e.SourceRef), zap.String("name", e.Source), zap.String("message", e.Message))
	}
	if r.opts.OnEvent != nil {
		r.opts.OnEvent(e)
	}
}

// raise raises an event on x: it is reported, and the event handlers for
// it on x and on each container above run, innermost first (SSIS's
// bubbling). An OnError also counts against x's containers.
func (r *run) raise(ctx context.Context, name string, x *dtsx.Executable, sc *scope, msg string, code int) {
	r.event(Event{Name: name, Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID, Message: msg})
	r.handle(ctx, name, x, x, sc, msg, code)
}

// handle runs the handlers for an event raised by src, from x up to the
// package, then (in a child package) on in the parent package from its
// Execute Package Task, as SSIS bubbles a child's events. An OnError counts
// against each container it passes.
func (r *run) handle(ctx context.Context, name string, x, src *dtsx.Executable, sc *scope, msg string, code int) {
	if name == "OnError" {
		r.mu.Lock()
		for c := x; c != nil; c = c.Parent {
			r.errors[c]++
		}
		r.mu.Unlock()
	}
	for c := x; c != nil; c = c.Parent {
		for _, h := range c.EventHandlers {
			if h.EventName != name || h.Disabled {
				continue
			}
			if _, busy := r.inHandler.LoadOrStore(h, true); busy {
				continue // an event raised inside its own handler does not run it again
			}
			hs, err := r.scope(sc, h)
			if err != nil {
				r.inHandler.Delete(h)
				r.event(Event{Name: "OnError", Source: h.Name, SourceRef: h.RefID, Message: err.Error()})
				continue
			}
			hs.setSystem(handlerSystem(name, src, time.Now(), msg, code))
			r.container(ctx, h, hs)
			r.inHandler.Delete(h)
			// A handler that sets System::Propagate to False stops the
			// event from reaching the handlers of the containers above.
			if v, err := hs.find("System::Propagate"); err == nil {
				if b, err := v.get().Bool(); err == nil && !b {
					return
				}
			}
		}
	}
	if r.up != nil {
		r.up(ctx, name, src, msg, code)
	}
}
