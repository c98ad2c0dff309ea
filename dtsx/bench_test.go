package dtsx_test

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// BenchmarkLoad measures LoadPackage on two sets of bytes, each beside two
// references that read the same bytes:
//
//	<set>/load      dtsx.LoadPackage, the model and its diagnostics
//	<set>/RawToken  encoding/xml Decoder.RawToken over every token: the baseline
//	<set>/etree     a bare etree ReadFromBytes: the ceiling of a loader built on etree
//
// The sets are "corpus" (every corpus .dtsx) and "10MB" (one generated
// format-8 package of about 10 MB). bench/load.sh turns the MB/s into ratios.
func BenchmarkLoad(b *testing.B) {
	sets := []struct {
		name  string
		files [][]byte
	}{
		{"corpus", benchCorpus(b)},
		{"10MB", [][]byte{benchBigPackage(b, 10<<20)}},
	}
	for _, set := range sets {
		var total int64
		for _, d := range set.files {
			total += int64(len(d))
		}
		b.Run(set.name, func(b *testing.B) {
			b.Run("load", func(b *testing.B) {
				b.SetBytes(total)
				b.ReportAllocs()
				for b.Loop() {
					for _, d := range set.files {
						_, _ = dtsx.LoadPackage("bench.dtsx", d)
					}
				}
			})
			b.Run("RawToken", func(b *testing.B) {
				b.SetBytes(total)
				b.ReportAllocs()
				for b.Loop() {
					for _, d := range set.files {
						if err := benchRawTokens(d); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
			b.Run("etree", func(b *testing.B) {
				b.SetBytes(total)
				b.ReportAllocs()
				for b.Loop() {
					for _, d := range set.files {
						doc := etree.NewDocument()
						doc.ReadSettings = benchReadSettings
						if err := doc.ReadFromBytes(bytes.TrimPrefix(d, benchBOM)); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		})
	}
}

var benchBOM = []byte{0xEF, 0xBB, 0xBF}

// benchPassCharset reads every declared encoding as UTF-8, as the loader
// does (real packages are UTF-8 whatever CDATA inside declares).
func benchPassCharset(_ string, r io.Reader) (io.Reader, error) { return r, nil }

var benchReadSettings = etree.ReadSettings{CharsetReader: benchPassCharset}

// benchRawTokens scans data with Decoder.RawToken to the end.
func benchRawTokens(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, benchBOM)))
	d.CharsetReader = benchPassCharset
	for {
		if _, err := d.RawToken(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// benchCorpus reads every .dtsx of the corpus.
func benchCorpus(b *testing.B) [][]byte {
	b.Helper()
	var out [][]byte
	err := filepath.WalkDir(testcorpus.Dir(b), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".dtsx") {
			return err
		}
		data, err := os.ReadFile(path)
		out = append(out, data)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(out) == 0 {
		b.Fatal("no .dtsx in the corpus")
	}
	return out
}

// benchBigPackage generates a format-8 package of at least size bytes, in
// the shapes SSDT writes: Sequence containers of ten tasks each (Execute
// SQL, Script and Send Mail), each task with variables, property
// expressions and a large ObjectData payload (a long SQL statement with
// parameter bindings, a script project with its sources and compiled
// binary), the tasks chained by precedence constraints, some of them with
// expressions. It checks that the result loads without errors.
func benchBigPackage(b *testing.B, size int) []byte {
	b.Helper()
	g := &benchGen{rnd: rand.New(rand.NewPCG(1, 2))}
	g.head()
	containers, tasks := 0, 0
	for g.buf.Len() < size {
		tasks += g.container(containers)
		containers++
	}
	g.tail(containers)
	data := g.buf.Bytes()

	p, err := dtsx.LoadPackage("generated.dtsx", data)
	if err != nil {
		b.Fatalf("generated package: %v", err)
	}
	if p.Diagnostics.HasErrors() {
		b.Fatalf("generated package: %v", p.Diagnostics)
	}
	n := 0
	p.Walk(func(*dtsx.Executable) bool { n++; return true })
	if want := 1 + containers + tasks; n != want {
		b.Fatalf("generated package has %d executables, want %d", n, want)
	}
	return data
}

type benchGen struct {
	buf bytes.Buffer
	rnd *rand.Rand
}

func (g *benchGen) printf(format string, args ...any) { fmt.Fprintf(&g.buf, format, args...) }

func (g *benchGen) guid() string {
	return fmt.Sprintf("{%08X-%04X-4%03X-8%03X-%012X}", g.rnd.Uint32(), g.rnd.Uint32()&0xffff,
		g.rnd.Uint32()&0xfff, g.rnd.Uint32()&0xfff, g.rnd.Uint64()&0xffffffffffff)
}

// Connection managers every generated package has.
const (
	benchOLEDB = "{6F7E5C2A-1B3D-4E8F-9A0B-C1D2E3F40516}"
	benchSMTP  = "{0A1B2C3D-4E5F-4061-8273-8495A6B7C8D9}"
)

func (g *benchGen) head() {
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
`, g.guid(), g.guid(), benchOLEDB, benchSMTP)
	for i := range 20 {
		g.variable("Package", fmt.Sprintf("Setting%02d", i), i%3 == 0)
	}
	g.printf("  </DTS:Variables>\n  <DTS:Executables>\n")
}

func (g *benchGen) variable(owner, name string, expr bool) {
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
func (g *benchGen) container(i int) int {
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
	const n = 10
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
	g.printf("      </DTS:Executables>\n      <DTS:PrecedenceConstraints>\n")
	for t := 1; t < n; t++ {
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

func (g *benchGen) taskHead(ref string, t int, typ, desc string) {
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
`, ref, t, typ, desc, g.guid(), typ, t, t%4, g.guid())
}

func (g *benchGen) sqlTask(ref string, t int) {
	g.taskHead(ref, t, "Microsoft.ExecuteSQLTask", "Execute SQL Task")
	g.printf(`          <DTS:PropertyExpression
            DTS:Name="SqlStatementSource">"EXEC etl.LoadStage @Stage = " + (DT_WSTR, 10) @[User::StageRows]</DTS:PropertyExpression>
          <DTS:ObjectData>
            <SQLTask:SqlTaskData
              SQLTask:Connection="%s"
              SQLTask:SqlStatementSource="`, benchOLEDB)
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

func (g *benchGen) scriptTask(ref string, t int) {
	g.taskHead(ref, t, "Microsoft.ScriptTask", "Script Task")
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

func (g *benchGen) mailTask(ref string, t int) {
	g.taskHead(ref, t, "Microsoft.SendMailTask", "Send Mail Task")
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
`, benchSMTP, strings.Repeat("The stage finished; see the load log for the row counts per table.&#xA;", 20))
}

func (g *benchGen) tail(containers int) {
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
