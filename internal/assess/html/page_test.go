package html

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/assess"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const hostile = `</td><script>alert("x")</script><img src="http://evil.example/x.png"> & "q"`

func samplePath(name string) string { return filepath.Join("..", "..", "..", "samples", name) }

// testResult is an assessment of four samples with one package of each
// verdict, and hostile names where a page could be broken.
func testResult() *assess.Result {
	hello, orders, split := samplePath("hello-mail.dtsx"), samplePath("orders-load.dtsx"), samplePath("csv-split.dtsx")
	broken := samplePath("no-such.dtsx")
	return &assess.Result{
		Version: 1,
		Packages: []assess.Package{
			{File: hello, Name: "hello-mail", Verdict: assess.RunsAsIs, Needs: []assess.Need{}, Blockers: []assess.Blocker{},
				Connections: []assess.Connection{{Name: "SMTP", Type: "SMTP", Server: "127.0.0.1"}}},
			{File: orders, Name: "orders-load", Verdict: assess.AfterConfiguration,
				Needs:       []assess.Need{{Kind: assess.NeedCredentials, Subject: "Orders DB", Path: `Package.ConnectionManagers[Orders DB]`, Detail: "give a password with --credentials"}},
				Connections: []assess.Connection{{Name: "Orders DB", Type: "ADO.NET:Npgsql", Server: "127.0.0.1:5432", Project: true}}},
			{File: split, Name: hostile, Verdict: assess.Blocked,
				Blockers: []assess.Blocker{{Kind: assess.BlockerComponent, Type: "Script Component", Name: hostile, Path: `Package\Split orders\Add tax`, Line: 42, Message: "this runtime cannot run " + hostile}}},
			{File: broken, Verdict: assess.NotLoaded, LoadError: "open " + broken + ": no such file or directory"},
		},
		Project: assess.Project{
			Blockers: []assess.BlockerGroup{{Kind: assess.BlockerComponent, Type: "Script Component", Count: 1, Packages: []string{split}}},
			Connections: []assess.ConnectionUse{
				{Connection: assess.Connection{Name: "Orders DB", Type: "ADO.NET:Npgsql", Server: "127.0.0.1:5432", Project: true}, Packages: []string{orders}},
				{Connection: assess.Connection{Name: "SMTP", Type: "SMTP", Server: "127.0.0.1"}, Packages: []string{hello}},
			},
			Servers: []assess.ServerUse{{Host: "127.0.0.1", Kind: "smtp", Allowed: true, Packages: []string{hello}},
				{Host: "db.example", Kind: "database", Allowed: false, Packages: []string{orders}}},
			Needs: []assess.NeedGroup{{Kind: assess.NeedCredentials, Subject: "Orders DB", Detail: "give a password with --credentials", Packages: []string{orders}}},
		},
		Summary: assess.Summary{Packages: 4, RunsAsIs: 1, AfterConfiguration: 1, Blocked: 1, NotLoaded: 1, ExitCode: 1},
	}
}

func render(t *testing.T, res *assess.Result) []byte {
	t.Helper()
	var l Loader
	var b bytes.Buffer
	if err := Write(&b, res, Options{Drawings: l.Drawings}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	got := render(t, testResult())
	path := filepath.Join("testdata", "assessment.html")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the page differs from %s (run go test -update and review the diff)", path)
	}
}

// TestStructure parses the page and checks its parts through the DOM, as
// a browser test would: the counts, the cards and their verdicts, the
// blockers table, the pictures; and that nothing is loaded from outside.
func TestStructure(t *testing.T) {
	res := testResult()
	doc, err := xhtml.Parse(bytes.NewReader(render(t, res)))
	if err != nil {
		t.Fatal(err)
	}
	summary := byID(doc, "summary")
	if summary == nil {
		t.Fatal("no #summary")
	}
	counts := map[string]string{}
	for _, li := range all(summary, func(n *xhtml.Node) bool { return hasClass(n, "count") }) {
		n := first(li, func(n *xhtml.Node) bool { return hasClass(n, "n") })
		counts[attr(li, "data-verdict")] = text(n)
	}
	wantCounts := map[string]string{"runs-as-is": "1", "runs-after-configuration": "1", "blocked": "1", "not-loaded": "1"}
	for k, v := range wantCounts {
		if counts[k] != v {
			t.Errorf("#summary count %s = %q, want %q (all: %v)", k, counts[k], v, counts)
		}
	}
	cards := all(doc, func(n *xhtml.Node) bool { return n.Data == "article" && hasClass(n, "package-card") })
	if len(cards) != len(res.Packages) {
		t.Fatalf("%d package cards, want %d", len(cards), len(res.Packages))
	}
	for i, c := range cards {
		p := res.Packages[i]
		if attr(c, "data-verdict") != string(p.Verdict) || attr(c, "data-file") != p.File {
			t.Errorf("card %d: data-verdict %q data-file %q, want %q %q", i, attr(c, "data-verdict"), attr(c, "data-file"), p.Verdict, p.File)
		}
		svgs := all(c, func(n *xhtml.Node) bool { return n.Data == "svg" && hasClass(n, "control-flow") })
		wantSVG := 1
		if p.Verdict == assess.NotLoaded {
			wantSVG = 0
		}
		if len(svgs) != wantSVG {
			t.Errorf("card %d (%s) has %d svg.control-flow, want %d", i, p.File, len(svgs), wantSVG)
		}
	}
	// csv-split has one data flow, drawn in its card, its blocking
	// component marked.
	dfs := all(cards[2], func(n *xhtml.Node) bool { return n.Data == "svg" && hasClass(n, "data-flow") })
	if len(dfs) != 1 {
		t.Fatalf("the csv-split card has %d svg.data-flow, want 1", len(dfs))
	}
	marked := all(dfs[0], func(n *xhtml.Node) bool { return hasClass(n, "blocked") })
	if len(marked) != 1 || attr(marked[0], "data-ref") != `Package\Split orders\Add tax` {
		t.Errorf("the data flow marks %d blocked nodes, want Add tax", len(marked))
	}
	if n := len(all(doc, func(n *xhtml.Node) bool { return hasClass(n, "blocked") })); n != 1 {
		t.Errorf("the page marks %d blocked items, want 1", n)
	}
	blockers := byID(doc, "blockers")
	rows := all(blockers, func(n *xhtml.Node) bool { return hasClass(n, "blocker-group") })
	if len(rows) != 1 || attr(rows[0], "data-type") != "Script Component" || !strings.Contains(text(rows[0]), "1 package") {
		t.Errorf("#blockers rows: %d, first %q", len(rows), text(first(blockers, func(n *xhtml.Node) bool { return hasClass(n, "blocker-group") })))
	}
	// A blocker group's package links to its card.
	if a := first(rows[0], func(n *xhtml.Node) bool { return n.Data == "a" }); a == nil || attr(a, "href") != "#pkg-3" {
		t.Errorf("the blocker group does not link to card #pkg-3")
	}
	for _, id := range []string{"needs", "connections", "servers", "packages"} {
		if byID(doc, id) == nil {
			t.Errorf("no #%s", id)
		}
	}
	if n := len(all(byID(doc, "servers"), func(n *xhtml.Node) bool { return attr(n, "data-allowed") == "false" })); n != 1 {
		t.Errorf("%d servers not allowed, want 1", n)
	}
	selfContained(t, doc)
	// The hostile name is text, never markup.
	if !strings.Contains(text(cards[2]), hostile) {
		t.Errorf("the hostile name is not shown as text in its card")
	}
}

// selfContained fails on a script, a style sheet link, an image, a frame
// or any src/href that points outside the page.
func selfContained(t *testing.T, doc *xhtml.Node) {
	t.Helper()
	for _, n := range all(doc, func(n *xhtml.Node) bool { return n.Type == xhtml.ElementNode }) {
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed", "image", "use":
			t.Errorf("the page has a <%s> element", n.Data)
		}
		for _, a := range n.Attr {
			switch a.Key {
			case "src", "srcset", "xlink:href", "action", "formaction":
				t.Errorf("<%s %s=%q>: the page must load nothing", n.Data, a.Key, a.Val)
			case "href":
				if !strings.HasPrefix(a.Val, "#") {
					t.Errorf("<%s href=%q> points outside the page", n.Data, a.Val)
				}
			}
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s>: an event handler attribute", n.Data, a.Key)
			}
		}
	}
	style := first(doc, func(n *xhtml.Node) bool { return n.Data == "style" })
	if style == nil || strings.Contains(text(style), "url(") || strings.Contains(text(style), "@import") {
		t.Errorf("the inline style is missing or loads something")
	}
}

func TestDrawError(t *testing.T) {
	res := &assess.Result{Packages: []assess.Package{{File: "x.dtsx", Name: "x", Verdict: assess.RunsAsIs}}}
	var b bytes.Buffer
	err := Write(&b, res, Options{Drawings: func(assess.Package) (*Drawings, error) { return nil, errors.New("cannot load x.dtsx") }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Not drawn: cannot load x.dtsx") {
		t.Errorf("the card does not say why it has no picture")
	}
}

func byID(n *xhtml.Node, id string) *xhtml.Node {
	return first(n, func(n *xhtml.Node) bool { return attr(n, "id") == id })
}

func first(n *xhtml.Node, f func(*xhtml.Node) bool) *xhtml.Node {
	if ns := all(n, f); len(ns) > 0 {
		return ns[0]
	}
	return nil
}

func all(n *xhtml.Node, f func(*xhtml.Node) bool) []*xhtml.Node {
	var out []*xhtml.Node
	if n == nil {
		return nil
	}
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && f(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *xhtml.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *xhtml.Node, c string) bool {
	for _, f := range strings.Fields(attr(n, "class")) {
		if f == c {
			return true
		}
	}
	return false
}

func text(n *xhtml.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.html")
	if err := WriteFile(path, testResult(), dtsx.Options{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, render(t, testResult())) {
		t.Errorf("WriteFile wrote another page than Write")
	}
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "dir", "a.html"), testResult(), dtsx.Options{}); err == nil {
		t.Errorf("WriteFile into a missing folder gave no error")
	}
}
