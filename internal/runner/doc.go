// Package runner is what `dtsx run` and `dtexec` share: it loads a package,
// applies configurations and command-line overrides in dtexec's order,
// points SMTP managers at credentials, the fence and capture mode, runs the
// package with a console reporter, writes the JSON report, and returns
// dtexec's exit code. The exit codes of both commands are declared here.
package runner
