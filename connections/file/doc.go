// Package file implements the FILE, FLATFILE, MULTIFILE and MULTIFLATFILE
// connection managers: the path (or, for the MULTI types, |-separated
// paths) in the connection string, the FileUsageType, and the run-time
// properties that change them. It reads no column layout of a flat file:
// nothing here runs a data flow.
package file
