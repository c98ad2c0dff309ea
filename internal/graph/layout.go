package graph

import "sort"

// Layout sizes, in SVG user units (pixels at 100%).
const (
	nodeW    = 184.0
	nodeH    = 46.0
	gapX     = 36.0
	gapY     = 58.0
	pad      = 14.0
	titleH   = 24.0
	fontSize = 12.0
	// maxTitleW is the widest a cluster grows for its title; a longer
	// title is cut.
	maxTitleW = 420.0
	// maxRowW is the widest a row of items grows before it wraps: five
	// tasks.
	maxRowW = 5*nodeW + 4*gapX
)

// rect is a box in the drawing's coordinates.
type rect struct{ x, y, w, h float64 }

// layout is where every item of a graph sits.
type layout struct {
	at map[Item]*rect
	// rows is the layer of each item within its cluster.
	rows map[Item]int
}

// place lays g out: in each cluster, items in layers by the longest path
// of edges that reach them (a task below the tasks it waits for), ordered
// within a layer under the items they wait for, each layer centred, event handlers in a
// last row; a cluster is a box around its layers.
func place(g *Graph) *layout {
	l := &layout{at: map[Item]*rect{}, rows: map[Item]int{}}
	l.measure(g.Root)
	l.move(g.Root, 0, 0)
	return l
}

// measure sizes c and places its items relative to c's top left corner.
func (l *layout) measure(c *Cluster) {
	for _, it := range c.Items {
		if sub, ok := it.(*Cluster); ok {
			l.measure(sub)
		} else {
			l.at[it] = &rect{w: nodeW, h: nodeH}
		}
	}
	for _, h := range c.Handlers {
		l.measure(h)
	}
	layer := layers(c)
	var byLayer [][]Item
	for _, it := range c.Items {
		n := layer[it]
		for len(byLayer) <= n {
			byLayer = append(byLayer, nil)
		}
		byLayer[n] = append(byLayer[n], it)
	}
	order(byLayer, c.Edges)
	if len(c.Handlers) > 0 {
		byLayer = append(byLayer, handlerItems(c))
	}
	var rows [][]Item
	for _, row := range byLayer {
		rows = append(rows, l.wrap(row)...)
	}
	for i, row := range rows {
		for _, it := range row {
			l.rows[it] = i
		}
	}
	inner := min(textWidth(c.Label+" · "+c.Type, fontSize)+8, maxTitleW)
	widths := make([]float64, len(rows))
	for i, row := range rows {
		for j, it := range row {
			if j > 0 {
				widths[i] += gapX
			}
			widths[i] += l.at[it].w
		}
		inner = max(inner, widths[i])
	}
	inner = max(inner, nodeW)
	y := titleH + pad
	for i, row := range rows {
		x := pad + (inner-widths[i])/2
		rowH := 0.0
		for _, it := range row {
			r := l.at[it]
			r.x, r.y = x, y
			x += r.w + gapX
			rowH = max(rowH, r.h)
		}
		y += rowH
		if i < len(rows)-1 {
			y += gapY
		}
	}
	if len(rows) == 0 {
		y += nodeH / 2
	}
	l.at[c] = &rect{w: inner + 2*pad, h: y + pad}
}

// wrap splits a layer wider than maxRowW into rows that are not (a row
// holds one item at least): many tasks without constraints between them
// stack instead of making one very wide picture.
func (l *layout) wrap(layer []Item) [][]Item {
	var rows [][]Item
	var row []Item
	w := 0.0
	for _, it := range layer {
		iw := l.at[it].w
		if len(row) > 0 && w+gapX+iw > maxRowW {
			rows = append(rows, row)
			row, w = nil, 0
		}
		if len(row) > 0 {
			w += gapX
		}
		row = append(row, it)
		w += iw
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// move turns c's relative positions into absolute ones, c's corner at x, y.
func (l *layout) move(c *Cluster, x, y float64) {
	r := l.at[c]
	r.x, r.y = x, y
	for _, it := range c.Items {
		ir := l.at[it]
		if sub, ok := it.(*Cluster); ok {
			l.move(sub, x+ir.x, y+ir.y)
		} else {
			ir.x += x
			ir.y += y
		}
	}
	for _, h := range c.Handlers {
		hr := l.at[h]
		l.move(h, x+hr.x, y+hr.y)
	}
}

// layers gives each item of c its layer: 0 for an item no edge reaches,
// else one more than the deepest item with an edge to it. A cycle (which
// SSIS refuses) stops growing after as many rounds as there are items.
func layers(c *Cluster) map[Item]int {
	layer := make(map[Item]int, len(c.Items))
	for range c.Items {
		changed := false
		for _, e := range c.Edges {
			if e.From == e.To {
				continue
			}
			if n := layer[e.From] + 1; n > layer[e.To] && n < len(c.Items) {
				layer[e.To] = n
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return layer
}

// order sorts each row after the first by the mean position of the
// items with an edge to its items (the barycentre heuristic), so that a
// task sits under the ones it waits for and fewer edges cross; items with
// no edge from above, and ties, keep document order.
func order(rows [][]Item, edges []*Edge) {
	// pos is an item's place in its row, from 0 (left) to 1 (right): rows
	// are centred, so places in rows of different lengths compare.
	pos := map[Item]float64{}
	place := func(row []Item) {
		for j, it := range row {
			pos[it] = (float64(j) + 0.5) / float64(len(row))
		}
	}
	if len(rows) > 0 {
		place(rows[0])
	}
	for r := 1; r < len(rows); r++ {
		key := map[Item]float64{}
		for j, it := range rows[r] {
			sum, n := 0.0, 0
			for _, e := range edges {
				if p, ok := pos[e.From]; ok && e.To == it {
					sum += p
					n++
				}
			}
			if n > 0 {
				key[it] = sum / float64(n)
			} else {
				key[it] = (float64(j) + 0.5) / float64(len(rows[r]))
			}
		}
		sort.SliceStable(rows[r], func(a, b int) bool { return key[rows[r][a]] < key[rows[r][b]] })
		place(rows[r])
	}
}

// textWidth estimates the width of s at size: wide characters (CJK, kana)
// count double.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w += size
		} else {
			w += size * 0.56
		}
	}
	return w
}

// fit cuts s with an ellipsis so that it fits width at size.
func fit(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	out := []rune{}
	w := textWidth("…", size)
	for _, r := range s {
		rw := textWidth(string(r), size)
		if w+rw > width {
			break
		}
		w += rw
		out = append(out, r)
	}
	return string(out) + "…"
}
