// Package dftask owns the Data Flow task (Microsoft.Pipeline): it reads the
// task's pipeline with dtsx/pipeline, maps it to a tasks/dataflow Pipeline
// through a registry of component factories keyed by canonical class (the
// adapter: SSIS data types to engine column kinds, lineage IDs to numbers,
// persisted dispositions, error outputs and paths, the buffer properties),
// runs it, and reports the rows each destination wrote. It also holds the
// factories of the components it builds from their persisted properties:
// Flat File Source and Destination, Derived Column, Conditional Split, Data
// Conversion, Copy Column, Audit (from the run's System variables),
// Character Map (its string operations from tasks/dataflow/charmap), and
// (from tasks/dataflow/simple) Row Count, Union All and Multicast. The
// database components (OLE DB and ADO NET Source and Destination, OLE DB
// Command, from tasks/dataflow/dbflow) and Lookup (from tasks/dataflow/transform) open
// their connection manager when the flow runs; a Lookup on a Cache
// connection manager reads the rows a Cache Transform of an earlier Data
// Flow of the run wrote into it. Validation executes nothing: it reports
// the pipeline's diagnostics and, per component no factory builds, why.
//
// The components that hold rows (Sort, Aggregate, Merge Join, Merge), the
// Recordset destination and the Cache Transform come from
// tasks/dataflow/transform; their factories map the persisted custom
// properties to its configs, and the sort order of a Merge or Merge Join
// input to the IsSorted and SortKeyPosition of the output it is attached
// to.
package dftask
