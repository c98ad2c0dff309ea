package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// parseCase is one command line. bash is the command line after "dtexec"
// as typed in bash; argv is what bash delivers to the program (checked by
// TestBashDeliversArgv). Either want (built on the defaults) or err holds.
type parseCase struct {
	name  string
	bash  string
	argv  []string
	env   map[string]string
	files map[string]string // command files by name
	want  *Options
	shows string // for /ConsoleLog: which of entry types A, B, C are shown
	err   error  // ErrSyntax, ErrWindowsOnly or ErrNotSupported
	msg   []string
}

// opts builds the expected Options: the defaults, then each change.
func opts(changes ...func(*Options)) *Options {
	o := &Options{Reporting: Reporting{Levels: ReportDefault}}
	for _, c := range changes {
		c(o)
	}
	return o
}

func file(f string) func(*Options) { return func(o *Options) { o.File = f } }

func project(proj, pkg string) func(*Options) {
	return func(o *Options) { o.Project, o.Package = proj, pkg }
}

// overrides sets the expected /Set, /Conn, /Par and /ConfigFile options,
// in command-line order.
func overrides(ov ...runner.Override) func(*Options) { return func(o *Options) { o.Overrides = ov } }

func consoleLog(cols ConsoleColumns, include, exclude []string) func(*Options) {
	return func(o *Options) {
		o.ConsoleLog = ConsoleLog{Enabled: true, Columns: cols, Include: include, Exclude: exclude}
	}
}

// mkSet is the override /Set raw;value gives.
func mkSet(raw, value string) runner.Override {
	p, err := override.ParsePath(raw)
	if err != nil {
		panic(err)
	}
	return runner.Override{Set: &runner.Set{Path: p, Value: value}}
}

// mkCM is the override /Par CM.conn.prop;value gives: the /Set of the
// connection manager's property.
func mkCM(conn, prop, value string) runner.Override {
	return mkSet(`\Package.Connections[`+conn+`].Properties[`+prop+`]`, value)
}

// mkConn is the override /Conn name;connectionString gives.
func mkConn(name, cs string) runner.Override {
	return runner.Override{Conn: &runner.Conn{Name: name, ConnectionString: cs}}
}

// mkPar is the override /Par gives a parameter: name is $Package::P or
// $Project::P.
func mkPar(name, value string) runner.Override {
	return runner.Override{Param: &runner.Param{Name: name, Value: value}}
}

// mkConf is the override /ConfigFile path gives.
func mkConf(path string) runner.Override { return runner.Override{ConfigFile: path} }

func windowsOnlyCases() []parseCase {
	return []parseCase{
		{name: "/X86", bash: `/F p.dtsx /X86`, argv: []string{"/F", "p.dtsx", "/X86"},
			err: ErrWindowsOnly, msg: []string{"dtexec: /X86: ", "32-bit", "remove /X86"}},
		{name: "/U", bash: `/F p.dtsx /U sa`, argv: []string{"/F", "p.dtsx", "/U", "sa"},
			err: ErrWindowsOnly, msg: []string{"/U: /User logs in to SQL Server", "/De[crypt]"}},
		{name: "/P is /Password", bash: `/F p.dtsx /P secret`, argv: []string{"/F", "p.dtsx", "/P", "secret"},
			err: ErrWindowsOnly, msg: []string{"/P: /Password logs in to SQL Server"}},
		{name: "/Pa is /Password", bash: `/F p.dtsx /Pa secret`, argv: []string{"/F", "p.dtsx", "/Pa", "secret"},
			err: ErrWindowsOnly, msg: []string{"/Password"}},
		{name: "/Env", bash: `/F p.dtsx /Env 2`, argv: []string{"/F", "p.dtsx", "/Env", "2"},
			err: ErrWindowsOnly, msg: []string{"SSISDB catalog", "/Par"}},
		{name: "/EnvReference", bash: `/F p.dtsx /EnvReference 2`, argv: []string{"/F", "p.dtsx", "/EnvReference", "2"},
			err: ErrWindowsOnly},
		{name: "/VerifyS", bash: `/F p.dtsx /VerifyS`, argv: []string{"/F", "p.dtsx", "/VerifyS"},
			err: ErrWindowsOnly, msg: []string{"certificate store"}},
		{name: "/Ser alone", bash: `/F p.dtsx /Ser db1`, argv: []string{"/F", "p.dtsx", "/Ser", "db1"},
			err: ErrWindowsOnly, msg: []string{"/Server names the SQL Server", "/F"}},
		{name: "/D is /Dts", bash: `/D '\File System\P'`, argv: []string{"/D", `\File System\P`},
			err: ErrWindowsOnly, msg: []string{"/D: /DTS loads packages from the SSIS Package Store"}},
		{name: "/SQL", bash: `-SQL pkg`, argv: []string{"-SQL", "pkg"},
			err: ErrWindowsOnly, msg: []string{"-SQL: /SQL loads packages from msdb, which needs SQL Server; export the package to a .dtsx file", "use /F"}},
		{name: "/L Windows Event Log", bash: `/F p.dtsx /L 'DTS.LogProviderEventLog.1;'`, argv: []string{"/F", "p.dtsx", "/L", "DTS.LogProviderEventLog.1;"},
			err: ErrWindowsOnly, msg: []string{"Event Log", "/ConsoleLog"}},
		{name: "/L SQL Server by ClassID", bash: `/F p.dtsx /L '{6AA833A1-E4B2-4431-831B-DE695049DC61};OLEDB conn'`,
			argv: []string{"/F", "p.dtsx", "/L", "{6AA833A1-E4B2-4431-831B-DE695049DC61};OLEDB conn"},
			err:  ErrWindowsOnly, msg: []string{"DTS.LogProviderSQLServer"}},
		{name: "/L SQL Profiler", bash: `/F p.dtsx /Logger DTS.LogProviderSQLProfiler\;t.trc`, argv: []string{"/F", "p.dtsx", "/Logger", "DTS.LogProviderSQLProfiler;t.trc"},
			err: ErrWindowsOnly, msg: []string{"Profiler"}},
		{name: "$ServerOption::", bash: `/F p.dtsx /Par '$ServerOption::SYNCHRONIZED(Boolean);True'`,
			argv: []string{"/F", "p.dtsx", "/Par", "$ServerOption::SYNCHRONIZED(Boolean);True"},
			err:  ErrWindowsOnly, msg: []string{"SSISDB catalog"}},
	}
}

// docCases are the syntax examples of dtexec-utility.md, in the page's
// order, as one types them in bash.
func docCases() []parseCase {
	return []parseCase{
		{name: "doc: /ISSERVER with /Par", bash: `/ISSERVER '\SSISDB\folderB\Integration Services Project17\Package.dtsx' /SERVER '"."' /Envreference 2 /Par '"$Project::ProjectParameter(Int32)";1' /Par '"Parameter(Int32)";21' /Par '"CM.sqlcldb2.SSIS_repro.InitialCatalog";ssisdb' /Par '"$ServerOption::SYNCHRONIZED(Boolean)";True'`,
			argv: []string{"/ISSERVER", `\SSISDB\folderB\Integration Services Project17\Package.dtsx`, "/SERVER", `"."`, "/Envreference", "2",
				"/Par", `"$Project::ProjectParameter(Int32)";1`, "/Par", `"Parameter(Int32)";21`, "/Par", `"CM.sqlcldb2.SSIS_repro.InitialCatalog";ssisdb`,
				"/Par", `"$ServerOption::SYNCHRONIZED(Boolean)";True`},
			err: ErrWindowsOnly, msg: []string{"/ISSERVER: /ISServer runs packages deployed to the SSISDB catalog", "/Proj file.ispac /Pack name.dtsx"}},
		{name: "doc: the same /Par values with /F", bash: `/F Package.dtsx /Par '"$Project::ProjectParameter(Int32)";1' /Par '"Parameter(Int32)";21' /Par '"CM.sqlcldb2.SSIS_repro.InitialCatalog";ssisdb'`,
			argv: []string{"/F", "Package.dtsx", "/Par", `"$Project::ProjectParameter(Int32)";1`, "/Par", `"Parameter(Int32)";21`, "/Par", `"CM.sqlcldb2.SSIS_repro.InitialCatalog";ssisdb`},
			want: opts(file("Package.dtsx"), overrides(
				mkPar("$Project::ProjectParameter", "1"),
				mkPar("$Package::Parameter", "21"),
				mkCM("sqlcldb2.SSIS_repro", "InitialCatalog", "ssisdb")))},
		{name: "doc: xp_cmdshell", bash: `/f "C:\UpsertData.dtsx"`, argv: []string{"/f", `C:\UpsertData.dtsx`},
			want: opts(file(`C:\UpsertData.dtsx`))},
		{name: "doc: using dtexec from bash", bash: `/F MyPackage.dtsx /CONN "MyConnection"\;"\"MyConnectionString\""`,
			argv: []string{"/F", "MyPackage.dtsx", "/CONN", `MyConnection;"MyConnectionString"`},
			want: opts(file("MyPackage.dtsx"), overrides(mkConn("MyConnection", "MyConnectionString")))},
		{name: "doc: /Dump", bash: `/F p.dtsx /Dump 0xC020801C`, argv: []string{"/F", "p.dtsx", "/Dump", "0xC020801C"},
			err: ErrNotSupported, msg: []string{"/Dump: ", "no SSIS error codes", "/DumpOnError"}},
		{name: "doc: /isserver with /parameter", bash: `/isserver "SSISDB\MyFolder\MyProject\MyPackage.dtsx" /server "." /parameter '$Project::myparam;myvalue' /parameter 'anotherparam(int32);12'`,
			argv: []string{"/isserver", `SSISDB\MyFolder\MyProject\MyPackage.dtsx`, "/server", ".", "/parameter", "$Project::myparam;myvalue", "/parameter", "anotherparam(int32);12"},
			err:  ErrWindowsOnly, msg: []string{"/isserver:"}},
		{name: "doc: the same /parameter values with /F", bash: `/F MyPackage.dtsx /parameter '$Project::myparam;myvalue' /parameter 'anotherparam(int32);12'`,
			argv: []string{"/F", "MyPackage.dtsx", "/parameter", "$Project::myparam;myvalue", "/parameter", "anotherparam(int32);12"},
			want: opts(file("MyPackage.dtsx"), overrides(
				mkPar("$Project::myparam", "myvalue"),
				mkPar("$Package::anotherparam", "12")))},
		{name: "doc: /parameter CM InitialCatalog", bash: `/F p.dtsx /parameter CM.SourceServer.InitialCatalog\;ssisdb`,
			argv: []string{"/F", "p.dtsx", "/parameter", "CM.SourceServer.InitialCatalog;ssisdb"},
			want: opts(file("p.dtsx"), overrides(mkCM("SourceServer", "InitialCatalog", "ssisdb")))},
		{name: "doc: /parameter CM ServerName", bash: `/F p.dtsx /parameter 'CM.SourceServer.ServerName;.'`,
			argv: []string{"/F", "p.dtsx", "/parameter", "CM.SourceServer.ServerName;."},
			want: opts(file("p.dtsx"), overrides(mkCM("SourceServer", "ServerName", ".")))},
		{name: "doc: /set a variable", bash: `/f mypackage.dtsx /set '\package.variables[myvariable].Value;myvalue'`,
			argv: []string{"/f", "mypackage.dtsx", "/set", `\package.variables[myvariable].Value;myvalue`},
			want: opts(file("mypackage.dtsx"), overrides(mkSet(`\package.variables[myvariable].Value`, "myvalue")))},
		{name: "doc: /Project /Package /SET parameters", bash: `/Project 'c:\project.ispac' /Package Package1.dtsx /SET '\Package.Variables[$Package::Parameter];1' /SET '\Package.Variables[$Project::Parameter];1'`,
			argv: []string{"/Project", `c:\project.ispac`, "/Package", "Package1.dtsx", "/SET", `\Package.Variables[$Package::Parameter];1`, "/SET", `\Package.Variables[$Project::Parameter];1`},
			want: opts(project(`c:\project.ispac`, "Package1.dtsx"), overrides(
				mkSet(`\Package.Variables[$Package::Parameter]`, "1"),
				mkSet(`\Package.Variables[$Project::Parameter]`, "1")))},
		{name: "doc: /sq /ser", bash: `/sq pkgOne /ser productionServer`, argv: []string{"/sq", "pkgOne", "/ser", "productionServer"},
			err: ErrWindowsOnly, msg: []string{"/sq: /SQL loads packages from msdb, which needs SQL Server; export the package to a .dtsx file"}},
		{name: "doc: /dts", bash: `/dts "\File System\MyPackage"`, argv: []string{"/dts", `\File System\MyPackage`},
			err: ErrWindowsOnly, msg: []string{"/dts: /DTS loads packages from the SSIS Package Store", "/F"}},
		{name: "doc: /sq /ser /va", bash: `/sq pkgOne /ser productionServer /va`, argv: []string{"/sq", "pkgOne", "/ser", "productionServer", "/va"},
			err: ErrWindowsOnly, msg: []string{"/sq:"}},
		{name: "doc: /f", bash: `/f "c:\pkgOne.dtsx"`, argv: []string{"/f", `c:\pkgOne.dtsx`},
			want: opts(file(`c:\pkgOne.dtsx`))},
		{name: "doc: /f /l", bash: `/f "c:\pkgOne.dtsx" /l "DTS.LogProviderTextFile;c:\log.txt"`,
			argv: []string{"/f", `c:\pkgOne.dtsx`, "/l", `DTS.LogProviderTextFile;c:\log.txt`},
			err:  ErrNotSupported, msg: []string{"/l: DTS.LogProviderTextFile: log providers are not implemented", "/ConsoleLog"}},
		{name: "doc: /sq /verifyv", bash: `/sq pkgOne /verifyv {c200e360-38c5-11c5-11ce-ae62-08002b2b79ef}`,
			argv: []string{"/sq", "pkgOne", "/verifyv", "{c200e360-38c5-11c5-11ce-ae62-08002b2b79ef}"},
			err:  ErrWindowsOnly, msg: []string{"/sq:"}},
		{name: "doc: the same /verifyv with /f", bash: `/f pkgOne.dtsx /verifyv {c200e360-38c5-11c5-11ce-ae62-08002b2b79ef}`,
			argv: []string{"/f", "pkgOne.dtsx", "/verifyv", "{c200e360-38c5-11c5-11ce-ae62-08002b2b79ef}"},
			want: opts(file("pkgOne.dtsx"), func(o *Options) { o.VerifyVersionID = "{c200e360-38c5-11c5-11ce-ae62-08002b2b79ef}" })},
		{name: "doc: /f /conf", bash: `/f "c:\pkgOne.dtsx" /conf "c:\pkgOneConfig.cfg"`,
			argv: []string{"/f", `c:\pkgOne.dtsx`, "/conf", `c:\pkgOneConfig.cfg`},
			want: opts(file(`c:\pkgOne.dtsx`), overrides(mkConf(`c:\pkgOneConfig.cfg`)))},

		// Logging Option: three log entry types A, B and C.
		{name: "doc: /CONSOLELOG", bash: `/F p.dtsx /CONSOLELOG`, argv: []string{"/F", "p.dtsx", "/CONSOLELOG"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, nil, nil)), shows: "ABC"},
		{name: "doc: /CONSOLELOG NM", bash: `/F p.dtsx /CONSOLELOG NM`, argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "NM"},
			want: opts(file("p.dtsx"), consoleLog(ColName|ColMessage, nil, nil)), shows: "ABC"},
		{name: "doc: /CONSOLELOG I;A", bash: `/F p.dtsx /CONSOLELOG 'I;LogEntryTypeA'`, argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "I;LogEntryTypeA"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, []string{"LogEntryTypeA"}, nil)), shows: "A"},
		{name: "doc: /CONSOLELOG NM;I;A", bash: `/F p.dtsx /CONSOLELOG 'NM;I;LogEntryTypeA'`, argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "NM;I;LogEntryTypeA"},
			want: opts(file("p.dtsx"), consoleLog(ColName|ColMessage, []string{"LogEntryTypeA"}, nil)), shows: "A"},
		{name: "doc: /CONSOLELOG I;A;B", bash: `/F p.dtsx /CONSOLELOG 'I;LogEntryTypeA;LogEntryTypeB'`, argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "I;LogEntryTypeA;LogEntryTypeB"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, []string{"LogEntryTypeA", "LogEntryTypeB"}, nil)), shows: "AB"},
		{name: "doc: /CONSOLELOG I;A /CONSOLELOG I;B", bash: `/F p.dtsx /CONSOLELOG 'I;LogEntryTypeA' /CONSOLELOG 'I;LogEntryTypeB'`,
			argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "I;LogEntryTypeA", "/CONSOLELOG", "I;LogEntryTypeB"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, []string{"LogEntryTypeA", "LogEntryTypeB"}, nil)), shows: "AB"},
		{name: "doc: /CONSOLELOG NM;I;A /CONSOLELOG", bash: `/F p.dtsx /CONSOLELOG 'NM;I;LogEntryTypeA' /CONSOLELOG`,
			argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "NM;I;LogEntryTypeA", "/CONSOLELOG"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, []string{"LogEntryTypeA"}, nil)), shows: "A"},
		{name: "doc: /CONSOLELOG E;A", bash: `/F p.dtsx /CONSOLELOG 'E;LogEntryTypeA'`, argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "E;LogEntryTypeA"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, nil, []string{"LogEntryTypeA"})), shows: "BC"},
		{name: "doc: /CONSOLELOG E;A /CONSOLELOG", bash: `/F p.dtsx /CONSOLELOG 'E;LogEntryTypeA' /CONSOLELOG`,
			argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "E;LogEntryTypeA", "/CONSOLELOG"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, nil, []string{"LogEntryTypeA"})), shows: "BC"},
		{name: "doc: /CONSOLELOG E;A /CONSOLELOG E;A", bash: `/F p.dtsx /CONSOLELOG 'E;LogEntryTypeA' /CONSOLELOG 'E;LogEntryTypeA'`,
			argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "E;LogEntryTypeA", "/CONSOLELOG", "E;LogEntryTypeA"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, nil, []string{"LogEntryTypeA", "LogEntryTypeA"})), shows: "BC"},
		{name: "doc: /CONSOLELOG E;A;A", bash: `/F p.dtsx /CONSOLELOG 'E;LogEntryTypeA;LogEntryTypeA'`,
			argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "E;LogEntryTypeA;LogEntryTypeA"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, nil, []string{"LogEntryTypeA", "LogEntryTypeA"})), shows: "BC"},
		{name: "doc: /CONSOLELOG E;A /CONSOLELOG I;A shows nothing", bash: `/F p.dtsx /CONSOLELOG 'E;LogEntryTypeA' /CONSOLELOG 'I;LogEntryTypeA'`,
			argv: []string{"/F", "p.dtsx", "/CONSOLELOG", "E;LogEntryTypeA", "/CONSOLELOG", "I;LogEntryTypeA"},
			want: opts(file("p.dtsx"), consoleLog(AllColumns, []string{"LogEntryTypeA"}, []string{"LogEntryTypeA"})), shows: ""},

		{name: "doc: /SET a task variable", bash: `/F p.dtsx /SET '\package\DataFlowTask.Variables[User::MyVariable].Value;newValue'`,
			argv: []string{"/F", "p.dtsx", "/SET", `\package\DataFlowTask.Variables[User::MyVariable].Value;newValue`},
			want: opts(file("p.dtsx"), overrides(mkSet(`\package\DataFlowTask.Variables[User::MyVariable].Value`, "newValue")))},
		{name: "doc: /Project /Package", bash: `/Project 'c:\project.ispac' /Package Package1.dtsx`,
			argv: []string{"/Project", `c:\project.ispac`, "/Package", "Package1.dtsx"},
			want: opts(project(`c:\project.ispac`, "Package1.dtsx"))},
		{name: "doc: /isserver /server", bash: `/isserver "\SSISDB\MyFolder\MyProject\MyPackage.dtsx" /server "."`,
			argv: []string{"/isserver", `\SSISDB\MyFolder\MyProject\MyPackage.dtsx`, "/server", "."},
			err:  ErrWindowsOnly, msg: []string{"/isserver:"}},
		{name: "doc: /Server /ISServer /Par", bash: `/Server localhost /ISServer "\SSISDB\MyFolder\Integration Services Project1\Package.dtsx" /Par '"$Project::ProjectParameter(Int32)";1' /Par '"CM.SourceServer.InitialCatalog";SourceDB'`,
			argv: []string{"/Server", "localhost", "/ISServer", `\SSISDB\MyFolder\Integration Services Project1\Package.dtsx`,
				"/Par", `"$Project::ProjectParameter(Int32)";1`, "/Par", `"CM.SourceServer.InitialCatalog";SourceDB`},
			err: ErrWindowsOnly, msg: []string{"/Server: /Server names the SQL Server"}},
	}
}

// quotingCases show dtexec's quoting inside values, as bash delivers them.
func quotingCases() []parseCase {
	const v = `\Package.Variables[User::MyVar].Properties[Value]`
	return []parseCase{
		{name: "quoted value with a space", bash: `/F p.dtsx /Set '\Package.Variables[User::MyVar].Properties[Value];"hello world"'`,
			argv: []string{"/F", "p.dtsx", "/Set", v + `;"hello world"`},
			want: opts(file("p.dtsx"), overrides(mkSet(v, "hello world")))},
		{name: "bash double quotes, space unquoted for dtexec", bash: `/F p.dtsx /Set "\Package.Variables[User::MyVar].Properties[Value];hello world"`,
			argv: []string{"/F", "p.dtsx", "/Set", v + `;hello world`},
			want: opts(file("p.dtsx"), overrides(mkSet(v, "hello world")))},
		{name: "doubled quotes", bash: `/F p.dtsx /Set '\Package.Variables[User::MyVar].Properties[Value];"say ""hi"""'`,
			argv: []string{"/F", "p.dtsx", "/Set", v + `;"say ""hi"""`},
			want: opts(file("p.dtsx"), overrides(mkSet(v, `say "hi"`)))},
		{name: "quoted ; in the value", bash: `/F p.dtsx /Set '\Package.Variables[User::MyVar].Properties[Value];"a;b"'`,
			argv: []string{"/F", "p.dtsx", "/Set", v + `;"a;b"`},
			want: opts(file("p.dtsx"), overrides(mkSet(v, "a;b")))},
		{name: "unquoted ; in the value", bash: `/F p.dtsx /Set '\Package.Variables[User::MyVar].Properties[Value];a;b'`,
			argv: []string{"/F", "p.dtsx", "/Set", v + `;a;b`},
			want: opts(file("p.dtsx"), overrides(mkSet(v, "a;b")))},
		{name: "quoted path", bash: `/F p.dtsx /Set '"\Package.Variables[User::MyVar].Properties[Value]";5'`,
			argv: []string{"/F", "p.dtsx", "/Set", `"` + v + `";5`},
			want: opts(file("p.dtsx"), overrides(mkSet(v, "5")))},
		{name: "empty value", bash: `/F p.dtsx /Set '\Package.Variables[User::MyVar].Properties[Value];'`,
			argv: []string{"/F", "p.dtsx", "/Set", v + `;`},
			want: opts(file("p.dtsx"), overrides(mkSet(v, "")))},
		{name: "; inside brackets of the path", bash: `/F p.dtsx /Set '\Package.Connections[a;b].Properties[ConnectionString];x'`,
			argv: []string{"/F", "p.dtsx", "/Set", `\Package.Connections[a;b].Properties[ConnectionString];x`},
			want: opts(file("p.dtsx"), overrides(mkSet(`\Package.Connections[a;b].Properties[ConnectionString]`, "x")))},
		{name: "backslashes and ; escaped for bash", bash: `/F p.dtsx /Set \\Package.Variables[User::MyVar].Properties[Value]\;7`,
			argv: []string{"/F", "p.dtsx", "/Set", v + `;7`},
			want: opts(file("p.dtsx"), overrides(mkSet(v, "7")))},
		{name: "$Sensitive::", bash: `/F p.dtsx /Set '$Sensitive::\Package.Connections[SMTP].Properties[Password];p@ss w0rd'`,
			argv: []string{"/F", "p.dtsx", "/Set", `$Sensitive::\Package.Connections[SMTP].Properties[Password];p@ss w0rd`},
			want: opts(file("p.dtsx"), overrides(mkSet(`$Sensitive::\Package.Connections[SMTP].Properties[Password]`, "p@ss w0rd")))},
		{name: "/Conn with an unquoted connection string", bash: `/F p.dtsx /Conn 'SMTP Connection Manager;SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=True;'`,
			argv: []string{"/F", "p.dtsx", "/Conn", "SMTP Connection Manager;SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=True;"},
			want: opts(file("p.dtsx"), overrides(mkConn("SMTP Connection Manager", "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=True;")))},
		{name: "/Conn with cmd-style quotes", bash: `/F p.dtsx /Conn '"SMTP Connection Manager";"SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;"'`,
			argv: []string{"/F", "p.dtsx", "/Conn", `"SMTP Connection Manager";"SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;"`},
			want: opts(file("p.dtsx"), overrides(mkConn("SMTP Connection Manager", "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;")))},
		{name: "/Conn two pairs, by GUID", bash: `/F p.dtsx /Conn '{2C9A4E71-8B3D-4F60-9A15-7D2E6C0B8F34};"SmtpServer=a;EnableSsl=False;";Log File;"c:\logs\x.log"'`,
			argv: []string{"/F", "p.dtsx", "/Conn", `{2C9A4E71-8B3D-4F60-9A15-7D2E6C0B8F34};"SmtpServer=a;EnableSsl=False;";Log File;"c:\logs\x.log"`},
			want: opts(file("p.dtsx"), overrides(
				mkConn("{2C9A4E71-8B3D-4F60-9A15-7D2E6C0B8F34}", "SmtpServer=a;EnableSsl=False;"),
				mkConn("Log File", `c:\logs\x.log`)))},
		{name: "/Conn doubled quotes inside", bash: `/F p.dtsx /Conn 'DB;"Data Source=x;Password=""p;w"";"'`,
			argv: []string{"/F", "p.dtsx", "/Conn", `DB;"Data Source=x;Password=""p;w"";"`},
			want: opts(file("p.dtsx"), overrides(mkConn("DB", `Data Source=x;Password="p;w";`)))},
		{name: "/Conn connection string quoting of its own", bash: `/F p.dtsx /Conn 'DB;Data Source=x;Password="p;w";'`,
			argv: []string{"/F", "p.dtsx", "/Conn", `DB;Data Source=x;Password="p;w";`},
			want: opts(file("p.dtsx"), overrides(mkConn("DB", `Data Source=x;Password="p;w";`)))},
		{name: "file name with spaces, quoted for dtexec", bash: `/F '"my package.dtsx"'`, argv: []string{"/F", `"my package.dtsx"`},
			want: opts(file("my package.dtsx"))},
		{name: "file name with spaces, quoted for bash", bash: `/F "my package.dtsx"`, argv: []string{"/F", "my package.dtsx"},
			want: opts(file("my package.dtsx"))},
		{name: "unterminated quote", bash: `/F '"my package.dtsx'`, argv: []string{"/F", `"my package.dtsx`},
			err: ErrSyntax, msg: []string{"/F: ", "never closed"}},
		{name: "password keeps its case", bash: `/F p.dtsx /De 'PaSs"";"word"'`, argv: []string{"/F", "p.dtsx", "/De", `PaSs"";"word"`},
			want: opts(file("p.dtsx"), func(o *Options) { o.Decrypt, o.DecryptFrom = `PaSs;word`, "/Decrypt" })},
	}
}

// optionCases cover abbreviations, case, - and /, repeated options, the
// values of every option and the errors.
func optionCases() []parseCase {
	const x = `\Package.Variables[User::X].Value`
	return []parseCase{
		{name: "/FILE", bash: `/FILE p.dtsx`, argv: []string{"/FILE", "p.dtsx"}, want: opts(file("p.dtsx"))},
		{name: "/fi", bash: `/fi p.dtsx`, argv: []string{"/fi", "p.dtsx"}, want: opts(file("p.dtsx"))},
		{name: "-f", bash: `-f p.dtsx`, argv: []string{"-f", "p.dtsx"}, want: opts(file("p.dtsx"))},
		{name: "-FiLe", bash: `-FiLe p.dtsx`, argv: []string{"-FiLe", "p.dtsx"}, want: opts(file("p.dtsx"))},
		{name: "Linux path", bash: `/F /srv/ssis/p.dtsx`, argv: []string{"/F", "/srv/ssis/p.dtsx"}, want: opts(file("/srv/ssis/p.dtsx"))},
		{name: "/Va /W", bash: `/F p.dtsx /Va /W`, argv: []string{"/F", "p.dtsx", "/Va", "/W"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Validate, o.WarnAsError = true, true })},
		{name: "-VALIDATE -WARNASERROR", bash: `-F p.dtsx -VALIDATE -WARNASERROR`, argv: []string{"-F", "p.dtsx", "-VALIDATE", "-WARNASERROR"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Validate, o.WarnAsError = true, true })},
		{name: "/V is not an option", bash: `/F p.dtsx /V`, argv: []string{"/F", "p.dtsx", "/V"},
			err: ErrSyntax, msg: []string{"/V: unknown option"}},
		{name: "/Rep EW", bash: `/F p.dtsx /Rep EW`, argv: []string{"/F", "p.dtsx", "/Rep", "EW"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Reporting = Reporting{Levels: ReportErrors | ReportWarnings, Given: true} })},
		{name: "/Reporting with events", bash: `/F p.dtsx /Reporting 'ewicdp;OnPreExecute;{6B9A6F2C-3E44-4B48-9D5D-3D3A2F5C1B20}'`,
			argv: []string{"/F", "p.dtsx", "/Reporting", "ewicdp;OnPreExecute;{6B9A6F2C-3E44-4B48-9D5D-3D3A2F5C1B20}"},
			want: opts(file("p.dtsx"), func(o *Options) {
				o.Reporting = Reporting{Levels: ReportErrors | ReportWarnings | ReportInfo | ReportCustom | ReportDataFlow | ReportProgress,
					Events: []string{"OnPreExecute", "{6B9A6F2C-3E44-4B48-9D5D-3D3A2F5C1B20}"}, Given: true}
			})},
		{name: "/rep v", bash: `/F p.dtsx /rep v`, argv: []string{"/F", "p.dtsx", "/rep", "v"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Reporting = Reporting{Levels: ReportVerbose, Given: true} })},
		{name: "/Rep N", bash: `/F p.dtsx /Rep N`, argv: []string{"/F", "p.dtsx", "/Rep", "N"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Reporting = Reporting{Levels: ReportNone, Given: true} })},
		{name: "/Rep NE", bash: `/F p.dtsx /Rep NE`, argv: []string{"/F", "p.dtsx", "/Rep", "NE"},
			err: ErrSyntax, msg: []string{"/Rep: ", "N and V must be given alone"}},
		{name: "/Rep VE", bash: `/F p.dtsx /Rep VE`, argv: []string{"/F", "p.dtsx", "/Rep", "VE"},
			err: ErrSyntax, msg: []string{"N and V must be given alone"}},
		{name: "/Rep X", bash: `/F p.dtsx /Rep X`, argv: []string{"/F", "p.dtsx", "/Rep", "X"},
			err: ErrSyntax, msg: []string{"/Rep: unknown level 'X'"}},
		{name: "last /Rep wins", bash: `/F p.dtsx /Rep E /Rep W`, argv: []string{"/F", "p.dtsx", "/Rep", "E", "/Rep", "W"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Reporting = Reporting{Levels: ReportWarnings, Given: true} })},
		{name: "last /F wins", bash: `/F a.dtsx /F b.dtsx`, argv: []string{"/F", "a.dtsx", "/F", "b.dtsx"}, want: opts(file("b.dtsx"))},
		{name: "/De", bash: `/F p.dtsx /De Secret`, argv: []string{"/F", "p.dtsx", "/De", "Secret"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Decrypt, o.DecryptFrom = "Secret", "/Decrypt" })},
		{name: "/DECRYPT", bash: `/F p.dtsx /DECRYPT Secret`, argv: []string{"/F", "p.dtsx", "/DECRYPT", "Secret"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Decrypt, o.DecryptFrom = "Secret", "/Decrypt" })},
		{name: "SSIS_PACKAGE_DECRYPT", bash: `/F p.dtsx`, argv: []string{"/F", "p.dtsx"}, env: map[string]string{"SSIS_PACKAGE_DECRYPT": "fromenv"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Decrypt, o.DecryptFrom = "fromenv", "SSIS_PACKAGE_DECRYPT" })},
		{name: "/De wins over SSIS_PACKAGE_DECRYPT", bash: `/F p.dtsx /De given`, argv: []string{"/F", "p.dtsx", "/De", "given"},
			env:  map[string]string{"SSIS_PACKAGE_DECRYPT": "fromenv"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Decrypt, o.DecryptFrom = "given", "/Decrypt" })},
		{name: "/De missing", bash: `/F p.dtsx /De`, argv: []string{"/F", "p.dtsx", "/De"},
			err: ErrSyntax, msg: []string{"/De: missing value", "/Decrypt password"}},
		{name: "/M 4", bash: `/F p.dtsx /M 4`, argv: []string{"/F", "p.dtsx", "/M", "4"},
			want: opts(file("p.dtsx"), func(o *Options) { o.MaxConcurrent = 4 })},
		{name: "/MaxConcurrent -1", bash: `/F p.dtsx /MaxConcurrent -1`, argv: []string{"/F", "p.dtsx", "/MaxConcurrent", "-1"},
			want: opts(file("p.dtsx"), func(o *Options) { o.MaxConcurrent = -1 })},
		{name: "/M 0", bash: `/F p.dtsx /M 0`, argv: []string{"/F", "p.dtsx", "/M", "0"},
			err: ErrSyntax, msg: []string{`/M: "0" is not -1 or a positive number`}},
		{name: "/M -2", bash: `/F p.dtsx /M -2`, argv: []string{"/F", "p.dtsx", "/M", "-2"}, err: ErrSyntax, msg: []string{"/M:"}},
		{name: "/M x", bash: `/F p.dtsx /M x`, argv: []string{"/F", "p.dtsx", "/M", "x"}, err: ErrSyntax, msg: []string{`/M: "x" is not`}},
		{name: "/M missing before an option", bash: `/F p.dtsx /M /Va`, argv: []string{"/F", "p.dtsx", "/M", "/Va"},
			err: ErrSyntax, msg: []string{"/M: missing value"}},
		{name: "/Cons NM", bash: `/F p.dtsx /Cons nm`, argv: []string{"/F", "p.dtsx", "/Cons", "nm"},
			want: opts(file("p.dtsx"), consoleLog(ColName|ColMessage, nil, nil)), shows: "ABC"},
		{name: "/ConsoleLog bad column", bash: `/F p.dtsx /ConsoleLog NQ`, argv: []string{"/F", "p.dtsx", "/ConsoleLog", "NQ"},
			err: ErrSyntax, msg: []string{"neither display options"}},
		{name: "/ConsoleLog name without I or E", bash: `/F p.dtsx /ConsoleLog 'NM;LogEntryTypeA'`, argv: []string{"/F", "p.dtsx", "/ConsoleLog", "NM;LogEntryTypeA"},
			err: ErrSyntax, msg: []string{"comes after I (include) or E (exclude)"}},
		{name: "/Sum /Su", bash: `/F p.dtsx /Su`, argv: []string{"/F", "p.dtsx", "/Su"},
			err: ErrNotSupported, msg: []string{"/Su: ", "does not display", "OnPipelineRowsSent"}},
		{name: "/?", bash: `/?`, argv: []string{"/?"}, want: opts(func(o *Options) { o.Help = true })},
		{name: "/? Set", bash: `/? Set`, argv: []string{"/?", "Set"}, want: opts(func(o *Options) { o.Help, o.HelpTopic = true, "Set" })},
		{name: "-help", bash: `-help`, argv: []string{"-help"}, want: opts(func(o *Options) { o.Help = true })},
		{name: "/H with a package", bash: `/F p.dtsx /H`, argv: []string{"/F", "p.dtsx", "/H"},
			want: opts(file("p.dtsx"), func(o *Options) { o.Help = true })},
		{name: "/Set and /ConfigFile keep their order", bash: `/F p.dtsx /Conf a.dtsConfig /Set '\Package.Variables[User::X].Value;1' /Conn 'C;x=1' /ConfigFile b.dtsConfig /Par 'P;2' /Set '\Package.Variables[User::X].Value;3'`,
			argv: []string{"/F", "p.dtsx", "/Conf", "a.dtsConfig", "/Set", x + ";1", "/Conn", "C;x=1", "/ConfigFile", "b.dtsConfig", "/Par", "P;2", "/Set", x + ";3"},
			want: opts(file("p.dtsx"),
				overrides(mkConf("a.dtsConfig"), mkSet(x, "1"), mkConn("C", "x=1"), mkConf("b.dtsConfig"), mkPar("$Package::P", "2"), mkSet(x, "3")))},
		{name: "/CheckF without checkpoints: an empty file, /CheckP off, /Res deny", bash: `/F p.dtsx /CheckF '' /CheckP off /Res deny`,
			argv: []string{"/F", "p.dtsx", "/CheckF", "", "/CheckP", "off", "/Res", "deny"},
			want: opts(file("p.dtsx"))},
		{name: "/CheckF a file", bash: `/F p.dtsx /CheckF c.chk`, argv: []string{"/F", "p.dtsx", "/CheckF", "c.chk"},
			err: ErrNotSupported, msg: []string{"/CheckF: ", "does not implement checkpoints"}},
		{name: "/CheckPointing without a value is on", bash: `/F p.dtsx /CheckPointing`, argv: []string{"/F", "p.dtsx", "/CheckPointing"},
			err: ErrNotSupported, msg: []string{"/CheckPointing: ", "/CheckP off"}},
		{name: "/Restart without a value is force", bash: `/F p.dtsx /Restart`, argv: []string{"/F", "p.dtsx", "/Restart"},
			err: ErrNotSupported, msg: []string{"/Restart: ", "/Res deny"}},
		{name: "/Res ifpossible", bash: `/F p.dtsx /Res ifpossible`, argv: []string{"/F", "p.dtsx", "/Res", "ifpossible"},
			err: ErrNotSupported, msg: []string{"checkpoint"}},
		{name: "/CheckP maybe", bash: `/F p.dtsx /CheckP maybe`, argv: []string{"/F", "p.dtsx", "/CheckP", "maybe"},
			err: ErrSyntax, msg: []string{"/CheckP:", "on or off"}},
		{name: "/Res never", bash: `/F p.dtsx /Res never`, argv: []string{"/F", "p.dtsx", "/Res", "never"},
			err: ErrSyntax, msg: []string{"deny, force or ifPossible"}},
		{name: "/VLog with a Linux path", bash: `/F p.dtsx /VLog /var/log/p.log`, argv: []string{"/F", "p.dtsx", "/VLog", "/var/log/p.log"},
			err: ErrNotSupported, msg: []string{"/VLog: ", "log providers", "/ConsoleLog"}},
		{name: "/VLog alone", bash: `/VLog /F p.dtsx`, argv: []string{"/VLog", "/F", "p.dtsx"},
			err: ErrNotSupported, msg: []string{"/VLog: "}},
		{name: "/VerifyB /VerifyP", bash: `/F p.dtsx /VerifyB '1;2;3' /VerifyPackageID {6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E11}`,
			argv: []string{"/F", "p.dtsx", "/VerifyB", "1;2;3", "/VerifyPackageID", "{6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E11}"},
			want: opts(file("p.dtsx"), func(o *Options) {
				o.VerifyBuild, o.VerifyPackageID = []int64{1, 2, 3}, "{6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E11}"
			})},
		{name: "/VerifyB x", bash: `/F p.dtsx /VerifyB x`, argv: []string{"/F", "p.dtsx", "/VerifyB", "x"}, err: ErrSyntax, msg: []string{`"x" is not a number`}},
		{name: "/VerifyP nope", bash: `/F p.dtsx /VerifyP nope`, argv: []string{"/F", "p.dtsx", "/VerifyP", "nope"}, err: ErrSyntax, msg: []string{"not a GUID"}},
		{name: "/Dump two codes", bash: `/F p.dtsx /Dump '0xC020801C;0xc0202009'`,
			argv: []string{"/F", "p.dtsx", "/Dump", "0xC020801C;0xc0202009"}, err: ErrNotSupported, msg: []string{"/Dump: "}},
		{name: "/DumpOnError", bash: `/F p.dtsx /DumpOnError`, argv: []string{"/F", "p.dtsx", "/DumpOnError"},
			want: opts(file("p.dtsx"), func(o *Options) { o.DumpOnError = true })},
		{name: "/Dump 123", bash: `/F p.dtsx /Dump 123`, argv: []string{"/F", "p.dtsx", "/Dump", "123"}, err: ErrSyntax, msg: []string{"not an error code"}},
		{name: "/Rem /Ca", bash: `/Rem 'nightly load' /F p.dtsx /Ca SQLAGENT`, argv: []string{"/Rem", "nightly load", "/F", "p.dtsx", "/Ca", "SQLAGENT"},
			want: opts(file("p.dtsx"))},
		{name: "/L XML file", bash: `/F p.dtsx /L 'DTS.LogProviderXMLFile.1;log.xml'`, argv: []string{"/F", "p.dtsx", "/L", "DTS.LogProviderXMLFile.1;log.xml"},
			err: ErrNotSupported, msg: []string{"/L: DTS.LogProviderXMLFile: log providers are not implemented"}},
		{name: "/L without a file", bash: `/F p.dtsx /L DTS.LogProviderTextFile`, argv: []string{"/F", "p.dtsx", "/L", "DTS.LogProviderTextFile"},
			err: ErrSyntax, msg: []string{"needs a file"}},
		{name: "/L unknown", bash: `/F p.dtsx /L 'Foo;x'`, argv: []string{"/F", "p.dtsx", "/L", "Foo;x"}, err: ErrSyntax, msg: []string{`unknown log provider "Foo"`}},
		{name: "/Par bad type", bash: `/F p.dtsx /Par 'x(Int33);1'`, argv: []string{"/F", "p.dtsx", "/Par", "x(Int33);1"},
			err: ErrSyntax, msg: []string{`/Par: unknown data type "Int33"`}},
		{name: "/Par bad Int32", bash: `/F p.dtsx /Par 'x(Int32);abc'`, argv: []string{"/F", "p.dtsx", "/Par", "x(Int32);abc"},
			err: ErrSyntax, msg: []string{`the value of x is not a valid Int32`}},
		{name: "/Par Boolean", bash: `/F p.dtsx /Par '$Package::Flag(boolean);True'`, argv: []string{"/F", "p.dtsx", "/Par", "$Package::Flag(boolean);True"},
			want: opts(file("p.dtsx"), overrides(mkPar("$Package::Flag", "True")))},
		{name: "/Par CM without property", bash: `/F p.dtsx /Par 'CM.Source;x'`, argv: []string{"/F", "p.dtsx", "/Par", "CM.Source;x"},
			err: ErrSyntax, msg: []string{"CM.<connection>.<property>"}},
		{name: "/Par without value", bash: `/F p.dtsx /Par x`, argv: []string{"/F", "p.dtsx", "/Par", "x"}, err: ErrSyntax, msg: []string{"no ';' found"}},
		{name: "/Par unknown scope", bash: `/F p.dtsx /Par '$Foo::x;1'`, argv: []string{"/F", "p.dtsx", "/Par", "$Foo::x;1"},
			err: ErrSyntax, msg: []string{"unknown parameter scope"}},
		{name: "/Set bad path", bash: `/F p.dtsx /Set 'Package.Variables[User::X].Value;1'`, argv: []string{"/F", "p.dtsx", "/Set", "Package.Variables[User::X].Value;1"},
			err: ErrSyntax, msg: []string{"/Set: property path", "offset 0", "backslash"}},
		{name: "/Set without value", bash: `/F p.dtsx /Set '\Package.Variables[User::X].Value'`, argv: []string{"/F", "p.dtsx", "/Set", x},
			err: ErrSyntax, msg: []string{"/Set: expected propertyPath;value", "quote the whole value"}},
		{name: "/Conn without connection string", bash: `/F p.dtsx /Conn 'Name;'`, argv: []string{"/F", "p.dtsx", "/Conn", "Name;"},
			err: ErrSyntax, msg: []string{"both the connection manager"}},
		{name: "/Conn without ;", bash: `/F p.dtsx /Conn Name`, argv: []string{"/F", "p.dtsx", "/Conn", "Name"},
			err: ErrSyntax, msg: []string{"no ';' found"}},
		{name: "/Proj without /Pack", bash: `/Proj p.ispac`, argv: []string{"/Proj", "p.ispac"}, err: ErrSyntax, msg: []string{"/Project: needs /Pack[age]"}},
		{name: "/Pack without /Proj", bash: `/Pack p.dtsx`, argv: []string{"/Pack", "p.dtsx"}, err: ErrSyntax, msg: []string{"/Package: names a package of a project"}},
		{name: "/F with /Proj", bash: `/F p.dtsx /Proj p.ispac /Pack p.dtsx`, argv: []string{"/F", "p.dtsx", "/Proj", "p.ispac", "/Pack", "p.dtsx"},
			err: ErrSyntax, msg: []string{"cannot be used together with /Project"}},
		{name: "no package", bash: `/Va`, argv: []string{"/Va"}, err: ErrSyntax, msg: []string{"no package given", "/F file.dtsx"}},
		{name: "nothing", bash: ``, argv: nil, err: ErrSyntax, msg: []string{"no package given"}},
		{name: "unknown option", bash: `/F p.dtsx /Foo`, argv: []string{"/F", "p.dtsx", "/Foo"}, err: ErrSyntax, msg: []string{"dtexec: /Foo: unknown option"}},
		{name: "/T is not documented", bash: `/F p.dtsx /T`, argv: []string{"/F", "p.dtsx", "/T"}, err: ErrSyntax, msg: []string{"/T: unknown option"}},
		{name: "/Pro is too short", bash: `/Pro p.ispac`, argv: []string{"/Pro", "p.ispac"}, err: ErrSyntax, msg: []string{"/Pro: unknown option"}},
		{name: "/F missing", bash: `/F`, argv: []string{"/F"}, err: ErrSyntax, msg: []string{"/F: missing value", "/File file.dtsx"}},
		{name: "a bare file", bash: `p.dtsx`, argv: []string{"p.dtsx"}, err: ErrSyntax, msg: []string{`unexpected argument "p.dtsx"`, "give the package with /F p.dtsx"}},
		{name: "a Linux path as an option", bash: `/srv/p.dtsx`, argv: []string{"/srv/p.dtsx"}, err: ErrSyntax, msg: []string{"/srv/p.dtsx: unknown option", "/F /srv/p.dtsx"}},
		{name: "a value to a flag", bash: `/F p.dtsx /Va yes`, argv: []string{"/F", "p.dtsx", "/Va", "yes"}, err: ErrSyntax, msg: []string{`unexpected argument "yes"`}},
		{name: "/Com", bash: `/Com cmd.txt /Va`, argv: []string{"/Com", "cmd.txt", "/Va"},
			files: map[string]string{"cmd.txt": "/F \"my pkg.dtsx\"\r\n/Set \"\\Package.Variables[User::X].Value\";\"a b\"\n/Rem \"the nightly run\"\n  /Rep EW\n"},
			want: opts(file("my pkg.dtsx"), overrides(mkSet(x, "a b")), func(o *Options) {
				o.Validate, o.Reporting = true, Reporting{Levels: ReportErrors | ReportWarnings, Given: true}
			})},
		{name: "/CommandFile naming itself", bash: `/CommandFile loop.txt`, argv: []string{"/CommandFile", "loop.txt"},
			files: map[string]string{"loop.txt": "/Com loop.txt"}, err: ErrSyntax, msg: []string{"nest more than"}},
		{name: "/Com missing file", bash: `/Com none.txt`, argv: []string{"/Com", "none.txt"}, files: map[string]string{},
			err: ErrSyntax, msg: []string{"cannot read the command file"}},
		{name: "/Com unclosed quote", bash: `/Com q.txt`, argv: []string{"/Com", "q.txt"}, files: map[string]string{"q.txt": `/F "p.dtsx`},
			err: ErrSyntax, msg: []string{"never closed"}},
	}
}

func allCases() []parseCase {
	var all []parseCase
	all = append(all, docCases()...)
	all = append(all, quotingCases()...)
	all = append(all, optionCases()...)
	all = append(all, windowsOnlyCases()...)
	return all
}

func (tt parseCase) parser() Parser {
	p := Parser{LookupEnv: func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }}
	p.ReadFile = func(name string) ([]byte, error) {
		if s, ok := tt.files[name]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return p
}

func TestParse(t *testing.T) {
	for _, tt := range allCases() {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parser().Parse(tt.argv)
			if tt.err != nil {
				if err == nil {
					t.Fatalf("Parse(%q) = %+v, want an error matching %v", tt.argv, got, tt.err)
				}
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v (%T) does not match %v", err, err, tt.err)
				}
				for _, m := range tt.msg {
					if !strings.Contains(err.Error(), m) {
						t.Errorf("error %q does not contain %q", err, m)
					}
				}
				if exitCode(err) != 6 {
					t.Errorf("exit code %d, want 6", exitCode(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.argv, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.argv, *got, *tt.want)
			}
			if tt.want.ConsoleLog.Enabled {
				shows := ""
				for _, e := range []string{"A", "B", "C"} {
					if got.ConsoleLog.Shows("LogEntryType" + e) {
						shows += e
					}
				}
				if shows != tt.shows {
					t.Errorf("log entries shown: %q, want %q", shows, tt.shows)
				}
			}
		})
	}
}

// TestBashDeliversArgv checks that each case's argv is what bash makes of
// its command line, so that the table shows real shell quoting.
func TestBashDeliversArgv(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir() // empty: no glob in a command line matches a file
	for _, tt := range allCases() {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bash, "--norc", "--noprofile", "-c", "set -- "+tt.bash+"\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done")
			cmd.Dir, cmd.Env = dir, []string{"PATH=/usr/bin:/bin", "LC_ALL=C"}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("bash: %v", err)
			}
			var argv []string
			for _, a := range bytes.Split(out, []byte{0}) {
				argv = append(argv, string(a))
			}
			argv = argv[:len(argv)-1] // the last \0 ends the list
			if len(argv) == 0 {
				argv = nil
			}
			if !reflect.DeepEqual(argv, tt.argv) {
				t.Errorf("bash delivers %q\n   the table says %q", argv, tt.argv)
			}
		})
	}
}

// TestOverrides checks that /Set, /Conn, /Par and /ConfigFile come out
// interleaved in command-line order, a /Par CM.conn.prop as a /Set.
func TestOverrides(t *testing.T) {
	o, err := Parser{}.Parse([]string{"/F", "p.dtsx", "/Conf", "a.dtsConfig", "/Set", `\Package.Variables[User::X].Value;1`,
		"/Conn", "C;x=1", "/Conf", "b.dtsConfig", "/Par", "P;2", "/Par", "CM.C.ServerName;s"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ov := range o.Overrides {
		switch {
		case ov.Set != nil:
			got = append(got, "set "+ov.Set.Path.String()+"="+ov.Set.Value)
		case ov.Conn != nil:
			got = append(got, "conn "+ov.Conn.Name)
		case ov.Param != nil:
			got = append(got, "par "+ov.Param.Name)
		case ov.ConfigFile != "":
			got = append(got, "conf "+ov.ConfigFile)
		}
	}
	want := []string{"conf a.dtsConfig", `set \Package.Variables[User::X].Properties[Value]=1`, "conn C", "conf b.dtsConfig", "par $Package::P",
		`set \Package.Connections[C].Properties[ServerName]=s`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Overrides = %q, want %q", got, want)
	}
}

func TestEveryOptionIsDocumented(t *testing.T) {
	u := usage("")
	for _, o := range options {
		name := o.name
		if o.min < len(o.name) {
			name = o.name[:o.min] + "[" + o.name[o.min:] + "]"
		}
		if !strings.Contains(u, "/"+name) {
			t.Errorf("usage does not show /%s", name)
		}
		if got := lookup(o.name); got == nil || got.name != o.name {
			t.Errorf("the full name %s finds %v", o.name, got)
		}
		if got := lookup(o.name[:o.min]); got == nil || got.name != o.name {
			t.Errorf("the abbreviation %s finds %v", o.name[:o.min], got)
		}
	}
}

func TestSecretIsMasked(t *testing.T) {
	o := Options{Decrypt: "hunter2"}
	for _, s := range []string{o.Decrypt.String(), o.Decrypt.GoString()} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("secret shown: %s", s)
		}
	}
}

func TestRun(t *testing.T) {
	t.Setenv(passwordEnv, "")
	tests := []struct {
		args           []string
		code           int
		stdout, stderr string
		hidden         string
	}{
		{[]string{"/?"}, 0, "/F[ile] file.dtsx", "", ""},
		{[]string{"/SQL", "pkg"}, 6, "", "/SQL loads packages from msdb", ""},
		{[]string{"/Foo"}, 6, "", "dtexec: /Foo: unknown option", ""},
		{[]string{"/F", "p.dtsx", "/De", "hunter2", "/Set", `$Sensitive::\Package.Connections[SMTP].Properties[Password];pw123`,
			"/Conn", "SMTP;SmtpServer=x;Password=s3cret;"}, 4, "", "p.dtsx: error[file-not-found]", "hunter2"},
		{[]string{"/F", "p.dtsx", "/Conn", "Password=s3cret"}, 6, "", "/Conn", ""},
		{[]string{"/F", "p.dtsx", "/Set", `\Package.Connections[X].Properties[Password];pw123;extra`}, 4, "", "p.dtsx", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, &out, &errOut)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, errOut.String())
			}
			if !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stdout %q\nstderr %q", out.String(), errOut.String())
			}
			for _, secret := range []string{tt.hidden, "pw123", "s3cret"} {
				if secret != "" && strings.Contains(out.String()+errOut.String(), secret) {
					t.Errorf("output shows %q:\n%s%s", secret, out.String(), errOut.String())
				}
			}
		})
	}
}
