// Package layers holds the test that keeps the project's imports running one
// way: cmd → internal/runner → runtime → tasks → connections → dtsx, with
// expr a leaf over the document model that tasks and the runtime may use.
package layers
