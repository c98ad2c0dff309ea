// Package override changes a loaded package the way dtexec's /Set and
// /Conn options and XML configuration files (.dtsConfig) do, before the
// package is built and run.
//
// It owns the property-path syntax of the Package Configuration Wizard
// (\Package.Variables[User::X].Properties[Value],
// \Package.Connections[Mail Server].Properties[SmtpServer],
// \Package\Container\Task.Properties[Subject], ...): ParsePath reads a path
// into a Path, Set resolves it against a *dtsx.Package and writes the value
// into the XML tree and the typed model together, so that the runtime sees
// it and a save keeps it. ApplyConfigFile applies the entries of a
// .dtsConfig in order and reports what it could not apply as diagnostics:
// a path that names nothing is a warning, as in SSIS.
//
// The package knows where SSIS persists the properties every object has
// (attributes in formats 6 and 8, DTS:Property elements in formats 2 and
// 3). The properties of a connection manager's or a task's own type (an
// SMTP manager's connection string keys, a database manager's ServerName,
// InitialCatalog, UserName and Password as its provider spells them in
// the connection string, a Send Mail task's attributes under their XML
// names) come from the type, through Types: the package depends on no
// connection manager or task implementation. It evaluates no expressions,
// opens no files and no sockets; reading a .dtsConfig is
// dtsx.LoadConfigFile's job.
package override
