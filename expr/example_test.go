package expr_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

func Example() {
	start, _ := expr.FromDataType(dtsx.TypeDateTime, "3/4/2005 11:06:18 AM")
	env := expr.MapEnv{
		Vars: map[string]expr.Value{
			"System::PackageName": expr.Str("EmailRowCountPP"),
			"System::StartTime":   start,
		},
		Clock: func() time.Time { return time.Date(2005, 3, 4, 11, 6, 27, 0, time.UTC) },
	}
	e, err := expr.Parse(`"Package " + @[System::PackageName] + " started " + (DT_WSTR,30)@[System::StartTime] +
	" and ran " + (DT_WSTR,10)DATEDIFF("ss", @[System::StartTime], GETDATE()) + " seconds"`)
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Refs())
	v, err := e.Eval(env)
	fmt.Println(v.Type(), v, err)
	// Output:
	// [System::PackageName System::StartTime]
	// DT_WSTR Package EmailRowCountPP started 3/4/2005 11:06:18 AM and ran 9 seconds <nil>
}

func ExampleSyntaxError() {
	_, err := expr.Parse(`SUBSTRING(@[User::Name], 1, 3`)
	var se *expr.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Col)
	}
	fmt.Println(err)
	// Output:
	// 30
	// expr: syntax error at column 30: unexpected end of expression; expected ")"
	// 	SUBSTRING(@[User::Name], 1, 3
	// 	                             ^
}

func ExampleValue_ConvertTo() {
	v, _ := expr.Eval(`DATEADD("dd", 1, (DT_DBTIMESTAMP)"2013-06-15")`, nil)
	d, _ := v.ConvertTo(dtsx.TypeDateTime) // as assigned to a DateTime variable
	fmt.Println(v.Type(), v)
	fmt.Println(d.Type(), d)
	// Output:
	// DT_DBTIMESTAMP 2013-06-16 00:00:00
	// DT_DATE 6/16/2013
}
