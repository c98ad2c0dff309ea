package filesystem_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
)

// conns are the connection managers of the test package: FILE managers
// Src (a file), Dst (a folder, usage 2) and Out (a file to create), and a
// non-file manager Db.
var conns = tasktest.Connection("Src", "FILE", "{20000000-0000-0000-0000-000000000001}",
	`<DTS:ConnectionManager DTS:ConnectionString="C:\in\data.csv" />`) +
	tasktest.Connection("Dst", "FILE", "{20000000-0000-0000-0000-000000000002}",
		`<DTS:ConnectionManager DTS:FileUsageType="2" DTS:ConnectionString="C:\archive" />`) +
	tasktest.Connection("Out", "FILE", "{20000000-0000-0000-0000-000000000003}",
		`<DTS:ConnectionManager DTS:FileUsageType="1" DTS:ConnectionString="C:\archive\renamed.csv" />`) +
	tasktest.Connection("Db", "OLEDB", "{20000000-0000-0000-0000-000000000004}",
		`<DTS:ConnectionManager DTS:ConnectionString="Data Source=.;" />`)

// pkg returns a format-8 package with the connection managers conns and
// one File System task with the given FileSystemData attributes and
// task-level XML (property expressions).
func pkg(t *testing.T, attrs, extra string) (*dtsx.Package, *dtsx.Executable) {
	t.Helper()
	return tasktest.Package(t, conns, tasktest.Task{Name: "Move it", Type: "Microsoft.FileSystemTask", Extra: extra,
		Data: "<FileSystemData " + attrs + " />"})
}
