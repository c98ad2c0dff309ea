// Package dataflow owns the streaming engine of the Data Flow task: the
// columns a buffer holds (Column, Kind, Layout), the buffer itself (Buffer,
// columnar: one typed slice and one NULL flag slice per column), the
// component interfaces (Source, Transform, Async), the Pipeline that connects
// them by paths into execution trees and runs them, row dispositions
// (Router, Disposition), the information messages a run reports
// (Reporter) and the custom log entries of SSIS's Data Flow task that it
// writes to a Reporter that is also a Logger: PipelineInitialization,
// BufferSizeTuning, OnPipelinePrePrimeOutput and OnPipelinePostPrimeOutput
// (per source and asynchronous component), OnPipelinePreEndOfRowset and
// OnPipelinePostEndOfRowset (per synchronous component), OnPipelineRowsSent
// (one per path with its total, where SSIS writes one per buffer) and
// PipelineComponentTime (one per component). The ErrorCode values its
// components write into error outputs, with their SSIS names, are in one
// table (ErrorCodeName).
//
// The model is SSIS's ("Data Flow Performance Features", "Understanding
// Synchronous and Asynchronous Transformations"): a source or an asynchronous
// component's output starts an execution tree; synchronous transforms and
// destinations in that tree work row by row in the buffers the tree's root
// creates, on the root's goroutine; asynchronous components receive buffers
// through bounded queues (the back-pressure), create new buffers and run on a
// goroutine of their own, so execution trees run concurrently. A destination
// is a Transform with no output but, possibly, an error output.
//
// Buffers hold at most DefaultBufferMaxRows rows and about DefaultBufferSize
// bytes, so the memory a flow uses depends on its buffers in flight, not on
// the number of rows it moves. The first error of any component cancels the
// flow and is returned as a *ComponentError naming it.
//
// Buffers are columnar by measurement (bench/dataflow-buffers.sh): on a
// 1,000,000-row pipeline of integer, string, date, decimal and Boolean
// columns through a derived value and a split into two sinks, each variant
// reusing its buffers, rows of typed cells tied with columnar buffers
// (within about 10%, faster or slower from one run to the next) but hold 4.4 times
// the memory per buffer, and rows of boxed values took about 3 times as
// long and allocated for nearly every cell. Apache Arrow (arrow-go v18.4.1,
// builders reserved per batch) took 2.6 times as long as reused Go slices
// (1.3 to 1.5 times as long as Go slices allocated anew for each batch) and
// allocated 130 MB a million rows against 1.3 MB: its arrays are immutable,
// so a buffer cannot be reused and every derived column is rebuilt through
// a builder. The engine therefore does not depend on Arrow.
//
// The package does not read the pipeline's XML: an adapter from the document
// model builds Columns, components and paths from it. Only the row
// Disposition is the model's own (dtsx/pipeline), with its names.
package dataflow
