package executesql

import (
	"errors"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Properties describes the properties SetProperty takes, by their run-time
// names, with the SQLTask:SqlTaskData attributes they are persisted as.
// Enumerations take their names or numbers.
func (t *Task) Properties() []dtsx.Property {
	check := func(parse func(string) bool, want string) func(string) error {
		return func(v string) error {
			if !parse(v) {
				return errors.New(want)
			}
			return nil
		}
	}
	return []dtsx.Property{
		{Name: "Connection"},
		{Name: "SqlStatementSource"},
		{Name: "SqlStatementSourceType", Persisted: "SqlStmtSourceType", Type: "SqlStatementSourceType",
			Check: check(func(v string) bool { _, ok := ParseSourceType(v); return ok }, "expected DirectInput, FileConnection or Variable (1, 2, 3)")},
		{Name: "TimeOut", Type: "UInt32",
			Check: check(func(v string) bool { _, ok := parseTimeOut(v); return ok }, "expected a number of seconds, 0 for none")},
		{Name: "ResultSetType", Persisted: "ResultType", Type: "ResultSetType",
			Check: check(func(v string) bool { _, ok := ParseResultSetType(v); return ok }, "expected ResultSetType_None, _SingleRow, _Rowset or _XML (1 to 4)")},
		{Name: "IsQueryStoredProcedure", Persisted: "IsStoredProc", Boolean: true,
			Check: check(func(v string) bool { _, ok := parseBoolDefault(v); return ok }, "expected True or False")},
		{Name: "BypassPrepare", Boolean: true,
			Check: check(func(v string) bool { _, ok := parseBoolDefault(v); return ok }, "expected True or False")},
		{Name: "CodePage", Type: "Int32",
			Check: check(func(v string) bool { _, ok := parseCodePage(v); return ok }, "expected a code page number")},
		{Name: "TypeConversionMode", Type: "TypeConversionMode",
			Check: check(func(v string) bool { _, ok := ParseTypeConversionMode(v); return ok }, "expected Allowed or None")},
	}
}
