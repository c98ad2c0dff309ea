package dtsx

import "testing"

func TestTypeName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Microsoft.ExecuteSQLTask", "Execute SQL Task"},
		{"Microsoft.SqlServer.Dts.Tasks.ExecuteSQLTask.ExecuteSQLTask, Microsoft.SqlServer.SQLTask, Version=10.0.0.0", "Execute SQL Task"},
		{"DTS.ExecuteSQLTask.2", "Execute SQL Task"},
		{"Microsoft.ScriptTask", "Script Task"},
		{"STOCK:SEQUENCE", "Sequence Container"},
		{"STOCK:FOREACHLOOP", "Foreach Loop Container"},
		{"SSIS.Pipeline.3", "Data Flow Task"},
		{"Microsoft.Pipeline", "Data Flow Task"},
		{"Microsoft.ExecuteProcess", "Execute Process Task"},
		{"Microsoft.WmiDataReaderTask", "WMI Data Reader Task"},
		{"Microsoft.WebServiceTask", "Web Service Task"},
		{"Microsoft.XMLTask", "XML Task"},
		{"Microsoft.DbMaintenanceBackupTask", "Back Up Database Task"},
		{"{F8B4F1E3-0000-0000-0000-000000000000}", "{F8B4F1E3-0000-0000-0000-000000000000}"},
		{"Contoso.Tasks.ZipFilesTask", "Zip Files Task"},
	} {
		if got := TypeName(c.in); got != c.want {
			t.Errorf("TypeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
