package pipeline

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Diagnostic codes of the pipeline, in the style of package dtsx's.
const (
	CodeNoPipeline        = "missing-pipeline"      // a Data Flow task without a <pipeline>
	CodeUnknownComponent  = "unknown-component"     // a componentClassID not in the table
	CodeScriptComponent   = "script-component"      // the Script Component: .NET code
	CodeThirdPartyComp    = "third-party-component" // a component that does not ship with SSIS
	CodeDanglingLineage   = "dangling-lineage-id"   // an input column or expression names no output column
	CodeDanglingReference = "dangling-reference"    // a synchronous input or external column that is not there
	CodeDanglingPath      = "dangling-path"         // a path from or to nothing
	CodeUnknownDataType   = "unknown-data-type"     // a column type this model does not know
	CodeBadPipelineValue  = dtsx.CodeBadValue       // a number or disposition that does not parse
	CodeDuplicateKey      = "duplicate-pipeline-id" // two objects of one kind with one key
)

// reader reads one pipeline.
type reader struct {
	pkg *dtsx.Package
	pl  *Pipeline
	ds  dtsx.Diagnostics
}

// Read reads the pipeline of the Data Flow task x of package p. The
// diagnostics locate each problem by the element path of the object (its
// refId in formats 6 and 8, the same form built from names in formats 2
// and 3) and its line in p's file.
func Read(p *dtsx.Package, x *dtsx.Executable) (*Pipeline, dtsx.Diagnostics) {
	r := &reader{pkg: p, pl: &Pipeline{Task: x, RefID: x.RefID, DefaultBufferMaxRows: DefaultBufferMaxRows,
		DefaultBufferSize: DefaultBufferSize, EngineThreads: DefaultEngineThreads, RunInOptimizedMode: true,
		outputs: map[string]*Output{}, inputs: map[string]*Input{}, lineage: map[string]*OutputColumn{}, inputCols: map[string]*InputColumn{},
		externals: map[string]*ExternalColumn{}}}
	e := x.ObjectData
	if e == nil || e.Tag != "pipeline" {
		r.add(dtsx.SeverityWarning, CodeNoPipeline, x.RefID, x.Element,
			fmt.Sprintf("Data Flow task %q has no <pipeline> in its ObjectData", x.Name),
			"open the package in the SSIS designer and save it, or remove the empty task")
		return r.pl, r.ds
	}
	r.pl.Element = e
	if p != nil && p.Format != 0 {
		r.pl.NumericIDs = p.Format <= 3
	} else {
		r.pl.NumericIDs = !r.anyRefID(e)
	}
	r.pl.DefaultBufferMaxRows = r.intAttr(e, "defaultBufferMaxRows", DefaultBufferMaxRows, x.RefID)
	r.pl.DefaultBufferSize = r.intAttr(e, "defaultBufferSize", DefaultBufferSize, x.RefID)
	r.pl.EngineThreads = r.intAttr(e, "engineThreads", DefaultEngineThreads, x.RefID)
	r.pl.AutoAdjustBufferSize = boolAttr(e, "autoAdjustBufferSize", false)
	r.pl.RunInOptimizedMode = boolAttr(e, "runInOptimizedMode", true)
	r.pl.BLOBTempStoragePath = e.SelectAttrValue("BLOBTempStoragePath", "")
	r.pl.BufferTempStorage = e.SelectAttrValue("bufferTempStoragePath", "")
	if cs := e.SelectElement("components"); cs != nil {
		for _, ce := range cs.SelectElements("component") {
			r.pl.Components = append(r.pl.Components, r.component(ce))
		}
	}
	if ps := e.SelectElement("paths"); ps != nil {
		for _, pe := range ps.SelectElements("path") {
			r.pl.Paths = append(r.pl.Paths, r.path(pe))
		}
	}
	r.resolve()
	r.checkExpressions()
	return r.pl, r.ds
}

// anyRefID reports whether the first component carries a refId: format 6
// and 8 pipelines have none on the <pipeline> element itself.
func (r *reader) anyRefID(e *etree.Element) bool {
	if cs := e.SelectElement("components"); cs != nil {
		if c := cs.SelectElement("component"); c != nil {
			return c.SelectAttr("refId") != nil
		}
	}
	return false
}

func (r *reader) add(sev dtsx.Severity, code, path string, e *etree.Element, msg, hint string) {
	d := dtsx.Diagnostic{Severity: sev, Code: code, Path: path, Message: msg, Hint: hint}
	if r.pkg != nil {
		d.File = r.pkg.File
		d.Line = r.pkg.ElementLine(e)
	}
	r.ds = append(r.ds, d)
}

// key returns the key other elements reference e by: its refId, else its
// numeric id. A numeric "0" (formats 2 and 3) is no reference.
func key(e *etree.Element) string {
	if v := e.SelectAttrValue("refId", ""); v != "" {
		return v
	}
	return e.SelectAttrValue("id", "")
}

// ref reads a reference attribute; "0" and "" are none.
func ref(e *etree.Element, name string) string {
	v := strings.TrimSpace(e.SelectAttrValue(name, ""))
	if v == "0" {
		return ""
	}
	return v
}

// path returns e's refId, or the path built under parent from sep and
// e's name (formats 2 and 3).
func refPath(e *etree.Element, parent, sep, name string) string {
	if v := e.SelectAttrValue("refId", ""); v != "" {
		return v
	}
	if sep == `\` {
		return parent + `\` + name
	}
	return parent + "." + sep + "[" + name + "]"
}

func boolAttr(e *etree.Element, name string, def bool) bool {
	v := e.SelectAttr(name)
	if v == nil {
		return def
	}
	b, ok := dtsx.ParseBool(v.Value)
	if !ok {
		return def
	}
	return b
}

func (r *reader) intAttr(e *etree.Element, name string, def int, path string) int {
	a := e.SelectAttr(name)
	if a == nil || strings.TrimSpace(a.Value) == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(a.Value))
	if err != nil {
		r.add(dtsx.SeverityWarning, CodeBadPipelineValue, path, e,
			fmt.Sprintf("%s=%q is not a number", name, a.Value), "use a whole number, or remove the attribute for its default")
		return def
	}
	return n
}

func (r *reader) properties(e *etree.Element) []*Property {
	ps := e.SelectElement("properties")
	if ps == nil {
		return nil
	}
	var out []*Property
	for _, pe := range ps.SelectElements("property") {
		p := &Property{Element: pe, Name: pe.SelectAttrValue("name", ""), DataType: pe.SelectAttrValue("dataType", ""),
			ExpressionType: pe.SelectAttrValue("expressionType", "None"), ContainsID: boolAttr(pe, "containsID", false),
			IsArray: boolAttr(pe, "isArray", false)}
		if ae := pe.SelectElement("arrayElements"); ae != nil {
			p.IsArray = true
			for _, el := range ae.SelectElements("arrayElement") {
				p.Elements = append(p.Elements, el.Text())
			}
		} else {
			p.Value = pe.Text()
		}
		out = append(out, p)
	}
	return out
}

func (r *reader) dispositions(e *etree.Element, path string) Dispositions {
	return Dispositions{ErrorOrTruncationOperation: e.SelectAttrValue("errorOrTruncationOperation", ""),
		ErrorRowDisposition:      r.disposition(e, "errorRowDisposition", path),
		TruncationRowDisposition: r.disposition(e, "truncationRowDisposition", path)}
}

func (r *reader) disposition(e *etree.Element, name, path string) Disposition {
	v := strings.TrimSpace(e.SelectAttrValue(name, ""))
	if v == "" {
		return NotUsed
	}
	if d, ok := ParseDisposition(v); ok {
		return d
	}
	r.add(dtsx.SeverityWarning, CodeBadPipelineValue, path, e, fmt.Sprintf("%s=%q is not a row disposition", name, v),
		"use NotUsed, FailComponent, IgnoreFailure or RedirectRow")
	return NotUsed
}

// columnType reads a data type from the attributes prefix+DataType,
// prefix+Length, ... (prefix "" or "cached"). present is false when no
// type is persisted.
func (r *reader) columnType(e *etree.Element, prefix, path string) (ct ColumnType, present bool) {
	a := func(n string) string {
		if prefix == "" {
			return n
		}
		return prefix + strings.ToUpper(n[:1]) + n[1:]
	}
	dt := e.SelectAttr(a("dataType"))
	if dt == nil {
		return ColumnType{}, false
	}
	ct.Persisted = dt.Value
	t, ok := ParseType(dt.Value)
	if !ok {
		r.add(dtsx.SeverityError, CodeUnknownDataType, path, e,
			fmt.Sprintf("column has the data type %q, which is not an Integration Services data type", dt.Value),
			"set the column's type in the designer's advanced editor to one of DT_I1 to DT_UI8, DT_R4, DT_R8, DT_CY, DT_NUMERIC, DT_DECIMAL, DT_BOOL, DT_GUID, DT_STR, DT_WSTR, DT_TEXT, DT_NTEXT, DT_IMAGE, DT_BYTES or the date and time types")
	}
	ct.Type = t
	ct.Length = r.intAttr(e, a("length"), 0, path)
	ct.Precision = r.intAttr(e, a("precision"), 0, path)
	ct.Scale = r.intAttr(e, a("scale"), 0, path)
	if e.SelectAttr(a("codePage")) == nil && prefix != "" {
		ct.CodePage = r.intAttr(e, prefix+"Codepage", 0, path) // format 8 writes cachedCodepage
	} else {
		ct.CodePage = r.intAttr(e, a("codePage"), 0, path)
	}
	return ct, true
}

func (r *reader) externals(e *etree.Element, parent string) ([]*ExternalColumn, bool) {
	xs := e.SelectElement("externalMetadataColumns")
	if xs == nil {
		return nil, false
	}
	var out []*ExternalColumn
	for _, xe := range xs.SelectElements("externalMetadataColumn") {
		name := xe.SelectAttrValue("name", "")
		x := &ExternalColumn{Element: xe, ID: key(xe), RefID: refPath(xe, parent, "ExternalColumns", name), Name: name,
			Properties: r.properties(xe)}
		x.ColumnType, _ = r.columnType(xe, "", x.RefID)
		if x.ID != "" {
			r.pl.externals[x.ID] = x
		}
		out = append(out, x)
	}
	return out, boolAttr(xs, "isUsed", false)
}

func (r *reader) component(e *etree.Element) *Component {
	name := e.SelectAttrValue("name", "")
	c := &Component{Element: e, ID: key(e), RefID: refPath(e, r.pl.RefID, `\`, name), Name: name,
		Description: e.SelectAttrValue("description", ""), ClassID: e.SelectAttrValue("componentClassID", ""),
		UsesDispositions: boolAttr(e, "usesDispositions", false), ValidateExternalMetadata: boolAttr(e, "validateExternalMetadata", true)}
	c.Version = r.intAttr(e, "version", 0, c.RefID)
	c.Properties = r.properties(e)
	if p := c.Property("UserComponentTypeName"); p != nil {
		c.UserComponentTypeName = strings.TrimSpace(p.Value)
	}
	c.Class, c.ThirdParty = LookupClass(c.ClassID, c.UserComponentTypeName)
	r.classDiagnostic(c)
	if cs := e.SelectElement("connections"); cs != nil {
		for _, ce := range cs.SelectElements("connection") {
			n := ce.SelectAttrValue("name", "")
			c.Connections = append(c.Connections, &Connection{Element: ce, ID: key(ce), RefID: refPath(ce, c.RefID, "Connections", n),
				Name: n, Description: ce.SelectAttrValue("description", ""),
				ConnectionManagerID:    ce.SelectAttrValue("connectionManagerID", ""),
				ConnectionManagerRefID: ce.SelectAttrValue("connectionManagerRefId", "")})
		}
	}
	if is := e.SelectElement("inputs"); is != nil {
		for _, ie := range is.SelectElements("input") {
			c.Inputs = append(c.Inputs, r.input(c, ie))
		}
	}
	if os := e.SelectElement("outputs"); os != nil {
		for _, oe := range os.SelectElements("output") {
			c.Outputs = append(c.Outputs, r.output(c, oe))
		}
	}
	return c
}

func (r *reader) classDiagnostic(c *Component) {
	what := c.ClassID
	if c.UserComponentTypeName != "" {
		what = dtsx.ShortType(c.UserComponentTypeName)
	}
	switch {
	case c.Class != nil && c.Class.Support == SupportScript:
		r.add(dtsx.SeverityWarning, CodeScriptComponent, c.RefID, c.Element,
			fmt.Sprintf("component %q is a Script Component, whose .NET code this runtime cannot run", c.Name),
			"replace it with Derived Column, Conditional Split or Data Conversion where the script only computes columns")
	case c.Class != nil:
	case c.ThirdParty:
		r.add(dtsx.SeverityWarning, CodeThirdPartyComp, c.RefID, c.Element,
			fmt.Sprintf("component %q is the third-party component %s, which does not ship with SSIS", c.Name, what),
			"replace it with a built-in component, or run the package where that component is installed")
	default:
		r.add(dtsx.SeverityWarning, CodeUnknownComponent, c.RefID, c.Element,
			fmt.Sprintf("component %q has the unknown class %q", c.Name, what),
			"check the componentClassID; a custom or third-party component cannot run here")
	}
}

func (r *reader) input(c *Component, e *etree.Element) *Input {
	name := e.SelectAttrValue("name", "")
	in := &Input{Element: e, Component: c, ID: key(e), RefID: refPath(e, c.RefID, "Inputs", name), Name: name,
		Description: e.SelectAttrValue("description", ""), HasSideEffects: boolAttr(e, "hasSideEffects", false)}
	in.Dispositions = r.dispositions(e, in.RefID)
	in.Properties = r.properties(e)
	index(r, r.pl.inputs, in.ID, in, in.RefID, e, "input")
	in.External, in.ExternalUsed = r.externals(e, in.RefID)
	if cs := e.SelectElement("inputColumns"); cs != nil {
		for _, ce := range cs.SelectElements("inputColumn") {
			n := ce.SelectAttrValue("cachedName", "")
			if n == "" {
				n = ce.SelectAttrValue("name", "")
			}
			col := &InputColumn{Element: ce, Input: in, ID: key(ce), Name: n, LineageID: ref(ce, "lineageId"),
				UsageType: ce.SelectAttrValue("usageType", "readOnly"), ExternalColumnID: ref(ce, "externalMetadataColumnId")}
			col.RefID = ce.SelectAttrValue("refId", "")
			if col.RefID == "" && n != "" {
				col.RefID = in.RefID + ".Columns[" + n + "]"
			}
			at := col.RefID // formats 2 and 3 name the column only once its lineage resolves
			if at == "" {
				at = in.RefID
			}
			col.Cached, _ = r.columnType(ce, "cached", at)
			col.Dispositions = r.dispositions(ce, at)
			col.Properties = r.properties(ce)
			if col.ID != "" {
				r.pl.inputCols[col.ID] = col
			}
			in.Columns = append(in.Columns, col)
		}
	}
	return in
}

func (r *reader) output(c *Component, e *etree.Element) *Output {
	name := e.SelectAttrValue("name", "")
	o := &Output{Element: e, Component: c, ID: key(e), RefID: refPath(e, c.RefID, "Outputs", name), Name: name,
		Description: e.SelectAttrValue("description", ""), IsErrorOut: boolAttr(e, "isErrorOut", false),
		SynchronousInputID: ref(e, "synchronousInputId"), IsSorted: boolAttr(e, "isSorted", false)}
	o.ExclusionGroup = r.intAttr(e, "exclusionGroup", 0, o.RefID)
	o.Dispositions = r.dispositions(e, o.RefID)
	o.Properties = r.properties(e)
	index(r, r.pl.outputs, o.ID, o, o.RefID, e, "output")
	o.External, o.ExternalUsed = r.externals(e, o.RefID)
	if cs := e.SelectElement("outputColumns"); cs != nil {
		for _, ce := range cs.SelectElements("outputColumn") {
			n := ce.SelectAttrValue("name", "")
			col := &OutputColumn{Element: ce, Output: o, ID: key(ce), RefID: refPath(ce, o.RefID, "Columns", n), Name: n,
				Description: ce.SelectAttrValue("description", ""), LineageID: ref(ce, "lineageId"),
				ExternalColumnID: ref(ce, "externalMetadataColumnId")}
			var ok bool
			if col.ColumnType, ok = r.columnType(ce, "", col.RefID); !ok {
				r.add(dtsx.SeverityError, CodeUnknownDataType, col.RefID, ce, fmt.Sprintf("output column %q has no dataType", n),
					"set the column's type in the designer's advanced editor")
			}
			col.SortKeyPosition = r.intAttr(ce, "sortKeyPosition", 0, col.RefID)
			col.ComparisonFlags = r.intAttr(ce, "comparisonFlags", 0, col.RefID)
			col.SpecialFlags = r.intAttr(ce, "specialFlags", 0, col.RefID)
			col.Dispositions = r.dispositions(ce, col.RefID)
			col.Properties = r.properties(ce)
			index(r, r.pl.lineage, col.LineageID, col, col.RefID, ce, "lineage ID")
			o.Columns = append(o.Columns, col)
		}
	}
	return o
}

// index records v under k in m; a second object with the same key is
// reported, and the first one kept.
func index[T any](r *reader, m map[string]T, k string, v T, path string, e *etree.Element, what string) {
	if k == "" {
		return
	}
	if _, ok := m[k]; ok {
		r.add(dtsx.SeverityError, CodeDuplicateKey, path, e, fmt.Sprintf("a second %s has the key %q", what, k),
			"give each object its own id; the designer renumbers them when the data flow is opened and saved")
		return
	}
	m[k] = v
}

func (r *reader) path(e *etree.Element) *Path {
	name := e.SelectAttrValue("name", "")
	p := &Path{Element: e, ID: key(e), RefID: refPath(e, r.pl.RefID, "Paths", name), Name: name,
		StartID: ref(e, "startId"), EndID: ref(e, "endId")}
	return p
}

// resolve links references once every element is read: paths to their
// outputs and inputs, input columns to their upstream columns, outputs to
// their synchronous inputs, columns to their external metadata columns.
func (r *reader) resolve() {
	pl := r.pl
	for _, p := range pl.Paths {
		p.Start, p.End = pl.outputs[p.StartID], pl.inputs[p.EndID]
		if p.Start == nil {
			r.add(dtsx.SeverityError, CodeDanglingPath, p.RefID, p.Element,
				fmt.Sprintf("path %q starts at %q, which is no output of this data flow", p.Name, p.StartID),
				"reconnect the path in the designer, or delete it")
		}
		if p.End == nil {
			r.add(dtsx.SeverityError, CodeDanglingPath, p.RefID, p.Element,
				fmt.Sprintf("path %q ends at %q, which is no input of this data flow", p.Name, p.EndID),
				"reconnect the path in the designer, or delete it")
		}
	}
	for _, c := range pl.Components {
		for _, o := range c.Outputs {
			if o.SynchronousInputID != "" {
				o.SynchronousInput = pl.inputs[o.SynchronousInputID]
				if o.SynchronousInput == nil || o.SynchronousInput.Component != c {
					r.add(dtsx.SeverityError, CodeDanglingReference, o.RefID, o.Element,
						fmt.Sprintf("output %q is synchronous with %q, which is no input of component %q", o.Name, o.SynchronousInputID, c.Name),
						"set synchronousInputId to one of the component's inputs, or to 0 for an asynchronous output")
					o.SynchronousInput = nil
				}
			}
			for _, col := range o.Columns {
				col.External = r.external(col.ExternalColumnID, col.RefID, col.Element)
				r.expressionRefs(col.Properties, col.RefID)
			}
			r.expressionRefs(o.Properties, o.RefID)
		}
		for _, in := range c.Inputs {
			for _, col := range in.Columns {
				if col.LineageID != "" {
					col.Upstream = pl.lineage[col.LineageID]
				}
				if col.Upstream == nil {
					at, what := col.RefID, fmt.Sprintf("input column %q", col.Name)
					if at == "" { // a nameless column of format 2 or 3: the input, and the column's id
						at, what = in.RefID, "input column id "+col.ID
					}
					r.add(dtsx.SeverityError, CodeDanglingLineage, at, col.Element,
						fmt.Sprintf("%s reads the lineage ID %q, which no output column of this data flow has", what, col.LineageID),
						"remove the column from the input, or map it again in the designer")
				} else {
					if col.Name == "" {
						col.Name = col.Upstream.Name
					}
					if col.RefID == "" {
						col.RefID = in.RefID + ".Columns[" + col.Name + "]"
					}
				}
				col.External = r.external(col.ExternalColumnID, col.RefID, col.Element)
				r.expressionRefs(col.Properties, col.RefID)
			}
			r.expressionRefs(in.Properties, in.RefID)
		}
		r.expressionRefs(c.Properties, c.RefID)
	}
}

func (r *reader) external(id, path string, e *etree.Element) *ExternalColumn {
	if id == "" {
		return nil
	}
	x := r.pl.externals[id]
	if x == nil {
		r.add(dtsx.SeverityWarning, CodeDanglingReference, path, e,
			fmt.Sprintf("column maps to the external metadata column %q, which is not there", id),
			"refresh the component's metadata in the designer")
	}
	return x
}

// expressionRefs checks the column references of properties that contain
// IDs: lineage IDs of output columns (expressions, parameter maps) or the
// keys of input columns (Merge Join's InputColumnID).
func (r *reader) expressionRefs(ps []*Property, path string) {
	for _, p := range ps {
		for _, id := range p.LineageRefs() {
			if r.pl.lineage[id] == nil && r.pl.inputCols[id] == nil {
				r.add(dtsx.SeverityError, CodeDanglingLineage, path, p.Element,
					fmt.Sprintf("property %s names the column %q, which is no column of this data flow", p.Name, id),
					"edit the expression in the designer so that it names an upstream column")
			}
		}
	}
}
