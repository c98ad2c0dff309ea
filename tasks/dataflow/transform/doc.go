// Package transform owns the data flow components that hold rows or look
// them up: Lookup, Sort, Aggregate, Merge Join, Merge, the Recordset
// destination and the Cache Transform. Each is configured by a plain Go
// struct whose fields are named after the SSIS custom properties they come
// from, so that the adapter from the persisted pipeline fills them; the
// package reads no XML and opens no connection (Lookup's reference rows
// come through a Reference of functions, the Recordset destination's
// variable through Variables, the Cache Transform's cache through a
// CacheWriter).
//
// Lookup, the Recordset destination and the Cache Transform are
// synchronous (dataflow.Transform); Sort, Aggregate, Merge Join and Merge
// are asynchronous (dataflow.Async).
// Sort and Aggregate are blocking, as in SSIS: Sort keeps every row it
// receives and Aggregate a state per group until their input ends, so their
// memory grows with the rows (Sort) or groups (Aggregate) by nature. Merge
// and Merge Join stream: they hold the current buffer of each input and the
// rows of one key, and the bounded queues of their inputs hold back their
// sources.
//
// String keys are compared with golang.org/x/text/collate in the locale of
// the component (en-US when none is given) and the comparison flags of each
// column (Comparison), the way SSIS compares with the locale's rules
// ("Comparing String Data"): ignore case, nonspacing characters, symbols
// and character width have collate equivalents; ignore kana type and sort
// punctuation as symbols have none and are not applied. NULL sorts before
// every value. A Lookup in full cache compares exactly (case-sensitive, as
// SSIS does).
package transform
