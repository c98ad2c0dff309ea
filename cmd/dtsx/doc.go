// Command dtsx loads, validates, inspects and runs SSIS packages on Linux.
//
//	dtsx run [flags] FILE             (an .ispac's package: --package NAME)
//	dtsx validate [flags] FILE...
//	dtsx inspect [flags] FILE...
//	dtsx eval [flags] EXPRESSION
//	dtsx eval --check [flags] FILE...
//	dtsx types
//	dtsx smtp probe (--conn STRING | --package FILE --connection NAME)
//	dtsx db probe [flags] FILE...
//	dtsx version
//	dtsx completion bash|zsh|fish
//
// run runs a package (exit 0 success, 1 failure, 3 cancelled); validate
// checks packages without running them; inspect shows packages'
// executables with their tasks' properties, connections, variables and
// parameters; eval prints an expression's value, or with --check compares
// every expression result SSIS cached in the files with its own; types
// lists the connection manager and task types this runtime knows; smtp
// probe and db probe connect as a connection manager would and send or
// change nothing; version prints the build's module version and commit;
// completion prints cobra's completion script of a shell.
//
// The command line is github.com/spf13/cobra's: one constructor per
// command (newRunCmd, …), all listed by commands. run is the testable
// entry: it returns the exit code, and main only exits with it. A command
// ends with exitError to return a code; any other error is a wrong command
// line, printed with the usage, exit 6. dtsx --help lists every command
// with every flag, with the exit codes.
package main
