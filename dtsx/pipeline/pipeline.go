package pipeline

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Buffer defaults of the Data Flow task, used when the pipeline omits them
// (formats 6 and 8 omit default values): 10,000 rows, 10 MB and, since SQL
// Server 2016, 10 engine threads. "Data Flow Performance Features"
// (https://learn.microsoft.com/sql/integration-services/data-flow/data-flow-performance-features).
const (
	DefaultBufferMaxRows = 10000
	DefaultBufferSize    = 10485760
	DefaultEngineThreads = 10
)

// Pipeline is the pipeline of one Data Flow task: its components and the
// paths between them.
type Pipeline struct {
	// Element is the <pipeline> element, or nil when the task has none.
	Element *etree.Element `json:"-"`
	// Task is the Data Flow task.
	Task *dtsx.Executable `json:"-"`
	// RefID is the task's element path.
	RefID string
	// NumericIDs is true for formats 2 and 3, whose references are the
	// numeric id attributes; formats 6 and 8 reference refIds.
	NumericIDs           bool
	DefaultBufferMaxRows int
	DefaultBufferSize    int
	EngineThreads        int
	AutoAdjustBufferSize bool
	RunInOptimizedMode   bool
	BLOBTempStoragePath  string
	BufferTempStorage    string
	Components           []*Component
	Paths                []*Path

	outputs   map[string]*Output
	inputs    map[string]*Input
	lineage   map[string]*OutputColumn
	inputCols map[string]*InputColumn
	externals map[string]*ExternalColumn
}

// Component is a source, transformation or destination.
type Component struct {
	Element *etree.Element `json:"-"`
	// ID is the key other elements reference it by: the refId (formats 6
	// and 8) or the numeric id (formats 2 and 3).
	ID string
	// RefID is the element path: the refId, or the same form built from
	// names in formats 2 and 3 (Package\Data Flow Task\OLE DB Source).
	RefID       string
	Name        string
	Description string
	// ClassID is the componentClassID as persisted: a class name, a ProgID
	// or a GUID.
	ClassID string
	// UserComponentTypeName is the managed component a managed host runs.
	UserComponentTypeName string
	// Class is the canonical class, or nil when ClassID is not known.
	Class *Class
	// ThirdParty is true for a component of a known third-party vendor.
	ThirdParty               bool
	Version                  int
	UsesDispositions         bool
	ValidateExternalMetadata bool
	Properties               []*Property
	Connections              []*Connection
	Inputs                   []*Input
	Outputs                  []*Output
}

// ClassName returns the canonical class name, or the persisted class (with
// the managed type) when it is not known.
func (c *Component) ClassName() string {
	if c.Class != nil {
		return c.Class.Name
	}
	if c.UserComponentTypeName != "" {
		return c.ClassID + "/" + dtsx.ShortType(c.UserComponentTypeName)
	}
	return c.ClassID
}

// Property returns the custom property named name, or nil.
func (c *Component) Property(name string) *Property { return findProperty(c.Properties, name) }

func findProperty(ps []*Property, name string) *Property {
	for _, p := range ps {
		if strings.EqualFold(p.Name, name) {
			return p
		}
	}
	return nil
}

// Property is a custom property of a component, an input, an output or a
// column.
type Property struct {
	Element *etree.Element `json:"-"`
	Name    string
	// DataType is the .NET type as persisted (System.String, System.Int32,
	// System.Boolean, System.Null, ...).
	DataType string
	Value    string
	// ExpressionType is None, or Notify for a property a property
	// expression of the Data Flow task may set ([Component].[Property]).
	ExpressionType string
	// ContainsID is true when Value holds lineage references: #{refId} in
	// formats 6 and 8, #id in formats 2 and 3 (Derived Column and
	// Conditional Split expressions, the parameter map of OLE DB Source).
	ContainsID bool
	IsArray    bool
	// Elements are the values of an array property.
	Elements []string
}

// LineageRefs returns the lineage references in Value when ContainsID is
// true: the refIds of #{...} (formats 6 and 8) or the numbers of #n
// (formats 2 and 3), in order.
func (p *Property) LineageRefs() []string {
	if !p.ContainsID {
		return nil
	}
	var out []string
	s := p.Value
	for {
		i := strings.IndexByte(s, '#')
		if i < 0 || i == len(s)-1 {
			return out
		}
		s = s[i+1:]
		if s[0] == '{' {
			if j := strings.IndexByte(s, '}'); j > 0 {
				out = append(out, s[1:j])
				s = s[j+1:]
			}
			continue
		}
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > 0 {
			out = append(out, s[:j])
			s = s[j:]
		}
	}
}

// Connection is a component's use of a connection manager.
type Connection struct {
	Element     *etree.Element `json:"-"`
	ID          string
	RefID       string
	Name        string
	Description string
	// ConnectionManagerID is the manager's DTSID (formats 2 and 3), or its
	// refId, possibly with an ":external" suffix for a project manager
	// (formats 6 and 8).
	ConnectionManagerID string
	// ConnectionManagerRefID is the manager's refId (formats 6 and 8):
	// Package.ConnectionManagers[Name] or Project.ConnectionManagers[Name].
	ConnectionManagerRefID string
}

// Disposition is what a component does with a row whose column fails to
// convert or is truncated: "Error Handling in Data"
// (https://learn.microsoft.com/sql/integration-services/data-flow/error-handling-in-data).
type Disposition int

// Row dispositions.
const (
	NotUsed Disposition = iota
	FailComponent
	IgnoreFailure
	RedirectRow
)

var dispositionNames = [...]string{"NotUsed", "FailComponent", "IgnoreFailure", "RedirectRow"}

// String returns the disposition's SSIS name.
func (d Disposition) String() string {
	if d >= 0 && int(d) < len(dispositionNames) {
		return dispositionNames[d]
	}
	return strconv.Itoa(int(d))
}

// ParseDisposition returns the disposition an SSIS name names (in any
// case), and false when s names none.
func ParseDisposition(s string) (Disposition, bool) {
	for i, n := range dispositionNames {
		if strings.EqualFold(s, n) {
			return Disposition(i), true
		}
	}
	return NotUsed, false
}

// MarshalText makes a Disposition appear by name in JSON.
func (d Disposition) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Dispositions are the error and truncation handling of an input, an
// output or a column.
type Dispositions struct {
	// ErrorOrTruncationOperation says what may fail: Conversion,
	// Computation, Insert, Lookup, ...
	ErrorOrTruncationOperation string
	ErrorRowDisposition        Disposition
	TruncationRowDisposition   Disposition
}

// Input is an input of a component.
type Input struct {
	Element        *etree.Element `json:"-"`
	Component      *Component     `json:"-"`
	ID             string
	RefID          string
	Name           string
	Description    string
	HasSideEffects bool
	Dispositions
	Properties []*Property
	Columns    []*InputColumn
	External   []*ExternalColumn
	// ExternalUsed is the isUsed of the external metadata columns.
	ExternalUsed bool
}

// Output is an output of a component.
type Output struct {
	Element     *etree.Element `json:"-"`
	Component   *Component     `json:"-"`
	ID          string
	RefID       string
	Name        string
	Description string
	// IsErrorOut is true for an error output (ErrorCode, ErrorColumn).
	IsErrorOut bool
	// SynchronousInputID is the input the output is synchronous with (its
	// rows are that input's buffer), or "" for an asynchronous output.
	SynchronousInputID string
	SynchronousInput   *Input `json:"-"`
	// ExclusionGroup is non-zero for outputs of which a row goes to one
	// (Conditional Split's outputs, an error output and its default).
	ExclusionGroup int
	IsSorted       bool
	Dispositions
	Properties []*Property
	Columns    []*OutputColumn
	External   []*ExternalColumn
	// ExternalUsed is the isUsed of the external metadata columns.
	ExternalUsed bool
}

// OutputColumn is a column an output adds to the data flow.
type OutputColumn struct {
	Element     *etree.Element `json:"-"`
	Output      *Output        `json:"-"`
	ID          string
	RefID       string
	Name        string
	Description string
	// LineageID identifies the column to the input columns downstream: its
	// refId (formats 6 and 8) or a number (formats 2 and 3).
	LineageID string
	ColumnType
	SortKeyPosition  int
	ComparisonFlags  int
	SpecialFlags     int // 1 ErrorCode, 2 ErrorColumn
	ExternalColumnID string
	External         *ExternalColumn `json:"-"`
	Dispositions
	Properties []*Property
}

// InputColumn is a column of the data flow an input reads.
type InputColumn struct {
	Element *etree.Element `json:"-"`
	Input   *Input         `json:"-"`
	ID      string
	RefID   string
	// Name is the cachedName (formats 3 to 8), or the upstream column's
	// name when none is persisted.
	Name      string
	LineageID string
	// Upstream is the output column LineageID names, or nil.
	Upstream *OutputColumn `json:"-"`
	// UsageType is readOnly or readWrite.
	UsageType string
	// Cached is the cached data type (cachedDataType, cachedLength, ...),
	// with Type TypeUnknown and Persisted "" when none is persisted.
	Cached           ColumnType
	ExternalColumnID string
	External         *ExternalColumn `json:"-"`
	Dispositions
	Properties []*Property
}

// ExternalColumn is an external metadata column: the column of the
// source or destination as the designer last saw it.
type ExternalColumn struct {
	Element *etree.Element `json:"-"`
	ID      string
	RefID   string
	Name    string
	ColumnType
	Properties []*Property
}

// Path links an output to an input.
type Path struct {
	Element *etree.Element `json:"-"`
	ID      string
	RefID   string
	Name    string
	// StartID and EndID are the output's and the input's keys as
	// persisted.
	StartID, EndID string
	Start          *Output `json:"-"`
	End            *Input  `json:"-"`
}

// Output returns the output whose key (refId or numeric id) is id, or nil.
func (p *Pipeline) Output(id string) *Output { return p.outputs[id] }

// Input returns the input whose key (refId or numeric id) is id, or nil.
func (p *Pipeline) Input(id string) *Input { return p.inputs[id] }

// Lineage returns the output column a lineage ID names, or nil.
func (p *Pipeline) Lineage(id string) *OutputColumn { return p.lineage[id] }

// Counts are a pipeline's figures.
type Counts struct {
	Components, Paths, Inputs, Outputs, OutputColumns, InputColumns, ExternalColumns int
}

// Counts returns the number of components, paths, inputs, outputs and
// columns of p.
func (p *Pipeline) Counts() Counts {
	n := Counts{Components: len(p.Components), Paths: len(p.Paths)}
	for _, c := range p.Components {
		n.Inputs += len(c.Inputs)
		n.Outputs += len(c.Outputs)
		for _, in := range c.Inputs {
			n.InputColumns += len(in.Columns)
			n.ExternalColumns += len(in.External)
		}
		for _, o := range c.Outputs {
			n.OutputColumns += len(o.Columns)
			n.ExternalColumns += len(o.External)
		}
	}
	return n
}

// dataFlowTypes are the executable types of the Data Flow task in every
// format (see the format reference: Microsoft.Pipeline in format 8, ProgIDs
// and CLSIDs before).
var dataFlowTypes = []string{"Microsoft.Pipeline", "SSIS.Pipeline", "DTS.Pipeline",
	"{5918251B-2970-45A4-AB5F-01C3C588FE5A}", "{E3CFBEA8-1F48-40D8-91E1-2DEDC1EDDD56}"}

// IsDataFlow reports whether x is a Data Flow task.
func IsDataFlow(x *dtsx.Executable) bool {
	t := stripProgIDVersion(x.ShortType())
	for _, d := range dataFlowTypes {
		if strings.EqualFold(t, d) {
			return true
		}
	}
	return false
}

// ReadAll reads the pipeline of every Data Flow task of p, event handlers
// included, in document order.
func ReadAll(p *dtsx.Package) ([]*Pipeline, dtsx.Diagnostics) {
	var out []*Pipeline
	var ds dtsx.Diagnostics
	p.Walk(func(x *dtsx.Executable) bool {
		if IsDataFlow(x) {
			pl, d := Read(p, x)
			out = append(out, pl)
			ds = append(ds, d...)
		}
		return true
	})
	return out, ds
}
