// Package runtime is the executor: it opens what a command line names
// (Open), builds a runnable package from the document model through the
// connection and task registries (Build), validates it, and executes its
// control flow (Execute): variables, parameters, System variables and
// scopes, property expressions, precedence constraints, the Sequence, For
// Loop and Foreach Loop containers, the Execute Package Task's child
// packages, events and event handlers, and the bounded Report of a run.
//
// It also evaluates expressions in a package's scope without running it
// (Evaluator, dtsx eval) and checks the expression results SSIS cached in
// a package against its own (Check, dtsx eval --check), with the same
// System variables and scopes as a run.
//
// Tasks reach the package through tasks.Env (its Connections collection)
// and, while they run, tasks.RunEnv (variables, expressions, events, path
// mapping). What a task or a connection manager does is theirs (Build
// takes the built-in registries by default): the runtime itself knows only
// the File connection manager, whose path the Foreach NodeList enumerator
// and a child package are read from, the Execute Package Task, whose
// child package it runs with the configurations of runtime/override, and
// the database connection manager, on whose retained session a container
// with TransactionOption Required runs as a local transaction
// (transaction.go).
package runtime
