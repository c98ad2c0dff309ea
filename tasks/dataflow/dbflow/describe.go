package dbflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// ResultColumn is a column of a described table, view or command: its name
// and the database's name of its type ("" when the database gives none).
type ResultColumn struct {
	Name, Type string
}

// DescribeTable returns the columns of a table or view, as SELECT * FROM
// it WHERE 1=0 returns them: no row is read.
func DescribeTable(ctx context.Context, s *database.Session, table string) ([]ResultColumn, error) {
	_, q, err := objectName(s.Config.Provider.Family, table)
	if err != nil {
		return nil, fmt.Errorf("table or view %q: %w", table, err)
	}
	return describe(ctx, s, "SELECT * FROM "+q+" WHERE 1 = 0")
}

// ErrNotDescribed is matched by the error of a command DescribeCommand
// does not describe: one that is not a single SELECT, or has parameters.
var ErrNotDescribed = errors.New("dbflow: the command is not described")

// selectStart matches a command that is a SELECT, after comments.
var selectStart = regexp.MustCompile(`(?is)^(\s|--[^\n]*\n|/\*.*?\*/)*select\s`)

// DescribeCommand returns the columns of a SELECT command's result without
// reading a row: the command is wrapped as SELECT * FROM (command) WHERE
// 1=0 (on SQL Server, sp_describe_first_result_set describes it without
// running it), inside a read-only transaction that is rolled back. A
// command that is not a single SELECT, or that has ? markers, is not
// described: the error matches ErrNotDescribed.
func DescribeCommand(ctx context.Context, s *database.Session, cmd string) ([]ResultColumn, error) {
	cmd = strings.TrimRight(strings.TrimSpace(cmd), "; \t\r\n")
	if !selectStart.MatchString(cmd) || strings.Contains(cmd, ";") {
		return nil, fmt.Errorf("%w: it is not a single SELECT", ErrNotDescribed)
	}
	if strings.Contains(cmd, "?") {
		return nil, fmt.Errorf("%w: it has parameter markers", ErrNotDescribed)
	}
	if s.Config.Provider.Family == database.FamilySQLServer {
		return describeMSSQL(ctx, s, cmd)
	}
	opts := &sql.TxOptions{ReadOnly: s.Config.Provider.Family == database.FamilyPostgreSQL}
	tx, err := s.Conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT * FROM ("+cmd+") dtsx_described WHERE 1 = 0")
	if err != nil {
		return nil, err
	}
	return columnsOf(rows)
}

func describe(ctx context.Context, s *database.Session, query string) ([]ResultColumn, error) {
	rows, err := s.Conn.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return columnsOf(rows)
}

func columnsOf(rows *sql.Rows) ([]ResultColumn, error) {
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	out := make([]ResultColumn, len(types))
	for i, t := range types {
		out[i] = ResultColumn{Name: t.Name(), Type: t.DatabaseTypeName()}
	}
	return out, rows.Err()
}

// describeMSSQL describes a command with sp_describe_first_result_set,
// which does not run it.
func describeMSSQL(ctx context.Context, s *database.Session, cmd string) ([]ResultColumn, error) {
	rows, err := s.Conn.QueryContext(ctx, "SELECT name, system_type_name FROM sys.dm_exec_describe_first_result_set(@p1, NULL, 0)", cmd)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ResultColumn
	for rows.Next() {
		var name, typ sql.NullString
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		out = append(out, ResultColumn{Name: name.String, Type: typ.String})
	}
	return out, rows.Err()
}

// typeClass sorts kinds and database types into the families that convert
// into one another.
type typeClass int

const (
	classAny typeClass = iota
	classNumber
	classBool
	classText
	classTime
	classBinary
	classGUID
)

func kindClass(k dataflow.Kind) typeClass {
	switch k {
	case dataflow.KindBool:
		return classBool
	case dataflow.KindString, dataflow.KindWString:
		return classText
	case dataflow.KindBytes:
		return classBinary
	case dataflow.KindGUID:
		return classGUID
	case dataflow.KindTime:
		return classTime
	case dataflow.KindInvalid:
		return classAny
	}
	return classNumber
}

// dbClass sorts a database type name (INTEGER, varchar(50), timestamp
// with time zone, uniqueidentifier, bytea) into its family; classAny when
// it is not known.
func dbClass(t string) typeClass {
	t = strings.ToUpper(t)
	switch {
	case t == "":
		return classAny
	case strings.Contains(t, "UNIQUEIDENTIFIER") || t == "UUID":
		return classGUID
	case strings.Contains(t, "BOOL") || t == "BIT":
		return classBool
	case strings.Contains(t, "INTERVAL"):
		return classAny
	case strings.Contains(t, "DATE") || strings.Contains(t, "TIME"):
		return classTime
	case strings.Contains(t, "CHAR") || strings.Contains(t, "TEXT") || strings.Contains(t, "CLOB") || strings.Contains(t, "XML") || strings.Contains(t, "JSON"):
		return classText
	case strings.Contains(t, "BLOB") || strings.Contains(t, "BYTEA") || strings.Contains(t, "BINARY") || t == "IMAGE":
		return classBinary
	case strings.Contains(t, "INT") || strings.Contains(t, "NUM") || strings.Contains(t, "DEC") || strings.Contains(t, "REAL") ||
		strings.Contains(t, "FLOAT") || strings.Contains(t, "DOUBLE") || strings.Contains(t, "MONEY") || strings.Contains(t, "SERIAL"):
		return classNumber
	}
	return classAny
}

// Converts reports whether a column of the database type dbType and a
// data flow column of kind k convert into one another: text converts with
// every family but binary, numbers with Booleans, GUIDs with binary; a
// type the database does not name, or this check does not know, is taken
// to convert.
func Converts(k dataflow.Kind, dbType string) bool {
	a, b := kindClass(k), dbClass(dbType)
	if a == classAny || b == classAny || a == b {
		return true
	}
	pair := func(x, y typeClass) bool { return a == x && b == y || a == y && b == x }
	switch {
	case a == classText && b != classBinary, b == classText && a != classBinary:
		return true
	case pair(classNumber, classBool), pair(classGUID, classBinary):
		return true
	}
	return false
}
