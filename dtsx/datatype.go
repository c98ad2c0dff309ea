package dtsx

import "strconv"

// DataType is the type of a variable or parameter value, as an OLE VARIANT
// type code (VT_*): the codes packages persist in DTS:DataType. Project
// files (.params, manifests) persist .NET TypeCode numbers instead; the
// loader converts them, so one DataType serves both.
type DataType int

// Data types seen in real packages.
const (
	TypeEmpty    DataType = 0
	TypeNull     DataType = 1
	TypeInt16    DataType = 2
	TypeInt32    DataType = 3
	TypeSingle   DataType = 4
	TypeDouble   DataType = 5
	TypeCurrency DataType = 6
	TypeDateTime DataType = 7
	TypeString   DataType = 8
	TypeBoolean  DataType = 11
	TypeObject   DataType = 13
	TypeDecimal  DataType = 14
	TypeSByte    DataType = 16
	TypeByte     DataType = 17
	TypeUInt16   DataType = 18
	TypeUInt32   DataType = 19
	TypeInt64    DataType = 20
	TypeUInt64   DataType = 21
	TypeChar     DataType = 129 // not a VARIANT code: SSIS's Char, kept distinct
)

var typeNames = map[DataType]string{
	TypeEmpty: "Empty", TypeNull: "DBNull", TypeInt16: "Int16", TypeInt32: "Int32", TypeSingle: "Single",
	TypeDouble: "Double", TypeCurrency: "Currency", TypeDateTime: "DateTime", TypeString: "String",
	TypeBoolean: "Boolean", TypeObject: "Object", TypeDecimal: "Decimal", TypeSByte: "SByte", TypeByte: "Byte",
	TypeUInt16: "UInt16", TypeUInt32: "UInt32", TypeInt64: "Int64", TypeUInt64: "UInt64", TypeChar: "Char",
}

// String returns the type's .NET name (String, Int32, Boolean, ...).
func (t DataType) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "DataType(" + strconv.Itoa(int(t)) + ")"
}

// MarshalText makes a DataType appear by name in JSON.
func (t DataType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// typeCodes maps .NET TypeCode numbers (project files) to DataTypes.
var typeCodes = map[int]DataType{
	0: TypeEmpty, 1: TypeObject, 2: TypeNull, 3: TypeBoolean, 4: TypeChar, 5: TypeSByte, 6: TypeByte,
	7: TypeInt16, 8: TypeUInt16, 9: TypeInt32, 10: TypeUInt32, 11: TypeInt64, 12: TypeUInt64,
	13: TypeSingle, 14: TypeDouble, 15: TypeDecimal, 16: TypeDateTime, 18: TypeString,
}

// FromTypeCode converts a .NET TypeCode number, as project files persist it.
func FromTypeCode(code int) (DataType, bool) {
	t, ok := typeCodes[code]
	return t, ok
}
