package graph

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteMermaid writes g as a Mermaid flowchart (top to bottom): clusters as
// subgraphs, constraints as links coloured with linkStyle, dotted for OR.
func WriteMermaid(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("flowchart TD\n")
	mermaidCluster(bw, g.Root, "  ", true)
	var styles []string
	n := 0
	g.Root.walk(func(c *Cluster) {
		for _, e := range c.Edges {
			arrow := "-->"
			if e.Dashed {
				arrow = "-.->"
			}
			fmt.Fprintf(bw, "  %s %s|%s| %s\n", e.From.itemID(), arrow, mermaidText(e.Label), e.To.itemID())
			styles = append(styles, fmt.Sprintf("  linkStyle %d stroke:%s,color:%s", n, e.colour(), e.colour()))
			n++
		}
	})
	for _, s := range styles {
		bw.WriteString(s + "\n")
	}
	return bw.Flush()
}

func mermaidCluster(bw *bufio.Writer, c *Cluster, indent string, root bool) {
	inner := indent
	if !root {
		fmt.Fprintf(bw, "%ssubgraph %s [%s]\n", indent, c.ID, mermaidText(c.Label+" ("+c.Type+")"))
		inner = indent + "  "
	}
	for _, it := range c.Items {
		switch it := it.(type) {
		case *Node:
			fmt.Fprintf(bw, "%s%s[%s]\n", inner, it.ID, mermaidText(it.Label, it.Type))
		case *Cluster:
			mermaidCluster(bw, it, inner, false)
		}
	}
	for _, h := range c.Handlers {
		mermaidCluster(bw, h, inner, false)
	}
	if !root {
		fmt.Fprintf(bw, "%send\n", indent)
	}
}

// mermaidText returns s as a quoted Mermaid label. Characters Mermaid or
// the HTML it renders would read (quotes, brackets, pipes, <, >, &, #) are
// written as entity codes (#quot;, #35;), so a name cannot close the label
// or inject markup. Lines are joined with <br/>.
func mermaidText(lines ...string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, part := range lines {
		if i > 0 {
			b.WriteString("<br/>")
		}
		for _, r := range part {
			switch r {
			case '"':
				b.WriteString("#quot;")
			case '<', '>', '&', '#', '|', '[', ']', '{', '}', '(', ')', '`', ';':
				b.WriteString("#" + strconv.Itoa(int(r)) + ";")
			case '\n', '\r':
				b.WriteByte(' ')
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
