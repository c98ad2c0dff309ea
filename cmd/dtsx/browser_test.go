package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/assess"
	"github.com/dtsx-run/dtsx/internal/browser"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestAssessPageInBrowser assesses the whole corpus with --html and --json,
// loads the page in headless Chromium with the network cut off, and checks
// that it shows one card per package with the verdict of the JSON, the
// summary's counts, the grouped blockers and the drawings; it keeps
// assess.png.
func TestAssessPageInBrowser(t *testing.T) {
	browser.Require(t)
	testfence.SetFor(t)
	dir := t.TempDir()
	page, js := filepath.Join(dir, "assess.html"), filepath.Join(dir, "assess.json")
	code, _, stderr := runCLI(t, "assess", "--capture", "--html", page, "--json="+js, testcorpus.Dir(t))
	if code != 0 && code != 1 {
		t.Fatalf("dtsx assess: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var res assess.Result
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("%s: %v", js, err)
	}

	p := browser.Open(t, page)
	p.Offline()
	if got, want := p.Count(".package-card"), len(res.Packages); got != want || want == 0 {
		t.Errorf("%d package cards, want one per package of the JSON (%d)", got, want)
	}
	verdicts := map[assess.Verdict]int{}
	for _, pkg := range res.Packages {
		verdicts[pkg.Verdict]++
	}
	for v, n := range verdicts {
		if got := p.Count(fmt.Sprintf(".package-card[data-verdict=%q]", v)); got != n {
			t.Errorf("%d cards say %s, the JSON %d", got, v, n)
		}
	}
	summary := p.Text("#summary")
	if !strings.Contains(summary, fmt.Sprint(res.Summary.Blocked)) || !strings.Contains(summary, fmt.Sprint(res.Summary.RunsAsIs)) {
		t.Errorf("#summary = %q, want the counts %d blocked and %d as is", summary, res.Summary.Blocked, res.Summary.RunsAsIs)
	}
	if got, want := p.Count("#blockers .blocker-group"), len(res.Project.Blockers); got != want {
		t.Errorf("%d blocker groups in #blockers, want %d", got, want)
	}
	if n := p.Count("svg.control-flow"); n == 0 {
		t.Error("no control flow is drawn")
	}
	if n := p.Count("svg.control-flow g.node"); n == 0 {
		t.Error("the control-flow drawings have no task")
	}
	if w := p.ScrollWidth(); w > 1280 {
		t.Errorf("the page is %d px wide: it scrolls sideways at 1280x800", w)
	}
	p.Screenshot("assess.png")
	p.ViewportScreenshot("assess-1280x800.png")
}

// TestGraphSVGInBrowser draws a corpus package of sequences, tasks and
// Success and Failure constraints with dtsx graph, loads the SVG in
// headless Chromium with the network cut off and checks that it parses to a
// drawing with its tasks, containers and constraints; it keeps graph.png.
func TestGraphSVGInBrowser(t *testing.T) {
	browser.Require(t)
	pkg := testcorpus.Path(t, "jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__StagingJDE-ARInvoices.dtsx")
	svg := filepath.Join(t.TempDir(), "graph.svg")
	if code, _, stderr := runCLI(t, "graph", "-o", svg, pkg); code != 0 {
		t.Fatalf("dtsx graph: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	p := browser.Open(t, svg)
	p.Offline()
	if n := p.Count("svg.control-flow"); n != 1 {
		t.Fatalf("%d svg.control-flow elements, want 1 (the file does not parse as SVG?)", n)
	}
	if got, want := p.Count("g.node"), strings.Count(string(b), `<g class="node`); got != want || want == 0 {
		t.Errorf("%d tasks drawn, the file has %d", got, want)
	}
	if n := p.Count("g.cluster"); n < 2 {
		t.Errorf("%d containers drawn, want the package and its sequences", n)
	}
	if got, want := p.Count("g.edge.failure"), strings.Count(string(b), `class="edge failure"`); got != want || want == 0 {
		t.Errorf("%d Failure constraints drawn, the file has %d", got, want)
	}
	if got, want := p.Count("g.edge.success"), strings.Count(string(b), `class="edge success"`); got != want || want == 0 {
		t.Errorf("%d Success constraints drawn, the file has %d", got, want)
	}
	if title := p.Text("svg > title"); !strings.Contains(title, "StagingJDE-ARInvoices") {
		t.Errorf("title %q does not name StagingJDE-ARInvoices", title)
	}
	p.Screenshot("graph.png")
}

// TestRunReportInBrowser runs samples/orders-load.dtsx in capture mode with
// --html, loads the report in headless Chromium with the network cut off and
// checks its parts: every executable succeeded, the timeline, the events,
// the one mail, the rows of the data flow and the variables; it keeps
// run-report.png.
func TestRunReportInBrowser(t *testing.T) {
	browser.Require(t)
	testfence.SetFor(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "run-report.html")
	code, stdout, stderr := runCLI(t, "run", "--capture", filepath.Join(dir, "outbox"), "--html", page, "../../samples/orders-load.dtsx")
	if code != 0 {
		t.Fatalf("dtsx run: exit %d:\n%s%s", code, stdout, stderr)
	}
	p := browser.Open(t, page)
	p.Offline()
	n := p.Count("#tree .executable[data-status]")
	if n < 3 {
		t.Errorf("%d executables in #tree, want the package and its tasks", n)
	}
	if ok := p.Count(`#tree .executable[data-status="success"]`); ok != n {
		t.Errorf("%d of %d executables succeeded in #tree, want all", ok, n)
	}
	if got := p.Count("#timeline svg"); got != 1 {
		t.Errorf("%d timeline drawings, want 1", got)
	}
	if got := p.Count("#events tbody tr"); got == 0 {
		t.Error("#events is empty")
	}
	if got := p.Count("#mails tr.mail"); got != 1 {
		t.Errorf("%d mails in #mails, want 1", got)
	}
	if mail := p.Text("#mails tr.mail"); !strings.Contains(mail, "sales@example.com") || !strings.Contains(mail, "Big orders loaded: 4") {
		t.Errorf("#mails = %q, want the mail to sales@example.com, Big orders loaded: 4", mail)
	}
	if rows := p.Text("#dataflow"); !strings.Contains(rows, "Write orders") {
		t.Errorf("#dataflow = %q, want the rows into Write orders", rows)
	}
	if got := p.Count("#variables tbody tr"); got == 0 {
		t.Error("#variables is empty")
	}
	if w := p.ScrollWidth(); w > 1280 {
		t.Errorf("the page is %d px wide: it scrolls sideways at 1280x800", w)
	}
	p.Screenshot("run-report.png")
	p.ViewportScreenshot("run-report-1280x800.png")
}
