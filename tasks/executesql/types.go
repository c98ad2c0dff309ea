package executesql

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

// Category is the Go value a parameter's data type passes to the driver.
type Category int

// Categories of parameter data types.
const (
	CatAny     Category = iota // the variable's own value
	CatString                  // string
	CatInt                     // int64, range-checked to Bits
	CatUint                    // int64 (or uint64), range-checked to Bits
	CatFloat                   // float64
	CatDecimal                 // the exact decimal's text
	CatBool                    // bool
	CatTime                    // time.Time
	CatBytes                   // []byte
	CatGUID                    // the GUID's text
)

// ParamType is a persisted parameter data type: its name in the task
// editor and what it passes.
type ParamType struct {
	Name string
	Cat  Category
	Bits int // for integers
}

// OLE DB type codes (DBTYPE, the numbers SSIS persists for OLE DB and
// Excel connections; the editor's names).
var oledbTypes = map[int]ParamType{
	2: {"SHORT", CatInt, 16}, 3: {"LONG", CatInt, 32}, 4: {"FLOAT", CatFloat, 0}, 5: {"DOUBLE", CatFloat, 0},
	6: {"CURRENCY", CatDecimal, 0}, 7: {"DATE", CatTime, 0}, 8: {"BSTR", CatString, 0}, 11: {"VARIANT_BOOL", CatBool, 0},
	12: {"VARIANT", CatAny, 0}, 14: {"DECIMAL", CatDecimal, 0}, 16: {"BYTE", CatInt, 8}, 17: {"UNSIGNED BYTE", CatUint, 8},
	18: {"USHORT", CatUint, 16}, 19: {"ULONG", CatUint, 32}, 20: {"LARGE_INTEGER", CatInt, 64}, 21: {"ULARGE_INTEGER", CatUint, 64},
	64: {"FILETIME", CatTime, 0}, 72: {"GUID", CatGUID, 0}, 128: {"BYTES", CatBytes, 0}, 129: {"VARCHAR", CatString, 0},
	130: {"NVARCHAR", CatString, 0}, 131: {"NUMERIC", CatDecimal, 0}, 133: {"DBDATE", CatTime, 0}, 134: {"DBTIME", CatTime, 0},
	135: {"DBTIMESTAMP", CatTime, 0}, 145: {"DBTIME2", CatTime, 0}, 146: {"DBTIMESTAMPOFFSET", CatTime, 0},
}

// ADO.NET type codes (System.Data.DbType).
var adonetTypes = map[int]ParamType{
	0: {"AnsiString", CatString, 0}, 1: {"Binary", CatBytes, 0}, 2: {"Byte", CatUint, 8}, 3: {"Boolean", CatBool, 0},
	4: {"Currency", CatDecimal, 0}, 5: {"Date", CatTime, 0}, 6: {"DateTime", CatTime, 0}, 7: {"Decimal", CatDecimal, 0},
	8: {"Double", CatFloat, 0}, 9: {"Guid", CatGUID, 0}, 10: {"Int16", CatInt, 16}, 11: {"Int32", CatInt, 32},
	12: {"Int64", CatInt, 64}, 13: {"Object", CatAny, 0}, 14: {"SByte", CatInt, 8}, 15: {"Single", CatFloat, 0},
	16: {"String", CatString, 0}, 17: {"Time", CatTime, 0}, 18: {"UInt16", CatUint, 16}, 19: {"UInt32", CatUint, 32},
	20: {"UInt64", CatUint, 64}, 21: {"VarNumeric", CatDecimal, 0}, 22: {"AnsiStringFixedLength", CatString, 0},
	23: {"StringFixedLength", CatString, 0}, 25: {"Xml", CatString, 0}, 26: {"DateTime2", CatTime, 0},
	27: {"DateTimeOffset", CatTime, 0},
}

// ODBC type codes (the SQL data types of the ODBC API).
var odbcTypes = map[int]ParamType{
	1: {"SQL_CHAR", CatString, 0}, 2: {"SQL_NUMERIC", CatDecimal, 0}, 3: {"SQL_DECIMAL", CatDecimal, 0},
	4: {"SQL_INTEGER", CatInt, 32}, 5: {"SQL_SMALLINT", CatInt, 16}, 6: {"SQL_FLOAT", CatFloat, 0}, 7: {"SQL_REAL", CatFloat, 0},
	8: {"SQL_DOUBLE", CatFloat, 0}, 9: {"SQL_DATETIME", CatTime, 0}, 10: {"SQL_TIME", CatTime, 0}, 11: {"SQL_TIMESTAMP", CatTime, 0},
	12: {"SQL_VARCHAR", CatString, 0}, 91: {"SQL_TYPE_DATE", CatTime, 0}, 92: {"SQL_TYPE_TIME", CatTime, 0},
	93: {"SQL_TYPE_TIMESTAMP", CatTime, 0}, -1: {"SQL_LONGVARCHAR", CatString, 0}, -2: {"SQL_BINARY", CatBytes, 0},
	-3: {"SQL_VARBINARY", CatBytes, 0}, -4: {"SQL_LONGVARBINARY", CatBytes, 0}, -5: {"SQL_BIGINT", CatInt, 64},
	-6: {"SQL_TINYINT", CatInt, 8}, -7: {"SQL_BIT", CatBool, 0}, -8: {"SQL_WCHAR", CatString, 0},
	-9: {"SQL_WVARCHAR", CatString, 0}, -10: {"SQL_WLONGVARCHAR", CatString, 0}, -11: {"SQL_GUID", CatGUID, 0},
}

// LookupParamType returns the data type a parameter of a connection of
// kind persists as code. -1 (none persisted) passes the variable's value as
// it is.
func LookupParamType(kind database.Kind, code int) (ParamType, bool) {
	if code == -1 {
		return ParamType{Name: "(none)", Cat: CatAny}, true
	}
	var t ParamType
	var ok bool
	switch kind {
	case database.KindADONET:
		t, ok = adonetTypes[code]
	case database.KindODBC:
		t, ok = odbcTypes[code]
	default:
		t, ok = oledbTypes[code]
	}
	if !ok {
		return ParamType{Name: strconv.Itoa(code), Cat: CatAny}, false
	}
	return t, true
}

// ErrConvert is matched by the error for a variable's value that does not
// convert to its parameter's data type.
var ErrConvert = errors.New("executesql: the value does not convert to the parameter's data type")

// ToDriver converts a variable's value into the Go value a parameter of
// type t passes to the driver: NULL is nil, integers are range-checked,
// decimals pass their exact text, dates a time.Time.
func ToDriver(v expr.Value, t ParamType) (any, error) {
	if v.IsNull() {
		return nil, nil
	}
	bad := func(why string) error {
		if why != "" {
			why = ": " + why
		}
		return fmt.Errorf("%w: %s value %s is not a %s%s", ErrConvert, v.Type(), short(v.String()), t.Name, why)
	}
	text, isText := v.Text()
	switch t.Cat {
	case CatString, CatGUID:
		if isText {
			return text, nil
		}
		if g := v.Go(); g != nil {
			if b, ok := g.([]byte); ok {
				return string(b), nil
			}
		}
		return v.String(), nil
	case CatInt, CatUint:
		var n int64
		var err error
		switch {
		case isText:
			n, err = strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		case v.Type() == expr.TypeBool:
			var b bool
			b, err = v.Bool()
			if b {
				n = -1
			}
		default:
			n, err = v.Int()
		}
		if err != nil {
			if u, ok := v.Go().(uint64); ok && t.Cat == CatUint && t.Bits == 64 {
				return u, nil
			}
			return nil, bad("")
		}
		bits := t.Bits
		if t.Cat == CatUint {
			if n < 0 || (bits < 64 && n > 1<<bits-1) {
				return nil, bad("out of range")
			}
		} else if bits < 64 && (n < -(1<<(bits-1)) || n > 1<<(bits-1)-1) {
			return nil, bad("out of range")
		}
		return n, nil
	case CatFloat:
		if isText {
			f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
			if err != nil {
				return nil, bad("")
			}
			return f, nil
		}
		switch g := v.Go().(type) {
		case float64:
			return g, nil
		case float32:
			return float64(g), nil
		case *big.Rat:
			f, _ := g.Float64()
			return f, nil
		}
		if n, err := v.Int(); err == nil {
			return float64(n), nil
		}
		return nil, bad("")
	case CatDecimal:
		s := v.String()
		if isText {
			s = strings.TrimSpace(text)
		}
		switch g := v.Go().(type) {
		case float64:
			s = strconv.FormatFloat(g, 'f', -1, 64)
		case float32:
			s = strconv.FormatFloat(float64(g), 'f', -1, 32)
		case *big.Rat:
			s = ratText(g)
		}
		if _, ok := new(big.Rat).SetString(s); !ok {
			return nil, bad("")
		}
		return s, nil
	case CatBool:
		if isText {
			switch strings.ToLower(strings.TrimSpace(text)) {
			case "true", "1", "-1":
				return true, nil
			case "false", "0":
				return false, nil
			}
			return nil, bad("")
		}
		b, err := v.Bool()
		if err != nil {
			if n, err := v.Int(); err == nil {
				return n != 0, nil
			}
			return nil, bad("")
		}
		return b, nil
	case CatTime:
		if tm, ok := v.Time(); ok {
			return tm, nil
		}
		if isText {
			if tm, ok := parseTime(text); ok {
				return tm, nil
			}
		}
		return nil, bad("")
	case CatBytes:
		if b, ok := v.Go().([]byte); ok {
			return b, nil
		}
		if isText {
			return []byte(text), nil
		}
		return nil, bad("")
	}
	if v.Type() == expr.TypeObject {
		return nil, fmt.Errorf("%w: an Object variable cannot be a parameter", ErrConvert)
	}
	switch g := v.Go().(type) {
	case *big.Rat:
		return ratText(g), nil
	case int8:
		return int64(g), nil
	case int16:
		return int64(g), nil
	case int32:
		return int64(g), nil
	case uint8:
		return int64(g), nil
	case uint16:
		return int64(g), nil
	case uint32:
		return int64(g), nil
	case float32:
		return float64(g), nil
	default:
		return g, nil
	}
}

// ratText writes an exact decimal without a needless exponent or trailing
// zeros.
func ratText(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(28)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// timeLayouts are the text forms a date parameter is read from.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999",
	"2006-01-02", "1/2/2006 3:04:05 PM", "1/2/2006", "15:04:05"}

func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// short quotes a value for a message, cut to 40 characters.
func short(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// columnType returns the expression type of a column as its driver names
// it (DatabaseTypeName), or TypeEmpty when the name says nothing (an
// SQLite expression).
func columnType(ct *sql.ColumnType) expr.Type {
	name := strings.ToUpper(ct.DatabaseTypeName())
	if i := strings.IndexByte(name, '('); i >= 0 {
		name = strings.TrimSpace(name[:i])
	}
	switch name {
	case "TINYINT":
		return expr.TypeUI1
	case "SMALLINT", "INT2", "SMALLSERIAL":
		return expr.TypeI2
	case "INT", "INT4", "SERIAL", "MEDIUMINT":
		return expr.TypeI4
	case "BIGINT", "INT8", "BIGSERIAL", "INTEGER":
		return expr.TypeI8
	case "REAL", "FLOAT4":
		return expr.TypeR4
	case "FLOAT", "FLOAT8", "DOUBLE", "DOUBLE PRECISION":
		return expr.TypeR8
	case "DECIMAL", "NUMERIC", "MONEY", "SMALLMONEY":
		return expr.TypeNumeric
	case "BIT", "BOOL", "BOOLEAN":
		return expr.TypeBool
	case "DATE":
		return expr.TypeDBDate
	case "TIME", "TIMETZ":
		return expr.TypeDBTime2
	case "DATETIME", "DATETIME2", "SMALLDATETIME", "TIMESTAMP", "TIMESTAMPTZ":
		return expr.TypeDBTimestamp
	case "DATETIMEOFFSET":
		return expr.TypeDBTimestampOffset
	case "UNIQUEIDENTIFIER", "UUID":
		return expr.TypeGUID
	case "BINARY", "VARBINARY", "IMAGE", "BYTEA", "BLOB", "TIMESTAMP_ROWVERSION":
		return expr.TypeBytes
	case "CHAR", "VARCHAR", "NCHAR", "NVARCHAR", "TEXT", "NTEXT", "BPCHAR", "NAME", "XML", "JSON", "JSONB", "CLOB", "CHARACTER", "CHARACTER VARYING":
		return expr.TypeWStr
	}
	return expr.TypeEmpty
}

// FromDriver converts a value the driver scanned (into an any) to an
// expression value; t is the column's type, TypeEmpty when unknown.
// Integers are DT_I4 or DT_I8 as the column is, exact decimals keep their
// digits (DT_NUMERIC), dates are DT_DATE as an ADO recordset gives them
// to variables, text is DT_WSTR; NULL is a NULL of the column's type.
func FromDriver(v any, t expr.Type) (expr.Value, error) {
	if v == nil {
		if t == expr.TypeEmpty {
			return expr.Null(expr.TypeEmpty), nil
		}
		return expr.Null(t), nil
	}
	switch x := v.(type) {
	case int64:
		switch t {
		case expr.TypeI2, expr.TypeI4, expr.TypeUI1:
			if x >= math.MinInt32 && x <= math.MaxInt32 {
				return expr.I4(int32(x)), nil
			}
		case expr.TypeBool:
			return expr.Bool(x != 0), nil
		}
		return expr.I8(x), nil
	case int32:
		return expr.I4(x), nil
	case int16:
		return expr.I4(int32(x)), nil
	case int8:
		return expr.I4(int32(x)), nil
	case uint8:
		return expr.I4(int32(x)), nil
	case float64:
		return expr.R8(x), nil
	case float32:
		return expr.R8(float64(x)), nil
	case bool:
		return expr.Bool(x), nil
	case time.Time:
		return expr.Date(x), nil
	case []byte:
		switch t {
		case expr.TypeNumeric:
			return decimal(string(x))
		case expr.TypeBytes:
			return expr.Bytes(x), nil
		case expr.TypeGUID:
			return guidText(x), nil
		}
		return expr.Str(string(x)), nil
	case string:
		if t == expr.TypeNumeric {
			return decimal(x)
		}
		return expr.Str(x), nil
	case fmt.Stringer:
		return expr.Str(x.String()), nil
	}
	return expr.Str(fmt.Sprint(v)), nil
}

// decimal reads an exact decimal's text into a DT_NUMERIC-like value.
func decimal(s string) (expr.Value, error) {
	v, err := expr.FromDataType(dtsx.TypeDecimal, s)
	if err != nil {
		// More digits than a Decimal holds: keep the exact text.
		return expr.Str(s), nil
	}
	return v, nil
}

// guidText formats SQL Server's uniqueidentifier bytes (mixed-endian) or
// returns text as it is.
func guidText(b []byte) expr.Value {
	if len(b) != 16 {
		return expr.Str(string(b))
	}
	return expr.Str(fmt.Sprintf("{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
}
