package dataflow

import "strconv"

// CodeRowsWritten is DTS_I_ROWS_WRITTEN (0x4004300B), the information
// message the pipeline logs for each destination at the end of a run
// (HResults.DTS_I_ROWS_WRITTEN: "%1!s!" wrote %2!ld! rows.).
const CodeRowsWritten uint32 = 0x4004300B

// PipelineSubcomponent is the subcomponent that SSIS names in the engine's own
// messages.
const PipelineSubcomponent = "SSIS.Pipeline"

// Message is an information message of the engine.
type Message struct {
	Code         uint32
	Subcomponent string
	Text         string
}

// Reporter receives the engine's information messages; the Data Flow task
// forwards them as OnInformation events. A Reporter that is also a Logger
// receives the engine's custom log entries.
type Reporter interface {
	Information(m Message)
}

// RowsWritten returns the message that a destination wrote rows, in SSIS's
// words: "Name" wrote N rows.
func RowsWritten(component string, rows int64) Message {
	return Message{Code: CodeRowsWritten, Subcomponent: PipelineSubcomponent,
		Text: `"` + component + `" wrote ` + strconv.FormatInt(rows, 10) + " rows."}
}

func (p *Pipeline) report(res *Result) {
	if p.opts.Reporter == nil {
		return
	}
	p.logRowsSent()
	p.logComponentTime(res)
	for _, w := range res.Written {
		p.opts.Reporter.Information(RowsWritten(w.Component, w.Rows))
	}
}
