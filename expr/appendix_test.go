package expr

import (
	"math"
	"testing"
)

// TestAppendix2 runs every case of Appendix 2 of the reference: the
// examples whose results the SSIS docs state. Where a doc is wrong, the test
// name says which erratum (A.11) and the expectation is what SSIS computes.
func TestAppendix2(t *testing.T) {
	runEval(t, []evalCase{
		{"", `SUBSTRING("elephant",4,2)`, TypeWStr, "ph"},
		{"", `SUBSTRING("elephant",4,50)`, TypeWStr, "phant"},
		{"", `SUBSTRING("Redmond",4,0)`, TypeWStr, ""},
		{"", `FINDSTRING("New York, NY, NY","NY",1)`, TypeI4, "11"},
		{"", `FINDSTRING("New York, NY, NY","NY",3)`, TypeI4, "0"},
		{"", `TOKEN("a little white dog"," ",1)`, TypeWStr, "a"},
		{"", `TOKEN("a:little|white dog","| ,.:",4)`, TypeWStr, "dog"},
		{"", `TOKEN("a little white dog","|",1)`, TypeWStr, "a little white dog"},
		{"", `TOKEN("        a little white dog", " ", 1)`, TypeWStr, "a"},
		{"TOKEN_pastEnd_docErratum1_emptyNotNull", `TOKEN("a little white dog"," ",99)`, TypeWStr, ""},
		{"", `TOKENCOUNT("01/12/2011","/")`, TypeI4, "3"},
		{"", `TOKENCOUNT("a little white dog","|")`, TypeI4, "1"},
		{"", `TOKENCOUNT("a:little|white dog","| ,.:")`, TypeI4, "4"},
		{"", `TOKENCOUNT("        a little white dog"," ")`, TypeI4, "4"},
		{"", `REPLACE("Mountain Bike","Mountain","All Terrain")`, TypeWStr, "All Terrain Bike"},
		{"", `REPLICATE("Mountain Bike",3)`, TypeWStr, "Mountain BikeMountain BikeMountain Bike"},
		{"", `LEFT("Mountain Bike",8)`, TypeWStr, "Mountain"},
		{"", `RIGHT("Mountain Bike",4)`, TypeWStr, "Bike"},
		{"", `LEN("Ball Bearing")`, TypeI4, "12"},
		{"", `TRIM("   New York   ")`, TypeWStr, "New York"},
		{"", `LTRIM("    Hello")`, TypeWStr, "Hello"},
		{"", `UPPER("hello")`, TypeWStr, "HELLO"},
		{"", `REVERSE("Mountain Bike")`, TypeWStr, "ekiB niatnuoM"},
		{"", `CODEPOINT("Mountain Bike")`, TypeUI2, "77"},
		{"", `HEX(400)`, TypeWStr, "190"},
		{"", `42 % 13`, TypeI4, "3"},
		{"", `3 & 5`, TypeI4, "1"},
		{"BitwiseNot_docErratum3_-171", `~ 170`, TypeI4, "-171"},
		{"", `ROUND(137.1574,3)`, TypeNumeric, "137.1570"},
		{"", `ROUND(137.1575,3)`, TypeNumeric, "137.1580"},
		{"", `CEILING(123.74)`, TypeNumeric, "124.00"},
		{"", `CEILING(-124.27)`, TypeNumeric, "-124.00"},
		{"", `CEILING(0.00)`, TypeNumeric, "0.00"},
		{"", `FLOOR(123.45)`, TypeNumeric, "123.00"},
		{"", `FLOOR(-123.45)`, TypeNumeric, "-124.00"},
		{"", `ABS(-1.23)`, TypeNumeric, "1.23"},
		{"", `SIGN(-123.45)`, TypeI4, "-1"},
		{"", `POWER(4,3)`, TypeR8, "64"},
		{"", `SQRT(144)`, TypeR8, "12"},
		{"", `SQUARE(12)`, TypeR8, "144"},
		{"", `EXP(0)`, TypeR8, "1"},
		{"", `EXP(74)`, TypeR8, "1.373382979540176E+32"},
		{"", `EXP(-27)`, TypeR8, "1.879528816539083E-12"},
		{"", `LOG(97.34)`, TypeR8, "1.988291341907488"},
		{"LN_docErratum6_transposedDigits", `LN(42)`, TypeR8, "3.737669618283368"},
		{"", `DATEDIFF("dd", (DT_DBTIMESTAMP)"8/1/2003", (DT_DBTIMESTAMP)"8/8/2003")`, TypeI4, "7"},
		{"", `DATEPART("month", (DT_DBTIMESTAMP)"11/04/2002")`, TypeI4, "11"},
		{"", `DAY((DT_DBTIMESTAMP)"11/23/2002")`, TypeI4, "23"},
		{"", `(DT_WSTR,3)"Cat"`, TypeWStr, "Cat"},
		{"", `(DT_BOOL)"True"`, TypeBool, "True"},
		{"", `(DT_DBDATE) "1999-10-11"`, TypeDBDate, "1999-10-11"},
		{"", `(DT_DBTIMESTAMPOFFSET,3) "1999-10-11 20:34:52.123 -3:30" != (DT_DBDATE)"1999-10-12"`, TypeBool, "True"},
		{"", `TRUE && NULL(DT_BOOL)`, TypeBool, "NULL"},
		{"", `FALSE && NULL(DT_BOOL)`, TypeBool, "False"},
		{"", `TRUE || NULL(DT_BOOL)`, TypeBool, "True"},
		{"", `FALSE || NULL(DT_BOOL)`, TypeBool, "NULL"},
		{"", `!NULL(DT_BOOL)`, TypeBool, "NULL"},
	})
}

// TestAppendix2ExactReals checks the real-valued examples as numbers, not
// only as the 16 digits the docs print.
func TestAppendix2ExactReals(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      float64
	}{
		{"LN_docErratum6_transposedDigits", `LN(42)`, 3.7376696182833684},
		{"LOG", `LOG(97.34)`, math.Log10(97.34)},
		{"EXP74", `EXP(74)`, math.Exp(74)},
		{"EXP-27", `EXP(-27)`, math.Exp(-27)},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := Eval(c.src, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Go(); got != c.want {
				t.Errorf("%s = %v, want %v", c.src, got, c.want)
			}
		})
	}
}

// TestDocSendMailSubject is the property expression sample of
// use-property-expressions-in-packages.md (reference A.10). The doc's
// result ends with a period of its sentence, not of the expression.
func TestDocSendMailSubject(t *testing.T) {
	runEval(t, []evalCase{{"SendMailSubject_docSampleA10", sendMailSubject, TypeWStr,
		"PExpression-->Package: (EmailRowCountPP) Started:3/4/2005 11:06:18 AM Duration:9 seconds"}})
}

const sendMailSubject = `"PExpression-->Package: (" + @[System::PackageName] + ") Started:"+ (DT_WSTR, 30) @[System::StartTime] + " Duration:" + (DT_WSTR,10) (DATEDIFF( "ss", @[System::StartTime] , GETDATE() )) + " seconds"`
