package dbflow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
)

// ErrConfig is matched by the error of a component whose configuration
// cannot work: a missing table name, a variable that does not hold a
// string, an output column the command does not return.
var ErrConfig = errors.New("dbflow: invalid component")

// Connection is what a component opens its session with:
// *database.Manager.
type Connection interface {
	Acquire(ctx context.Context, opts database.Options) (*database.Session, error)
}

// Variables is where a component reads the variables its properties name
// (OpenRowsetVariable, SqlCommandVariable, the ParameterMapping), by
// qualified name ("User::Table").
type Variables interface {
	Variable(ctx context.Context, name string) (any, error)
}

// The values of AccessMode, as the OLE DB Source and OLE DB Destination
// persist it ("OLE DB Source": Table or view, Table name or view name
// variable, SQL command, SQL command from variable; "OLE DB Destination"
// adds the two fast-load modes). The ADO NET Source persists 0 and 2 alone.
const (
	AccessOpenRowset                 = 0
	AccessOpenRowsetVariable         = 1
	AccessSqlCommand                 = 2
	AccessSqlCommandVariable         = 3
	AccessOpenRowsetFastLoad         = 3 // OLE DB Destination only
	AccessOpenRowsetFastLoadVariable = 4 // OLE DB Destination only
)

// stringVariable reads a variable that must hold a non-empty string.
func stringVariable(ctx context.Context, vars Variables, prop, name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("%w: %s is empty (name the variable that holds the value)", ErrConfig, prop)
	}
	if vars == nil {
		return "", fmt.Errorf("%w: %s names %s and the component has no variables to read it from", ErrConfig, prop, name)
	}
	v, err := vars.Variable(ctx, name)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", prop, name, err)
	}
	s, ok := v.(string)
	if !ok || strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("%w: %s %s holds %v (%T), want the name or command as a non-empty string", ErrConfig, prop, name, v, v)
	}
	return s, nil
}

// nameParts splits a multi-part object name as SSIS persists it
// ([dbo].[Orders], "public"."orders", dbo.Orders) into its parts, and
// reports for each whether it was quoted.
func nameParts(s string) ([]string, []bool, error) {
	var parts []string
	var quoted []bool
	s = strings.TrimSpace(s)
	for s != "" {
		var part string
		q := false
		switch s[0] {
		case '[', '"', '`':
			close := map[byte]byte{'[': ']', '"': '"', '`': '`'}[s[0]]
			var b strings.Builder
			i := 1
			for ; i < len(s); i++ {
				if s[i] == close {
					if i+1 < len(s) && s[i+1] == close {
						b.WriteByte(close)
						i++
						continue
					}
					break
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, nil, fmt.Errorf("%w: the name %q has an unclosed %c", ErrConfig, s, s[0])
			}
			part, q, s = b.String(), true, s[i+1:]
		default:
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part, s = strings.TrimSpace(s[:i]), s[i:]
		}
		if part == "" {
			return nil, nil, fmt.Errorf("%w: the name has an empty part", ErrConfig)
		}
		parts, quoted = append(parts, part), append(quoted, q)
		s = strings.TrimSpace(s)
		if s != "" {
			if s[0] != '.' {
				return nil, nil, fmt.Errorf("%w: unexpected %q in an object name", ErrConfig, s)
			}
			s = strings.TrimSpace(s[1:])
		}
	}
	if len(parts) == 0 {
		return nil, nil, fmt.Errorf("%w: the table or view name is empty", ErrConfig)
	}
	return parts, quoted, nil
}

// quoteIdent quotes one identifier for the family.
func quoteIdent(fam database.Family, s string) string {
	if fam == database.FamilySQLServer {
		return "[" + strings.ReplaceAll(s, "]", "]]") + "]"
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// objectName parses a persisted table or view name and returns its parts as
// the database names them (an unquoted PostgreSQL part folded to lower
// case) and the name quoted for the family's SQL.
func objectName(fam database.Family, s string) ([]string, string, error) {
	parts, quoted, err := nameParts(s)
	if err != nil {
		return nil, "", err
	}
	q := make([]string, len(parts))
	for i, p := range parts {
		if fam == database.FamilyPostgreSQL && !quoted[i] {
			parts[i] = strings.ToLower(p)
		}
		q[i] = quoteIdent(fam, parts[i])
	}
	return parts, strings.Join(q, "."), nil
}

// timeout returns ctx limited to seconds, or ctx when seconds is 0 (no
// limit, as CommandTimeout 0 means).
func timeout(ctx context.Context, seconds int) (context.Context, context.CancelFunc) {
	if seconds <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, time.Duration(seconds)*time.Second)
}
