package graph

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// TestLayoutBoxes checks the layout of every golden package and its data
// flows: each item lies inside its cluster, below the cluster's title, and
// no two items of a cluster overlap; an edge's end lies below its start
// when the end is in a later layer.
func TestLayoutBoxes(t *testing.T) {
	for name, file := range goldenPackages(t) {
		p, err := dtsx.LoadPackageFile(file)
		if err != nil {
			t.Fatalf("load %s: %v", file, err)
		}
		for _, g := range append([]*Graph{ControlFlow(p)}, DataFlows(p)...) {
			l := place(g)
			g.Root.walk(func(c *Cluster) {
				cr := l.at[c]
				items := append(append([]Item{}, c.Items...), handlerItems(c)...)
				for i, it := range items {
					r := l.at[it]
					if r.x < cr.x || r.y < cr.y+titleH || r.x+r.w > cr.x+cr.w || r.y+r.h > cr.y+cr.h {
						t.Errorf("%s: %s %+v is not inside cluster %s %+v", name, it.itemID(), *r, c.ID, *cr)
					}
					for _, other := range items[i+1:] {
						o := l.at[other]
						if r.x < o.x+o.w && o.x < r.x+r.w && r.y < o.y+o.h && o.y < r.y+r.h {
							t.Errorf("%s: %s %+v overlaps %s %+v", name, it.itemID(), *r, other.itemID(), *o)
						}
					}
				}
				for _, e := range c.Edges {
					if l.rows[e.To] > l.rows[e.From] && l.at[e.To].y < l.at[e.From].y+l.at[e.From].h {
						t.Errorf("%s: edge %s → %s goes up", name, e.From.itemID(), e.To.itemID())
					}
				}
			})
		}
	}
}

// TestCorpusDraws draws every package of the corpus that loads, in every
// format, and checks that each SVG is well-formed and self-contained.
func TestCorpusDraws(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testcorpus.Dir(t), "*", "*.dtsx"))
	if err != nil {
		t.Fatal(err)
	}
	drawn := 0
	for _, f := range files {
		p, err := dtsx.LoadPackageFile(f)
		if err != nil {
			continue // a package that does not load has nothing to draw
		}
		for _, g := range append([]*Graph{ControlFlow(p)}, DataFlows(p)...) {
			for _, format := range Formats {
				var b bytes.Buffer
				if err := Write(&b, g, format); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				if format == SVG {
					wellFormed(t, b.Bytes())
				}
			}
		}
		drawn++
	}
	if drawn < 50 {
		t.Errorf("drew %d of %d corpus packages, want at least 50", drawn, len(files))
	}
	t.Logf("drew %d of %d corpus packages", drawn, len(files))
}

// TestOrder checks that a row is ordered under the items its edges come
// from: B→X and A→Y put Y left of X; an item no edge reaches keeps its
// place.
func TestOrder(t *testing.T) {
	a, b, x, y, z := &Node{ID: "a"}, &Node{ID: "b"}, &Node{ID: "x"}, &Node{ID: "y"}, &Node{ID: "z"}
	rows := [][]Item{{a, b}, {x, y, z}}
	order(rows, []*Edge{{From: b, To: x}, {From: a, To: y}})
	var got []string
	for _, it := range rows[1] {
		got = append(got, it.itemID())
	}
	if strings.Join(got, " ") != "y x z" {
		t.Errorf("row ordered %v, want [y x z]", got)
	}
}

// TestRouteAround checks that an edge skipping a layer goes round the item
// in between (A→C beside B) while the others stay straight.
func TestRouteAround(t *testing.T) {
	root := &dtsx.Executable{Object: dtsx.Object{Name: "P", RefID: "Package"}}
	task := func(n string) *dtsx.Executable {
		return &dtsx.Executable{Object: dtsx.Object{Name: n, RefID: `Package\` + n}, ExecutableType: "Microsoft.ExecuteSQLTask", Parent: root}
	}
	a, b, c := task("A"), task("B"), task("C")
	root.Executables = []*dtsx.Executable{a, b, c}
	root.Constraints = []*dtsx.PrecedenceConstraint{
		{From: a, To: b, LogicalAnd: true, EvalOp: dtsx.EvalConstraint},
		{From: b, To: c, LogicalAnd: true, EvalOp: dtsx.EvalConstraint},
		{From: a, To: c, LogicalAnd: true, EvalOp: dtsx.EvalConstraint, Value: dtsx.Failure},
	}
	var buf bytes.Buffer
	if err := WriteSVG(&buf, ControlFlow(&dtsx.Package{Executable: root})); err != nil {
		t.Fatal(err)
	}
	points := map[string]int{}
	for _, line := range strings.Split(buf.String(), "\n") {
		if i := strings.Index(line, `data-from="`); i >= 0 {
			key := line[i+11 : i+13]
			j := strings.Index(line, `data-to="`)
			key += "→" + line[j+9:j+11]
			k := strings.Index(line, `points="`)
			pts := line[k+8:]
			points[key] = len(strings.Fields(pts[:strings.IndexByte(pts, '"')]))
		}
	}
	want := map[string]int{"n1→n2": 2, "n2→n3": 2, "n1→n3": 6}
	for k, v := range want {
		if points[k] != v {
			t.Errorf("edge %s has %d points, want %d (all: %v)", k, points[k], v, points)
		}
	}
}

// TestWrap checks that twelve tasks without constraints stack in rows of
// five instead of one row twelve tasks wide.
func TestWrap(t *testing.T) {
	root := &dtsx.Executable{Object: dtsx.Object{Name: "P", RefID: "Package"}}
	for i := range 12 {
		root.Executables = append(root.Executables, &dtsx.Executable{Object: dtsx.Object{Name: strings.Repeat("T", i+1)}, Parent: root})
	}
	g := ControlFlow(&dtsx.Package{Executable: root})
	l := place(g)
	if w := l.at[g.Root].w; w > maxRowW+2*pad {
		t.Errorf("the package is %v wide, want at most %v", w, maxRowW+2*pad)
	}
	perRow := map[int]int{}
	for _, it := range g.Root.Items {
		perRow[l.rows[it]]++
	}
	if perRow[0] != 5 || perRow[1] != 5 || perRow[2] != 2 {
		t.Errorf("rows hold %v, want 5, 5 and 2", perRow)
	}
}
