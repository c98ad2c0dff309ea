package progress

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/dtsx-run/dtsx/runtime"
)

// Interval is the shortest time between two draws of the line.
const Interval = 100 * time.Millisecond

// width bounds the line, so that it fits a terminal and is not wrapped
// (a wrapped line cannot be redrawn with a carriage return).
const width = 79

// clear goes back to the start of the line and erases it.
const clear = "\r\x1b[K"

// Line is a progress line. Its methods are safe for concurrent use.
type Line struct {
	mu      sync.Mutex
	w       io.Writer
	total   int
	done    map[string]bool
	current string
	mails   int
	rows    int64
	shown   string // what the terminal shows now
	stop    chan struct{}
	stopped chan struct{}
}

// New returns the progress line of a run of total executables, drawn on w.
// It returns nil when w is not a terminal; a nil Line's methods do
// nothing.
func New(w io.Writer, total int) *Line {
	if !Terminal(w) {
		return nil
	}
	return newLine(w, total)
}

func newLine(w io.Writer, total int) *Line {
	return &Line{w: w, total: total, done: map[string]bool{}}
}

// Start redraws the line every Interval while it changes, until Done.
func (l *Line) Start() {
	if l == nil {
		return
	}
	l.stop, l.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(l.stopped)
		t := time.NewTicker(Interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				l.Draw()
			case <-l.stop:
				return
			}
		}
	}()
}

// Event follows the run: an OnPreExecute names the executable running, an
// OnPostExecute counts it done.
func (l *Line) Event(e runtime.Event) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e.Name {
	case "OnPreExecute":
		l.current = e.Source
	case "OnPostExecute":
		l.done[e.SourceRef] = true
	}
}

// Record counts a mail sent and the rows that went through the paths of
// a data flow.
func (l *Line) Record(r runtime.RecordEntry) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch r.Kind {
	case "mail":
		if r.Data["outcome"] == "sent" {
			l.mails++
		}
	case "data-flow":
		if ps, ok := r.Data["paths"].([]map[string]any); ok {
			for _, p := range ps {
				if n, ok := p["rows"].(int64); ok {
					l.rows += n
				}
			}
		}
	}
}

// text is the line as it reads now.
func (l *Line) text() string {
	done := min(len(l.done), l.total)
	s := fmt.Sprintf("%d/%d executables, %d mails sent, %d rows", done, l.total, l.mails, l.rows)
	if l.current != "" {
		s += " · " + l.current
	}
	if r := []rune(s); len(r) > width {
		s = string(r[:width-1]) + "…"
	}
	return s
}

// Draw draws the line now if it changed.
func (l *Line) Draw() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := l.text(); s != l.shown {
		fmt.Fprint(l.w, clear+s)
		l.shown = s
	}
}

// Clear erases the line, so that other output can be written; the next
// Draw draws it again.
func (l *Line) Clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown != "" {
		fmt.Fprint(l.w, clear)
		l.shown = ""
	}
}

// Done stops the redraws and erases the line: a finished run leaves no
// trace of it.
func (l *Line) Done() {
	if l == nil {
		return
	}
	if l.stop != nil {
		close(l.stop)
		<-l.stopped
		l.stop = nil
	}
	l.Clear()
}
