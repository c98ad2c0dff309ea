package process_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
)

// pkg returns a format-8 package with one Execute Process task with the
// given ExecuteProcessData attributes, attributes of the task's element
// (DTS:ExecValueVariable) and task-level XML (property expressions).
func pkg(t *testing.T, attrs, taskAttrs, extra string) (*dtsx.Package, *dtsx.Executable) {
	t.Helper()
	return tasktest.Package(t, "", tasktest.Task{Name: "Run it", Type: "Microsoft.ExecuteProcess", Attrs: taskAttrs, Extra: extra,
		Data: "<ExecuteProcessData " + attrs + " />"})
}
