// Package runner is what `dtsx run` and `dtexec` share: it loads a package,
// checks it is the one required (dtexec's /VerifyBuild, /VerifyPackageID,
// /VerifyVersionID), applies configurations and command-line overrides in
// dtexec's order, points SMTP managers at credentials, the fence and
// capture mode, runs the package with a console reporter, writes the JSON
// report (and, on errors, the dump of dtexec's /DumpOnError), and returns
// dtexec's exit code. The exit codes of both commands are declared here.
package runner
