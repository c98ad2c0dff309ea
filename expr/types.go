package expr

import (
	"strconv"
	"strings"
)

// Type is an SSIS expression data type (DT_I4, DT_WSTR, ...). The values
// are SSIS's own DataType codes (the OLE DB DBTYPE numbers), so a Type
// read from a package's data flow metadata converts directly.
type Type int

// SSIS data types. TypeObject is not an SSIS expression type: it is the
// type of the value of an Object variable, which an expression can only
// pass through or test with ISNULL.
const (
	TypeEmpty             Type = 0
	TypeI2                Type = 2
	TypeI4                Type = 3
	TypeR4                Type = 4
	TypeR8                Type = 5
	TypeCY                Type = 6
	TypeDate              Type = 7
	TypeBool              Type = 11
	TypeObject            Type = 13
	TypeDecimal           Type = 14
	TypeI1                Type = 16
	TypeUI1               Type = 17
	TypeUI2               Type = 18
	TypeUI4               Type = 19
	TypeI8                Type = 20
	TypeUI8               Type = 21
	TypeFileTime          Type = 64
	TypeGUID              Type = 72
	TypeBytes             Type = 128
	TypeStr               Type = 129
	TypeWStr              Type = 130
	TypeNumeric           Type = 131
	TypeDBDate            Type = 133
	TypeDBTime            Type = 134
	TypeDBTimestamp       Type = 135
	TypeDBTime2           Type = 145
	TypeDBTimestampOffset Type = 146
	TypeImage             Type = 301
	TypeText              Type = 302
	TypeNText             Type = 303
	TypeDBTimestamp2      Type = 304
)

var typeNames = map[Type]string{
	TypeEmpty: "DT_EMPTY", TypeI1: "DT_I1", TypeI2: "DT_I2", TypeI4: "DT_I4", TypeI8: "DT_I8",
	TypeUI1: "DT_UI1", TypeUI2: "DT_UI2", TypeUI4: "DT_UI4", TypeUI8: "DT_UI8", TypeR4: "DT_R4",
	TypeR8: "DT_R8", TypeCY: "DT_CY", TypeDate: "DT_DATE", TypeBool: "DT_BOOL", TypeObject: "Object",
	TypeDecimal: "DT_DECIMAL", TypeNumeric: "DT_NUMERIC", TypeFileTime: "DT_FILETIME", TypeGUID: "DT_GUID",
	TypeBytes: "DT_BYTES", TypeStr: "DT_STR", TypeWStr: "DT_WSTR", TypeDBDate: "DT_DBDATE",
	TypeDBTime: "DT_DBTIME", TypeDBTime2: "DT_DBTIME2", TypeDBTimestamp: "DT_DBTIMESTAMP",
	TypeDBTimestamp2: "DT_DBTIMESTAMP2", TypeDBTimestampOffset: "DT_DBTIMESTAMPOFFSET",
	TypeImage: "DT_IMAGE", TypeText: "DT_TEXT", TypeNText: "DT_NTEXT",
}

// typesByName maps upper-case DT_ names to types; Object is not a cast target.
var typesByName = func() map[string]Type {
	m := map[string]Type{}
	for t, n := range typeNames {
		if strings.HasPrefix(n, "DT_") && t != TypeEmpty {
			m[n] = t
		}
	}
	return m
}()

// String returns the SSIS name of the type, such as "DT_I4".
func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// TypeByName returns the type named name ("DT_I4", "dt_wstr", ...),
// ignoring case.
func TypeByName(name string) (Type, bool) {
	t, ok := typesByName[strings.ToUpper(name)]
	return t, ok
}

// IsInteger reports whether t is a signed or unsigned integer type.
func (t Type) IsInteger() bool { return t.isSigned() || t.isUnsigned() }

func (t Type) isSigned() bool {
	switch t {
	case TypeI1, TypeI2, TypeI4, TypeI8:
		return true
	}
	return false
}

func (t Type) isUnsigned() bool {
	switch t {
	case TypeUI1, TypeUI2, TypeUI4, TypeUI8:
		return true
	}
	return false
}

// IsNumeric reports whether t is an integer, real, currency or decimal type.
func (t Type) IsNumeric() bool {
	switch t {
	case TypeR4, TypeR8, TypeCY, TypeDecimal, TypeNumeric:
		return true
	}
	return t.IsInteger()
}

// IsString reports whether t is a character type (DT_STR, DT_WSTR, DT_TEXT,
// DT_NTEXT).
func (t Type) IsString() bool {
	switch t {
	case TypeStr, TypeWStr, TypeText, TypeNText:
		return true
	}
	return false
}

// IsDate reports whether t is a date, time or timestamp type.
func (t Type) IsDate() bool {
	switch t {
	case TypeDate, TypeDBDate, TypeDBTime, TypeDBTime2, TypeDBTimestamp, TypeDBTimestamp2,
		TypeDBTimestampOffset, TypeFileTime:
		return true
	}
	return false
}

func (t Type) isTimeOnly() bool { return t == TypeDBTime || t == TypeDBTime2 }

func (t Type) isBinary() bool { return t == TypeBytes || t == TypeImage }

// bits returns the width of an integer type.
func (t Type) bits() int {
	switch t {
	case TypeI1, TypeUI1:
		return 8
	case TypeI2, TypeUI2:
		return 16
	case TypeI4, TypeUI4:
		return 32
	}
	return 64
}

// digits returns the decimal precision needed to hold any value of an
// integer type (DT_I4: 10), used when an integer meets a DT_NUMERIC.
func (t Type) digits() int {
	switch t {
	case TypeI1, TypeUI1:
		return 3
	case TypeI2, TypeUI2:
		return 5
	case TypeI4, TypeUI4:
		return 10
	case TypeI8:
		return 19
	}
	return 20
}

// TypeSpec is a type with the parameters a cast or NULL function gives it:
// (DT_WSTR,30), (DT_STR,10,1252), (DT_NUMERIC,10,2), (DT_DBTIME2,5)...
type TypeSpec struct {
	Type Type
	// Length is the character count of DT_STR and DT_WSTR and the byte
	// count of DT_BYTES.
	Length int
	// CodePage is the code page of DT_STR and DT_TEXT.
	CodePage int
	// Precision is the precision of DT_NUMERIC.
	Precision int
	// Scale is the scale of DT_NUMERIC and DT_DECIMAL and the fractional
	// second digits of DT_DBTIME2, DT_DBTIMESTAMP2 and DT_DBTIMESTAMPOFFSET.
	Scale int
}

// String renders the spec as a cast would write it: "(DT_WSTR,30)".
func (s TypeSpec) String() string {
	var b strings.Builder
	b.WriteString("(" + s.Type.String())
	for _, p := range s.params() {
		b.WriteString("," + strconv.Itoa(p))
	}
	b.WriteString(")")
	return b.String()
}

func (s TypeSpec) params() []int {
	switch s.Type {
	case TypeWStr, TypeBytes:
		return []int{s.Length}
	case TypeStr:
		return []int{s.Length, s.CodePage}
	case TypeText:
		return []int{s.CodePage}
	case TypeNumeric:
		return []int{s.Precision, s.Scale}
	case TypeDecimal, TypeDBTime2, TypeDBTimestamp2, TypeDBTimestampOffset:
		return []int{s.Scale}
	}
	return nil
}

// specArity returns the number of parameters a type takes in a cast, and
// how many of them may be left out.
func specArity(t Type) (n, optional int) {
	switch t {
	case TypeStr, TypeNumeric:
		return 2, 0
	case TypeWStr, TypeBytes, TypeText, TypeDecimal:
		return 1, 0
	case TypeDBTime2, TypeDBTimestamp2, TypeDBTimestampOffset:
		return 1, 1
	}
	return 0, 0
}

// newSpec builds a spec from cast parameters and checks their ranges; the
// error message is for a *SyntaxError.
func newSpec(t Type, p []int) (TypeSpec, string) {
	s := TypeSpec{Type: t}
	bad := func(what string, v, lo, hi int) string {
		return what + " " + strconv.Itoa(v) + " of " + t.String() + " is out of range (" + strconv.Itoa(lo) + "–" + strconv.Itoa(hi) + ")"
	}
	switch t {
	case TypeWStr:
		s.Length = p[0]
		if s.Length < 1 || s.Length > 4000 {
			return s, bad("length", s.Length, 1, 4000)
		}
	case TypeStr:
		s.Length, s.CodePage = p[0], p[1]
		if s.Length < 1 || s.Length > 8000 {
			return s, bad("length", s.Length, 1, 8000)
		}
		if s.CodePage < 1 || s.CodePage > 65535 {
			return s, bad("code page", s.CodePage, 1, 65535)
		}
	case TypeBytes:
		s.Length = p[0]
		if s.Length < 1 || s.Length > 8000 {
			return s, bad("length", s.Length, 1, 8000)
		}
	case TypeText:
		s.CodePage = p[0]
		if s.CodePage < 1 || s.CodePage > 65535 {
			return s, bad("code page", s.CodePage, 1, 65535)
		}
	case TypeNumeric:
		s.Precision, s.Scale = p[0], p[1]
		if s.Precision < 1 || s.Precision > 38 {
			return s, bad("precision", s.Precision, 1, 38)
		}
		if s.Scale < 0 || s.Scale > s.Precision {
			return s, bad("scale", s.Scale, 0, s.Precision)
		}
	case TypeDecimal:
		s.Scale, s.Precision = p[0], 29
		if s.Scale < 0 || s.Scale > 28 {
			return s, bad("scale", s.Scale, 0, 28)
		}
	case TypeDBTime2, TypeDBTimestamp2, TypeDBTimestampOffset:
		s.Scale = 7
		if len(p) > 0 {
			s.Scale = p[0]
		}
		if s.Scale < 0 || s.Scale > 7 {
			return s, bad("scale", s.Scale, 0, 7)
		}
	}
	return s, ""
}

// PipelineType returns the type a data flow column's dataType attribute
// names: "wstr", "i4", "numeric", "dbTimeStamp2", ... (the DT_ names in
// the pipeline's spelling), ignoring case.
func PipelineType(dataType string) (Type, bool) {
	t, ok := typesByName["DT_"+strings.ToUpper(dataType)]
	return t, ok && t != TypeEmpty
}

// ColumnSpec builds the type of a data flow column from its metadata
// attributes (dataType, length, precision, scale, codePage) and checks
// them as a cast would: DT_WSTR needs a length of 1 to 4000, DT_STR one of
// 1 to 8000 and a code page, DT_NUMERIC a precision of 1 to 38 and a scale
// no larger, DT_DBTIMESTAMP2 and its kin a scale of 0 to 7. Attributes the
// type does not take are ignored, as SSIS persists them as 0. The error
// message names the attribute to fix.
func ColumnSpec(dataType string, length, precision, scale, codePage int) (TypeSpec, error) {
	t, ok := PipelineType(dataType)
	if !ok {
		return TypeSpec{}, failf(ErrType, "%q is not a data flow data type (wstr, str, i4, numeric, dbTimeStamp, ...)", dataType)
	}
	var params []int
	switch t {
	case TypeWStr, TypeBytes:
		params = []int{length}
	case TypeStr:
		params = []int{length, codePage}
	case TypeText:
		params = []int{codePage}
	case TypeNumeric:
		params = []int{precision, scale}
	case TypeDecimal, TypeDBTime2, TypeDBTimestamp2, TypeDBTimestampOffset:
		params = []int{scale}
	}
	s, msg := newSpec(t, params)
	if msg != "" {
		return TypeSpec{}, failf(ErrType, "%s", msg)
	}
	return s, nil
}
