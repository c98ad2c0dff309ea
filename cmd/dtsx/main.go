// Command dtsx loads, validates, inspects and runs SSIS packages on Linux.
//
//	dtsx validate [--json] [--project PATH] FILE...
//	dtsx inspect  [--json] [--project PATH] FILE
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
