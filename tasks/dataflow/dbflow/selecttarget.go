package dbflow

import (
	"fmt"
	"regexp"
	"strings"
)

// selectTarget is what the OLE DB Destination writes to with AccessMode 2
// (SQL command): the table the SELECT reads, and for each column of the
// SELECT's result the table column it is (the columns are written as the
// result names them, through their aliases).
type selectTarget struct {
	// Table is the table or view, as persisted (a multi-part name).
	Table string
	// All is true for SELECT *: every result column is the table column
	// of its name.
	All bool
	// Columns maps a result column's name, in upper case, to the table
	// column it is.
	Columns map[string]string
}

// selectForm matches SELECT <list> FROM <rest>.
var selectForm = regexp.MustCompile(`(?is)^\s*select\s+(.+?)\s+from\s+(.+?)\s*;?\s*$`)

// identifier matches one column of a select list: a plain or quoted name,
// optionally qualified, optionally aliased.
var identifier = `(?:\[(?:[^\]]|\]\])+\]|"(?:[^"]|"")+"|` + "`[^`]+`" + `|[\p{L}_][\p{L}\p{N}_@$#]*)`

var selectItem = regexp.MustCompile(`(?is)^\s*((?:` + identifier + `\s*\.\s*)*` + identifier + `)(?:\s+(?:as\s+)?(` + identifier + `))?\s*$`)

// parseSelectTarget reads the simple forms of the SQL command an OLE DB
// Destination writes through: SELECT * or a list of columns (each maybe
// aliased) FROM one table or view, with an optional WHERE or ORDER BY.
// Anything else (a join, a subquery, an expression, DISTINCT, TOP, GROUP
// BY, a second statement) is refused with the form that works.
func parseSelectTarget(cmd string) (selectTarget, error) {
	const want = "write it as SELECT col, … FROM table [WHERE …], or choose the table or view access mode"
	m := selectForm.FindStringSubmatch(cmd)
	if m == nil {
		return selectTarget{}, fmt.Errorf("%w: SqlCommand %q is not SELECT … FROM a table: %s", ErrConfig, cmd, want)
	}
	list, rest := strings.TrimSpace(m[1]), m[2]
	table, tail := objectPrefix(rest)
	if table == "" {
		return selectTarget{}, fmt.Errorf("%w: SqlCommand %q: FROM names no table: %s", ErrConfig, cmd, want)
	}
	if tail = strings.TrimSpace(tail); tail != "" {
		kw := strings.ToUpper(strings.Fields(tail)[0])
		if kw != "WHERE" && kw != "ORDER" {
			return selectTarget{}, fmt.Errorf("%w: SqlCommand %q: %q after the table is not a WHERE or ORDER BY: the destination writes to one table; %s", ErrConfig, cmd, tail, want)
		}
	}
	t := selectTarget{Table: table, Columns: map[string]string{}}
	if list == "*" {
		t.All = true
		return t, nil
	}
	if w := strings.ToUpper(strings.Fields(list)[0]); w == "DISTINCT" || w == "TOP" || w == "ALL" {
		return selectTarget{}, fmt.Errorf("%w: SqlCommand %q: the destination cannot write through SELECT %s; %s", ErrConfig, cmd, w, want)
	}
	for _, item := range splitList(list) {
		im := selectItem.FindStringSubmatch(item)
		if im == nil {
			return selectTarget{}, fmt.Errorf("%w: SqlCommand %q: %q is not a column of the table (an expression cannot be written to); %s", ErrConfig, cmd, strings.TrimSpace(item), want)
		}
		parts, _, err := nameParts(im[1])
		if err != nil {
			return selectTarget{}, fmt.Errorf("SqlCommand %q: column %q: %w", cmd, im[1], err)
		}
		col := parts[len(parts)-1]
		name := col
		if im[2] != "" {
			alias, _, err := nameParts(im[2])
			if err != nil {
				return selectTarget{}, fmt.Errorf("SqlCommand %q: alias %q: %w", cmd, im[2], err)
			}
			name = alias[0]
		}
		t.Columns[strings.ToUpper(name)] = col
	}
	return t, nil
}

// column returns the table column the result column name is, and false
// when the SELECT does not return it.
func (t selectTarget) column(name string) (string, bool) {
	if t.All {
		return name, true
	}
	c, ok := t.Columns[strings.ToUpper(name)]
	return c, ok
}

// splitList splits a select list at its commas outside quotes.
func splitList(s string) []string {
	var out []string
	var close byte
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case close != 0:
			if c == close {
				close = 0
			}
		case c == '[':
			close = ']'
		case c == '"' || c == '`' || c == '\'':
			close = c
		case c == ',':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// objectPrefix returns the multi-part object name at the start of s and
// what follows it.
func objectPrefix(s string) (string, string) {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '[' || c == '"' || c == '`':
			close := map[byte]byte{'[': ']', '"': '"', '`': '`'}[c]
			j := strings.IndexByte(s[i+1:], close)
			if j < 0 {
				return "", s
			}
			i += j + 2
		case c == '.' || c == '_' || c == '@' || c == '#' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			i++
		default:
			return s[:i], s[i:]
		}
	}
	return s, ""
}
