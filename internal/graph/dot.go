package graph

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteDOT writes g in Graphviz DOT. Clusters are subgraphs named
// cluster_<id>; an edge to or from a container ends on the container's box
// (compound=true, through an invisible anchor node inside it).
func WriteDOT(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "digraph %s {\n", dotQuote(g.Name))
	bw.WriteString("  graph [rankdir=TB, compound=true, fontname=\"Helvetica\", fontsize=11];\n")
	bw.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f7fa\", color=\"#607d8b\", fontname=\"Helvetica\", fontsize=11];\n")
	bw.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	dotCluster(bw, g.Root, "  ", true)
	g.Root.walk(func(c *Cluster) {
		for _, e := range c.Edges {
			dotEdge(bw, e)
		}
	})
	bw.WriteString("}\n")
	return bw.Flush()
}

func dotCluster(bw *bufio.Writer, c *Cluster, indent string, root bool) {
	inner := indent
	if !root {
		fmt.Fprintf(bw, "%ssubgraph %s {\n", indent, dotQuote("cluster_"+c.ID))
		inner = indent + "  "
		style := "rounded"
		if c.Kind == EventHandlerCluster {
			style = "rounded,dashed"
		}
		fmt.Fprintf(bw, "%slabel=%s; style=%s; color=%s;\n", inner, dotQuote(c.Label+" ("+c.Type+")"),
			dotQuote(style), dotQuote(clusterStroke(c)))
		fmt.Fprintf(bw, "%s%s [shape=point, style=invis, width=0.01, label=\"\"];\n", inner, dotQuote(c.ID))
	}
	for _, it := range c.Items {
		switch it := it.(type) {
		case *Node:
			attrs := fmt.Sprintf("label=%s, tooltip=%s", dotQuote(it.Label+"\n"+it.Type), dotQuote(it.RefID))
			if it.Disabled {
				attrs += ", fontcolor=\"#9e9e9e\", style=\"rounded,filled,dashed\""
			}
			fmt.Fprintf(bw, "%s%s [%s];\n", inner, dotQuote(it.ID), attrs)
		case *Cluster:
			dotCluster(bw, it, inner, false)
		}
	}
	for _, h := range c.Handlers {
		dotCluster(bw, h, inner, false)
	}
	if !root {
		fmt.Fprintf(bw, "%s}\n", indent)
	}
}

func dotEdge(bw *bufio.Writer, e *Edge) {
	col := e.colour()
	attrs := []string{"label=" + dotQuote(e.Label), "color=" + dotQuote(col), "fontcolor=" + dotQuote(col)}
	if e.Dashed {
		attrs = append(attrs, "style=dashed")
	}
	if c, ok := e.From.(*Cluster); ok {
		attrs = append(attrs, "ltail="+dotQuote("cluster_"+c.ID))
	}
	if c, ok := e.To.(*Cluster); ok {
		attrs = append(attrs, "lhead="+dotQuote("cluster_"+c.ID))
	}
	fmt.Fprintf(bw, "  %s -> %s [%s];\n", dotQuote(e.From.itemID()), dotQuote(e.To.itemID()), strings.Join(attrs, ", "))
}

// dotQuote returns s as a DOT double-quoted string: backslashes and quotes
// escaped, line breaks as \n.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func clusterStroke(c *Cluster) string {
	if c.Kind == EventHandlerCluster {
		return "#8e24aa"
	}
	return "#78909c"
}
