package pipeline_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
)

func loadFile(t *testing.T, file string) *dtsx.Package {
	t.Helper()
	p, err := dtsx.LoadPackageFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func loadText(t *testing.T, name, text string) *dtsx.Package {
	t.Helper()
	p, err := dtsx.LoadPackage(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// dump writes what the model says of a pipeline, in a form that does not
// depend on the package format.
func dump(pl *pipeline.Pipeline) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: buffers %d rows %d bytes, %d threads\n", pl.RefID, pl.DefaultBufferMaxRows, pl.DefaultBufferSize, pl.EngineThreads)
	for _, c := range pl.Components {
		fmt.Fprintf(&b, "component %s [%s, %s, %s]\n", c.RefID, c.ClassName(), c.Class.Kind, c.Class.Support)
		for _, p := range c.Properties {
			fmt.Fprintf(&b, "  property %s (%s, %s) = %s\n", p.Name, p.DataType, p.ExpressionType, p.Value)
		}
		for _, cn := range c.Connections {
			fmt.Fprintf(&b, "  connection %s\n", cn.RefID)
		}
		for _, in := range c.Inputs {
			fmt.Fprintf(&b, "  input %s side effects %v, external used %v\n", in.RefID, in.HasSideEffects, in.ExternalUsed)
			for _, col := range in.Columns {
				up, ext := "-", "-"
				if col.Upstream != nil {
					up = col.Upstream.RefID
				}
				if col.External != nil {
					ext = col.External.RefID + " " + col.External.ColumnType.String()
				}
				fmt.Fprintf(&b, "    input column %s %s from %s, external %s\n", col.RefID, col.UsageType, up, ext)
			}
		}
		for _, o := range c.Outputs {
			sync := "-"
			if o.SynchronousInput != nil {
				sync = o.SynchronousInput.Name
			}
			fmt.Fprintf(&b, "  output %s error %v, synchronous with %s, exclusion group %d\n", o.RefID, o.IsErrorOut, sync, o.ExclusionGroup)
			for _, col := range o.Columns {
				ext := "-"
				if col.External != nil {
					ext = col.External.ColumnType.String()
				}
				fmt.Fprintf(&b, "    column %s %s flags %d, %s: error %s, truncation %s, external %s\n", col.RefID, col.ColumnType,
					col.SpecialFlags, col.ErrorOrTruncationOperation, col.ErrorRowDisposition, col.TruncationRowDisposition, ext)
				for _, p := range col.Properties {
					fmt.Fprintf(&b, "      property %s refs %q\n", p.Name, p.LineageRefs())
				}
			}
		}
	}
	for _, p := range pl.Paths {
		fmt.Fprintf(&b, "path %s: %s -> %s\n", p.RefID, p.Start.RefID, p.End.RefID)
	}
	n := pl.Counts()
	fmt.Fprintf(&b, "counts %+v\n", n)
	return b.String()
}

// TestFormatsAgree: the same data flow saved in format 8 (refIds, class
// names) and in format 2 (numeric IDs, 2005 class GUIDs) reads into the
// same model, element paths included, but for the lineage references of
// expressions, which keep their persisted form.
func TestFormatsAgree(t *testing.T) {
	want, err := os.ReadFile("testdata/flow.golden")
	if err != nil && !*update {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, refs string }{
		{"testdata/flow-f8.dtsx", `["Package\\Load\\Orders.Outputs[OLE DB Source Output].Columns[ID]"]`},
		{"testdata/flow-f2.dtsx", `["11"]`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := loadFile(t, tc.file)
			pls, ds := pipeline.ReadAll(p)
			if len(ds) != 0 {
				t.Errorf("diagnostics: %v", ds)
			}
			if len(pls) != 1 {
				t.Fatalf("%d pipelines, want 1", len(pls))
			}
			got := dump(pls[0])
			got = strings.Replace(got, "refs "+tc.refs, "refs [ID]", 1)
			if *update && strings.HasSuffix(tc.file, "f8.dtsx") {
				if err := os.WriteFile("testdata/flow.golden", []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				want = []byte(got)
				return
			}
			if got != string(want) {
				t.Errorf("model differs from testdata/flow.golden:\n%s", got)
			}
			amount := pls[0].Lineage(pls[0].Components[1].Outputs[0].Columns[0].LineageID)
			if amount == nil || amount.Type != pipeline.TypeNumeric || amount.Precision != 18 || amount.Scale != 2 {
				t.Errorf("Amount column = %+v", amount)
			}
		})
	}
}

// TestConnectionRefs: a component's connection names its manager by
// refId (format 8) or DTSID (format 2).
func TestConnectionRefs(t *testing.T) {
	for file, want := range map[string]string{
		"testdata/flow-f8.dtsx": "Package.ConnectionManagers[Shop]",
		"testdata/flow-f2.dtsx": "{C0000015-0000-4000-8000-0000000001C1}",
	} {
		pls, _ := pipeline.ReadAll(loadFile(t, file))
		if got := pls[0].Components[0].Connections[0].ConnectionManagerID; got != want {
			t.Errorf("%s: connection manager %q, want %q", file, got, want)
		}
	}
}

// TestDiagnostics: each problem is reported with its code, the element
// path of the object, its line and a hint.
func TestDiagnostics(t *testing.T) {
	base, err := os.ReadFile("testdata/flow-f8.dtsx")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, old, new string
		old2, new2     string // a second change, where one is not enough
		code, path     string
		sev            dtsx.Severity
	}{
		{"unknown class", `componentClassID="Microsoft.DerivedColumn"`, `componentClassID="Contoso.Magic"`,
			"", "", pipeline.CodeUnknownComponent, `Package\Load\Total`, dtsx.SeverityWarning},
		{"third party", `componentClassID="Microsoft.DerivedColumn"`, `componentClassID="KingswaySoft.IntegrationToolkit.DynamicsCrm.CrmSource"`,
			"", "", pipeline.CodeThirdPartyComp, `Package\Load\Total`, dtsx.SeverityWarning},
		{"script component", `componentClassID="Microsoft.DerivedColumn"`, `componentClassID="Microsoft.ManagedComponentHost"`,
			`name="Total"
              usesDispositions="true">`, `name="Total"
              usesDispositions="true"><properties><property name="UserComponentTypeName">Microsoft.ScriptComponentHost</property></properties>`,
			pipeline.CodeScriptComponent, `Package\Load\Total`, dtsx.SeverityWarning},
		{"dangling lineage", `lineageId="Package\Load\Orders.Outputs[OLE DB Source Output].Columns[Name]" />`,
			`lineageId="Package\Load\Orders.Outputs[OLE DB Source Output].Columns[Gone]" />`,
			"", "", pipeline.CodeDanglingLineage, `Package\Load\Out.Inputs[Flat File Destination Input].Columns[Name]`, dtsx.SeverityError},
		{"dangling expression", `(DT_NUMERIC,18,2)#{Package\Load\Orders.Outputs[OLE DB Source Output].Columns[ID]}`,
			`(DT_NUMERIC,18,2)#{Package\Load\Orders.Outputs[OLE DB Source Output].Columns[Gone]}`,
			"", "", pipeline.CodeDanglingLineage, `Package\Load\Total.Outputs[Derived Column Output].Columns[Amount]`, dtsx.SeverityError},
		{"path to nothing", `endId="Package\Load\Out.Inputs[Flat File Destination Input]"`, `endId="Package\Load\Gone.Inputs[Input]"`,
			"", "", pipeline.CodeDanglingPath, `Package\Load.Paths[Derived Column Output]`, dtsx.SeverityError},
		{"path from nothing", `startId="Package\Load\Orders.Outputs[OLE DB Source Output]"`, `startId="Package\Load\Orders.Outputs[Gone]"`,
			"", "", pipeline.CodeDanglingPath, `Package\Load.Paths[OLE DB Source Output]`, dtsx.SeverityError},
		{"unknown type", `dataType="numeric"
                      errorOrTruncationOperation="Computation"`, `dataType="money"
                      errorOrTruncationOperation="Computation"`,
			"", "", pipeline.CodeUnknownDataType, `Package\Load\Total.Outputs[Derived Column Output].Columns[Amount]`, dtsx.SeverityError},
		{"unknown cached type", `cachedDataType="numeric"`, `cachedDataType="money"`, "", "",
			pipeline.CodeUnknownDataType, `Package\Load\Out.Inputs[Flat File Destination Input].Columns[Amount]`, dtsx.SeverityError},
		{"synchronous input", `synchronousInputId="Package\Load\Total.Inputs[Derived Column Input]">
                  <outputColumns>
                    <outputColumn
                      refId="Package\Load\Total.Outputs[Derived Column Output]`, `synchronousInputId="Package\Load\Orders.Inputs[None]">
                  <outputColumns>
                    <outputColumn
                      refId="Package\Load\Total.Outputs[Derived Column Output]`,
			"", "", pipeline.CodeDanglingReference, `Package\Load\Total.Outputs[Derived Column Output]`, dtsx.SeverityError},
		{"external column", `externalMetadataColumnId="Package\Load\Out.Inputs[Flat File Destination Input].ExternalColumns[Name]"`,
			`externalMetadataColumnId="Package\Load\Out.Inputs[Flat File Destination Input].ExternalColumns[Gone]"`,
			"", "", pipeline.CodeDanglingReference, `Package\Load\Out.Inputs[Flat File Destination Input].Columns[Name]`, dtsx.SeverityWarning},
		{"bad disposition", `errorRowDisposition="RedirectRow"`, `errorRowDisposition="Sometimes"`,
			"", "", pipeline.CodeBadPipelineValue, `Package\Load\Orders.Outputs[OLE DB Source Output].Columns[ID]`, dtsx.SeverityWarning},
		{"duplicate lineage", `lineageId="Package\Load\Orders.Outputs[OLE DB Source Error Output].Columns[ErrorCode]"`,
			`lineageId="Package\Load\Orders.Outputs[OLE DB Source Output].Columns[ID]"`, "", "",
			pipeline.CodeDuplicateKey, `Package\Load\Orders.Outputs[OLE DB Source Error Output].Columns[ErrorCode]`, dtsx.SeverityError},
		{"bad number", `defaultBufferMaxRows="5000"`, `defaultBufferMaxRows="many"`,
			"", "", pipeline.CodeBadPipelineValue, `Package\Load`, dtsx.SeverityWarning},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := string(base)
			if !strings.Contains(text, tc.old) {
				t.Fatalf("the test package lacks %q", tc.old)
			}
			text = strings.Replace(text, tc.old, tc.new, 1)
			if tc.old2 != "" {
				if !strings.Contains(text, tc.old2) {
					t.Fatalf("the test package lacks %q", tc.old2)
				}
				text = strings.Replace(text, tc.old2, tc.new2, 1)
			}
			p := loadText(t, "bad.dtsx", text)
			_, ds := pipeline.ReadAll(p)
			if len(ds) != 1 {
				t.Fatalf("diagnostics = %v, want one %s", ds, tc.code)
			}
			d := ds[0]
			if d.Code != tc.code || d.Path != tc.path || d.Severity != tc.sev || d.File != "bad.dtsx" || d.Hint == "" || d.Line == 0 {
				t.Errorf("diagnostic = %s (line %d), want %s[%s] at %s with a hint and a line", d, d.Line, tc.sev, tc.code, tc.path)
			}
		})
	}
}

// TestNoPipeline: a Data Flow task without a pipeline is reported, and
// reads as an empty data flow with the default buffers.
func TestNoPipeline(t *testing.T) {
	base, err := os.ReadFile("testdata/flow-f8.dtsx")
	if err != nil {
		t.Fatal(err)
	}
	text := string(base)
	i, j := strings.Index(text, "<DTS:ObjectData>"), strings.Index(text, "</DTS:ObjectData>")
	text = text[:i] + text[j+len("</DTS:ObjectData>"):]
	pls, ds := pipeline.ReadAll(loadText(t, "empty.dtsx", text))
	if len(pls) != 1 || len(pls[0].Components) != 0 || pls[0].DefaultBufferMaxRows != pipeline.DefaultBufferMaxRows {
		t.Fatalf("pipelines = %+v", pls)
	}
	if len(ds) != 1 || ds[0].Code != pipeline.CodeNoPipeline || ds[0].Path != `Package\Load` {
		t.Errorf("diagnostics = %v", ds)
	}
}

// TestRoundTrip: reading a pipeline changes nothing, so a package saved
// after it is read re-reads into the same model and the same tree.
func TestRoundTrip(t *testing.T) {
	for _, file := range []string{"testdata/flow-f8.dtsx", "testdata/flow-f2.dtsx"} {
		t.Run(file, func(t *testing.T) {
			p := loadFile(t, file)
			before := p.Doc.Copy()
			pls, _ := pipeline.ReadAll(p)
			var buf bytes.Buffer
			if _, err := p.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			q := loadText(t, file, buf.String())
			qls, _ := pipeline.ReadAll(q)
			if dump(pls[0]) != dump(qls[0]) {
				t.Errorf("the model changed on a round trip")
			}
			a, _ := before.WriteToString()
			b, _ := p.Doc.WriteToString()
			if a != b {
				t.Errorf("reading the pipeline changed the tree")
			}
		})
	}
}

func TestParseType(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want pipeline.Type
	}{
		{"i1", pipeline.TypeI1}, {"i2", pipeline.TypeI2}, {"i4", pipeline.TypeI4}, {"i8", pipeline.TypeI8},
		{"ui1", pipeline.TypeUI1}, {"ui2", pipeline.TypeUI2}, {"ui4", pipeline.TypeUI4}, {"ui8", pipeline.TypeUI8},
		{"r4", pipeline.TypeR4}, {"r8", pipeline.TypeR8}, {"cy", pipeline.TypeCY}, {"numeric", pipeline.TypeNumeric},
		{"decimal", pipeline.TypeDecimal}, {"bool", pipeline.TypeBool}, {"guid", pipeline.TypeGUID},
		{"str", pipeline.TypeStr}, {"wstr", pipeline.TypeWStr}, {"text", pipeline.TypeText}, {"nText", pipeline.TypeNText},
		{"image", pipeline.TypeImage}, {"bytes", pipeline.TypeBytes}, {"date", pipeline.TypeDate},
		{"dbDate", pipeline.TypeDBDate}, {"dbTime", pipeline.TypeDBTime}, {"dbTime2", pipeline.TypeDBTime2},
		{"dbTimeStamp", pipeline.TypeDBTimestamp}, {"dbTimeStamp2", pipeline.TypeDBTimestamp2},
		{"dbTimeStampOffset", pipeline.TypeDBTimestampOffset}, {"fileTime", pipeline.TypeFileTime},
		{"DT_WSTR", pipeline.TypeWStr}, {"DT_NUMERIC", pipeline.TypeNumeric}, {"dt_dbtime2", pipeline.TypeDBTime2},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := pipeline.ParseType(tc.in)
			if !ok || got != tc.want {
				t.Errorf("ParseType(%q) = %v, %v; want %v", tc.in, got, ok, tc.want)
			}
			if back, _ := pipeline.ParseType(got.Persisted()); back != got {
				t.Errorf("%v does not survive its persisted name %q", got, got.Persisted())
			}
		})
	}
	if _, ok := pipeline.ParseType("money"); ok {
		t.Error("ParseType(money) succeeded")
	}
}

// TestColumnTypeString: types are written as the SSIS designer shows them
// ("Integration Services Data Types").
func TestColumnTypeString(t *testing.T) {
	for _, tc := range []struct {
		ct   pipeline.ColumnType
		want string
	}{
		{pipeline.ColumnType{Type: pipeline.TypeStr, Length: 50, CodePage: 1252}, "DT_STR(50, 1252)"},
		{pipeline.ColumnType{Type: pipeline.TypeWStr, Length: 255}, "DT_WSTR(255)"},
		{pipeline.ColumnType{Type: pipeline.TypeNumeric, Precision: 18, Scale: 2}, "DT_NUMERIC(18, 2)"},
		{pipeline.ColumnType{Type: pipeline.TypeDecimal, Scale: 4}, "DT_DECIMAL(4)"},
		{pipeline.ColumnType{Type: pipeline.TypeDBTimestamp2, Scale: 7}, "DT_DBTIMESTAMP2(7)"},
		{pipeline.ColumnType{Type: pipeline.TypeText, CodePage: 1252}, "DT_TEXT(1252)"},
		{pipeline.ColumnType{Type: pipeline.TypeBytes, Length: 16}, "DT_BYTES(16)"},
		{pipeline.ColumnType{Type: pipeline.TypeI4}, "DT_I4"},
		{pipeline.ColumnType{Persisted: "money"}, `DT_UNKNOWN("money")`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.ct.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLookupClass: every form a component class is persisted in maps to
// one canonical class.
func TestLookupClass(t *testing.T) {
	for _, tc := range []struct {
		id, user, want string
		third          bool
	}{
		{"Microsoft.FlatFileSource", "", "Microsoft.FlatFileSource", false},
		{"{D23FD76B-F51D-420F-BBCB-19CBF6AC1AB4}", "", "Microsoft.FlatFileSource", false},
		{"{5acd952a-f16a-41d8-a681-713640837664}", "", "Microsoft.FlatFileSource", false},
		{"DTSAdapter.FlatFileSource.3", "", "Microsoft.FlatFileSource", false},
		{"DTSAdapter.OLEDBSource.1", "", "Microsoft.OLEDBSource", false},
		{"{2C0A8BE5-1EDC-4353-A0EF-B778599C65A0}", "", "Microsoft.OLEDBSource", false},
		{"DTSTransform.Lookup.3", "", "Microsoft.Lookup", false},
		{"{671046B0-AA63-4C9F-90E4-C06E0B710CE3}", "", "Microsoft.Lookup", false},
		// The OLE DB Command's 2005, 2008 and 2012 class IDs and its ProgID.
		{"{C60ACAD1-9BE8-46B3-87DA-70E59EADEA46}", "", "Microsoft.OLEDBCommand", false},
		{"{8E61C8F6-C91D-43B6-97EB-3423C06571CC}", "", "Microsoft.OLEDBCommand", false},
		{"{93FFEC66-CBC8-4C7F-9C6A-CB1C17A7567D}", "", "Microsoft.OLEDBCommand", false},
		{"DTSTransform.OLEDBCommand.3", "", "Microsoft.OLEDBCommand", false},
		{"Attunity.SSISODBCSrc", "", "Attunity.SSISODBCSrc", false},
		{"Microsoft.ManagedComponentHost", "Microsoft.ScriptComponentHost", "Microsoft.ScriptComponentHost", false},
		{"{874F7595-FB5F-40FF-96AF-FBFF8250E3EF}", "Microsoft.SqlServer.Dts.Pipeline.ScriptComponentHost, Microsoft.SqlServer.TxScript, Version=11.0.0.0", "Microsoft.ScriptComponentHost", false},
		{"{2E42D45B-F83C-400F-8D77-61DDE6A7DF29}", "Microsoft.SqlServer.Dts.Pipeline.DataReaderSourceAdapter, Microsoft.SqlServer.ADONETSrc", "Microsoft.DataReaderSourceAdapter", false},
		{"DTS.ManagedComponentWrapper.3", "Microsoft.SqlServer.Dts.Pipeline.DataReaderSourceAdapter", "Microsoft.DataReaderSourceAdapter", false},
		{"Microsoft.ManagedComponentHost", "Microsoft.Samples.SqlServer.SSIS.SharePointListAdapters.SharePointListSource", "", true},
		{"CozyRoc.SSISPlus.ParquetSource", "", "", true},
		{"{00000000-0000-0000-0000-000000000000}", "", "", false},
	} {
		t.Run(tc.id+" "+tc.user, func(t *testing.T) {
			c, third := pipeline.LookupClass(tc.id, tc.user)
			got := ""
			if c != nil {
				got = c.Name
			}
			if got != tc.want || third != tc.third {
				t.Errorf("LookupClass = %q, third party %v; want %q, %v", got, third, tc.want, tc.third)
			}
		})
	}
}

// TestFirstWaveInTable: every first-wave component of the issue is in the
// table, as the first wave.
func TestFirstWaveInTable(t *testing.T) {
	first := map[string]bool{}
	for _, c := range pipeline.Classes() {
		if c.Support == pipeline.SupportFirstWave {
			first[c.Name] = true
		}
	}
	for _, n := range []string{"FlatFileSource", "FlatFileDestination", "OLEDBSource", "OLEDBDestination",
		"DataReaderSourceAdapter", "ADONETDestination", "DerivedColumn", "DataConvert", "ConditionalSplit", "RowCount",
		"UnionAll", "Multicast", "Lookup", "Sort", "Aggregate", "MergeJoin", "Merge", "OLEDBCommand", "RecordsetDestination"} {
		if !first["Microsoft."+n] {
			t.Errorf("Microsoft.%s is not a first-wave class", n)
		}
	}
}

// TestSummaryJSON: the summary inspect shows survives a JSON round trip,
// support levels and severities by name.
func TestSummaryJSON(t *testing.T) {
	base, err := os.ReadFile("testdata/flow-f8.dtsx")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(base), `componentClassID="Microsoft.DerivedColumn"`, `componentClassID="Contoso.Magic"`, 1)
	pls, ds := pipeline.ReadAll(loadText(t, "s.dtsx", text))
	s := pls[0].Summarize(ds)
	if s.Components[1].Support != pipeline.SupportUnknown || s.Components[1].Class != "Contoso.Magic" || s.Components[0].Display != "OLE DB Source" {
		t.Errorf("components = %+v", s.Components)
	}
	if s.Paths[1].FromComponent != "Total" || s.Paths[1].ToInput != "Flat File Destination Input" || s.Counts.OutputColumns != 7 {
		t.Errorf("paths %+v, counts %+v", s.Paths, s.Counts)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back pipeline.Summary
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*s, back) {
		t.Errorf("round trip:\n%+v\n%+v", *s, back)
	}
	if !strings.Contains(string(b), `"support":"first-wave"`) || !strings.Contains(string(b), `"severity":"warning"`) {
		t.Errorf("JSON = %s", b)
	}
}

// TestClassTable pins the table of component classes (testdata/classes.golden,
// rewritten with -update): every class with its display name, kind and
// support.
func TestClassTable(t *testing.T) {
	var b strings.Builder
	for _, c := range pipeline.Classes() {
		fmt.Fprintf(&b, "%-40s %-28s %-12s %s\n", c.Name, c.Display, c.Kind, c.Support)
	}
	golden(t, "testdata/classes.golden", b.String())
}

// TestNumericIDs: formats 2 and 3 reference objects by numeric IDs,
// formats 6 and 8 by refIds.
func TestNumericIDs(t *testing.T) {
	for file, want := range map[string]bool{"testdata/flow-f8.dtsx": false, "testdata/flow-f2.dtsx": true} {
		pls, _ := pipeline.ReadAll(loadFile(t, file))
		if pls[0].NumericIDs != want {
			t.Errorf("%s: NumericIDs = %v, want %v", file, pls[0].NumericIDs, want)
		}
	}
}

// FuzzRead: no pipeline, however damaged, makes Read panic.
func FuzzRead(f *testing.F) {
	for _, file := range []string{"testdata/flow-f8.dtsx", "testdata/flow-f2.dtsx"} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := dtsx.LoadPackage("fuzz.dtsx", data)
		if err != nil {
			return
		}
		pls, ds := pipeline.ReadAll(p)
		for i, pl := range pls {
			_ = pl.Summarize(ds)
			_ = dump(pls[i])
		}
	})
}

// TestExpressionTarget: a property expression of the Data Flow task names
// a component property as [Component].[Property].
func TestExpressionTarget(t *testing.T) {
	pls, _ := pipeline.ReadAll(loadFile(t, "testdata/flow-f8.dtsx"))
	pl := pls[0]
	for _, tc := range []struct {
		name, comp, prop string
		ok               bool
	}{
		{"[Orders].[SqlCommand]", "Orders", "SqlCommand", true},
		{"[orders].[sqlcommand]", "Orders", "SqlCommand", true},
		{"[Total].[Amount].[FriendlyExpression]", "Total", "FriendlyExpression", true},
		{"[Orders].[Nothing]", "Orders", "", true},
		{"[Gone].[SqlCommand]", "", "", true},
		{"DefaultBufferMaxRows", "", "", false},
		{"[Orders]", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, p, ok := pl.ExpressionTarget(tc.name)
			var cn, pn string
			if c != nil {
				cn = c.Name
			}
			if p != nil {
				pn = p.Name
			}
			if cn != tc.comp || pn != tc.prop || ok != tc.ok {
				t.Errorf("ExpressionTarget = %q, %q, %v; want %q, %q, %v", cn, pn, ok, tc.comp, tc.prop, tc.ok)
			}
		})
	}
	base, err := os.ReadFile("testdata/flow-f8.dtsx")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(base), `DTS:ObjectName="Load">`, `DTS:ObjectName="Load">
      <DTS:PropertyExpression DTS:Name="[Orders].[SqlCommand]">"SELECT 1"</DTS:PropertyExpression>
      <DTS:PropertyExpression DTS:Name="[Gone].[SqlCommand]">"SELECT 2"</DTS:PropertyExpression>`, 1)
	_, ds := pipeline.ReadAll(loadText(t, "x.dtsx", text))
	if len(ds) != 1 || ds[0].Code != pipeline.CodeDanglingReference || !strings.Contains(ds[0].Message, "[Gone].[SqlCommand]") || ds[0].Path != `Package\Load` {
		t.Errorf("diagnostics = %v", ds)
	}
}

// TestDiagnosticsFormat2: in formats 2 and 3 references are numeric IDs;
// a dangling one is reported at the element path built from names.
func TestDiagnosticsFormat2(t *testing.T) {
	base, err := os.ReadFile("testdata/flow-f2.dtsx")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new, code, path, msg string }{
		{"lineage", `lineageId="12" usageType`, `lineageId="99" usageType`, pipeline.CodeDanglingLineage,
			`Package\Load\Out.Inputs[Flat File Destination Input]`, `input column id 33 reads the lineage ID "99"`},
		{"expression", `#11 * 2`, `#98 * 2`, pipeline.CodeDanglingLineage,
			`Package\Load\Total.Outputs[Derived Column Output].Columns[Amount]`, `"98"`},
		{"path", `startId="22" endId="32"`, `startId="22" endId="77"`, pipeline.CodeDanglingPath,
			`Package\Load.Paths[Derived Column Output]`, `ends at "77"`},
		{"class", `{9CF90BF0-5BCC-4C63-B91D-1F322DC12C26}`, `{12345678-0000-0000-0000-000000000000}`, pipeline.CodeUnknownComponent,
			`Package\Load\Total`, `{12345678-0000-0000-0000-000000000000}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := string(base)
			if !strings.Contains(text, tc.old) {
				t.Fatalf("the test package lacks %q", tc.old)
			}
			_, ds := pipeline.ReadAll(loadText(t, "bad2.dtsx", strings.Replace(text, tc.old, tc.new, 1)))
			if len(ds) != 1 || ds[0].Code != tc.code || ds[0].Path != tc.path || !strings.Contains(ds[0].Message, tc.msg) || ds[0].Line == 0 {
				t.Errorf("diagnostics = %v, want one %s at %s saying %s", ds, tc.code, tc.path, tc.msg)
			}
		})
	}
}

// TestTypeOfNumber: the DataType numbers connection managers persist name
// the data types of the same DT_ names.
func TestTypeOfNumber(t *testing.T) {
	for n, want := range map[int]string{3: "DT_I4", 129: "DT_STR", 130: "DT_WSTR", 131: "DT_NUMERIC", 135: "DT_DBTIMESTAMP",
		72: "DT_GUID", 304: "DT_DBTIMESTAMP2", 303: "DT_NTEXT", 17: "DT_UI1", 16: "DT_I1"} {
		if got, ok := pipeline.TypeOfNumber(n); !ok || got.String() != want {
			t.Errorf("TypeOfNumber(%d) = %v, %v; want %s", n, got, ok, want)
		}
	}
	if _, ok := pipeline.TypeOfNumber(999); ok {
		t.Error("999 is a type")
	}
}
