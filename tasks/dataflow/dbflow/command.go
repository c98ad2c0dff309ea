package dbflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// Command is the OLE DB Command ("OLE DB Command Transformation"): it runs
// its SqlCommand once for each row of its input, the ? markers bound to
// the input columns mapped to the external columns Param_0, Param_1, …,
// and sends the row on to its output. The statement is prepared once, on
// the first buffer, on a session held until Close. A row the database
// refuses follows the input's ErrorRowDisposition: to the error output
// with ErrorCode CodeOLEDBError and ErrorColumn 0 (the error is the
// statement's, not a column's), on to the output (ignore: "Error Handling
// in Data", the row is directed to the output of the transformation), or
// the component fails.
type Command struct {
	Label          string
	Connection     Connection
	ConnectOptions database.Options
	SqlCommand     string
	// Params are the lineage IDs of the input columns bound to the
	// markers: Params[i] to the i-th ? (Param_i); 0 is a marker no input
	// column is mapped to.
	Params []int
	// CommandTimeout is the number of seconds each statement may take; 0
	// is no limit.
	CommandTimeout      int
	ErrorRowDisposition dataflow.Disposition
	// Main is the index of the output the rows go on to (0 unless the
	// outputs are persisted in another order).
	Main int

	cols  []int
	kinds []dataflow.Kind
	sess  *database.Session
	stmt  *sql.Stmt
	args  []any
	done  int64
}

// Name returns the component's name.
func (c *Command) Name() string { return c.Label }

// Outputs returns the output and the error output, named as SSIS names
// them.
func (c *Command) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "OLE DB Command Output"}, {Name: "OLE DB Command Error Output", Error: true}}
}

// Prepare resolves the parameters' columns and checks the configuration.
func (c *Command) Prepare(l *dataflow.Layout) error {
	if strings.TrimSpace(c.SqlCommand) == "" {
		return fmt.Errorf("%w: SqlCommand is empty (write the statement to run for each row)", ErrConfig)
	}
	if c.Connection == nil {
		return fmt.Errorf("%w: the OLE DB Command has no connection manager", ErrConfig)
	}
	c.cols, c.kinds = make([]int, len(c.Params)), make([]dataflow.Kind, len(c.Params))
	for i, id := range c.Params {
		if id == 0 {
			c.cols[i] = -1
			continue
		}
		j, err := l.Index(id)
		if err != nil {
			return fmt.Errorf("parameter Param_%d: %w", i, err)
		}
		c.cols[i], c.kinds[i] = j, l.Columns[j].Kind
	}
	c.done = 0
	return nil
}

// open acquires the session and prepares the statement, on the first
// buffer.
func (c *Command) open(ctx context.Context) error {
	if c.sess != nil {
		return nil
	}
	sess, err := c.Connection.Acquire(ctx, c.ConnectOptions)
	if err != nil {
		return err
	}
	c.sess = sess
	text, markers := executesql.Rewrite(c.SqlCommand, sess.Config.Provider.Family, false, nil)
	if len(markers) > len(c.Params) {
		return fmt.Errorf("%w: SqlCommand has %d parameter markers and %d input columns are mapped to parameters (map an input column to Param_%d on the Column Mappings page)",
			ErrConfig, len(markers), len(c.Params), len(c.Params))
	}
	for i := range markers {
		if c.cols[i] < 0 {
			return fmt.Errorf("%w: no input column is mapped to Param_%d, the parameter of marker %d of SqlCommand (map one on the Column Mappings page)", ErrConfig, i, i+1)
		}
	}
	c.args = make([]any, len(markers))
	if c.stmt, err = sess.Conn.PrepareContext(ctx, text); err != nil {
		return fmt.Errorf("preparing SqlCommand: %w", err)
	}
	return nil
}

// Process runs the statement for each row.
func (c *Command) Process(ctx context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	if err := c.open(ctx); err != nil {
		return err
	}
	for _, row := range rows {
		for i := range c.args {
			c.args[i] = cellValue(b, c.cols[i], row, c.kinds[i])
		}
		sctx, cancel := timeout(ctx, c.CommandTimeout)
		_, err := c.stmt.ExecContext(sctx, c.args...)
		cancel()
		if err == nil {
			c.done++
			r.Send(c.Main, row)
			continue
		}
		if cerr := context.Cause(ctx); cerr != nil {
			return cerr
		}
		handled, rerr := r.RowError(row, c.ErrorRowDisposition, CodeOLEDBError, 0, err)
		if rerr != nil {
			return rerr
		}
		if !handled {
			r.Send(c.Main, row)
		}
	}
	return nil
}

// Executed returns the number of rows the statement ran for without an
// error.
func (c *Command) Executed() int64 { return c.done }

// Close ends the statement and the session.
func (c *Command) Close() error {
	if c.sess == nil {
		return nil
	}
	var err error
	if c.stmt != nil {
		err = c.stmt.Close()
		c.stmt = nil
	}
	err = errors.Join(err, c.sess.Release())
	c.sess = nil
	return err
}

var _ dataflow.Transform = (*Command)(nil)
