package pipeline

// typeNumbers are the numbers of the data types in the DataType
// enumeration of the SSIS object model (Microsoft.SqlServer.Dts.Runtime.
// Wrapper.DataType, DT_I4 = 3, DT_WSTR = 130, ...), which connection
// managers persist for their columns (a Flat File or Cache connection
// manager's DataType).
var typeNumbers = map[int]Type{
	0: TypeEmpty, 1: TypeNull, 2: TypeI2, 3: TypeI4, 4: TypeR4, 5: TypeR8, 6: TypeCY, 7: TypeDate,
	11: TypeBool, 14: TypeDecimal, 16: TypeI1, 17: TypeUI1, 18: TypeUI2, 19: TypeUI4, 20: TypeI8,
	21: TypeUI8, 64: TypeFileTime, 72: TypeGUID, 128: TypeBytes, 129: TypeStr, 130: TypeWStr,
	131: TypeNumeric, 133: TypeDBDate, 134: TypeDBTime, 135: TypeDBTimestamp, 145: TypeDBTime2,
	146: TypeDBTimestampOffset, 301: TypeImage, 302: TypeText, 303: TypeNText, 304: TypeDBTimestamp2,
}

// TypeOfNumber returns the data type of a DataType number, and false for a
// number that is none.
func TypeOfNumber(n int) (Type, bool) {
	t, ok := typeNumbers[n]
	return t, ok
}
