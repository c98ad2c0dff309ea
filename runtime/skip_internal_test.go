package runtime

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// TestUnsupportedWithoutTheFlagFails: a task that cannot execute here and
// that the run reaches without SkipUnsupported (validation refuses such
// tasks, so only one it did not see gets here) fails: it is never skipped,
// and nothing tells an OnError handler it was.
func TestUnsupportedWithoutTheFlagFails(t *testing.T) {
	const xml = `<?xml version="1.0"?><DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package" DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p"><DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property><DTS:Executables><DTS:Executable DTS:refId="Package\u" DTS:CreationName="Test.Unsupported" DTS:DTSID="{00000000-0000-0000-0000-000000000001}" DTS:ExecutableType="Test.Unsupported" DTS:ObjectName="u"/></DTS:Executables></DTS:Executable>`
	def, err := dtsx.LoadPackage("t.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	reg := tasks.NewRegistry()
	reg.Register("Test.Unsupported", tasks.NewGeneric("Test.Unsupported"))
	p := Build(def, Options{Tasks: reg})
	x := def.Executable.Executables[0]
	for _, skip := range []bool{false, true} {
		var mu sync.Mutex
		var events []Event
		r := &run{p: p, log: p.log, errors: map[*dtsx.Executable]int{}, rep: &Report{},
			opts: RunOptions{SkipUnsupported: skip, OnEvent: func(e Event) {
				mu.Lock()
				events = append(events, e)
				mu.Unlock()
			}}}
		res := Result{RefID: x.RefID}
		st := r.task(context.Background(), x, newScope(nil), &res)
		switch {
		case !skip && (st != Failure || res.Skipped != "" || len(res.Errors) != 1):
			t.Errorf("without the flag: %v, skipped %q, errors %q", st, res.Skipped, res.Errors)
		case skip && (st != Success || res.Skipped == "" || len(r.rep.Skipped) != 1):
			t.Errorf("with the flag: %v, skipped %q, listed %+v", st, res.Skipped, r.rep.Skipped)
		}
		for _, e := range events {
			if !skip && strings.Contains(e.Message, "skipped") {
				t.Errorf("without the flag, %s says %q", e.Name, e.Message)
			}
			if !skip && e.Name == "OnError" && !strings.Contains(e.Message, "--unsupported skip") {
				t.Errorf("OnError %q does not say how to skip it", e.Message)
			}
		}
	}
}
