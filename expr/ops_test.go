package expr

import (
	"errors"
	"testing"
)

// TestNullLogic checks three-valued logic and NULL propagation
// (null-ssis-expression.md and the operator pages).
func TestNullLogic(t *testing.T) {
	runEval(t, []evalCase{
		{"and_TT", `TRUE && TRUE`, TypeBool, "True"},
		{"and_TF", `TRUE && FALSE`, TypeBool, "False"},
		{"and_FF", `FALSE && FALSE`, TypeBool, "False"},
		{"and_NN", `NULL(DT_BOOL) && NULL(DT_BOOL)`, TypeBool, "NULL"},
		{"and_NT", `NULL(DT_BOOL) && TRUE`, TypeBool, "NULL"},
		{"and_NF", `NULL(DT_BOOL) && FALSE`, TypeBool, "False"},
		{"and_FN", `FALSE && NULL(DT_BOOL)`, TypeBool, "False"},
		{"or_TT", `TRUE || TRUE`, TypeBool, "True"},
		{"or_TF", `TRUE || FALSE`, TypeBool, "True"},
		{"or_FF", `FALSE || FALSE`, TypeBool, "False"},
		{"or_NN", `NULL(DT_BOOL) || NULL(DT_BOOL)`, TypeBool, "NULL"},
		{"or_NT", `NULL(DT_BOOL) || TRUE`, TypeBool, "True"},
		{"or_NF", `NULL(DT_BOOL) || FALSE`, TypeBool, "NULL"},
		{"not_T", `!TRUE`, TypeBool, "False"},
		{"not_F", `!FALSE`, TypeBool, "True"},
		{"add_null", `NULL(DT_I4) + 1`, TypeI4, "NULL"},
		{"add_null_promotes", `NULL(DT_I4) + 1L`, TypeI8, "NULL"},
		{"concat_null", `NULL(DT_WSTR,5) + "a"`, TypeWStr, "NULL"},
		{"concat_nullVariable", `"a" + @[User::NullStr]`, TypeWStr, "NULL"},
		{"negate_null", `-NULL(DT_I4)`, TypeI4, "NULL"},
		{"bitnot_null", `~NULL(DT_I4)`, TypeI4, "NULL"},
		{"compare_null", `NULL(DT_I4) == 1`, TypeBool, "NULL"},
		{"compare_bothNull", `NULL(DT_I4) == NULL(DT_I4)`, TypeBool, "NULL"},
		{"compare_nullString", `@[User::NullStr] != "x"`, TypeBool, "NULL"},
		{"isnull_null", `ISNULL(NULL(DT_I4))`, TypeBool, "True"},
		{"isnull_value", `ISNULL(1)`, TypeBool, "False"},
		{"isnull_expression", `ISNULL(@[User::NullStr] + "x")`, TypeBool, "True"},
		{"cond_nullCondition", `NULL(DT_BOOL) ? 1 : 2`, TypeI4, "NULL"},
		{"cond_selectedNull", `TRUE ? NULL(DT_I4) : 2`, TypeI4, "NULL"},
		{"cond_otherNull", `FALSE ? NULL(DT_I4) : 2`, TypeI4, "2"},
		{"function_null", `UPPER(NULL(DT_WSTR,5))`, TypeWStr, "NULL"},
		{"len_null", `LEN(NULL(DT_WSTR,5))`, TypeI4, "NULL"},
		{"substring_nullLength", `SUBSTRING("abc", 1, NULL(DT_I4))`, TypeWStr, "NULL"},
		{"replace_null", `REPLACE("abc", NULL(DT_WSTR,1), "x")`, TypeWStr, "NULL"},
		{"tokencount_null_isZero", `TOKENCOUNT(NULL(DT_WSTR,5), " ")`, TypeI4, "0"},
		{"codepoint_empty_isNull", `CODEPOINT("")`, TypeUI2, "NULL"},
		{"dateadd_null", `DATEADD("dd", NULL(DT_I4), GETDATE())`, TypeDBTimestamp, "NULL"},
		{"null_date", `NULL(DT_DATE)`, TypeDate, "NULL"},
		{"null_numeric", `NULL(DT_NUMERIC,10,2) + 1`, TypeNumeric, "NULL"},
		{"replacenull_null", `REPLACENULL(NULL(DT_I4), 5)`, TypeI4, "5"},
		{"replacenull_value", `REPLACENULL(3, 5)`, TypeI4, "3"},
		{"replacenull_bothNull_docErratum2", `REPLACENULL(NULL(DT_WSTR,5), NULL(DT_WSTR,5))`, TypeWStr, "NULL"},
		{"replacenull_convertsSecond", `REPLACENULL(NULL(DT_I4), "7")`, TypeI4, "7"},
		{"replacenull_typeOfFirst_docErratum2", `REPLACENULL(4, NULL(DT_WSTR,1))`, TypeI4, "4"},
		{"replacenull_variable", `REPLACENULL(@[User::NullStr], "default")`, TypeWStr, "default"},
	})
}

// TestShortCircuit checks that &&, || and ?: skip what cannot change the
// result, while still checking its types.
func TestShortCircuit(t *testing.T) {
	runEval(t, []evalCase{
		{"and_skipsRight", `FALSE && 1/0 == 1`, TypeBool, "False"},
		{"or_skipsRight", `TRUE || 1/0 == 1`, TypeBool, "True"},
		{"cond_skipsElse", `TRUE ? 1 : 1/0`, TypeI4, "1"},
		{"cond_skipsThen", `FALSE ? 1/0 : 2`, TypeI4, "2"},
	})
	runErr(t, []errCase{
		{"and_nullEvaluatesRight", `NULL(DT_BOOL) && 1/0 == 1`, ErrDivideByZero},
		{"and_typeCheckedAnyway", `FALSE && "a" + 1 == "b"`, ErrType},
		{"cond_typeCheckedAnyway", `TRUE ? 1 : UPPER(1)`, ErrType},
	})
}

// TestArithmetic checks operators, integer semantics and promotion.
func TestArithmetic(t *testing.T) {
	runEval(t, []evalCase{
		{"intDivisionTruncates", `5 / 2`, TypeI4, "2"},
		{"intDivisionTruncatesTowardZero", `-5 / 2`, TypeI4, "-2"},
		{"modulo", `17 % 5`, TypeI4, "2"},
		{"moduloSignOfDividend", `-5 % 3`, TypeI4, "-2"},
		{"moduloUnsigned", `17U % 5U`, TypeUI4, "2"},
		{"negate", `-(3)`, TypeI4, "-3"},
		{"negateVariable", `-@[User::I4]`, TypeI4, "-5"},
		{"negateReal", `-@[User::R8]`, TypeR8, "-2.5"},
		{"negateNumeric", `-(1.5)`, TypeNumeric, "-1.5"},
		{"bitAnd", `12 & 10`, TypeI4, "8"},
		{"bitOr", `12 | 10`, TypeI4, "14"},
		{"bitXor", `12 ^ 10`, TypeI4, "6"},
		{"bitNotUnsigned", `~(DT_UI1)1`, TypeUI1, "254"},
		{"bitNotI8", `~0L`, TypeI8, "-1"},
		{"bitAndNegative", `-1 & 255`, TypeI4, "255"},
		{"promote_UI1_I1_isI2", `(DT_UI1)200 + (DT_I1)100`, TypeI2, "300"},
		{"promote_I1_I1", `(DT_I1)100 + (DT_I1)27`, TypeI1, "127"},
		{"promote_UI4_I4_isI8", `4294967295U + 1`, TypeI8, "4294967296"},
		{"promote_UI2_I2_isI4", `(DT_UI2)65535 + (DT_I2)1`, TypeI4, "65536"},
		{"promote_UI8_UI1", `18446744073709551614UL + (DT_UI1)1`, TypeUI8, "18446744073709551615"},
		{"promote_I8_R4_isR4", `1L + (DT_R4)0.5`, TypeR4, "1.5"},
		{"promote_R4_R8", `(DT_R4)0.5 + (DT_R8)0.25`, TypeR8, "0.75"},
		{"promote_I4_numeric", `1 + 0.5`, TypeNumeric, "1.5"},
		{"promote_CY_CY", `(DT_CY)1.5 + (DT_CY)2`, TypeCY, "3.5"},
		{"promote_CY_I4_isNumeric", `(DT_CY)1.5 + 2`, TypeNumeric, "3.5000"},
		{"promote_decimal_decimal_isNumeric", `(DT_DECIMAL,2)1 + (DT_DECIMAL,2)2`, TypeNumeric, "3.00"},
		{"promote_R8_numeric", `(DT_R8)1 + 0.5`, TypeR8, "1.5"},
		{"numeric_addScale", `1.5 + 2.25`, TypeNumeric, "3.75"},
		{"numeric_multiplyScale", `1.5 * 2.25`, TypeNumeric, "3.375"},
		{"numeric_divideScale", `1 / 3.0`, TypeNumeric, "0.333333"},
		{"numeric_divideExact", `10.0 / 4`, TypeNumeric, "2.500000000000"},
		{"numeric_subtract", `0.1 - 0.3`, TypeNumeric, "-0.2"},
		{"CY_multiply", `(DT_CY)1.5 * (DT_CY)1.5`, TypeCY, "2.25"},
		{"CY_divide", `(DT_CY)1 / (DT_CY)3`, TypeCY, "0.3333"},
		{"R8_divide", `(DT_R8)1 / 4`, TypeR8, "0.25"},
		{"R4_arithmeticIsSingle", `(DT_R4)0.1 + (DT_R4)0.2`, TypeR4, "0.3"},
		{"R8_arithmeticIsDouble", `(DT_R8)0.1 + (DT_R8)0.2`, TypeR8, "0.3"},
		{"I8_maxArithmetic", `9223372036854775806L + 1`, TypeI8, "9223372036854775807"},
		{"I4_minViaSubtraction", `-2147483647 - 1`, TypeI4, "-2147483648"},
	})
}

// TestOverflow checks that overflow is an error, never a wrap-around.
func TestOverflow(t *testing.T) {
	runErr(t, []errCase{
		{"I4_add", `2147483647 + 1`, ErrOverflow},
		{"I4_subtract", `-2147483648 - 1`, ErrOverflow},
		{"I4_multiply", `46341 * 46341`, ErrOverflow},
		{"I4_negateMin", `-(-2147483648)`, ErrOverflow},
		{"I4_divideMinByMinusOne", `-2147483648 / -1`, ErrOverflow},
		{"I4_absMin", `ABS(-2147483648)`, ErrOverflow},
		{"I2_add", `(DT_I2)32767 + (DT_I2)1`, ErrOverflow},
		{"I1_multiply", `(DT_I1)64 * (DT_I1)2`, ErrOverflow},
		{"UI1_add", `(DT_UI1)255 + (DT_UI1)1`, ErrOverflow},
		{"UI4_subtractBelowZero", `0U - 1U`, ErrOverflow},
		{"UI8_multiply", `18446744073709551615UL * 2UL`, ErrOverflow},
		{"I8_add", `9223372036854775807L + 1`, ErrOverflow},
		{"I8_multiply", `9223372036854775807L * 2`, ErrOverflow},
		{"R8_multiply", `(DT_R8)1E300 * (DT_R8)1E300`, ErrOverflow},
		{"R4_multiply", `(DT_R4)1E30 * (DT_R4)1E30`, ErrOverflow},
		{"CY_multiply", `(DT_CY)922337203685477 * (DT_CY)10`, ErrOverflow},
		{"numeric_multiply", `(DT_NUMERIC,38,0)"99999999999999999999999999999999999999" * 10`, ErrOverflow},
		{"exp", `EXP(1000)`, ErrOverflow},
		{"power", `POWER(10, 400)`, ErrOverflow},
		{"square", `SQUARE((DT_R8)1E200)`, ErrOverflow},
		{"datediffMilliseconds", `DATEDIFF("ms", (DT_DBTIMESTAMP)"2000-01-01", (DT_DBTIMESTAMP)"2001-01-01")`, ErrOverflow},
		{"dateaddYears", `DATEADD("yy", 10000, GETDATE())`, ErrOverflow},
		{"dateaddBeforeYear1", `DATEADD("dd", -800000, GETDATE())`, ErrOverflow},
	})
}

// TestDivideByZero checks division and modulo by zero for every numeric
// kind.
func TestDivideByZero(t *testing.T) {
	runErr(t, []errCase{
		{"I4", `1 / 0`, ErrDivideByZero},
		{"I4_modulo", `1 % 0`, ErrDivideByZero},
		{"UI8", `1UL / 0UL`, ErrDivideByZero},
		{"I8_variable", `10L / (@[User::I4] - 5)`, ErrDivideByZero},
		{"numeric", `1.5 / 0.0`, ErrDivideByZero},
		{"numeric_byInt", `1.0 / 0`, ErrDivideByZero},
		{"R8", `(DT_R8)1 / 0`, ErrDivideByZero},
		{"R4", `(DT_R4)1 / (DT_R4)0`, ErrDivideByZero},
		{"CY", `(DT_CY)1 / (DT_CY)0`, ErrDivideByZero},
	})
}

// TestTypeErrors checks operands the operators reject.
func TestTypeErrors(t *testing.T) {
	runErr(t, []errCase{
		{"Concat_nonString_docErratum4", `"a" + 1`, ErrType},
		{"Concat_date_docErratum4", `"x" + GETDATE()`, ErrType},
		{"Concat_numberFirst", `1 + "a"`, ErrType},
		{"add_bool", `1 + TRUE`, ErrType},
		{"add_bools", `TRUE + TRUE`, ErrType},
		{"add_dates", `GETDATE() + 1`, ErrType},
		{"UI8_withSigned_needsCast", `1UL + 1`, ErrType},
		{"negate_unsigned", `-(DT_UI4)1`, ErrType},
		{"negate_unsignedLiteral", `-5U`, ErrType},
		{"negate_string", `-"a"`, ErrType},
		{"not_integer", `!1`, ErrType},
		{"bitnot_real", `~1.5`, ErrType},
		{"bitwise_mixedSign", `1 & (DT_UI4)1`, ErrType},
		{"bitwise_bool", `TRUE & FALSE`, ErrType},
		{"modulo_numeric", `5 % 1.5`, ErrType},
		{"modulo_real", `(DT_R8)5 % 2`, ErrType},
		{"and_integers", `1 && 0`, ErrType},
		{"compare_stringNumber", `1 == "1"`, ErrType},
		{"compare_boolOrdering", `TRUE > FALSE`, ErrType},
		{"compare_dateLiteral_docErratum7", `"7/4/2003" == GETDATE()`, ErrType},
		{"compare_timeWithDate", `(DT_DBTIME)"10:00:00" == (DT_DBDATE)"2000-01-01"`, ErrType},
		{"compare_guidOrdering", `(DT_GUID)"{6F9619FF-8B86-D011-B42D-00C04FC964FF}" < (DT_GUID)"{6F9619FF-8B86-D011-B42D-00C04FC964FF}"`, ErrType},
		{"cond_notBool", `1 ? 2 : 3`, ErrType},
		{"cond_incompatibleBranches", `TRUE ? 1 : "a"`, ErrType},
		{"cond_dateAndNumber", `TRUE ? GETDATE() : 1`, ErrType},
	})
}

// TestComparisons checks comparisons of each kind of type.
func TestComparisons(t *testing.T) {
	runEval(t, []evalCase{
		{"int_real", `1 == (DT_R8)1.0`, TypeBool, "True"},
		{"int_numeric", `2 > 1.99`, TypeBool, "True"},
		{"numeric_scales", `1.50 == 1.5`, TypeBool, "True"},
		{"unsigned_signed", `4294967295U > -1`, TypeBool, "True"},
		{"I8_UI4", `-1L < 1U`, TypeBool, "True"},
		{"string_equal", `"abc" == "abc"`, TypeBool, "True"},
		{"string_caseSensitive", `"abc" == "ABC"`, TypeBool, "False"},
		{"string_noPadding", `"a " == "a"`, TypeBool, "False"},
		{"string_ordinalUpperFirst", `"B" < "a"`, TypeBool, "True"},
		{"string_ordinalAccent", `"é" > "z"`, TypeBool, "True"},
		{"string_prefix", `"ab" < "abc"`, TypeBool, "True"},
		{"string_utf16Order", `"\xFF61" > "\xD83D\xDE00"`, TypeBool, "True"},
		{"string_variable", `@[User::Str] == "hello"`, TypeBool, "True"},
		{"bool_equal", `TRUE == TRUE`, TypeBool, "True"},
		{"bool_notEqual", `TRUE != FALSE`, TypeBool, "True"},
		{"date_date", `(DT_DBDATE)"2000-01-01" < (DT_DBTIMESTAMP)"2000-01-01 00:00:01"`, TypeBool, "True"},
		{"date_equalAcrossTypes", `(DT_DATE)"2000-01-01" == (DT_DBDATE)"2000-01-01"`, TypeBool, "True"},
		{"date_variable", `@[User::Date] < GETDATE()`, TypeBool, "True"},
		{"offset_sameInstant", `(DT_DBTIMESTAMPOFFSET,0)"2000-01-01 10:00:00 +01:00" == (DT_DBTIMESTAMPOFFSET,0)"2000-01-01 09:00:00 +00:00"`, TypeBool, "True"},
		{"offset_withNaive", `(DT_DBTIMESTAMPOFFSET,0)"2000-01-01 10:00:00 +01:00" == (DT_DBTIMESTAMP)"2000-01-01 09:00:00"`, TypeBool, "True"},
		{"time_time", `(DT_DBTIME)"10:00:00" < (DT_DBTIME2,3)"10:00:00.5"`, TypeBool, "True"},
		{"guid_equal", `(DT_GUID)"{6f9619ff-8b86-d011-b42d-00c04fc964ff}" == (DT_GUID)"6F9619FF-8B86-D011-B42D-00C04FC964FF"`, TypeBool, "True"},
		{"R8_NaN_free", `(DT_R8)0.5 >= 0.5`, TypeBool, "True"},
	})
}

// TestConditional checks the result types of ?:.
func TestConditional(t *testing.T) {
	runEval(t, []evalCase{
		{"strings", `TRUE ? "a" : "bcd"`, TypeWStr, "a"},
		{"int_numeric", `TRUE ? 1 : 2.5`, TypeNumeric, "1"},
		{"I2_I8", `FALSE ? (DT_I2)1 : 5L`, TypeI8, "5"},
		{"dates", `TRUE ? (DT_DBDATE)"2000-01-01" : (DT_DBTIMESTAMP)"2000-01-02"`, TypeDBTimestamp, "2000-01-01 00:00:00"},
		{"bools", `TRUE ? FALSE : TRUE`, TypeBool, "False"},
		{"nested", `@[User::I4] > 3 ? (@[User::I4] > 4 ? "big" : "mid") : "small"`, TypeWStr, "big"},
	})
}

// TestMapEnv checks unqualified resolution and ambiguity.
func TestMapEnv(t *testing.T) {
	env := MapEnv{Vars: map[string]Value{"User::A": I4(1), "User::B": I4(2), "Other::B": I4(3), "$Package::A": I4(4)}}
	if v, err := env.Lookup("A"); err != nil || v.String() != "1" {
		t.Errorf("Lookup(A) = %v, %v; want User::A (parameters need $Package::)", v, err)
	}
	if _, err := env.Lookup("B"); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("Lookup(B) error = %v, want ErrAmbiguous", err)
	}
	if v, err := env.Lookup("Other::B"); err != nil || v.String() != "3" {
		t.Errorf("Lookup(Other::B) = %v, %v", v, err)
	}
	if _, err := env.Lookup("C"); !errors.Is(err, ErrUnknownVariable) {
		t.Errorf("Lookup(C) error = %v, want ErrUnknownVariable", err)
	}
	if env.Now().IsZero() {
		t.Error("Now without a Clock is zero")
	}
}
