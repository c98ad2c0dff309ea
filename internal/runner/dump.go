package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/runtime"
)

// maxDumpEvents bounds the error events a dump keeps: a run failing in a
// loop of thousands of passes keeps its first ones.
const maxDumpEvents = 1000

// Dump is the text report dtexec /DumpOnError writes when an error event
// occurs: where dtexec on Windows writes debug dump files (.mdmp and .tmp),
// this runtime writes the run's JSON report (as --json does) with the
// error events of the run, secrets masked as on the console.
type Dump struct {
	Report
	// ErrorEvents are the run's OnError events, in order (the first
	// maxDumpEvents of them).
	ErrorEvents []runtime.Event `json:"errorEvents"`
	// ErrorCount counts all of them.
	ErrorCount int `json:"errorCount"`
}

// dumpName is the file a dump goes to in dir: the command, the package,
// the start time and the process ID, so that runs do not overwrite each
// other's dumps.
func dumpName(dir, command, pkg string, start time.Time) string {
	safe := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' || r == ' ' || r == ':' || r < ' ' {
				return '-'
			}
			return r
		}, s)
	}
	return filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%d.dump.json", safe(command), safe(pkg), start.Format("20060102T150405"), os.Getpid()))
}

// writeDump writes d to path, readable by its owner only: like dtexec's
// debug dumps, it may hold what the package knows.
func writeDump(path string, d Dump) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
