package dataflow_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

type messages struct {
	mu   sync.Mutex
	list []dataflow.Message
}

func (m *messages) Information(msg dataflow.Message) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.list = append(m.list, msg)
}

func (m *messages) texts() []string {
	var out []string
	for _, msg := range m.list {
		out = append(out, msg.Text)
	}
	return out
}

var (
	colID   = dataflow.Column{Name: "ID", LineageID: 1, Kind: dataflow.KindInt32}
	colName = dataflow.Column{Name: "Name", LineageID: 2, Kind: dataflow.KindWString, Length: 20}
)

// check is a synchronous transform that fails the rows whose ID is
// negative, with its disposition, and passes the others to output 0. Its
// output 1 is its error output.
type check struct {
	disp dataflow.Disposition
	id   int
}

func (c *check) Name() string { return "Check" }
func (c *check) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Check Output"}, {Name: "Check Error Output", Error: true, ErrorCodeLineageID: 90, ErrorColumnLineageID: 91}}
}
func (c *check) Prepare(l *dataflow.Layout) (err error) {
	c.id, err = l.Index(colID.LineageID)
	return err
}
func (c *check) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	for _, row := range rows {
		if !b.IsNull(c.id, row) && b.Int64(c.id, row) < 0 {
			handled, err := r.RowError(row, c.disp, -1071607694, colID.LineageID, errors.New("negative ID"))
			if err != nil {
				return err
			}
			if handled {
				continue
			}
			b.SetNull(c.id, row)
		}
		r.Send(0, row)
	}
	return nil
}

// "Error Handling in Data": fail component, ignore failure, redirect row.
func TestDispositions(t *testing.T) {
	rows := [][]any{{int32(1), "a"}, {int32(-2), "b"}, {nil, nil}, {int32(3), "c"}}
	tests := []struct {
		disp    dataflow.Disposition
		wantOK  [][]any
		wantErr [][]any
		fails   bool
	}{
		{disp: dataflow.DispositionFailComponent, fails: true},
		{disp: dataflow.DispositionIgnoreFailure,
			wantOK: [][]any{{int64(1), "a"}, {nil, "b"}, {nil, nil}, {int64(3), "c"}}},
		{disp: dataflow.DispositionRedirectRow,
			wantOK:  [][]any{{int64(1), "a"}, {nil, nil}, {int64(3), "c"}},
			wantErr: [][]any{{int64(-2), "b", int64(-1071607694), int64(1)}}},
	}
	for _, tt := range tests {
		t.Run(tt.disp.String(), func(t *testing.T) {
			p := dataflow.New(dataflow.Options{})
			src := p.Add(&simple.Source{Label: "Source", Columns: []dataflow.Column{colID, colName}, Rows: rows})
			chk := p.Add(&check{disp: tt.disp})
			ok := &simple.Collector{Label: "OK", Lineage: []int{1, 2}}
			bad := &simple.Collector{Label: "Bad rows", Lineage: []int{1, 2, 90, 91}}
			p.Connect(src, 0, chk, 0)
			p.Connect(chk, 0, p.Add(ok), 0)
			p.Connect(chk, 1, p.Add(bad), 0)
			_, err := p.Run(context.Background())
			if tt.fails {
				var ce *dataflow.ComponentError
				var re *dataflow.RowError
				if !errors.As(err, &ce) || ce.Component != "Check" || !errors.As(err, &re) || re.Column != 1 {
					t.Fatalf("err = %v, want the row error of Check on lineage ID 1", err)
				}
				if !strings.Contains(err.Error(), `error code 0xC0209072 occurred on row 1, and the error row disposition on column "ID" (lineage ID 1) specifies failure on error`) {
					t.Errorf("message %q lacks the error code in hexadecimal", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ok.Rows(); !reflect.DeepEqual(got, tt.wantOK) {
				t.Errorf("normal output = %v, want %v", got, tt.wantOK)
			}
			if got := bad.Rows(); !reflect.DeepEqual(got, tt.wantErr) {
				t.Errorf("error output = %v, want %v", got, tt.wantErr)
			}
		})
	}
}

func TestParseDisposition(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want dataflow.Disposition
		bad  bool
	}{
		{"FailComponent", dataflow.DispositionFailComponent, false},
		{"RD_RedirectRow", dataflow.DispositionRedirectRow, false},
		{"ignorefailure", dataflow.DispositionIgnoreFailure, false},
		{"NotUsed", dataflow.DispositionNotUsed, false},
		{"Explode", 0, true},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := dataflow.ParseDisposition(tt.in)
			if (err != nil) != tt.bad || got != tt.want {
				t.Errorf("ParseDisposition(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}

type vars map[string]any

func (v vars) SetVariable(_ context.Context, name string, value any) error {
	v[name] = value
	return nil
}

// A source → Multicast → (Row Count → collector, collector) flow keeps
// NULLs, counts rows per path and reports each destination in SSIS's words.
func TestMulticastRowCountMessages(t *testing.T) {
	rows := [][]any{{int32(1), "a"}, {nil, "b"}, {int32(3), nil}}
	msgs := &messages{}
	v := vars{}
	p := dataflow.New(dataflow.Options{Reporter: msgs})
	src := p.Add(&simple.Source{Label: "Source", Columns: []dataflow.Column{colID, colName}, Rows: rows})
	mc := p.Add(&simple.Multicast{Label: "Multicast", N: 2})
	rc := p.Add(&simple.RowCount{Label: "Row Count", Variable: "User::N", Vars: v})
	a, b := &simple.Collector{Label: "A"}, &simple.Collector{Label: "B"}
	p.Connect(src, 0, mc, 0)
	p.Connect(mc, 0, rc, 0)
	p.Connect(rc, 0, p.Add(a), 0)
	p.Connect(mc, 1, p.Add(b), 0)
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{{int64(1), "a"}, {nil, "b"}, {int64(3), nil}}
	for _, c := range []*simple.Collector{a, b} {
		if !reflect.DeepEqual(c.Rows(), want) {
			t.Errorf("%s got %v, want %v", c.Label, c.Rows(), want)
		}
	}
	if v["User::N"] != int64(3) {
		t.Errorf("User::N = %v, want 3", v["User::N"])
	}
	if got, want := msgs.texts(), []string{`"A" wrote 3 rows.`, `"B" wrote 3 rows.`}; !reflect.DeepEqual(got, want) {
		t.Errorf("messages = %q, want %q", got, want)
	}
	if msgs.list[0].Code != 0x4004300B || msgs.list[0].Subcomponent != "SSIS.Pipeline" {
		t.Errorf("message = %+v, want DTS_I_ROWS_WRITTEN from SSIS.Pipeline", msgs.list[0])
	}
	for _, pr := range res.Paths {
		if pr.Rows != 3 {
			t.Errorf("path %s (%s → %s) moved %d rows, want 3", pr.Path, pr.From, pr.To, pr.Rows)
		}
	}
}

// A Multicast's outputs get copies: a transform on one branch that changes a
// cell leaves the other branch's rows alone.
type negate struct{ id int }

func (n *negate) Name() string                     { return "Negate" }
func (n *negate) Outputs() []dataflow.Output       { return []dataflow.Output{{Name: "Negate Output"}} }
func (n *negate) Prepare(l *dataflow.Layout) error { n.id, _ = l.Index(1); return nil }
func (n *negate) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	for _, row := range rows {
		b.SetInt64(n.id, row, -b.Int64(n.id, row))
		r.Send(0, row)
	}
	return nil
}

func TestMulticastCopies(t *testing.T) {
	p := dataflow.New(dataflow.Options{})
	src := p.Add(&simple.Source{Label: "Source", Columns: []dataflow.Column{colID}, Rows: [][]any{{1}, {2}}})
	mc := p.Add(&simple.Multicast{Label: "Multicast", N: 2})
	neg := p.Add(&negate{})
	a, b := &simple.Collector{Label: "A"}, &simple.Collector{Label: "B"}
	p.Connect(src, 0, mc, 0)
	p.Connect(mc, 0, neg, 0)
	p.Connect(neg, 0, p.Add(a), 0)
	p.Connect(mc, 1, p.Add(b), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(a.Rows(), b.Rows()); got != "[[-1] [-2]] [[1] [2]]" {
		t.Errorf("branches = %s", got)
	}
}

func TestUnionAll(t *testing.T) {
	colX := dataflow.Column{Name: "X", LineageID: 10, Kind: dataflow.KindInt64}
	colY := dataflow.Column{Name: "Y", LineageID: 11, Kind: dataflow.KindString}
	outID := dataflow.Column{Name: "ID", LineageID: 20, Kind: dataflow.KindInt64}
	outName := dataflow.Column{Name: "Name", LineageID: 21, Kind: dataflow.KindWString}
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 7})
	var r1, r2 [][]any
	for i := range 100 {
		r1 = append(r1, []any{int32(i), fmt.Sprint("a", i)})
		r2 = append(r2, []any{int64(1000 + i), nil})
	}
	s1 := p.Add(&simple.Source{Label: "One", Columns: []dataflow.Column{colID, colName}, Rows: r1})
	s2 := p.Add(&simple.Source{Label: "Two", Columns: []dataflow.Column{colX, colY}, Rows: r2})
	u := p.Add(&simple.UnionAll{Label: "Union All", Columns: []dataflow.Column{outID, outName}, Map: [][]int{{1, 2}, {10}}})
	c := &simple.Collector{Label: "All"}
	p.Connect(s1, 0, u, 0)
	p.Connect(s2, 0, u, 1)
	p.Connect(u, 0, p.Add(c), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[int64]any{}
	for _, row := range c.Rows() {
		got[row[0].(int64)] = row[1]
	}
	if len(c.Rows()) != 200 || len(got) != 200 || got[5] != "a5" || got[1005] != nil {
		t.Errorf("union all gave %d rows (%d distinct), 5 → %v, 1005 → %v", len(c.Rows()), len(got), got[5], got[1005])
	}
}

type failing struct{ after int }

func (f *failing) Name() string                   { return "Broken Transform" }
func (f *failing) Outputs() []dataflow.Output     { return []dataflow.Output{{Name: "Out"}} }
func (f *failing) Prepare(*dataflow.Layout) error { return nil }
func (f *failing) Process(_ context.Context, _ *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	f.after -= len(rows)
	if f.after < 0 {
		return errors.New("disk on fire")
	}
	r.SendAll(0, rows)
	return nil
}

func gen(label string, n int) *simple.Generator {
	return &simple.Generator{Label: label, Columns: []dataflow.Column{colID}, N: n,
		Fill: func(i int, b *dataflow.Buffer, r int) { b.SetInt64(0, r, int64(i)) }}
}

// An error in one execution tree stops every tree, and the flow's error
// names the component.
func TestErrorStopsFlow(t *testing.T) {
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 10})
	a := p.Add(gen("Endless", 1<<40))
	u := p.Add(&simple.UnionAll{Label: "Union All", Columns: []dataflow.Column{{Name: "ID", LineageID: 5, Kind: dataflow.KindInt64}}, Map: [][]int{{1}, {1}}})
	b := p.Add(gen("Short", 1000))
	f := p.Add(&failing{after: 500})
	p.Connect(a, 0, u, 0)
	p.Connect(b, 0, f, 0)
	p.Connect(f, 0, u, 1)
	p.Connect(u, 0, p.Add(&simple.Collector{Label: "Sink", Wait: func(context.Context) error { return nil }}), 0)
	_, err := p.Run(context.Background())
	var ce *dataflow.ComponentError
	if !errors.As(err, &ce) || ce.Component != "Broken Transform" || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v, want the error of Broken Transform", err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 10})
	src := p.Add(gen("Endless", 1<<40))
	var seen atomic.Int64
	sink := &simple.Collector{Label: "Sink", Lineage: []int{1}, Wait: func(context.Context) error {
		if seen.Add(1) == 50 {
			cancel()
		}
		return nil
	}}
	rc := p.Add(&simple.RowCount{Label: "Row Count", Variable: "N", Vars: vars{}})
	p.Connect(src, 0, rc, 0)
	p.Connect(rc, 0, p.Add(sink), 0)
	_, err := p.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// A slow destination behind an asynchronous component holds the source
// back: the rows generated but not yet written stay within a few buffers.
func TestBackPressure(t *testing.T) {
	const rows, perBuffer = 20000, 100
	var made, written, worst atomic.Int64
	g := gen("Source", rows)
	g.Fill = func(i int, b *dataflow.Buffer, r int) { made.Add(1); b.SetInt64(0, r, int64(i)) }
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: perBuffer})
	src := p.Add(g)
	u := p.Add(&simple.UnionAll{Label: "Union All", Columns: []dataflow.Column{{Name: "ID", LineageID: 5, Kind: dataflow.KindInt64}}, Map: [][]int{{1}}})
	slow := &slowSink{sleep: 20 * time.Microsecond, written: &written, made: &made, worst: &worst}
	p.Connect(src, 0, u, 0)
	p.Connect(u, 0, p.Add(slow), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if written.Load() != rows {
		t.Fatalf("wrote %d rows, want %d", written.Load(), rows)
	}
	// Source buffer being filled, two queued, one in Union All's reader,
	// one being copied, Union All's output buffer, the one being written.
	if limit := int64(8 * perBuffer); worst.Load() > limit {
		t.Errorf("up to %d rows were in flight, want at most %d", worst.Load(), limit)
	}
}

type slowSink struct {
	sleep                time.Duration
	written, made, worst *atomic.Int64
}

func (s *slowSink) Name() string                   { return "Slow" }
func (s *slowSink) Outputs() []dataflow.Output     { return nil }
func (s *slowSink) Prepare(*dataflow.Layout) error { return nil }
func (s *slowSink) Process(ctx context.Context, _ *dataflow.Buffer, rows []int, _ *dataflow.Router) error {
	if d := s.made.Load() - s.written.Load(); d > s.worst.Load() {
		s.worst.Store(d)
	}
	time.Sleep(s.sleep)
	s.written.Add(int64(len(rows)))
	return nil
}

// "Data Flow Performance Features": a buffer holds DefaultBufferMaxRows
// rows, fewer when they would not fit in DefaultBufferSize.
func TestBufferSizing(t *testing.T) {
	wide := dataflow.Column{Name: "Text", LineageID: 3, Kind: dataflow.KindWString, Length: 500}
	tests := []struct {
		name    string
		opts    dataflow.Options
		cols    []dataflow.Column
		wantCap int
	}{
		{"defaults", dataflow.Options{}, []dataflow.Column{colID}, 10000},
		{"max rows", dataflow.Options{DefaultBufferMaxRows: 250}, []dataflow.Column{colID}, 250},
		// 4 + 1000 bytes a row: 10 MB holds 10442 rows, more than 10000.
		{"wide fits", dataflow.Options{}, []dataflow.Column{colID, wide}, 10000},
		{"size bound", dataflow.Options{DefaultBufferSize: 100400}, []dataflow.Column{colID, wide}, 100},
		{"auto adjust", dataflow.Options{DefaultBufferSize: 100400, DefaultBufferMaxRows: 5000, AutoAdjustBufferSize: true}, []dataflow.Column{colID, wide}, 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := dataflow.New(tt.opts)
			g := &simple.Generator{Label: "G", Columns: tt.cols, N: 1, Fill: func(int, *dataflow.Buffer, int) {}}
			cap := &capSink{}
			p.Connect(p.Add(g), 0, p.Add(cap), 0)
			if _, err := p.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if cap.cap != tt.wantCap {
				t.Errorf("buffer holds %d rows, want %d", cap.cap, tt.wantCap)
			}
		})
	}
}

type capSink struct{ cap int }

func (c *capSink) Name() string                   { return "Cap" }
func (c *capSink) Outputs() []dataflow.Output     { return nil }
func (c *capSink) Prepare(*dataflow.Layout) error { return nil }
func (c *capSink) Process(_ context.Context, b *dataflow.Buffer, _ []int, _ *dataflow.Router) error {
	c.cap = b.Cap()
	return nil
}

func TestInvalidPipelines(t *testing.T) {
	tests := []struct {
		name  string
		build func(p *dataflow.Pipeline)
		want  string
	}{
		{"path into a source", func(p *dataflow.Pipeline) {
			a, b := p.Add(gen("A", 1)), p.Add(gen("B", 1))
			p.Connect(a, 0, b, 0)
		}, `ends at "B", a source`},
		{"input without path", func(p *dataflow.Pipeline) {
			p.Add(&simple.Collector{Label: "Lonely"})
		}, `"Lonely" has no path to its input`},
		{"two paths from an output", func(p *dataflow.Pipeline) {
			a := p.Add(gen("A", 1))
			p.Connect(a, 0, p.Add(&simple.Collector{Label: "X"}), 0)
			p.Connect(a, 0, p.Add(&simple.Collector{Label: "Y"}), 0)
		}, "more than one path (use a Multicast)"},
		{"no such output", func(p *dataflow.Pipeline) {
			a := p.Add(gen("A", 1))
			p.Connect(a, 3, p.Add(&simple.Collector{Label: "X"}), 0)
		}, `output 3 of "A"`},
		{"duplicate lineage ID", func(p *dataflow.Pipeline) {
			a := p.Add(&simple.Source{Label: "A", Columns: []dataflow.Column{colID, {Name: "Again", LineageID: 1, Kind: dataflow.KindInt32}}})
			p.Connect(a, 0, p.Add(&simple.Collector{Label: "X"}), 0)
		}, "same lineage ID 1"},
		{"missing column", func(p *dataflow.Pipeline) {
			a := p.Add(gen("A", 1))
			p.Connect(a, 0, p.Add(&simple.Collector{Label: "X", Lineage: []int{77}}), 0)
		}, `component "X" failed: dataflow: invalid pipeline: no column with lineage ID 77`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := dataflow.New(dataflow.Options{})
			tt.build(p)
			_, err := p.Run(context.Background())
			if !errors.Is(err, dataflow.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid with %q", err, tt.want)
			}
			if _, again := p.Run(context.Background()); !errors.Is(again, dataflow.ErrInvalid) {
				t.Errorf("a second Run = %v, want ErrInvalid", again)
			}
		})
	}
}

// Execution trees run concurrently: two sources that each wait for the
// other to start both finish.
func TestTreesRunConcurrently(t *testing.T) {
	var started sync.WaitGroup
	started.Add(2)
	p := dataflow.New(dataflow.Options{})
	for _, name := range []string{"Left", "Right"} {
		src := p.Add(&meeting{label: name, started: &started})
		p.Connect(src, 0, p.Add(&simple.Collector{Label: name + " sink"}), 0)
	}
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

type meeting struct {
	label   string
	started *sync.WaitGroup
}

func (m *meeting) Name() string { return m.label }
func (m *meeting) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Out", Columns: []dataflow.Column{colID}}}
}
func (m *meeting) Produce(ctx context.Context, out *dataflow.Emitter) error {
	m.started.Done()
	met := make(chan struct{})
	go func() { m.started.Wait(); close(met) }()
	select {
	case <-met:
	case <-time.After(10 * time.Second):
		return errors.New("the other source never started: trees ran one after the other")
	}
	b := out.NewBuffer(0)
	b.SetInt64(0, b.AddRow(), 1)
	return out.Send(ctx, 0, b)
}

// A buffer the tree is done with is filled again: cells a source leaves
// unset are NULL in every buffer, not the values of an earlier one.
func TestReusedBuffersStartNull(t *testing.T) {
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 3})
	g := &simple.Generator{Label: "G", Columns: []dataflow.Column{colID}, N: 10, Fill: func(i int, b *dataflow.Buffer, r int) {
		if i%2 == 0 {
			b.SetInt64(0, r, int64(i))
		}
	}}
	c := &simple.Collector{Label: "C"}
	p.Connect(p.Add(g), 0, p.Add(c), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.Rows()); got != "[[0] [<nil>] [2] [<nil>] [4] [<nil>] [6] [<nil>] [8] [<nil>]]" {
		t.Errorf("rows = %s", got)
	}
}

// Validate reports every structural problem at once, before anything runs.
func TestValidateJoinsProblems(t *testing.T) {
	p := dataflow.New(dataflow.Options{})
	p.Add(&simple.Collector{Label: "One"})
	p.Add(&simple.Collector{Label: "Two"})
	err := p.Validate()
	for _, want := range []string{`"One" has no path`, `"Two" has no path`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want %q", err, want)
		}
	}
}

// Transforms on a loop of paths never reach a source: Validate says so.
func TestCycle(t *testing.T) {
	p := dataflow.New(dataflow.Options{})
	a := p.Add(&simple.Multicast{Label: "Loop A", N: 1})
	b := p.Add(&simple.Multicast{Label: "Loop B", N: 1})
	p.Connect(a, 0, b, 0)
	p.Connect(b, 0, a, 0)
	if err := p.Validate(); !errors.Is(err, dataflow.ErrInvalid) || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("Validate() = %v, want a cycle", err)
	}
}
