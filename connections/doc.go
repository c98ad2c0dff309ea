// Package connections owns the Connections collection of a package: the
// Manager interface every connection manager type implements (and
// Configurable, for one whose properties change at run time), the Registry
// that maps a persisted CreationName to the factory of its type, and the
// resolution of references (by DTSID, then by name) from tasks to managers.
//
// Each executable type lives in a sub-package (connections/smtp,
// connections/file); connections/builtin lists them all, so this package
// imports none of them. Types this runtime cannot execute (OLEDB, ODBC,
// EXCEL, ...) are known as Generic managers: they keep their definition, so
// that references to them resolve; a task given one where it needs another
// type reports it.
package connections
