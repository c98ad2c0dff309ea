package builtin_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// TestCorpusExecuteSQL builds and validates every Execute SQL task of the
// corpus: each loads with its statement and bindings, none is reported as
// not executable, and what validation reports is a precise diagnostic of
// the task. A few tasks are compared with values read from the XML by
// hand (grep). -v lists the figures.
func TestCorpusExecuteSQL(t *testing.T) {
	all := corpusTasksOf(t, map[string]bool{"Microsoft.ExecuteSQLTask": true})
	byCode := map[string]int{}
	files := map[string]bool{}
	params, results := 0, 0
	for _, c := range all {
		et, ok := c.task.(*executesql.Task)
		if !ok {
			t.Fatalf("%s: %s is a %T", c.file, c.def.RefID, c.task)
		}
		files[strings.SplitN(c.file, "!", 2)[0]] = true
		params += len(et.Props.Parameters)
		results += len(et.Props.Results)
		for _, d := range c.diags {
			byCode[d.Severity.String()+" "+d.Code]++
			if d.Code == tasks.CodeNotExecutable {
				t.Errorf("%s: %s", c.file, d)
			}
			if d.Path != c.def.RefID || !strings.Contains(d.Message, fmt.Sprintf("Execute SQL task %q", c.def.Name)) || d.Hint == "" {
				t.Errorf("%s: a diagnostic without the task's path, name or a hint: %s", c.file, d)
			}
		}
	}
	// Counted with grep -c SqlTaskData over the .dtsx files (264), plus
	// the packages of the .ispac files. Most diagnostics are dangling
	// references to project connection managers the corpus does not hold
	// (RanaRauf's packages name a project's .conmgr files that were not
	// committed).
	if len(all) < 264 {
		t.Errorf("%d Execute SQL tasks, want at least the 264 of the .dtsx files", len(all))
	}
	// grep -c SQLTask:ParameterBinding and SQLTask:ResultBinding.
	if params < 439 || results < 159 {
		t.Errorf("%d parameter and %d result bindings, want at least 439 and 159", params, results)
	}
	var codes []string
	for c, n := range byCode {
		codes = append(codes, fmt.Sprintf("%s: %d", c, n))
	}
	sort.Strings(codes)
	t.Logf("%d Execute SQL tasks in %d files, %d parameter and %d result bindings; diagnostics:\n  %s",
		len(all), len(files), params, results, strings.Join(codes, "\n  "))

	t.Run("format 3, OLE DB, plain statement", func(t *testing.T) {
		c := find(t, all, "PES_PURGE.dtsx", "SQL_TRUNCATE_TEMP_BOLID")
		p := c.task.(*executesql.Task).Props
		if p.SqlStatementSource != "TRUNCATE TABLE TEMP_BOLID" || p.Connection != "{0E6A6BFF-83C5-4AD7-BE68-5FA952777926}" ||
			p.ResultSetType != executesql.ResultNone || !p.BypassPrepare || p.IsQueryStoredProcedure {
			t.Errorf("Props = %+v", p)
		}
	})
	t.Run("format 3, ADO.NET stored procedure with named parameters", func(t *testing.T) {
		c := find(t, all, "JMMBCustomerNotificationPackage.dtsx", "Text Log SQL Task")
		p := c.task.(*executesql.Task).Props
		if p.SqlStatementSource != "procMessageLogInsert" || !p.IsQueryStoredProcedure || p.CodePage != 1252 || len(p.Parameters) < 2 {
			t.Fatalf("Props = %+v", p)
		}
		if b := p.Parameters[0]; b != (executesql.Parameter{Name: "@Channel", Variable: "User::staticTextChannelName", Direction: executesql.Input, DataType: 16, Size: 10}) {
			t.Errorf("first parameter %+v", b)
		}
		for _, d := range c.diags {
			if d.Severity == dtsx.SeverityError && d.Code != executesql.CodeNotSupported {
				t.Errorf("diagnostic %s", d)
			}
		}
	})
}
