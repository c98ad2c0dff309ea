package graph

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// fontFamily is the system font stack: an SVG that names no font file.
const fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"

// WriteSVG writes g as a self-contained SVG picture: no external
// reference, no script, no style sheet (presentation attributes only, so
// that several pictures can sit in one HTML page), no id attributes.
// The root element has the classes "graph" and the graph's kind
// (control-flow or data-flow); clusters are g.cluster, tasks and
// components g.node (g.node.blocked for one MarkBlocked marked), edges
// g.edge, each with data-ref holding the element
// path and the full name in a <title>.
func WriteSVG(w io.Writer, g *Graph) error {
	l := place(g)
	bw := bufio.NewWriter(w)
	root := l.at[g.Root]
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" class="graph %s" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-label="%s" font-family="%s" font-size="%s">`+"\n",
		g.Kind, num(root.w+2), num(root.h+2), num(root.w+2), num(root.h+2), esc(kindTitle(g.Kind)+" of "+g.Name), esc(fontFamily), num(fontSize))
	fmt.Fprintf(bw, "<title>%s</title>\n", esc(kindTitle(g.Kind)+" of "+g.Name))
	bw.WriteString(`<g transform="translate(1,1)">` + "\n")
	svgCluster(bw, l, g.Root)
	g.Root.walk(func(c *Cluster) {
		total, seen := map[[2]Item]int{}, map[[2]Item]int{}
		for _, e := range c.Edges {
			total[[2]Item{e.From, e.To}]++
		}
		for _, e := range c.Edges {
			k := [2]Item{e.From, e.To}
			svgEdge(bw, l, c, e, seen[k], total[k])
			seen[k]++
		}
	})
	bw.WriteString("</g>\n</svg>\n")
	return bw.Flush()
}

func kindTitle(k Kind) string {
	if k == DataFlowKind {
		return "Data flow"
	}
	return "Control flow"
}

func svgCluster(bw *bufio.Writer, l *layout, c *Cluster) {
	r := l.at[c]
	fill, dash := "#fafbfc", ""
	switch c.Kind {
	case EventHandlerCluster:
		fill, dash = "#fbf7fc", ` stroke-dasharray="6 4"`
	case PackageCluster:
		fill = "#ffffff"
	}
	stroke, width, blocked := clusterStroke(c), "1.2", ""
	if c.Blocked {
		stroke, width, blocked = "#c62828", "2.4", " blocked"
	}
	fmt.Fprintf(bw, `<g class="cluster %s%s" data-ref="%s">`, c.Kind, blocked, esc(c.RefID))
	fmt.Fprintf(bw, "<title>%s</title>", esc(c.Label+" ("+c.Type+") "+c.RefID))
	fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="%s" rx="8" fill="%s" stroke="%s" stroke-width="%s"%s/>`,
		num(r.x), num(r.y), num(r.w), num(r.h), fill, stroke, width, dash)
	title := fit(c.Label, r.w-2*pad-textWidth(" · "+c.Type, fontSize), fontSize)
	fmt.Fprintf(bw, `<text x="%s" y="%s" font-weight="600" fill="#37474f">%s<tspan font-weight="400" fill="#78909c"> · %s</tspan></text>`,
		num(r.x+pad), num(r.y+titleH-6), esc(title), esc(c.Type))
	bw.WriteString("</g>\n")
	for _, it := range c.Items {
		switch it := it.(type) {
		case *Node:
			svgNode(bw, l, it)
		case *Cluster:
			svgCluster(bw, l, it)
		}
	}
	for _, h := range c.Handlers {
		svgCluster(bw, l, h)
	}
}

func svgNode(bw *bufio.Writer, l *layout, n *Node) {
	r := l.at[n]
	stroke, text, dash, fill, width, class := "#607d8b", "#263238", "", "#eef3f7", "1.2", "node"
	if n.Disabled {
		stroke, text, dash = "#b0bec5", "#9e9e9e", ` stroke-dasharray="4 3"`
	}
	if n.Blocked {
		stroke, fill, width, class = "#c62828", "#fdecea", "2.4", "node blocked"
	}
	fmt.Fprintf(bw, `<g class="%s" data-ref="%s"><title>%s</title>`, class, esc(n.RefID), esc(n.Label+" ("+n.Type+") "+n.RefID))
	fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="%s" stroke-width="%s"%s/>`,
		num(r.x), num(r.y), num(r.w), num(r.h), fill, stroke, width, dash)
	fmt.Fprintf(bw, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`,
		num(r.x+r.w/2), num(r.y+19), text, esc(fit(n.Label, r.w-14, fontSize)))
	fmt.Fprintf(bw, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#78909c">%s</text>`,
		num(r.x+r.w/2), num(r.y+35), esc(fit(n.Type, r.w-14, 10)))
	bw.WriteString("</g>\n")
}

// svgEdge draws an edge from the bottom of its start to the top of its end
// (or side to side when the end is not below), with an arrowhead and its
// label on a white ground. An edge that would cross an item of its cluster
// goes round by the nearer side of the cluster instead. The k-th of n
// edges between the same two items is shifted sideways, its label placed
// at (k+1)/(n+1) of its length, so that parallel edges and their labels
// stay apart.
func svgEdge(bw *bufio.Writer, l *layout, c *Cluster, e *Edge, k, n int) {
	a, b := l.at[e.From], l.at[e.To]
	shift := float64(k) * 14
	f := float64(k+1) / float64(n+1)
	var pts [][2]float64
	var mx, my float64
	switch {
	case b.y >= a.y+a.h:
		x1, y1 := a.x+a.w/2+shift, a.y+a.h
		x2, y2 := b.x+b.w/2+shift, b.y
		pts = [][2]float64{{x1, y1}, {x2, y2}}
		mx, my = x1+(x2-x1)*f, y1+(y2-y1)*f
		if blocked(l, c, e, x1, y1, x2, y2) {
			cr := l.at[c]
			lane := cr.x + pad/2 + shift/4
			if x1-cr.x > cr.x+cr.w-x1 {
				lane = cr.x + cr.w - pad/2 - shift/4
			}
			ya, yb := y1+gapY*f/1.5, y2-gapY/3
			pts = [][2]float64{{x1, y1}, {x1, ya}, {lane, ya}, {lane, yb}, {x2, yb}, {x2, y2}}
			mx, my = (x1+lane)/2, ya
		}
	case b.x >= a.x+a.w:
		pts = [][2]float64{{a.x + a.w, a.y + a.h/2 + shift}, {b.x, b.y + b.h/2 + shift}}
	default:
		pts = [][2]float64{{a.x, a.y + a.h/2 + shift}, {b.x + b.w, b.y + b.h/2 + shift}}
	}
	if len(pts) == 2 && my == 0 {
		mx, my = pts[0][0]+(pts[1][0]-pts[0][0])*f, pts[0][1]+(pts[1][1]-pts[0][1])*f
	}
	col := e.colour()
	dash := ""
	if e.Dashed {
		dash = ` stroke-dasharray="6 4"`
	}
	fmt.Fprintf(bw, `<g class="edge %s" data-from="%s" data-to="%s"><title>%s</title>`,
		e.Style, e.From.itemID(), e.To.itemID(), esc(e.Label))
	var ps []string
	for _, p := range pts {
		ps = append(ps, num(p[0])+","+num(p[1]))
	}
	fmt.Fprintf(bw, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1.6"%s/>`,
		strings.Join(ps, " "), col, dash)
	// The arrowhead: a triangle at the end, along the last segment.
	end, before := pts[len(pts)-1], pts[len(pts)-2]
	ang := math.Atan2(end[1]-before[1], end[0]-before[0])
	const size, spread = 9.0, 0.42
	fmt.Fprintf(bw, `<polygon points="%s,%s %s,%s %s,%s" fill="%s"/>`,
		num(end[0]), num(end[1]),
		num(end[0]-size*math.Cos(ang-spread)), num(end[1]-size*math.Sin(ang-spread)),
		num(end[0]-size*math.Cos(ang+spread)), num(end[1]-size*math.Sin(ang+spread)), col)
	if e.Label != "" {
		label := fit(e.Label, 220, 10)
		tw := textWidth(label, 10) + 8
		fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="14" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
			num(mx-tw/2), num(my-8), num(tw))
		fmt.Fprintf(bw, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="%s">%s</text>`,
			num(mx), num(my+3), col, esc(label))
	}
	bw.WriteString("</g>\n")
}

// blocked reports whether the straight line from (x1, y1) to (x2, y2)
// crosses an item of c other than e's ends.
func blocked(l *layout, c *Cluster, e *Edge, x1, y1, x2, y2 float64) bool {
	items := append(append([]Item{}, c.Items...), handlerItems(c)...)
	for _, it := range items {
		if it == e.From || it == e.To {
			continue
		}
		r := l.at[it]
		for i := 1; i < 32; i++ {
			t := float64(i) / 32
			x, y := x1+(x2-x1)*t, y1+(y2-y1)*t
			if x > r.x && x < r.x+r.w && y > r.y && y < r.y+r.h {
				return true
			}
		}
	}
	return false
}

// handlerItems are c's event handlers as items.
func handlerItems(c *Cluster) []Item {
	out := make([]Item, 0, len(c.Handlers))
	for _, h := range c.Handlers {
		out = append(out, h)
	}
	return out
}

// num writes a coordinate with at most one decimal, the same on every
// machine.
func num(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}

// esc escapes s for XML text and attribute values; characters XML cannot
// hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
