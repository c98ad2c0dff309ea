package dftask

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dbflow"
)

// CodeExternalMetadata is the diagnostic of a database source or
// destination whose external columns do not match the table, view or
// command they name, or that could not be described.
const CodeExternalMetadata = "data-flow-external-metadata"

// Opener opens a session of a database connection manager to describe
// tables and commands with: the caller decides how (read-only where the
// database allows, within its fence and timeout). done releases the
// session and what the opener made for it.
type Opener func(ctx context.Context, m *database.Manager) (s *database.Session, done func(), err error)

// metadataTarget is what a component's external columns describe: a table
// or view, or a command, and those columns.
type metadataTarget struct {
	table, command string
	external       []*pipeline.ExternalColumn
	what           string // "output" or "input", for the messages
}

// target returns what a database component's external columns describe;
// false for a component that names none this check reads (a variable's
// table or command, which validation does not read).
func target(c *pipeline.Component) (metadataTarget, bool) {
	mode, err := intProperty(c, "AccessMode", dbflow.AccessOpenRowset)
	if err != nil {
		return metadataTarget{}, false
	}
	var t metadataTarget
	switch c.ClassName() {
	case "Microsoft.OLEDBSource", "Microsoft.DataReaderSourceAdapter":
		for _, o := range c.Outputs {
			if !o.IsErrorOut {
				t.external, t.what = o.External, "output"
				break
			}
		}
		table := stringProperty(c, "OpenRowset")
		if c.ClassName() == "Microsoft.DataReaderSourceAdapter" {
			table = stringProperty(c, "TableOrViewName")
		}
		switch mode {
		case dbflow.AccessOpenRowset:
			t.table = table
		case dbflow.AccessSqlCommand:
			t.command = stringProperty(c, "SqlCommand")
		default:
			return t, false
		}
	case "Microsoft.OLEDBDestination", "Microsoft.ADONETDestination":
		if len(c.Inputs) != 1 {
			return t, false
		}
		t.external, t.what = c.Inputs[0].External, "input"
		switch {
		case c.ClassName() == "Microsoft.ADONETDestination":
			t.table = stringProperty(c, "TableOrViewName")
		case mode == dbflow.AccessOpenRowset || mode == dbflow.AccessOpenRowsetFastLoad:
			t.table = stringProperty(c, "OpenRowset")
		case mode == dbflow.AccessSqlCommand:
			t.command = stringProperty(c, "SqlCommand")
		default:
			return t, false
		}
	default:
		return t, false
	}
	if strings.TrimSpace(t.table) == "" && strings.TrimSpace(t.command) == "" || len(t.external) == 0 {
		return t, false
	}
	return t, true
}

// CheckExternalMetadata checks, for each OLE DB and ADO NET source and
// destination with ValidateExternalMetadata true (the default), that the
// table, view or SELECT command it names has each of its external columns,
// with a type that converts ("Integration Services Data Flow Components":
// ValidateExternalMetadata; a component set to False is not checked). It
// describes them through sessions of open, which validation alone may
// call: SELECT * FROM table WHERE 1=0, a SELECT wrapped the same way; it
// reads no row, changes no data and runs no task. A session that cannot be
// opened is left to the caller's report of the connection.
func (t *Task) CheckExternalMetadata(ctx context.Context, env tasks.Env, open Opener) dtsx.Diagnostics {
	b := newBuild(t.Pipeline, nil, env)
	type conn struct {
		s   *database.Session
		err error
	}
	sessions := map[*database.Manager]conn{}
	var dones []func()
	defer func() {
		for _, d := range dones {
			d()
		}
	}()
	var out dtsx.Diagnostics
	diag := func(c *pipeline.Component, sev dtsx.Severity, msg, hint string) {
		out = append(out, dtsx.Diagnostic{Severity: sev, Code: CodeExternalMetadata, Path: c.RefID,
			Message: fmt.Sprintf("Data Flow task %q: component %q: %s", t.Def.Name, c.Name, msg), Hint: hint})
	}
	for _, c := range t.Pipeline.Components {
		if !c.ValidateExternalMetadata {
			continue
		}
		tg, ok := target(c)
		if !ok {
			continue
		}
		cm, err := b.Definition(c, 0)
		m, isDB := cm.(*database.Manager)
		if err != nil || !isDB {
			continue // the build's validation reports it
		}
		cn, seen := sessions[m]
		if !seen {
			s, done, err := open(ctx, m)
			if done != nil {
				dones = append(dones, done)
			}
			cn = conn{s, err}
			sessions[m] = cn
		}
		if cn.err != nil {
			continue
		}
		var cols []dbflow.ResultColumn
		object := ""
		if tg.table != "" {
			object = "table or view " + tg.table
			cols, err = dbflow.DescribeTable(ctx, cn.s, tg.table)
		} else {
			object = "SqlCommand"
			cols, err = dbflow.DescribeCommand(ctx, cn.s, tg.command)
		}
		switch {
		case errors.Is(err, dbflow.ErrNotDescribed):
			diag(c, dtsx.SeverityInfo, fmt.Sprintf("its SqlCommand is not checked against the external columns (%v)", err),
				"set ValidateExternalMetadata to False to say it is not to be checked")
			continue
		case err != nil:
			diag(c, dtsx.SeverityError, fmt.Sprintf("%s cannot be described on connection %q: %v", object, m.Def.Name, err),
				"create the table or view, fix the name or the command, or set ValidateExternalMetadata to False if it is created by an earlier task of the run")
			continue
		}
		byName := map[string]dbflow.ResultColumn{}
		var names []string
		for _, rc := range cols {
			byName[strings.ToUpper(rc.Name)] = rc
			names = append(names, rc.Name)
		}
		for _, ec := range tg.external {
			rc, ok := byName[strings.ToUpper(ec.Name)]
			if !ok {
				diag(c, dtsx.SeverityError, fmt.Sprintf("external column %q of its %s is not a column of %s (it has %s)", ec.Name, tg.what, object, strings.Join(names, ", ")),
					"refresh the component's columns in its editor (the external metadata is out of date), or set ValidateExternalMetadata to False")
				continue
			}
			if k := kindOf(ec.Type); !dbflow.Converts(k, rc.Type) {
				diag(c, dtsx.SeverityError, fmt.Sprintf("external column %q of its %s is %s and the column of %s is %s, which does not convert", ec.Name, tg.what, ec.ColumnType, object, rc.Type),
					"refresh the component's columns in its editor, or change the column's type")
			}
		}
	}
	return out
}

// CheckExternalMetadata checks the components' external metadata as
// Task.CheckExternalMetadata does.
func (b *Blocked) CheckExternalMetadata(ctx context.Context, env tasks.Env, open Opener) dtsx.Diagnostics {
	return b.t.CheckExternalMetadata(ctx, env, open)
}
