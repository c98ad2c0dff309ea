package progress

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// Terminal reports whether w is a terminal, the only writer a progress
// line may be drawn on.
func Terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
