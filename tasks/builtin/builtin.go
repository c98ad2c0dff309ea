// Package builtin lists every task type this runtime knows, in one place:
// the executable ones with their own factories and the stock SSIS tasks it
// recognises but does not execute yet.
package builtin

import (
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
	"github.com/dtsx-run/dtsx/tasks/executepackage"
	"github.com/dtsx-run/dtsx/tasks/executesql"
	"github.com/dtsx-run/dtsx/tasks/expression"
	"github.com/dtsx-run/dtsx/tasks/filesystem"
	"github.com/dtsx-run/dtsx/tasks/process"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

// stock lists the stock SSIS tasks by their format-8 ExecutableType, with
// the .NET type names (formats 2, 3, 6 persist them assembly-qualified) and
// the other identifiers older formats use.
var stock = []struct {
	name    string
	aliases []string
}{
	{"Microsoft.ScriptTask", []string{"Microsoft.SqlServer.Dts.Tasks.ScriptTask.ScriptTask", "STOCK:ScriptTask"}},
	{"Microsoft.FtpTask", []string{"Microsoft.SqlServer.Dts.Tasks.FtpTask.FtpTask", "STOCK:FTPTask"}},
	{"Microsoft.WebServiceTask", []string{"Microsoft.SqlServer.Dts.Tasks.WebServiceTask.WebServiceTask", "STOCK:WebServiceTask"}},
	{"Microsoft.XMLTask", []string{"Microsoft.SqlServer.Dts.Tasks.XMLTask.XMLTask", "STOCK:XMLTask"}},
	{"Microsoft.BulkInsertTask", []string{"Microsoft.SqlServer.Dts.Tasks.BulkInsertTask.BulkInsertTask", "STOCK:BulkInsertTask"}},
	{"Microsoft.DataProfilingTask", []string{"Microsoft.SqlServer.Dts.Tasks.DataProfilingTask.DataProfilingTask"}},
	{"Microsoft.MessageQueueTask", []string{"Microsoft.SqlServer.Dts.Tasks.MessageQueueTask.MessageQueueTask", "STOCK:MessageQueueTask"}},
	{"Microsoft.WmiDataReaderTask", []string{"Microsoft.SqlServer.Dts.Tasks.WmiDataReaderTask.WmiDataReaderTask", "STOCK:WMIDataReaderTask"}},
	{"Microsoft.WmiEventWatcherTask", []string{"Microsoft.SqlServer.Dts.Tasks.WmiEventWatcherTask.WmiEventWatcherTask", "STOCK:WMIEventWatcherTask"}},
	{"Microsoft.DTSProcessingTask", []string{"Microsoft.DataTransformationServices.Tasks.DTSProcessingTask.DTSProcessingTask"}},
	{"Microsoft.ASExecuteDDLTask", []string{"Microsoft.DataTransformationServices.Tasks.DTSProcessingTask.ASExecuteDDLTask"}},
	{"Microsoft.DataMiningQueryTask", []string{"Microsoft.SqlServer.Dts.Tasks.DMQueryTask.DMQueryTask"}},
	{"Microsoft.TransferDatabaseTask", []string{"Microsoft.SqlServer.Dts.Tasks.TransferDatabaseTask.TransferDatabaseTask"}},
	{"Microsoft.TransferSqlServerObjectsTask", []string{"Microsoft.SqlServer.Dts.Tasks.TransferSqlServerObjectsTask.TransferSqlServerObjectsTask"}},
	{"Microsoft.CDCControlTask", []string{"Attunity.SqlServer.CDCControlTask.CDCControlTask"}},
	{"Microsoft.DbMaintenanceBackupTask", []string{"Microsoft.SqlServer.Management.DatabaseMaintenance.DbMaintenanceBackupTask"}},
	{"Microsoft.DbMaintenanceExecuteAgentJobTask", []string{"Microsoft.SqlServer.Management.DatabaseMaintenance.DbMaintenanceExecuteAgentJobTask"}},
	{"Microsoft.DbMaintenanceTSQLExecuteTask", []string{"Microsoft.SqlServer.Management.DatabaseMaintenance.DbMaintenanceTSQLExecuteTask"}},
}

// Tasks returns a registry with every task and container type this runtime
// knows.
func Tasks() *tasks.Registry {
	r := tasks.NewRegistry()
	r.Register("Microsoft.SendMailTask", sendmail.New,
		"Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask", "STOCK:SendMailTask")
	r.Register("Microsoft.FileSystemTask", filesystem.New,
		"Microsoft.SqlServer.Dts.Tasks.FileSystemTask.FileSystemTask", "STOCK:FileSystemTask")
	r.Register("Microsoft.ExecuteProcess", process.New,
		"Microsoft.SqlServer.Dts.Tasks.ExecuteProcess.ExecuteProcess", "STOCK:ExecuteProcessTask")
	r.Register("Microsoft.ExecutePackageTask", executepackage.New, "SSIS.ExecutePackageTask.2", "SSIS.ExecutePackageTask.3",
		"SSIS.ExecutePackageTask.4", "DTS.ExecutePackageTask.1", "Microsoft.SqlServer.Dts.Tasks.ExecutePackageTask.ExecutePackageTask",
		"STOCK:ExecutePackageTask")
	r.Register("Microsoft.ExecuteSQLTask", executesql.New,
		"Microsoft.SqlServer.Dts.Tasks.ExecuteSQLTask.ExecuteSQLTask", "STOCK:SQLTask")
	r.Register("Microsoft.Pipeline", dftask.New, "SSIS.Pipeline.2", "SSIS.Pipeline.3", "SSIS.Pipeline.4", "SSIS.Pipeline.5", "SSIS.Pipeline.6", "SSIS.Pipeline.7", "SSIS.Pipeline.8", "DTS.Pipeline.1",
		"{5918251B-2970-45A4-AB5F-01C3C588FE5A}", "{E3CFBEA8-1F48-40D8-91E1-2DEDC1EDDD56}", "{C3BF9DC1-4715-4694-936F-D3CFDA9E42C5}", "STOCK:PipelineTask")
	r.Register("Microsoft.ExpressionTask", expression.New,
		"Microsoft.SqlServer.Dts.Tasks.ExpressionTask.ExpressionTask")
	for _, c := range []string{"STOCK:SEQUENCE", "STOCK:FORLOOP", "STOCK:FOREACHLOOP"} {
		kind := c
		r.Register(c, func(def *dtsx.Executable) (tasks.Task, error) { return &tasks.Container{Def: def, Kind: kind}, nil })
	}
	for _, s := range stock {
		r.Register(s.name, tasks.NewGeneric(s.name), s.aliases...)
	}
	return r
}
