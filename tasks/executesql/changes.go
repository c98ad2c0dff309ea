package executesql

import (
	"strings"

	"github.com/dtsx-run/dtsx/connections/database"
)

// changesRows reports whether the driver's rows-affected count belongs to
// sql. SQLite's count (sqlite3_changes) is that of the last INSERT, UPDATE
// or DELETE, and a DROP or CREATE after one reports it again, so on SQLite
// only a statement that starts (after comments) with one of those, REPLACE,
// or a WITH clause in front of one, counts. Other drivers count what the
// statement itself changed.
func changesRows(sql string, fam database.Family) bool {
	if fam != database.FamilySQLite {
		return true
	}
	mask := codeMask(sql, fam)
	start := -1
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		if !mask[i] || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(' || c == ';' {
			continue
		}
		start = i
		break
	}
	if start < 0 {
		return false
	}
	end := start
	for end < len(sql) && mask[end] && (sql[end] == '_' || sql[end] >= 'a' && sql[end] <= 'z' || sql[end] >= 'A' && sql[end] <= 'Z') {
		end++
	}
	switch strings.ToUpper(sql[start:end]) {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH":
		return true
	}
	return false
}
