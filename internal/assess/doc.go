// Package assess gives every package of a project a verdict that agrees
// with what `dtsx run` would do: it runs here as is, it runs after
// configuration (and exactly which: credentials, parameter values, Windows
// paths to map, DPAPI-protected secrets to supply again, servers to
// allow), or it is blocked, by which tasks and data-flow components; a
// package that does not load has that for its verdict. Each package goes
// through the run's own preparation and preflight (runner.Job.Prepare,
// runtime.Package.Preflight), so the verdict and the run cannot drift.
// Nothing is executed, dialled or sent.
//
// The Result adds the project view (blockers grouped across packages, the
// connection managers and servers used, the configuration the whole
// project needs); it is JSON-serialisable and stable (docs/json.md), and
// WriteTable renders it as a terminal summary.
package assess
