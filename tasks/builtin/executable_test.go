package builtin

import (
	"fmt"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// TestExecutableFactories: the File System, Execute Process and Expression
// tasks are built by their own factories under every name the formats
// persist, not as Generic tasks, and run (tasks.Executor).
func TestExecutableFactories(t *testing.T) {
	r := Tasks()
	tests := map[string]string{
		"Microsoft.FileSystemTask": "*filesystem.Task",
		"STOCK:FileSystemTask":     "*filesystem.Task",
		"Microsoft.SqlServer.Dts.Tasks.FileSystemTask.FileSystemTask, Microsoft.SqlServer.FileSystemTask, Version=10.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91": "*filesystem.Task",
		"Microsoft.ExecuteProcess": "*process.Task",
		"STOCK:ExecuteProcessTask": "*process.Task",
		"Microsoft.SqlServer.Dts.Tasks.ExecuteProcess.ExecuteProcess, Microsoft.SqlServer.ExecProcTask, Version=11.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91": "*process.Task",
		"Microsoft.ExpressionTask": "*expression.Task",
		"Microsoft.SqlServer.Dts.Tasks.ExpressionTask.ExpressionTask, Microsoft.SqlServer.ExpressionTask, Version=11.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91": "*expression.Task",
	}
	for typ, want := range tests {
		task, err := r.New(&dtsx.Executable{ExecutableType: typ})
		if err != nil {
			t.Errorf("%s: %v", typ, err)
			continue
		}
		if got := fmt.Sprintf("%T", task); got != want {
			t.Errorf("%s built as %s, want %s", typ, got, want)
		}
		if _, ok := task.(tasks.Executor); !ok {
			t.Errorf("%s: %T does not execute", typ, task)
		}
		if _, ok := task.(tasks.Configurable); !ok {
			t.Errorf("%s: %T takes no property expressions", typ, task)
		}
	}
}
