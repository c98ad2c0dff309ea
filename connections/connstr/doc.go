// Package connstr parses and formats the key=value; connection strings that
// SSIS and .NET persist (the rules of DbConnectionStringBuilder), and masks
// the secrets in them for display.
//
// Pairs are separated by a semicolon; a trailing semicolon and empty
// segments are allowed. White space around keys and unquoted values is
// ignored. A value may be quoted with double or single quotes: inside, a
// doubled quote is a literal quote and a semicolon is literal. A literal
// equals sign in a key is written "==".
//
// The package knows nothing of what the keys mean: it keeps duplicates and
// the order of the pairs, and leaves their interpretation to the connection
// managers (connections/smtp and others), which read Boolean values with
// ParseBool. It opens nothing and logs nothing.
package connstr
