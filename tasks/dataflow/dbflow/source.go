package dbflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// Parameter is one entry of a source's ParameterMapping: the variable whose
// value binds the Ordinal-th ? marker of the SQL command ("OLE DB Source":
// the Set Query Parameters dialog maps Parameter0, Parameter1, … to
// variables).
type Parameter struct {
	Ordinal  int
	Variable string
}

// Source is the OLE DB Source and the ADO NET Source ("OLE DB Source",
// "ADO NET Source"): it runs a SELECT of a table or view, or a SQL command,
// and streams the result set into its output, one buffer at a time.
// The ADO NET Source's TableOrViewName is OpenRowset; it has no
// parameters (its command is set by a property expression).
type Source struct {
	Label string
	// Connection is the connection manager the source reads through, and
	// ConnectOptions what it is acquired with.
	Connection     Connection
	ConnectOptions database.Options
	// AccessMode says where the rows come from: AccessOpenRowset (the table
	// or view OpenRowset), AccessOpenRowsetVariable (the table or view named
	// by the variable OpenRowsetVariable), AccessSqlCommand (SqlCommand) or
	// AccessSqlCommandVariable (the command in the variable
	// SqlCommandVariable).
	AccessMode         int
	OpenRowset         string
	OpenRowsetVariable string
	SqlCommand         string
	SqlCommandVariable string
	// ParameterMapping binds the ? markers of a SQL command to variables.
	ParameterMapping []Parameter
	// CommandTimeout is the number of seconds the command may take to
	// return its first row; 0 is no limit.
	CommandTimeout int
	// Columns are the output columns; ExternalColumns, when set, are the
	// names of the result columns they read, by position (by default each
	// output column reads the result column of its own name; names match
	// case-insensitively).
	Columns         []dataflow.Column
	ExternalColumns []string
	// Vars are the variables the properties name.
	Vars Variables
}

// Name returns the component's name.
func (s *Source) Name() string { return s.Label }

// Outputs returns the one output, named as SSIS names it.
func (s *Source) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: s.Label + " Output", Columns: s.Columns}}
}

// command returns the statement the access mode runs, with its parameter
// markers rewritten for fam, and its arguments.
func (s *Source) command(ctx context.Context, fam database.Family) (string, []any, error) {
	var table string
	switch s.AccessMode {
	case AccessOpenRowset:
		table = s.OpenRowset
		if strings.TrimSpace(table) == "" {
			return "", nil, fmt.Errorf("%w: OpenRowset is empty (name the table or view to read)", ErrConfig)
		}
	case AccessOpenRowsetVariable:
		v, err := stringVariable(ctx, s.Vars, "OpenRowsetVariable", s.OpenRowsetVariable)
		if err != nil {
			return "", nil, err
		}
		table = v
	case AccessSqlCommand, AccessSqlCommandVariable:
		cmd := s.SqlCommand
		if s.AccessMode == AccessSqlCommandVariable {
			v, err := stringVariable(ctx, s.Vars, "SqlCommandVariable", s.SqlCommandVariable)
			if err != nil {
				return "", nil, err
			}
			cmd = v
		}
		if strings.TrimSpace(cmd) == "" {
			return "", nil, fmt.Errorf("%w: SqlCommand is empty (write the SELECT to run)", ErrConfig)
		}
		sqlText, markers := executesql.Rewrite(cmd, fam, false, nil)
		args := make([]any, len(markers))
		for i, m := range markers {
			p := s.parameter(m.Ordinal)
			if p == nil {
				return "", nil, fmt.Errorf("%w: the command has a parameter marker %d and ParameterMapping maps no variable to Parameter%d", ErrConfig, m.Ordinal+1, m.Ordinal)
			}
			if s.Vars == nil {
				return "", nil, fmt.Errorf("%w: ParameterMapping names %s and the component has no variables to read it from", ErrConfig, p.Variable)
			}
			v, err := s.Vars.Variable(ctx, p.Variable)
			if err != nil {
				return "", nil, fmt.Errorf("ParameterMapping Parameter%d %s: %w", p.Ordinal, p.Variable, err)
			}
			args[i] = v
		}
		return sqlText, args, nil
	default:
		return "", nil, fmt.Errorf("%w: AccessMode %d is not one of 0 (table or view), 1 (table name variable), 2 (SQL command), 3 (SQL command variable)", ErrConfig, s.AccessMode)
	}
	_, q, err := objectName(fam, table)
	if err != nil {
		return "", nil, fmt.Errorf("table or view %q: %w", table, err)
	}
	return "SELECT * FROM " + q, nil, nil
}

func (s *Source) parameter(ordinal int) *Parameter {
	for i := range s.ParameterMapping {
		if s.ParameterMapping[i].Ordinal == ordinal {
			return &s.ParameterMapping[i]
		}
	}
	return nil
}

// match finds, for each output column, the result column it reads.
func (s *Source) match(names []string) ([]int, error) {
	if len(s.ExternalColumns) != 0 && len(s.ExternalColumns) != len(s.Columns) {
		return nil, fmt.Errorf("%w: %d external columns for %d output columns", ErrConfig, len(s.ExternalColumns), len(s.Columns))
	}
	idx := make([]int, len(s.Columns))
	for i, c := range s.Columns {
		want := c.Name
		if len(s.ExternalColumns) != 0 {
			want = s.ExternalColumns[i]
		}
		idx[i] = slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, want) })
		if idx[i] < 0 {
			return nil, fmt.Errorf("%w: output column %q reads the column %q, which the command does not return (it returns %s); refresh the component's columns", ErrConfig, c.Name, want, strings.Join(names, ", "))
		}
	}
	return idx, nil
}

// Produce runs the command and sends its rows, holding no more than the
// buffer being filled.
func (s *Source) Produce(ctx context.Context, out *dataflow.Emitter) error {
	if s.Connection == nil {
		return fmt.Errorf("%w: the source has no connection manager", ErrConfig)
	}
	sess, err := s.Connection.Acquire(ctx, s.ConnectOptions)
	if err != nil {
		return err
	}
	defer sess.Release()
	query, args, err := s.command(ctx, sess.Config.Provider.Family)
	if err != nil {
		return err
	}
	// CommandTimeout limits the command until its first row, not the
	// reading of the rows after.
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var timer *time.Timer
	if s.CommandTimeout > 0 {
		timer = time.AfterFunc(time.Duration(s.CommandTimeout)*time.Second, cancel)
	}
	rows, err := sess.Conn.QueryContext(qctx, query, args...)
	if err != nil {
		if timer != nil && !timer.Stop() {
			return fmt.Errorf("the command did not return within CommandTimeout (%d s): %w", s.CommandTimeout, err)
		}
		return fmt.Errorf("the command failed: %w", err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	idx, err := s.match(names)
	if err != nil {
		return err
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	b := out.NewBuffer(0)
	cols := out.Layout(0).Columns
	n := 0
	for rows.Next() {
		if timer != nil {
			timer.Stop()
			timer = nil
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("row %d: %w", n+1, err)
		}
		r := b.AddRow()
		for i, j := range idx {
			if err := setCell(b, i, r, cols[i], vals[j]); err != nil {
				return fmt.Errorf("row %d, output column %q: %w", n+1, cols[i].Name, err)
			}
		}
		n++
		if b.Full() {
			if err := out.Send(ctx, 0, b); err != nil {
				return err
			}
			b = out.NewBuffer(0)
		}
	}
	if err := rows.Err(); err != nil {
		if cerr := context.Cause(ctx); cerr != nil {
			return cerr
		}
		return fmt.Errorf("reading row %d: %w", n+1, err)
	}
	return out.Send(ctx, 0, b)
}

var _ dataflow.Source = (*Source)(nil)
