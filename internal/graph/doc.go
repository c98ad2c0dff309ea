// Package graph draws a package: it builds a graph model of the control
// flow (tasks, containers as clusters around their children, event handlers
// as clusters of their own, precedence constraints as edges with their
// value, expression and logical operation) and of each data flow
// (components and paths, error outputs apart), and renders the model as
// Graphviz DOT, a Mermaid flowchart or a self-contained SVG picture laid out
// in layers from top to bottom.
//
// Every renderer is deterministic: the same package gives the same bytes.
package graph
