package executesql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// enum is an SSIS enumeration as the task persists it: names, and the
// numbers of its .NET type (property expressions give numbers).
type enum struct {
	names []string
	nums  []int
}

// SourceType says where the statement comes from (SqlStatementSourceType).
type SourceType int

// Statement sources, with the numbers of SqlStatementSourceType.
const (
	DirectInput    SourceType = iota // 1
	FileConnection                   // 2
	Variable                         // 3
)

var sourceEnum = enum{[]string{"DirectInput", "FileConnection", "Variable"}, []int{1, 2, 3}}

// String returns the SSIS name.
func (s SourceType) String() string { return tasks.EnumName(sourceEnum.names, s) }

// ParseSourceType reads DirectInput, FileConnection or Variable, or 1, 2,
// 3; an empty value (omitted in formats 6 and 8) is DirectInput.
func ParseSourceType(s string) (SourceType, bool) {
	return tasks.ParseEnumAs[SourceType](sourceEnum.names, sourceEnum.nums, "", s)
}

// ResultSetType is what the statement returns (ResultSetType).
type ResultSetType int

// Result set types, with the numbers of the .NET ResultSetType (1 to 4).
const (
	ResultNone      ResultSetType = iota // ResultSetType_None
	ResultSingleRow                      // ResultSetType_SingleRow
	ResultFull                           // ResultSetType_Rowset
	ResultXML                            // ResultSetType_XML
)

var resultEnum = enum{[]string{"None", "SingleRow", "Rowset", "XML"}, []int{1, 2, 3, 4}}

// String returns the persisted name (ResultSetType_Rowset, ...).
func (r ResultSetType) String() string { return "ResultSetType_" + tasks.EnumName(resultEnum.names, r) }

// ParseResultSetType reads ResultSetType_None, _SingleRow, _Rowset or
// _XML (with or without the prefix; "Full" for Rowset, as the editor
// calls it), or 1 to 4; an empty value is None.
func ParseResultSetType(s string) (ResultSetType, bool) {
	if strings.EqualFold(strings.TrimSpace(s), "Full") || strings.EqualFold(strings.TrimSpace(s), "FullResultSet") {
		return ResultFull, true
	}
	return tasks.ParseEnumAs[ResultSetType](resultEnum.names, resultEnum.nums, "ResultSetType_", s)
}

// Direction is a parameter's direction (ParameterDirections).
type Direction int

// Parameter directions, with the numbers of ParameterDirections (1, 2, 4).
const (
	Input Direction = iota
	Output
	ReturnValue
)

var directionEnum = enum{[]string{"Input", "Output", "ReturnValue"}, []int{1, 2, 4}}

// String returns the SSIS name.
func (d Direction) String() string { return tasks.EnumName(directionEnum.names, d) }

// ParseDirection reads Input, Output or ReturnValue, or 1, 2, 4; an empty
// value is Input.
func ParseDirection(s string) (Direction, bool) {
	return tasks.ParseEnumAs[Direction](directionEnum.names, directionEnum.nums, "", s)
}

// TypeConversionMode says whether result values are converted to the
// variables' types (SSIS 2012 and later: None or Allowed).
type TypeConversionMode int

// Type conversion modes.
const (
	ConversionAllowed TypeConversionMode = iota // Allowed (1), the default of new tasks
	ConversionNone                              // None (0)
)

// String returns the SSIS name.
func (m TypeConversionMode) String() string {
	if m == ConversionNone {
		return "None"
	}
	return "Allowed"
}

// ParseTypeConversionMode reads Allowed or None, or 1 or 0; an empty value
// is Allowed.
func ParseTypeConversionMode(s string) (TypeConversionMode, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "allowed", "1":
		return ConversionAllowed, true
	case "none", "0":
		return ConversionNone, true
	}
	return ConversionAllowed, false
}

// Parameter is a parameter mapping (SQLTask:ParameterBinding).
type Parameter struct {
	Name      string // ParameterName: 0, 1, ... (OLE DB), 1, 2, ... (ODBC), @name (ADO.NET)
	Variable  string // DtsVariableName: User::X
	Direction Direction
	DataType  int // the provider's type code (OLE DB DBTYPE, ADO.NET DbType, ODBC SQL type)
	Size      int // ParameterSize; -1 is the default
}

// Result is a result set mapping (SQLTask:ResultBinding).
type Result struct {
	Name     string // ResultName: a column name or ordinal; 0 for a full or XML result
	Variable string // DtsVariableName
}

// Properties are the persisted properties of an Execute SQL task, named as
// the runtime (and property expressions) name them.
type Properties struct {
	Connection             string // a connection manager DTSID or name
	SqlStatementSourceType SourceType
	SqlStatementSource     string
	TimeOut                int // seconds; 0 is none
	ResultSetType          ResultSetType
	IsQueryStoredProcedure bool
	BypassPrepare          bool
	CodePage               int
	TypeConversionMode     TypeConversionMode
	Parameters             []Parameter
	Results                []Result
}

// Set sets a property by the name the runtime and property expressions use
// (Connection, SqlStatementSource, SqlStatementSourceType, TimeOut,
// ResultSetType, IsQueryStoredProcedure, BypassPrepare, CodePage,
// TypeConversionMode) or by its XML attribute name (SqlStmtSourceType,
// ResultType, IsStoredProc). An unknown name gives an error matching
// tasks.ErrUnknownProperty; on error nothing changes.
func (p *Properties) Set(name, value string) error {
	switch strings.ToLower(name) {
	case "connection":
		p.Connection = value
	case "sqlstatementsource":
		p.SqlStatementSource = value
	case "sqlstatementsourcetype", "sqlstmtsourcetype":
		return tasks.SetParsed(&p.SqlStatementSourceType, value, ParseSourceType, "SqlStatementSourceType", "use DirectInput, FileConnection or Variable (1, 2, 3)")
	case "timeout":
		return tasks.SetParsed(&p.TimeOut, value, parseTimeOut, "TimeOut", "use a number of seconds, 0 for none")
	case "resultsettype", "resulttype":
		return tasks.SetParsed(&p.ResultSetType, value, ParseResultSetType, "ResultSetType", "use ResultSetType_None, _SingleRow, _Rowset or _XML (1 to 4)")
	case "isquerystoredprocedure", "isstoredproc":
		return tasks.SetParsed(&p.IsQueryStoredProcedure, value, parseBoolDefault, "IsQueryStoredProcedure", "use True or False")
	case "bypassprepare":
		return tasks.SetParsed(&p.BypassPrepare, value, parseBoolDefault, "BypassPrepare", "use True or False")
	case "codepage":
		return tasks.SetParsed(&p.CodePage, value, parseCodePage, "CodePage", "use a code page number such as 1252 or 65001")
	case "typeconversionmode":
		return tasks.SetParsed(&p.TypeConversionMode, value, ParseTypeConversionMode, "TypeConversionMode", "use Allowed or None")
	default:
		return fmt.Errorf("%w %q", tasks.ErrUnknownProperty, name)
	}
	return nil
}

func parseTimeOut(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

func parseCodePage(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

func parseInt(s string, def int) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return def, false
	}
	return n, true
}

// attr returns the attribute of e by its local name, ignoring case and
// prefix.
func attr(e *etree.Element, key string) string {
	for _, a := range e.Attr {
		if a.Space != "xmlns" && strings.EqualFold(a.Key, key) {
			return a.Value
		}
	}
	return ""
}

// ReadProperties reads a task's SqlTaskData and its bindings. Values that
// cannot be read are reported and left at their defaults.
func ReadProperties(def *dtsx.Executable) (Properties, []tasks.Problem) {
	r := &tasks.Reader{Def: def}
	p := Properties{
		Connection:         r.Get("Connection"),
		SqlStatementSource: r.Get("SqlStatementSource"),
	}
	tasks.Parse(r, &p.SqlStatementSourceType, "SqlStmtSourceType", ParseSourceType, "SqlStatementSourceType",
		"is not a statement source type", "use DirectInput, FileConnection or Variable")
	tasks.Parse(r, &p.TimeOut, "TimeOut", parseTimeOut, "TimeOut", "is not a number of seconds", "use a number of seconds, 0 for none")
	tasks.Parse(r, &p.ResultSetType, "ResultType", ParseResultSetType, "ResultSetType", "is not a result set type",
		"use ResultSetType_None, ResultSetType_SingleRow, ResultSetType_Rowset or ResultSetType_XML")
	tasks.Parse(r, &p.IsQueryStoredProcedure, "IsStoredProc", parseBoolDefault, "IsQueryStoredProcedure", "is not a Boolean", "use True or False")
	tasks.Parse(r, &p.BypassPrepare, "BypassPrepare", parseBoolDefault, "BypassPrepare", "is not a Boolean", "use True or False")
	tasks.Parse(r, &p.CodePage, "CodePage", parseCodePage, "CodePage", "is not a code page", "use a code page number such as 1252 or 65001")
	tasks.Parse(r, &p.TypeConversionMode, "TypeConversionMode", ParseTypeConversionMode, "TypeConversionMode",
		"is not a type conversion mode", "use Allowed or None")
	if def.ObjectData == nil {
		return p, r.Problems
	}
	for i, c := range def.ObjectData.ChildElements() {
		switch {
		case strings.EqualFold(c.Tag, "ParameterBinding"):
			b := Parameter{Name: attr(c, "ParameterName"), Variable: attr(c, "DtsVariableName")}
			where := fmt.Sprintf("ParameterBinding %d (%q)", i+1, b.Name)
			var ok bool
			if b.Direction, ok = ParseDirection(attr(c, "ParameterDirection")); !ok {
				r.Problem(where+" ParameterDirection", attr(c, "ParameterDirection"), "is not a direction", "use Input, Output or ReturnValue")
			}
			if b.DataType, ok = parseInt(attr(c, "DataType"), -1); !ok {
				r.Problem(where+" DataType", attr(c, "DataType"), "is not a type code", "choose the parameter's data type in the task's Parameter Mapping")
			}
			if b.Size, ok = parseInt(attr(c, "ParameterSize"), -1); !ok {
				r.Problem(where+" ParameterSize", attr(c, "ParameterSize"), "is not a size", "use -1 (the default) or a size")
			}
			p.Parameters = append(p.Parameters, b)
		case strings.EqualFold(c.Tag, "ResultBinding"):
			p.Results = append(p.Results, Result{Name: attr(c, "ResultName"), Variable: attr(c, "DtsVariableName")})
		}
	}
	return p, r.Problems
}

// parseBoolDefault reads a Boolean; an empty value is False.
func parseBoolDefault(s string) (bool, bool) {
	if strings.TrimSpace(s) == "" {
		return false, true
	}
	return dtsx.ParseBool(s)
}
