// Package dbflow owns the database components of the data flow engine: the
// OLE DB Source and ADO NET Source, which stream the rows of a table, a view
// or a SQL command into buffers, and the OLE DB Destination and ADO NET
// Destination, which insert the rows of their input row by row or with each
// database's bulk path (fast load): PostgreSQL COPY, SQL Server bulk copy
// and, on SQLite, batched inserts in a transaction; and the OLE DB Command,
// which runs a parameterised statement once for each row of its input.
//
// The components are configured with plain Go values whose fields are named
// after the SSIS custom properties they come from (AccessMode, OpenRowset,
// SqlCommand, FastLoadOptions, …); turning a persisted component into one is
// the job of the Data Flow task's adapter. They reach their database through
// a Connection, which *database.Manager is.
package dbflow
