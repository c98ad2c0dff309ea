package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// TestInspectExecuteSQL: inspect shows an Execute SQL task's statement
// and parameter mappings, the data types named for its connection's type
// (ADO.NET DbType here), in text and JSON.
func TestInspectExecuteSQL(t *testing.T) {
	file := testcorpus.Path(t, "Garwin4j__birthdaynotificationworkspace/SSIS_BithdayNotification__JMMBCustomerNotificationPackage.dtsx")
	code, out, errOut := runCLI(t, "inspect", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"SQL (DirectInput, None): procMessageLogInsert",
		"parameter @SentDate = System::StartTime (Input, DateTime)", "parameter @CustomerId = User::TextCustomerId (Input, Int32)"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect lacks %q", want)
		}
	}
	code, out, _ = runCLI(t, "inspect", "--json", file)
	if code != 0 {
		t.Fatal(out)
	}
	var rep struct {
		Executable *exeJSON `json:"executable"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var found *executesql.Summary
	var walk func(x *exeJSON)
	walk = func(x *exeJSON) {
		if x.Name == "Text Log SQL Task" {
			found = x.ExecuteSQL
		}
		for _, c := range x.Executables {
			walk(c)
		}
	}
	walk(rep.Executable)
	if found == nil || !found.StoredProc || len(found.Parameters) != 5 || found.Parameters[0].Size != 10 || found.Connection != "{3501384A-658D-48EF-A080-3A45CF3BDEF0}" {
		t.Errorf("executeSQL = %+v", found)
	}
}
