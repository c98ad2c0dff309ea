package executesql

import (
	"regexp"
	"strconv"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
)

// Summary is what `dtsx inspect` shows of an Execute SQL task: its
// connection, statement (with passwords masked), result set type and
// bindings.
type Summary struct {
	Connection    string          `json:"connection"`
	SourceType    string          `json:"sourceType"`
	Statement     string          `json:"statement"`
	ResultSetType string          `json:"resultSetType"`
	TimeOut       int             `json:"timeOut,omitempty"`
	StoredProc    bool            `json:"isStoredProcedure,omitempty"`
	Parameters    []ParameterInfo `json:"parameters,omitempty"`
	Results       []Result        `json:"results,omitempty"`
}

// ParameterInfo is a parameter mapping as inspect shows it: the data type
// by its name for the connection's type.
type ParameterInfo struct {
	Name      string `json:"name"`
	Variable  string `json:"variable"`
	Direction string `json:"direction"`
	DataType  string `json:"dataType"`
	Size      int    `json:"size,omitempty"`
}

// passwordInSQL finds the literal of a PASSWORD = '...' clause (CREATE
// LOGIN, ALTER ROLE ... PASSWORD '...').
var passwordInSQL = regexp.MustCompile(`(?i)(\bpassword\s*=?\s*N?)'(?:[^']|'')*'`)

// MaskStatement hides the password literals of a statement.
func MaskStatement(s string) string { return passwordInSQL.ReplaceAllString(s, "$1'********'") }

// Describe summarises the task def; creationName is its connection
// manager's, when known, which names the parameters' data types.
func Describe(def *dtsx.Executable, creationName string) *Summary {
	p, _ := ReadProperties(def)
	kind, _ := database.ParseKind(creationName)
	s := &Summary{Connection: p.Connection, SourceType: p.SqlStatementSourceType.String(), Statement: MaskStatement(p.SqlStatementSource),
		ResultSetType: p.ResultSetType.String(), TimeOut: p.TimeOut, StoredProc: p.IsQueryStoredProcedure, Results: p.Results}
	for _, b := range p.Parameters {
		pt, ok := LookupParamType(kind, b.DataType)
		name := pt.Name
		if !ok || kind == database.KindUnknown {
			name = strconv.Itoa(b.DataType)
		}
		size := b.Size
		if size < 0 {
			size = 0
		}
		s.Parameters = append(s.Parameters, ParameterInfo{Name: b.Name, Variable: b.Variable, Direction: b.Direction.String(),
			DataType: name, Size: size})
	}
	return s
}
