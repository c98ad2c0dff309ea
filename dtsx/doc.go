// Package dtsx is the document model of SSIS packages and the project files
// around them.
//
// It reads .dtsx packages in PackageFormatVersion 2 (SQL Server 2005), 3
// (2008/2008 R2), 6 (2012) and 8 (2014 and later), stand-alone connection
// managers (.conmgr), project parameters (Project.params), projects (.dtproj,
// .ispac) and package configurations (.dtsConfig) into one typed model,
// whatever the format.
//
// The etree tree stays the source of truth: every typed value (Package,
// Executable, ConnectionManager, Variable, Parameter, PrecedenceConstraint,
// Configuration) is a view holding its *etree.Element, so a load followed by
// a save keeps everything the model does not know about.
//
// Problems are reported as Diagnostics (severity, stable code, file, element
// path, line, hint) rather than failures wherever loading can go on; a file
// that cannot be loaded at all gives an *Error.
//
// The package opens no sockets, evaluates no expressions and knows nothing of
// what tasks do.
package dtsx
