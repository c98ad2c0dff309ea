package pipeline

import (
	"strconv"
	"strings"
)

// Type is an Integration Services data type of a column, as listed in
// "Integration Services Data Types"
// (https://learn.microsoft.com/sql/integration-services/data-flow/integration-services-data-types).
type Type int

// Data types of pipeline columns. TypeUnknown is a persisted name this
// package does not know.
const (
	TypeUnknown Type = iota
	TypeEmpty
	TypeNull
	TypeI1
	TypeI2
	TypeI4
	TypeI8
	TypeUI1
	TypeUI2
	TypeUI4
	TypeUI8
	TypeR4
	TypeR8
	TypeCY
	TypeNumeric
	TypeDecimal
	TypeBool
	TypeGUID
	TypeStr
	TypeWStr
	TypeText
	TypeNText
	TypeImage
	TypeBytes
	TypeDate
	TypeDBDate
	TypeDBTime
	TypeDBTime2
	TypeDBTimestamp
	TypeDBTimestamp2
	TypeDBTimestampOffset
	TypeFileTime
)

// typeInfo is a type's DT_ name and the names packages persist for it: the
// short names of dataType and cachedDataType attributes (wstr, i4, numeric,
// dbTimeStamp, nText, ...), as found in the corpus of real packages.
var typeInfo = [...]struct {
	name, persisted string
}{
	TypeUnknown:           {"DT_UNKNOWN", ""},
	TypeEmpty:             {"DT_EMPTY", "empty"},
	TypeNull:              {"DT_NULL", "null"},
	TypeI1:                {"DT_I1", "i1"},
	TypeI2:                {"DT_I2", "i2"},
	TypeI4:                {"DT_I4", "i4"},
	TypeI8:                {"DT_I8", "i8"},
	TypeUI1:               {"DT_UI1", "ui1"},
	TypeUI2:               {"DT_UI2", "ui2"},
	TypeUI4:               {"DT_UI4", "ui4"},
	TypeUI8:               {"DT_UI8", "ui8"},
	TypeR4:                {"DT_R4", "r4"},
	TypeR8:                {"DT_R8", "r8"},
	TypeCY:                {"DT_CY", "cy"},
	TypeNumeric:           {"DT_NUMERIC", "numeric"},
	TypeDecimal:           {"DT_DECIMAL", "decimal"},
	TypeBool:              {"DT_BOOL", "bool"},
	TypeGUID:              {"DT_GUID", "guid"},
	TypeStr:               {"DT_STR", "str"},
	TypeWStr:              {"DT_WSTR", "wstr"},
	TypeText:              {"DT_TEXT", "text"},
	TypeNText:             {"DT_NTEXT", "nText"},
	TypeImage:             {"DT_IMAGE", "image"},
	TypeBytes:             {"DT_BYTES", "bytes"},
	TypeDate:              {"DT_DATE", "date"},
	TypeDBDate:            {"DT_DBDATE", "dbDate"},
	TypeDBTime:            {"DT_DBTIME", "dbTime"},
	TypeDBTime2:           {"DT_DBTIME2", "dbTime2"},
	TypeDBTimestamp:       {"DT_DBTIMESTAMP", "dbTimeStamp"},
	TypeDBTimestamp2:      {"DT_DBTIMESTAMP2", "dbTimeStamp2"},
	TypeDBTimestampOffset: {"DT_DBTIMESTAMPOFFSET", "dbTimeStampOffset"},
	TypeFileTime:          {"DT_FILETIME", "fileTime"},
}

var typesByName = func() map[string]Type {
	m := map[string]Type{}
	for t := TypeEmpty; int(t) < len(typeInfo); t++ {
		m[strings.ToLower(typeInfo[t].name)] = t
		m[strings.ToLower(typeInfo[t].persisted)] = t
	}
	return m
}()

// ParseType reads a data type by its persisted name (wstr, i4, numeric,
// dbTimeStamp2, ...) or its DT_ name (DT_WSTR, as the reference metadata of
// a Lookup persists it), in any letter case. It reports false for a name it
// does not know.
func ParseType(s string) (Type, bool) {
	t, ok := typesByName[strings.ToLower(strings.TrimSpace(s))]
	return t, ok
}

// String returns the type's DT_ name (DT_WSTR, DT_I4, ...).
func (t Type) String() string {
	if t >= 0 && int(t) < len(typeInfo) {
		return typeInfo[t].name
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Persisted returns the name packages persist for the type (wstr, i4, ...).
func (t Type) Persisted() string {
	if t >= 0 && int(t) < len(typeInfo) {
		return typeInfo[t].persisted
	}
	return ""
}

// MarshalText makes a Type appear by its DT_ name in JSON.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// ColumnType is a column's data type with the attributes that qualify it:
// the length of strings and byte arrays, the precision and scale of
// DT_NUMERIC and DT_DECIMAL (and the fractional digits of DT_DBTIME2,
// DT_DBTIMESTAMP2 and DT_DBTIMESTAMPOFFSET, persisted as scale), and the
// code page of DT_STR and DT_TEXT.
type ColumnType struct {
	Type      Type
	Persisted string // the name as persisted, kept for diagnostics
	Length    int
	Precision int
	Scale     int
	CodePage  int
}

// String writes the type as the SSIS designer and expressions do:
// DT_STR(50, 1252), DT_WSTR(255), DT_NUMERIC(18, 2), DT_DECIMAL(4),
// DT_DBTIMESTAMP2(7), DT_BYTES(16), DT_I4.
func (c ColumnType) String() string {
	n := c.Type.String()
	if c.Type == TypeUnknown {
		return n + "(" + strconv.Quote(c.Persisted) + ")"
	}
	switch c.Type {
	case TypeStr:
		return n + "(" + strconv.Itoa(c.Length) + ", " + strconv.Itoa(c.CodePage) + ")"
	case TypeWStr, TypeBytes:
		return n + "(" + strconv.Itoa(c.Length) + ")"
	case TypeText:
		return n + "(" + strconv.Itoa(c.CodePage) + ")"
	case TypeNumeric:
		return n + "(" + strconv.Itoa(c.Precision) + ", " + strconv.Itoa(c.Scale) + ")"
	case TypeDecimal, TypeDBTime2, TypeDBTimestamp2, TypeDBTimestampOffset:
		return n + "(" + strconv.Itoa(c.Scale) + ")"
	}
	return n
}
