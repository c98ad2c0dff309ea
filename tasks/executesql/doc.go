// Package executesql is the Execute SQL task: its properties as SSIS
// persists them (SQLTask:SqlTaskData with its SQLTask:ParameterBinding and
// SQLTask:ResultBinding children), their offline validation, and the
// execution of the statement through a database connection manager of
// connections/database.
//
// The rules followed are those of the SSIS documentation: "Execute SQL
// Task", "Parameters and Return Codes in the Execute SQL Task" (markers and
// parameter names per connection type: OLE DB ? named 0, 1, ...; ODBC ?
// named 1, 2, ...; ADO.NET @name) and "Result Sets in the Execute SQL Task"
// (a single row bound by column name or ordinal, a full result set and XML
// bound to the result name 0).
//
// The statement is split at GO lines for SQL Server (sqltext.go) and its
// parameter markers are rewritten for the driver outside string literals,
// quoted identifiers and comments: go-mssqldb takes @p1, @p2 (and @name
// as it is), pgx takes $1, $2, SQLite ?1, ?2. A full result set becomes an
// expr.Rowset (OLE DB, ODBC) or an expr.DataSet (ADO.NET) in an Object
// variable. Output and ReturnValue parameters work on SQL Server only, as
// go-mssqldb's sql.Out gives them; PostgreSQL and SQLite return values
// through a result set instead, and validation says so.
//
// TimeOut bounds the whole run of the statement as a context deadline;
// the run's context cancels it. BypassPrepare is read but changes
// nothing (database/sql prepares what each driver needs); CodePage is
// used to read a statement file that is neither UTF-8 nor marked by a
// byte order mark; ParameterSize is read and not enforced. An XML result
// is the text of a one-column result, its rows concatenated: what FOR XML
// returns on SQL Server, xmlagg or query_to_xml on PostgreSQL.
package executesql
