package runtime_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
)

// fillTask is a task type of these tests that leaves a value in an Object
// variable, as an Execute SQL task with a full result set does: its
// ObjectData names the variable (Variable) and the value comes from the
// test.
type fillTask struct {
	def   *dtsx.Executable
	value expr.Value
}

func (t *fillTask) Validate(context.Context, tasks.Env) dtsx.Diagnostics { return nil }

func (t *fillTask) Execute(_ context.Context, env tasks.RunEnv) error {
	name, _ := t.def.ObjectDataAttr("Variable")
	return env.SetVariable(name, t.value)
}

// adoRegistry is the tests' registry with Test.Fill, whose tasks leave
// value in their variable.
func adoRegistry(l *runLog, value expr.Value) *tasks.Registry {
	r := registry(l)
	r.Register("Test.Fill", func(def *dtsx.Executable) (tasks.Task, error) { return &fillTask{def: def, value: value}, nil })
	return r
}

// adoEnum is a Foreach ADO enumerator over variable in mode, with the given
// CreationName.
func adoEnum(creation, variable, mode string) string {
	return `<DTS:ForEachEnumerator DTS:CreationName="` + creation + `" DTS:DTSID="{00000000-0000-0000-0000-0000000000E1}" DTS:ObjectName="e">
	  <DTS:ObjectData><FEEADO EnumType="` + mode + `" VarName="` + variable + `"/></DTS:ObjectData></DTS:ForEachEnumerator>`
}

func adoMap(n int, variable string, index int) string {
	return fmt.Sprintf(`<DTS:ForEachVariableMapping DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000001%02d}" DTS:ObjectName="m%d" DTS:ValueIndex="%d" DTS:VariableName="%s"/>`, n, n, index, variable)
}

// adoPkg is a package whose task "fill" leaves a value in User::Rows, then a
// Foreach Loop "each" with the enumerator enum and the mappings maps runs
// body; the probe task "row" records Id:Name in its Subject.
func adoPkg(fill bool, enum, maps, body string) string {
	if body == "" {
		body = adoProbe("each")
	}
	fillTask, constraint := "", ""
	if fill {
		fillTask = `<DTS:Executable DTS:refId="Package\fill" DTS:CreationName="Test.Fill" DTS:DTSID="{00000000-0000-0000-0000-000000000004}" DTS:ExecutableType="Test.Fill" DTS:ObjectName="fill">
      <DTS:ObjectData><Fill Variable="User::Rows"/></DTS:ObjectData></DTS:Executable>`
		constraint = `<DTS:PrecedenceConstraints><DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[c]" DTS:From="Package\fill" DTS:To="Package\each" DTS:ObjectName="c"/></DTS:PrecedenceConstraints>`
	}
	return `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="ado">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Variables>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C1}" DTS:Namespace="User" DTS:ObjectName="Rows"><DTS:VariableValue DTS:DataType="13">System.Object</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C2}" DTS:Namespace="User" DTS:ObjectName="Id"><DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C3}" DTS:Namespace="User" DTS:ObjectName="Name"><DTS:VariableValue DTS:DataType="8"></DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C4}" DTS:Namespace="User" DTS:ObjectName="Table"><DTS:VariableValue DTS:DataType="13">System.Object</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:CreationName="" DTS:DTSID="{00000000-0000-0000-0000-0000000000C5}" DTS:Namespace="User" DTS:ObjectName="Any"><DTS:VariableValue DTS:DataType="13">System.Object</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    ` + fillTask + `
    <DTS:Executable DTS:refId="Package\each" DTS:CreationName="STOCK:FOREACHLOOP" DTS:DTSID="{00000000-0000-0000-0000-000000000005}" DTS:ExecutableType="STOCK:FOREACHLOOP" DTS:ObjectName="each">
      ` + enum + `
      <DTS:Executables>` + body + `</DTS:Executables>
      <DTS:ForEachVariableMappings>` + maps + `</DTS:ForEachVariableMappings>
    </DTS:Executable>
  </DTS:Executables>
  ` + constraint + `
</DTS:Executable>`
}

// adoProbe is the probe task "row" inside the container whose refId path
// is parent.
func adoProbe(parent string) string {
	return `<DTS:Executable DTS:refId="Package\` + parent + `\row" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-000000000006}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="row">
          <DTS:PropertyExpression DTS:Name="Subject">(DT_WSTR, 12)@[User::Id] + ":" + @[User::Name]</DTS:PropertyExpression>
        </DTS:Executable>`
}

// rows returns the Subjects the probe recorded when it ran (the first,
// applied before validation, is left out).
func rows(l *runLog) string {
	var out []string
	for _, e := range l.order {
		if s, ok := strings.CutPrefix(e, "row.Subject="); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out[1:], " ")
}

func rowset(cols string, data ...[]expr.Value) *expr.Rowset {
	r := &expr.Rowset{Rows: data}
	for _, c := range strings.Split(cols, ",") {
		name, typ, _ := strings.Cut(c, ":")
		t := expr.TypeWStr
		if typ == "i4" {
			t = expr.TypeI4
		} else if typ == "i8" {
			t = expr.TypeI8
		}
		r.Columns = append(r.Columns, expr.Column{Name: name, Type: t})
	}
	return r
}

func row(vs ...expr.Value) []expr.Value { return vs }

// TestForeachADO: the Foreach ADO enumerator ("Foreach Loop Container",
// ADO enumerator; ADOEnumerationType) walks a recordset in every mode, a
// DataSet's first table, all its rows, or its tables one by one (walked by
// a nested loop), mapping columns by index into typed variables; what it
// cannot walk is an error that says what to do.
func TestForeachADO(t *testing.T) {
	first := rowset("id:i4,name", row(expr.I4(1), expr.Str("north")), row(expr.I4(2), expr.Str("south")))
	second := rowset("id:i8,name", row(expr.I8(3), expr.Str("east")))
	ds := &expr.DataSet{Tables: []*expr.Rowset{first, second}}
	recordset := expr.Object(first, expr.RowsetText)
	dataset := expr.Object(ds, expr.DataSetText)
	idName := adoMap(1, "User::Id", 0) + adoMap(2, "User::Name", 1)
	const short = "Microsoft.ForEachADOEnumerator"
	const qualified = "Microsoft.SqlServer.Dts.Runtime.Enumerators.ADO.ForEachADOEnumerator, Microsoft.SqlServer.ForEachADOEnumerator, Version=11.0.0.0, Culture=neutral, PublicKeyToken=89845dcd8080cc91"
	// A loop over the tables of User::Rows, whose body walks the rows of
	// each table (User::Table) in mode.
	nested := func(mode string) string {
		return `<DTS:Executable DTS:refId="Package\each\inner" DTS:CreationName="STOCK:FOREACHLOOP" DTS:DTSID="{00000000-0000-0000-0000-000000000007}" DTS:ExecutableType="STOCK:FOREACHLOOP" DTS:ObjectName="inner">
		  ` + adoEnum(short, "User::Table", mode) + `
		  <DTS:Executables>` + adoProbe(`each\inner`) + `</DTS:Executables>
		  <DTS:ForEachVariableMappings>` + idName + `</DTS:ForEachVariableMappings></DTS:Executable>`
	}
	tests := []struct {
		name  string
		value expr.Value
		fill  bool
		enum  string
		maps  string
		body  string
		want  string // the rows the probe saw, or
		fail  string // the error
	}{
		{"recordset, rows in the first table", recordset, true, adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName, "", "1:north 2:south", ""},
		{"recordset, rows in all tables", recordset, true, adoEnum(short, "User::Rows", "EnumerateAllRows"), idName, "", "1:north 2:south", ""},
		{"recordset, all tables gives its rows", recordset, true, adoEnum(short, "User::Rows", "EnumerateTables"), idName, "", "1:north 2:south", ""},
		{"assembly-qualified name, mode by value", recordset, true, adoEnum(qualified, "User::Rows", "2"), idName, "", "1:north 2:south", ""},
		{"mapping in another order, unqualified variable", recordset, true, adoEnum(short, "Rows", "EnumerateRowsInFirstTable"),
			adoMap(1, "User::Name", 0) + adoMap(2, "User::Id", 0), "", "1:1 2:2", ""},
		{"dataset, rows in the first table", dataset, true, adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName, "", "1:north 2:south", ""},
		{"dataset, rows in all tables (an Int64 column into an Int32 variable)", dataset, true, adoEnum(short, "User::Rows", "EnumerateAllRows"), idName, "", "1:north 2:south 3:east", ""},
		{"dataset, all tables, each walked by a nested loop", dataset, true, adoEnum(short, "User::Rows", "EnumerateTables"),
			adoMap(1, "User::Table", 0), nested("EnumerateRowsInFirstTable"), "1:north 2:south 3:east", ""},
		{"a table cannot be walked as tables", dataset, true, adoEnum(short, "User::Rows", "EnumerateTables"),
			adoMap(1, "User::Table", 0), nested("EnumerateTables"), "", "holds one table (a DataTable)"},
		{"empty rowset: no iteration", expr.Object(rowset("id:i4,name"), expr.RowsetText), true, adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName, "", "", ""},
		{"empty dataset: no iteration", expr.Object(&expr.DataSet{}, expr.DataSetText), true, adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName, "", "", ""},
		{"nothing filled the variable", recordset, false, adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName, "",
			"", "User::Rows holds no recordset (only what the package persisted, or NULL): an Execute SQL task with ResultSetType Full result set"},
		{"NULL into a String variable", expr.Object(rowset("id:i4,name", row(expr.I4(1), expr.Null(expr.TypeWStr))), expr.RowsetText), true,
			adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName, "", "", "row 1: column 1 (name) is NULL, and User::Name is a String variable"},
		{"NULL into an Object variable", expr.Object(rowset("id:i4,name", row(expr.I4(1), expr.Null(expr.TypeWStr))), expr.RowsetText), true,
			adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), adoMap(1, "User::Id", 0) + adoMap(2, "User::Any", 1), "", "1:", ""},
		{"text that is not a number into an Int32 variable", expr.Object(rowset("id,name", row(expr.Str("x1"), expr.Str("a"))), expr.RowsetText), true,
			adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName, "", "", "row 1, column 0 (id): variable User::Id"},
		{"mapping past the columns", recordset, true, adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName + adoMap(3, "User::Any", 2), "",
			"", "row 1 has 2 columns (id, name), and the mapping of User::Any reads column index 2"},
		{"a variable that holds something else", expr.Object(&struct{ n int }{1}, "x"), true, adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), idName, "",
			"", "neither a recordset nor a DataSet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := dtsx.LoadPackage("t.dtsx", []byte(adoPkg(tt.fill, tt.enum, tt.maps, tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			l := &runLog{seen: map[string]string{}}
			rep := runtime.Build(p, runtime.Options{Tasks: adoRegistry(l, tt.value)}).Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1})
			if tt.fail != "" {
				if rep.Status != runtime.Failure || len(rep.Errors) == 0 || !strings.Contains(rep.Errors[0].Message, tt.fail) {
					t.Fatalf("status %v, errors %+v; want a failure saying %q", rep.Status, rep.Errors, tt.fail)
				}
				return
			}
			if rep.Status != runtime.Success {
				t.Fatalf("status %v: %+v", rep.Status, rep.Errors)
			}
			if got := rows(l); got != tt.want {
				t.Errorf("rows %q, want %q", got, tt.want)
			}
		})
	}
}

// TestForeachADOValidation: validation checks the enumerator as persisted
// and runs nothing (the fill task would fail it); its source must be an
// Object variable ("The variable specified for the Foreach ADO enumerator
// must be of Object data type", Foreach Loop Container).
func TestForeachADOValidation(t *testing.T) {
	const short = "Microsoft.ForEachADOEnumerator"
	tests := []struct {
		name, enum string
		sev        dtsx.Severity
		want       string
	}{
		{"valid", adoEnum(short, "User::Rows", "EnumerateRowsInFirstTable"), 0, ""},
		{"not an Object variable", adoEnum(short, "User::Name", "EnumerateRowsInFirstTable"), dtsx.SeverityError, "User::Name is a String variable; it must be an Object variable"},
		{"unknown mode", adoEnum(short, "User::Rows", "EnumerateColumns"), dtsx.SeverityError, `EnumType "EnumerateColumns" is not`},
		{"no variable", adoEnum(short, "", "EnumerateRowsInFirstTable"), dtsx.SeverityError, "names no source variable"},
		{"a variable of no scope here", adoEnum(short, "User::Elsewhere", "EnumerateRowsInFirstTable"), dtsx.SeverityWarning, "not a variable of this package"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := dtsx.LoadPackage("t.dtsx", []byte(adoPkg(true, tt.enum, adoMap(1, "User::Id", 0), "")))
			if err != nil {
				t.Fatal(err)
			}
			l := &runLog{seen: map[string]string{}}
			bad := expr.Object(&struct{ n int }{1}, "x") // would fail the loop if anything ran
			rep := runtime.Build(p, runtime.Options{Tasks: adoRegistry(l, bad)}).Execute(context.Background(),
				runtime.RunOptions{MaxConcurrent: 1, ValidateOnly: true})
			if len(l.order) > 1 { // the probe's Subject, applied before validation
				t.Errorf("validation ran %v", l.order)
			}
			var found []runtime.Event
			for _, e := range append(rep.Errors, rep.Warnings...) {
				if strings.Contains(e.Message, "Foreach Loop") {
					found = append(found, e)
				}
			}
			if tt.want == "" {
				if rep.Status != runtime.Success || len(found) > 0 {
					t.Fatalf("status %v, %+v", rep.Status, found)
				}
				return
			}
			list := rep.Errors
			if tt.sev == dtsx.SeverityWarning {
				list = rep.Warnings
			}
			ok := false
			for _, e := range list {
				ok = ok || strings.Contains(e.Message, tt.want)
			}
			if !ok {
				t.Fatalf("status %v, errors %+v, warnings %+v; want one saying %q", rep.Status, rep.Errors, rep.Warnings, tt.want)
			}
			if wantStatus := map[dtsx.Severity]runtime.Status{dtsx.SeverityError: runtime.Failure, dtsx.SeverityWarning: runtime.Success}[tt.sev]; rep.Status != wantStatus {
				t.Errorf("status %v, want %v", rep.Status, wantStatus)
			}
		})
	}
}
