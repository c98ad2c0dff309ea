package dataflow_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

// logged is a Reporter and Logger that keeps what it gets.
type logged struct {
	messages
	emu     sync.Mutex
	entries []dataflow.LogEntry
}

func (l *logged) LogEntry(e dataflow.LogEntry) {
	l.emu.Lock()
	defer l.emu.Unlock()
	l.entries = append(l.entries, e)
}

func (l *logged) named(name string) []string {
	var out []string
	for _, e := range l.entries {
		if e.Name == name {
			out = append(out, e.Text)
		}
	}
	return out
}

// A source → Multicast → (Check → A, B) flow of 5 rows, 2 of them bad and
// redirected to C, writes SSIS's custom log entries: the buffer settings,
// PrimeOutput around the source, the end of rowset of each synchronous
// component (the Multicast is one), the rows each path provided to
// its input, and each component's time.
func TestLogEntries(t *testing.T) {
	rows := [][]any{{int32(1), "a"}, {int32(-2), "b"}, {int32(3), "c"}, {int32(-4), "d"}, {int32(5), "e"}}
	l := &logged{}
	p := dataflow.New(dataflow.Options{Reporter: l, DefaultBufferMaxRows: 2})
	src := p.Add(&simple.Source{Label: "Source", Columns: []dataflow.Column{colID, colName}, Rows: rows})
	src.ID = "1"
	mc := p.Add(&simple.Multicast{Label: "Multicast", N: 2})
	chk := p.Add(&check{disp: dataflow.DispositionRedirectRow})
	chk.ID = "Package\\DFT\\Check"
	a, b, c := &simple.Collector{Label: "A"}, &simple.Collector{Label: "B"}, &simple.Collector{Label: "C"}
	p.Connect(src, 0, mc, 0)
	toCheck := p.Connect(mc, 0, chk, 0)
	toCheck.Name, toCheck.ID, toCheck.InputID, toCheck.InputName = "Multicast Output 1", "Package\\DFT.Paths[Multicast Output 1]", "Package\\DFT\\Check.Inputs[Check Input]", "Check Input"
	p.Connect(chk, 0, p.Add(a), 0)
	p.Connect(chk, 1, p.Add(c), 0)
	p.Connect(mc, 1, p.Add(b), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := l.named(dataflow.LogPipelineInitialization); len(got) != 1 || !strings.Contains(got[0], "Buffers will have 2 rows by default.") {
		t.Errorf("PipelineInitialization = %q", got)
	}
	pre, post := l.named(dataflow.LogPrePrimeOutput), l.named(dataflow.LogPostPrimeOutput)
	if want := "PrimeOutput will be called on a component. :  : 1 : Source"; len(pre) != 1 || pre[0] != want {
		t.Errorf("OnPipelinePrePrimeOutput = %q, want only %q", pre, want)
	}
	if len(post) != 1 {
		t.Errorf("OnPipelinePostPrimeOutput = %q, want 1 entry", post)
	}
	if got := l.named(dataflow.LogPostEndOfRowset); len(got) != 5 || !contains(got, `A component has finished processing all of its rows. :  : Package\DFT\Check : Check`) {
		t.Errorf("OnPipelinePostEndOfRowset = %q, want Multicast, Check, A, B and C", got)
	}
	sent := l.named(dataflow.LogRowsSent)
	for _, want := range []string{
		`Rows were provided to a data flow component as input. :  : Package\DFT.Paths[Multicast Output 1] : Multicast Output 1 : Package\DFT\Check : Check : Package\DFT\Check.Inputs[Check Input] : Check Input : 5`,
		`Rows were provided to a data flow component as input. :  :  : Check Output : 4 : A :  :  : 3`,
		`Rows were provided to a data flow component as input. :  :  : Check Error Output : 5 : C :  :  : 2`,
		`Rows were provided to a data flow component as input. :  :  : Multicast Output 2 : 6 : B :  :  : 5`,
	} {
		if !contains(sent, want) {
			t.Errorf("OnPipelineRowsSent = %q\nwant %q among them", sent, want)
		}
	}
	if len(sent) != 5 {
		t.Errorf("OnPipelineRowsSent has %d entries, want one per path (5)", len(sent))
	}
	times := l.named(dataflow.LogComponentTime)
	re := regexp.MustCompile(`^The component "(Source|Multicast|Check|A|B|C)" \([^)]+\) spent \d+ milliseconds in (ProcessInput|PrimeOutput)\.$`)
	if len(times) != 6 {
		t.Errorf("PipelineComponentTime = %q, want one per component (6)", times)
	}
	for _, s := range times {
		if !re.MatchString(s) {
			t.Errorf("PipelineComponentTime %q is not in SSIS's form", s)
		}
	}
	if !strings.Contains(strings.Join(times, "\n"), `"Check" (Package\DFT\Check) spent`) {
		t.Errorf("PipelineComponentTime does not name Check by its ID: %q", times)
	}
}

// A buffer type whose rows DefaultBufferSize cuts down is reported by
// BufferSizeTuning.
func TestLogBufferSizeTuning(t *testing.T) {
	l := &logged{}
	p := dataflow.New(dataflow.Options{Reporter: l, DefaultBufferMaxRows: 1000, DefaultBufferSize: 4096})
	src := p.Add(&simple.Source{Label: "Source", Columns: []dataflow.Column{colID, colName}, Rows: [][]any{{int32(1), "a"}}})
	p.Connect(src, 0, p.Add(&simple.Collector{Label: "A"}), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := l.named(dataflow.LogBufferSizeTuning)
	if len(got) != 1 || !regexp.MustCompile(`^Rows in buffer type 0 would cause a buffer size greater than the configured maximum\. There will be only \d+ rows in buffers of this type\.$`).MatchString(got[0]) {
		t.Errorf("BufferSizeTuning = %q", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
