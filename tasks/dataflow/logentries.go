package dataflow

import (
	"fmt"
	"strconv"
	"time"
)

// The custom log entries of the Data Flow task that the engine writes, by
// the names SSIS gives them ("Custom Messages for Logging", Data Flow Task,
// https://learn.microsoft.com/sql/integration-services/performance/integration-services-ssis-logging#custom_messages).
const (
	// LogPipelineInitialization gives the buffer settings of the run.
	LogPipelineInitialization = "PipelineInitialization"
	// LogBufferSizeTuning says that the rows of a buffer type were
	// reduced to keep its buffers within DefaultBufferSize.
	LogBufferSizeTuning = "BufferSizeTuning"
	// LogPrePrimeOutput and LogPostPrimeOutput frame the work of a
	// source or an asynchronous component (its PrimeOutput).
	LogPrePrimeOutput  = "OnPipelinePrePrimeOutput"
	LogPostPrimeOutput = "OnPipelinePostPrimeOutput"
	// LogPreEndOfRowset and LogPostEndOfRowset frame the end-of-rowset
	// signal a synchronous component receives after its last buffer.
	LogPreEndOfRowset  = "OnPipelinePreEndOfRowset"
	LogPostEndOfRowset = "OnPipelinePostEndOfRowset"
	// LogRowsSent reports the rows a path provided to an input.
	LogRowsSent = "OnPipelineRowsSent"
	// LogComponentTime reports the time a component spent in its work.
	LogComponentTime = "PipelineComponentTime"
)

// LogEntry is a custom log entry of the engine: its SSIS name and its
// text, in the colon-separated form SSIS logs it.
type LogEntry struct {
	Name string
	Text string
}

// Logger is implemented by a Reporter that also takes the engine's custom
// log entries. The engine calls it from one goroutine at a time.
type Logger interface {
	LogEntry(e LogEntry)
}

// logEntry hands an entry to the Reporter when it is a Logger.
func (p *Pipeline) logEntry(name, format string, a ...any) {
	l, ok := p.opts.Reporter.(Logger)
	if !ok {
		return
	}
	p.logMu.Lock()
	defer p.logMu.Unlock()
	l.LogEntry(LogEntry{Name: name, Text: fmt.Sprintf(format, a...)})
}

// id is what the entries name a node by: the ID its builder gave it, or
// its position.
func (n *Node) id(p *Pipeline) string {
	if n.ID != "" {
		return n.ID
	}
	for i, m := range p.nodes {
		if m == n {
			return strconv.Itoa(i + 1)
		}
	}
	return ""
}

// logInit writes PipelineInitialization and, per execution tree whose
// buffers hold fewer rows than DefaultBufferMaxRows, BufferSizeTuning.
func (p *Pipeline) logInit() {
	p.logEntry(LogPipelineInitialization, "The default buffer size is %d bytes. Buffers will have %d rows by default.",
		p.opts.DefaultBufferSize, p.opts.DefaultBufferMaxRows)
	for i, t := range p.trees {
		if t.layout.rows < p.opts.DefaultBufferMaxRows {
			p.logEntry(LogBufferSizeTuning, "Rows in buffer type %d would cause a buffer size greater than the configured maximum. There will be only %d rows in buffers of this type.",
				i, t.layout.rows)
		}
	}
}

// logRowsSent writes OnPipelineRowsSent once per path, with the rows it
// carried in the run (SSIS writes one per buffer).
func (p *Pipeline) logRowsSent() {
	for _, path := range p.paths {
		to := path.To
		p.logEntry(LogRowsSent, "Rows were provided to a data flow component as input. :  : %s : %s : %s : %s : %s : %s : %d",
			path.ID, path.Name, to.id(p), to.c.Name(), path.InputID, path.InputName, path.rows)
	}
}

// logComponentTime writes PipelineComponentTime for each component of
// res.Times.
func (p *Pipeline) logComponentTime(res *Result) {
	for _, ct := range res.Times {
		p.logEntry(LogComponentTime, "The component %q (%s) spent %d milliseconds in %s.",
			ct.Component, ct.ID, ct.Duration.Milliseconds(), ct.Step)
	}
}

// ownTime is the time since start less the time the synchronous members
// of the trees rooted at n spent.
func ownTime(start time.Time, trees []*tree) time.Duration {
	d := time.Since(start)
	for _, t := range trees {
		for _, m := range t.members {
			d -= m.busy
		}
	}
	return max(d, 0)
}

// IsLogEntry reports whether an event name is one of the Data Flow task's
// custom log entries that the engine writes.
func IsLogEntry(name string) bool {
	switch name {
	case LogPipelineInitialization, LogBufferSizeTuning, LogPrePrimeOutput, LogPostPrimeOutput,
		LogPreEndOfRowset, LogPostEndOfRowset, LogRowsSent, LogComponentTime:
		return true
	}
	return false
}
