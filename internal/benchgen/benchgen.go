// Package benchgen writes large generated SSIS packages for the
// benchmarks and the memory measurements of the loader and of
// `dtsx validate`. Nothing here is used at run time.
package benchgen

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// Options say what Write generates.
type Options struct {
	// Size is the least number of bytes written: containers are added
	// until the package reaches it.
	Size int64
	// Diagnostics adds to each container an element of the kinds real
	// packages have that validation reports: a third-party task (a type this
	// runtime does not know) whose password is encrypted with the Windows
	// user key and whose DTSID repeats another task's.
	Diagnostics bool
	// DataFlows is the number of Data Flow tasks added to each container:
	// an OLE DB source and destination with their columns, hundreds of
	// small elements with long attributes, the shape that makes most of a
	// large real package.
	DataFlows int
}

// Stats counts what Write wrote.
type Stats struct {
	Bytes       int64
	Containers  int
	Tasks       int // tasks inside the containers
	Executables int // the package, its containers and their tasks
	// Diagnostic elements written (see Options.Diagnostics): each gives
	// one diagnostic of the loader or of validation.
	ThirdParty   int // tasks of an unknown type
	Locked       int // sensitive values encrypted with the user key
	DuplicateIDs int // objects whose DTSID is already used
}

// Write writes a format-8 package of at least o.Size bytes to w, in the
// shapes SSDT writes: Sequence containers of ten tasks each (Execute SQL,
// Script and Send Mail), each task with variables, property expressions
// and a large ObjectData payload (a long SQL statement with parameter
// bindings, a script project with its sources and compiled binary), the
// tasks chained by precedence constraints, some of them with expressions.
// The output depends only on o.
func Write(w io.Writer, o Options) (Stats, error) {
	g := &gen{w: bufio.NewWriterSize(w, 64<<10), rnd: rand.New(rand.NewPCG(1, 2)), opts: o}
	g.head()
	for g.n < o.Size && g.err == nil {
		g.stats.Tasks += g.container(g.stats.Containers)
		g.stats.Containers++
	}
	g.tail(g.stats.Containers)
	if g.err == nil {
		g.err = g.w.Flush()
	}
	g.stats.Bytes = g.n
	g.stats.Executables = 1 + g.stats.Containers + g.stats.Tasks
	return g.stats, g.err
}

// Bytes is Write to memory.
func Bytes(o Options) ([]byte, Stats) {
	var b bytes.Buffer
	b.Grow(int(o.Size + o.Size/8))
	st, err := Write(&b, o)
	if err != nil {
		panic("benchgen: writing to memory: " + err.Error()) // bytes.Buffer never fails
	}
	return b.Bytes(), st
}

type gen struct {
	w    *bufio.Writer
	n    int64 // bytes written
	err  error
	rnd  *rand.Rand
	opts Options
	// firstTask is the DTSID of the current container's first task.
	firstTask string
	// stats counts what was written.
	stats Stats
}

func (g *gen) printf(format string, args ...any) {
	if g.err != nil {
		return
	}
	n, err := fmt.Fprintf(g.w, format, args...)
	g.n += int64(n)
	g.err = err
}

func (g *gen) guid() string {
	return fmt.Sprintf("{%08X-%04X-4%03X-8%03X-%012X}", g.rnd.Uint32(), g.rnd.Uint32()&0xffff,
		g.rnd.Uint32()&0xfff, g.rnd.Uint32()&0xfff, g.rnd.Uint64()&0xffffffffffff)
}

// Connection managers every generated package has.
const (
	connOLEDB = "{6F7E5C2A-1B3D-4E8F-9A0B-C1D2E3F40516}"
	connSMTP  = "{0A1B2C3D-4E5F-4061-8273-8495A6B7C8D9}"
)

func (g *gen) head() {
	g.printf(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts"
  DTS:refId="Package"
  DTS:CreationDate="3/14/2023 9:26:53 AM"
  DTS:CreationName="Microsoft.Package"
  DTS:CreatorComputerName="ETL-BUILD01"
  DTS:CreatorName="CONTOSO\etl"
  DTS:DTSID="%s"
  DTS:ExecutableType="Microsoft.Package"
  DTS:LastModifiedProductVersion="16.0.5035.3"
  DTS:LocaleID="1033"
  DTS:ObjectName="GeneratedLoad"
  DTS:PackageType="5"
  DTS:ProtectionLevel="0"
  DTS:VersionBuild="412"
  DTS:VersionGUID="%s">
  <DTS:Property
    DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager
      DTS:refId="Package.ConnectionManagers[Warehouse]"
      DTS:CreationName="OLEDB"
      DTS:DTSID="%s"
      DTS:ObjectName="Warehouse">
      <DTS:PropertyExpression
        DTS:Name="ConnectionString">@[$Project::WarehouseConnectionString]</DTS:PropertyExpression>
      <DTS:ObjectData>
        <DTS:ConnectionManager
          DTS:ConnectionString="Data Source=dw01;Initial Catalog=Warehouse;Provider=SQLNCLI11.1;Integrated Security=SSPI;Auto Translate=False;" />
      </DTS:ObjectData>
    </DTS:ConnectionManager>
    <DTS:ConnectionManager
      DTS:refId="Package.ConnectionManagers[Mail]"
      DTS:CreationName="SMTP"
      DTS:DTSID="%s"
      DTS:ObjectName="Mail">
      <DTS:ObjectData>
        <SmtpConnectionManager
          ConnectionString="SmtpServer=smtp.contoso.com;UseWindowsAuthentication=False;EnableSsl=True;" />
      </DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
  <DTS:Variables>
`, g.guid(), g.guid(), connOLEDB, connSMTP)
	for i := range 20 {
		g.variable("Package", fmt.Sprintf("Setting%02d", i), i%3 == 0)
	}
	g.printf("  </DTS:Variables>\n  <DTS:Executables>\n")
}

func (g *gen) variable(owner, name string, expr bool) {
	ev := ""
	if expr {
		ev = "\n      DTS:EvaluateAsExpression=\"True\"\n      DTS:Expression=\"&quot;Batch &quot; + (DT_WSTR, 10) @[User::BatchId] + &quot; of &quot; + @[System::PackageName]\""
	}
	g.printf(`    <DTS:Variable
      DTS:CreationName=""
      DTS:DTSID="%s"%s
      DTS:IncludeInDebugDump="2345"
      DTS:Namespace="User"
      DTS:ObjectName="%s">
      <DTS:VariableValue
        DTS:DataType="8">%s value for %s</DTS:VariableValue>
    </DTS:Variable>
`, g.guid(), ev, name, name, owner)
}

// container writes a Sequence container of ten tasks and returns the
// number of tasks.
func (g *gen) container(i int) int {
	ref := fmt.Sprintf(`Package\Stage %04d`, i)
	g.printf(`    <DTS:Executable
      DTS:refId="%s"
      DTS:CreationName="STOCK:SEQUENCE"
      DTS:Description="Sequence Container"
      DTS:DTSID="%s"
      DTS:ExecutableType="STOCK:SEQUENCE"
      DTS:LocaleID="-1"
      DTS:ObjectName="Stage %04d">
      <DTS:Variables>
`, ref, g.guid(), i)
	g.variable(ref, "StageRows", false)
	g.variable(ref, "StageLabel", true)
	g.printf("      </DTS:Variables>\n      <DTS:Executables>\n")
	n := 10
	for t := range n {
		switch t % 5 {
		case 0, 1, 2:
			g.sqlTask(ref, t)
		case 3:
			g.scriptTask(ref, t)
		default:
			g.mailTask(ref, t)
		}
	}
	if g.opts.Diagnostics {
		g.thirdPartyTask(ref, n)
		n++
	}
	for range g.opts.DataFlows {
		g.dataFlowTask(ref, n)
		n++
	}
	g.printf("      </DTS:Executables>\n      <DTS:PrecedenceConstraints>\n")
	for t := 1; t < 10; t++ {
		extra := ""
		if t%3 == 0 {
			extra = "\n          DTS:EvalOp=\"3\"\n          DTS:Expression=\"@[User::StageRows] &gt; 0\""
		}
		g.printf(`        <DTS:PrecedenceConstraint
          DTS:refId="%s.PrecedenceConstraints[Constraint %d]"
          DTS:CreationName=""
          DTS:DTSID="%s"%s
          DTS:From="%s\Task %02d"
          DTS:LogicalAnd="True"
          DTS:ObjectName="Constraint %d"
          DTS:To="%s\Task %02d" />
`, ref, t, g.guid(), extra, ref, t-1, t, ref, t)
	}
	g.printf("      </DTS:PrecedenceConstraints>\n    </DTS:Executable>\n")
	return n
}

// taskHead writes the start of a task with the given DTSID, a new one if
// id is empty, and returns the DTSID.
func (g *gen) taskHead(ref string, t int, typ, desc, id string) string {
	if id == "" {
		id = g.guid()
	}
	if t == 0 {
		g.firstTask = id
	}
	g.printf(`        <DTS:Executable
          DTS:refId="%s\Task %02d"
          DTS:CreationName="%s"
          DTS:Description="%s"
          DTS:DTSID="%s"
          DTS:ExecutableType="%s"
          DTS:LocaleID="-1"
          DTS:ObjectName="Task %02d"
          DTS:ThreadHint="%d">
          <DTS:Variables>
            <DTS:Variable
              DTS:CreationName=""
              DTS:DTSID="%s"
              DTS:Namespace="User"
              DTS:ObjectName="RowsAffected">
              <DTS:VariableValue
                DTS:DataType="3">0</DTS:VariableValue>
            </DTS:Variable>
          </DTS:Variables>
          <DTS:LoggingOptions
            DTS:FilterKind="0" />
`, ref, t, typ, desc, id, typ, t, t%4, g.guid())
	return id
}

func (g *gen) sqlTask(ref string, t int) {
	g.taskHead(ref, t, "Microsoft.ExecuteSQLTask", "Execute SQL Task", "")
	g.printf(`          <DTS:PropertyExpression
            DTS:Name="SqlStatementSource">"EXEC etl.LoadStage @Stage = " + (DT_WSTR, 10) @[User::StageRows]</DTS:PropertyExpression>
          <DTS:ObjectData>
            <SQLTask:SqlTaskData
              SQLTask:Connection="%s"
              SQLTask:SqlStatementSource="`, connOLEDB)
	for c := range 40 {
		g.printf("INSERT INTO dw.FactSales_%02d (DateKey, StoreKey, ProductKey, Quantity, Amount)&#xA;SELECT d.DateKey, s.StoreKey, p.ProductKey, SUM(x.Qty), SUM(x.Qty * x.Price)&#xA;FROM stage.Sales AS x JOIN dw.DimDate AS d ON d.Date = x.SaleDate WHERE x.Batch = ? AND x.Amount &gt; %d GROUP BY d.DateKey, s.StoreKey, p.ProductKey;&#xA;", t, c)
	}
	g.printf(`" xmlns:SQLTask="www.microsoft.com/sqlserver/dts/tasks/sqltask">
              <SQLTask:ParameterBinding
                SQLTask:ParameterName="0"
                SQLTask:DtsVariableName="User::StageRows"
                SQLTask:ParameterDirection="Input"
                SQLTask:DataType="3"
                SQLTask:ParameterSize="-1" />
              <SQLTask:ResultBinding
                SQLTask:ResultName="0"
                SQLTask:DtsVariableName="User::RowsAffected" />
            </SQLTask:SqlTaskData>
          </DTS:ObjectData>
        </DTS:Executable>
`)
}

func (g *gen) scriptTask(ref string, t int) {
	g.taskHead(ref, t, "Microsoft.ScriptTask", "Script Task", "")
	name := fmt.Sprintf("ST_%032x", g.rnd.Uint64())
	g.printf(`          <DTS:ObjectData>
            <ScriptProject
              Name="%s"
              VSTAMajorVersion="16"
              VSTAMinorVersion="0"
              Language="CSharp"
              ReadOnlyVariables="User::StageRows"
              ReadWriteVariables="User::RowsAffected">
              <ProjectItem
                Name="ScriptMain.cs"
                Encoding="UTF8"><![CDATA[#region Namespaces
using System;
using System.Data;
using Microsoft.SqlServer.Dts.Runtime;
using System.Windows.Forms;
#endregion

namespace %s
{
    [Microsoft.SqlServer.Dts.Tasks.ScriptTask.SSISScriptTaskEntryPointAttribute]
    public partial class ScriptMain : Microsoft.SqlServer.Dts.Tasks.ScriptTask.VSTARTScriptObjectModelBase
    {
`, name, name)
	for m := range 25 {
		g.printf(`        public void Step%02d()
        {
            int rows = (int)Dts.Variables["User::StageRows"].Value;
            if (rows > %d && Dts.Variables.Contains("User::RowsAffected"))
            {
                Dts.Variables["User::RowsAffected"].Value = rows * %d;
            }
        }
`, m, m*100, m+1)
	}
	bin := make([]byte, 12<<10)
	for i := range bin {
		bin[i] = byte(g.rnd.Uint32())
	}
	g.printf(`        public void Main() { Dts.TaskResult = (int)ScriptResults.Success; }
    }
}]]></ProjectItem>
              <ProjectItem
                Name="Properties\AssemblyInfo.cs"
                Encoding="UTF8"><![CDATA[using System.Reflection;
[assembly: AssemblyTitle("%s")]
[assembly: AssemblyVersion("1.0.*")]]]></ProjectItem>
              <BinaryItem
                Name="%s.dll">%s</BinaryItem>
            </ScriptProject>
          </DTS:ObjectData>
        </DTS:Executable>
`, name, name, base64.StdEncoding.EncodeToString(bin))
}

// thirdPartyTask writes a task of a third-party type, as the designer
// saves one with ProtectionLevel EncryptSensitiveWithUserKey: its password
// is a DPAPI blob. Its DTSID is the first task's of the container, as after
// a copy made in a text editor.
func (g *gen) thirdPartyTask(ref string, t int) {
	const typ = "Contoso.SSIS.ArchiveTask, Contoso.SSIS.Tasks, Version=2.1.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91"
	g.taskHead(ref, t, typ, "Archive the stage files", g.firstTask)
	g.stats.DuplicateIDs++
	blob := make([]byte, 180)
	for i := range blob {
		blob[i] = byte(g.rnd.Uint32())
	}
	g.printf(`          <DTS:ObjectData>
            <ArchiveTaskData
              ArchivePath="\\files01\archive\stage"
              UserName="CONTOSO\svc-archive">
              <Password
                Sensitive="1"
                Encrypted="1">AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA%s</Password>
            </ArchiveTaskData>
          </DTS:ObjectData>
        </DTS:Executable>
`, base64.StdEncoding.EncodeToString(blob))
	g.stats.ThirdParty++
	g.stats.Locked++
}

// dataFlowColumns is the number of columns of each data flow's source and
// destination.
const dataFlowColumns = 30

// dataFlowTask writes a Data Flow task (format 8 pipeline XML) copying a
// table: an OLE DB source whose output and error output have
// dataFlowColumns columns each, an OLE DB destination whose input maps
// them, and the path between the two.
func (g *gen) dataFlowTask(ref string, t int) {
	g.taskHead(ref, t, "Microsoft.Pipeline", "Data Flow Task", "")
	task := fmt.Sprintf(`%s\Task %02d`, ref, t)
	src, dst := task+`\Stage Source`, task+`\Warehouse Destination`
	g.printf(`          <DTS:ObjectData>
            <pipeline
              version="1">
              <components>
`)
	g.component(src, "OLE DB Source", "{165A526D-D5DE-47FF-96A6-F8274C19826B}", "SELECT * FROM stage.Sales")
	g.printf(`                  <outputs>
                    <output
                      refId="%[1]s.Outputs[OLE DB Source Output]"
                      name="OLE DB Source Output">
                      <outputColumns>
`, src)
	for c := range dataFlowColumns {
		g.printf(`                        <outputColumn
                          refId="%[1]s.Outputs[OLE DB Source Output].Columns[Column%02[2]d]"
                          dataType="wstr"
                          errorOrTruncationOperation="Conversion"
                          errorRowDisposition="FailComponent"
                          externalMetadataColumnId="%[1]s.Outputs[OLE DB Source Output].ExternalColumns[Column%02[2]d]"
                          length="%[3]d"
                          lineageId="%[1]s.Outputs[OLE DB Source Output].Columns[Column%02[2]d]"
                          name="Column%02[2]d"
                          truncationRowDisposition="FailComponent" />
`, src, c, 20+c*5)
	}
	g.printf("                      </outputColumns>\n                      <externalMetadataColumns\n                        isUsed=\"True\">\n")
	for c := range dataFlowColumns {
		g.printf(`                        <externalMetadataColumn
                          refId="%[1]s.Outputs[OLE DB Source Output].ExternalColumns[Column%02[2]d]"
                          dataType="wstr"
                          length="%[3]d"
                          name="Column%02[2]d" />
`, src, c, 20+c*5)
	}
	g.printf(`                      </externalMetadataColumns>
                    </output>
                    <output
                      refId="%[1]s.Outputs[OLE DB Source Error Output]"
                      isErrorOut="true"
                      name="OLE DB Source Error Output">
                      <outputColumns>
`, src)
	for c := range dataFlowColumns {
		g.printf(`                        <outputColumn
                          refId="%[1]s.Outputs[OLE DB Source Error Output].Columns[Column%02[2]d]"
                          dataType="wstr"
                          length="%[3]d"
                          lineageId="%[1]s.Outputs[OLE DB Source Error Output].Columns[Column%02[2]d]"
                          name="Column%02[2]d" />
`, src, c, 20+c*5)
	}
	g.printf(`                      </outputColumns>
                      <externalMetadataColumns />
                    </output>
                  </outputs>
                </component>
`)
	g.component(dst, "OLE DB Destination", "{4ADA7EAA-136C-4215-8098-D7A7C27FC0D1}", "")
	g.printf(`                  <inputs>
                    <input
                      refId="%[1]s.Inputs[OLE DB Destination Input]"
                      errorOrTruncationOperation="Insert"
                      errorRowDisposition="FailComponent"
                      hasSideEffects="true"
                      name="OLE DB Destination Input">
                      <inputColumns>
`, dst)
	for c := range dataFlowColumns {
		g.printf(`                        <inputColumn
                          refId="%[1]s.Inputs[OLE DB Destination Input].Columns[Column%02[3]d]"
                          cachedDataType="wstr"
                          cachedLength="%[4]d"
                          cachedName="Column%02[3]d"
                          externalMetadataColumnId="%[1]s.Inputs[OLE DB Destination Input].ExternalColumns[Column%02[3]d]"
                          lineageId="%[2]s.Outputs[OLE DB Source Output].Columns[Column%02[3]d]" />
`, dst, src, c, 20+c*5)
	}
	g.printf("                      </inputColumns>\n                      <externalMetadataColumns\n                        isUsed=\"True\">\n")
	for c := range dataFlowColumns {
		g.printf(`                        <externalMetadataColumn
                          refId="%[1]s.Inputs[OLE DB Destination Input].ExternalColumns[Column%02[2]d]"
                          dataType="wstr"
                          length="%[3]d"
                          name="Column%02[2]d" />
`, dst, c, 20+c*5)
	}
	g.printf(`                      </externalMetadataColumns>
                    </input>
                  </inputs>
                </component>
              </components>
              <paths>
                <path
                  refId="%[1]s.Paths[OLE DB Source Output]"
                  endId="%[3]s.Inputs[OLE DB Destination Input]"
                  name="OLE DB Source Output"
                  startId="%[2]s.Outputs[OLE DB Source Output]" />
              </paths>
            </pipeline>
          </DTS:ObjectData>
        </DTS:Executable>
`, task, src, dst)
}

// component writes the start of a data flow component: its properties and
// its connection, up to its inputs or outputs.
func (g *gen) component(ref, name, class, sql string) {
	g.printf(`                <component
                  refId="%[1]s"
                  componentClassID="%[3]s"
                  contactInfo="%[2]s;Microsoft Corporation; Microsoft SQL Server; (C) Microsoft Corporation; All Rights Reserved; http://www.microsoft.com/sql/support;7"
                  description="%[2]s"
                  name="%[2]s"
                  usesDispositions="true"
                  version="7">
                  <properties>
                    <property
                      dataType="System.Int32"
                      description="The number of seconds before a command times out.  A value of 0 indicates an infinite time-out."
                      name="CommandTimeout">0</property>
                    <property
                      dataType="System.String"
                      description="Specifies the name of the database object used to open a rowset."
                      name="OpenRowset">[stage].[Sales]</property>
                    <property
                      dataType="System.String"
                      description="The SQL command to be executed."
                      name="SqlCommand"
                      UITypeEditor="Microsoft.DataTransformationServices.Controls.ModalMultilineStringEditor">%[4]s</property>
                    <property
                      dataType="System.Int32"
                      description="Specifies the column code page to use when code page information is unavailable from the data source."
                      name="DefaultCodePage">1252</property>
                    <property
                      dataType="System.Int32"
                      description="Specifies the mode used to access the database."
                      name="AccessMode"
                      typeConverter="AccessMode">0</property>
                  </properties>
                  <connections>
                    <connection
                      refId="%[1]s.Connections[OleDbConnection]"
                      connectionManagerID="%[5]s"
                      connectionManagerRefId="Package.ConnectionManagers[Warehouse]"
                      description="The OLE DB runtime connection used to access the database."
                      name="OleDbConnection" />
                  </connections>
`, ref, name, class, sql, connOLEDB)
}

func (g *gen) mailTask(ref string, t int) {
	g.taskHead(ref, t, "Microsoft.SendMailTask", "Send Mail Task", "")
	g.printf(`          <DTS:PropertyExpression
            DTS:Name="Subject">@[System::PackageName] + " finished stage " + (DT_WSTR, 10) @[User::StageRows]</DTS:PropertyExpression>
          <DTS:PropertyExpression
            DTS:Name="ToLine">@[$Project::OperatorsMail]</DTS:PropertyExpression>
          <DTS:ObjectData>
            <SendMailTask:SendMailTaskData
              SendMailTask:SMTPServer="%s"
              SendMailTask:From="etl@contoso.com"
              SendMailTask:To="operators@contoso.com"
              SendMailTask:Subject="Stage finished"
              SendMailTask:Priority="High"
              SendMailTask:MessageSource="%s" xmlns:SendMailTask="www.microsoft.com/sqlserver/dts/tasks/sendmailtask" />
          </DTS:ObjectData>
        </DTS:Executable>
`, connSMTP, strings.Repeat("The stage finished; see the load log for the row counts per table.&#xA;", 20))
}

func (g *gen) tail(containers int) {
	g.printf("  </DTS:Executables>\n  <DTS:PrecedenceConstraints>\n")
	for i := 1; i < containers; i++ {
		g.printf(`    <DTS:PrecedenceConstraint
      DTS:refId="Package.PrecedenceConstraints[Constraint %d]"
      DTS:CreationName=""
      DTS:DTSID="%s"
      DTS:From="Package\Stage %04d"
      DTS:LogicalAnd="True"
      DTS:ObjectName="Constraint %d"
      DTS:To="Package\Stage %04d" />
`, i, g.guid(), i-1, i, i)
	}
	g.printf("  </DTS:PrecedenceConstraints>\n  <DTS:DesignTimeProperties><![CDATA[<?xml version=\"1.0\"?>\n<Objects Version=\"8\">\n  <Package design-time-name=\"Package\">\n    <LayoutInfo>\n")
	for i := range containers {
		g.printf("      <NodeLayout Size=\"163,42\" Id=\"Package\\Stage %04d\" TopLeft=\"%d,%d\" />\n", i, 100+i%5*200, 50+i/5*80)
	}
	g.printf("    </LayoutInfo>\n  </Package>\n</Objects>]]></DTS:DesignTimeProperties>\n</DTS:Executable>\n")
}
