package dftask

import (
	"context"
	"slices"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

// TestCorpusCharacterMap builds the Character Map of a real package
// (format 3, class ID {DEC33219-…}: State made uppercase in place,
// MapFlags 512, truncation failing the component) and runs it between a
// source of the column it reads and a collector. The rest of that data
// flow (an Excel source, a Fuzzy Grouping) does not run here, so the
// component is run on its own.
func TestCorpusCharacterMap(t *testing.T) {
	p, err := dtsx.Options{}.LoadPackageFile(testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c10_download__Data Cleansing__bin__DEMO_3_Customer_Import.dtsx"))
	if err != nil {
		t.Fatal(err)
	}
	pls, _ := pipeline.ReadAll(p)
	var pl *pipeline.Pipeline
	var c *pipeline.Component
	for _, x := range pls {
		for _, y := range x.Components {
			if y.ClassName() == "Microsoft.CharacterMap" {
				pl, c = x, y
			}
		}
	}
	if c == nil {
		t.Fatal("no Character Map in the package")
	}
	b := newBuild(pl, nil, nil)
	dc, err := Builtin()[c.ClassName()](b, c)
	if err != nil {
		t.Fatal(err)
	}
	up := c.Inputs[0].Columns[0].Upstream
	if up == nil || up.Name != "State" {
		t.Fatalf("the Character Map maps %v, want the column State", up)
	}
	col, err := b.Column(up)
	if err != nil {
		t.Fatal(err)
	}
	p2 := dataflow.New(dataflow.Options{})
	src := p2.Add(&simple.Source{Label: "States", Columns: []dataflow.Column{col}, Rows: [][]any{{"wa"}, {"Québec"}, {nil}}})
	cm := p2.Add(dc)
	out := &simple.Collector{Label: "Out", Lineage: []int{col.LineageID}}
	p2.Connect(src, 0, cm, 0)
	p2.Connect(cm, 0, p2.Add(out), 0)
	if _, err := p2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := [][]any{{"WA"}, {"QUÉBEC"}, {nil}}
	if got := out.Rows(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows %q, want %q", got, want)
	}
}
