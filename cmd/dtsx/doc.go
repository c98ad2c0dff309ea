// Command dtsx loads, validates, inspects and runs SSIS packages on Linux.
//
//	dtsx run [--capture DIR] [--conn 'NAME;STRING'] [--credentials FILE] [--json REPORT]
//	    [--max-concurrent N] [--unsupported fail|skip] [--project PATH]
//	    [--set 'PATH;VALUE'] [--param 'NAME=VALUE'] [--path-map 'C:\Data=/srv/data']
//	    [--unc-root DIR] [--log FILE] [-v] FILE
//	dtsx validate [--json] [--project PATH] FILE...
//	dtsx inspect  [--json] [--project PATH] FILE
//	dtsx eval [--package FILE] [--var 'NAME=VALUE'] [--json] EXPRESSION
//	dtsx eval --check FILE...
//	dtsx types
//	dtsx smtp probe (--conn STRING | --package FILE --connection NAME)
//
// run runs a package (exit 0 success, 1 failure, 3 cancelled); validate
// checks packages without running them; inspect shows a package's
// executables, connections, variables and parameters; eval prints an
// expression's value, or with --check compares every expression result
// SSIS cached in the files with its own; types lists the connection
// manager and task types this runtime knows; smtp probe connects as a
// connection manager would and sends nothing. dtsx --help prints the same
// list, with the exit codes.
package main
