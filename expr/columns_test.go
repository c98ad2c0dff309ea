package expr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// refPath is a format 8 lineage, as a Derived Column's persisted Expression
// names an input column.
const refPath = `Package\Data Flow Task\Flat File Source.Outputs[Flat File Source Output].Columns[Amount]`

func mustSpec(t testing.TB, dataType string, length, precision, scale, codePage int) TypeSpec {
	t.Helper()
	s, err := ColumnSpec(dataType, length, precision, scale, codePage)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustCast(t testing.TB, v Value, s TypeSpec) Value {
	t.Helper()
	w, err := v.Cast(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// flowColumns is the input of a Derived Column after a Merge Join: Name
// comes from two sources.
func flowColumns(t testing.TB) *Columns {
	t.Helper()
	cols, err := NewColumns([]FlowColumn{
		{Name: "Customer", Source: "Flat File Source", Lineage: "11", Spec: mustSpec(t, "wstr", 50, 0, 0, 0)},
		{Name: "Amount", Source: "Flat File Source", Lineage: refPath, Spec: mustSpec(t, "numeric", 0, 10, 2, 0)},
		{Name: "Qty", Source: "Flat File Source", Lineage: "13", Spec: mustSpec(t, "i4", 0, 0, 0, 0)},
		{Name: "Name", Source: "Customers", Lineage: "21", Spec: mustSpec(t, "str", 30, 0, 0, 1252)},
		{Name: "Name", Source: "Orders", Lineage: "31", Spec: mustSpec(t, "wstr", 30, 0, 0, 0)},
		{Name: "Order Date", Source: "Orders", Lineage: "32", Spec: mustSpec(t, "dbTimeStamp", 0, 0, 0, 0)},
		{Name: "Flag", Source: "Orders", Lineage: "33", Spec: mustSpec(t, "bool", 0, 0, 0, 0)},
		{Name: "Note", Source: "Orders", Lineage: "34", Spec: mustSpec(t, "wstr", 20, 0, 0, 0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

func flowRow(t testing.TB) []Value {
	t.Helper()
	return []Value{
		Str("  acme corp "),
		mustCast(t, Str("1234.50"), TypeSpec{Type: TypeNumeric, Precision: 10, Scale: 2}),
		I4(7),
		mustCast(t, Str("Smith"), TypeSpec{Type: TypeStr, Length: 30, CodePage: 1252}),
		Str("Jones"),
		Timestamp(time.Date(2024, 3, 5, 14, 10, 49, 0, time.UTC)),
		Bool(true),
		Null(TypeWStr),
	}
}

// TestColumnResolve follows "Identifiers (SSIS Expressions)": a column is
// named plainly, in brackets, qualified by its source in dotted notation,
// or by lineage; an ambiguous name must be qualified
// (DTS_E_EXPREVALSTATIC_AMBIGUOUSINPUTCOLUMNNAME).
func TestColumnResolve(t *testing.T) {
	cols := flowColumns(t)
	cases := []struct {
		name, ref string
		want      int
		err       error
		msg       string
	}{
		{"plain", "Customer", 0, nil, ""},
		{"bracketed", "[Customer]", 0, nil, ""},
		{"bracketedSpace", "[Order Date]", 5, nil, ""},
		{"dotted", "Customers.Name", 3, nil, ""},
		{"dottedBrackets", "[Orders].[Name]", 4, nil, ""},
		{"dottedMixed", "[Flat File Source].Qty", 2, nil, ""},
		{"lineageNumber", "#13", 2, nil, ""},
		{"lineageRefID", "#{" + refPath + "}", 1, nil, ""},
		{"ambiguous", "Name", 0, ErrAmbiguousColumn, "[Customers].[Name] or [Orders].[Name]"},
		{"ambiguousBracketed", "[Name]", 0, ErrAmbiguousColumn, "qualify it as [Customers].[Name]"},
		{"unknown", "[Price]", 0, ErrUnknownColumn, "no input column is named [Price]"},
		{"caseHint", "customer", 0, ErrUnknownColumn, "did you mean [Flat File Source].[Customer]"},
		{"unknownSource", "Suppliers.Name", 0, ErrUnknownColumn, `comes from "Suppliers"`},
		{"unknownLineage", "#99", 0, ErrUnknownColumn, "lineage #99"},
		{"unknownRefID", `#{Package\X.Outputs[O].Columns[Amount]}`, 0, ErrUnknownColumn, "lineage"},
		{"tooManyParts", "a.b.c", 0, ErrUnknownColumn, "not a column reference"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := cols.Resolve(c.ref)
			if c.err == nil {
				if err != nil || got != c.want {
					t.Fatalf("Resolve(%q) = %d, %v; want %d", c.ref, got, err, c.want)
				}
				return
			}
			if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Resolve(%q) error = %v; want %v containing %q", c.ref, err, c.err, c.msg)
			}
		})
	}
}

func TestNewColumnsErrors(t *testing.T) {
	wstr := TypeSpec{Type: TypeWStr, Length: 10}
	cases := []struct {
		name string
		cols []FlowColumn
		msg  string
	}{
		{"noName", []FlowColumn{{Spec: wstr}}, "column 0 has no name"},
		{"noType", []FlowColumn{{Name: "A"}}, "[A] has no data flow type"},
		{"sameLineage", []FlowColumn{{Name: "A", Lineage: "1", Spec: wstr}, {Name: "B", Lineage: "1", Spec: wstr}}, `same lineage "1"`},
		{"sameName", []FlowColumn{{Name: "A", Source: "S", Spec: wstr}, {Name: "A", Source: "S", Spec: wstr}}, "both [S].[A]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewColumns(c.cols)
			if !errors.Is(err, ErrColumnSet) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("NewColumns error = %v; want ErrColumnSet containing %q", err, c.msg)
			}
		})
	}
}

// TestProgramEval evaluates Derived Column and Conditional Split
// expressions against a row ("Derived Column Transformation",
// "Conditional Split Transformation", "NULL (SSIS Expression)": an
// operation on a NULL column is NULL, ISNULL tests it).
func TestProgramEval(t *testing.T) {
	vars := MapEnv{Vars: map[string]Value{"User::ConversionRate": R8(0.5)}}
	cases := []struct {
		name, src string
		want      string // GoString of the result
	}{
		{"upperTrimConcat", `UPPER(TRIM([Customer])) + " " + (DT_WSTR,10)[Amount]`, `DT_WSTR("ACME CORP 1234.50")`},
		{"lineage", `#13 * 2`, `DT_I4(14)`},
		{"lineageTimesVariable", `#13 * @[User::ConversionRate]`, `DT_R8(3.5)`},
		{"qualifiedConcat", `Customers.Name + "/" + [Orders].[Name]`, `DT_WSTR("Smith/Jones")`},
		{"strColumnIsString", `LEN([Customers].[Name])`, `DT_I4(5)`},
		{"numericArithmetic", `[Amount] + 1`, `DT_NUMERIC(1235.50)`},
		{"dateFunction", `DATEPART("yyyy", [Order Date])`, `DT_I4(2024)`},
		{"dateCast", `(DT_DBDATE)[Order Date]`, `DT_DBDATE(2024-03-05)`},
		{"nullPropagatesConcat", `[Note] + "x"`, `NULL(DT_WSTR)`},
		{"nullPropagatesUpper", `UPPER([Note])`, `NULL(DT_WSTR)`},
		{"nullCompare", `[Note] == "x"`, `NULL(DT_BOOL)`},
		{"nullAndFalse", `[Note] == "x" && FALSE`, `DT_BOOL(False)`},
		{"nullOrTrue", `[Note] == "x" || [Flag]`, `DT_BOOL(True)`},
		{"isNull", `ISNULL([Note]) ? "none" : [Note]`, `DT_WSTR("none")`},
		{"replaceNull", `REPLACENULL([Note], "n/a")`, `DT_WSTR("n/a")`},
		{"splitCondition", `[Amount] > 1000 && [Qty] >= 5 && [Flag]`, `DT_BOOL(True)`},
		{"rootStrCast", `(DT_STR,10,1252)[Orders].[Name]`, `DT_STR("Jones")`},
	}
	cols, row := flowColumns(t), flowRow(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			p, err := e.Compile(cols, vars)
			if err != nil {
				t.Fatal(err)
			}
			v, err := p.Eval(row)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.GoString(); got != c.want {
				t.Errorf("%s = %s, want %s", c.src, got, c.want)
			}
			if v.Type() != p.Type() {
				t.Errorf("%s: value type %s, program type %s", c.src, v.Type(), p.Type())
			}
		})
	}
}

// TestProgramCorpusShapes compiles the persisted forms the corpus holds:
// bracketed function names and lineage references, numeric and refId.
func TestProgramCorpusShapes(t *testing.T) {
	cols, err := NewColumns([]FlowColumn{
		{Name: "Name", Source: "FFS Customers", Lineage: `Package\DFT Convert customer names\FFS Customers.Outputs[Flat File Source Output].Columns[Name]`, Spec: TypeSpec{Type: TypeWStr, Length: 50}},
		{Name: "Old", Lineage: "1684", Spec: TypeSpec{Type: TypeWStr, Length: 50}},
		{Name: "New", Lineage: "1649", Spec: TypeSpec{Type: TypeWStr, Length: 50}},
	})
	if err != nil {
		t.Fatal(err)
	}
	row := []Value{Str("ann"), Null(TypeWStr), Str(" b ")}
	cases := []struct{ src, want string }{
		{`[UPPER](#{Package\DFT Convert customer names\FFS Customers.Outputs[Flat File Source Output].Columns[Name]})`, `DT_WSTR("ANN")`},
		{`UPPER(Name)`, `DT_WSTR("ANN")`},
		{`[ISNULL](#1684) || [TRIM](#1649) != [TRIM](#1684)`, `DT_BOOL(True)`},
		{`[SUBSTRING](#1649,2,1) + [LEFT](#{Package\DFT Convert customer names\FFS Customers.Outputs[Flat File Source Output].Columns[Name]},2)`, `DT_WSTR("ban")`},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			e, err := Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			p, err := e.Compile(cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			v, err := p.Eval(row)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.GoString(); got != c.want {
				t.Errorf("= %s, want %s", got, c.want)
			}
		})
	}
}

// TestProgramCompileErrors checks that a bad reference or a type error is
// found when compiling, with the position of the fault.
func TestProgramCompileErrors(t *testing.T) {
	cols := flowColumns(t)
	cases := []struct {
		name, src string
		err       error
		col       int
		msg       string
	}{
		{"unknown", `UPPER([Price])`, ErrUnknownColumn, 7, "no input column is named [Price]"},
		{"ambiguous", `"x" + Name`, ErrAmbiguousColumn, 7, "qualify it"},
		{"typeOfColumn", `[Customer] + 1`, ErrType, 12, "cast it with (DT_WSTR,n)"},
		{"numericNotString", `[UPPER](#{` + refPath + `})`, ErrType, 1, "UPPER"},
		{"noVariables", `#13 * @[User::Rate]`, ErrUnknownVariable, 7, "User::Rate"},
		{"unknownBracketedFunction", `[SHOUT](#13)`, ErrSyntax, 1, "the function SHOUT is not recognized"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.src)
			if err == nil {
				_, err = e.Compile(cols, nil)
			}
			if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("%s: error = %v; want %v containing %q", c.src, err, c.err, c.msg)
			}
			var col int
			var ee *EvalError
			var se *SyntaxError
			switch {
			case errors.As(err, &ee):
				col = ee.Col
			case errors.As(err, &se):
				col = se.Col
			}
			if col != c.col {
				t.Errorf("%s: error at column %d, want %d: %v", c.src, col, c.col, err)
			}
		})
	}
}

// TestLineageSyntax checks the lexer's errors for malformed lineage
// references.
func TestLineageSyntax(t *testing.T) {
	cases := []struct{ name, src, msg string }{
		{"unclosed", `#{Package\X.Columns[A] + 1`, "missing }"},
		{"empty", `#{} + 1`, "column path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.src)
			if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Parse(%q) = %v; want a syntax error containing %q", c.src, err, c.msg)
			}
		})
	}
}

// TestProgramRunErrors checks the typed errors a data flow maps to its
// dispositions: a failed computation is a *ConversionError naming the
// output column (error row disposition), a value longer than the column a
// *TruncationError (truncation row disposition), a NULL split condition a
// *ConversionError wrapping ErrNull (DTS_E_TXSPLITEXPRESSIONEVALUATEDTONULL).
// Casts inside the expression truncate silently ("Data Truncation (SSIS
// Expressions)").
func TestProgramRunErrors(t *testing.T) {
	cols := flowColumns(t)
	row := flowRow(t)
	out := func(spec TypeSpec) FlowColumn { return FlowColumn{Name: "Out", Spec: spec} }
	cases := []struct {
		name, src string
		out       FlowColumn
		want      string // the stored value, also returned with a truncation
		trunc     int    // the length a *TruncationError reports, or 0
		conv      error  // the cause a *ConversionError wraps, or nil
	}{
		{"fits", `UPPER(TRIM([Customer]))`, out(TypeSpec{Type: TypeWStr, Length: 9}), `DT_WSTR("ACME CORP")`, 0, nil},
		{"truncated", `UPPER(TRIM([Customer]))`, out(TypeSpec{Type: TypeWStr, Length: 4}), `DT_WSTR("ACME")`, 9, nil},
		{"truncatedStr", `TRIM([Customer])`, out(TypeSpec{Type: TypeStr, Length: 3, CodePage: 1252}), `DT_STR("acm")`, 9, nil},
		{"truncatedUTF8Bytes", `"é" + "é"`, out(TypeSpec{Type: TypeStr, Length: 3, CodePage: 65001}), `DT_STR("é")`, 4, nil},
		{"nullStored", `[Note]`, out(TypeSpec{Type: TypeWStr, Length: 1}), `NULL(DT_WSTR)`, 0, nil},
		{"castTruncatesSilently", `(DT_WSTR,3)TRIM([Customer])`, out(TypeSpec{Type: TypeWStr, Length: 3}), `DT_WSTR("acm")`, 0, nil},
		{"numberToString", `[Qty] * 100`, out(TypeSpec{Type: TypeWStr, Length: 3}), `DT_WSTR("700")`, 0, nil},
		{"numberToStringTruncated", `[Qty] * 1000`, out(TypeSpec{Type: TypeWStr, Length: 3}), `DT_WSTR("700")`, 4, nil},
		{"numericFits", `[Amount]`, out(TypeSpec{Type: TypeNumeric, Precision: 6, Scale: 1}), `DT_NUMERIC(1234.5)`, 0, nil},
		{"numericPrecision", `[Amount] * 100`, out(TypeSpec{Type: TypeNumeric, Precision: 6, Scale: 2}), "", 0, ErrOverflow},
		{"integerOverflow", `[Qty] * 100`, out(TypeSpec{Type: TypeI1}), "", 0, ErrOverflow},
		{"notANumber", `(DT_I4)TRIM([Customer])`, out(TypeSpec{Type: TypeI4}), "", 0, ErrConversion},
		{"divideByZero", `[Qty] / ([Qty] - 7)`, out(TypeSpec{Type: TypeI4}), "", 0, ErrDivideByZero},
		{"illegalStore", `[Order Date]`, out(TypeSpec{Type: TypeBool}), "", 0, ErrCast},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			p, err := e.Compile(cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			v, err := p.Assign(row, c.out)
			var te *TruncationError
			var ce *ConversionError
			switch {
			case c.conv != nil:
				if !errors.As(err, &ce) || !errors.Is(err, c.conv) || ce.Column != "Out" {
					t.Fatalf("%s: error = %v; want a *ConversionError for Out wrapping %v", c.src, err, c.conv)
				}
				return
			case c.trunc != 0:
				if !errors.As(err, &te) || !errors.Is(err, ErrTruncation) || te.Column != "Out" || te.Length != c.trunc {
					t.Fatalf("%s: error = %v; want a *TruncationError for Out of length %d", c.src, err, c.trunc)
				}
			case err != nil:
				t.Fatalf("%s: %v", c.src, err)
			}
			if got := v.GoString(); got != c.want {
				t.Errorf("%s stored = %s, want %s", c.src, got, c.want)
			}
		})
	}
}

func TestCondition(t *testing.T) {
	cols := flowColumns(t)
	row := flowRow(t)
	cases := []struct {
		src  string
		want bool
		err  error
	}{
		{`[Qty] > 5`, true, nil},
		{`[Qty] > 50`, false, nil},
		{`[Note] == "x"`, false, ErrNull},
		{`[Qty] / 0 == 1`, false, ErrDivideByZero},
		{`[Qty]`, false, ErrType},
		{`[Flag]`, true, nil},
		{`[Note] == "x" && [Flag]`, false, ErrNull},
		{`[Note] == "x" && [Qty] < 0`, false, nil},
		{`[Note] == "x" || [Flag]`, true, nil},
		{`[Amount] >= 1234.5 && [Amount] < 1234.51 && Customers.Name != "smith"`, true, nil},
		{`!([Qty] > 5)`, false, nil},
		{`[Order Date] > (DT_DBTIMESTAMP)"2024-01-01"`, true, nil},
		{`[Qty] > 5 ? [Flag] : FALSE`, true, nil},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			e, err := Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			p, err := e.Compile(cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Condition(row, "Big orders")
			if c.err != nil {
				var ce *ConversionError
				if !errors.As(err, &ce) || !errors.Is(err, c.err) || ce.Column != "Big orders" {
					t.Fatalf("Condition(%s) error = %v; want a *ConversionError wrapping %v", c.src, err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("Condition(%s) = %v, %v; want %v", c.src, got, err, c.want)
			}
		})
	}
}

// TestColumnSpec checks the data flow metadata types, in the spellings of
// the pipeline's dataType attribute ("Integration Services Data Types").
func TestColumnSpec(t *testing.T) {
	cases := []struct {
		dataType                        string
		length, precision, scale, cpage int
		want                            string
		msg                             string
	}{
		{"wstr", 50, 0, 0, 0, "(DT_WSTR,50)", ""},
		{"str", 30, 0, 0, 1252, "(DT_STR,30,1252)", ""},
		{"numeric", 0, 18, 2, 0, "(DT_NUMERIC,18,2)", ""},
		{"decimal", 0, 0, 4, 0, "(DT_DECIMAL,4)", ""},
		{"dbTimeStamp2", 0, 0, 3, 0, "(DT_DBTIMESTAMP2,3)", ""},
		{"dbTimeStampOffset", 0, 0, 7, 0, "(DT_DBTIMESTAMPOFFSET,7)", ""},
		{"dbTime2", 0, 0, 0, 0, "(DT_DBTIME2,0)", ""},
		{"bytes", 16, 0, 0, 0, "(DT_BYTES,16)", ""},
		{"text", 0, 0, 0, 1252, "(DT_TEXT,1252)", ""},
		{"nText", 0, 0, 0, 0, "(DT_NTEXT)", ""},
		{"image", 0, 0, 0, 0, "(DT_IMAGE)", ""},
		{"i4", 0, 0, 0, 0, "(DT_I4)", ""},
		{"ui8", 0, 0, 0, 0, "(DT_UI8)", ""},
		{"guid", 0, 0, 0, 0, "(DT_GUID)", ""},
		{"fileTime", 0, 0, 0, 0, "(DT_FILETIME)", ""},
		{"cy", 0, 0, 0, 0, "(DT_CY)", ""},
		{"dbTimeStamp", 0, 0, 0, 0, "(DT_DBTIMESTAMP)", ""},
		{"wstr", 0, 0, 0, 0, "", "length 0 of DT_WSTR"},
		{"wstr", 4001, 0, 0, 0, "", "length 4001 of DT_WSTR"},
		{"str", 10, 0, 0, 0, "", "code page 0 of DT_STR"},
		{"numeric", 0, 39, 0, 0, "", "precision 39"},
		{"numeric", 0, 4, 5, 0, "", "scale 5 of DT_NUMERIC"},
		{"dbTimeStamp2", 0, 0, 8, 0, "", "scale 8"},
		{"variant", 0, 0, 0, 0, "", `"variant" is not a data flow data type`},
		{"empty", 0, 0, 0, 0, "", `"empty" is not a data flow data type`},
	}
	for _, c := range cases {
		t.Run(c.dataType+c.want+c.msg, func(t *testing.T) {
			s, err := ColumnSpec(c.dataType, c.length, c.precision, c.scale, c.cpage)
			if c.msg != "" {
				if err == nil || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("ColumnSpec(%s) = %v, %v; want an error containing %q", c.dataType, s, err, c.msg)
				}
				return
			}
			if err != nil || s.String() != c.want {
				t.Fatalf("ColumnSpec(%s) = %v, %v; want %s", c.dataType, s, err, c.want)
			}
		})
	}
}

// TestCastColumnValues builds typed column values from text, as a source
// does, for the types the expression language casts to.
func TestCastColumnValues(t *testing.T) {
	cases := []struct {
		text string
		spec TypeSpec
		want string
		err  error
	}{
		{"12.345", TypeSpec{Type: TypeNumeric, Precision: 5, Scale: 2}, "DT_NUMERIC(12.35)", nil},
		{"2024-03-05 14:10:49.1234567", TypeSpec{Type: TypeDBTimestamp2, Scale: 3}, "DT_DBTIMESTAMP2(2024-03-05 14:10:49.123)", nil},
		{"Zoë", TypeSpec{Type: TypeStr, Length: 10, CodePage: 20127}, `DT_STR("Zo?")`, nil},
		{"abcdef", TypeSpec{Type: TypeWStr, Length: 3}, `DT_WSTR("abc")`, nil},
		{"0A0B", TypeSpec{Type: TypeBytes, Length: 8}, "DT_BYTES(0A0B)", nil},
		{"x", TypeSpec{Type: TypeI4}, "", ErrConversion},
		{"x", TypeSpec{Type: TypeNText}, `DT_NTEXT("x")`, nil},
	}
	for _, c := range cases {
		t.Run(c.spec.String()+c.text, func(t *testing.T) {
			v, err := Str(c.text).Cast(c.spec)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("Cast = %#v, %v; want %v", v, err, c.err)
				}
				return
			}
			if err != nil || v.GoString() != c.want {
				t.Fatalf("Cast = %#v, %v; want %s", v, err, c.want)
			}
		})
	}
	if _, err := I4(1).Cast(TypeSpec{Type: TypeGUID}); !errors.Is(err, ErrCast) {
		t.Errorf("(DT_GUID) of DT_I4: %v; want ErrCast", err)
	}
}

// TestProgramClone evaluates clones of one program on different rows at
// once: each keeps its own evaluation state.
func TestProgramClone(t *testing.T) {
	e, err := Parse(`UPPER(SUBSTRING([Customer], 1, 4)) + (DT_WSTR,5)[Qty]`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Compile(flowColumns(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := range 4 {
		go func() {
			q := p.Clone()
			row := flowRow(t)
			row[0], row[2] = Str("abcd"+strings.Repeat("x", g)), I4(int32(g))
			want := "ABCD" + string(rune('0'+g))
			for range 200 {
				v, err := q.Eval(row)
				if err != nil || v.s != want {
					done <- fmt.Errorf("goroutine %d: %#v, %v; want %q", g, v, err, want)
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
