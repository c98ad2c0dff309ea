package runtime

import (
	"context"
	"fmt"

	"github.com/dtsx-run/dtsx/dtsx"
)

// unsupported is what a task this runtime cannot execute does when the run
// reaches it.
//
// With RunOptions.SkipUnsupported it is skipped: a warning says so (an
// event reported, not raised to handlers), the report lists it among its
// skipped tasks, and its result is Success. SSIS has no such notion; the
// nearest is a disabled task (Disable=True), whose TaskHost posts "no
// errors occurred" without executing it, so that its Success constraints
// are followed (Allan Mitchell, "Meaning of the On Success Workflow
// Constraint", sqlis.com, 2005). A skipped task is treated the same way.
//
// Without it the task fails, with an error that says how to skip it:
// nothing is skipped unless the command line asked. Validation refuses such
// tasks before the run, so this is reached only by one validation did not
// see (its Disabled property turned False by an expression at run time).
func (r *run) unsupported(ctx context.Context, x *dtsx.Executable, sc *scope, res *Result) Status {
	what := fmt.Sprintf("%s (%s) cannot be executed here", x.Name, x.ShortType())
	if !r.opts.SkipUnsupported {
		msg := what + "; " + r.opts.Spelling.skipHint()
		res.Errors = append(res.Errors, msg)
		r.raise(ctx, "OnError", x, sc, msg, -1)
		r.raise(ctx, "OnTaskFailed", x, sc, msg, 0)
		return Failure
	}
	r.event(Event{Name: "OnWarning", Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID,
		Message: what + "; skipped (" + r.opts.Spelling.Of(OptSkipUnsupported) + ")"})
	r.rep.skip(SkippedTask{RefID: x.RefID, Name: x.Name, Type: x.Type(), Times: 1})
	res.Skipped = "not executable here"
	return Success
}
