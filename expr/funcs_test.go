package expr

import (
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// TestStringFunctions checks the string functions beyond the documented
// examples: edge cases, UTF-16 positions, errors.
func TestStringFunctions(t *testing.T) {
	runEval(t, []evalCase{
		{"len_trailingBlanks", `LEN("ab  ")`, TypeI4, "4"},
		{"len_surrogatePair", `LEN("a😀")`, TypeI4, "3"},
		{"len_bytes", `LEN((DT_BYTES,4)258)`, TypeI4, "4"},
		{"substring_pastEnd", `SUBSTRING("abc", 4, 1)`, TypeWStr, ""},
		{"substring_unicode", `SUBSTRING("héllo", 2, 3)`, TypeWStr, "éll"},
		{"substring_surrogate", `SUBSTRING("😀b", 3, 1)`, TypeWStr, "b"},
		{"substring_hugeLength", `SUBSTRING("abc", 2, 2147483647)`, TypeWStr, "bc"},
		{"substring_dtStrLength", `SUBSTRING(@[User::Str], 1, (DT_UI1)2)`, TypeWStr, "he"},
		{"left_zero", `LEFT("abc", 0)`, TypeWStr, ""},
		{"left_tooLong", `LEFT("abc", 10)`, TypeWStr, "abc"},
		{"right_zero", `RIGHT("abc", 0)`, TypeWStr, ""},
		{"right_tooLong", `RIGHT("abc", 5)`, TypeWStr, "abc"},
		{"right_unicode", `RIGHT("naïve", 3)`, TypeWStr, "ïve"},
		{"upper_unicode_sharpSKept", `UPPER("straße é")`, TypeWStr, "STRAßE É"},
		{"lower", `LOWER("ÀB")`, TypeWStr, "àb"},
		{"trim_onlySpaces", `TRIM(" \ta\t ")`, TypeWStr, "\ta\t"},
		{"rtrim", `RTRIM("  a  ")`, TypeWStr, "  a"},
		{"ltrim_newlineKept", `LTRIM("\n a")`, TypeWStr, "\n a"},
		{"replace_all", `REPLACE("aaa", "a", "bb")`, TypeWStr, "bbbbbb"},
		{"replace_caseSensitive", `REPLACE("Aa", "a", "x")`, TypeWStr, "Ax"},
		{"replace_toEmpty", `REPLACE("a:b:c", ":", "")`, TypeWStr, "abc"},
		{"replicate_zero", `REPLICATE("ab", 0)`, TypeWStr, ""},
		{"reverse_unicode", `REVERSE("a😀é")`, TypeWStr, "é😀a"},
		{"findstring_overlapping", `FINDSTRING("aaa", "aa", 2)`, TypeI4, "2"},
		{"findstring_unicodePositions", `FINDSTRING("😀ab", "b", 1)`, TypeI4, "4"},
		{"findstring_notFound", `FINDSTRING("abc", "x", 1)`, TypeI4, "0"},
		{"findstring_emptySearch", `FINDSTRING("abc", "", 1)`, TypeI4, "0"},
		{"token_runsOfDelimiters", `TOKEN("a,,b", ",", 2)`, TypeWStr, "b"},
		{"token_trailingDelimiter", `TOKEN("a,b,", ",", 3)`, TypeWStr, ""},
		{"token_empty", `TOKEN("", ",", 1)`, TypeWStr, ""},
		{"token_unsignedOccurrence", `TOKEN("a b", " ", 2U)`, TypeWStr, "b"},
		{"tokencount_runs", `TOKENCOUNT("a,,b", ",")`, TypeI4, "2"},
		{"tokencount_empty", `TOKENCOUNT("", ",")`, TypeI4, "0"},
		{"tokencount_onlyDelimiters", `TOKENCOUNT(",,,", ",")`, TypeI4, "0"},
		{"codepoint_nonASCII", `CODEPOINT("é")`, TypeUI2, "233"},
		{"codepoint_surrogate", `CODEPOINT("😀")`, TypeUI2, "55357"},
		{"hex_255", `HEX(255)`, TypeWStr, "FF"},
		{"hex_zero", `HEX(0)`, TypeWStr, "0"},
		{"hex_negativeI4", `HEX(-1)`, TypeWStr, "FFFFFFFF"},
		{"hex_negativeI1", `HEX((DT_I1)-1)`, TypeWStr, "FF"},
		{"hex_negativeI8", `HEX(-2L)`, TypeWStr, "FFFFFFFFFFFFFFFE"},
		{"hex_UI8", `HEX(18446744073709551615UL)`, TypeWStr, "FFFFFFFFFFFFFFFF"},
		{"nestedStringFunctions", `UPPER(LEFT(TRIM("  hello world  "), 5)) + "!"`, TypeWStr, "HELLO!"},
		{"corpus_rightPadDate", `RIGHT("0" + (DT_WSTR, 2)MONTH((DT_DBTIMESTAMP)"2014-01-13"), 2)`, TypeWStr, "01"},
		{"corpus_replaceColons", `REPLACE("C:\\x.csv", ".csv", (DT_WSTR, 50) (DT_DBTIMESTAMP) (DT_DATE)"3/3/2013 2:10:49 PM" + ".csv")`, TypeWStr, `C:\x2013-03-03 14:10:49.csv`},
	})
	runErr(t, []errCase{
		{"substring_zeroStart", `SUBSTRING("abc", 0, 1)`, ErrArgument},
		{"substring_negativeLength", `SUBSTRING("abc", 1, -1)`, ErrArgument},
		{"substring_realPosition", `SUBSTRING("abc", 1.5, 1)`, ErrType},
		{"left_negative", `LEFT("abc", -1)`, ErrArgument},
		{"right_negative", `RIGHT("abc", -1)`, ErrArgument},
		{"replace_emptySearch", `REPLACE("abc", "", "x")`, ErrArgument},
		{"replicate_negative", `REPLICATE("a", -1)`, ErrArgument},
		{"replicate_tooLong", `REPLICATE("abcd", 2147483647)`, ErrArgument},
		{"replicate_nestedTooLong", `REPLICATE(REPLICATE("x", 100000), 100000)`, ErrArgument},
		{"findstring_zeroOccurrence", `FINDSTRING("abc", "a", 0)`, ErrArgument},
		{"token_emptyDelimiters", `TOKEN("abc", "", 1)`, ErrArgument},
		{"token_zeroOccurrence", `TOKEN("abc", " ", 0)`, ErrArgument},
		{"tokencount_emptyDelimiters", `TOKENCOUNT("abc", "")`, ErrArgument},
		{"upper_number", `UPPER(1)`, ErrType},
		{"len_number", `LEN(12)`, ErrType},
		{"hex_real", `HEX(1.5)`, ErrType},
		{"hex_string", `HEX("1")`, ErrType},
		{"substring_hugeUnsigned", `SUBSTRING("abc", 18446744073709551615UL, 1)`, ErrOverflow},
	})
}

// TestMathFunctions checks the mathematical functions beyond the
// documented examples.
func TestMathFunctions(t *testing.T) {
	runEval(t, []evalCase{
		{"abs_int", `ABS(-5)`, TypeI4, "5"},
		{"abs_unsigned", `ABS(5U)`, TypeUI4, "5"},
		{"abs_real", `ABS((DT_R8)-1.5)`, TypeR8, "1.5"},
		{"abs_CY", `ABS((DT_CY)-2.5)`, TypeCY, "2.5"},
		{"ceiling_int", `CEILING(5)`, TypeI4, "5"},
		{"ceiling_real", `CEILING((DT_R8)1.2)`, TypeR8, "2"},
		{"ceiling_R4", `CEILING((DT_R4)1.2)`, TypeR4, "2"},
		{"ceiling_CY", `CEILING((DT_CY)-1.5)`, TypeCY, "-1"},
		{"ceiling_growsPrecision", `CEILING(9.5)`, TypeNumeric, "10.0"},
		{"floor_real", `FLOOR((DT_R8)-1.5)`, TypeR8, "-2"},
		{"floor_exact", `FLOOR(-3.00)`, TypeNumeric, "-3.00"},
		{"round_real_halfAway", `ROUND((DT_R8)2.5, 0)`, TypeR8, "3"},
		{"round_real_shortestDecimal", `ROUND((DT_R8)2.675, 2)`, TypeR8, "2.68"},
		{"round_real_negative", `ROUND((DT_R8)-2.5, 0)`, TypeR8, "-3"},
		{"round_int_unchanged", `ROUND(5, 2)`, TypeI4, "5"},
		{"round_moreDigitsThanScale", `ROUND(1.5, 3)`, TypeNumeric, "1.5"},
		{"round_growsPrecision", `ROUND(999.5, 0)`, TypeNumeric, "1000.0"},
		{"round_CY", `ROUND((DT_CY)1.2345, 2)`, TypeCY, "1.23"},
		{"sign_zero", `SIGN(0)`, TypeI4, "0"},
		{"sign_unsigned", `SIGN(7U)`, TypeI4, "1"},
		{"sign_real", `SIGN((DT_R8)-0.1)`, TypeI4, "-1"},
		{"power_fractional", `POWER(2, 0.5)`, TypeR8, "1.414213562373095"},
		{"power_negativeExponent", `POWER(2, -1)`, TypeR8, "0.5"},
		{"power_indeterminate_isNull", `POWER(-8, 0.5)`, TypeR8, "NULL"},
		{"sqrt_numeric", `SQRT(2.25)`, TypeR8, "1.5"},
		{"square_numeric", `SQUARE(1.5)`, TypeR8, "2.25"},
		{"exp_one", `EXP(1)`, TypeR8, "2.718281828459045"},
		{"log_hundred", `LOG(100)`, TypeR8, "2"},
		{"ln_zero_isNull", `LN(0)`, TypeR8, "NULL"},
		{"log_negative_isNull", `LOG(-1)`, TypeR8, "NULL"},
	})
	runErr(t, []errCase{
		{"round_negativeLength", `ROUND(1.5, -1)`, ErrArgument},
		{"round_realLength", `ROUND(1.5, 1.5)`, ErrType},
		{"power_zeroToNegative", `POWER(0, -1)`, ErrArgument},
		{"sqrt_negative", `SQRT(-1)`, ErrArgument},
		{"abs_string", `ABS("1")`, ErrType},
		{"sign_bool", `SIGN(TRUE)`, ErrType},
	})
}

// TestDateFunctions checks DATEADD, DATEDIFF, DATEPART, DAY, MONTH, YEAR,
// GETDATE and GETUTCDATE.
func TestDateFunctions(t *testing.T) {
	runEval(t, []evalCase{
		{"getdate_clockToMilliseconds", `(DT_WSTR,30)GETDATE()`, TypeWStr, "2005-03-04 11:06:27.123000000"},
		{"getdate_type", `GETDATE()`, TypeDBTimestamp, "2005-03-04 11:06:27.123000000"},
		{"getdate_sameInOneEvaluation", `GETDATE() == GETDATE()`, TypeBool, "True"},
		{"dateadd_docExample", `DATEADD("yyyy", 2, (DT_DBTIMESTAMP)"8/6/2003")`, TypeDBTimestamp, "2005-08-06 00:00:00"},
		{"dateadd_monthClamps", `DATEADD("mm", 1, (DT_DBTIMESTAMP)"2020-01-31")`, TypeDBTimestamp, "2020-02-29 00:00:00"},
		{"dateadd_yearClampsLeapDay", `DATEADD("yy", 1, (DT_DBTIMESTAMP)"2020-02-29")`, TypeDBTimestamp, "2021-02-28 00:00:00"},
		{"dateadd_quarter", `DATEADD("q", -1, (DT_DBTIMESTAMP)"2020-05-15")`, TypeDBTimestamp, "2020-02-15 00:00:00"},
		{"dateadd_week", `DATEADD("wk", 2, (DT_DBTIMESTAMP)"2020-01-01")`, TypeDBTimestamp, "2020-01-15 00:00:00"},
		{"dateadd_dayNegative", `DATEADD("DAY", -1, (DT_DBTIMESTAMP)"2014-01-01")`, TypeDBTimestamp, "2013-12-31 00:00:00"},
		{"dateadd_hours", `DATEADD("hh", 25, (DT_DBTIMESTAMP)"2020-01-01 00:30:00")`, TypeDBTimestamp, "2020-01-02 01:30:00"},
		{"dateadd_minutes", `DATEADD("mi", -90, (DT_DBTIMESTAMP)"2020-01-01 00:30:00")`, TypeDBTimestamp, "2019-12-31 23:00:00"},
		{"dateadd_milliseconds", `DATEADD("ms", 1500, (DT_DBTIMESTAMP)"2020-01-01")`, TypeDBTimestamp, "2020-01-01 00:00:01.500000000"},
		{"dateadd_manySeconds", `DATEADD("ss", 2000000000, (DT_DBTIMESTAMP)"2000-01-01")`, TypeDBTimestamp, "2063-05-18 03:33:20"},
		{"dateadd_ofDate", `DATEADD("d", 1, @[User::Date])`, TypeDBTimestamp, "2005-03-05 11:06:18"},
		{"dateadd_ofDBDate", `DATEADD("d", 1, (DT_DBDATE)"2000-02-28")`, TypeDBTimestamp, "2000-02-29 00:00:00"},
		{"dateadd_I8Increment", `DATEADD("d", 1L, (DT_DBDATE)"2000-02-28")`, TypeDBTimestamp, "2000-02-29 00:00:00"},
		{"datediff_yearBoundary", `DATEDIFF("yy", (DT_DBTIMESTAMP)"2003-12-31", (DT_DBTIMESTAMP)"2004-01-01")`, TypeI4, "1"},
		{"datediff_monthBoundary", `DATEDIFF("mm", (DT_DBTIMESTAMP)"2003-01-31", (DT_DBTIMESTAMP)"2003-02-01")`, TypeI4, "1"},
		{"datediff_quarter", `DATEDIFF("qq", (DT_DBTIMESTAMP)"2003-03-31", (DT_DBTIMESTAMP)"2003-04-01")`, TypeI4, "1"},
		{"datediff_negative", `DATEDIFF("dd", (DT_DBTIMESTAMP)"2003-08-08", (DT_DBTIMESTAMP)"2003-08-01")`, TypeI4, "-7"},
		{"datediff_dayIgnoresTime", `DATEDIFF("dd", (DT_DBTIMESTAMP)"2003-08-01 23:59:59", (DT_DBTIMESTAMP)"2003-08-02 00:00:00")`, TypeI4, "1"},
		{"datediff_weekSundayBoundary", `DATEDIFF("wk", (DT_DBTIMESTAMP)"2024-01-06", (DT_DBTIMESTAMP)"2024-01-07")`, TypeI4, "1"},
		{"datediff_weekNoBoundary", `DATEDIFF("wk", (DT_DBTIMESTAMP)"2024-01-07", (DT_DBTIMESTAMP)"2024-01-13")`, TypeI4, "0"},
		{"datediff_weekBeforeEpoch", `DATEDIFF("wk", (DT_DBTIMESTAMP)"1900-01-06", (DT_DBTIMESTAMP)"1900-01-07")`, TypeI4, "1"},
		{"datediff_hourBoundary", `DATEDIFF("hh", (DT_DBTIMESTAMP)"2000-01-01 10:59:59", (DT_DBTIMESTAMP)"2000-01-01 11:00:00")`, TypeI4, "1"},
		{"datediff_seconds_docSample", `DATEDIFF("ss", @[System::StartTime], GETDATE())`, TypeI4, "9"},
		{"datediff_milliseconds", `DATEDIFF("ms", (DT_DBTIMESTAMP)"2000-01-01", (DT_DBTIMESTAMP)"2000-01-01 00:00:01.25")`, TypeI4, "1250"},
		{"datediff_offsetsInUTC", `DATEDIFF("hh", (DT_DBTIMESTAMPOFFSET,0)"2000-01-01 10:00:00 +02:00", (DT_DBTIMESTAMPOFFSET,0)"2000-01-01 10:00:00 +00:00")`, TypeI4, "2"},
		{"datepart_weekdayMondayIs2", `DATEPART("weekday", (DT_DBTIMESTAMP)"2024-01-01")`, TypeI4, "2"},
		{"datepart_weekdaySundayIs1", `DATEPART("dw", (DT_DBTIMESTAMP)"2024-01-07")`, TypeI4, "1"},
		{"datepart_weekOfJan6", `DATEPART("wk", (DT_DBTIMESTAMP)"2024-01-06")`, TypeI4, "1"},
		{"datepart_weekOfJan7", `DATEPART("ww", (DT_DBTIMESTAMP)"2024-01-07")`, TypeI4, "2"},
		{"datepart_quarter", `DATEPART("q", (DT_DBTIMESTAMP)"2024-08-01")`, TypeI4, "3"},
		{"datepart_dayofyear", `DATEPART("dy", (DT_DBTIMESTAMP)"2024-12-31")`, TypeI4, "366"},
		{"datepart_hour", `DATEPART("Hh", (DT_DBTIMESTAMP)"2024-01-01 13:14:15.678")`, TypeI4, "13"},
		{"datepart_minute", `DATEPART("n", (DT_DBTIMESTAMP)"2024-01-01 13:14:15.678")`, TypeI4, "14"},
		{"datepart_second", `DATEPART("s", (DT_DBTIMESTAMP)"2024-01-01 13:14:15.678")`, TypeI4, "15"},
		{"datepart_millisecond", `DATEPART("Ms", (DT_DBTIMESTAMP)"2024-01-01 13:14:15.678")`, TypeI4, "678"},
		{"datepart_offsetLocalTime", `DATEPART("hh", (DT_DBTIMESTAMPOFFSET,0)"2000-01-01 10:00:00 +05:00")`, TypeI4, "10"},
		{"datepart_ofTime", `DATEPART("mi", (DT_DBTIME)"10:42:00")`, TypeI4, "42"},
		{"corpus_initialLoadTime", `(DT_WSTR, 6) (DATEPART( "hour", (DT_DATE)"6/15/2013" ) * 10000 + DATEPART("minute", (DT_DATE)"6/15/2013" ) *100+DATEPART("second", (DT_DATE)"6/15/2013" ))`, TypeWStr, "0"},
		{"year", `YEAR(@[User::Date])`, TypeI4, "2005"},
		{"month", `MONTH(@[User::Date])`, TypeI4, "3"},
		{"day", `DAY(GETDATE())`, TypeI4, "4"},
		{"yearOfDBDate", `YEAR((DT_DBDATE)"1999-10-11")`, TypeI4, "1999"},
		{"corpus_fileNameFromDate", `(DT_WSTR, 4)YEAR(DATEADD("DAY", -1, GETDATE())) + RIGHT("0" + (DT_WSTR, 2)MONTH(DATEADD("DAY", -1, GETDATE())),2) + RIGHT("0" + (DT_WSTR, 2)DAY(DATEADD("DAY", -1, GETDATE())),2)`, TypeWStr, "20050303"},
	})
	runErr(t, []errCase{
		{"dateadd_badPart", `DATEADD("fortnight", 1, GETDATE())`, ErrArgument},
		{"dateadd_realIncrement", `DATEADD("dd", 1.5, GETDATE())`, ErrType},
		{"dateadd_partNotString", `DATEADD(1, 1, GETDATE())`, ErrType},
		{"datepart_dateLiteral", `DATEPART("dd", "2003-01-01")`, ErrType},
		{"day_number", `DAY(5)`, ErrType},
		{"datediff_badPart", `DATEDIFF("x", GETDATE(), GETDATE())`, ErrArgument},
	})
	env := MapEnv{Clock: func() time.Time { return time.Date(2024, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)) }}
	for src, want := range map[string]string{
		`GETDATE()`:    "2024-06-01 12:00:00",
		`GETUTCDATE()`: "2024-06-01 10:00:00",
	} {
		v, err := Eval(src, env)
		if err != nil || v.String() != want {
			t.Errorf("%s = %v, %v; want %s", src, v, err, want)
		}
	}
}

// TestResultSizeLimit checks that concatenation is bounded too.
func TestResultSizeLimit(t *testing.T) {
	big := Str(strings.Repeat("x", maxResult/2+1))
	env := MapEnv{Vars: map[string]Value{"User::Big": big}}
	if _, err := Eval(`@[User::Big] + @[User::Big]`, env); err == nil {
		t.Error("concatenating past the limit did not fail")
	}
}

// TestUnitSlice checks slicing by UTF-16 code units against a slice of
// the encoded text, including cuts through a surrogate pair.
func TestUnitSlice(t *testing.T) {
	for _, s := range []string{"abc", "a😀é", "😀😀", "été"} {
		u := units(s)
		for from := 0; from <= len(u); from++ {
			for to := from; to <= len(u); to++ {
				want := string(utf16.Decode(u[from:to]))
				if got := unitSlice(s, from, to); got != want {
					t.Errorf("unitSlice(%q, %d, %d) = %q, want %q", s, from, to, got, want)
				}
			}
		}
		if unitLen(s) != len(u) {
			t.Errorf("unitLen(%q) = %d, want %d", s, unitLen(s), len(u))
		}
	}
}
