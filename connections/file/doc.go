// Package file implements the FILE, FLATFILE, MULTIFILE and MULTIFLATFILE
// connection managers: the path (or, for the MULTI types, |-separated
// paths) in the connection string, the FileUsageType, and the run-time
// properties that change them. A FLATFILE manager also gives the layout
// of its file (Manager.FlatFile), read by connections/flatfile; nothing
// here reads or writes the file.
package file
