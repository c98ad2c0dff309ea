package builtin

import (
	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/cache"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
)

// genericTypes are the stock SSIS connection manager types this runtime
// recognises but does not execute (CreationName as persisted). ADO.NET
// managers persist "ADO.NET:<provider type>" and match "ADO.NET".
var genericTypes = []string{
	"EXCEL", "HTTP", "FTP", "MSOLAP100", "MSOLAP90", "MSOLAP110", "MSOLAP120",
	"MSOLAP130", "MSOLAP140", "MSOLAP150", "SMOServer", "WMI", "MSMQ", "DQS", "MSORA", "ORACLE",
	"SQLMOBILE", "SMOSQLServer", "AzureStorage", "ADF", "Hadoop", "OData", "SAPBI", "TERADATA",
}

// Connections returns a registry with every connection manager type this
// runtime knows: the executable ones and the Generic ones.
func Connections() *connections.Registry {
	r := connections.NewRegistry()
	fileFactory := func(def *dtsx.ConnectionManager) (connections.Manager, error) { return file.New(def) }
	r.Register("SMTP", func(def *dtsx.ConnectionManager) (connections.Manager, error) { return smtp.New(def) })
	// Every ADO.NET:<provider type> matches ADO.NET; database.New reads the
	// provider and reports one with no Go driver when validated.
	dbFactory := func(def *dtsx.ConnectionManager) (connections.Manager, error) { return database.New(def) }
	r.Register("OLEDB", dbFactory)
	r.Register("ADO.NET", dbFactory)
	r.Register("ODBC", dbFactory)
	r.Register("FILE", fileFactory)
	r.Register("FLATFILE", fileFactory)
	r.Register("MULTIFILE", fileFactory)
	r.Register("MULTIFLATFILE", fileFactory)
	r.Register("CACHE", func(def *dtsx.ConnectionManager) (connections.Manager, error) { return cache.New(def) })
	for _, t := range genericTypes {
		r.Register(t, connections.NewGeneric)
	}
	return r
}

var (
	_ connections.Configurable = (*database.Manager)(nil)
	_ connections.Configurable = (*file.Manager)(nil)
	_ connections.Configurable = (*smtp.Manager)(nil)
)
