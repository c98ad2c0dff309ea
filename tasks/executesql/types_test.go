package executesql_test

import (
	"errors"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// TestToDriver: a variable's value is converted to the Go value of its
// parameter's persisted data type, or refused with ErrConvert.
func TestToDriver(t *testing.T) {
	dec, _ := expr.FromDataType(dtsx.TypeDecimal, "12.50")
	day := time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)
	tests := []struct {
		name string
		kind database.Kind
		code int
		v    expr.Value
		want any
		err  bool
	}{
		{"OLE DB LONG", database.KindOLEDB, 3, expr.I4(42), int64(42), false},
		{"OLE DB LONG from text", database.KindOLEDB, 3, expr.Str(" 42 "), int64(42), false},
		{"OLE DB LONG not a number", database.KindOLEDB, 3, expr.Str("forty"), nil, true},
		{"OLE DB SHORT overflow", database.KindOLEDB, 2, expr.I4(70000), nil, true},
		{"OLE DB BYTE overflow", database.KindOLEDB, 16, expr.I4(200), nil, true},
		{"OLE DB ULONG negative", database.KindOLEDB, 19, expr.I4(-1), nil, true},
		{"OLE DB VARCHAR", database.KindOLEDB, 129, expr.Str("x"), "x", false},
		{"OLE DB NVARCHAR from int", database.KindOLEDB, 130, expr.I4(7), "7", false},
		{"OLE DB DATE", database.KindOLEDB, 7, expr.Date(day), day, false},
		{"OLE DB DBTIMESTAMP from text", database.KindOLEDB, 135, expr.Str("2024-02-29 13:14:15"), day, false},
		{"OLE DB DATE not a date", database.KindOLEDB, 7, expr.Str("someday"), nil, true},
		{"OLE DB VARIANT_BOOL", database.KindOLEDB, 11, expr.Bool(true), true, false},
		{"OLE DB VARIANT_BOOL from text", database.KindOLEDB, 11, expr.Str("False"), false, false},
		{"OLE DB DECIMAL", database.KindOLEDB, 14, dec, "12.5", false},
		{"OLE DB NUMERIC from text", database.KindOLEDB, 131, expr.Str("1e3"), "1e3", false},
		{"OLE DB NUMERIC not a number", database.KindOLEDB, 131, expr.Str("lots"), nil, true},
		{"OLE DB DOUBLE", database.KindOLEDB, 5, expr.I4(3), float64(3), false},
		{"NULL is nil", database.KindOLEDB, 3, expr.Null(expr.TypeI4), nil, false},
		{"ADO.NET Int32", database.KindADONET, 11, expr.I8(5), int64(5), false},
		{"ADO.NET String", database.KindADONET, 16, expr.Str("s"), "s", false},
		{"ADO.NET Boolean", database.KindADONET, 3, expr.Bool(false), false, false},
		{"ADO.NET Decimal", database.KindADONET, 7, expr.R8(1.25), "1.25", false},
		{"ADO.NET Binary", database.KindADONET, 1, expr.Bytes([]byte{1, 2}), []byte{1, 2}, false},
		{"ODBC SQL_INTEGER", database.KindODBC, 4, expr.I4(9), int64(9), false},
		{"ODBC SQL_WVARCHAR", database.KindODBC, -9, expr.Str("w"), "w", false},
		{"ODBC SQL_BIT", database.KindODBC, -7, expr.I4(1), true, false},
		{"no type: as it is", database.KindOLEDB, -1, expr.I4(3), int64(3), false},
		{"unknown code: as it is", database.KindOLEDB, 999, expr.Str("v"), "v", false},
		{"Object refused", database.KindOLEDB, 12, expr.Object(&expr.Rowset{}, expr.RowsetText), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, _ := executesql.LookupParamType(tt.kind, tt.code)
			got, err := executesql.ToDriver(tt.v, pt)
			if tt.err {
				if !errors.Is(err, executesql.ErrConvert) {
					t.Fatalf("ToDriver(%#v, %s) = %v, %v; want ErrConvert", tt.v, pt.Name, got, err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ToDriver(%#v, %s) = %#v, %v; want %#v", tt.v, pt.Name, got, err, tt.want)
			}
		})
	}
}

// TestFromDriver: driver values become expression values of sensible
// types: integers by the column's width, exact decimals, dates, text,
// bytes, NULLs of the column's type.
func TestFromDriver(t *testing.T) {
	day := time.Date(2024, 2, 29, 13, 14, 15, 0, time.FixedZone("x", 3600))
	tests := []struct {
		name  string
		v     any
		col   expr.Type
		want  expr.Type
		text  string
		check func(expr.Value) bool
	}{
		{"int64 in an INT column", int64(5), expr.TypeI4, expr.TypeI4, "5", nil},
		{"int64 in a BIGINT column", int64(1) << 40, expr.TypeI8, expr.TypeI8, "1099511627776", nil},
		{"int64 unknown column", int64(5), expr.TypeEmpty, expr.TypeI8, "5", nil},
		{"int64 in a BIT column", int64(1), expr.TypeBool, expr.TypeBool, "", func(v expr.Value) bool { b, _ := v.Bool(); return b }},
		{"float", 1.5, expr.TypeR8, expr.TypeR8, "1.5", nil},
		{"numeric text", "123.450", expr.TypeNumeric, expr.TypeDecimal, "", func(v expr.Value) bool {
			r, ok := v.Go().(*big.Rat)
			return ok && r.Cmp(big.NewRat(12345, 100)) == 0
		}},
		{"numeric bytes", []byte("-7.5"), expr.TypeNumeric, expr.TypeDecimal, "", nil},
		{"text", "hi", expr.TypeWStr, expr.TypeWStr, "hi", nil},
		{"text bytes", []byte("hi"), expr.TypeWStr, expr.TypeWStr, "hi", nil},
		{"binary", []byte{0, 1}, expr.TypeBytes, expr.TypeBytes, "", func(v expr.Value) bool { return reflect.DeepEqual(v.Go(), []byte{0, 1}) }},
		{"bool", true, expr.TypeBool, expr.TypeBool, "", nil},
		{"time keeps its wall clock", day, expr.TypeDBTimestamp, expr.TypeDate, "", func(v expr.Value) bool {
			tm, _ := v.Time()
			return tm.Hour() == 13 && tm.Day() == 29
		}},
		{"NULL of the column's type", nil, expr.TypeI4, expr.TypeI4, "", func(v expr.Value) bool { return v.IsNull() }},
		{"guid bytes", []byte{0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF}, expr.TypeGUID, expr.TypeWStr,
			"{00112233-4455-6677-8899-AABBCCDDEEFF}", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := executesql.FromDriver(tt.v, tt.col)
			if err != nil {
				t.Fatal(err)
			}
			if v.Type() != tt.want || (tt.text != "" && v.String() != tt.text) || (tt.check != nil && !tt.check(v)) {
				t.Errorf("FromDriver(%#v, %s) = %#v (%s)", tt.v, tt.col, v, v.Type())
			}
		})
	}
}
