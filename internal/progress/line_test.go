package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
)

// TestNotATerminal: on a buffer, a pipe or a file nothing is drawn, and
// the nil line's methods do nothing.
func TestNotATerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]interface {
		Write([]byte) (int, error)
	}{"buffer": &bytes.Buffer{}, "file": f, "pipe": w} {
		l := New(out, 3)
		if l != nil {
			t.Errorf("%s: a progress line on what is not a terminal", name)
		}
		l.Start()
		l.Event(runtime.Event{Name: "OnPreExecute", Source: "A"})
		l.Draw()
		l.Done()
	}
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Errorf("the file got %d bytes", st.Size())
	}
}

// TestLine draws on a fake terminal: the counts, the executable running,
// a redraw only when the line changed, and nothing left at the end.
func TestLine(t *testing.T) {
	var term bytes.Buffer
	l := newLine(&term, 3)
	l.Event(runtime.Event{Name: "OnPreExecute", Source: "Package", SourceRef: "Package"})
	l.Event(runtime.Event{Name: "OnPreExecute", Source: "Load", SourceRef: `Package\Load`})
	l.Record(runtime.RecordEntry{Record: tasks.Record{Kind: "data-flow", Data: map[string]any{"paths": []map[string]any{{"rows": int64(40)}, {"rows": int64(1)}}}}})
	l.Record(runtime.RecordEntry{Record: tasks.Record{Kind: "data-flow", Data: map[string]any{"paths": []map[string]any{{"rows": int64(1)}}}}})
	l.Event(runtime.Event{Name: "OnPostExecute", Source: "Load", SourceRef: `Package\Load`})
	l.Event(runtime.Event{Name: "OnPreExecute", Source: "Mail", SourceRef: `Package\Mail`})
	l.Record(runtime.RecordEntry{Record: tasks.Record{Kind: "mail", Data: map[string]any{"outcome": "sent"}}})
	l.Record(runtime.RecordEntry{Record: tasks.Record{Kind: "mail", Data: map[string]any{"outcome": "refused"}}})
	l.Draw()
	want := "\r\x1b[K1/3 executables, 1 mails sent, 42 rows · Mail"
	if term.String() != want {
		t.Fatalf("drew %q, want %q", term.String(), want)
	}
	l.Draw()
	if term.String() != want {
		t.Errorf("redrew an unchanged line: %q", term.String())
	}
	l.Event(runtime.Event{Name: "OnPostExecute", Source: "Load", SourceRef: `Package\Load`}) // in a loop, again
	l.Draw()
	if term.String() != want {
		t.Errorf("an executable done twice counted twice: %q", term.String())
	}
	term.Reset()
	l.Done()
	if term.String() != "\r\x1b[K" {
		t.Errorf("Done wrote %q, want the line erased", term.String())
	}
}

// TestWidth: a long executable name is cut so that the line never wraps.
func TestWidth(t *testing.T) {
	var term bytes.Buffer
	l := newLine(&term, 1)
	l.Event(runtime.Event{Name: "OnPreExecute", Source: strings.Repeat("é", 200)})
	l.Draw()
	if n := len([]rune(strings.TrimPrefix(term.String(), "\r\x1b[K"))); n > width {
		t.Errorf("a line of %d characters", n)
	}
}
