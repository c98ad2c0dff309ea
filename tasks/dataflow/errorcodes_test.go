package dataflow_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dbflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// TestErrorCodes: every ErrorCode the engine writes into an error output
// has the value and the symbolic name that the SSIS error reference
// ("Integration Services Error and Message Reference", and the HResults
// fields of Microsoft.SqlServer.Dts.Runtime: DTS_E_INDUCEDTRANSFORMFAILUREONERROR
// = -1071607767, DTS_E_INDUCEDTRANSFORMFAILUREONTRUNCATION = -1071607766,
// DTS_E_TXLOOKUP_ROWLOOKUPERROR = -1071607778, DTS_E_OLEDBERROR 0xC0202009)
// gives it; the components' own constants are the same codes.
func TestErrorCodes(t *testing.T) {
	tests := []struct {
		code int32
		hex  uint32
		name string
	}{
		{dataflow.CodeInducedFailureOnError, 0xC0209029, "DTS_E_INDUCEDTRANSFORMFAILUREONERROR"},
		{dataflow.CodeInducedFailureOnTruncation, 0xC020902A, "DTS_E_INDUCEDTRANSFORMFAILUREONTRUNCATION"},
		{dataflow.CodeOLEDBError, 0xC0202009, "DTS_E_OLEDBERROR"},
		{dataflow.CodeLookupNoMatch, 0xC020901E, "DTS_E_TXLOOKUP_ROWLOOKUPERROR"},
		{dbflow.CodeOLEDBError, 0xC0202009, "DTS_E_OLEDBERROR"},
		{transform.CodeLookupNoMatch, 0xC020901E, "DTS_E_TXLOOKUP_ROWLOOKUPERROR"},
	}
	decimal := map[string]int32{ // as the reference prints them
		"DTS_E_INDUCEDTRANSFORMFAILUREONERROR":      -1071607767,
		"DTS_E_INDUCEDTRANSFORMFAILUREONTRUNCATION": -1071607766,
		"DTS_E_TXLOOKUP_ROWLOOKUPERROR":             -1071607778,
		"DTS_E_OLEDBERROR":                          -1071636471,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if uint32(tt.code) != tt.hex {
				t.Errorf("code = 0x%08X, want 0x%08X", uint32(tt.code), tt.hex)
			}
			if tt.code != decimal[tt.name] {
				t.Errorf("code = %d, want %d", tt.code, decimal[tt.name])
			}
			if got := dataflow.ErrorCodeName(tt.code); got != tt.name {
				t.Errorf("ErrorCodeName(0x%08X) = %q, want %q", uint32(tt.code), got, tt.name)
			}
		})
	}
	if n := len(dataflow.ErrorCodes()); n != len(decimal) {
		t.Errorf("ErrorCodes() lists %d codes; the table tests %d", n, len(decimal))
	}
	for _, c := range dataflow.ErrorCodes() {
		if dataflow.ErrorCodeName(c) == "" {
			t.Errorf("ErrorCodes() lists 0x%08X, which has no name", uint32(c))
		}
	}
	if dataflow.ErrorCodeName(-1) != "" {
		t.Error("ErrorCodeName names a code the engine does not write")
	}
}
