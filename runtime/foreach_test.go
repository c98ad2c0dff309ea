package runtime_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/runtime"
)

// foreachPkg is a package with one Foreach Loop whose enumerator is given,
// mapping value 0 to User::A and value 1 to User::B, and a probe body whose
// Subject is A + "/" + B.
func foreachPkg(enum string, mappings int) string {
	var maps strings.Builder
	for i, v := range []string{"A", "B"}[:mappings] {
		maps.WriteString(`<DTS:ForEachVariableMapping DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000F` + string(rune('1'+i)) + `}" DTS:ObjectName="m" DTS:ValueIndex="` + string(rune('0'+i)) + `" DTS:VariableName="User::` + v + `"/>`)
	}
	return `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="loops">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C1}" DTS:Namespace="User" DTS:ObjectName="A"><DTS:VariableValue DTS:DataType="8"></DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C2}" DTS:Namespace="User" DTS:ObjectName="B"><DTS:VariableValue DTS:DataType="8"></DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C3}" DTS:Namespace="User" DTS:ObjectName="Xml"><DTS:VariableValue DTS:DataType="8">&lt;r&gt;&lt;i&gt;x&lt;/i&gt;&lt;i&gt;y&lt;/i&gt;&lt;/r&gt;</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\each" DTS:CreationName="STOCK:FOREACHLOOP" DTS:DTSID="{00000000-0000-0000-0000-000000000005}" DTS:ExecutableType="STOCK:FOREACHLOOP" DTS:ObjectName="each">
      ` + enum + `
      <DTS:Executables>
        <DTS:Executable DTS:refId="Package\each\body" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000006}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="body">
          <DTS:PropertyExpression DTS:Name="Subject">@[User::A] + "/" + @[User::B]</DTS:PropertyExpression>
        </DTS:Executable>
      </DTS:Executables>
      <DTS:ForEachVariableMappings>` + maps.String() + `</DTS:ForEachVariableMappings>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`
}

// TestForeach: each supported enumerator gives its items in order, mapped
// to variables that the body's property expression reads (the ADO
// enumerator has its own tests).
func TestForeach(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.csv", "a.CSV", "c.txt", "sub/d.csv"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	fileEnum := func(spec, recurse, form string) string {
		return `<DTS:ForEachEnumerator DTS:CreationName="Microsoft.ForEachFileEnumerator" DTS:DTSID="{00000000-0000-0000-0000-0000000000E1}" DTS:ObjectName="e">
		  <DTS:PropertyExpression DTS:Name="FileSpec">"` + spec + `"</DTS:PropertyExpression>
		  <DTS:ObjectData><ForEachFileEnumeratorProperties><FEFEProperty Folder="` + dir + `"/><FEFEProperty FileSpec="*.none"/>
		  <FEFEProperty FileNameRetrievalType="` + form + `"/><FEFEProperty Recurse="` + recurse + `"/></ForEachFileEnumeratorProperties></DTS:ObjectData></DTS:ForEachEnumerator>`
	}
	tests := []struct {
		name, enum string
		maps       int
		want       string // the subjects, in order
		fail       string
	}{
		{"files by name, case-insensitive spec, from a property expression", fileEnum("*.csv", "0", "1"), 1, "a.CSV/ b.csv/", ""},
		{"files recursively, full paths", fileEnum("?.csv", "1", "0"), 1,
			dir + "/a.CSV/ " + dir + "/b.csv/ " + dir + "/sub/d.csv/", ""},
		{"files, names only", fileEnum("*.*", "0", "2"), 1, "a/ b/ c/", ""},
		{"items with two columns", `<DTS:ForEachEnumerator DTS:CreationName="Microsoft.ForEachItemEnumerator" DTS:DTSID="{00000000-0000-0000-0000-0000000000E1}" DTS:ObjectName="e">
		  <DTS:ObjectData><FEIEItems><FEIEItem><FEIEItemValue Type="8" Value="north"/><FEIEItemValue Type="3" Value="7"/></FEIEItem>
		  <FEIEItem><FEIEItemValue Type="8" Value="south"/><FEIEItemValue Type="3" Value="12"/></FEIEItem></FEIEItems></DTS:ObjectData></DTS:ForEachEnumerator>`,
			2, "north/7 south/12", ""},
		{"node list from a variable", `<DTS:ForEachEnumerator DTS:CreationName="Microsoft.ForEachNodeListEnumerator" DTS:DTSID="{00000000-0000-0000-0000-0000000000E1}" DTS:ObjectName="e">
		  <DTS:ObjectData><FEENODELIST SourceType="1" SourceDocument="User::Xml" EnumerationType="2" OuterXPathString="/r/i"/></DTS:ObjectData></DTS:ForEachEnumerator>`,
			1, "x/ y/", ""},
		{"ADO over a variable that is not there", `<DTS:ForEachEnumerator DTS:CreationName="Microsoft.ForEachADOEnumerator" DTS:DTSID="{00000000-0000-0000-0000-0000000000E1}" DTS:ObjectName="e">
		  <DTS:ObjectData><FEEADO EnumType="EnumerateRowsInFirstTable" VarName="User::Rows"/></DTS:ObjectData></DTS:ForEachEnumerator>`,
			1, "", "the ADO enumerator's source variable: runtime: no such variable: User::Rows"},
		{"mapping past the item", `<DTS:ForEachEnumerator DTS:CreationName="Microsoft.ForEachItemEnumerator" DTS:DTSID="{00000000-0000-0000-0000-0000000000E1}" DTS:ObjectName="e">
		  <DTS:ObjectData><FEIEItems><FEIEItem><FEIEItemValue Type="8" Value="only"/></FEIEItem></FEIEItems></DTS:ObjectData></DTS:ForEachEnumerator>`,
			2, "", "reads value 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, l := runExprPkg(t, foreachPkg(tt.enum, tt.maps), nil)
			if tt.fail != "" {
				if rep.Status != runtime.Failure || len(rep.Errors) == 0 || !strings.Contains(rep.Errors[0].Message, tt.fail) {
					t.Fatalf("status %v, errors %+v; want a failure saying %q", rep.Status, rep.Errors, tt.fail)
				}
				return
			}
			if rep.Status != runtime.Success {
				t.Fatalf("status %v: %+v", rep.Status, rep.Errors)
			}
			var subjects []string
			for _, e := range l.order {
				if s, ok := strings.CutPrefix(e, "body.Subject="); ok {
					subjects = append(subjects, s)
				}
			}
			// The first Subject is applied before validation, with the
			// variables' initial (empty) values.
			if got := strings.Join(subjects[1:], " "); got != tt.want {
				t.Errorf("subjects %q, want %q", got, tt.want)
			}
		})
	}
}
