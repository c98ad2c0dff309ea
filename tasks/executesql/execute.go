package executesql

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	mssql "github.com/microsoft/go-mssqldb"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"modernc.org/sqlite"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

// SQLError is a statement the server refused: its message and, where the
// driver gives them, the SQL Server error number, state and line, the
// PostgreSQL SQLSTATE and position, or the SQLite result code. Its text
// is what SSIS puts in System::ErrorDescription: `Executing the query
// "..." failed with the following error: "..."`.
type SQLError struct {
	Query    string // the statement (cut to 100 characters in the text)
	Message  string // the server's message
	Number   int    // SQL Server error number, SQLite result code; 0 when none
	SQLState string // PostgreSQL SQLSTATE
	Line     int    // SQL Server: the line of the batch; 0 when unknown
	Position int    // PostgreSQL: the character of the statement; 0 when unknown
	Detail   string // PostgreSQL DETAIL and HINT
	Err      error  // the driver's error
}

func (e *SQLError) Error() string {
	q := strings.Join(strings.Fields(e.Query), " ")
	if len(q) > 100 {
		q = q[:100] + "..."
	}
	var extra []string
	if e.Number != 0 {
		extra = append(extra, "error "+strconv.Itoa(e.Number))
	}
	if e.SQLState != "" {
		extra = append(extra, "SQLSTATE "+e.SQLState)
	}
	if e.Line != 0 {
		extra = append(extra, "line "+strconv.Itoa(e.Line))
	}
	if e.Position != 0 {
		extra = append(extra, "position "+strconv.Itoa(e.Position))
	}
	msg := `Executing the query "` + q + `" failed with the following error: "` + e.Message + `"`
	if e.Detail != "" {
		msg += " " + e.Detail
	}
	if len(extra) > 0 {
		msg += " (" + strings.Join(extra, ", ") + ")"
	}
	return msg
}

// Unwrap returns the driver's error.
func (e *SQLError) Unwrap() error { return e.Err }

// sqlError describes a driver's error for the statement query.
func sqlError(query string, err error) error {
	e := &SQLError{Query: query, Message: err.Error(), Err: err}
	var me mssql.Error
	var pe *pgconn.PgError
	var se *sqlite.Error
	switch {
	case errors.As(err, &me):
		e.Message, e.Number, e.Line = me.Message, int(me.Number), int(me.LineNo)
		if len(me.All) > 1 {
			var all []string
			for _, x := range me.All {
				all = append(all, x.Message)
			}
			e.Message = strings.Join(all, " ")
		}
		if me.ProcName != "" {
			e.Detail = "(procedure " + me.ProcName + ")"
		}
	case errors.As(err, &pe):
		e.Message, e.SQLState, e.Position = pe.Message, pe.Code, int(pe.Position)
		var d []string
		if pe.Detail != "" {
			d = append(d, "DETAIL: "+pe.Detail)
		}
		if pe.Hint != "" {
			d = append(d, "HINT: "+pe.Hint)
		}
		e.Detail = strings.Join(d, " ")
	case errors.As(err, &se):
		e.Message, e.Number = se.Error(), se.Code()
	}
	return e
}

// ErrNoRows is matched by the error of a single-row result that returned
// no row, as SSIS fails it.
var ErrNoRows = errors.New("Single Row result set is specified, but no rows were returned")

// out is an Output or ReturnValue parameter waiting for its value.
type out struct {
	variable string
	dest     *any
	status   *mssql.ReturnStatus
}

// call is one batch ready to send.
type call struct {
	sql  string
	args []any
	outs []out
}

// Execute runs the statement through the task's connection manager: the
// batches in order (a GO count repeats one), the parameters bound from
// their variables, the result set of the first batch that returns one
// put into the result variables, the Output and ReturnValue parameters
// into theirs. TimeOut, when not 0, bounds the whole run; ctx cancels it.
func (t *Task) Execute(ctx context.Context, env tasks.RunEnv) error {
	if err := t.ProblemError(); err != nil {
		return t.Errorf("%w", err)
	}
	p := t.Props
	cm, err := env.Connection(p.Connection)
	if err != nil {
		return t.Errorf("Connection %s: %w", p.Connection, err)
	}
	m, ok := cm.(*database.Manager)
	if !ok {
		return t.Errorf("connection manager %q is of type %s, which is not a database connection dtsx can open",
			cm.Definition().Name, cm.Definition().CreationName)
	}
	cfg := m.Config()
	fam, kind := cfg.Provider.Family, cfg.Provider.Kind
	if fam == database.FamilyUnsupported {
		return t.Errorf("connection manager %q uses provider %s, which has no driver here", cm.Definition().Name, cfg.Provider)
	}
	stmt, err := t.statement(env)
	if err != nil {
		return err
	}
	if strings.TrimSpace(stmt) == "" {
		return t.Errorf("there is no SQL statement to run")
	}
	if p.TimeOut > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(p.TimeOut)*time.Second)
		defer cancel()
	}
	calls, err := t.calls(env, stmt, fam, kind)
	if err != nil {
		return err
	}
	sess, err := m.Acquire(ctx, m.Run)
	if err != nil {
		return t.Errorf("%w", err)
	}
	defer sess.Release()
	var res *result
	var affected int64
	env.Progress(0, fmt.Sprintf("running %d batches on %s", len(calls), cm.Definition().Name))
	for i, c := range calls {
		if p.ResultSetType != ResultNone && res == nil {
			r, err := query(ctx, sess.Conn, c, kind == database.KindADONET && p.ResultSetType == ResultFull)
			if err != nil {
				return t.failed(ctx, c.sql, err)
			}
			if len(r.tables) > 0 {
				res = r
			}
		} else {
			sr, err := sess.Conn.ExecContext(ctx, c.sql, c.args...)
			if err != nil {
				return t.failed(ctx, c.sql, err)
			}
			if n, err := sr.RowsAffected(); err == nil && n > 0 && changesRows(c.sql, fam) {
				affected += n
			}
		}
		if len(calls) > 1 {
			env.Progress(100*(i+1)/len(calls), fmt.Sprintf("batch %d of %d done", i+1, len(calls)))
		}
		for _, o := range c.outs {
			var v expr.Value
			if o.status != nil {
				v = expr.I4(int32(*o.status))
			} else if v, err = FromDriver(*o.dest, expr.TypeEmpty); err != nil {
				return t.Errorf("output parameter into %s: %w", o.variable, err)
			}
			if err := t.set(env, o.variable, v); err != nil {
				return t.Errorf("output parameter into %s: %w", o.variable, err)
			}
		}
	}
	if err := t.assign(env, res, kind); err != nil {
		return err
	}
	msg := fmt.Sprintf("the statement ran on %s (%s)", cm.Definition().Name, fam)
	if affected > 0 {
		msg += fmt.Sprintf(": %d rows affected", affected)
	}
	env.Info(msg)
	return nil
}

// failed describes an error of running a statement: the time-out, a
// cancellation, or the server's error.
func (t *Task) failed(ctx context.Context, query string, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) && t.Props.TimeOut > 0:
		return t.Errorf("the statement did not finish within TimeOut (%d seconds): %w", t.Props.TimeOut, context.DeadlineExceeded)
	case ctx.Err() != nil:
		return t.Errorf("the statement was cancelled: %w", ctx.Err())
	}
	return sqlError(query, err)
}

// statement returns the statement's text from its source.
func (t *Task) statement(env tasks.RunEnv) (string, error) {
	p := t.Props
	switch p.SqlStatementSourceType {
	case Variable:
		v, err := env.Variable(p.SqlStatementSource)
		if err != nil {
			return "", t.Errorf("the statement's variable: %w", err)
		}
		if s, ok := v.Text(); ok {
			return s, nil
		}
		return "", t.Errorf("the statement's variable %s holds a %s, not text", p.SqlStatementSource, v.Type())
	case FileConnection:
		cm, err := env.Connection(p.SqlStatementSource)
		if err != nil {
			return "", t.Errorf("the statement's file connection: %w", err)
		}
		fm, ok := cm.(*file.Manager)
		if !ok || len(fm.Paths()) == 0 {
			return "", t.Errorf("the statement's source %q is not a File connection manager with a path", p.SqlStatementSource)
		}
		local := env.LocalPath(fm.Paths()[0])
		b, err := os.ReadFile(local)
		if err != nil {
			return "", t.Errorf("the statement's file: %w", err)
		}
		s, err := decodeFile(b, p.CodePage)
		if err != nil {
			return "", t.Errorf("the statement's file %s: %w", local, err)
		}
		return s, nil
	}
	return p.SqlStatementSource, nil
}

// decodeFile reads a statement file: UTF-8 or UTF-16 by its byte order
// mark, UTF-8 when it is valid UTF-8, else the code page (1252 when none
// is set).
func decodeFile(b []byte, codePage int) (string, error) {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(b[3:]), nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case utf8.Valid(b):
		return string(b), nil
	default:
		enc = charmap.Windows1252
		for _, c := range charmap.All {
			if cm, ok := c.(*charmap.Charmap); ok && codePage != 0 && strings.HasSuffix(cm.String(), " "+strconv.Itoa(codePage)) {
				enc = cm
			}
		}
	}
	s, err := enc.NewDecoder().Bytes(b)
	return string(s), err
}

// calls splits the statement into batches and binds each one's markers.
func (t *Task) calls(env tasks.RunEnv, stmt string, fam database.Family, kind database.Kind) ([]call, error) {
	p := t.Props
	if p.IsQueryStoredProcedure {
		c, err := t.procCall(env, strings.TrimSpace(stmt), fam)
		if err != nil {
			return nil, err
		}
		return []call{c}, nil
	}
	var out []call
	offset := 0
	for _, b := range SplitBatches(stmt, fam) {
		c, n, err := t.bind(env, b.SQL, fam, kind, offset)
		if err != nil {
			return nil, err
		}
		offset += n
		for range max(b.Count, 1) {
			out = append(out, c)
		}
	}
	return out, nil
}

// value reads a parameter's variable and converts it to its data type.
func (t *Task) value(env tasks.RunEnv, b Parameter, kind database.Kind) (any, error) {
	v, err := env.Variable(b.Variable)
	if err != nil {
		return nil, t.Errorf("parameter %q: %w", b.Name, err)
	}
	pt, _ := LookupParamType(kind, b.DataType)
	x, err := ToDriver(v, pt)
	if err != nil {
		return nil, t.Errorf("parameter %q from variable %s: %w", b.Name, b.Variable, err)
	}
	return x, nil
}

// arg returns the driver argument of a mapping: its value, or for Output
// and ReturnValue (SQL Server) a sql.Out whose value goes to the variable.
func (t *Task) arg(env tasks.RunEnv, b Parameter, kind database.Kind, fam database.Family, c *call) (any, error) {
	if b.Direction == Input {
		return t.value(env, b, kind)
	}
	if fam != database.FamilySQLServer {
		return nil, t.Errorf("parameter %q is an %s parameter, which dtsx supports on SQL Server only, not on %s; return the value in a result set",
			b.Name, b.Direction, fam)
	}
	dest := new(any)
	if b.Direction == Output {
		// An Output parameter also passes the variable's value in.
		if x, err := t.value(env, b, kind); err == nil {
			*dest = x
		}
	}
	c.outs = append(c.outs, out{variable: b.Variable, dest: dest})
	return sql.Out{Dest: dest, In: b.Direction == Output}, nil
}

// bind rewrites one batch's markers and binds them; offset is the number
// of ? markers of the batches before it. It returns how many ? markers the
// batch has.
func (t *Task) bind(env tasks.RunEnv, batch string, fam database.Family, kind database.Kind, offset int) (call, int, error) {
	p := t.Props
	c := call{}
	if kind == database.KindADONET {
		bound := map[string]*Parameter{}
		names := map[string]bool{}
		for i := range p.Parameters {
			n := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(p.Parameters[i].Name), "@"))
			bound[n], names[n] = &p.Parameters[i], true
		}
		sqlText, markers := Rewrite(batch, fam, true, names)
		c.sql = sqlText
		done := map[string]bool{}
		for _, mk := range markers {
			n := strings.ToLower(mk.Name)
			b := bound[n]
			if fam == database.FamilySQLServer {
				if done[n] {
					continue
				}
				done[n] = true
			}
			x, err := t.arg(env, *b, kind, fam, &c)
			if err != nil {
				return c, 0, err
			}
			if fam == database.FamilySQLServer {
				x = sql.Named(mk.Name, x)
			}
			c.args = append(c.args, x)
		}
		return c, 0, nil
	}
	if fam == database.FamilySQLServer {
		batch = transactSQL(batch)
	}
	sqlText, markers := Rewrite(batch, fam, false, nil)
	c.sql = sqlText
	first := 0
	if kind == database.KindODBC {
		first = 1
	}
	for _, mk := range markers {
		b, err := bindingFor(p.Parameters, offset+mk.Ordinal, first)
		if err != nil {
			return c, 0, t.Errorf("%w", err)
		}
		x, err := t.arg(env, b, kind, fam, &c)
		if err != nil {
			return c, 0, err
		}
		c.args = append(c.args, x)
	}
	return c, len(markers), nil
}

// procCall is a stored procedure called by its name
// (IsQueryStoredProcedure): on SQL Server go-mssqldb calls it by RPC with
// named parameters and its return code; on PostgreSQL it is CALL with
// the Input parameters in their mapping's order.
func (t *Task) procCall(env tasks.RunEnv, name string, fam database.Family) (call, error) {
	p := t.Props
	kind := t.kind(env)
	c := call{sql: name}
	switch fam {
	case database.FamilySQLServer:
		for _, b := range p.Parameters {
			if b.Direction == ReturnValue {
				st := new(mssql.ReturnStatus)
				c.outs = append(c.outs, out{variable: b.Variable, status: st})
				c.args = append(c.args, st)
				continue
			}
			x, err := t.arg(env, b, kind, fam, &c)
			if err != nil {
				return c, err
			}
			if n := strings.TrimPrefix(strings.TrimSpace(b.Name), "@"); n != "" {
				if _, isOrd := ordinal(n); !isOrd {
					x = sql.Named(n, x)
				}
			}
			c.args = append(c.args, x)
		}
	case database.FamilyPostgreSQL:
		var marks []string
		for _, b := range p.Parameters {
			x, err := t.arg(env, b, kind, fam, &c)
			if err != nil {
				return c, err
			}
			c.args = append(c.args, x)
			marks = append(marks, "$"+strconv.Itoa(len(c.args)))
		}
		c.sql = "CALL " + name + "(" + strings.Join(marks, ", ") + ")"
	default:
		return c, t.Errorf("IsQueryStoredProcedure is True, but %s has no stored procedures; write the statement and set it to False", fam)
	}
	return c, nil
}

// kind returns the connection type of the task's manager.
func (t *Task) kind(env tasks.RunEnv) database.Kind {
	if cm, err := env.Connection(t.Props.Connection); err == nil {
		if m, ok := cm.(*database.Manager); ok {
			return m.Config().Provider.Kind
		}
	}
	return database.KindUnknown
}

// result is what a statement returned: its result sets (one table for
// OLE DB and ODBC; every one for an ADO.NET full result set).
type result struct {
	tables []*expr.Rowset
}

// query runs a batch and reads its first result set (every result set
// when all is set). A batch that returns no columns gives no table.
func query(ctx context.Context, conn *sql.Conn, c call, all bool) (*result, error) {
	rows, err := conn.QueryContext(ctx, c.sql, c.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &result{}
	for {
		rs, err := readRowset(rows)
		if err != nil {
			return nil, err
		}
		if rs != nil {
			res.tables = append(res.tables, rs)
			if !all {
				break
			}
		}
		if !rows.NextResultSet() {
			break
		}
	}
	for rows.Next() {
		// The rest of the first result set is read, so output
		// parameters arrive.
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	return res, nil
}

// readRowset reads the current result set of rows, or nil when it has no
// columns.
func readRowset(rows *sql.Rows) (*expr.Rowset, error) {
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	if len(cts) == 0 {
		for rows.Next() {
		}
		return nil, rows.Err()
	}
	rs := &expr.Rowset{Columns: make([]expr.Column, len(cts))}
	types := make([]expr.Type, len(cts))
	for i, ct := range cts {
		types[i] = columnType(ct)
		rs.Columns[i] = expr.Column{Name: ct.Name(), Type: types[i]}
	}
	dest := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range dest {
		ptrs[i] = &dest[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]expr.Value, len(cts))
		for i, x := range dest {
			v, err := FromDriver(x, types[i])
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", cts[i].Name(), err)
			}
			row[i] = v
			if rs.Columns[i].Type == expr.TypeEmpty && !v.IsNull() {
				rs.Columns[i].Type = v.Type()
			}
		}
		rs.Rows = append(rs.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range rs.Columns {
		if rs.Columns[i].Type == expr.TypeEmpty {
			rs.Columns[i].Type = expr.TypeWStr
		}
	}
	return rs, nil
}

// assign puts the result into the result variables.
func (t *Task) assign(env tasks.RunEnv, res *result, kind database.Kind) error {
	p := t.Props
	switch p.ResultSetType {
	case ResultNone:
		return nil
	case ResultSingleRow:
		if res == nil || len(res.tables[0].Rows) == 0 {
			return t.Errorf("%w", ErrNoRows)
		}
		rs := res.tables[0]
		for _, r := range p.Results {
			i := -1
			if n, ok := ordinal(r.Name); ok {
				if n >= len(rs.Columns) {
					return t.Errorf("result binding %q: the row has %d columns (%s)", r.Name, len(rs.Columns), columnNames(rs))
				}
				i = n
			} else if i = rs.Column(r.Name); i < 0 {
				return t.Errorf("result binding %q: the row has no column %q (columns: %s)", r.Name, r.Name, columnNames(rs))
			}
			if err := t.set(env, r.Variable, rs.Rows[0][i]); err != nil {
				return t.Errorf("result %q into %s: %w", r.Name, r.Variable, err)
			}
		}
	case ResultFull:
		var v expr.Value
		switch {
		case kind == database.KindADONET && res != nil:
			v = expr.Object(&expr.DataSet{Tables: res.tables}, expr.DataSetText)
		case kind == database.KindADONET:
			v = expr.Object(&expr.DataSet{}, expr.DataSetText)
		case res != nil:
			v = expr.Object(res.tables[0], expr.RowsetText)
		default:
			v = expr.Object(&expr.Rowset{}, expr.RowsetText)
		}
		for _, r := range p.Results {
			if err := env.SetVariable(r.Variable, v); err != nil {
				return t.Errorf("the full result set into %s (it must be an Object variable): %w", r.Variable, err)
			}
		}
	case ResultXML:
		if res == nil {
			return t.Errorf("the XML result set is specified, but the statement returned no result")
		}
		rs := res.tables[0]
		if len(rs.Columns) != 1 {
			return t.Errorf("an XML result is one column of XML text (FOR XML on SQL Server, xmlagg or query_to_xml on PostgreSQL); the statement returned %d columns (%s)",
				len(rs.Columns), columnNames(rs))
		}
		var b strings.Builder
		for _, row := range rs.Rows {
			if s, ok := row[0].Text(); ok {
				b.WriteString(s)
			} else if !row[0].IsNull() {
				b.WriteString(row[0].String())
			}
		}
		for _, r := range p.Results {
			if err := env.SetVariable(r.Variable, expr.Str(b.String())); err != nil {
				return t.Errorf("the XML result into %s: %w", r.Variable, err)
			}
		}
	}
	return nil
}

// ErrTypeMismatch is matched by the error for a single-row value or an
// output parameter whose type is not its variable's while
// TypeConversionMode is None.
var ErrTypeMismatch = errors.New("the value's type is not the variable's and TypeConversionMode is None")

// set puts a single-row value or an output parameter into its variable.
// With TypeConversionMode Allowed the runtime converts the value to the
// variable's type; with None (as SSIS before 2012 did) a value of another
// type is an error.
func (t *Task) set(env tasks.RunEnv, name string, v expr.Value) error {
	if t.Props.TypeConversionMode == ConversionNone && !v.IsNull() {
		if cur, err := env.Variable(name); err == nil && cur.Type() != expr.TypeObject && cur.Type() != v.Type() {
			return fmt.Errorf("%w: a %s value for a %s variable (set TypeConversionMode to Allowed, or give the variable the column's type)",
				ErrTypeMismatch, v.Type(), cur.Type())
		}
	}
	return env.SetVariable(name, v)
}

func columnNames(rs *expr.Rowset) string {
	names := make([]string, len(rs.Columns))
	for i, c := range rs.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

var _ tasks.Executor = (*Task)(nil)
