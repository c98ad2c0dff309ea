package runner

import (
	"fmt"
	"io"

	"github.com/dtsx-run/dtsx/runtime"
)

// printSkipped ends the console output of a run that skipped tasks it
// cannot execute: one line per task (its path, name and type, and how often
// the run reached it when more than once), then a last line with how many
// there were. A run that skipped nothing prints nothing.
func printSkipped(w io.Writer, skipped []runtime.SkippedTask, spell runtime.Spelling) {
	if len(skipped) == 0 {
		return
	}
	opt := spell.Of(runtime.OptSkipUnsupported)
	for _, s := range skipped {
		where := s.RefID
		if s.Package != "" {
			where = s.Package + ": " + s.RefID
		}
		times := ""
		if s.Times > 1 {
			times = fmt.Sprintf(", reached %d times", s.Times)
		}
		fmt.Fprintf(w, "Skipped:  %s (%q, %s%s): not executable here\n", where, s.Name, s.Type, times)
	}
	fmt.Fprintf(w, "Skipped:  %s not executed (%s)\n", plural(len(skipped), "task"), opt)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
