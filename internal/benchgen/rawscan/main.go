// Command rawscan reads every .dtsx, .conmgr, .params and .dtproj file
// under the folders it is given and scans each with encoding/xml's
// RawToken (benchgen.RawTokens): the baseline bench/assess.sh measures
// `dtsx assess` against. It is a benchmark helper, not part of dtsx.
//
//	rawscan DIR...
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dtsx-run/dtsx/internal/benchgen"
)

func main() {
	files := 0
	for _, dir := range os.Args[1:] {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".dtsx", ".conmgr", ".params", ".dtproj":
			default:
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files++
			if err := benchgen.RawTokens(data); err != nil {
				fmt.Fprintf(os.Stderr, "rawscan: %s: %v\n", p, err) // a malformed corpus file is scanned as far as it goes
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "rawscan:", err)
			os.Exit(1)
		}
	}
	fmt.Println(files, "files")
}
