// Package pipeline is the document model of the Data Flow task: the
// pipeline persisted in the task's ObjectData.
//
// It reads the pipeline of every package format into one model: format 8
// (refId references, class names such as Microsoft.FlatFileSource), format
// 6 (refId references, 2012 component class IDs and ProgIDs) and formats 2
// and 3 (numeric IDs, 2005 and 2008 class IDs). Every class ID, ProgID and
// class name maps to one canonical component class (see Classes).
//
// As in package dtsx, the etree tree stays the source of truth: every
// Component, Input, Output, column, Property and Path is a view holding its
// *etree.Element, so reading a pipeline changes nothing and a load followed
// by a save keeps everything.
//
// Problems (an unknown component class, a dangling lineage ID, a path to
// nothing, a column of an unknown data type) are reported as
// dtsx.Diagnostics with the element path of the object and a hint.
//
// The package executes nothing and opens nothing; it imports only dtsx.
package pipeline
