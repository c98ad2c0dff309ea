package runtime_test

import (
	"context"
	"fmt"
	goruntime "runtime"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
)

// loopPkg is a package with a For Loop of n passes around body (the XML
// of its executables); the loop and the package tolerate any number of
// errors (MaximumErrorCount 0), so a failing body does not end the loop.
func loopPkg(n int, body string) string {
	return fmt.Sprintf(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="loop" DTS:MaximumErrorCount="0">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C1}" DTS:Namespace="User" DTS:ObjectName="I"><DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\loop" DTS:CreationName="STOCK:FORLOOP" DTS:DTSID="{00000000-0000-0000-0000-000000000005}" DTS:ExecutableType="STOCK:FORLOOP" DTS:ObjectName="loop"
      DTS:MaximumErrorCount="0" DTS:InitExpression="@[User::I] = 0" DTS:EvalExpression="@[User::I] &lt; %d" DTS:AssignExpression="@[User::I] = @[User::I] + 1">
      <DTS:Executables>%s</DTS:Executables>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`, n, body)
}

const emptySequence = `<DTS:Executable DTS:refId="Package\loop\seq" DTS:CreationName="STOCK:SEQUENCE" DTS:DTSID="{00000000-0000-0000-0000-000000000006}" DTS:ExecutableType="STOCK:SEQUENCE" DTS:ObjectName="seq"/>`

func heap() uint64 {
	goruntime.GC()
	var m goruntime.MemStats
	goruntime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLoopReportIsBounded: a For Loop of 200,000 passes around an empty
// Sequence leaves a report whose counts are exact and whose list of
// results is bounded: the Sequence's first and last passes, the rest
// counted as omitted. The heap the report holds stays small (measured
// after a collection, with the report alive; a result per pass would hold
// tens of megabytes).
func TestLoopReportIsBounded(t *testing.T) {
	const n = 200_000
	p, err := dtsx.LoadPackage("t.dtsx", []byte(loopPkg(n, emptySequence)))
	if err != nil {
		t.Fatal(err)
	}
	rp := runtime.Build(p, runtime.Options{Tasks: registry(&runLog{seen: map[string]string{}})})
	before := heap()
	rep := rp.Execute(context.Background(), runtime.RunOptions{})
	after := heap()
	if rep.Status != runtime.Success {
		t.Fatalf("status %v: %+v", rep.Status, rep.Errors)
	}
	totals := map[string]runtime.Tally{}
	for _, tl := range rep.Totals {
		totals[tl.RefID] = tl
	}
	seq := totals[`Package\loop\seq`]
	if seq.Runs != n || seq.Successes != n || seq.Failures != 0 || seq.Omitted != n-runtime.KeepFirstRuns-runtime.KeepLastRuns {
		t.Errorf("sequence totals %+v, want %d runs and successes, %d omitted", seq, n, n-runtime.KeepFirstRuns-runtime.KeepLastRuns)
	}
	if l, pk := totals[`Package\loop`], totals["Package"]; l.Runs != 1 || l.Successes != 1 || pk.Runs != 1 || pk.Successes != 1 {
		t.Errorf("loop totals %+v, package totals %+v", l, pk)
	}
	var runs []int
	for _, r := range rep.Results {
		if r.RefID == `Package\loop\seq` {
			runs = append(runs, r.Run)
		}
	}
	want := []int{}
	for i := 1; i <= runtime.KeepFirstRuns; i++ {
		want = append(want, i)
	}
	for i := n - runtime.KeepLastRuns + 1; i <= n; i++ {
		want = append(want, i)
	}
	if fmt.Sprint(runs) != fmt.Sprint(want) {
		t.Errorf("listed passes %v, want %v", runs, want)
	}
	if len(rep.Results) != len(want)+2 || rep.ExecutablesOmitted != seq.Omitted {
		t.Errorf("%d results listed, %d omitted", len(rep.Results), rep.ExecutablesOmitted)
	}
	if after > before && after-before > 4<<20 {
		t.Errorf("the heap grew by %d KiB over the run", (after-before)>>10)
	}
	t.Logf("heap before %d KiB, after %d KiB", before>>10, after>>10)
	goruntime.KeepAlive(rep)
}

// TestLoopFailuresAreBounded: a body that fails on every pass is counted
// exactly; the report lists its first and last passes and up to
// KeepFailedRuns failures besides, and the first KeepEvents errors.
func TestLoopFailuresAreBounded(t *testing.T) {
	const n = 1500
	body := `<DTS:Executable DTS:refId="Package\loop\fail1" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000007}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="fail1"/>`
	p, err := dtsx.LoadPackage("t.dtsx", []byte(loopPkg(n, body)))
	if err != nil {
		t.Fatal(err)
	}
	l := &runLog{seen: map[string]string{}}
	rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(), runtime.RunOptions{})
	if len(l.order) != n {
		t.Fatalf("the body ran %d times, want %d (status %v)", len(l.order), n, rep.Status)
	}
	var tl runtime.Tally
	for _, x := range rep.Totals {
		if x.Name == "fail1" {
			tl = x
		}
	}
	listed := runtime.KeepFirstRuns + runtime.KeepFailedRuns + runtime.KeepLastRuns
	if tl.Runs != n || tl.Failures != n || tl.Omitted != n-listed {
		t.Errorf("totals %+v, want %d runs and failures, %d omitted", tl, n, n-listed)
	}
	got := 0
	for _, r := range rep.Results {
		if r.Name == "fail1" {
			got++
		}
	}
	if got != listed {
		t.Errorf("%d failures listed, want %d", got, listed)
	}
	if len(rep.Errors) != runtime.KeepEvents || rep.ErrorsOmitted != n-runtime.KeepEvents {
		t.Errorf("%d errors listed, %d omitted; want %d and %d", len(rep.Errors), rep.ErrorsOmitted, runtime.KeepEvents, n-runtime.KeepEvents)
	}
}

// TestStatusNames checks that each Status has one name, DTSExecResult's,
// in Go and in what prints (String, JSON), and that Completion is the same
// value as the precedence constraint value of that name.
func TestStatusNames(t *testing.T) {
	tests := []struct {
		st   runtime.Status
		want string
	}{
		{runtime.Success, "Success"},
		{runtime.Failure, "Failure"},
		{runtime.Completion, "Completion"},
		{runtime.Canceled, "Canceled"},
		{runtime.NotRun, "NotRun"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			b, err := tt.st.MarshalText()
			if tt.st.String() != tt.want || string(b) != tt.want || err != nil {
				t.Errorf("String %q, MarshalText %q (%v), want %q", tt.st.String(), b, err, tt.want)
			}
		})
	}
	if int(runtime.Completion) != int(dtsx.Completion) {
		t.Errorf("runtime.Completion is %d, dtsx.Completion %d", runtime.Completion, dtsx.Completion)
	}
}
