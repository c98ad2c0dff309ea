// Package flatfile owns the Flat File connection manager's format: the
// persisted definition of a FLATFILE connection manager (Format Delimited,
// FixedWidth or RaggedRight, header rows, rows to skip, the text qualifier,
// the code page and each FlatFileColumn) read from its ObjectData in
// formats 2, 3 (DTS:Property children) and 6, 8 (attributes) into a typed
// Spec with diagnostics, and a streaming Reader and Writer of files in that
// layout over io.Reader and io.Writer. It opens no file and registers
// nothing: connections/file resolves the path, and the data flow that uses
// a Spec is wired elsewhere.
//
// What SSIS documents, and this package does:
//
//   - "Flat File Connection Manager": by default the connection manager
//     checks for the row delimiter in unquoted data and starts a new row
//     where it finds one, so rows missing column fields parse (their
//     cells are CellMissing). AlwaysCheckForRowDelimiters=False turns
//     this off: a column then runs on to its own delimiter, across the
//     row delimiter, as SSIS before 2012 did.
//   - "Flat File Connection Manager Editor (General Page)": in a ragged
//     right file every column has a fixed width except the last, which
//     ends at the row delimiter. Fixed-width columns take their width
//     whatever it holds, so a short ragged-right row takes the start of
//     the next line; a short row at the end of the file leaves its cells
//     CellShort or CellMissing. With Unicode, the code page is not used:
//     the file is UTF-16 little-endian (a byte order mark is read and
//     written).
//   - "Flat File Connection Manager Editor (Advanced Page)": column widths
//     (ColumnWidth, and MaximumWidth, shown as OutputColumnWidth) count
//     bytes, and characters (UTF-16 code units) in a Unicode file; a value
//     wider than MaximumWidth is CellTruncated.
//   - "Flat File Source": fixed-width and ragged-right data keeps its
//     padding (spaces are not taken for NULL).
//
// The last column's ColumnDelimiter is the row delimiter of a delimited or
// ragged-right file; the manager's own RowDelimiter is kept but does not
// cut rows: a fixed-width row ends after its last column. A qualified value may hold
// delimiters, row delimiters and doubled qualifiers; the Writer adds the
// qualifier where a value needs it (Writer.QuoteAll qualifies every value
// of a text-qualified column, as the Flat File destination does).
package flatfile
