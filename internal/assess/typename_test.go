package assess

import "testing"

func TestTypeNames(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Microsoft.ScriptTask", "Script Task"},
		{"Microsoft.SqlServer.Dts.Tasks.ScriptTask.ScriptTask, Microsoft.SqlServer.ScriptTask, Version=10.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91", "Script Task"},
		{"Microsoft.WebServiceTask", "Web Service Task"},
		{"Microsoft.XMLTask", "XML Task"},
		{"Microsoft.WmiDataReaderTask", "WMI Data Reader Task"},
		{"Microsoft.SqlServer.Management.DatabaseMaintenance.DbMaintenanceBackupTask, Microsoft.SqlServer.MaintenancePlanTasks", "Back Up Database Task"},
		{"STOCK:FOREACHLOOP", "Foreach Loop Container"},
	} {
		if got := TaskTypeName(c.in); got != c.want {
			t.Errorf("TaskTypeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"Microsoft.ScriptComponentHost", "Script Component"},
		{"Attunity.SSISODBCSrc", "ODBC Source"},
		{"{2E42D45B-F83C-400F-8D77-61DDE6A7DF29}/Microsoft.Samples.SqlServer.SSIS.SharePointListAdapters.SharePointListSource", "SharePointListSource"},
		{"", "component"},
	} {
		if got := ComponentTypeName(c.in); got != c.want {
			t.Errorf("ComponentTypeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPaths(t *testing.T) {
	for _, c := range []struct {
		in     string
		path   bool
		prefix string
	}{
		{`C:\Data\in.csv`, true, `C:\Data`},
		{`\\files\share\in.csv`, true, `\\files\share`},
		{`//------ generated code`, false, ``},
		{"C:\\Data\\a\nC:\\Data\\b", false, ``},
		{`reports\daily.csv`, false, ``},
		{`SELECT 1`, false, ``},
	} {
		if got := looksLikePath(c.in); got != c.path {
			t.Errorf("looksLikePath(%q) = %v, want %v", c.in, got, c.path)
		}
		if c.path {
			if got := pathPrefix(c.in); got != c.prefix {
				t.Errorf("pathPrefix(%q) = %q, want %q", c.in, got, c.prefix)
			}
		}
	}
}
