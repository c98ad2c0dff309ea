// Package tasktest has what tests of tasks share: a tasks.RunEnv that
// records what a task reports, without the runtime (Env); a format-8
// package holding connection managers and one task (Package, Connection);
// and the check of what validating a task gives (WantDiagnostic).
package tasktest
