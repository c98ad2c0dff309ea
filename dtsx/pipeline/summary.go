package pipeline

import "github.com/dtsx-run/dtsx/dtsx"

// Summary is what `dtsx inspect` shows of a data flow: its components,
// their classes and column counts, its paths, its buffer settings and the
// diagnostics of its pipeline. Its JSON is stable (docs/json.md).
type Summary struct {
	DefaultBufferMaxRows int                `json:"defaultBufferMaxRows"`
	DefaultBufferSize    int                `json:"defaultBufferSize"`
	EngineThreads        int                `json:"engineThreads"`
	Components           []ComponentSummary `json:"components"`
	Paths                []PathSummary      `json:"paths"`
	Counts               CountsSummary      `json:"counts"`
	Diagnostics          dtsx.Diagnostics   `json:"diagnostics"`
}

// ComponentSummary is one component of a Summary.
type ComponentSummary struct {
	Name  string `json:"name"`
	RefID string `json:"refId"`
	// Class is the canonical class name, or the persisted class of an
	// unknown component.
	Class string `json:"class"`
	// Display is the class's name in the SSIS designer, "" when unknown.
	Display       string  `json:"display,omitempty"`
	Kind          Kind    `json:"kind,omitempty"`
	Support       Support `json:"support"`
	Inputs        int     `json:"inputs"`
	Outputs       int     `json:"outputs"`
	InputColumns  int     `json:"inputColumns"`
	OutputColumns int     `json:"outputColumns"`
	// Connections are the connection managers the component uses, by
	// refId (formats 6 and 8) or DTSID (formats 2 and 3).
	Connections []string `json:"connections,omitempty"`
}

// PathSummary is one path of a Summary, by component and output or
// input names.
type PathSummary struct {
	Name            string `json:"name"`
	FromComponent   string `json:"fromComponent"`
	FromOutput      string `json:"fromOutput"`
	ToComponent     string `json:"toComponent"`
	ToInput         string `json:"toInput"`
	FromErrorOutput bool   `json:"fromErrorOutput,omitempty"`
}

// CountsSummary is Counts in JSON.
type CountsSummary struct {
	Components      int `json:"components"`
	Paths           int `json:"paths"`
	OutputColumns   int `json:"outputColumns"`
	InputColumns    int `json:"inputColumns"`
	ExternalColumns int `json:"externalColumns"`
}

// Summarize returns the Summary of p, with the diagnostics its reading
// gave.
func (p *Pipeline) Summarize(ds dtsx.Diagnostics) *Summary {
	n := p.Counts()
	s := &Summary{DefaultBufferMaxRows: p.DefaultBufferMaxRows, DefaultBufferSize: p.DefaultBufferSize,
		EngineThreads: p.EngineThreads, Components: []ComponentSummary{}, Paths: []PathSummary{}, Diagnostics: ds,
		Counts: CountsSummary{Components: n.Components, Paths: n.Paths, OutputColumns: n.OutputColumns,
			InputColumns: n.InputColumns, ExternalColumns: n.ExternalColumns}}
	if s.Diagnostics == nil {
		s.Diagnostics = dtsx.Diagnostics{}
	}
	for _, c := range p.Components {
		cs := ComponentSummary{Name: c.Name, RefID: c.RefID, Class: c.ClassName(), Inputs: len(c.Inputs), Outputs: len(c.Outputs)}
		if c.Class != nil {
			cs.Display, cs.Kind, cs.Support = c.Class.Display, c.Class.Kind, c.Class.Support
		} else if c.ThirdParty {
			cs.Support = SupportThirdParty
		}
		for _, in := range c.Inputs {
			cs.InputColumns += len(in.Columns)
		}
		for _, o := range c.Outputs {
			cs.OutputColumns += len(o.Columns)
		}
		for _, cn := range c.Connections {
			ref := cn.ConnectionManagerRefID
			if ref == "" {
				ref = cn.ConnectionManagerID
			}
			cs.Connections = append(cs.Connections, ref)
		}
		s.Components = append(s.Components, cs)
	}
	for _, pa := range p.Paths {
		ps := PathSummary{Name: pa.Name, FromOutput: pa.StartID, ToInput: pa.EndID}
		if pa.Start != nil {
			ps.FromComponent, ps.FromOutput, ps.FromErrorOutput = pa.Start.Component.Name, pa.Start.Name, pa.Start.IsErrorOut
		}
		if pa.End != nil {
			ps.ToComponent, ps.ToInput = pa.End.Component.Name, pa.End.Name
		}
		s.Paths = append(s.Paths, ps)
	}
	return s
}
