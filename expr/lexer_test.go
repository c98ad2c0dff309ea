package expr

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestLiterals checks the type and value each literal form gets
// (numeric-string-and-boolean-literals.md).
func TestLiterals(t *testing.T) {
	runEval(t, []evalCase{
		{"int", `457`, TypeI4, "457"},
		{"int_U", `785u`, TypeUI4, "785"},
		{"int_L", `986L`, TypeI8, "986"},
		{"int_UL", `7945ul`, TypeUI8, "7945"},
		{"int_LU", `7945LU`, TypeUI8, "7945"},
		{"int_maxI4", `2147483647`, TypeI4, "2147483647"},
		{"int_minI4_negativeLiteral", `-2147483648`, TypeI4, "-2147483648"},
		{"int_maxUI4", `4294967295U`, TypeUI4, "4294967295"},
		{"int_minI8", `-9223372036854775808L`, TypeI8, "-9223372036854775808"},
		{"int_maxUI8", `18446744073709551615UL`, TypeUI8, "18446744073709551615"},
		{"hex", `0xFF0A`, TypeI4, "65290"},
		{"hex_U", `0X000010000U`, TypeUI4, "65536"},
		{"hex_lower", `0xff`, TypeI4, "255"},
		{"exp_L", `4E8l`, TypeR8, "400000000"},
		{"exp_F", `13e-2f`, TypeR4, "0.13"},
		{"exp_noSuffix_isR8", `1E5`, TypeR8, "100000"},
		{"dot_exp_F", `6.45E3f`, TypeR4, "6450"},
		{"leadingDot_exp_L", `.89E-2l`, TypeR8, "0.0089"},
		{"dot_exp_F_upper", `1.05E+7F`, TypeR4, "1.05E+07"},
		{"trailingDot_exp_F", `1.E-4f`, TypeR4, "0.0001"},
		{"dot_exp_L", `4.6E6L`, TypeR8, "4600000"},
		{"dot_F", `8.365f`, TypeR4, "8.365"},
		{"numeric_leadingDot", `.9`, TypeNumeric, "0.9"},
		{"numeric", `5.8`, TypeNumeric, "5.8"},
		{"numeric_small", `0.346`, TypeNumeric, "0.346"},
		{"numeric_trailingDot", `6.`, TypeNumeric, "6"},
		{"numeric_trailingZero", `8.0`, TypeNumeric, "8.0"},
		{"numeric_negative", `-1.25`, TypeNumeric, "-1.25"},
		{"true", `TRUE`, TypeBool, "True"},
		{"true_mixedCase", `True`, TypeBool, "True"},
		{"false_lower", `false`, TypeBool, "False"},
		{"string", `"abc"`, TypeWStr, "abc"},
		{"string_empty", `""`, TypeWStr, ""},
		{"escape_newline", `"a\nb"`, TypeWStr, "a\nb"},
		{"escape_all", `"\a\b\f\n\r\t\v\"\\"`, TypeWStr, "\a\b\f\n\r\t\v\"\\"},
		{"escape_hex4", `"\x0041BC"`, TypeWStr, "ABC"},
		{"escape_hex2", `"\x41"`, TypeWStr, "A"},
		{"escape_hex_nonASCII", `"\x00e9"`, TypeWStr, "é"},
		{"escape_surrogatePair", `"\xD83D\xDE00"`, TypeWStr, "😀"},
		{"string_rawNewline", "\"line1\nline2\"", TypeWStr, "line1\nline2"},
		{"string_unicode", `"été"`, TypeWStr, "été"},
		{"uncPath", `"\\\\server\\share"`, TypeWStr, `\\server\share`},
	})
}

// TestLiteralPrecision checks the precision and scale of DT_NUMERIC
// literals.
func TestLiteralPrecision(t *testing.T) {
	for _, c := range []struct {
		src         string
		prec, scale int
	}{
		{"5.8", 2, 1}, {"0.346", 3, 3}, {".9", 1, 1}, {"6.", 1, 0}, {"8.0", 2, 1},
		{"137.1574", 7, 4}, {"5.80", 3, 2}, {"0.0", 1, 1}, {"12345678901234567890.12345678901234567", 37, 17},
	} {
		v, err := Eval(c.src, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if v.Type() != TypeNumeric || v.Precision() != c.prec || v.Scale() != c.scale {
			t.Errorf("%s = %s(%d,%d), want DT_NUMERIC(%d,%d)", c.src, v.Type(), v.Precision(), v.Scale(), c.prec, c.scale)
		}
	}
}

// TestLexErrors checks that bad tokens are syntax errors at the right
// column.
func TestLexErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		col       int
		msg       string
	}{
		{"unknownEscape", `"C:\Temp"`, 4, `unknown escape sequence \T`},
		{"nulCharacter", `"a\x0000"`, 3, `\x0000`},
		{"hexEscapeNoDigits", `"\xZ"`, 2, `hexadecimal digits`},
		{"unterminated", `"abc`, 1, "missing closing quote"},
		{"unterminatedEscape", `"abc\`, 1, "missing closing quote"},
		{"singleQuotes_docErratum", `FirstName + ' ' + LastName`, 13, "double quotes"},
		{"expWithoutDigits_docSic", `5E+L`, 2, "exponent needs digits"},
		{"identAfterNumber", `12abc`, 1, `bad numeric literal "12abc"`},
		{"doubleSuffix", `5UU`, 1, `bad numeric literal "5UU"`},
		{"floatSuffixOnInt", `5f`, 1, "bad numeric literal"},
		{"hexWithoutDigits", `0x`, 1, "0x needs hexadecimal digits"},
		{"overflowI4", `2147483648`, 1, "too large to fit into type DT_I4"},
		{"overflowNegativeI4", `1 + -2147483649`, 5, "too large to fit into type DT_I4"},
		{"overflowUI4", `4294967296U`, 1, "DT_UI4"},
		{"overflowI8", `9223372036854775808L`, 1, "DT_I8"},
		{"overflowUI8", `18446744073709551616UL`, 1, "DT_UI8"},
		{"overflowR4", `1E39f`, 1, "DT_R4"},
		{"overflowNumeric", `123456789012345678901234567890.123456789`, 1, "DT_NUMERIC"},
		{"spaceAfterAt", `@ Name`, 1, "no space is allowed"},
		{"namespaceWithoutBrackets", `@User::X`, 1, "must be in brackets"},
		{"emptyBrackets", `@[]`, 1, "empty variable name"},
		{"unclosedBrackets", `@[User::X`, 1, "missing ]"},
		{"atAlone", `1 + @`, 5, "expected a variable name"},
		{"badCharacter", `1 $ 2`, 3, "unexpected character '$'"},
		{"lineageWithoutNumber", `#x`, 1, "lineage number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.src)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%s) error = %v, want a *SyntaxError", c.src, err)
			}
			if se.Col != c.col || !strings.Contains(se.Msg, c.msg) {
				t.Errorf("Parse(%s) = column %d %q, want column %d containing %q", c.src, se.Col, se.Msg, c.col, c.msg)
			}
			if strings.HasPrefix(c.name, "overflow") && !errors.Is(err, ErrOverflow) {
				t.Errorf("Parse(%s) error does not wrap ErrOverflow", c.src)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("Parse(%s) error does not wrap ErrSyntax", c.src)
			}
		})
	}
}

// TestVariables checks the variable reference forms and Refs.
func TestVariables(t *testing.T) {
	for _, c := range []struct {
		src  string
		refs []string
	}{
		{`@[User::I4]`, []string{"User::I4"}},
		{`@I4`, []string{"I4"}},
		{`@[I4]`, []string{"I4"}},
		{`@[My Name]`, []string{"My Name"}},
		{`@[User::My Name]`, []string{"User::My Name"}},
		{`@[$Package::P]`, []string{"$Package::P"}},
		{`@[$Project::Q]`, []string{"$Project::Q"}},
		{`@[System::PackageName] + @[User::Str] + @[System::PackageName]`, []string{"System::PackageName", "User::Str"}},
		{`"@[User::NotARef]" + @[User::Str]`, []string{"User::Str"}},
		{`@VarCnt>0`, []string{"VarCnt"}},
		{`@a_b@c$d#e + "x"`, []string{"a_b@c$d#e"}},
		{`1 + 2`, nil},
	} {
		e, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%s): %v", c.src, err)
			continue
		}
		if got := e.Refs(); !slices.Equal(got, c.refs) {
			t.Errorf("Refs(%s) = %q, want %q", c.src, got, c.refs)
		}
		if e.String() != c.src {
			t.Errorf("String() = %q, want %q", e.String(), c.src)
		}
	}
	runEval(t, []evalCase{
		{"qualified", `@[User::I4]`, TypeI4, "5"},
		{"unqualified", `@I4`, TypeI4, "5"},
		{"unqualifiedBracketed", `@[I4]`, TypeI4, "5"},
		{"spaceInName", `@[My Name]`, TypeWStr, "spaced"},
		{"packageParameter", `@[$Package::P] * 2`, TypeI4, "20"},
		{"projectParameter", `@[$Project::Q]`, TypeWStr, "q"},
		{"system", `@[System::PackageName]`, TypeWStr, "EmailRowCountPP"},
		{"object_passesThrough", `@[User::Obj]`, TypeObject, "System.Object"},
		{"object_isNull", `ISNULL(@[User::Obj])`, TypeBool, "False"},
	})
	runErr(t, []errCase{
		{"ambiguous", `@X`, ErrAmbiguous},
		{"unknown", `@[User::Nope]`, ErrUnknownVariable},
		{"caseSensitive", `@[user::I4]`, ErrUnknownVariable},
		{"caseSensitiveName", `@[User::i4]`, ErrUnknownVariable},
		{"object_inArithmetic", `@[User::Obj] + 1`, ErrType},
		{"column_plain", `Name == "x"`, ErrColumn},
		{"column_bracketed", `[Order Date]`, ErrColumn},
		{"column_lineage", `#123 + 1`, ErrColumn},
		{"column_dotted", `Source.Column + 1`, ErrColumn},
		{"column_dottedBrackets", `[Source].[Order Date] + 1`, ErrColumn},
	})
	if _, err := Eval(`@[User::I4]`, nil); !errors.Is(err, ErrUnknownVariable) {
		t.Errorf("Eval with a nil Env = %v, want ErrUnknownVariable", err)
	}
}

// TestCaseInsensitive checks that functions, type names, TRUE/FALSE and
// NULL ignore case.
func TestCaseInsensitive(t *testing.T) {
	runEval(t, []evalCase{
		{"", `substring("abc",2,1)`, TypeWStr, "b"},
		{"", `SubString("abc",2,1)`, TypeWStr, "b"},
		{"", `(dt_wstr,2)12`, TypeWStr, "12"},
		{"", `(Dt_I8)1`, TypeI8, "1"},
		{"", `null(dt_i4)`, TypeI4, "NULL"},
		{"", `IsNull(Null(DT_WSTR,3))`, TypeBool, "True"},
		{"", `tRuE && FaLsE`, TypeBool, "False"},
		{"", `DatePart("YYYY", (DT_DBTIMESTAMP)"2013-06-15")`, TypeI4, "2013"},
	})
}
