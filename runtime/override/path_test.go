package override_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/runtime/override"
)

// TestParsePath parses every path form of the dtexec and configuration
// documentation, of the reference (C.4) and of the corpus's .dtsConfig
// files.
func TestParsePath(t *testing.T) {
	pkg := func(steps ...override.Step) []override.Step { return steps }
	exe := func(name string) override.Step { return override.Step{Name: name} }
	ev := func(name string) override.Step { return override.Step{Name: name, EventHandler: true} }
	tests := []struct {
		source string
		in     string
		want   override.Path
		canon  string // String(); "" means the input itself
	}{
		{"package-configurations.md", `\Package.Variables[User::MyVar].Value`,
			override.Path{Root: "Package", Kind: override.KindVariable, Name: "User::MyVar", Property: "Value", Short: true},
			`\Package.Variables[User::MyVar].Properties[Value]`},
		{"7045kHz Config_Example.config", `\Package.Variables[User::DB_NAME].Properties[Value]`,
			override.Path{Root: "Package", Kind: override.KindVariable, Name: "User::DB_NAME", Property: "Value"}, ""},
		{"dtexec-utility.md /set example", `\package.variables[myvariable].Value`,
			override.Path{Root: "Package", Kind: override.KindVariable, Name: "myvariable", Property: "Value", Short: true},
			`\Package.Variables[myvariable].Properties[Value]`},
		{"dtexec-utility.md SET option", `\package\DataFlowTask.Variables[User::MyVariable].Value`,
			override.Path{Root: "Package", Steps: pkg(exe("DataFlowTask")), Kind: override.KindVariable, Name: "User::MyVariable", Property: "Value", Short: true},
			`\Package\DataFlowTask.Variables[User::MyVariable].Properties[Value]`},
		{"dtexec-utility.md /Project", `\Package.Variables[$Package::Parameter]`,
			override.Path{Root: "Package", Kind: override.KindParameter, Scope: "Package", Name: "Parameter"}, ""},
		{"dtexec-utility.md /Project", `\Package.Variables[$Project::Parameter]`,
			override.Path{Root: "Package", Kind: override.KindParameter, Scope: "Project", Name: "Parameter"}, ""},
		{"parameter with a property", `\Package.Variables[$Package::BatchSize].Properties[Value]`,
			override.Path{Root: "Package", Kind: override.KindParameter, Scope: "Package", Name: "BatchSize", Property: "Value"}, ""},
		{"ssisUnit, dots in brackets", `\Package.Connections[localhost.AdventureWorksDW2008].Properties[ConnectionString]`,
			override.Path{Root: "Package", Kind: override.KindConnection, Name: "localhost.AdventureWorksDW2008", Property: "ConnectionString"}, ""},
		{"SSIS Configurations SQL script", `\Package.Connections[Mail Server].Properties[SmtpServer]`,
			override.Path{Root: "Package", Kind: override.KindConnection, Name: "Mail Server", Property: "SmtpServer"}, ""},
		{"connection by GUID", `\Package.Connections[{2C9A4E71-8B3D-4F60-9A15-7D2E6C0B8F34}].Properties[ConnectionString]`,
			override.Path{Root: "Package", Kind: override.KindConnection, Name: "{2C9A4E71-8B3D-4F60-9A15-7D2E6C0B8F34}", Property: "ConnectionString"}, ""},
		{"ssisUnit PropertyCommandTest", `\Package\Sequence Container\Script Task.Properties[Description]`,
			override.Path{Root: "Package", Steps: pkg(exe("Sequence Container"), exe("Script Task")), Property: "Description"}, ""},
		{"real .dtsConfig", `\Package\Upload Validation Report To FTP.Properties[Arguments]`,
			override.Path{Root: "Package", Steps: pkg(exe("Upload Validation Report To FTP")), Property: "Arguments"}, ""},
		{"brief", `\Package\Container\Task.Properties[Subject]`,
			override.Path{Root: "Package", Steps: pkg(exe("Container"), exe("Task")), Property: "Subject"}, ""},
		{"ssisUnit", `\Package.Properties[CreationDate]`,
			override.Path{Root: "Package", Property: "CreationDate"}, ""},
		{"brief", `\Package.Properties[MaxConcurrentExecutables]`,
			override.Path{Root: "Package", Property: "MaxConcurrentExecutables"}, ""},
		{"ssisUnit", `\Package.EventHandlers[OnError].Properties[Description]`,
			override.Path{Root: "Package", Steps: pkg(ev("OnError")), Property: "Description"}, ""},
		{"ssisUnit", `\Package.EventHandlers[OnError].Variables[System::Cancel].Properties[Value]`,
			override.Path{Root: "Package", Steps: pkg(ev("OnError")), Kind: override.KindVariable, Name: "System::Cancel", Property: "Value"}, ""},
		{"ssisUnit", `\Package.EventHandlers[OnError]\Script Task.Properties[Description]`,
			override.Path{Root: "Package", Steps: pkg(ev("OnError"), exe("Script Task")), Property: "Description"}, ""},
		{"ssisUnit project form", `\Project\ConnectionManagers[localhost.AdventureWorks2012.conmgr].Properties[ConnectionString]`,
			override.Path{Root: "Project", Kind: override.KindConnection, Name: "localhost.AdventureWorks2012.conmgr", Property: "ConnectionString"}, ""},
		{"ssisUnit project form", `\Project.Properties[ProtectionLevel]`,
			override.Path{Root: "Project", Property: "ProtectionLevel"}, ""},
		{"corpus Garwin4j", `\Package.Connections[EmailService].Properties[ServerURL]`,
			override.Path{Root: "Package", Kind: override.KindConnection, Name: "EmailService", Property: "ServerURL"}, ""},
		{"corpus LearningTechStuff", `\Package.Variables[User::varFolderName].Properties[IncludeInDebugDump]`,
			override.Path{Root: "Package", Kind: override.KindVariable, Name: "User::varFolderName", Property: "IncludeInDebugDump"}, ""},
		{"corpus shinaly", `\Package.Connections[Convert Customers Dst].Properties[ConnectionString]`,
			override.Path{Root: "Package", Kind: override.KindConnection, Name: "Convert Customers Dst", Property: "ConnectionString"}, ""},
		{"parent variable configuration", `\Package.Variables[User::PARENT_MYSTRING].Properties[Value]`,
			override.Path{Root: "Package", Kind: override.KindVariable, Name: "User::PARENT_MYSTRING", Property: "Value"}, ""},
		{"/Set $Sensitive::", `$Sensitive::\Package.Connections[SMTP].Properties[Password]`,
			override.Path{Sensitive: true, Root: "Package", Kind: override.KindConnection, Name: "SMTP", Property: "Password"}, ""},
		{"data flow component property", `\Package\Data Flow Task.Properties[[Derived Column].[FriendlyExpression]]`,
			override.Path{Root: "Package", Steps: pkg(exe("Data Flow Task")), Property: "[Derived Column].[FriendlyExpression]"}, ""},
		{"dotted names", `\Package\Load.Stage\Send.Mail.Properties[Subject]`,
			override.Path{Root: "Package", Steps: pkg(exe("Load.Stage"), exe("Send.Mail")), Property: "Subject"}, ""},
		{"dotted name, short form", `\Package\My.Task.v2.Description`,
			override.Path{Root: "Package", Steps: pkg(exe("My.Task.v2")), Property: "Description", Short: true},
			`\Package\My.Task.v2.Properties[Description]`},
		{"short form on the package", `\Package.MaxConcurrentExecutables`,
			override.Path{Root: "Package", Property: "MaxConcurrentExecutables", Short: true},
			`\Package.Properties[MaxConcurrentExecutables]`},
		{"task variable in a container", `\Package\Load.Stage\Send Report.Variables[User::Attempts].Properties[Value]`,
			override.Path{Root: "Package", Steps: pkg(exe("Load.Stage"), exe("Send Report")), Kind: override.KindVariable, Name: "User::Attempts", Property: "Value"}, ""},
		{"event handler of a task", `\Package\Load\Send.EventHandlers[OnPostExecute]\Log.Properties[Disable]`,
			override.Path{Root: "Package", Steps: pkg(exe("Load"), exe("Send"), ev("OnPostExecute"), exe("Log")), Property: "Disable"}, ""},
		{"Foreach enumerator", `\Package\Foreach Loop Container.ForEachEnumerator.Properties[Directory]`,
			override.Path{Root: "Package", Steps: pkg(exe("Foreach Loop Container")), Kind: override.KindForEachEnumerator, Property: "Directory"}, ""},
		{"log provider", `\Package.LogProviders[SSIS log provider for Text files].Properties[ConfigString]`,
			override.Path{Root: "Package", Kind: override.KindLogProvider, Name: "SSIS log provider for Text files", Property: "ConfigString"}, ""},
		{"white space around", "  \\Package.Variables[User::X].Properties[Value] ",
			override.Path{Root: "Package", Kind: override.KindVariable, Name: "User::X", Property: "Value"},
			`\Package.Variables[User::X].Properties[Value]`},
	}
	for _, tt := range tests {
		t.Run(tt.source+" "+tt.in, func(t *testing.T) {
			got, err := override.ParsePath(tt.in)
			if err != nil {
				t.Fatalf("ParsePath(%q): %v", tt.in, err)
			}
			want := tt.want
			want.Raw = tt.in
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ParsePath(%q)\n got %#v\nwant %#v", tt.in, got, want)
			}
			canon := tt.canon
			if canon == "" {
				canon = tt.in
			}
			if s := got.String(); s != canon {
				t.Errorf("String() = %q, want %q", s, canon)
			}
			// The canonical form parses to the same path.
			again, err := override.ParsePath(got.String())
			if err != nil {
				t.Fatalf("re-parse %q: %v", got.String(), err)
			}
			again.Raw, again.Short = got.Raw, got.Short
			if !reflect.DeepEqual(again, got) {
				t.Errorf("re-parse of %q gives %#v", got.String(), again)
			}
		})
	}
}

// TestParsePathErrors checks malformed paths: a *PathError with the offset
// of the problem and a message saying what was expected.
func TestParsePathErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{``, 0, `empty property path`},
		{`$Sensitive::`, 12, `empty property path`},
		{`Package.Variables[User::X].Value`, 0, `starts with a backslash`},
		{`/Package.Variables[User::X].Value`, 0, `starts with \Package`},
		{`\Pkg.Variables[User::X].Value`, 1, `starts with \Package`},
		{`\Packages.Variables[User::X].Value`, 1, `starts with \Package`},
		{`\Package`, 8, `ends before naming a property`},
		{`\Package.Variables[User::X`, 18, `[ is never closed`},
		{`\Package.Variables[].Value`, 18, `empty name`},
		{`\Package.Variables[User::X]`, 27, `ends before naming a property`},
		{`\Package.Variables[User::X]Value`, 27, `expected .Properties[Name] or .Name`},
		{`\Package\Task`, 13, `names executable "Task" but no property`},
		{`\Package\.Properties[X]`, 9, `empty executable name`},
		{`\Package\Seq\\Task.Properties[X]`, 13, `empty executable name`},
		{`\Package.Properties[X].Value`, 22, `nothing may follow`},
		{`\Package.Properties[X`, 19, `[ is never closed`},
		{`\Package.`, 9, `empty property name`},
		{`\Package.Value.Other`, 14, `short-form property is a plain name`},
		{`\Package\Seq.Connections[X].Properties[Y]`, 12, `connection managers belong to the package`},
		{`\Package.Variables[$Server::X]`, 19, `unknown parameter scope $Server`},
		{`\Package.Variables[$Package]`, 19, `$Package::Name`},
		{`\Package.EventHandlers[OnError`, 22, `[ is never closed`},
		{`\Package*`, 1, `starts with \Package`},
		{`\Project\Foo.Properties[X]`, 8, `a project path is`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := override.ParsePath(tt.in)
			if err == nil {
				t.Fatalf("ParsePath(%q) = %#v, want an error", tt.in, p)
			}
			var pe *override.PathError
			if !errors.As(err, &pe) || !errors.Is(err, override.ErrPathSyntax) {
				t.Fatalf("error %v (%T) is not a *PathError matching ErrPathSyntax", err, err)
			}
			if pe.Offset != tt.offset {
				t.Errorf("offset %d, want %d (%v)", pe.Offset, tt.offset, err)
			}
			if !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", pe.Msg, tt.msg)
			}
			if !strings.Contains(err.Error(), "offset") {
				t.Errorf("Error() %q does not give the offset", err)
			}
		})
	}
}
