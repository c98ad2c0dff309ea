package expr

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dtsx-run/dtsx/dtsx"
)

// variantTypes maps the VARIANT type of a variable or parameter to the
// type the expression evaluator sees it as.
var variantTypes = map[dtsx.DataType]Type{
	dtsx.TypeInt16: TypeI2, dtsx.TypeInt32: TypeI4, dtsx.TypeSingle: TypeR4, dtsx.TypeDouble: TypeR8,
	dtsx.TypeCurrency: TypeCY, dtsx.TypeDateTime: TypeDate, dtsx.TypeString: TypeWStr, dtsx.TypeBoolean: TypeBool,
	dtsx.TypeObject: TypeObject, dtsx.TypeDecimal: TypeDecimal, dtsx.TypeSByte: TypeI1, dtsx.TypeByte: TypeUI1,
	dtsx.TypeUInt16: TypeUI2, dtsx.TypeUInt32: TypeUI4, dtsx.TypeInt64: TypeI8, dtsx.TypeUInt64: TypeUI8,
	dtsx.TypeChar: TypeUI2, dtsx.TypeEmpty: TypeEmpty, dtsx.TypeNull: TypeEmpty,
}

// TypeOfVariant returns the expression type of a variable of data type t:
// String is DT_WSTR, Int32 DT_I4, DateTime DT_DATE, and so on.
func TypeOfVariant(t dtsx.DataType) (Type, bool) {
	x, ok := variantTypes[t]
	return x, ok
}

// FromDataType converts a variable or parameter value as a package persists
// it (the text of DTS:VariableValue, of a ParameterValue property or of a
// Project.params value) into a Value of the variable's expression type.
// Numbers are invariant ("1.5"), Booleans 0/-1 or True/False, DateTime the
// en-US form SSDT writes ("4/8/2015 9:43:36 AM") or ISO. Empty text is the
// type's zero value; an Empty or DBNull variable is a NULL.
func FromDataType(t dtsx.DataType, persisted string) (Value, error) {
	et, ok := variantTypes[t]
	if !ok {
		return Value{}, failf(ErrConversion, "data type %s is not one a variable can have", t)
	}
	s := strings.TrimSpace(persisted)
	switch {
	case et == TypeEmpty:
		return Null(TypeEmpty), nil
	case et == TypeObject:
		return Value{t: TypeObject, s: persisted}, nil
	case et == TypeWStr:
		return Str(persisted), nil
	case t == dtsx.TypeChar && s != "":
		if _, err := strconv.ParseUint(s, 10, 16); err != nil {
			r, _ := utf8.DecodeRuneInString(s)
			return Value{t: TypeUI2, n: uint64(r & 0xFFFF)}, nil
		}
	case et == TypeBool:
		switch strings.ToLower(s) {
		case "", "0", "false":
			return Bool(false), nil
		case "-1", "1", "true":
			return Bool(true), nil
		}
		return Value{}, failf(ErrConversion, "%q is not a Boolean", persisted)
	case et == TypeDate:
		if s == "" {
			return Value{t: TypeDate, tm: oleEpoch}, nil
		}
		p, err := parseDateText(s)
		if err != nil || p.hasOff {
			return Value{}, failf(ErrConversion, "%q is not a DateTime", persisted)
		}
		return Value{t: TypeDate, tm: p.t}, nil
	case et == TypeDecimal:
		if s == "" {
			s = "0"
		}
		v, err := naturalDecimal(Str(s), TypeDecimal)
		if err != nil || v.scale > 28 || v.prec > 29 {
			return Value{}, failf(ErrConversion, "%q is not a Decimal", persisted)
		}
		v.prec = 29
		return v, nil
	}
	if s == "" {
		s = "0"
	}
	return convert(Str(s), TypeSpec{Type: et})
}

// ConvertTo converts the value for assignment to a variable of data type t,
// as SSIS does when an expression sets a variable: a cast to the variable's
// expression type (DT_DBTIMESTAMP to DT_DATE for a DateTime, a number to its
// text for a String, ...). An Object variable takes any value unchanged. A
// cast the chart forbids is an error wrapping ErrCast.
func (v Value) ConvertTo(t dtsx.DataType) (Value, error) {
	et, ok := variantTypes[t]
	if !ok {
		return Value{}, failf(ErrConversion, "data type %s is not one a variable can have", t)
	}
	switch {
	case et == TypeObject || v.t == et:
		return v, nil
	case v.null:
		return Null(et), nil
	case et == TypeEmpty || !CastLegal(v.t, et):
		return Value{}, failf(ErrCast, "a %s value cannot be assigned to a %s variable", v.t, t)
	case et == TypeDecimal:
		return naturalDecimal(v, TypeDecimal)
	}
	return convert(v, TypeSpec{Type: et, Scale: 7})
}
