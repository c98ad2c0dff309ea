package executesql

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/connections/database"
)

// codeMask reports, for each byte of sql, whether it is code: not inside a
// string literal, a quoted identifier or a comment, as the family's SQL
// reads them. Single-quoted strings (” doubles a quote), double-quoted
// identifiers, -- and /* */ comments (nested on SQL Server and
// PostgreSQL) are common; SQL Server and SQLite add [bracketed]
// identifiers, SQLite `backquoted` ones, PostgreSQL E'...' strings with
// backslash escapes and $tag$ dollar-quoted strings.
func codeMask(sql string, fam database.Family) []bool {
	mask := make([]bool, len(sql))
	i := 0
	isIdent := func(c byte) bool {
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
	}
	// skipQuoted moves past a literal from its opening quote q (at i) to
	// its closing one; a doubled closing quote is part of it; with
	// backslash, \x escapes x.
	skipQuoted := func(q byte, backslash bool) {
		i++
		for i < len(sql) {
			c := sql[i]
			switch {
			case backslash && c == '\\':
				i += 2
				continue
			case c == q && i+1 < len(sql) && sql[i+1] == q:
				i += 2
				continue
			case c == q:
				i++
				return
			}
			i++
		}
	}
	for i < len(sql) {
		c := sql[i]

		switch {
		case c == '\'':
			backslash := fam == database.FamilyPostgreSQL && i > 0 && (sql[i-1] == 'E' || sql[i-1] == 'e') &&
				(i == 1 || !isIdent(sql[i-2]))
			skipQuoted('\'', backslash)
		case c == '"':
			skipQuoted('"', false)
		case c == '[' && (fam == database.FamilySQLServer || fam == database.FamilySQLite):
			skipQuoted(']', false)
		case c == '`' && fam == database.FamilySQLite:
			skipQuoted('`', false)
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(sql)
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			depth := 0
			for i < len(sql) {
				if i+1 < len(sql) && sql[i] == '/' && sql[i+1] == '*' {
					if depth == 0 || fam != database.FamilySQLite {
						depth++
					}
					i += 2
					continue
				}
				if i+1 < len(sql) && sql[i] == '*' && sql[i+1] == '/' {
					depth--
					i += 2
					if depth == 0 {
						break
					}
					continue
				}
				i++
			}
		case c == '$' && fam == database.FamilyPostgreSQL && (i == 0 || !isIdent(sql[i-1])):
			if tag, ok := dollarTag(sql[i:]); ok {
				if j := strings.Index(sql[i+len(tag):], tag); j >= 0 {
					i += len(tag) + j + len(tag)
				} else {
					i = len(sql)
				}
			} else {
				mask[i] = true
				i++
			}
		default:
			mask[i] = true
			i++
		}
	}
	return mask
}

// dollarTag returns the opening $tag$ of a PostgreSQL dollar-quoted
// string at the start of s: $$ or $name$ where name does not start with a
// digit ($1 is a parameter).
func dollarTag(s string) (string, bool) {
	if len(s) < 2 || s[0] != '$' {
		return "", false
	}
	for j := 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '$':
			return s[:j+1], true
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
		case c >= '0' && c <= '9' && j > 1:
		default:
			return "", false
		}
	}
	return "", false
}

// Batch is one batch of a statement split at GO lines, run Count times.
type Batch struct {
	SQL   string
	Count int
}

// goLine matches a batch separator line: GO alone, with an optional
// count, optionally followed by a comment (sqlcmd's rules).
var goLine = regexp.MustCompile(`(?i)^[ \t]*GO(?:[ \t]+([0-9]+))?[ \t]*(?:--.*)?\r?$`)

// SplitBatches splits a SQL Server statement at its GO lines: a line that
// holds only GO (any case), optionally a repeat count and a comment, and
// is not inside a string or a comment. Empty batches are dropped. Other
// families have no GO: the statement is one batch.
func SplitBatches(sql string, fam database.Family) []Batch {
	if fam != database.FamilySQLServer {
		return []Batch{{SQL: sql, Count: 1}}
	}
	mask := codeMask(sql, fam)
	var out []Batch
	start := 0
	add := func(end, count int) {
		if s := sql[start:end]; strings.TrimSpace(s) != "" {
			out = append(out, Batch{SQL: s, Count: count})
		}
	}
	for ls := 0; ls < len(sql); {
		le := strings.IndexByte(sql[ls:], '\n')
		next := len(sql)
		if le >= 0 {
			le += ls
			next = le + 1
		} else {
			le = len(sql)
		}
		line := sql[ls:le]
		if m := goLine.FindStringSubmatch(line); m != nil {
			g := ls + strings.IndexAny(line, "Gg")
			if mask[g] && mask[g+1] {
				count := 1
				if m[1] != "" {
					count, _ = strconv.Atoi(m[1])
				}
				add(ls, count)
				start = next
			}
		}
		ls = next
	}
	add(len(sql), 1)
	return out
}

// Marker is a parameter marker of a statement: the n-th ? (Ordinal, from
// 0) or an @name (Name, without the @).
type Marker struct {
	Ordinal int
	Name    string
}

// Rewrite returns sql with its parameter markers rewritten for the
// driver of fam, and the markers in the order the driver numbers them.
// With named false the markers are ? (OLE DB, ODBC): they become @p1, @p2
// (SQL Server), $1, $2 (PostgreSQL) or ?1, ?2 (SQLite). With named true
// the markers are @name for the names in bound (ADO.NET; the other @words
// are T-SQL variables or operators and stay): SQL Server keeps them as
// they are (go-mssqldb binds sql.Named), PostgreSQL and SQLite get $n or
// ?n, one number per distinct name. Markers inside literals, quoted
// identifiers and comments are not markers.
func Rewrite(sql string, fam database.Family, named bool, bound map[string]bool) (string, []Marker) {
	mask := codeMask(sql, fam)
	var b strings.Builder
	var markers []Marker
	number := map[string]int{}
	num := func(n int) string {
		switch fam {
		case database.FamilySQLServer:
			return "@p" + strconv.Itoa(n)
		case database.FamilyPostgreSQL:
			return "$" + strconv.Itoa(n)
		}
		return "?" + strconv.Itoa(n)
	}
	identChar := func(c byte) bool {
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
	}
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		if !mask[i] {
			b.WriteByte(c)
			continue
		}
		switch {
		case !named && c == '?':
			markers = append(markers, Marker{Ordinal: len(markers)})
			b.WriteString(num(len(markers)))
			continue
		case named && c == '@' && (i == 0 || !(identChar(sql[i-1]) || sql[i-1] == '@')):
			j := i + 1
			for j < len(sql) && mask[j] && (identChar(sql[j]) || sql[j] == '#' || sql[j] == '$') {
				j++
			}
			name := sql[i+1 : j]
			if name != "" && bound[strings.ToLower(name)] {
				if fam == database.FamilySQLServer {
					markers = append(markers, Marker{Ordinal: len(markers), Name: name})
					b.WriteString(sql[i:j])
				} else {
					n, ok := number[strings.ToLower(name)]
					if !ok {
						markers = append(markers, Marker{Ordinal: len(markers), Name: name})
						n = len(markers)
						number[strings.ToLower(name)] = n
					}
					b.WriteString(num(n))
				}
				i = j - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String(), markers
}

// returnCall matches the OLE DB form of a stored procedure call whose
// return code is a parameter: "? = EXEC[UTE] proc ...".
var returnCall = regexp.MustCompile(`(?is)^(\s*)\?\s*=\s*exec(?:ute)?\s+`)

// odbcCall matches the ODBC escape of a procedure call:
// "{call proc(?, ?)}" or "{? = call proc(?)}".
var odbcCall = regexp.MustCompile(`(?is)^\s*\{\s*(\?\s*=\s*)?call\s+([^\s(}]+)\s*(?:\((.*)\))?\s*\}\s*;?\s*$`)

// transactSQL turns the call forms of OLE DB and ODBC into T-SQL that
// go-mssqldb can send with the return code in its first marker:
// "? = EXEC p ?" becomes "EXEC ? = p ?" and "{? = call p(?, ?)}" becomes
// "EXEC ? = p ?, ?". Other statements are returned as they are.
func transactSQL(sql string) string {
	if m := returnCall.FindStringSubmatchIndex(sql); m != nil {
		return sql[m[2]:m[3]] + "EXEC ? = " + sql[m[1]:]
	}
	if m := odbcCall.FindStringSubmatch(sql); m != nil {
		s := "EXEC "
		if m[1] != "" {
			s += "? = "
		}
		return s + m[2] + " " + m[3]
	}
	return sql
}
