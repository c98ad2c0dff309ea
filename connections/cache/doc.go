// Package cache implements the Cache connection manager (CreationName
// CACHE, "Cache Connection Manager"): the columns of its cache, read from
// the CacheColumn elements of its definition (name, data type, index
// position), and the rows a Cache Transform writes into it, held in memory
// for the rest of the package's run, where a Lookup reads them (Lookup
// with ConnectionType 1, in full cache mode).
//
// A cache saved to a file (UseFile True, a .caw file) is in a proprietary
// format that this runtime does not read or write: Validate reports it as
// an error, and the manager cannot be used.
package cache
