package graph

import (
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
)

// builder numbers nodes and clusters in document order, so that ids are
// stable from one drawing of a package to the next.
type builder struct {
	nodes, clusters int
}

func (b *builder) nodeID() string {
	b.nodes++
	return "n" + strconv.Itoa(b.nodes)
}

func (b *builder) clusterID() string {
	b.clusters++
	return "c" + strconv.Itoa(b.clusters)
}

// ControlFlow builds the graph of p's control flow: its tasks, its
// containers as clusters, its event handlers as clusters below the
// executable they belong to, and its precedence constraints.
func ControlFlow(p *dtsx.Package) *Graph {
	b := &builder{}
	root := b.container(p.Executable, PackageCluster)
	return &Graph{Kind: ControlFlowKind, Name: p.Name, Root: root}
}

// container builds the cluster of a package, a container or an event
// handler.
func (b *builder) container(x *dtsx.Executable, kind ClusterKind) *Cluster {
	c := &Cluster{ID: b.clusterID(), Kind: kind, Label: x.Name, Type: TypeName(x),
		RefID: x.RefID, Disabled: x.Disabled}
	if kind == EventHandlerCluster {
		c.Label = x.EventName
		c.Type = "event handler"
		if x.Parent != nil {
			c.Label = x.EventName + " · " + x.Parent.Name
		}
	}
	items := map[*dtsx.Executable]Item{}
	for _, child := range x.Executables {
		var it Item
		if IsContainer(child) {
			it = b.container(child, ContainerCluster)
		} else {
			it = &Node{ID: b.nodeID(), Label: child.Name, Type: TypeName(child),
				RefID: child.RefID, Disabled: child.Disabled}
		}
		items[child] = it
		c.Items = append(c.Items, it)
	}
	for _, pc := range x.Constraints {
		from, to := items[pc.From], items[pc.To]
		if from == nil || to == nil {
			continue // a dangling constraint: the loader reports it
		}
		c.Edges = append(c.Edges, constraintEdge(pc, from, to))
	}
	for _, h := range x.EventHandlers {
		c.Handlers = append(c.Handlers, b.container(h, EventHandlerCluster))
	}
	for _, child := range x.Executables {
		if IsContainer(child) {
			continue // a container draws its own handlers
		}
		for _, h := range child.EventHandlers {
			c.Handlers = append(c.Handlers, b.container(h, EventHandlerCluster))
		}
	}
	return c
}

// constraintEdge draws a precedence constraint: coloured by its value,
// labelled with the value and the expression it evaluates, dashed when it
// is combined with the others by OR.
func constraintEdge(pc *dtsx.PrecedenceConstraint, from, to Item) *Edge {
	e := &Edge{From: from, To: to, Dashed: !pc.LogicalAnd}
	switch pc.Value {
	case dtsx.Failure:
		e.Style = FailureEdge
	case dtsx.Completion:
		e.Style = CompletionEdge
	default:
		e.Style = SuccessEdge
	}
	expr := strings.TrimSpace(pc.Expression)
	switch {
	case pc.EvalOp == dtsx.EvalExpression:
		e.Style = ExpressionEdge
		e.Label = "ƒx " + expr
	case pc.EvalOp == dtsx.EvalExpressionAndConstraint && expr != "":
		e.Label = pc.Value.String() + " && " + expr
	case pc.EvalOp == dtsx.EvalExpressionOrConstraint && expr != "":
		e.Label = pc.Value.String() + " || " + expr
	default:
		e.Label = pc.Value.String()
	}
	return e
}

// DataFlow builds the component graph of a Data Flow task: its components
// and its paths, a path from an error output drawn in red.
func DataFlow(pl *pipeline.Pipeline) *Graph {
	b := &builder{}
	name := ""
	if pl.Task != nil {
		name = pl.Task.Name
	}
	root := &Cluster{ID: b.clusterID(), Kind: ContainerCluster, Label: name, Type: "Data Flow", RefID: pl.RefID}
	nodes := map[*pipeline.Component]*Node{}
	for _, comp := range pl.Components {
		n := &Node{ID: b.nodeID(), Label: comp.Name, Type: componentType(comp), RefID: comp.RefID}
		nodes[comp] = n
		root.Items = append(root.Items, n)
	}
	for _, p := range pl.Paths {
		if p.Start == nil || p.End == nil {
			continue // a dangling path: the reader reports it
		}
		from, to := nodes[p.Start.Component], nodes[p.End.Component]
		if from == nil || to == nil {
			continue
		}
		e := &Edge{From: from, To: to, Style: PathEdge, Label: p.Start.Name}
		if p.Start.IsErrorOut {
			e.Style = ErrorPathEdge
		}
		root.Edges = append(root.Edges, e)
	}
	return &Graph{Kind: DataFlowKind, Name: name, Root: root}
}

// DataFlows builds the component graph of every Data Flow task of p, event
// handlers included, in document order.
func DataFlows(p *dtsx.Package) []*Graph {
	pls, _ := pipeline.ReadAll(p)
	out := make([]*Graph, 0, len(pls))
	for _, pl := range pls {
		out = append(out, DataFlow(pl))
	}
	return out
}

func componentType(c *pipeline.Component) string {
	if c.Class != nil {
		return c.Class.Display
	}
	return c.ClassName()
}
