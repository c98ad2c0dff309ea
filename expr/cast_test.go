package expr

import "testing"

// TestCastsLegal checks casts the chart allows, with their results.
func TestCastsLegal(t *testing.T) {
	runEval(t, []evalCase{
		{"str_to_I4", `(DT_I4)"12"`, TypeI4, "12"},
		{"str_to_I4_spaces", `(DT_I4)" -12 "`, TypeI4, "-12"},
		{"str_to_UI8", `(DT_UI8)"18446744073709551615"`, TypeUI8, "18446744073709551615"},
		{"numeric_to_I4_roundsHalfAway", `(DT_I4)3.5`, TypeI4, "4"},
		{"numeric_to_I4_roundsDown", `(DT_I4)3.49`, TypeI4, "3"},
		{"numeric_to_I4_negative", `(DT_I4)-3.5`, TypeI4, "-4"},
		{"R8_to_I8", `(DT_I8)(DT_R8)2.5`, TypeI8, "3"},
		{"I4_to_I1", `(DT_I1)-128`, TypeI1, "-128"},
		{"I4_to_UI1", `(DT_UI1)255`, TypeUI1, "255"},
		{"I4_to_R4", `(DT_R4)16777217`, TypeR4, "1.677722E+07"},
		{"I4_to_R8", `(DT_R8)7`, TypeR8, "7"},
		{"I4_to_CY", `(DT_CY)7`, TypeCY, "7"},
		{"numeric_to_CY_rounds", `(DT_CY)1.23456`, TypeCY, "1.2346"},
		{"I4_to_numeric", `(DT_NUMERIC,5,2)12`, TypeNumeric, "12.00"},
		{"numeric_to_numeric_rounds", `(DT_NUMERIC,5,2)3.14159`, TypeNumeric, "3.14"},
		{"numeric_to_decimal_halfAway", `(DT_DECIMAL,2)1.005`, TypeDecimal, "1.01"},
		{"str_to_numeric", `(DT_NUMERIC,10,3)"-2.5"`, TypeNumeric, "-2.500"},
		{"str_to_R8_exponent", `(DT_R8)" 1.5E3 "`, TypeR8, "1500"},
		{"R8_to_numeric", `(DT_NUMERIC,10,2)(DT_R8)0.125`, TypeNumeric, "0.13"},
		{"I4_to_bool", `(DT_BOOL)0`, TypeBool, "False"},
		{"I4_to_bool_nonzero", `(DT_BOOL)-7`, TypeBool, "True"},
		{"str_to_bool_lower", `(DT_BOOL)"false"`, TypeBool, "False"},
		{"str_to_bool_number", `(DT_BOOL)"1"`, TypeBool, "True"},
		{"bool_to_I4_isMinusOne", `(DT_I4)TRUE`, TypeI4, "-1"},
		{"bool_to_UI4_isOne", `(DT_UI4)TRUE`, TypeUI4, "1"},
		{"bool_to_R8", `(DT_R8)TRUE`, TypeR8, "-1"},
		{"bool_to_wstr", `(DT_WSTR,5)TRUE`, TypeWStr, "True"},
		{"bool_to_wstr_false", `(DT_WSTR,5)FALSE`, TypeWStr, "False"},
		{"I4_to_wstr", `(DT_WSTR,10)-42`, TypeWStr, "-42"},
		{"wstr_truncates", `(DT_WSTR,3)"abcdef"`, TypeWStr, "abc"},
		{"wstr_truncates_surrogates", `(DT_WSTR,2)"a😀"`, TypeWStr, "a"},
		{"int_to_wstr_truncates", `(DT_WSTR,2)12345`, TypeWStr, "12"},
		{"str_atRoot_isSTR", `(DT_STR,3,1252)"abcdef"`, TypeStr, "abc"},
		{"str_codePage1252", `(DT_STR,10,1252)"€ ā é"`, TypeStr, "€ ? é"},
		{"str_codePageASCII", `(DT_STR,10,20127)"é!"`, TypeStr, "?!"},
		{"str_inside_isWSTR", `(DT_STR,5,1252)"ā" + "b"`, TypeWStr, "āb"},
		{"str_insideConditional_isWSTR", `TRUE ? (DT_STR,5,1252)"a" : "b"`, TypeWStr, "a"},
		{"null_str_atRoot", `NULL(DT_STR,10,1252)`, TypeStr, "NULL"},
		{"null_str_inside_isWSTR", `(DT_WSTR,5)NULL(DT_STR,10,1252)`, TypeWStr, "NULL"},
		{"R8_to_wstr_16digits", `(DT_WSTR,30)(DT_R8)0.1`, TypeWStr, "0.1"},
		{"R8_to_wstr_third", `(DT_WSTR,30)((DT_R8)1 / 3)`, TypeWStr, "0.3333333333333333"},
		{"R4_to_wstr_7digits", `(DT_WSTR,30)((DT_R4)1 / 3)`, TypeWStr, "0.3333333"},
		{"numeric_to_wstr_keepsScale", `(DT_WSTR,10)124.00`, TypeWStr, "124.00"},
		{"CY_to_wstr", `(DT_WSTR,10)(DT_CY)12.50`, TypeWStr, "12.5"},
		{"guid_fromString", `(DT_GUID)"6f9619ff-8b86-d011-b42d-00c04fc964ff"`, TypeGUID, "{6F9619FF-8B86-D011-B42D-00C04FC964FF}"},
		{"guid_toString", `(DT_WSTR,38)(DT_GUID)"{6F9619FF-8B86-D011-B42D-00C04FC964FF}"`, TypeWStr, "{6F9619FF-8B86-D011-B42D-00C04FC964FF}"},
		{"guid_bytes_roundTrip", `(DT_GUID)(DT_BYTES,16)(DT_GUID)"{6F9619FF-8B86-D011-B42D-00C04FC964FF}"`, TypeGUID, "{6F9619FF-8B86-D011-B42D-00C04FC964FF}"},
		{"I4_to_bytes", `(DT_WSTR,8)(DT_BYTES,4)258`, TypeWStr, "02010000"},
		{"str_to_dbdate", `(DT_DBDATE)"1999-10-11"`, TypeDBDate, "1999-10-11"},
		{"str_to_dbtime", `(DT_DBTIME)"16:34:52"`, TypeDBTime, "16:34:52"},
		{"str_to_dbtime2_docErratum5", `(DT_DBTIME2,5)"16:34:52.12345"`, TypeDBTime2, "16:34:52.12345"},
		{"str_to_dbtimestamp2_docErratum5", `(DT_DBTIMESTAMP2,4)"1999-10-11 16:34:52.1234"`, TypeDBTimestamp2, "1999-10-11 16:34:52.1234"},
		{"str_to_offset_docErratum5", `(DT_DBTIMESTAMPOFFSET,7)"1999-10-11 16:34:52.1234567 + 5:35"`, TypeDBTimestampOffset, "1999-10-11 16:34:52.1234567 +05:35"},
		{"str_to_offset_Z", `(DT_DBTIMESTAMPOFFSET,0)"1999-10-11 16:34:52Z"`, TypeDBTimestampOffset, "1999-10-11 16:34:52 +00:00"},
		{"dbtime2_truncatesToScale", `(DT_DBTIME2,2)"16:34:52.129"`, TypeDBTime2, "16:34:52.12"},
		{"str_enUS_to_timestamp", `(DT_DBTIMESTAMP)"8/6/2003"`, TypeDBTimestamp, "2003-08-06 00:00:00"},
		{"str_enUS_ampm_to_timestamp", `(DT_DBTIMESTAMP)"3/3/2013 2:10:49 PM"`, TypeDBTimestamp, "2013-03-03 14:10:49"},
		{"str_enUS_twoDigitYear", `(DT_DBDATE)"1/2/03"`, TypeDBDate, "2003-01-02"},
		{"str_iso_T", `(DT_DBTIMESTAMP)"2003-08-06T10:11:12.5"`, TypeDBTimestamp, "2003-08-06 10:11:12.500000000"},
		{"timestamp_truncatesToMilliseconds", `(DT_DBTIMESTAMP)"2003-08-06 10:11:12.1234567"`, TypeDBTimestamp, "2003-08-06 10:11:12.123000000"},
		{"date_to_wstr_enUS", `(DT_WSTR, 30) (DT_DATE) "2005-03-04 11:06:18"`, TypeWStr, "3/4/2005 11:06:18 AM"},
		{"date_to_wstr_midnightHasNoTime", `(DT_WSTR, 30) (DT_DATE) "2013-06-15"`, TypeWStr, "6/15/2013"},
		{"date_to_wstr_noon", `(DT_WSTR, 30) (DT_DATE) "2013-06-15 12:00:01"`, TypeWStr, "6/15/2013 12:00:01 PM"},
		{"date_epoch_to_wstr_timeOnly", `(DT_WSTR, 30) (DT_DATE) "1899-12-30 00:00:00"`, TypeWStr, "12:00:00 AM"},
		// The corpus shows (DT_WSTR,50)(DT_DBTIMESTAMP) of a DateTime without
		// a fraction as "2013-03-03 14:10:49".
		{"date_to_timestamp_to_wstr_corpus", `(DT_WSTR, 50) (DT_DBTIMESTAMP) (DT_DATE) "3/3/2013 2:10:49 PM"`, TypeWStr, "2013-03-03 14:10:49"},
		{"timestamp_to_dbdate", `(DT_DBDATE)(DT_DBTIMESTAMP)"2013-10-14 00:13:00"`, TypeDBDate, "2013-10-14"},
		{"timestamp_to_dbtime", `(DT_DBTIME)(DT_DBTIMESTAMP)"2013-10-14 00:13:00"`, TypeDBTime, "00:13:00"},
		{"dbtime_to_timestamp", `(DT_DBTIMESTAMP)(DT_DBTIME)"10:00:00"`, TypeDBTimestamp, "1899-12-30 10:00:00"},
		{"offset_to_timestamp_keepsWallClock", `(DT_DBTIMESTAMP)(DT_DBTIMESTAMPOFFSET,0)"2000-01-01 10:00:00 -3:30"`, TypeDBTimestamp, "2000-01-01 10:00:00"},
		{"dbdate_to_offset", `(DT_DBTIMESTAMPOFFSET,3)(DT_DBDATE)"1999-10-12"`, TypeDBTimestampOffset, "1999-10-12 00:00:00.000 +00:00"},
		{"date_to_R8_oleDays", `(DT_R8)(DT_DATE)"1900-01-01 06:00:00"`, TypeR8, "2.25"},
		{"R8_to_date", `(DT_WSTR,30)(DT_DATE)(DT_R8)2.25`, TypeWStr, "1/1/1900 6:00:00 AM"},
		{"date_to_I4", `(DT_I4)(DT_DATE)"2020-01-01"`, TypeI4, "43831"},
		{"I8_to_filetime", `(DT_WSTR,30)(DT_FILETIME)116444736000000000L`, TypeWStr, "1970-01-01 00:00:00:000"},
		{"filetime_to_I8", `(DT_I8)(DT_FILETIME)116444736000000000L`, TypeI8, "116444736000000000"},
		{"same_type", `(DT_I4)5`, TypeI4, "5"},
		{"null_cast", `(DT_I4)NULL(DT_WSTR,3)`, TypeI4, "NULL"},
		{"variable_date_to_str_corpus", `(DT_STR, 25, 1252) @[User::Date]`, TypeStr, "3/4/2005 11:06:18 AM"},
	})
}

// TestCastsIllegal checks casts the chart forbids and conversions that
// fail on their value.
func TestCastsIllegal(t *testing.T) {
	runErr(t, []errCase{
		{"I4_to_guid", `(DT_GUID)5`, ErrCast},
		{"dbdate_to_I4", `(DT_I4)(DT_DBDATE)"2000-01-01"`, ErrCast},
		{"dbdate_to_bool", `(DT_BOOL)(DT_DBDATE)"2000-01-01"`, ErrCast},
		{"decimal_to_date", `(DT_DATE)(DT_DECIMAL,2)1.5`, ErrCast},
		{"I2_to_bytes", `(DT_BYTES,2)(DT_I2)1`, ErrCast},
		{"I4_to_dbtime2", `(DT_DBTIME2,3)1`, ErrCast},
		{"bool_to_date_types", `(DT_DBDATE)TRUE`, ErrCast},
		{"guid_to_I4", `(DT_I4)(DT_GUID)"{6F9619FF-8B86-D011-B42D-00C04FC964FF}"`, ErrCast},
		{"dbtime2_to_wstr_chart", `(DT_WSTR,20)(DT_DBTIME2,3)"10:00:00"`, ErrCast},
		{"object_to_I4", `(DT_I4)@[User::Obj]`, ErrCast},
		{"str_to_I4_notNumber", `(DT_I4)"abc"`, ErrConversion},
		{"str_to_I4_decimal", `(DT_I4)"1.5"`, ErrConversion},
		{"str_to_I4_overflow", `(DT_I4)"2147483648"`, ErrOverflow},
		{"I4_to_UI1_overflow", `(DT_UI1)256`, ErrOverflow},
		{"I4_to_I1_overflow", `(DT_I1)-129`, ErrOverflow},
		{"negative_to_unsigned", `(DT_UI4)-1`, ErrOverflow},
		{"I8_to_I4_overflow", `(DT_I4)2147483648L`, ErrOverflow},
		{"R8_to_I4_overflow", `(DT_I4)(DT_R8)1E10`, ErrOverflow},
		{"R8_to_R4_overflow", `(DT_R4)1E39`, ErrOverflow},
		{"numeric_precision_overflow", `(DT_NUMERIC,3,2)12.5`, ErrOverflow},
		{"str_to_date_invalidMonth", `(DT_DBDATE)"2000-13-01"`, ErrConversion},
		{"str_to_date_invalidDay", `(DT_DBDATE)"2001-02-29"`, ErrConversion},
		{"str_to_date_garbage", `(DT_DBTIMESTAMP)"yesterday"`, ErrConversion},
		{"str_to_timestamp_withOffset", `(DT_DBTIMESTAMP)"2000-01-01 10:00:00 +01:00"`, ErrConversion},
		{"str_to_R8_NaN", `(DT_R8)"NaN"`, ErrConversion},
		{"str_to_R8_hexFloat", `(DT_R8)"0x1p-2"`, ErrConversion},
		{"str_to_bool_garbage", `(DT_BOOL)"maybe"`, ErrConversion},
		{"str_to_guid_garbage", `(DT_GUID)"not-a-guid"`, ErrConversion},
		{"str_to_dbtime_noTime", `(DT_DBTIMESTAMP)"10:00:00"`, ErrConversion},
	})
}

// TestCastLegalChart spot-checks CastLegal against Appendix 1, including
// its asymmetries and the erratum.
func TestCastLegalChart(t *testing.T) {
	for _, c := range []struct {
		from, to Type
		want     bool
	}{
		{TypeI4, TypeBytes, true}, {TypeI2, TypeBytes, false}, {TypeI8, TypeFileTime, true},
		{TypeI8, TypeDate, false}, {TypeDate, TypeDecimal, false}, {TypeDate, TypeNumeric, true},
		{TypeCY, TypeDate, false}, {TypeGUID, TypeWStr, true}, {TypeWStr, TypeGUID, true},
		{TypeDBDate, TypeWStr, true}, {TypeDBTime2, TypeWStr, false}, {TypeText, TypeStr, true},
		{TypeText, TypeWStr, false}, {TypeNText, TypeWStr, true}, {TypeImage, TypeBytes, true},
		{TypeBool, TypeDate, true}, {TypeBool, TypeDBDate, false}, {TypeWStr, TypeWStr, true},
		{TypeWStr, TypeDBTime2, true}, {TypeStr, TypeDBTimestamp2, true}, {TypeWStr, TypeDBTimestampOffset, true},
		{TypeObject, TypeWStr, false}, {TypeEmpty, TypeI4, false},
	} {
		if got := CastLegal(c.from, c.to); got != c.want {
			t.Errorf("CastLegal(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
