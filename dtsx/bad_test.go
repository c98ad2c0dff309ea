package dtsx_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

func TestBadDump(t *testing.T) {
	filepath.Walk("testdata/bad", func(path string, info os.FileInfo, err error) error {
		if info.IsDir() {
			return nil
		}
		data, _ := os.ReadFile(path)
		switch strings.ToLower(filepath.Ext(path)) {
		case ".dtsx":
			p, err := dtsx.LoadPackage(path, data)
			if err != nil {
				e := err.(*dtsx.Error)
				t.Logf("%s ERR %+v", path, e.Diagnostic)
			} else {
				for _, d := range p.Diagnostics {
					t.Logf("%s DIAG %+v", path, d)
				}
			}
			if strings.Contains(path, "validate") {
				ps, pr, err := runtime.Open(path, "")
				if err != nil {
					t.Logf("%s OPEN ERR %v", path, err)
					return nil
				}
				for _, p := range ps {
					rp := runtime.Build(p, runtime.Options{Project: pr, Connections: connections.Builtin(), Tasks: builtin.Tasks()})
					for _, d := range rp.Validate(context.Background()) {
						t.Logf("%s VAL %+v", path, d)
					}
				}
			}
		case ".conmgr":
			_, ds, err := dtsx.LoadConnectionManager(path, data)
			t.Logf("%s conmgr %v %+v", path, err, ds)
		case ".params":
			_, ds, err := dtsx.LoadParameters(path, data)
			t.Logf("%s params %v %+v", path, err, ds)
		case ".dtsconfig":
			_, err := dtsx.LoadConfigFile(path, data)
			t.Logf("%s config %+v", path, err)
		}
		return nil
	})
}
