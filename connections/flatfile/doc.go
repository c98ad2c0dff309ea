// Package flatfile owns the Flat File connection manager's format: the
// persisted definition of a FLATFILE connection manager (Format Delimited,
// FixedWidth or RaggedRight, header rows, rows to skip, the text qualifier,
// the code page and each FlatFileColumn) read from its ObjectData in
// formats 2, 3, 6 and 8 into a typed Spec with diagnostics, and a streaming
// Reader and Writer of files in that format over io.Reader and io.Writer.
//
// It follows the SSIS documentation pages "Flat File Connection Manager",
// "Flat File Connection Manager Editor (General Page)" and "(Columns
// Page)", and "Flat File Source". It opens no file and registers nothing:
// connections/file resolves the path, and the data flow that uses a Spec
// is wired elsewhere.
package flatfile
