package dbflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// CodeOLEDBError is the ErrorCode of a row the database refused:
// DTS_E_OLEDBERROR (0xC0202009), "An OLE DB error has occurred".
const CodeOLEDBError int32 = -1071636471

// Mapping maps an input column (by lineage ID) to the destination column
// (the external column) it is written to.
type Mapping struct {
	LineageID int
	Column    string
}

// Destination is the OLE DB Destination and the ADO NET Destination ("OLE
// DB Destination", "ADO NET Destination"): it inserts the rows of its input
// into a table or view, one INSERT per row, or with fast load through the
// database's bulk path: PostgreSQL COPY, SQL Server bulk copy (the ADO NET
// Destination's UseBulkInsertWhenPossible is fast load too), and on SQLite
// batched inserts in a transaction. A row counts as written (Written) once
// the database has accepted it: at its INSERT, or when its fast-load batch
// is committed. Close must be called after the flow, to end the session
// even when the flow failed. The ADO NET Destination's TableOrViewName is
// OpenRowset, and its BatchSize (each batch of a bulk insert is committed
// on its own) is FastLoadMaxInsertCommitSize.
type Destination struct {
	Label          string
	Connection     Connection
	ConnectOptions database.Options
	// AccessMode is AccessOpenRowset or AccessOpenRowsetVariable (row by
	// row), or AccessOpenRowsetFastLoad or AccessOpenRowsetFastLoadVariable.
	AccessMode         int
	OpenRowset         string
	OpenRowsetVariable string
	// Columns map input columns to the table's columns.
	Columns []Mapping
	// FastLoadOptions are the bulk options, comma-separated: TABLOCK,
	// CHECK_CONSTRAINTS, FIRE_TRIGGERS, ROWS_PER_BATCH = n,
	// KILOBYTES_PER_BATCH = n, ORDER(col ASC, …).
	FastLoadOptions string
	// FastLoadMaxInsertCommitSize is the number of rows committed at a
	// time; 0, like the default 2147483647, commits all the rows as one
	// batch ("OLE DB Destination Editor (Connection Manager Page)":
	// Maximum insert commit size).
	FastLoadMaxInsertCommitSize int
	// FastLoadKeepIdentity keeps the input's values of an identity column,
	// and FastLoadKeepNulls keeps NULLs where the column has a default.
	// KeepNulls reaches SQL Server's bulk copy (KEEP_NULLS); on PostgreSQL
	// and SQLite a NULL is always kept. Without KeepIdentity SQL Server's
	// bulk copy assigns identity values itself, as SSIS does; with it the
	// values are not kept yet (go-mssqldb has no KEEPIDENTITY option).
	// PostgreSQL's COPY and SQLite always keep the input's values.
	FastLoadKeepIdentity bool
	FastLoadKeepNulls    bool
	// CommandTimeout is the number of seconds each statement may take; 0
	// is no limit.
	CommandTimeout int
	// ErrorRowDisposition is what a row the database refuses does on the
	// row-by-row path: fail the component, be ignored, or go to the error
	// output with ErrorCode CodeOLEDBError.
	ErrorRowDisposition dataflow.Disposition
	Vars                Variables

	cols    []int
	kinds   []dataflow.Kind
	sess    *database.Session
	fam     database.Family
	parts   []string
	quoted  string
	names   []string
	opts    bulkOptions
	insert  *sql.Stmt
	tx      *sql.Tx
	pgOpen  bool
	pg      *pgCopy
	pending int64
	written int64
	row     []any
}

// bulkOptions are the parsed FastLoadOptions.
type bulkOptions struct {
	tablock, checkConstraints, fireTriggers bool
	rowsPerBatch, kbPerBatch                int
	order                                   []string
}

func parseFastLoadOptions(s string) (bulkOptions, error) {
	var o bulkOptions
	var parts []string
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		switch {
		case i == len(s) || s[i] == ',' && depth == 0:
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + 1
		case s[i] == '(':
			depth++
		case s[i] == ')':
			depth--
		}
	}
	for _, p := range parts {
		if p == "" {
			continue
		}
		key, val, _ := strings.Cut(p, "=")
		key, val = strings.ToUpper(strings.TrimSpace(key)), strings.TrimSpace(val)
		n := 0
		if val != "" {
			var err error
			if n, err = strconv.Atoi(val); err != nil || n < 0 {
				return o, fmt.Errorf("%w: FastLoadOptions %q: %s wants a whole number", ErrConfig, s, key)
			}
		}
		switch {
		case key == "TABLOCK":
			o.tablock = true
		case key == "CHECK_CONSTRAINTS":
			o.checkConstraints = true
		case key == "FIRE_TRIGGERS":
			o.fireTriggers = true
		case key == "ROWS_PER_BATCH":
			o.rowsPerBatch = n
		case key == "KILOBYTES_PER_BATCH":
			o.kbPerBatch = n
		case strings.HasPrefix(key, "ORDER"):
			in := strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p[len("ORDER"):]), "(")), ")")
			for _, c := range strings.Split(in, ",") {
				if c = strings.TrimSpace(c); c != "" {
					o.order = append(o.order, c)
				}
			}
		default:
			return o, fmt.Errorf("%w: FastLoadOptions %q: unknown option %q (want TABLOCK, CHECK_CONSTRAINTS, FIRE_TRIGGERS, ROWS_PER_BATCH, KILOBYTES_PER_BATCH or ORDER)", ErrConfig, s, p)
		}
	}
	return o, nil
}

// Name returns the component's name.
func (d *Destination) Name() string { return d.Label }

// Outputs returns the error output, named as SSIS names it.
func (d *Destination) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: d.Label + " Error Output", Error: true}}
}

func (d *Destination) fastLoad() bool {
	return d.AccessMode == AccessOpenRowsetFastLoad || d.AccessMode == AccessOpenRowsetFastLoadVariable
}

// Prepare resolves the mapped columns and checks the configuration.
func (d *Destination) Prepare(l *dataflow.Layout) error {
	if d.AccessMode < AccessOpenRowset || d.AccessMode > AccessOpenRowsetFastLoadVariable || d.AccessMode == AccessSqlCommand {
		return fmt.Errorf("%w: AccessMode %d is not one of 0 (table or view), 1 (table name variable), 3 (fast load), 4 (fast load, table name variable)", ErrConfig, d.AccessMode)
	}
	if d.Connection == nil {
		return fmt.Errorf("%w: the destination has no connection manager", ErrConfig)
	}
	if len(d.Columns) == 0 {
		return fmt.Errorf("%w: no input column is mapped to a destination column", ErrConfig)
	}
	o, err := parseFastLoadOptions(d.FastLoadOptions)
	if err != nil {
		return err
	}
	d.opts = o
	d.cols, d.kinds, d.names = nil, nil, nil
	for _, m := range d.Columns {
		i, err := l.Index(m.LineageID)
		if err != nil {
			return fmt.Errorf("the mapping to %q: %w", m.Column, err)
		}
		if m.Column == "" {
			return fmt.Errorf("%w: input column %q is mapped to no destination column", ErrConfig, l.Columns[i].Name)
		}
		d.cols = append(d.cols, i)
		d.kinds = append(d.kinds, l.Columns[i].Kind)
		d.names = append(d.names, m.Column)
	}
	d.row = make([]any, len(d.cols))
	d.written, d.pending = 0, 0
	return nil
}

// Written returns the number of rows the database has accepted.
func (d *Destination) Written() int64 { return d.written }

// open acquires the session and resolves the table, on the first buffer.
func (d *Destination) open(ctx context.Context) error {
	if d.sess != nil {
		return nil
	}
	table := d.OpenRowset
	if d.AccessMode == AccessOpenRowsetVariable || d.AccessMode == AccessOpenRowsetFastLoadVariable {
		v, err := stringVariable(ctx, d.Vars, "OpenRowsetVariable", d.OpenRowsetVariable)
		if err != nil {
			return err
		}
		table = v
	}
	if strings.TrimSpace(table) == "" {
		return fmt.Errorf("%w: OpenRowset is empty (name the table or view to write)", ErrConfig)
	}
	sess, err := d.Connection.Acquire(ctx, d.ConnectOptions)
	if err != nil {
		return err
	}
	d.sess, d.fam = sess, sess.Config.Provider.Family
	if d.parts, d.quoted, err = objectName(d.fam, table); err != nil {
		return fmt.Errorf("table or view %q: %w", table, err)
	}
	if d.fastLoad() {
		return nil
	}
	q := make([]string, len(d.names))
	marks := make([]string, len(d.names))
	for i, n := range d.names {
		q[i] = quoteIdent(d.fam, n)
		switch d.fam {
		case database.FamilySQLServer:
			marks[i] = "@p" + strconv.Itoa(i+1)
		case database.FamilyPostgreSQL:
			marks[i] = "$" + strconv.Itoa(i+1)
		default:
			marks[i] = "?"
		}
	}
	stmt := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", d.quoted, strings.Join(q, ", "), strings.Join(marks, ", "))
	if d.insert, err = d.sess.Conn.PrepareContext(ctx, stmt); err != nil {
		return fmt.Errorf("preparing the insert into %s: %w", table, err)
	}
	return nil
}

// Process writes the rows.
func (d *Destination) Process(ctx context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	if err := d.open(ctx); err != nil {
		return err
	}
	if d.fastLoad() {
		return d.load(ctx, b, rows)
	}
	for _, row := range rows {
		for i, c := range d.cols {
			d.row[i] = cellValue(b, c, row, d.kinds[i])
		}
		sctx, cancel := timeout(ctx, d.CommandTimeout)
		_, err := d.insert.ExecContext(sctx, d.row...)
		cancel()
		if err == nil {
			d.written++
			continue
		}
		if cerr := context.Cause(ctx); cerr != nil {
			return cerr
		}
		if _, rerr := r.RowError(row, d.ErrorRowDisposition, CodeOLEDBError, 0, err); rerr != nil {
			return rerr
		}
	}
	return nil
}

// load writes the rows with the bulk path, committing every
// FastLoadMaxInsertCommitSize rows.
func (d *Destination) load(ctx context.Context, b *dataflow.Buffer, rows []int) error {
	for len(rows) > 0 {
		n := len(rows)
		if c := int64(d.FastLoadMaxInsertCommitSize); c > 0 && int64(n) > c-d.pending {
			n = int(c - d.pending)
		}
		if err := d.begin(ctx); err != nil {
			return d.abort(err)
		}
		if err := d.bulk(ctx, b, rows[:n]); err != nil {
			return d.abort(err)
		}
		d.pending += int64(n)
		rows = rows[n:]
		if c := int64(d.FastLoadMaxInsertCommitSize); c > 0 && d.pending >= c {
			if err := d.commit(ctx); err != nil {
				return d.abort(err)
			}
		}
	}
	return nil
}

// abort rolls back the open batch and returns err.
func (d *Destination) abort(err error) error {
	ctx := context.Background()
	switch {
	case d.tx != nil:
		d.tx.Rollback()
		d.tx = nil
	case d.pgOpen:
		d.endCopy(err)
		d.sess.Conn.ExecContext(ctx, "ROLLBACK")
		d.pgOpen = false
	}
	d.pending = 0
	return fmt.Errorf("fast load into %s: %w", d.quoted, err)
}

// begin opens the batch's transaction, taking the table lock with TABLOCK.
func (d *Destination) begin(ctx context.Context) error {
	if d.tx != nil || d.pgOpen {
		return nil
	}
	if d.fam == database.FamilyPostgreSQL {
		if _, err := d.sess.Conn.ExecContext(ctx, "BEGIN"); err != nil {
			return err
		}
		d.pgOpen = true
		if d.opts.tablock {
			if _, err := d.sess.Conn.ExecContext(ctx, "LOCK TABLE "+d.quoted+" IN EXCLUSIVE MODE"); err != nil {
				return err
			}
		}
		return nil
	}
	tx, err := d.sess.Conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	d.tx = tx
	return nil
}

// commit commits the open batch; its rows are written.
func (d *Destination) commit(ctx context.Context) error {
	switch {
	case d.tx != nil:
		err := d.tx.Commit()
		d.tx = nil
		if err != nil {
			return err
		}
	case d.pgOpen:
		if err := d.endCopy(nil); err != nil {
			return err
		}
		d.pgOpen = false
		if _, err := d.sess.Conn.ExecContext(ctx, "COMMIT"); err != nil {
			return err
		}
	default:
		return nil
	}
	d.written += d.pending
	d.pending = 0
	return nil
}

// bulk sends rows through the family's bulk path, inside the open batch.
func (d *Destination) bulk(ctx context.Context, b *dataflow.Buffer, rows []int) error {
	sctx, cancel := timeout(ctx, d.CommandTimeout)
	defer cancel()
	switch d.fam {
	case database.FamilyPostgreSQL:
		if d.pg == nil {
			d.startCopy(ctx)
		}
		return d.copyRows(b, rows)
	case database.FamilySQLServer:
		stmt, err := d.tx.PrepareContext(sctx, d.copyIn())
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, row := range rows {
			for j, c := range d.cols {
				d.row[j] = cellValue(b, c, row, d.kinds[j])
			}
			if _, err := stmt.ExecContext(sctx, d.row...); err != nil {
				return err
			}
		}
		_, err = stmt.ExecContext(sctx)
		return err
	}
	if d.insert == nil {
		q := make([]string, len(d.names))
		marks := make([]string, len(d.names))
		for i, n := range d.names {
			q[i], marks[i] = quoteIdent(d.fam, n), "?"
		}
		stmt, err := d.sess.Conn.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", d.quoted, strings.Join(q, ", "), strings.Join(marks, ", ")))
		if err != nil {
			return err
		}
		d.insert = stmt
	}
	stmt := d.tx.StmtContext(sctx, d.insert)
	for _, row := range rows {
		for j, c := range d.cols {
			d.row[j] = cellValue(b, c, row, d.kinds[j])
		}
		if _, err := stmt.ExecContext(sctx, d.row...); err != nil {
			return err
		}
	}
	return nil
}

// copyIn returns go-mssqldb's bulk-copy statement for the table, with the
// FastLoadOptions and FastLoadKeepNulls as its options.
func (d *Destination) copyIn() string {
	return mssql.CopyIn(d.quoted, mssql.BulkOptions{
		CheckConstraints: d.opts.checkConstraints, FireTriggers: d.opts.fireTriggers,
		KeepNulls: d.FastLoadKeepNulls, KilobytesPerBatch: d.opts.kbPerBatch,
		RowsPerBatch: d.opts.rowsPerBatch, Order: d.opts.order, Tablock: d.opts.tablock,
	}, d.names...)
}

// Finish commits the last fast-load batch.
func (d *Destination) Finish(ctx context.Context) error {
	if err := d.commit(ctx); err != nil {
		return d.abort(err)
	}
	return nil
}

// Close rolls back a batch still open (the flow failed), and ends the
// session.
func (d *Destination) Close() error {
	if d.sess == nil {
		return nil
	}
	if d.tx != nil || d.pgOpen {
		d.abort(errors.New("closed"))
	}
	var err error
	if d.insert != nil {
		err = d.insert.Close()
		d.insert = nil
	}
	err = errors.Join(err, d.sess.Release())
	d.sess = nil
	return err
}

var (
	_ dataflow.Transform = (*Destination)(nil)
	_ dataflow.Finisher  = (*Destination)(nil)
)
