package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sample is a report of a run with a container, a failed task, a skipped
// one, a mail, a data flow and variables, at fixed times.
func sample() *runtime.Report {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	return &runtime.Report{Package: "nightly", File: "nightly.dtsx", Status: runtime.Failure, Start: t0, Duration: ms(100),
		Results: []runtime.Result{
			{RefID: `Package\Seq\Load`, Name: "Load", Type: "Microsoft.Pipeline", Status: runtime.Success, Start: at(5), Duration: ms(40), Run: 1},
			{RefID: `Package\Seq\Mail`, Name: "Mail", Type: "Microsoft.SendMailTask", Status: runtime.Failure, Start: at(50), Duration: ms(10), Run: 1, Errors: []string{"refused"}},
			{RefID: `Package\Seq`, Name: "Seq", Type: "STOCK:SEQUENCE", Status: runtime.Failure, Start: at(2), Duration: ms(60), Run: 1},
			{RefID: `Package\Archive`, Name: "Archive", Type: "Microsoft.FileSystemTask", Status: runtime.NotRun, Run: 1, Skipped: "its precedence constraints were not met"},
			{RefID: `Package`, Name: "nightly", Type: "Microsoft.Package", Status: runtime.Failure, Start: at(0), Duration: ms(100), Run: 1},
		},
		Totals: []runtime.Tally{
			{RefID: `Package\Seq\Load`, Name: "Load", Type: "Microsoft.Pipeline", Runs: 1, Successes: 1},
			{RefID: `Package\Seq\Mail`, Name: "Mail", Type: "Microsoft.SendMailTask", Runs: 1, Failures: 1},
			{RefID: `Package\Seq`, Name: "Seq", Type: "STOCK:SEQUENCE", Runs: 1, Failures: 1},
			{RefID: `Package\Archive`, Name: "Archive", Type: "Microsoft.FileSystemTask", Runs: 1, NotRun: 1},
			{RefID: `Package`, Name: "nightly", Type: "Microsoft.Package", Runs: 1, Failures: 1},
		},
		Records: []runtime.RecordEntry{
			{Source: `Package\Seq\Load`, Record: tasks.Record{Kind: "data-flow", Data: map[string]any{"paths": []map[string]any{
				{"path": "Source Output", "from": "Read", "to": "Write", "rows": int64(42)}}}}},
			{Source: `Package\Seq\Mail`, Record: tasks.Record{Kind: "mail", Data: map[string]any{"from": "etl@example.com",
				"recipients": []string{"ops@example.com", "dba@example.com"}, "subject": "Nightly <done>", "messageId": "<1@example.com>",
				"server": "127.0.0.1:25", "reply": "554 no", "outcome": "refused", "attempts": 1}}},
		},
		Events: []runtime.Event{
			{Name: "OnInformation", Source: "Load", SourceRef: `Package\Seq\Load`, Time: at(45), Message: `"Write" wrote 42 rows.`},
			{Name: "OnError", Source: "Mail", SourceRef: `Package\Seq\Mail`, Time: at(60), Message: "refused with Password=Hunter2"},
		},
		Variables: []runtime.VariableValue{
			{Name: "$Package::Pin", Type: "String", Value: "********", Sensitive: true},
			{Name: "User::Count", Type: "Int32", Value: "42"},
		},
	}
}

func render(t *testing.T, d Data) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestGolden holds the page of the sample report in testdata (-update
// rewrites it).
func TestGolden(t *testing.T) {
	got := render(t, Data{Report: sample(), ExitCode: 1, CaptureFiles: []string{"outbox/0001.eml"}})
	golden := filepath.Join("testdata", "sample.html")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the page differs from %s (go test -update rewrites it)", golden)
	}
}

// byID returns the first element of n with the id.
func byID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode && attr(n, "id") == id {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := byID(c, id); f != nil {
			return f
		}
	}
	return nil
}

// all returns the elements of n that match.
func all(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && match(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, all(c, match)...)
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

// TestStructure parses the page and checks its parts by their ids: the
// tree nests the executables with their statuses, the timeline draws one
// bar per result that started, and each table has its rows.
func TestStructure(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(render(t, Data{Report: sample(), ExitCode: 1})))
	if err != nil {
		t.Fatal(err)
	}
	tree := byID(doc, "tree")
	if tree == nil {
		t.Fatal("no #tree")
	}
	status := map[string]string{}
	var parentOf = map[string]string{}
	for _, li := range all(tree, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "executable") }) {
		status[attr(li, "data-ref")] = attr(li, "data-status")
		for p := li.Parent; p != nil; p = p.Parent {
			if strings.Contains(attr(p, "class"), "executable") {
				parentOf[attr(li, "data-ref")] = attr(p, "data-ref")
				break
			}
		}
	}
	for ref, want := range map[string]string{`Package`: "failure", `Package\Seq`: "failure", `Package\Seq\Load`: "success",
		`Package\Seq\Mail`: "failure", `Package\Archive`: "skipped"} {
		if status[ref] != want {
			t.Errorf("%s: data-status %q, want %q", ref, status[ref], want)
		}
	}
	if parentOf[`Package\Seq\Load`] != `Package\Seq` || parentOf[`Package\Seq`] != "Package" {
		t.Errorf("tree nesting: %v", parentOf)
	}
	tl := byID(doc, "timeline")
	if tl == nil || len(all(tl, tag("svg"))) != 1 {
		t.Fatal("no #timeline svg")
	}
	if got := len(all(tl, tag("rect"))); got != 4 {
		t.Errorf("timeline: %d bars, want 4 (the result that did not start has none)", got)
	}
	var order []string
	for _, g := range all(tl, func(n *html.Node) bool { return attr(n, "class") == "bar" }) {
		if texts := all(g, tag("text")); len(texts) == 1 && texts[0].FirstChild != nil {
			order = append(order, texts[0].FirstChild.Data)
		}
	}
	if got, want := strings.Join(order, ","), "nightly,Seq,Load,Mail"; got != want {
		t.Errorf("timeline bars in the order %s, want %s (by start, a container above its children)", got, want)
	}
	for id, want := range map[string]int{"events": 2, "mails": 1, "dataflow": 1, "variables": 2} {
		tb := byID(doc, id)
		if tb == nil {
			t.Errorf("no #%s", id)
			continue
		}
		body := all(tb, tag("tbody"))
		if len(body) != 1 {
			t.Errorf("#%s: no tbody", id)
			continue
		}
		if got := len(all(body[0], tag("tr"))); got != want {
			t.Errorf("#%s: %d rows, want %d", id, got, want)
		}
	}
	for _, n := range all(doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "link" || n.Data == "img" }) {
		t.Errorf("the page loads something: <%s>", n.Data)
	}
}

// TestMask: every text goes through Data.Mask.
func TestShort(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{0, "0s"}, {412 * time.Microsecond, "412µs"}, {1500 * time.Microsecond, "2ms"}, {3 * time.Second, "3s"}} {
		if got := short(c.d); got != c.want {
			t.Errorf("short(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestMask(t *testing.T) {
	page := render(t, Data{Report: sample(), Mask: func(s string) string { return strings.ReplaceAll(s, "Hunter2", "********") }})
	if strings.Contains(page, "Hunter2") {
		t.Error("the page holds what Mask hides")
	}
	if !strings.Contains(page, "Password=********") {
		t.Error("the masked message is missing")
	}
}

// TestTreeHandlers: an executable of an event handler nests under the
// executable the handler belongs to, marked with the handler's event.
func TestTreeHandlers(t *testing.T) {
	rep := &runtime.Report{Package: "p", Totals: []runtime.Tally{
		{RefID: `Package`, Name: "p", Runs: 1, Failures: 1},
		{RefID: `Package\Seq`, Name: "Seq", Runs: 1, Failures: 1},
		{RefID: `Package\Seq.EventHandlers[OnError]\Alert`, Name: "Alert", Runs: 1, Successes: 1},
		{RefID: `Package.EventHandlers[OnPostExecute]\Log`, Name: "Log", Runs: 1, Successes: 1},
	}}
	roots := tree(rep, func(s string) string { return s })
	if len(roots) != 1 || roots[0].RefID != "Package" {
		t.Fatalf("roots %v, want the package alone", roots)
	}
	got := map[string]string{}
	var walk func(parent string, ns []*node)
	walk = func(parent string, ns []*node) {
		for _, n := range ns {
			got[n.Name] = parent + " " + n.Handler
			walk(n.Name, n.Children)
		}
	}
	walk("", roots)
	for name, want := range map[string]string{"Seq": "p ", "Alert": "Seq OnError", "Log": "p OnPostExecute"} {
		if got[name] != want {
			t.Errorf("%s: parent and handler %q, want %q", name, got[name], want)
		}
	}
}
