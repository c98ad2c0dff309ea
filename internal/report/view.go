package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/runtime"
)

// Data is what the page shows: a run's report, its exit code and capture
// mode's files.
type Data struct {
	Report       *runtime.Report
	ExitCode     int
	CaptureFiles []string
	// Mask, when set, is applied to every text the page shows: the last
	// line of defence against a secret the run's messages kept.
	Mask func(string) string
}

// node is one executable of the tree.
type node struct {
	RefID, Name, Type, Status string
	Runs                      int
	Duration                  string
	// Handler names the event of the handler the executable runs in
	// ("OnError"), when it is in one.
	Handler  string
	Children []*node
	first    time.Time
}

// bar is one result on the timeline.
type bar struct {
	Label, Status, Title string
	X, W, Y              float64
}

type event struct{ Offset, Name, Source, SourceRef, Message string }

type mail struct {
	Source, From, Recipients, Subject, MessageID, Outcome, Server, Reply string
	Attempts                                                             string
}

type pathRows struct {
	Source, Path, From, To string
	Rows                   int64
}

// view is the page's model: every text already masked.
type view struct {
	Package, File, Status, StatusClass, Start, Duration string
	ExitCode                                            int
	Tree                                                []*node
	Bars                                                []bar
	Width, Height, LabelWidth                           float64
	Ticks                                               []tick
	BarsOmitted                                         int
	Events                                              []event
	EventsOmitted                                       int
	Mails                                               []mail
	CaptureFiles                                        []string
	Paths                                               []pathRows
	RowsTotal                                           int64
	Variables                                           []runtime.VariableValue
}

type tick struct {
	X     float64
	Label string
}

// Layout of the timeline.
const (
	maxBars    = 1000
	barHeight  = 18
	labelWidth = 260
	plotWidth  = 900
)

// statusClass names a result as the page's data-status does.
func statusClass(st runtime.Status, skipped string) string {
	switch {
	case skipped != "" || st == runtime.NotRun:
		return "skipped"
	case st == runtime.Failure:
		return "failure"
	case st == runtime.Canceled:
		return "cancelled"
	default:
		return "success"
	}
}

// tallyClass names an executable's status over all its results.
func tallyClass(t runtime.Tally) string {
	switch {
	case t.Failures > 0:
		return "failure"
	case t.Canceled > 0:
		return "cancelled"
	case t.Runs > 0 && t.Runs == t.Skipped+t.NotRun:
		return "skipped"
	default:
		return "success"
	}
}

func newView(d Data) view {
	rep := d.Report
	m := d.Mask
	if m == nil {
		m = func(s string) string { return s }
	}
	v := view{Package: m(rep.Package), File: m(rep.File), Status: rep.Status.String(),
		StatusClass: statusClass(rep.Status, ""), Start: rep.Start.Format(time.RFC3339),
		Duration: short(rep.Duration), ExitCode: d.ExitCode,
		LabelWidth: labelWidth, Width: labelWidth + plotWidth + 20}
	v.Tree = tree(rep, m)
	v.Bars, v.Ticks, v.BarsOmitted = timeline(rep, m)
	v.Height = float64(len(v.Bars))*barHeight + 30
	for _, e := range rep.Events {
		v.Events = append(v.Events, event{Offset: offset(rep.Start, e.Time), Name: e.Name, Source: m(e.Source),
			SourceRef: m(e.SourceRef), Message: m(e.Message)})
	}
	v.EventsOmitted = rep.EventsOmitted
	for _, r := range rep.Records {
		switch r.Kind {
		case "mail":
			v.Mails = append(v.Mails, mail{Source: m(r.Source), From: m(text(r.Data["from"])),
				Recipients: m(text(r.Data["recipients"])), Subject: m(text(r.Data["subject"])),
				MessageID: m(text(r.Data["messageId"])), Outcome: m(text(r.Data["outcome"])),
				Server: m(text(r.Data["server"])), Reply: m(text(r.Data["reply"])), Attempts: text(r.Data["attempts"])})
		case "data-flow":
			for _, p := range paths(r.Data["paths"]) {
				rows := count(p["rows"])
				v.Paths = append(v.Paths, pathRows{Source: m(r.Source), Path: m(text(p["path"])),
					From: m(text(p["from"])), To: m(text(p["to"])), Rows: rows})
				v.RowsTotal += rows
			}
		}
	}
	for _, f := range d.CaptureFiles {
		v.CaptureFiles = append(v.CaptureFiles, m(f))
	}
	for _, x := range rep.Variables {
		x.Name, x.Value = m(x.Name), m(x.Value)
		v.Variables = append(v.Variables, x)
	}
	return v
}

// text shows a record's field: a list joined with commas.
func text(x any) string {
	switch x := x.(type) {
	case nil:
		return ""
	case string:
		return x
	case []string:
		return strings.Join(x, ", ")
	default:
		return fmt.Sprint(x)
	}
}

func offset(start, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return "+" + t.Sub(start).Round(time.Millisecond).String()
}

// tree nests the executables the report lists by their refIds: the parent
// of Package\A\B is Package\A, or the nearest ancestor listed.
func tree(rep *runtime.Report, m func(string) string) []*node {
	first := map[string]time.Time{}
	dur := map[string]time.Duration{}
	for _, r := range rep.Results {
		if t, ok := first[r.RefID]; !ok || (!r.Start.IsZero() && r.Start.Before(t)) || t.IsZero() {
			first[r.RefID] = r.Start
		}
		dur[r.RefID] += r.Duration
	}
	byRef := map[string]*node{}
	var all []*node
	for _, t := range rep.Totals {
		n := &node{RefID: m(t.RefID), Name: m(t.Name), Type: m(t.Type), Status: tallyClass(t), Runs: t.Runs,
			Duration: short(dur[t.RefID]), first: first[t.RefID]}
		byRef[t.RefID] = n
		all = append(all, n)
	}
	refs := make([]string, 0, len(rep.Totals))
	for _, t := range rep.Totals {
		refs = append(refs, t.RefID)
	}
	var roots []*node
	for i, ref := range refs {
		var parent *node
		for p := ref; ; {
			j := strings.LastIndexByte(p, '\\')
			if j < 0 {
				break
			}
			p = p[:j]
			if n, ok := byRef[p]; ok {
				parent = n
				break
			}
			if owner, event, ok := handlerOf(p); ok {
				all[i].Handler = event
				if n, ok := byRef[owner]; ok {
					parent = n
					break
				}
			}
		}
		if parent == nil {
			roots = append(roots, all[i])
		} else {
			parent.Children = append(parent.Children, all[i])
		}
	}
	sortNodes(roots)
	return roots
}

// handlerOf splits the refId of an event handler, Package\\Seq.EventHandlers[OnError],
// into its owner (Package\\Seq) and its event (OnError).
func handlerOf(ref string) (owner, event string, ok bool) {
	const mark = ".EventHandlers["
	k := strings.LastIndex(ref, mark)
	if k < 0 || !strings.HasSuffix(ref, "]") || strings.ContainsRune(ref[k:], '\\') {
		return "", "", false
	}
	return ref[:k], ref[k+len(mark) : len(ref)-1], true
}

func sortNodes(ns []*node) {
	sort.SliceStable(ns, func(i, j int) bool {
		a, b := ns[i].first, ns[j].first
		if a.IsZero() != b.IsZero() {
			return b.IsZero()
		}
		return a.Before(b)
	})
	for _, n := range ns {
		sortNodes(n.Children)
	}
}

// timeline places each result with a start time on the time axis of the
// run, up to maxBars of them.
func timeline(rep *runtime.Report, m func(string) string) ([]bar, []tick, int) {
	total := rep.Duration
	if total <= 0 {
		total = time.Millisecond
	}
	scale := func(d time.Duration) float64 { return float64(d) / float64(total) * plotWidth }
	var bars []bar
	omitted := 0
	for _, r := range byStart(rep.Results) {
		if len(bars) == maxBars {
			omitted++
			continue
		}
		label := r.Name
		if r.Run > 1 {
			label = fmt.Sprintf("%s (run %d)", r.Name, r.Run)
		}
		w := max(scale(r.Duration), 1)
		bars = append(bars, bar{Label: m(label), Status: statusClass(r.Status, r.Skipped),
			Title: m(fmt.Sprintf("%s: %s, %s from %s", r.RefID, r.Status, r.Duration.Round(time.Microsecond),
				offset(rep.Start, r.Start))),
			X: labelWidth + scale(r.Start.Sub(rep.Start)), W: w, Y: float64(len(bars))*barHeight + 20})
	}
	var ticks []tick
	for i := 0; i <= 4; i++ {
		d := total * time.Duration(i) / 4
		ticks = append(ticks, tick{X: labelWidth + scale(d), Label: "+" + d.Round(time.Millisecond).String()})
	}
	return bars, ticks, omitted
}

// byStart returns the results that have a start time in the order they
// started, so that a container's bar comes above those of its children
// (the run lists a container after them, when it ends). Of two results
// that started at the same time, the outer one (the shorter refId) comes
// first.
func byStart(rs []runtime.Result) []runtime.Result {
	out := make([]runtime.Result, 0, len(rs))
	for _, r := range rs {
		if !r.Start.IsZero() {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return len(a.RefID) < len(b.RefID)
	})
	return out
}

// short shows a duration to the millisecond, or to the microsecond when it
// is shorter than one, so that a quick task does not read "0s".
func short(d time.Duration) string {
	if d > 0 && d < time.Millisecond {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// count reads a record's number, as the run or a JSON decoder holds it.
func count(x any) int64 {
	switch x := x.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}

// paths reads the paths of a data-flow record, as the run or a JSON
// decoder holds them.
func paths(x any) []map[string]any {
	switch x := x.(type) {
	case []map[string]any:
		return x
	case []any:
		var out []map[string]any
		for _, p := range x {
			if p, ok := p.(map[string]any); ok {
				out = append(out, p)
			}
		}
		return out
	}
	return nil
}
