package filesystem

import "github.com/dtsx-run/dtsx/dtsx"

// Properties describes the properties SetProperty takes, by their run-time
// names, with the FileSystemData attributes they are persisted as and the
// editor's names. Each value is checked as Properties.Set checks it.
func (t *Task) Properties() []dtsx.Property {
	props := []dtsx.Property{
		{Name: "Operation", Persisted: "TaskOperationType"},
		{Name: "OperationName"},
		{Name: "Source", Persisted: "TaskSourcePath", Aliases: []string{"SourceConnection", "SourceVariable"}},
		{Name: "IsSourcePathVariable", Persisted: "TaskIsSourceVariable", Boolean: true},
		{Name: "Destination", Persisted: "TaskDestinationPath", Aliases: []string{"DestinationConnection", "DestinationVariable"}},
		{Name: "IsDestinationPathVariable", Persisted: "TaskIsDestinationVariable", Boolean: true},
		{Name: "OverwriteDestinationFile", Persisted: "TaskOverwriteDestFile", Boolean: true,
			Aliases: []string{"OverwriteDestination", "UseDirectoryIfExists"}},
		{Name: "Attributes", Persisted: "TaskFileAttributes"},
	}
	for i := range props {
		name := props[i].Name
		props[i].Type = name
		props[i].Check = func(v string) error {
			var p Properties
			return p.Set(name, v)
		}
	}
	return props
}
