package dftask

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dbflow"
)

// lazyConnection resolves a component's database connection manager when
// the flow first acquires a session (validating, the build has no run to
// resolve it in), and acquires with the manager's run options.
type lazyConnection struct {
	b *Build
	c *pipeline.Component
}

// Acquire resolves the manager and acquires a session with m.Run; opts
// are ignored (the run's own options apply).
func (l lazyConnection) Acquire(ctx context.Context, _ database.Options) (*database.Session, error) {
	m, err := dbManager(l.b, l.c)
	if err != nil {
		return nil, err
	}
	return m.Acquire(ctx, m.Run)
}

// dbManager returns the component's first connection as a database
// connection manager.
func dbManager(b *Build, c *pipeline.Component) (*database.Manager, error) {
	cm, err := b.Connection(c, 0)
	if err != nil {
		return nil, err
	}
	if cm == nil {
		return nil, fmt.Errorf("component %q (%s): the flow is not running, so its connection cannot be opened", c.Name, c.RefID)
	}
	m, ok := cm.(*database.Manager)
	if !ok {
		return nil, fmt.Errorf("component %q (%s): connection manager %q is of type %s, not a database connection (OLEDB, ADO.NET or ODBC)",
			c.Name, c.RefID, cm.Definition().Name, cm.Definition().CreationName)
	}
	return m, nil
}

// runVariables reads the variables a component's properties name from the
// task's run.
type runVariables struct{ b *Build }

// Variable returns the variable's value as a Go value.
func (v runVariables) Variable(_ context.Context, name string) (any, error) {
	if v.b.Env == nil {
		return nil, fmt.Errorf("variable %s: the flow is not running", name)
	}
	x, err := v.b.Env.Variable(name)
	if err != nil && strings.HasPrefix(name, "{") {
		return nil, fmt.Errorf("the variable with DTSID %s is not a variable or parameter of the package (a project parameter or a system variable is not looked up by DTSID yet): map the parameter to a package variable: %w", name, err)
	}
	if err != nil {
		return nil, err
	}
	return x.Go(), nil
}

// intProperty reads a whole-number custom property; def when it is absent
// or empty.
func intProperty(c *pipeline.Component, name string, def int) (int, error) {
	p := c.Property(name)
	if p == nil || strings.TrimSpace(p.Value) == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(p.Value))
	if err != nil {
		return 0, fmt.Errorf("property %s is %q, want a whole number", name, p.Value)
	}
	return n, nil
}

func boolProperty(c *pipeline.Component, name string) bool {
	p := c.Property(name)
	return p != nil && strings.EqualFold(strings.TrimSpace(p.Value), "true")
}

func stringProperty(c *pipeline.Component, name string) string {
	if p := c.Property(name); p != nil {
		return p.Value
	}
	return ""
}

// parameterMapping parses an OLE DB Source's ParameterMapping ("OLE DB
// Source": Set Query Parameters): entries "Name:Input",{variable DTSID};
// where Name is Parameter0, 0 or a named parameter (@Cutoff, taken in the
// order of the entries). The variable is a DTSID of a variable of the
// package, or a qualified name.
func parameterMapping(c *pipeline.Component) ([]dbflow.Parameter, error) {
	s := strings.TrimSpace(stringProperty(c, "ParameterMapping"))
	if s == "" {
		return nil, nil
	}
	var out []dbflow.Parameter
	for _, entry := range strings.Split(s, ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		name, ref, ok := strings.Cut(entry, ",")
		if !ok {
			return nil, fmt.Errorf("ParameterMapping entry %q: want \"Parameter0:Input\",{variable}", entry)
		}
		name = strings.Trim(strings.TrimSpace(name), `"`)
		name, _, _ = strings.Cut(name, ":")
		ordinal := len(out)
		if n, err := strconv.Atoi(strings.TrimPrefix(name, "Parameter")); err == nil {
			ordinal = n
		}
		out = append(out, dbflow.Parameter{Ordinal: ordinal, Variable: variableName(c, strings.TrimSpace(ref))})
	}
	return out, nil
}

// variableName turns a variable reference of a ParameterMapping into a
// qualified name: a DTSID ({GUID}) is looked up among the variables and
// package parameters of the document holding the component. A DTSID not
// found there (a project parameter's, a system variable's) is kept, and
// asked of the run as it is when the flow runs.
func variableName(c *pipeline.Component, ref string) string {
	if !strings.HasPrefix(ref, "{") || c.Element == nil {
		return ref
	}
	id := strings.ToUpper(strings.Trim(ref, "{}"))
	var root *etree.Element
	for e := c.Element; e != nil; e = e.Parent() {
		root = e
	}
	for _, v := range root.FindElements("//Variable") {
		if strings.ToUpper(strings.Trim(v.SelectAttrValue("DTS:DTSID", ""), "{}")) == id {
			return v.SelectAttrValue("DTS:Namespace", "User") + "::" + v.SelectAttrValue("DTS:ObjectName", "")
		}
	}
	for _, v := range root.FindElements("//PackageParameter") {
		if strings.ToUpper(strings.Trim(v.SelectAttrValue("DTS:DTSID", ""), "{}")) == id {
			return "$Package::" + v.SelectAttrValue("DTS:ObjectName", "")
		}
	}
	return ref
}

// sourceColumns maps a source's main output to engine columns and the
// names of the external columns they read.
func sourceColumns(b *Build, c *pipeline.Component) ([]dataflow.Output, []dataflow.Column, []string, error) {
	outs, err := b.Outputs(c, true)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(c.Outputs) == 0 || c.Outputs[0].IsErrorOut {
		return nil, nil, nil, fmt.Errorf("its first output is not its rows' output: save the package again in the designer")
	}
	var ext []string
	for _, oc := range c.Outputs[0].Columns {
		name := oc.Name
		if oc.External != nil {
			name = oc.External.Name
		}
		ext = append(ext, name)
	}
	return outs, outs[0].Columns, ext, nil
}

// dbSource is the OLE DB Source or ADO NET Source with its outputs as
// persisted (the error output included).
type dbSource struct {
	*dbflow.Source
	outs []dataflow.Output
}

func (s *dbSource) Outputs() []dataflow.Output { return s.outs }

// newOLEDBSource maps the OLE DB Source's custom properties ("OLE DB
// Custom Properties", integration-services/data-flow/ole-db-custom-properties:
// AccessMode, OpenRowset, OpenRowsetVariable, SqlCommand,
// SqlCommandVariable, ParameterMapping, CommandTimeout).
func newOLEDBSource(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	outs, cols, ext, err := sourceColumns(b, c)
	if err != nil {
		return nil, err
	}
	s := &dbflow.Source{Label: c.Name, Connection: lazyConnection{b, c}, Columns: cols, ExternalColumns: ext,
		OpenRowset: stringProperty(c, "OpenRowset"), OpenRowsetVariable: stringProperty(c, "OpenRowsetVariable"),
		SqlCommand: stringProperty(c, "SqlCommand"), SqlCommandVariable: stringProperty(c, "SqlCommandVariable"),
		Vars: runVariables{b}}
	if s.AccessMode, err = intProperty(c, "AccessMode", dbflow.AccessOpenRowset); err != nil {
		return nil, err
	}
	if s.AccessMode < dbflow.AccessOpenRowset || s.AccessMode > dbflow.AccessSqlCommandVariable {
		return nil, fmt.Errorf("AccessMode %d is not one of 0 (table or view), 1 (table name variable), 2 (SQL command), 3 (SQL command variable)", s.AccessMode)
	}
	if s.CommandTimeout, err = intProperty(c, "CommandTimeout", 0); err != nil {
		return nil, err
	}
	if s.ParameterMapping, err = parameterMapping(c); err != nil {
		return nil, err
	}
	if _, err := b.Connection(c, 0); err != nil {
		return nil, err
	}
	return &dbSource{Source: s, outs: outs}, nil
}

// newADONETSource maps the ADO NET Source's custom properties ("ADO NET
// Custom Properties", integration-services/data-flow/ado-net-custom-properties:
// SqlCommand, CommandTimeout; and as persisted, AccessMode 0 with
// TableOrViewName or 2 with SqlCommand).
func newADONETSource(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	outs, cols, ext, err := sourceColumns(b, c)
	if err != nil {
		return nil, err
	}
	s := &dbflow.Source{Label: c.Name, Connection: lazyConnection{b, c}, Columns: cols, ExternalColumns: ext,
		OpenRowset: stringProperty(c, "TableOrViewName"), SqlCommand: stringProperty(c, "SqlCommand"), Vars: runVariables{b}}
	if s.AccessMode, err = intProperty(c, "AccessMode", dbflow.AccessOpenRowset); err != nil {
		return nil, err
	}
	if s.AccessMode != dbflow.AccessOpenRowset && s.AccessMode != dbflow.AccessSqlCommand {
		return nil, fmt.Errorf("AccessMode %d is not one of 0 (table or view) and 2 (SQL command)", s.AccessMode)
	}
	if s.CommandTimeout, err = intProperty(c, "CommandTimeout", 30); err != nil {
		return nil, err
	}
	if _, err := b.Connection(c, 0); err != nil {
		return nil, err
	}
	return &dbSource{Source: s, outs: outs}, nil
}

// dbDestination is the OLE DB Destination or ADO NET Destination with its
// error output as persisted. Written (the rows the database accepted) is
// what the flow reports as the rows it wrote.
type dbDestination struct {
	*dbflow.Destination
	outs []dataflow.Output
}

func (d *dbDestination) Outputs() []dataflow.Output { return d.outs }

// closer closes a destination when the flow ends.
type closer func() error

func (f closer) Close() error { return f() }

// syncOutputs maps the outputs of a component with one input and
// synchronous outputs, and returns the input.
func syncOutputs(b *Build, c *pipeline.Component) ([]dataflow.Output, *pipeline.Input, error) {
	outs, err := b.Outputs(c, false)
	if err != nil {
		return nil, nil, err
	}
	if len(c.Inputs) != 1 {
		return nil, nil, fmt.Errorf("it has %d inputs, want 1", len(c.Inputs))
	}
	return outs, c.Inputs[0], nil
}

// destination maps what both destinations share: the input's columns
// mapped to external columns, the error output, and Close when the flow
// ends.
func destination(b *Build, c *pipeline.Component, d *dbflow.Destination) (dataflow.Component, error) {
	outs, in, err := syncOutputs(b, c)
	if err != nil {
		return nil, err
	}
	for _, ic := range in.Columns {
		if ic.External == nil {
			return nil, fmt.Errorf("input column %q (%s) is mapped to no destination column: map it on the Mappings page or remove it", ic.Name, ic.RefID)
		}
		d.Columns = append(d.Columns, dbflow.Mapping{LineageID: b.Lineage(ic.LineageID), Column: ic.External.Name})
	}
	d.ErrorRowDisposition = in.ErrorRowDisposition
	d.Connection = lazyConnection{b, c}
	d.Vars = runVariables{b}
	if _, err := b.Connection(c, 0); err != nil {
		return nil, err
	}
	b.OnClose(closer(d.Close))
	return &dbDestination{Destination: d, outs: outs}, nil
}

// newOLEDBDestination maps the OLE DB Destination's custom properties
// ("OLE DB Custom Properties": AccessMode, OpenRowset, OpenRowsetVariable,
// FastLoadOptions, FastLoadMaxInsertCommitSize, FastLoadKeepIdentity,
// FastLoadKeepNulls, CommandTimeout). With AccessMode 2 the rows are
// inserted into the table SqlCommand, a SELECT, reads ("OLE DB Destination":
// SQL command).
func newOLEDBDestination(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	d := &dbflow.Destination{Label: c.Name, OpenRowset: stringProperty(c, "OpenRowset"), SqlCommand: stringProperty(c, "SqlCommand"),
		OpenRowsetVariable: stringProperty(c, "OpenRowsetVariable"), FastLoadOptions: stringProperty(c, "FastLoadOptions"),
		FastLoadKeepIdentity: boolProperty(c, "FastLoadKeepIdentity"), FastLoadKeepNulls: boolProperty(c, "FastLoadKeepNulls")}
	var err error
	if d.AccessMode, err = intProperty(c, "AccessMode", dbflow.AccessOpenRowset); err != nil {
		return nil, err
	}
	if d.FastLoadMaxInsertCommitSize, err = intProperty(c, "FastLoadMaxInsertCommitSize", 0); err != nil {
		return nil, err
	}
	if d.CommandTimeout, err = intProperty(c, "CommandTimeout", 0); err != nil {
		return nil, err
	}
	dc, err := destination(b, c, d)
	if err != nil {
		return nil, err
	}
	if err := d.Check(); err != nil {
		return nil, err
	}
	return dc, nil
}

// newADONETDestination maps the ADO NET Destination's custom properties
// ("ADO NET Custom Properties": TableOrViewName, BatchSize, CommandTimeout,
// UseBulkInsertWhenPossible, which makes it load in bulk).
func newADONETDestination(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	d := &dbflow.Destination{Label: c.Name, OpenRowset: stringProperty(c, "TableOrViewName")}
	if boolProperty(c, "UseBulkInsertWhenPossible") {
		d.AccessMode = dbflow.AccessOpenRowsetFastLoad
	}
	var err error
	if d.FastLoadMaxInsertCommitSize, err = intProperty(c, "BatchSize", 0); err != nil {
		return nil, err
	}
	if d.CommandTimeout, err = intProperty(c, "CommandTimeout", 30); err != nil {
		return nil, err
	}
	return destination(b, c, d)
}

var (
	_ dataflow.Source    = (*dbSource)(nil)
	_ dataflow.Transform = (*dbDestination)(nil)
)
