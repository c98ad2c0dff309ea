package dftask_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

// load reads testdata/name, changes it with edit (given the document
// root), and returns the Data Flow task built from it with an Env whose
// Flat File managers point at files in a fresh folder holding the orders.
func load(t *testing.T, name string, edit func(root *etree.Element)) (tasks.Task, *tasktest.Env, string) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromFile(filepath.Join("testdata", name)); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(doc.Root())
	}
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := doc.WriteToFile(path); err != nil {
		t.Fatal(err)
	}
	orders, err := os.ReadFile(filepath.Join("testdata", "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "orders.csv"), orders, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := dtsx.Options{}.LoadPackageFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env := tasktest.NewEnv(t, p, dir)
	for _, m := range env.Conns.All() {
		if fm, ok := m.(*file.Manager); ok {
			base := filepath.Base(strings.ReplaceAll(fm.Paths()[0], `\`, "/"))
			if err := fm.SetProperty("ConnectionString", `C:\`+base); err != nil {
				t.Fatal(err)
			}
		}
	}
	var x *dtsx.Executable
	p.Walk(func(e *dtsx.Executable) bool {
		if e.ShortType() == "Microsoft.Pipeline" {
			x = e
		}
		return true
	})
	task, err := dftask.New(x)
	if err != nil {
		t.Fatal(err)
	}
	return task, env, dir
}

// component returns the <component> element named name.
func component(root *etree.Element, name string) *etree.Element {
	return root.FindElement(`//component[@name='` + name + `']`)
}

// setColumn sets an attribute of the output column named col of the
// component named comp.
func setColumn(root *etree.Element, comp, col, attr, value string) {
	component(root, comp).FindElement(`.//outputColumn[@name='`+col+`']`).CreateAttr(attr, value)
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRun: the rows of the CSV go through the Derived Column ("Derived
// Column Transformation": Total = Amount * 110 / 100) and the Conditional
// Split ("Conditional Split Transformation": the first TRUE condition, else
// the default output); the row whose Amount does not convert goes to the
// source's error output, as its RedirectRow disposition says ("Error
// Handling in Data"). Each destination's rows are reported in SSIS's words
// (DTS_I_ROWS_WRITTEN).
func TestRun(t *testing.T) {
	task, env, dir := load(t, "split.dtsx", nil)
	if ds := task.Validate(context.Background(), env); len(ds) != 0 {
		t.Fatalf("validation: %v", ds)
	}
	if err := task.(tasks.Executor).Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]string{
		"big.csv":    "Customer,Total\r\nAda,132\r\nDee,104\r\nEve,330\r\n",
		"small.csv":  "Customer,Total\r\nBob,44\r\n",
		"errors.csv": "ErrorCode,Row\r\n-1071607767,Cyd,x9\r\n",
	} {
		if got := read(t, filepath.Join(dir, f)); got != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
	slices.Sort(env.Infos)
	want := []string{`"Write big" wrote 3 rows.`, `"Write errors" wrote 1 rows.`, `"Write small" wrote 1 rows.`}
	if !slices.Equal(env.Infos, want) {
		t.Errorf("information %q, want %q", env.Infos, want)
	}
}

// TestRowFailures: a disposition of FailComponent fails the task with the
// component's name and the column; IgnoreFailure keeps the row with a NULL,
// which then fails the Conditional Split whose condition is NULL
// (DTS_E_TXSPLITEXPRESSIONEVALUATEDTONULL) unless its output ignores it.
func TestRowFailures(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(root *etree.Element)
		want  []string // in the error; none: the task succeeds
		small string
	}{
		{"fail", func(r *etree.Element) { setColumn(r, "Read orders", "Amount", "errorRowDisposition", "FailComponent") },
			[]string{`component "Read orders" failed`, `"Amount"`, "0xC0209029"}, ""},
		{"ignore then null condition", func(r *etree.Element) {
			setColumn(r, "Read orders", "Amount", "errorRowDisposition", "IgnoreFailure")
		}, []string{`component "Big or small" failed`, "NULL"}, ""},
		{"ignore twice", func(r *etree.Element) {
			setColumn(r, "Read orders", "Amount", "errorRowDisposition", "IgnoreFailure")
			component(r, "Big or small").FindElement(`.//output[@name='Big']`).CreateAttr("errorRowDisposition", "IgnoreFailure")
		}, nil, "Customer,Total\r\nBob,44\r\nCyd,\r\n"},
		{"truncation", func(r *etree.Element) { setColumn(r, "Read orders", "Customer", "length", "2") },
			[]string{`component "Read orders" failed`, `"Customer"`, "0xC020902A"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task, env, dir := load(t, "split.dtsx", tt.edit)
			err := task.(tasks.Executor).Execute(context.Background(), env)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got := read(t, filepath.Join(dir, "small.csv")); got != tt.small {
					t.Errorf("small.csv = %q, want %q", got, tt.small)
				}
				return
			}
			if err == nil {
				t.Fatal("the task succeeded")
			}
			t.Log(err)
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), `Data Flow task "Split orders": `) {
				t.Errorf("error %q does not name the task", err)
			}
		})
	}
}

// TestBlocked: a component no factory builds makes the task one that does
// not execute, and validation names the component, its class and why.
func TestBlocked(t *testing.T) {
	tests := []struct {
		class, want string
	}{
		{"Microsoft.FuzzyGrouping", `component "Add tax" (class Microsoft.FuzzyGrouping) cannot run here (second-wave): the Fuzzy Grouping is a Microsoft component not yet supported by dtsx`},
		{"Acme.Widget", `component "Add tax" (class Acme.Widget) cannot run here (third-party): it is the third-party component Acme.Widget of Acme`},
		{"{00000000-1111-2222-3333-444444444444}", `cannot run here (unknown-class): its class {00000000-1111-2222-3333-444444444444} is not one dtsx knows`},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) {
			task, env, _ := load(t, "split.dtsx", func(r *etree.Element) {
				component(r, "Add tax").CreateAttr("componentClassID", tt.class)
			})
			if _, ok := task.(tasks.Executor); ok {
				t.Error("the task executes")
			}
			ds := task.Validate(context.Background(), env)
			if len(ds) != 1 || ds[0].Code != dftask.CodeComponent || !strings.Contains(ds[0].Message, tt.want) ||
				ds[0].Path != `Package\Split orders\Add tax` {
				t.Errorf("validation = %v, want one %s at the component saying %q", ds, dftask.CodeComponent, tt.want)
			}
		})
	}
}

// TestValidateExpression: a Derived Column expression that names no input
// column fails validation, which opens no file.
func TestValidateExpression(t *testing.T) {
	task, env, dir := load(t, "split.dtsx", func(r *etree.Element) {
		p := component(r, "Add tax").FindElement(`.//property[@name='Expression']`)
		p.SetText("[Nope] * 2")
	})
	if err := os.Remove(filepath.Join(dir, "orders.csv")); err != nil {
		t.Fatal(err)
	}
	ds := task.Validate(context.Background(), env)
	if len(ds) != 1 || !strings.Contains(ds[0].Message, `column "Total"`) || !strings.Contains(ds[0].Message, "Nope") {
		t.Errorf("validation = %v", ds)
	}
}

// TestFanOut: a Data Conversion ("Data Conversion Transformation") turns
// the text Amount into DT_I4, a failure ignored as NULL; a Multicast
// ("Multicast Transformation") copies every row to a Row Count ("Row Count
// Transformation", into User::Rows) and straight on; a Union All ("Union
// All Transformation") joins both copies into one file.
func TestFanOut(t *testing.T) {
	task, env, dir := load(t, "fanout.dtsx", nil)
	if ds := task.Validate(context.Background(), env); len(ds) != 0 {
		t.Fatalf("validation: %v", ds)
	}
	if err := task.(tasks.Executor).Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(read(t, filepath.Join(dir, "all.csv")), "\r\n"), "\r\n")
	if len(lines) == 0 || lines[0] != "Customer,Amount" {
		t.Fatalf("all.csv = %q", lines)
	}
	got := lines[1:]
	slices.Sort(got)
	want := []string{"Ada,120", "Ada,120", "Bob,40", "Bob,40", "Cyd,", "Cyd,", "Dee,95", "Dee,95", "Eve,300", "Eve,300"}
	if !slices.Equal(got, want) {
		t.Errorf("all.csv rows %q, want %q", got, want)
	}
	if n, err := env.Vars["User::Rows"].Int(); err != nil || n != 5 {
		t.Errorf("User::Rows = %v (%v), want 5", env.Vars["User::Rows"], err)
	}
	if !slices.Equal(env.Infos, []string{`"Write all" wrote 10 rows.`}) {
		t.Errorf("information %q", env.Infos)
	}
}

// TestSetProperty: a property expression of the task sets a component's
// property ([Component].[Property], "Use Property Expressions in
// Packages"), used by the next run, and the buffer properties; other
// names are refused.
func TestSetProperty(t *testing.T) {
	task, env, dir := load(t, "split.dtsx", nil)
	c := task.(tasks.Configurable)
	if err := c.SetProperty("[Write big].[Header]", "Big orders"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetProperty("DefaultBufferMaxRows", "2"); err != nil {
		t.Fatal(err)
	}
	if err := task.(tasks.Executor).Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, filepath.Join(dir, "big.csv")), "Big orders\r\nCustomer,Total\r\nAda,132\r\nDee,104\r\nEve,330\r\n"; got != want {
		t.Errorf("big.csv = %q, want %q", got, want)
	}
	for _, bad := range []struct{ name, value string }{{"DefaultBufferSize", "x"}, {"[Nobody].[Header]", "x"}} {
		if err := c.SetProperty(bad.name, bad.value); err == nil {
			t.Errorf("%s = %q accepted", bad.name, bad.value)
		}
	}
	if err := c.SetProperty("Description", "x"); !errors.Is(err, tasks.ErrUnknownProperty) {
		t.Errorf("Description: %v, want ErrUnknownProperty", err)
	}
}

// TestFileNameColumn: the output column FileNameColumnName names holds the
// name of the file each row comes from ("Flat File Custom
// Properties").
func TestFileNameColumn(t *testing.T) {
	task, env, dir := load(t, "split.dtsx", func(r *etree.Element) {
		src := component(r, "Read orders")
		p := src.FindElement(`.//property[@name='RetainNulls']`).Copy()
		p.CreateAttr("name", "FileNameColumnName")
		p.CreateAttr("dataType", "System.String")
		p.SetText("Customer")
		src.FindElement("properties").AddChild(p)
		setColumn(r, "Read orders", "Customer", "length", "200")
	})
	if err := task.(tasks.Executor).Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "orders.csv")
	want := "Customer,Total\r\n" + name + ",44\r\n"
	if got := read(t, filepath.Join(dir, "small.csv")); got != want {
		t.Errorf("small.csv = %q, want %q", got, want)
	}
}

// TestCancel: the flow runs with the task's ctx; a cancelled one stops it
// with an error the runtime recognises as a cancellation.
func TestCancel(t *testing.T) {
	task, env, _ := load(t, "split.dtsx", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := task.(tasks.Executor).Execute(ctx, env)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Execute = %v, want an error matching context.Canceled", err)
	}
}

// TestDownstreamFailureStopsSource: a row that fails a component
// downstream of the Flat File Source, many buffers into the file, fails the
// task with that component's error, and the source, reading ahead in a
// goroutine of its own, stops rather than blocks.
func TestDownstreamFailureStopsSource(t *testing.T) {
	task, env, dir := load(t, "split.dtsx", nil)
	var b strings.Builder
	b.WriteString("Customer,Amount\r\n")
	for i := range 50000 {
		amount := "120"
		if i == 40000 {
			amount = "2000000000" // × 110 overflows the DT_I4 Total
		}
		b.WriteString("Ada," + amount + "\r\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "orders.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := task.(tasks.Executor).Execute(ctx, env)
	if err == nil || !strings.Contains(err.Error(), `component "Add tax" failed`) {
		t.Fatalf("error %v, want the Derived Column's failure", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the task ran until the test's deadline")
	}
}
