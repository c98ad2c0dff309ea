package graph

import (
	"fmt"
	"io"
	"strings"
)

// Format is an output format: svg, dot or mermaid.
type Format string

// The formats.
const (
	SVG     Format = "svg"
	DOT     Format = "dot"
	Mermaid Format = "mermaid"
)

// Formats lists the formats, for help texts and completion.
var Formats = []Format{SVG, DOT, Mermaid}

// ParseFormat returns the format named s (any case; "gv" and "mmd" are
// accepted as the files' usual extensions).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "svg":
		return SVG, nil
	case "dot", "gv":
		return DOT, nil
	case "mermaid", "mmd":
		return Mermaid, nil
	}
	return "", fmt.Errorf("graph: unknown format %q: use svg, dot or mermaid", s)
}

// Write renders g to w in format f.
func Write(w io.Writer, g *Graph, f Format) error {
	switch f {
	case SVG:
		return WriteSVG(w, g)
	case DOT:
		return WriteDOT(w, g)
	case Mermaid:
		return WriteMermaid(w, g)
	}
	return fmt.Errorf("graph: unknown format %q: use svg, dot or mermaid", f)
}
