// Package simple owns the simplest data flow components: Row Count (into a
// variable), Union All, Multicast, a source that reads rows from a slice or
// generates them, and a destination that collects the rows it receives.
// Tests of the engine and of other components build pipelines from them.
package simple
