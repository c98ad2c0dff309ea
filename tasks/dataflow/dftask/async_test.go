package dftask_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
)

// runPackage reads testdata/name, changes it with edit, points each Flat
// File connection manager at its file in a fresh folder holding files
// (name to content), and runs it through the runtime. It returns the
// report, the OnInformation messages and the folder.
func runPackage(t *testing.T, name string, files map[string]string, edit func(root *etree.Element)) (*runtime.Report, []string, string) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromFile(filepath.Join("testdata", name)); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(doc.Root())
	}
	dir := t.TempDir()
	for f, content := range files {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range doc.FindElements(`//DTS:ConnectionManager[@DTS:ConnectionString]`) {
		a := e.SelectAttr("DTS:ConnectionString")
		a.Value = filepath.Join(dir, filepath.Base(strings.ReplaceAll(a.Value, `\`, "/")))
	}
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	def, err := dtsx.LoadPackage(name, b)
	if err != nil {
		t.Fatal(err)
	}
	var infos []string
	rep := runtime.Build(def, runtime.Options{}).Execute(context.Background(), runtime.RunOptions{OnEvent: func(e runtime.Event) {
		if e.Name == "OnInformation" {
			infos = append(infos, e.Message)
		}
	}})
	return rep, infos, dir
}

// setProp sets the custom property name of the component comp.
func setProp(root *etree.Element, comp, name, value string) {
	component(root, comp).FindElement(`properties/property[@name='` + name + `']`).SetText(value)
}

func wantSuccess(t *testing.T, rep *runtime.Report) {
	t.Helper()
	if rep.Status != runtime.Success {
		t.Fatalf("status %v, errors %v", rep.Status, rep.Errors)
	}
}

const people = "Customer,City\r\nEve,Oslo\r\nAda,Rome\r\nBob,Oslo\r\nada,Rome\r\nCyd,Lima\r\n"

// TestSort runs Flat File Source → Sort → Flat File Destination ("Sort
// Transformation"): City ascending (NewSortKeyPosition 1), then Customer
// descending (-2) ignoring case (NewComparisonFlags 1, "Comparing String
// Data"); with EliminateDuplicates, Ada and ada of Rome are one row, the
// first.
func TestSort(t *testing.T) {
	tests := []struct {
		name  string
		dedup string
		want  string
	}{
		{"eliminate duplicates", "true", "Customer,City\r\nCyd,Lima\r\nEve,Oslo\r\nBob,Oslo\r\nAda,Rome\r\n"},
		{"keep duplicates", "false", "Customer,City\r\nCyd,Lima\r\nEve,Oslo\r\nBob,Oslo\r\nAda,Rome\r\nada,Rome\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _, dir := runPackage(t, "sort.dtsx", map[string]string{"people.csv": people}, func(r *etree.Element) {
				setProp(r, "Sort", "EliminateDuplicates", tt.dedup)
			})
			wantSuccess(t, rep)
			if got := read(t, filepath.Join(dir, "sorted.csv")); got != tt.want {
				t.Errorf("sorted.csv = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAggregate runs Flat File Source → Aggregate → Flat File Destination
// ("Aggregate Transformation"): group by City, Sum, Count all, Count
// distinct and Maximum of Amount, one row per group in the order the
// groups first appear.
func TestAggregate(t *testing.T) {
	rep, _, dir := runPackage(t, "aggregate.dtsx", map[string]string{
		"sales.csv": "City,Amount\r\nOslo,10\r\nRome,5\r\nOslo,7\r\nLima,1\r\nRome,5\r\n",
	}, nil)
	wantSuccess(t, rep)
	want := "City,Total,Rows,Amounts,Top\r\nOslo,17,2,2,10\r\nRome,10,2,1,5\r\nLima,1,1,1,1\r\n"
	if got := read(t, filepath.Join(dir, "totals.csv")); got != want {
		t.Errorf("totals.csv = %q, want %q", got, want)
	}
}

// TestMergeJoin runs two sorted Flat File Sources (IsSorted, Key with
// SortKeyPosition 1) → Merge Join → Flat File Destination ("Merge Join
// Transformation") with each JoinType (0 full, 1 left, 2 inner); an input
// whose output is not sorted fails with what to do ("Sort Data for the
// Merge and Merge Join Transformations").
func TestMergeJoin(t *testing.T) {
	files := map[string]string{
		"left.csv":  "Key,Name\r\na,Ada\r\nb,Bob\r\nd,Dee\r\n",
		"right.csv": "Key,City\r\na,Oslo\r\nc,Lima\r\nd,Rome\r\nd,Nice\r\n",
	}
	tests := []struct {
		name, joinType string
		edit           func(r *etree.Element)
		want           string // the rows, or what the error says
	}{
		{"left", "1", nil, "a,Ada,Oslo\r\nb,Bob,\r\nd,Dee,Rome\r\nd,Dee,Nice\r\n"},
		{"inner", "2", nil, "a,Ada,Oslo\r\nd,Dee,Rome\r\nd,Dee,Nice\r\n"},
		{"full", "0", nil, "a,Ada,Oslo\r\nb,Bob,\r\n,,Lima\r\nd,Dee,Rome\r\nd,Dee,Nice\r\n"},
		{"not sorted", "1", func(r *etree.Element) {
			component(r, "Read right").FindElement(`.//output`).RemoveAttr("isSorted")
		}, "is not sorted: set IsSorted on the output it comes from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _, dir := runPackage(t, "mergejoin.dtsx", files, func(r *etree.Element) {
				setProp(r, "Join", "JoinType", tt.joinType)
				if tt.edit != nil {
					tt.edit(r)
				}
			})
			if tt.edit != nil {
				if rep.Status == runtime.Success {
					t.Fatal("the package succeeded")
				}
				var msgs []string
				for _, e := range rep.Errors {
					msgs = append(msgs, e.Message)
				}
				if !strings.Contains(strings.Join(msgs, "\n"), tt.want) {
					t.Errorf("errors %q do not say %q", msgs, tt.want)
				}
				return
			}
			wantSuccess(t, rep)
			if got, want := read(t, filepath.Join(dir, "joined.csv")), "Key,Name,City\r\n"+tt.want; got != want {
				t.Errorf("joined.csv = %q, want %q", got, want)
			}
		})
	}
}

// TestRecordsetForeach runs Flat File Source → Recordset Destination
// ("Recordset Destination", into the Object variable User::Orders), then a
// Foreach Loop with the ADO enumerator over it ("Foreach Loop Container")
// whose Expression Task appends each row's Customer and Amount to
// User::Seen; the task after the loop shows what it holds.
func TestRecordsetForeach(t *testing.T) {
	orders, err := os.ReadFile(filepath.Join("testdata", "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rep, infos, _ := runPackage(t, "recordset.dtsx", map[string]string{"orders.csv": string(orders)}, nil)
	wantSuccess(t, rep)
	want := `@[User::Seen] = "Ada=120;Bob=40;Cyd=x9;Dee=95;Eve=300;"`
	if !slices.Contains(infos, want) {
		t.Errorf("information %q does not hold %q", infos, want)
	}
}

// TestMerge runs two sorted Flat File Sources → Merge → Flat File
// Destination ("Merge Transformation"): one output sorted on Key, the
// rows of equal keys from the first input first.
func TestMerge(t *testing.T) {
	rep, _, dir := runPackage(t, "merge.dtsx", map[string]string{
		"first.csv":  "Key,Name\r\na,Ada\r\nd,Dee\r\n",
		"second.csv": "Key,Name\r\nb,Bob\r\nd,Don\r\ne,Eve\r\n",
	}, nil)
	wantSuccess(t, rep)
	want := "Key,Name\r\na,Ada\r\nb,Bob\r\nd,Dee\r\nd,Don\r\ne,Eve\r\n"
	if got := read(t, filepath.Join(dir, "merged.csv")); got != want {
		t.Errorf("merged.csv = %q, want %q", got, want)
	}
}

// TestBadProperties: a custom property out of its documented range fails
// the package with the component's name, its refId and what to set.
func TestBadProperties(t *testing.T) {
	tests := []struct {
		name, pkg string
		edit      func(r *etree.Element)
		want      []string
	}{
		{"AggregationType", "aggregate.dtsx", func(r *etree.Element) {
			component(r, "Aggregate").FindElement(`.//outputColumn[@name='Top']//property[@name='AggregationType']`).SetText("9")
		}, []string{`component "Aggregate" (Package\Sum sales\Aggregate)`, `output column "Top"`, "AggregationType 9 is not an operation"}},
		{"JoinType", "mergejoin.dtsx", func(r *etree.Element) { setProp(r, "Join", "JoinType", "3") },
			[]string{`component "Join" (Package\Join people\Join)`, "JoinType is 3", "0 (full), 1 (left) or 2 (inner)"}},
		{"no sort key", "sort.dtsx", func(r *etree.Element) {
			for _, p := range component(r, "Sort").FindElements(`.//property[@name='NewSortKeyPosition']`) {
				p.SetText("0")
			}
		}, []string{`component "Sort" (Package\Sort people\Sort)`, "no sort key: set NewSortKeyPosition"}},
		{"no VariableName", "recordset.dtsx", func(r *etree.Element) { setProp(r, "Keep", "VariableName", "") },
			[]string{`component "Keep"`, "has no VariableName"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _, _ := runPackage(t, tt.pkg, nil, tt.edit)
			if rep.Status == runtime.Success {
				t.Fatal("the package succeeded")
			}
			var msgs []string
			for _, e := range rep.Errors {
				msgs = append(msgs, e.Message)
			}
			all := strings.Join(msgs, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("errors %q do not say %q", msgs, w)
				}
			}
		})
	}
}

// TestMergeJoinNulls: with TreatNullsAsEqual (SSIS's default, "Merge Join
// Transformation") a NULL key joins a NULL key; without it a NULL key
// joins nothing, as in SQL. The sources keep empty fields as NULL
// (RetainNulls). A TreatNullsAsEqual left empty is True.
func TestMergeJoinNulls(t *testing.T) {
	files := map[string]string{
		"left.csv":  "Key,Name\r\n,Nil\r\na,Ada\r\n",
		"right.csv": "Key,City\r\n,Void\r\na,Oslo\r\n",
	}
	tests := []struct {
		equal, want string
	}{
		{"true", ",Nil,Void\r\na,Ada,Oslo\r\n"},
		{"false", "a,Ada,Oslo\r\n"},
		{"", ",Nil,Void\r\na,Ada,Oslo\r\n"}, // not set: True
	}
	for _, tt := range tests {
		t.Run(tt.equal, func(t *testing.T) {
			rep, _, dir := runPackage(t, "mergejoin.dtsx", files, func(r *etree.Element) {
				setProp(r, "Join", "JoinType", "2")
				setProp(r, "Join", "TreatNullsAsEqual", tt.equal)
				for _, src := range []string{"Read left", "Read right"} {
					c := component(r, src)
					ps := c.CreateElement("properties")
					p := ps.CreateElement("property")
					p.CreateAttr("dataType", "System.Boolean")
					p.CreateAttr("name", "RetainNulls")
					p.SetText("true")
					c.RemoveChild(ps)
					c.InsertChildAt(0, ps)
				}
			})
			wantSuccess(t, rep)
			if got, want := read(t, filepath.Join(dir, "joined.csv")), "Key,Name,City\r\n"+tt.want; got != want {
				t.Errorf("joined.csv = %q, want %q", got, want)
			}
		})
	}
}
