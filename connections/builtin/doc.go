// Package builtin lists every connection manager type this runtime knows,
// in one place: the executable ones (SMTP from connections/smtp; FILE,
// FLATFILE, MULTIFILE and MULTIFLATFILE from connections/file; OLEDB,
// ADO.NET:<provider type> and ODBC from connections/database; CACHE from
// connections/cache) with their own factories, and the stock SSIS types it
// recognises but does not execute (EXCEL, MSOLAP, ...), which get
// connections.Generic.
//
// Package connections itself imports no implementation: callers that want
// the full list (the runtime, the command line) take it from Connections.
package builtin
