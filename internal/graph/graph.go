package graph

import "strings"

// Kind says what a graph draws.
type Kind string

// The kinds of graph.
const (
	ControlFlowKind Kind = "control-flow"
	DataFlowKind    Kind = "data-flow"
)

// Graph is a drawing's model: a root cluster holding nodes and nested
// clusters, and the edges between them. An edge links two items of the same
// cluster (precedence constraints link siblings; paths link components of
// one data flow).
type Graph struct {
	Kind Kind
	// Name is the package's or the Data Flow task's name.
	Name string
	Root *Cluster
}

// Item is a node or a cluster: what an edge links.
type Item interface {
	itemID() string
}

// ClusterKind says what a cluster is.
type ClusterKind string

// The kinds of cluster.
const (
	PackageCluster      ClusterKind = "package"
	ContainerCluster    ClusterKind = "container"
	EventHandlerCluster ClusterKind = "event-handler"
)

// Cluster is a box around items: the package, a container, an event
// handler.
type Cluster struct {
	// ID is the cluster's stable id in the drawing (c1, c2, ...).
	ID   string
	Kind ClusterKind
	// Label is what the box's title says; Type is the container's type
	// (Sequence, For Loop, OnError).
	Label, Type string
	// RefID is the executable's element path.
	RefID    string
	Disabled bool
	// Blocked marks a container that stops the run, drawn in red.
	Blocked bool
	// Items are the cluster's nodes and clusters in document order.
	Items []Item
	// Handlers are the event handlers of the cluster's executable and of
	// its tasks, drawn below the items.
	Handlers []*Cluster
	// Edges link items of this cluster.
	Edges []*Edge
}

func (c *Cluster) itemID() string { return c.ID }

// Node is a task or a data-flow component.
type Node struct {
	// ID is the node's stable id in the drawing (n1, n2, ...).
	ID string
	// Label is the name; Type is the task's or component's type as people
	// call it (Execute SQL, Send Mail, OLE DB Source).
	Label, Type string
	// RefID is the element path.
	RefID    string
	Disabled bool
	// Blocked marks a task or component that stops the run, drawn in red.
	Blocked bool
}

func (n *Node) itemID() string { return n.ID }

// EdgeStyle is how an edge is drawn.
type EdgeStyle string

// Edge styles: the value of a precedence constraint, or a data-flow path.
const (
	SuccessEdge    EdgeStyle = "success"
	FailureEdge    EdgeStyle = "failure"
	CompletionEdge EdgeStyle = "completion"
	// ExpressionEdge is a constraint that evaluates only an expression.
	ExpressionEdge EdgeStyle = "expression"
	PathEdge       EdgeStyle = "path"
	ErrorPathEdge  EdgeStyle = "error-path"
)

// Edge is a precedence constraint or a data-flow path.
type Edge struct {
	From, To Item
	Style    EdgeStyle
	// Label is the constraint's value and expression ("Success && @X >
	// 0"), or the path's output name.
	Label string
	// Dashed is set for a constraint combined with OR (LogicalAnd false),
	// as the SSIS designer draws it.
	Dashed bool
}

// colour returns the edge's colour.
func (e *Edge) colour() string { return EdgeColour(e.Style) }

// EdgeColour returns the colour of an edge style: green, red and blue as
// the SSIS designer draws Success, Failure and Completion, purple for a
// constraint on an expression only, slate for a data-flow path and red for
// an error output's.
func EdgeColour(s EdgeStyle) string {
	switch s {
	case FailureEdge, ErrorPathEdge:
		return "#c62828"
	case CompletionEdge:
		return "#1565c0"
	case PathEdge:
		return "#455a64"
	case ExpressionEdge:
		return "#6a1b9a"
	}
	return "#2e7d32"
}

// walk calls fn for every cluster of c, c first, handlers included.
func (c *Cluster) walk(fn func(*Cluster)) {
	fn(c)
	for _, it := range c.Items {
		if sub, ok := it.(*Cluster); ok {
			sub.walk(fn)
		}
	}
	for _, h := range c.Handlers {
		h.walk(fn)
	}
}

// MarkBlocked marks the nodes and clusters whose element path is one of
// refs (case-insensitive, as SSIS compares names), so that the drawing
// shows what stops a run; it returns how many it marked.
func (g *Graph) MarkBlocked(refs []string) int {
	want := map[string]bool{}
	for _, r := range refs {
		want[strings.ToLower(r)] = true
	}
	n := 0
	g.Root.walk(func(c *Cluster) {
		if want[strings.ToLower(c.RefID)] && c.RefID != "" {
			c.Blocked = true
			n++
		}
		for _, it := range c.Items {
			if node, ok := it.(*Node); ok && node.RefID != "" && want[strings.ToLower(node.RefID)] {
				node.Blocked = true
				n++
			}
		}
	})
	return n
}
