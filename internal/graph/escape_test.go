package graph

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
)

// hostile is a name built to break out of every format's quoting.
const hostile = `</text><script>alert("x")</script> & "quoted" 'single' \ back]|pipe{#1} --> end` + "\nline"

// hostilePackage is a package whose every name and expression is hostile,
// with a container, an event handler and constraints of every value.
func hostilePackage() *dtsx.Package {
	root := &dtsx.Executable{Object: dtsx.Object{Name: hostile, RefID: `Package`}, ExecutableType: "Microsoft.Package"}
	a := &dtsx.Executable{Object: dtsx.Object{Name: hostile + "A", RefID: `Package\` + hostile + "A"}, ExecutableType: "Microsoft.ExecuteSQLTask", Parent: root}
	seq := &dtsx.Executable{Object: dtsx.Object{Name: hostile + "S", RefID: `Package\S`}, ExecutableType: "STOCK:SEQUENCE", Parent: root}
	in := &dtsx.Executable{Object: dtsx.Object{Name: hostile + "I", RefID: `Package\S\I`}, ExecutableType: "Microsoft.SendMailTask", Parent: seq}
	seq.Executables = []*dtsx.Executable{in}
	h := &dtsx.Executable{Object: dtsx.Object{Name: "OnError", RefID: `Package.EventHandlers[OnError]`}, EventName: "OnError", Parent: root}
	h.Executables = []*dtsx.Executable{{Object: dtsx.Object{Name: hostile + "H", RefID: `Package.EventHandlers[OnError]\H`}, ExecutableType: "Microsoft.ScriptTask", Parent: h}}
	root.Executables = []*dtsx.Executable{a, seq}
	root.EventHandlers = []*dtsx.Executable{h}
	root.Constraints = []*dtsx.PrecedenceConstraint{
		{From: a, To: seq, Value: dtsx.Success, EvalOp: dtsx.EvalExpressionAndConstraint, Expression: hostile, LogicalAnd: true},
		{From: a, To: seq, Value: dtsx.Failure, EvalOp: dtsx.EvalConstraint, LogicalAnd: false},
		{From: a, To: seq, Value: dtsx.Completion, EvalOp: dtsx.EvalExpression, Expression: `@[User::N] > 0`, LogicalAnd: true},
	}
	return &dtsx.Package{Executable: root}
}

func TestEdges(t *testing.T) {
	g := ControlFlow(hostilePackage())
	edges := g.Root.Edges
	want := []struct {
		style  EdgeStyle
		dashed bool
		label  string
		colour string
	}{
		{SuccessEdge, false, "Success && " + strings.TrimSpace(hostile), "#2e7d32"},
		{FailureEdge, true, "Failure", "#c62828"},
		{ExpressionEdge, false, "ƒx @[User::N] > 0", "#6a1b9a"},
	}
	if len(edges) != len(want) {
		t.Fatalf("%d edges, want %d", len(edges), len(want))
	}
	for i, w := range want {
		e := edges[i]
		if e.Style != w.style || e.Dashed != w.dashed || e.Label != w.label || e.colour() != w.colour {
			t.Errorf("edge %d: %s dashed=%v %q %s, want %s dashed=%v %q %s", i, e.Style, e.Dashed, e.Label, e.colour(), w.style, w.dashed, w.label, w.colour)
		}
		if _, ok := e.To.(*Cluster); !ok {
			t.Errorf("edge %d ends on %T, want the Sequence's cluster", i, e.To)
		}
	}
	if len(g.Root.Handlers) != 1 || g.Root.Handlers[0].Kind != EventHandlerCluster {
		t.Errorf("handlers %v, want one event-handler cluster", g.Root.Handlers)
	}
}

func TestEscaping(t *testing.T) {
	g := ControlFlow(hostilePackage())
	for _, tc := range []struct {
		f Format
		// bad are strings the output must not hold.
		bad []string
	}{
		{SVG, []string{"<script", "</text><script", `"quoted"`}},
		{DOT, []string{"\n" + "line", `""quoted`, `[label="</text><script>alert("x")`}},
		{Mermaid, []string{"<script", `"quoted"`, "]|pipe", "-->  end", "\nline"}},
	} {
		t.Run(string(tc.f), func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, g, tc.f); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, s := range tc.bad {
				if strings.Contains(out, s) {
					t.Errorf("%s output holds %q:\n%s", tc.f, s, out)
				}
			}
			switch tc.f {
			case SVG:
				wellFormed(t, b.Bytes())
				if !strings.Contains(out, "&lt;/text&gt;&lt;script&gt;") {
					t.Errorf("the SVG does not show the name escaped:\n%s", out)
				}
			case DOT:
				dotBalanced(t, out)
			case Mermaid:
				mermaidBalanced(t, out)
			}
		})
	}
}

// dotBalanced fails unless every line's double quotes pair up once
// escaped quotes are set aside: a name cannot end a DOT string early.
func dotBalanced(t *testing.T, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		n := 0
		for i := 0; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				n++
			}
		}
		if n%2 != 0 {
			t.Errorf("unbalanced quotes in DOT line %q", line)
		}
	}
}

// mermaidBalanced fails unless each line holds 0 or 2 or 4 double quotes
// (one or two labels) and every node line ends with its bracket.
func mermaidBalanced(t *testing.T, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if n := strings.Count(line, `"`); n%2 != 0 || n > 4 {
			t.Errorf("Mermaid line %q has %d quotes", line, n)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Format
		ok   bool
	}{{"svg", SVG, true}, {"DOT", DOT, true}, {"gv", DOT, true}, {"mermaid", Mermaid, true}, {"mmd", Mermaid, true}, {"png", "", false}} {
		got, err := ParseFormat(c.in)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("ParseFormat(%q) = %q, %v", c.in, got, err)
		}
	}
}

func TestFit(t *testing.T) {
	long := strings.Repeat("x", 100)
	got := fit(long, 100, fontSize)
	if !strings.HasSuffix(got, "…") || textWidth(got, fontSize) > 100 {
		t.Errorf("fit gave %q (%v wide)", got, textWidth(got, fontSize))
	}
	if fit("short", 100, fontSize) != "short" {
		t.Errorf("fit cut a short name")
	}
}

func TestMarkBlocked(t *testing.T) {
	g := ControlFlow(hostilePackage())
	if n := g.MarkBlocked([]string{`package\s`, `Package\S\I`, "Package\\nothing"}); n != 2 {
		t.Fatalf("marked %d, want 2 (the Sequence, case aside, and its task)", n)
	}
	var b bytes.Buffer
	if err := WriteSVG(&b, g); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(b.String(), ` blocked" data-ref=`); got != 2 {
		t.Errorf("the SVG draws %d blocked items, want 2", got)
	}
}
