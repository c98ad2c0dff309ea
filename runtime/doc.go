// Package runtime builds a runnable package from the document model through
// the connection and task registries, validates it, and (as the executor
// grows) executes its control flow: variables, parameters, expressions,
// precedence constraints, containers, events and event handlers, results.
//
// It implements tasks.Env, through which tasks reach the package's
// Connections collection. It knows nothing of SMTP.
package runtime
