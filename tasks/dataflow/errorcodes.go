package dataflow

// The ErrorCode values the engine's components write into an error output,
// with the HResults names and values of the SSIS error reference
// ("Integration Services Error and Message Reference",
// https://learn.microsoft.com/sql/integration-services/integration-services-error-and-message-reference,
// and the HResults class of Microsoft.SqlServer.Dts.Runtime). ErrorCode is
// a signed 32-bit column, so the codes are the HRESULTs as int32.
const (
	// CodeInducedFailureOnError is DTS_E_INDUCEDTRANSFORMFAILUREONERROR
	// (0xC0209029): a column's error row disposition handled the failure.
	CodeInducedFailureOnError int32 = -1071607767
	// CodeInducedFailureOnTruncation is
	// DTS_E_INDUCEDTRANSFORMFAILUREONTRUNCATION (0xC020902A): a column's
	// truncation row disposition handled the truncation.
	CodeInducedFailureOnTruncation int32 = -1071607766
	// CodeOLEDBError is DTS_E_OLEDBERROR (0xC0202009, "An OLE DB error
	// has occurred"): the database refused a row.
	CodeOLEDBError int32 = -1071636471
	// CodeLookupNoMatch is DTS_E_TXLOOKUP_ROWLOOKUPERROR (0xC020901E,
	// "Row yielded no match during lookup").
	CodeLookupNoMatch int32 = -1071607778
)

// errorCodeNames are the symbolic names of the codes above.
var errorCodeNames = map[int32]string{
	CodeInducedFailureOnError:      "DTS_E_INDUCEDTRANSFORMFAILUREONERROR",
	CodeInducedFailureOnTruncation: "DTS_E_INDUCEDTRANSFORMFAILUREONTRUNCATION",
	CodeOLEDBError:                 "DTS_E_OLEDBERROR",
	CodeLookupNoMatch:              "DTS_E_TXLOOKUP_ROWLOOKUPERROR",
}

// ErrorCodeName returns the SSIS symbolic name of an ErrorCode the engine
// writes, or "" for another code.
func ErrorCodeName(code int32) string { return errorCodeNames[code] }

// ErrorCodes returns the ErrorCode values the engine writes.
func ErrorCodes() []int32 {
	return []int32{CodeInducedFailureOnError, CodeInducedFailureOnTruncation, CodeOLEDBError, CodeLookupNoMatch}
}
